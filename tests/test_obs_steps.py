"""The steps of an observation on hand-written sentences: period, statistic or not, subject,
list pairing (分别), indicator and growth."""

from kg.extract import observe as ob
from kg.extract.numbers import AMOUNT

from test_rel_rules import view


def _figure(text, names, n=0, **kw):
    v, st = view(text, names, **kw)
    amounts = list(AMOUNT.finditer(text))
    return v, st, amounts, ob.figure(v, amounts, n)


def _observe(text, names, **kw):
    v, st = view(text, names, **kw)
    ob.observe(v, st)
    return st.observations


def test_respective_rates():
    assert ob.respective_rates("分别下降3.5%、1.2倍") == [-3.5, -120.0]
    assert ob.respective_rates("同比增长3.5%") == []


def test_period_of_the_sentence_and_since():
    v, st = view("今年1-4月，全区进出口50亿元。", [])
    ob.update_period(v, st)
    assert st.period == ("今年1-4月", "2024-01", "2024-04")
    v, st = view("自去年9月开通以来，班列运输货值12亿元。", [], date="2024-05-10")
    ob.update_period(v, st)
    assert st.period == ("去年9月以来", "2023-09", "2024-05")


def test_same_day_figure_takes_the_article_month():
    v, st = view("当天共签约项目30个，金额120亿元。", [], date="2024-05-10")
    ob.update_period(v, st)
    assert st.period == ("当天", "2024-05", "2024-05")


def test_targets_thresholds_and_prices_are_not_statistics():
    assert _observe("昆明市力争全年进出口突破800亿元。", [("昆明市", "City")]) == []
    assert _observe("昆明市新开工投资1亿元以上项目30个。", [("昆明市", "City")]) == []
    assert _observe("昆明市门票价格为80元。", [("昆明市", "City")]) == []


def test_subject_carried_over_but_not_to_a_government_body():
    v, st, _, f = _figure("同期，出口汽车5亿元。", [])
    st.subject = "City:柳州市"
    assert ob.figure_subject(v, st, f) == "City:柳州市"
    v, st, _, f = _figure("柳州市政府安排资金5亿元。", [("柳州市", "City")])
    st.subject = "City:柳州市"
    assert ob.figure_subject(v, st, f) is None


def test_list_pairing_with_partners():
    obs = _observe("一季度，银川市对沙特、阿联酋分别进出口3.2亿元、1.1亿元。",
                   [("银川市", "City"), ("沙特", "Country"), ("阿联酋", "Country")])
    assert {(o.partner, o.value, o.indicator) for o in obs} == {
        ("Country:沙特", 320000000, "进出口"), ("Country:阿联酋", 110000000, "进出口")}


def test_list_pairing_with_products():
    obs = _observe("鞋类、陶瓷分别出口6亿元、2亿元，分别增长12%、8%。",
                   [("鞋类", "Product"), ("陶瓷", "Product")], date="2024-05-10")
    assert obs == []  # no subject named or carried over
    v, st = view("鞋类、陶瓷分别出口6亿元、2亿元，分别增长12%、8%。", [("鞋类", "Product"), ("陶瓷", "Product")])
    st.subject = "City:晋江市"
    ob.observe(v, st)
    assert {(o.product, o.value, o.growth) for o in st.observations} == {
        ("Product:鞋类", 600000000, 12.0), ("Product:陶瓷", 200000000, 8.0)}


def test_indicator_is_the_words_before_the_amount():
    v, _, _, f = _figure("1-5月，乌鲁木齐市实现进出口总值150亿元。", [("乌鲁木齐市", "City")])
    assert ob.indicator_of(v, f) == "进出口总值"


def test_growth_of_the_figure_not_of_a_later_subject():
    names = [("贵州省", "Province"), ("遵义市", "City")]
    v, _, amounts, f = _figure("贵州省进出口300亿元，其中遵义市增长20%。", names)
    assert ob.growth_of(v, f, amounts, []) is None
    v, _, amounts, f = _figure("贵州省进出口300亿元，同比增长9.5%。", names[:1])
    assert ob.growth_of(v, f, amounts, []) == 9.5


def test_observation_carries_subject_period_and_growth():
    obs = _observe("前4个月，哈尔滨市进出口总值120亿元，同比增长6.1%。", [("哈尔滨市", "City")])
    assert [(o.entity, o.indicator, o.value, o.growth, o.period_start, o.period_end) for o in obs] == [
        ("City:哈尔滨市", "进出口总值", 12000000000, 6.1, "2024-01", "2024-04")]
