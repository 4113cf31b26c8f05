"""The steps of an observation on hand-written sentences: period, statistic or not, subject,
list pairing (分别), indicator and growth."""

from kg.extract import observe as ob
from kg.extract.numbers import AMOUNT
from kg.extract.sentence_view import clause_view

from test_rel_rules import view


def _figure(text, names, n=0, **kw):
    v, st = view(text, names, **kw)
    amounts = list(AMOUNT.finditer(text))
    return v, st, amounts, ob.figure(v, amounts, n)


def _carried(text, names, subject, **kw):
    """The observations of a sentence read with `subject` carried over from before."""
    v, st = view(text, names, **kw)
    st.subject = subject
    ob.observe(v, st)
    return st.observations


def _observe(text, names, **kw):
    v, st = view(text, names, **kw)
    ob.observe(v, st)
    return st.observations


def test_respective_rates():
    assert ob.respective_rates("分别下降3.5%、1.2倍") == [-3.5, -120.0]
    assert ob.respective_rates("同比增长3.5%") == []


def test_each_amount_of_a_respective_list_takes_its_own_year():
    got = _observe("2019年，某县GDP达到300亿元；2020年至2022年，某县GDP分别为320亿元、350亿元和390亿元。",
                   [("某县", "County"), ("某县", "County", 1)])
    assert [(o.value, o.period_start, o.period_end) for o in got] == [
        (3e10, "2019-01", "2019-12"), (3.2e10, "2020-01", "2020-12"), (3.5e10, "2021-01", "2021-12"),
        (3.9e10, "2022-01", "2022-12")]
    listed = _observe("2021年和2022年，某县外贸分别为80亿元、95亿元。", [("某县", "County")])
    assert [o.period_start for o in listed] == ["2021-01", "2022-01"]
    # years and amounts that do not pair leave the sentence's period as it was
    odd = _observe("2020年至2022年，某县外贸分别为80亿元、95亿元。", [("某县", "County")])
    assert [o.period_start for o in odd] == ["2022-01", "2022-01"]


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
    assert ob.figure_subjects(v, st, f, "出口") == ["City:柳州市"]
    v, st, _, f = _figure("柳州市政府安排资金5亿元。", [("柳州市", "City")])
    st.subject = "City:柳州市"
    assert ob.figure_subjects(v, st, f, "出口") == []


def test_list_pairing_with_partners():
    obs = _observe("一季度，银川市对沙特、阿联酋分别进出口3.2亿元、1.1亿元。",
                   [("银川市", "City"), ("沙特", "Country"), ("阿联酋", "Country")])
    assert {(o.partner, o.value, o.indicator) for o in obs} == {
        ("Country:沙特", 320000000, "进出口"), ("Country:阿联酋", 110000000, "进出口")}


def test_list_pairing_with_products():
    obs = _observe("鞋类、陶瓷分别出口6亿元、2亿元，分别增长12%、8%。",
                   [("鞋类", "Product"), ("陶瓷", "Product")], date="2024-05-10")
    assert obs == []  # no subject named or carried over
    obs = _carried("鞋类、陶瓷分别出口6亿元、2亿元，分别增长12%、8%。", [("鞋类", "Product"), ("陶瓷", "Product")], "City:晋江市")
    assert {(o.product, o.value, o.growth) for o in obs} == {
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


def test_lower_bound_is_a_figure_but_threshold_range_prize_and_target_are_not():
    assert [o.value for o in _observe("西宁市货值80亿元以上。", [("西宁市", "City")])] == [8000000000]
    assert _observe("西宁市投资1亿元以上的项目有12个。", [("西宁市", "City")]) == []
    assert _observe("西宁市经济总量在300亿元至500亿元之间。", [("西宁市", "City")]) == []
    assert _observe("西宁市冠军可获得5万元人民币奖金。", [("西宁市", "City")]) == []
    assert _observe("西宁市离千亿元仅一步之遥。", [("西宁市", "City")]) == []
    assert _observe("西宁市全年3000万美元的目标有望完成。", [("西宁市", "City")]) == []


def test_target_frame_of_an_earlier_clause():
    assert _observe("力争到2027年，西宁市进出口突破200亿元。", [("西宁市", "City")]) == []
    obs = _observe("西宁市今年计划投资30亿元，到9月底已完成投资25亿元。", [("西宁市", "City")])
    assert [o.value for o in obs] == [2500000000]


def test_planned_investment_of_signed_projects_is_a_figure():
    obs = _observe("大会上西宁市签约项目28个，计划总投资360亿元。", [("西宁市", "City")])
    assert [(o.entity, o.value) for o in obs] == [("City:西宁市", 36000000000)]


def test_amount_qualifying_names_through_de():
    obs = _observe("代表项目有投资12亿元的青海光伏产业园和西宁物流港。",
                   [("青海光伏产业园", "Platform"), ("西宁物流港", "Project"), ("西宁", "City")])
    assert sorted(o.entity for o in obs) == ["Platform:青海光伏产业园", "Project:西宁物流港"]


def test_this_project_stands_for_the_last_project_named():
    v, st = view("该项目由城北区与某集团签约，计划投资8亿元。", [("城北区", "County")])
    first, _ = view("西宁市的高原冷链物流项目备受关注。", [("西宁市", "City"), ("高原冷链物流项目", "Project")])
    st.seen.extend(first.linked)
    ob.observe(v, st)
    assert [(o.entity, o.value) for o in st.observations] == [("Project:高原冷链物流项目", 800000000)]


def test_subject_is_the_head_not_its_place_or_venue():
    obs = _observe("位于西宁经开区的锂电池项目总投资15亿元。", [("西宁经开区", "Platform"), ("锂电池项目", "Project")])
    assert [o.entity for o in obs] == ["Project:锂电池项目"]
    v, st = view("城北区在西宁经开区举行签约仪式，共签约项目9个，总投资40亿元。",
                 [("城北区", "County"), ("西宁经开区", "Platform")])
    ob.observe(v, st)
    assert [o.entity for o in st.observations] == ["County:城北区"]


def test_our_country_as_a_partner_is_not_the_subject():
    assert [o.entity for o in _carried("对我国台湾地区进出口5亿元。", [], "Province:青海省")] == ["Province:青海省"]


def test_comparison_with_the_province_is_not_its_figure():
    v, st = view("另有市列项目20个，签约额30亿元，在全省排名第一。", [])
    st.subject, st.home = "City:西宁市", {"Province": "Province:青海省"}
    ob.observe(v, st)
    assert [o.entity for o in st.observations] == ["City:西宁市"]


def test_each_figure_takes_the_period_stated_before_it():
    obs = _observe("1-5月，西宁市进出口30亿元，其中5月当月进出口7亿元。", [("西宁市", "City")])
    assert [(o.value, o.period_start, o.period_end) for o in obs] == [
        (3000000000, "2024-01", "2024-05"), (700000000, "2024-05", "2024-05")]


def test_a_plan_date_is_no_period_of_the_figure():
    obs = _observe("西宁市光伏项目总投资9亿元，计划于2026年6月投产。", [("西宁市", "City")])
    assert [(o.value, o.period_start) for o in obs] == [(900000000, None)]


def test_an_undated_article_moves_on_to_a_later_stated_year():
    v, st = view("2025年上半年，西宁市进出口30亿元。", [("西宁市", "City")], date=None)
    st.year = 2024
    ob.observe(v, st)
    second, _ = view("6月当月，西宁市进出口6亿元。", [("西宁市", "City")], date=None)
    ob.observe(second, st)
    assert [o.period_start for o in st.observations] == ["2025-01", "2025-06"]


def test_event_total_takes_the_article_month():
    obs = _observe("西宁市集中签约项目30个，签约金额120亿元。", [("西宁市", "City")], date="2024-03-18")
    assert [(o.period_start, o.period_end) for o in obs] == [("2024-03", "2024-03")]


def test_subject_in_force_at_the_clause_not_at_the_end_of_the_sentence():
    v, st = view("投资总额50亿元，代表项目有西宁物流港，总投资12亿元。", [("西宁物流港", "Project")])
    st.subject = "City:西宁市"
    for c_start, c_end in v.clauses:
        clause_view(st, v, c_start, c_end)
    ob.observe(v, st)
    assert [(o.entity, o.value) for o in st.observations] == [
        ("City:西宁市", 5000000000), ("Project:西宁物流港", 1200000000)]


def test_a_count_of_projects_is_not_the_subject():
    obs = _carried("其中现代物流类6个项目计划投资20亿元。", [("现代物流类6个项目", "Project")], "City:西宁市")
    assert [o.entity for o in obs] == ["City:西宁市"]


def test_amount_of_an_unknown_name_is_left_out():
    assert _carried("代表项目有投资9亿元的高原花海小镇。", [], "City:西宁市") == []


def test_this_project_without_a_project_named_is_left_out():
    v, st = view("该项目由城北区与某集团签约，计划投资8亿元。", [("城北区", "County")])
    ob.observe(v, st)
    assert st.observations == []


def test_investment_of_the_signed_project():
    obs = _observe("城北区与青海盐湖集团签署锂盐深加工项目，计划投资6亿元。",
                   [("城北区", "County"), ("青海盐湖集团", "Enterprise"), ("锂盐深加工项目", "Project")])
    assert [o.entity for o in obs] == ["Project:锂盐深加工项目"]
    obs = _observe("城北区今年开工锂盐深加工项目；全区签约项目26个，总投资额30亿元。",
                   [("城北区", "County"), ("锂盐深加工项目", "Project")])
    assert [o.entity for o in obs] == ["County:城北区"]


def test_growth_of_a_new_statement_is_not_the_amount_before():
    obs = _observe("银川市进出口总值逾300亿元，进口同比增长15.4%。", [("银川市", "City")])
    assert [(o.value, o.growth) for o in obs] == [(30000000000, None)]


def test_partner_list_with_brackets_and_rates_paired_by_he():
    obs = _observe("银川市对美国和欧盟(27国，不含英国)分别进出口3.6亿元和3.1亿元，分别下降31.7%和28.2%。",
                   [("银川市", "City"), ("美国", "Country"), ("欧盟", "EconomicBloc"), ("英国", "Country")])
    assert {(o.partner, o.value, o.growth) for o in obs} == {
        ("Country:美国", 360000000, -31.7), ("EconomicBloc:欧盟", 310000000, -28.2)}


def test_breakdown_keeps_the_partner_of_its_total():
    v, st = view("1-8月，银川市对中亚五国进出口60亿元。", [("银川市", "City"), ("中亚五国", "EconomicBloc")])
    st.home = {"City": "City:银川市"}
    for text in ("1-8月，银川市对中亚五国进出口60亿元。", "其中，出口40亿元；进口20亿元。", "全市出口机电产品8亿元。"):
        sentence, _ = view(text, [])
        if text == v.text:
            sentence = v
        for c_start, c_end in sentence.clauses:
            clause_view(st, sentence, c_start, c_end)
        ob.observe(sentence, st)
    assert [(o.value, o.partner) for o in st.observations] == [
        (6000000000, "EconomicBloc:中亚五国"), (4000000000, "EconomicBloc:中亚五国"),
        (2000000000, "EconomicBloc:中亚五国"), (800000000, None)]


def test_china_heading_another_name_is_not_the_subject():
    def china(text, names):
        v, st = view(text, names)
        v.linked[0].m.key = "CN"
        st.subject = "City:包头市"
        ob.observe(v, st)
        return [(o.entity, o.partner) for o in st.observations]
    assert china("中国制造论坛上，34个项目签约，协议总投资98亿元。", [("中国", "Country")]) == [("City:包头市", None)]
    assert china("中国对东盟进出口6.4万亿元。", [("中国", "Country"), ("东盟", "EconomicBloc")]) == [
        ("Country:中国", "EconomicBloc:东盟")]


def test_a_project_figure_keeps_only_its_own_period():
    v, st = view("今年，西宁市推进重点项目，冷链物流园项目总投资9亿元。", [("西宁市", "City"), ("冷链物流园项目", "Project")])
    ob.observe(v, st)
    assert [(o.entity, o.period_start) for o in st.observations] == [("Project:冷链物流园项目", None)]


def test_breakdown_of_a_signing_takes_the_event_month_over_a_whole_year():
    v, st = view("分产业看，新能源类9个项目计划投资37亿元。", [("新能源类9个项目", "Project")], date="2021-08-25")
    st.subject, st.period, st.investment_story = "City:包头市", ("2021年", "2021-01", "2021-12"), True
    ob.observe(v, st)
    assert [(o.entity, o.period_start, o.period_end) for o in st.observations] == [("City:包头市", "2021-08", "2021-08")]


def test_a_figure_with_no_subject_stays_with_the_story_place():
    v, st = view("同日，某某镇25个项目集中签约，总投资约126亿元。", [])
    st.place = "County:三水区"
    ob.observe(v, st)
    assert [(o.entity, o.value) for o in st.observations] == [("County:三水区", 12600000000)]
    assert _observe("同日，某某镇25个项目集中签约，总投资约126亿元。", []) == []  # no story place


def test_growth_restated_for_the_same_indicator_is_kept():
    obs = _observe("1至10月，银川市进出口总值97.6亿元，居全区第三位；进出口总值同比增长13.9%。", [("银川市", "City")])
    assert [(o.value, o.growth) for o in obs] == [(9760000000, 13.9)]
