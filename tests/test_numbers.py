"""Amounts, growth rates and periods as Chinese reporting writes them."""

import pytest

from kg.extract.numbers import AMOUNT, GROWTH, PERIOD, parse_amount, parse_growth, parse_period


@pytest.mark.parametrize("text,value,unit,qualifier", [
    ("397.6亿元", 39760000000, "CNY", None),
    ("6.61万亿元", 6610000000000, "CNY", None),
    ("580余万元", 5800000, "CNY", "余"),
    ("近亿元", 100000000, "CNY", "近"),
    ("超1.5万亿元", 1500000000000, "CNY", "超"),
    ("12.5亿美元", 1250000000, "USD", None),
    ("突破百亿元", 10000000000, "CNY", "超"),
])
def test_amounts(text, value, unit, qualifier):
    assert parse_amount(AMOUNT.search(text)) == (value, unit, qualifier)


@pytest.mark.parametrize("text,rate", [
    ("同比增长13.9%", 13.9), ("下降58%", -58.0), ("增长1.9倍", 190.0), ("提高3.6个百分点", None),
])
def test_growth(text, rate):
    assert parse_growth(GROWTH.search(text)) == rate


@pytest.mark.parametrize("text,start,end", [
    ("1至10月", "2023-01", "2023-10"), ("前三季度", "2023-01", "2023-09"),
    ("前11月", "2023-01", "2023-11"), ("10月份", "2023-10", "2023-10"),
    ("2024年前2个月", "2024-01", "2024-02"), ("前两个月", "2023-01", "2023-02"),
    ("2021年，", "2021-01", "2021-12"), ("去年9月", "2022-09", "2022-09"),
])
def test_periods(text, start, end):
    label, s, e = parse_period(PERIOD.search(text), 2023)
    assert (s, e) == (start, end) and label == text.rstrip("，")


def test_period_without_year_has_label_only():
    assert parse_period(PERIOD.search("前三季度"), None) == ("前三季度", None, None)


@pytest.mark.parametrize("text,rate", [("出口减少2.5%", -2.5), ("进口回落1.2%", -1.2), ("利润提升12%", 12.0)])
def test_growth_direction_words(text, rate):
    assert parse_growth(GROWTH.search(text)) == rate


def test_reaching_an_amount_is_exact_but_surpassing_is_approximate():
    assert parse_amount(AMOUNT.search("达到500亿元"))[2] is None
    assert parse_amount(AMOUNT.search("超过500亿元"))[2] == "超"


@pytest.mark.parametrize("text,start,end", [
    ("第四季度", "2023-10", "2023-12"), ("下半年", "2023-07", "2023-12"), ("上半年", "2023-01", "2023-06"),
])
def test_named_spans_of_the_year(text, start, end):
    assert parse_period(PERIOD.search(text), 2023)[1:] == (start, end)
