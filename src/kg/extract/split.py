"""Stage 3, split: a page → its articles (by datelines and bylines) → sentences.

A page holds several articles. Each starts at a dateline (湖南日报11月15日讯) or a
byline (湖南日报全媒体记者 张三), headed by the headline paragraphs just above it.
The year is inferred from the years the page names (most frequent wins), and can be
overridden by the caller.
"""

from __future__ import annotations

import re
from collections import Counter

from kg.model import Article, Sentence
from kg.extract.normalise import NormText, is_byline, is_heading

DATELINE = re.compile(r"^(?:\S{0,8}?报)?(?:(\d{4})年)?(\d{1,2})月(\d{1,2})日(?:讯|电)")
# the dateline and the reporters' names after it are not part of the first sentence
DATELINE_WITH_BYLINE = re.compile(r"(?:\S{0,8}?报)?(?:\d{4}年)?\d{1,2}月\d{1,2}日(?:讯|电)(?:\([^()]{0,40}\))?")
_YEAR = re.compile(r"(?<![\d.])(20\d{2}|19\d{2})年")
_SENTENCE_END = re.compile(r"[。！？!?]+[”’」』)]?")


def infer_year(text: str) -> int | None:
    """The page's year: the most often named 4-digit year (ties: the later one)."""
    counts = Counter(int(y) for y in _YEAR.findall(text))
    if not counts:
        return None
    return max(counts.items(), key=lambda kv: (kv[1], kv[0]))[0]


def _paragraphs(text: str) -> list[tuple[int, int]]:
    spans, pos = [], 0
    for line in text.split("\n"):
        if line.strip():
            spans.append((pos, pos + len(line)))
        pos += len(line) + 1
    return spans


def _is_headline(par: str) -> bool:
    return is_heading(par) or (len(par) <= 60 and "。" not in par and not is_byline(par))


def sentences(text: str, start: int, end: int) -> list[Sentence]:
    """Sentences of text[start:end]: split at 。！？ and at paragraph breaks."""
    out = []
    for p_start, p_end in _paragraphs(text[start:end]):
        p_start += start
        p_end += start
        pos = p_start
        head = DATELINE_WITH_BYLINE.match(text, p_start, p_end)
        if head:
            pos = head.end()
        for m in _SENTENCE_END.finditer(text, p_start, p_end):
            if m.end() > pos:
                out.append(Sentence(text[pos:m.end()], pos, m.end()))
            pos = m.end()
        if pos < p_end and text[pos:p_end].strip():
            out.append(Sentence(text[pos:p_end], pos, p_end))
    return out


def _header_start(text: str, pars: list[tuple[int, int]], i: int, floor: int) -> int:
    """The first headline paragraph above paragraph i (not reaching back to paragraph floor)."""
    head = i
    while head - 1 > floor and _is_headline(text[pars[head - 1][0]:pars[head - 1][1]]):
        head -= 1
    return head


def article_starts(text: str, pars: list[tuple[int, int]]) -> tuple[list[int], dict[int, tuple[int, int]]]:
    """Paragraph index where each article's header begins, and the (month, day) of each dateline paragraph.

    An article starts at a dateline (湖南日报11月15日讯) or a byline (记者 张三), headed by the
    headline paragraphs just above it; the page's first paragraph always starts one.
    """
    starts: list[int] = []
    datelines: dict[int, tuple[int, int]] = {}
    for i, (s, e) in enumerate(pars):
        par = text[s:e]
        m = DATELINE.match(par)
        if not (m or is_byline(par)):
            continue
        if m:
            datelines[i] = (int(m.group(2)), int(m.group(3)))
        head = _header_start(text, pars, i, starts[-1] if starts else -1)
        if not starts or head > starts[-1]:
            starts.append(head)
    if not starts or starts[0] != 0:
        starts.insert(0, 0)
    return starts, datelines


def _header(text: str, pars, first: int, last: int, datelines) -> tuple[list[str], tuple[int, int] | None]:
    """The headline paragraphs at the top of an article, and its dateline's (month, day)."""
    headlines = []
    for i in range(first, last + 1):
        par = text[pars[i][0]:pars[i][1]]
        if i in datelines:
            return headlines, datelines[i]
        if is_byline(par) or not _is_headline(par):
            break
        headlines.append(par)
    return headlines, None


def pick_title(headlines: list[str]) -> str | None:
    """The title among headline paragraphs: the top-level '#' heading, else the first line."""
    if not headlines:
        return None
    marked = [h for h in headlines if is_heading(h)]
    pick = min(marked, key=lambda h: len(h) - len(h.lstrip("#"))) if marked else headlines[0]
    return pick.lstrip("#").strip() or None


def _date(month_day: tuple[int, int] | None, year: int | None) -> str | None:
    if month_day and year:
        return f"{year:04d}-{month_day[0]:02d}-{month_day[1]:02d}"
    return None


def split_articles(norm: NormText, source: str, year: int | None = None) -> list[Article]:
    """Split a normalised page into articles with title, date, offsets and sentences."""
    text = norm.text
    pars = _paragraphs(text)
    if not pars:
        return []
    page_year = year or infer_year(text)
    starts, datelines = article_starts(text, pars)
    page_dates = Counter(datelines.values())
    page_date = page_dates.most_common(1)[0][0] if page_dates else None

    articles = []
    for n, first in enumerate(starts):
        last = (starts[n + 1] if n + 1 < len(starts) else len(pars)) - 1
        a_start, a_end = pars[first][0], pars[last][1]
        headlines, month_day = _header(text, pars, first, last, datelines)
        c_start, c_end = norm.original_span(a_start, a_end)
        art = Article(source=source, index=len(articles) + 1, title=pick_title(headlines),
                      date=_date(month_day or page_date, page_year),
                      year=page_year, start=a_start, end=a_end, char_start=c_start, char_end=c_end)
        art.sentences = sentences(text, a_start, a_end)
        if art.sentences:
            articles.append(art)
    return articles
