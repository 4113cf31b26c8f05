"""Every period form of Chinese economic reporting, parsed against the article's year."""

import pytest

from kg.extract.numbers import PERIOD, parse_period


def _period(text, year=2023):
    m = PERIOD.search(text)
    return parse_period(m, year)[1:] if m else None


@pytest.mark.parametrize("text,span", [
    ("前11个月，玉林市进出口增长", ("2023-01", "2023-11")),
    ("1-2月，柳州市出口汽车", ("2023-01", "2023-02")),
    ("1至10月，全区进出口", ("2023-01", "2023-10")),
    ("一季度，南宁市外贸", ("2023-01", "2023-03")),
    ("上半年，钦州港吞吐量", ("2023-01", "2023-06")),
    ("前三季度，梧州市", ("2023-01", "2023-09")),
    ("全年实现进出口", ("2023-01", "2023-12")),
    ("12月份，北海市出口", ("2023-12", "2023-12")),
    ("去年，全市进出口", ("2022-01", "2022-12")),
    ("去年9月以来", ("2022-09", "2022-09")),
    ("2016年至今年5月，累计进出口", ("2016-01", "2023-05")),
    ("2021年3月至10月，园区进出口", ("2021-03", "2021-10")),
    ("到10月31日已完成投资30亿元", ("2023-01", "2023-10")),  # the year so far, to that month's end
    ("截至2021年9月底，全市进出口", ("2021-01", "2021-09")),
    ("去年11月至今年2月，口岸进出口", ("2022-11", "2023-02")),
    ("2022年，百色市进出口", ("2022-01", "2022-12")),
    ("2022年贵港外贸进出口", ("2022-01", "2022-12")),
    ("产值由2019年的120亿元增至", ("2019-01", "2019-12")),
])
def test_period_forms(text, span):
    assert _period(text) == span


def test_a_day_gives_its_month_only_when_no_period_follows():
    assert _period("4月12日，防城港签约项目18个，总投资65亿元。") == ("2023-04", "2023-04")
    assert _period("4月12日，记者获悉，今年一季度，防城港进出口80亿元。") == ("2023-01", "2023-03")
    assert _period("截至4月12日，累计签约18个。") is None


@pytest.mark.parametrize("text", ["比去年同期增长5%", "较上年增长3.2%", "2023年第十届东盟博览会", "五年来，累计进出口", "6月30日前"])
def test_comparison_bases_ordinals_and_open_spans_are_no_period(text):
    assert _period(text) is None
