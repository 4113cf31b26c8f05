"""Stage 3, split: a page → its articles (by datelines and bylines) → sentences.

A page holds several articles. Each starts at a dateline (湖南日报11月15日讯, 本报讯,
新华社南宁3月5日电), a byline (湖南日报全媒体记者 张三) or a date line (2023年5月12日),
headed by the headline paragraphs just above it. Each article takes its date from its own
dateline (or the date right after it: 本报讯 7月6日，…) and its year from that date, else
from the years its text reports on, else the page's, else the caller's.
"""

from __future__ import annotations

import re
from collections import Counter

from kg.model import Article, Sentence
from kg.extract.normalise import DATELINE, NormText, is_byline, is_heading
from kg.extract.numbers import text_year

# the reporters after a dateline: 湖南日报11月15日讯(记者 张三), 佛山日报讯 记者李四报道：
_BYLINE_AFTER = re.compile(r"\s*(?:\([^()]{0,40}\))?\s*(?:记者[^，。：:\d]{1,16}报道[：:])?")
# the date that follows a dateline without one: 本报讯 7月6日，… / 大众日报讯 记者1月1日从…
_DATE_AFTER = re.compile(r"\s*(?:记者)?\s*(?:(\d{4})年)?(\d{1,2})月(\d{1,2})日")
# a line that is only a date, under a headline: 2023年5月12日 星期五
_DATE_LINE = re.compile(r"^\s*(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日\s*(?:(?:星期|周)[一二三四五六日天])?\s*$")
# a day named near an article's top (10月29日，…向记者介绍): the article's date when its dateline has none
_DAY = re.compile(r"(?<![至到\d])(?:(\d{4})年)?(\d{1,2})月(\d{1,2})日(?![起前])")
_LEAD_PARAGRAPHS = 4  # headline, dateline and the first two paragraphs
# the writers' names that close a news item, alone or after its last sentence: (侯郑俐), （李四 王五）,
# （参与采写：张三 李四）, （完）, or a bare name on its own line: what follows is another article
SIGN_OFF = re.compile(
    r"(?:^|[。！？”])\s*[（(](?:完|(?:记者|通讯员|参与采写[：:])[\u4e00-\u9fff·、]{2,30}|[\u4e00-\u9fff·]{2,8})[)）]\s*$"
    r"|^[\u4e00-\u9fff]{2,3}$")
_SENTENCE_END = re.compile(r"[。！？!?]+[”’」』)]?")
_TITLE_WORDS = 24  # an untitled article is titled by its first clause, at most this long ...
_TITLE_MIN = 6     # ... and at least this long (not 近日, 3月8日)

Date = tuple[int | None, int | None, int | None]   # (year, month, day) as printed


def infer_year(text: str) -> int | None:
    """The page's year: the latest year its text reports on (see numbers.text_year)."""
    return text_year(text)


def dateline_date(par: str) -> Date | None:
    """The date of a paragraph that opens with a dateline or is a date line; None for other paragraphs.

    新华社南宁3月5日电 → (None, 3, 5); 本报讯 7月6日，记者… → (None, 7, 6); 本报讯 据统计 → (None, None, None);
    2023年5月12日 → (2023, 5, 12).
    """
    m = _DATE_LINE.match(par)
    if m:
        return int(m.group(1)), int(m.group(2)), int(m.group(3))
    m = DATELINE.match(par)
    if not m:
        return None
    if m.group("m") and m.group("d"):
        return (int(m.group("y")) if m.group("y") else None), int(m.group("m")), int(m.group("d"))
    after = _DATE_AFTER.match(par, _BYLINE_AFTER.match(par, m.end()).end())
    if after:
        return (int(after.group(1)) if after.group(1) else None), int(after.group(2)), int(after.group(3))
    return None, None, None


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
        head = DATELINE.match(text[p_start:p_end])
        if head:  # the dateline and the reporters after it are not part of the first sentence ...
            pos = _BYLINE_AFTER.match(text, p_start + head.end(), p_end).end()
            if head.group("place"):  # ... but the place reported from is named (新华社哈尔滨9月29日电)
                out.append(Sentence(head.group("place"), p_start + head.start("place"), p_start + head.end("place")))
        for m in _SENTENCE_END.finditer(text, p_start, p_end):
            if m.end() > pos:
                out += pieces(text, pos, m.end())
            pos = m.end()
        if pos < p_end and text[pos:p_end].strip():
            out += pieces(text, pos, p_end)
    return out


# A news sentence is rarely over 250 characters; matching within one costs more than its length,
# so text without sentence marks (a 40 MB line) is cut into pieces of at most this many
# characters first: at clause marks, else (no mark at all) in plain windows.
MAX_SENTENCE = 500
_CLAUSE_END = re.compile(r"[，；：、,;:\s]+")


def pieces(text: str, start: int, end: int) -> list[Sentence]:
    """text[start:end] as one Sentence, or, when longer than MAX_SENTENCE, as pieces of whole
    clauses (…，…；) that fit, a clause too long for one cut in windows."""
    if end - start <= MAX_SENTENCE:
        return [Sentence(text[start:end], start, end)]
    spans, piece, last = [], start, start
    for cut in [m.end() for m in _CLAUSE_END.finditer(text, start, end)] + [end]:
        if cut - piece > MAX_SENTENCE:
            if last > piece:  # the clauses before this one make a piece
                spans.append((piece, last))
                piece = last
            while cut - piece > MAX_SENTENCE:
                spans.append((piece, piece + MAX_SENTENCE))
                piece += MAX_SENTENCE
        last = cut
    spans.append((piece, end))
    return [Sentence(text[a:b], a, b) for a, b in spans if text[a:b].strip()]


def _header_start(text: str, pars: list[tuple[int, int]], i: int, floor: int) -> int:
    """The first headline paragraph above paragraph i (not reaching back to paragraph floor)."""
    head = i
    while head - 1 > floor and _is_headline(text[pars[head - 1][0]:pars[head - 1][1]]):
        head -= 1
    return head


def _all_headlines(text: str, pars, first: int, stop: int) -> bool:
    """Whether paragraphs first..stop-1 are all headline lines: a kicker (……——) above the
    headline of an article that a sign-off already opened is one header, not two articles."""
    return all(_is_headline(text[pars[k][0]:pars[k][1]]) for k in range(first, stop))


def signed_off(text: str, pars, i: int) -> bool:
    """Whether paragraph i closes a news item with its writers' names (a bare name only after a sentence)."""
    par = text[pars[i][0]:pars[i][1]]
    if not SIGN_OFF.search(par):
        return False
    return not par.isalpha() or (i > 0 and text[pars[i - 1][1] - 1] in "。！？”")


def article_starts(text: str, pars: list[tuple[int, int]]) -> tuple[list[int], dict[int, Date]]:
    """Paragraph index where each article's header begins, and the date of each dateline paragraph.

    An article starts at a dateline (湖南日报11月15日讯) or a byline (记者 张三), headed by the
    headline paragraphs just above it; the page's first paragraph always starts one.
    """
    starts: list[int] = []
    datelines: dict[int, Date] = {}
    for i, (s, e) in enumerate(pars):
        par = text[s:e]
        date = dateline_date(par)
        if i and signed_off(text, pars, i - 1) and (not starts or i > starts[-1]):
            starts.append(i)
        if not (date or is_byline(par)):
            continue
        if date:
            datelines[i] = date
        head = _header_start(text, pars, i, starts[-1] if starts else -1)
        if not starts or (head > starts[-1] and not _all_headlines(text, pars, starts[-1], head)):
            starts.append(head)
    if not starts or starts[0] != 0:
        starts.insert(0, 0)
    return starts, datelines


def _header(text: str, pars, first: int, last: int, datelines) -> tuple[list[str], Date | None]:
    """The headline paragraphs at the top of an article, and its dateline's date."""
    headlines = []
    for i in range(first, last + 1):
        par = text[pars[i][0]:pars[i][1]]
        if i in datelines:
            return headlines, datelines[i]
        if is_byline(par) or not _is_headline(par):
            break
        headlines.append(par)
    return headlines, None


def first_words(sentences: list[Sentence]) -> str | None:
    """An untitled article's title: its first clause of some length, past time words and credits
    (近日，湖南省发展改革委公布了… → 湖南省发展改革委公布了…; 3月8日，… ; 记者 张三 摄)."""
    for s in sentences:
        text = s.text.strip()
        if is_byline(text) or text.endswith("摄"):
            continue
        for clause in re.split(r"[，。；：！？,;:!?]", text):
            if len(clause.strip()) >= _TITLE_MIN:
                return clause.strip()[:_TITLE_WORDS]
    return None


def pick_title(headlines: list[str]) -> str | None:
    """The title among headline paragraphs: the top-level '#' heading, else the first line."""
    if not headlines:
        return None
    marked = [h for h in headlines if is_heading(h)]
    pick = min(marked, key=lambda h: len(h) - len(h.lstrip("#"))) if marked else headlines[0]
    return pick.lstrip("#").strip() or None


def lead_date(text: str, pars, first: int, last: int) -> Date | None:
    """The first day named in an article's top paragraphs, for an article whose dateline gives none."""
    for s, e in pars[first:min(last + 1, first + _LEAD_PARAGRAPHS)]:
        m = _DAY.search(text, s, e)
        if m:
            return (int(m.group(1)) if m.group(1) else None), int(m.group(2)), int(m.group(3))
    return None


def article_year(date: Date | None, text: str, page_year: int | None, year: int | None) -> int | None:
    """An article's year: its dateline's, else the later of the year its text reports on and the page's
    (a story may recall 2022年 on a 2024 page), else the caller's."""
    return (date and date[0]) or max(text_year(text) or 0, page_year or 0) or year


def iso_date(date: Date | None, year: int | None) -> str | None:
    if date and date[1] and date[2] and year:
        return f"{year:04d}-{date[1]:02d}-{date[2]:02d}"
    return None


def split_articles(norm: NormText, source: str, year: int | None = None) -> list[Article]:
    """Split a normalised page into articles with title, date, offsets and sentences.

    ``year`` is the last resort for articles and pages that name no year of their own.
    """
    text = norm.text
    pars = _paragraphs(text)
    if not pars:
        return []
    page_year = infer_year(text)
    starts, datelines = article_starts(text, pars)
    page_dates = Counter(d[1:] for d in datelines.values() if d[1] and d[2])
    page_date = (None, *page_dates.most_common(1)[0][0]) if page_dates else None

    articles = []
    for n, first in enumerate(starts):
        last = (starts[n + 1] if n + 1 < len(starts) else len(pars)) - 1
        a_start, a_end = pars[first][0], pars[last][1]
        headlines, date = _header(text, pars, first, last, datelines)
        if not (date and date[1]):
            date = ((date[0] if date else None, *page_date[1:]) if page_date
                    else lead_date(text, pars, first, last) or date)
        a_year = article_year(date, text[a_start:a_end], page_year, year)
        c_start, c_end = norm.original_span(a_start, a_end)
        art = Article(source=source, index=len(articles) + 1, title=None, date=iso_date(date, a_year),
                      year=a_year, start=a_start, end=a_end, char_start=c_start, char_end=c_end)
        art.sentences = sentences(text, a_start, a_end)
        art.title = pick_title(headlines) or first_words(art.sentences)
        if art.sentences:
            articles.append(art)
    return articles
