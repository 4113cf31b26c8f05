"""Parsers for the figures of Chinese economic reporting: amounts, growth rates, periods.

Pure functions over strings: they never raise on odd input, they return None.
"""

from __future__ import annotations

import re
from collections import Counter

from kg.extract import lexicon

CN_DIGITS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10,
             "十一": 11, "十二": 12}


def word_table(name: str) -> dict[str, tuple[str, ...]]:
    """A lexicon list of rows `word<TAB>value…` as {word: (value, …)}, in file order."""
    return {row[0]: tuple(row[1:]) for row in (w.split("\t") for w in lexicon.words(name))}


def _either(words) -> str:
    """Words as a regex alternation in the given order."""
    return "|".join(re.escape(w) for w in words)


_QUALIFIERS = word_table("numbers_amount_qualifiers")
_SPANS = {w: (int(v[0]), int(v[1])) for w, v in word_table("date_spans").items()}
_RELATIVE_YEAR = lexicon.alternation("date_relative_years", longest_first=False)
_DOWN = lexicon.words("numbers_growth_down")
_MULT = {"": 1, "千": 1e3, "万": 1e4, "亿": 1e8, "万亿": 1e12, "百万": 1e6, "千万": 1e7}
# 近/约/超/逾 … before the number, 余/多 after it: kept as the qualifier of an approximate figure
# where an amount can begin: a qualifier's first character, a digit or Chinese numeral, or
# the 亿/万 of "近亿元" (the lookahead lets re skip every other offset at once)
_AMOUNT_STARTS = "".join(sorted({w[0] for w in _QUALIFIERS if w} | set("一二两三四五六七八九十百千亿万")))
AMOUNT = re.compile(
    r"(?=[\d" + re.escape(_AMOUNT_STARTS) + "])"
    r"(?P<q>" + _either(_QUALIFIERS) + r"|)"
    r"(?P<num>\d+(?:\.\d+)?|[一二两三四五六七八九十百千]+|(?<=[近约超逾])(?=亿|万))(?P<q2>余|多)?"
    r"(?P<mult>万亿|千万|百万|亿|万|千|)(?P<unit>美元|元)")
GROWTH = re.compile(
    r"(?P<dir>" + _either(lexicon.words("numbers_growth_up") + _DOWN) + r")(?:了)?(?:约|近)?"
    r"(?P<num>\d+(?:\.\d+)?)(?P<unit>%|％|倍|个百分点)")
_CN_NUM = {"百": 100, "千": 1000}
# the qualifier an approximate amount records (近, 约, 超 …; 余 and 多 after the number)
APPROX = {**{w: v[0] for w, v in _QUALIFIERS.items() if v}, "余": "余", "多": "多"}


def cn_number(s: str) -> float | None:
    """'三' → 3, '十二' → 12, '百' → 100, '1.5' → 1.5; None when it is not a number."""
    try:
        return float(s)
    except ValueError:
        pass
    if s in CN_DIGITS:
        return float(CN_DIGITS[s])
    if s in _CN_NUM:
        return float(_CN_NUM[s])
    m = re.fullmatch(r"([一二两三四五六七八九])?(百|千)", s)
    if m:
        return float((CN_DIGITS.get(m.group(1) or "一", 1)) * _CN_NUM[m.group(2)])
    return None


def parse_amount(m: re.Match) -> tuple[float, str, str | None] | None:
    """(value in base units, unit CNY/USD, qualifier) from an AMOUNT match."""
    num = cn_number(m.group("num")) if m.group("num") else 1.0
    if num is None:
        return None
    value = num * _MULT[m.group("mult")]
    unit = "USD" if m.group("unit") == "美元" else "CNY"
    q = m.group("q2") or m.group("q") or None
    return round(value, 2), unit, APPROX.get(q) if q else None


def parse_growth(m: re.Match) -> float | None:
    """Percent change: 增长13.9% → 13.9, 下降58% → -58, 增长1.9倍 → 190; 个百分点 is no rate."""
    if m.group("unit") == "个百分点":
        return None
    value = float(m.group("num"))
    if m.group("unit") == "倍":
        value *= 100
    if m.group("dir") in _DOWN:
        value = -value
    return round(value, 4)


_NUM = r"(\d{1,2}|十[一二]?|[一二两三四五六七八九])"
_MON = r"(?:\d{1,2}|十[一二]?|[一二三四五六七八九])"


def _num(name: str) -> str:
    return _NUM.replace("(", f"(?P<{name}>", 1)


# a period named later in the sentence, which a day's date gives way to
_LATER_PERIOD = (r"(?:\d{4}年(?!第)|" + _RELATIVE_YEAR + r"|前[\d一二两三四五六七八九十]{1,2}个?月|\d月?(?:至|-|—|～|~)\d|"
                 + _either(_SPANS) + r"|\d月份?(?!\d{1,2}日))")


# One alternative a form; parse_period reads them by group name (the table _MONTHS below).
# where a period can begin: a digit, the first character of a relative year, a span or a
# Chinese month or count, or just after 年 (2013年至今年8月, a year standing alone). re tries
# every alternative at every offset; this test up front skips the offsets none can start at.
_PERIOD_STARTS = "".join(sorted({w[0] for w in (*lexicon.words("date_relative_years"), *_SPANS)} | set("前一二两三四五六七八九十截到")))
PERIOD = re.compile(
    r"(?=[\d" + re.escape(_PERIOD_STARTS) + r"]|(?<=年))"
    r"(?:(?P<year>\d{4})年)?(?:(?<![较比])(?P<rel>" + _RELATIVE_YEAR + "))?(?:"
    # 2013年至今年8月, 2019年1月至7月, 去年1月至今年7月: from a month of a named year to a later month
    r"(?<=年)(?:(?P<fm>" + _MON + r")月)?(?:至|到)(?:(?P<y2>\d{4})年|(?P<rel2>" + _RELATIVE_YEAR + r"))?"
    r"(?P<tm>" + _MON + r")月(?:底|末)?"
    r"|(?P<q>" + _either(_SPANS) + ")"
    r"|前" + _num("first") + r"个?月"
    r"|" + _num("a") + r"月?(?:至|-|—|～|~)" + _num("b") + r"月"
    # 到10月31日, 截至2020年10月底: the year so far, to the end of that month (not a total
    # since some start: 截至4月12日，累计签约18个)
    r"|(?:截至|截止|到)(?:(?P<uy>\d{4})年|今年)?(?P<um>" + _MON + r")月(?:底|末|\d{1,2}日)(?![^。；]{0,6}累计)"
    r"|(?P<m>" + _MON + r")月份?(?!\d{1,2}日|\d|日)"
    # 7月6日，…签约总额1114亿元: a figure of the day an event took place, when no other period follows
    r"|(?<![至到\d])(?P<dm>" + _MON + r")月(?P<dd>\d{1,2})日(?![起前])(?![^。！？]*?" + _LATER_PERIOD + ")"
    r"|(?<![较比])(?P<ty>" + _RELATIVE_YEAR + r")(?![前一二两三四五六七八九十\d上下全首第]|同期)"
    # 2021年，… / 2025年东莞外贸… / 2020年的3749亿元: a year not followed by a part of it
    # (not 5年来 / 五年间 either: such spans run back from a date the text gives elsewhere)
    r"|(?<=\d{4}年)(?P<yearonly>)(?![\d一二两三四五六七八九十上下前第首同初内间来]|[^\u4e00-\u9fff，,：:]|$)"
    r")")


def _base_year(m: re.Match, year: int | None) -> int | None:
    """The year a period is in: as printed (2023年), else the article's, one back for 去年/上年."""
    if m.group("year"):
        return int(m.group("year"))
    if year and m.group("rel") in ("去年", "上年"):
        return year - 1
    return year


def _span_to(m: re.Match, y: int, year: int | None) -> tuple[int, int, int, int] | None:
    first = cn_number(m.group("fm")) if m.group("fm") else 1
    last = cn_number(m.group("tm"))
    if m.group("y2"):
        y_end = int(m.group("y2"))
    elif m.group("rel2"):
        y_end = year - (m.group("rel2") != "今年") if year else None
    else:
        y_end = y
    return (y, int(first), y_end, int(last)) if first and last and y_end else None


def _months(m: re.Match, y: int, year: int | None) -> tuple[int, int, int, int] | None:
    """(first year, first month, last year, last month) of a PERIOD match within base year y."""
    if m.group("tm"):
        return _span_to(m, y, year)
    if m.group("q"):
        months = _SPANS[m.group("q")]
    elif m.group("first"):
        months = (1, cn_number(m.group("first")))
    elif m.group("a"):
        months = (cn_number(m.group("a")), cn_number(m.group("b")))
    elif m.group("um"):
        y = int(m.group("uy")) if m.group("uy") else y
        months = (1, cn_number(m.group("um")))
    elif m.group("m") or m.group("dm"):
        months = (cn_number(m.group("m") or m.group("dm")),) * 2
    else:  # a year alone (2021年，…; 今年)
        months = (1, 12)
    return (y, int(months[0]), y, int(months[1])) if all(months) else None


def parse_period(m: re.Match, year: int | None) -> tuple[str, str | None, str | None]:
    """(label as written, start YYYY-MM, end YYYY-MM) from a PERIOD match and the article's year."""
    label = m.group(0)
    y = _base_year(m, year)
    if m.group("ty") and m.group("ty") != "今年" and year:
        y = year - 1
    span = _months(m, y, year) if y else None
    if not span or not (1 <= span[1] <= 12 and 1 <= span[3] <= 12) or (span[0], span[1]) > (span[2], span[3]):
        return label, None, None
    return label, f"{span[0]:04d}-{span[1]:02d}", f"{span[2]:04d}-{span[3]:02d}"


# --- the year an article reports on ------------------------------------------------------

_YEAR_NAMED = re.compile(r"(?<![\d.])((?:19|20)\d{2})\s*年")
_BASE_BEFORE = lexicon.words("date_year_base_before")
_FUTURE_BEFORE = lexicon.words("date_year_future_before")
_SPAN_AFTER = lexicon.words("date_year_span_after")
_FUTURE_AFTER = lexicon.pattern("date_year_future_after")


def reporting_year(text: str, m: re.Match) -> bool:
    """Whether a named year (a _YEAR_NAMED match) is one the text reports on: not a comparison base
    (较2019年同期), the start of a span (2013年至今), a rough time (2000年前后) or a target (到2025年)."""
    before = text[max(0, m.start() - 3):m.start()]
    after = text[m.end():m.end() + 10]
    clause = re.split(r"[，。；,;]", text[m.end():m.end() + 30])[0]
    if any(before.endswith(w) for w in _BASE_BEFORE + _FUTURE_BEFORE):
        return False
    if any(after.startswith(w) for w in _SPAN_AFTER) or "以来" in clause:  # 2013年我国提出…以来
        return False
    return not _FUTURE_AFTER.search(after.split("。")[0])


def text_year(text: str) -> int | None:
    """The year a text reports on: the reporting year it names most often (ties: the later), else None.

    Comparison bases, span starts and targets do not count (今年前7个月…较2019年同期增长42.4%…
    仅次于2021年6月 → 2021; 从2013年至今…沧州市2018年重点项目 → 2018).
    """
    counts = Counter(int(m.group(1)) for m in _YEAR_NAMED.finditer(text) if reporting_year(text, m))
    return max(counts.items(), key=lambda kv: (kv[1], kv[0]))[0] if counts else None
