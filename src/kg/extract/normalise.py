"""Stage 2, normalise: repair OCR layout noise while keeping a map back to the original.

Newspaper text arrives wrapped at the column width, with spaces inside words
("总 部 、区 域") and a mix of full- and half-width forms. The normalised text
rejoins lines broken inside a sentence, drops spaces that touch Chinese characters
(keeping those between Latin words and numbers), and unifies character widths, so
the recogniser sees "总部、区域" and "2024年前2个月". Every normalised character
keeps the offset of the character it came from, so evidence can be traced to print.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from kg.extract import lexicon

# A line ending in one of these ends a sentence, a headline or a quotation: no rejoin.
TERMINAL = set("。！？!?；;：:”」』）)》…—")
# Full-width forms mapped one-to-one to ASCII for matching (digits, Latin, % . + - ( ) etc.).
_WIDTH = {chr(c): chr(c - 0xFEE0) for c in range(0xFF01, 0xFF5F)}
for _keep in "，。；：！？、“”‘’（）":  # keep Chinese punctuation as printed ...
    _WIDTH.pop(_keep, None)
_WIDTH.update({"（": "(", "）": ")", "\u3000": " ", "－": "-", "～": "~", "﹪": "%"})
# ... but ASCII commas, colons, semicolons, ! and ? written between Chinese text become Chinese.
_ASCII_TO_CJK_PUNCT = {",": "，", ";": "；", ":": "：", "!": "！", "?": "？"}

_BYLINE = re.compile(r"^\s*(\S{0,6}报)?\s*(全媒体)?\s*(" + lexicon.alternation("split_byline_ranks", False)
                     + r")?\s*(" + lexicon.alternation("split_byline_roles", False) + ")")
# A dateline: the news organisation (本报, 湖南日报, 新华社, 中新网 …), the place reported from, the date
# if printed, then 讯 or 电: 本报讯, 本报东莞讯, 新华社哈尔滨 9月 29日电, 湖南日报11月15日讯.
DATELINE = re.compile(
    r"^\s*(?P<source>[\u4e00-\u9fff]{1,10}?(?:" + lexicon.alternation("split_dateline_sources", False) + r"))"
    r"\s*(?P<place>[\u4e00-\u9fff]{0,6}?)\s*(?:(?P<y>\d{4})\s*年\s*)?(?:(?P<m>\d{1,2})\s*月\s*)?"
    r"(?:(?P<d>\d{1,2})\s*日\s*)?(?:讯|电)")


def is_cjk(ch: str) -> bool:
    """True for Chinese characters and Chinese punctuation (the text around which spaces are noise)."""
    o = ord(ch)
    return (0x4E00 <= o <= 0x9FFF or 0x3400 <= o <= 0x4DBF or 0x3000 <= o <= 0x303F
            or 0xFF00 <= o <= 0xFFEF or ch in "“”‘’—…·")


@dataclass
class NormText:
    """Normalised text and, per character, its offset in the original text."""

    text: str
    offsets: list[int]
    original_length: int

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """Map a [start, end) span of the normalised text back to the original text."""
        if start >= len(self.offsets):
            return self.original_length, self.original_length
        o_start = self.offsets[start]
        o_end = self.offsets[end - 1] + 1 if end > start else o_start
        return o_start, o_end


def is_byline(line: str) -> bool:
    """A short line naming reporters (湖南日报全媒体记者 张三 通讯员 李四)."""
    return (len(line) <= 40 and "。" not in line and not re.search(r"日\s*[讯电]", line)
            and not DATELINE.match(line) and bool(_BYLINE.match(line)))


def is_heading(line: str) -> bool:
    return line.lstrip().startswith("#")


def _lines(text: str) -> list[tuple[int, int]]:
    """Non-blank lines as (start, end) offsets, stripped of surrounding whitespace."""
    spans = []
    pos = 0
    for raw in text.splitlines(keepends=True):
        body = raw.rstrip("\r\n")
        left = len(body) - len(body.lstrip())
        right = len(body.rstrip())
        if right > left:
            spans.append((pos + left, pos + right))
        pos += len(raw)
    return spans


def paragraph_gap(text: str, spans: list[tuple[int, int]]) -> int | None:
    """The line-break count that separates paragraphs on a page whose lines are separated by fewer.

    OCR'd pages put one blank line between the printed lines and several between paragraphs;
    when such wider gaps are common (3+ and 5% of all), they alone mark the paragraphs.
    """
    gaps = [text.count("\n", spans[i][1], spans[i + 1][0]) for i in range(len(spans) - 1)]
    if not gaps:
        return None
    line_gap = Counter(gaps).most_common(1)[0][0]
    wider = [g for g in gaps if g > line_gap]
    return min(wider) if len(wider) >= max(3, 0.05 * len(gaps)) else None


def _ends_line(line: str, nxt: str, wrapped: bool, median: int) -> bool:
    """Whether a line ends its paragraph by its own look (punctuation, heading, byline, length)."""
    return (line[-1] in TERMINAL
            or is_heading(line) or is_heading(nxt)
            or is_byline(line) or bool(DATELINE.match(nxt))
            or (wrapped and len(line) < 0.5 * median)
            or (not wrapped and 2 <= len(line) <= 3 and line.isalpha()))  # a writer's name: 张福芳


def _joins(text: str, spans: list[tuple[int, int]]) -> list[bool]:
    """For each line, whether it continues on the next line (broken inside a sentence)."""
    lengths = sorted(e - s for s, e in spans)
    median = lengths[len(lengths) // 2] if lengths else 0
    wrapped = median < 40  # a page wrapped at column width rather than one line per paragraph
    par_gap = paragraph_gap(text, spans) if wrapped else None
    out = []
    for i, (s, e) in enumerate(spans[:-1]):
        line, nxt = text[s:e], text[spans[i + 1][0]:spans[i + 1][1]]
        if par_gap:  # the gaps say where paragraphs end; only headings, bylines and datelines add to them
            ends = (text.count("\n", e, spans[i + 1][0]) >= par_gap or is_heading(line) or is_heading(nxt)
                    or is_byline(line) or bool(DATELINE.match(nxt)))
        else:
            ends = _ends_line(line, nxt, wrapped, median) or (i == 0 and not wrapped and (e - s) <= 60)
        out.append(not ends)  # (i == 0: a page opens with its headline)
    return out + [False] * bool(spans)


_WIDTH_TABLE = str.maketrans(_WIDTH)  # one character for one: offsets stay as they were
_SPACES = re.compile("[ \t\u00a0]+")
_PUNCT_TO_CHECK = re.compile("[" + re.escape("".join(_ASCII_TO_CJK_PUNCT)) + "]")


def _rebuild(text: str, spans: list[tuple[int, int]], joins: list[bool]) -> tuple[list[str], list[int]]:
    """The lines rejoined, widths unified and spaces that touch Chinese dropped; with offsets.
    A run of spaces becomes one space between two characters that are not Chinese (OCR'd
    "Tesla  Model" keeps one), and goes where either is Chinese or the line ends."""
    chars: list[str] = []
    offs: list[int] = []
    for (s, e), join in zip(spans, joins):
        line = text[s:e].translate(_WIDTH_TABLE)
        pos = 0
        for m in _SPACES.finditer(line):
            a, b = m.span()
            chars.extend(line[pos:a])
            offs.extend(range(s + pos, s + a))
            if b < len(line) and chars and chars[-1] != "\n" and not is_cjk(chars[-1]) and not is_cjk(line[b]):
                chars.append(" ")
                offs.append(s + a)
            pos = b
        chars.extend(line[pos:])
        offs.extend(range(s + pos, e))
        if not join:
            chars.append("\n")
            offs.append(e)
    return chars, offs


def _chinese_punct(chars: list[str], i: int) -> str:
    """The punctuation chars[i] should be: ASCII , ; : ! ? used as Chinese punctuation become Chinese.

    After a Chinese character (中国,美国 → 中国，美国) unless it is a thousands comma; a comma
    between non-digits before Chinese text or after % or ) too (增长5%,出口 → 增长5%，出口).
    """
    ch = chars[i]
    prev = chars[i - 1] if i > 0 else "\n"
    nxt = chars[i + 1] if i + 1 < len(chars) else "\n"
    if ch in _ASCII_TO_CJK_PUNCT and i > 0 and is_cjk(prev) and prev != "\n":
        if not (ch == "," and nxt.isdigit() and prev.isdigit()):
            return _ASCII_TO_CJK_PUNCT[ch]
    elif ch == "," and 0 < i < len(chars) - 1 and not (prev.isdigit() and nxt.isdigit()):
        if is_cjk(nxt) or prev in "%)":
            return "，"
    return ch


def normalise(text: str) -> NormText:
    """Normalise a page: rejoin broken lines, drop OCR spaces, unify widths; keep offsets."""
    spans = _lines(text)
    chars, offs = _rebuild(text, spans, _joins(text, spans))
    # in place and in order: a converted comma makes the next one Chinese too (,,)
    for m in _PUNCT_TO_CHECK.finditer("".join(chars)):
        chars[m.start()] = _chinese_punct(chars, m.start())
    return NormText("".join(chars), offs, len(text))
