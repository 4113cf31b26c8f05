"""Parsers for the figures of Chinese economic reporting: amounts, growth rates, periods.

Pure functions over strings: they never raise on odd input, they return None.
"""

from __future__ import annotations

import re

CN_DIGITS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10,
             "十一": 11, "十二": 12}
_MULT = {"": 1, "千": 1e3, "万": 1e4, "亿": 1e8, "万亿": 1e12, "百万": 1e6, "千万": 1e7}
# 近/约/超/逾 … before the number, 余/多 after it: kept as the qualifier of an approximate figure
AMOUNT = re.compile(
    r"(?P<q>近|约|超过|超|逾|达到|达|突破|首破|破|不足|)"
    r"(?P<num>\d+(?:\.\d+)?|[一二两三四五六七八九十百千]+|(?<=[近约超逾])(?=亿|万))(?P<q2>余|多)?"
    r"(?P<mult>万亿|千万|百万|亿|万|千|)(?P<unit>美元|元)")
GROWTH = re.compile(
    r"(?P<dir>增长|增加|上升|提高|提升|增|下降|减少|下滑|回落|降|减)(?:了)?(?:约|近)?"
    r"(?P<num>\d+(?:\.\d+)?)(?P<unit>%|％|倍|个百分点)")
_CN_NUM = {"百": 100, "千": 1000}
APPROX = {"近": "近", "约": "约", "超过": "超", "超": "超", "逾": "逾", "余": "余", "多": "多",
          "不足": "不足", "突破": "超", "首破": "超", "破": "超"}


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
    if m.group("dir") in ("下降", "减少", "下滑", "回落", "降", "减"):
        value = -value
    return round(value, 4)


_NUM = r"(\d{1,2}|十[一二]?|[一二两三四五六七八九])"
PERIOD = re.compile(
    r"(?:(?P<year>\d{4})年)?(?:(?<![较比])(?:今年|去年|上年))?(?:"
    r"(?P<q>前三季度|一季度|第一季度|上半年|前两季度|二季度|第二季度|三季度|第三季度|四季度|第四季度|全年|下半年)"
    r"|前" + _NUM.replace("(", "(?P<first>", 1) + r"个?月"
    r"|" + _NUM.replace("(", "(?P<a>", 1) + r"(?:至|-|—|～|~)" + _NUM.replace("(", "(?P<b>", 1) + r"月"
    r"|(?P<m>\d{1,2}|十[一二]?|[一二三四五六七八九])月份?(?!\d{1,2}日|\d|日)"
    r"|(?<![较比])(?P<ty>今年|去年|上年)(?![前一二两三四五六七八九十\d上下全首第]|同期)"
    r"|(?<=\d{4}年)(?P<yearonly>)(?=[，,：:]|全年|以来|年末|底)"
    r")")
_QUARTERS = {"一季度": (1, 3), "第一季度": (1, 3), "上半年": (1, 6), "前两季度": (1, 6),
             "二季度": (4, 6), "第二季度": (4, 6), "三季度": (7, 9), "第三季度": (7, 9),
             "前三季度": (1, 9), "四季度": (10, 12), "第四季度": (10, 12), "全年": (1, 12), "下半年": (7, 12)}


def parse_period(m: re.Match, year: int | None) -> tuple[str, str | None, str | None]:
    """(label as written, start YYYY-MM, end YYYY-MM) from a PERIOD match and the article's year."""
    label = m.group(0)
    y = int(m.group("year")) if m.group("year") else year
    if "去年" in label or "上年" in label:
        y = y - 1 if y else None
    months = None
    if m.group("q"):
        months = _QUARTERS[m.group("q")]
    elif m.group("first"):
        n = cn_number(m.group("first"))
        months = (1, int(n)) if n else None
    elif m.group("a"):
        a, b = cn_number(m.group("a")), cn_number(m.group("b"))
        months = (int(a), int(b)) if a and b else None
    elif m.group("m"):
        n = cn_number(m.group("m"))
        months = (int(n), int(n)) if n else None
    elif m.group("year") or m.group("ty"):
        months = (1, 12)
    if not y or not months or not (1 <= months[0] <= months[1] <= 12):
        return label, None, None
    return label, f"{y:04d}-{months[0]:02d}", f"{y:04d}-{months[1]:02d}"
