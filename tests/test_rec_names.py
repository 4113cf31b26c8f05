"""Projects, platforms and companies named by their suffix: the phase-2 rules, each on a
hand-written sentence."""

import pytest

from kg.extract import recognise_sources as src
from kg.extract.gazetteer import load
from kg.extract.link import resolve_regions
from kg.extract.recognise import Recogniser
from kg.model import Sentence


@pytest.fixture(scope="module")
def rec():
    return Recogniser(load())


@pytest.fixture(scope="module")
def found(rec):
    def go(text):
        mentions = resolve_regions(rec(text, Sentence(text, 0, len(text))), rec.gaz)
        return {(m.text, m.cls) for m in mentions}

    return go


def names(found, text, cls):
    return {n for n, c in found(text) if c == cls}


def test_counted_projects_are_no_names(found):
    assert names(found, "此次签约的项目中，农业类8个项目投资12亿元，另有3个项目正在洽谈。", "Project") == set()


def test_project_carries_its_companys_name(found):
    got = found("会上，延边华康药业有限公司敦化分公司中药饮片项目签约。")
    assert ("延边华康药业有限公司敦化分公司中药饮片项目", "Project") in got
    assert ("延边华康药业有限公司敦化分公司", "Enterprise") in got


def test_project_named_by_what_it_makes(found):
    assert "新型建材研发生产项目" in names(found, "该县签下新型建材研发生产项目，总投资5亿元。", "Project")
    assert names(found, "当地拟打造影视文旅项目。", "Project") == set()


def test_zone_kind_names_a_zone_without_a_place(found):
    assert "北岭开发区" in names(found, "3个项目分别选址北岭开发区和东湖高新区。", "Platform")


def test_park_before_project_is_the_projects_name(found):
    got = found("仪式在某某集团智能装备产业园项目现场举行。")
    assert ("某某集团智能装备产业园项目", "Project") in got
    assert not any(c == "Platform" for _, c in got)


def test_province_before_a_city_zone_is_dropped(found):
    assert "黑河口岸" in names(found, "货车一辆接一辆驶向黑龙江省黑河口岸。", "Platform")


def test_city_before_a_provincial_company_name_is_dropped(found):
    assert "吉林敖东药业集团股份有限公司" in names(found, "延吉市吉林敖东药业集团股份有限公司扩大产能。", "Enterprise")


def test_a_boundary_verb_at_the_end_of_a_longer_word_cuts(found):
    got = names(found, "我们将全力支持长白山药业集团扩大生产。", "Enterprise")
    assert got == {"长白山药业集团"}


def test_a_long_project_starts_where_its_company_does(found):
    got = found("会上集中开工了大庆远航新材料科技有限公司年产3000吨高性能复合材料建设项目。")
    assert ("大庆远航新材料科技有限公司年产3000吨高性能复合材料建设项目", "Project") in got
    assert ("大庆远航新材料科技有限公司", "Enterprise") in got


def test_well_known_foreign_firms_by_name_but_not_the_fruit(found):
    got = found("西门子、林德集团和KKR在华加大投资，出口苹果增长。")
    assert {("西门子", "Enterprise"), ("林德集团", "Enterprise"), ("KKR", "Enterprise")} <= got
    assert ("苹果", "Enterprise") not in got


def test_building_verbs_cut_before_a_park_but_not_inside_names(found):
    got = found("全市将建设松北智能制造产业园，龙江建设集团承建年产2万吨饲料建设项目。")
    assert ("松北智能制造产业园", "Platform") in got
    assert ("龙江建设集团", "Enterprise") in got
    assert any(c == "Project" and n.endswith("饲料建设项目") for n, c in got)


def test_a_category_counted_after_it_is_no_project(found):
    assert names(found, "签约项目包括先进制造业项目6个、现代服务业项目4个。", "Project") == set()


def test_a_project_keeps_its_brand_before_a_place_and_its_decimal_figures(found):
    got = names(found, "仪式上，长白农机吉林(白城)智能农机产业园项目和2.5GWh储能电池产线项目开工。", "Project")
    assert "长白农机吉林(白城)智能农机产业园项目" in got
    assert "2.5GWh储能电池产线项目" in got


def test_kinds_of_business_listed_as_projects_are_no_names(found):
    assert names(found, "推出农家乐、渔家乐、牧家乐等项目。", "Project") == set()


def test_short_company_names_by_their_trade(found):
    got = names(found, "入住率居前的依次是松花湖酒店、雾凇宾馆和北山花园酒店，由长白牧业供应乳品，度假酒店也满员。", "Enterprise")
    assert {"松花湖酒店", "北山花园酒店", "长白牧业"} <= got
    assert "度假酒店" not in got


def test_a_country_inside_a_goods_name_is_both(found):
    got = found("班列满载老挝啤酒的专列驶入，出口额增长。")
    assert ("老挝啤酒", "Product") in got and ("老挝", "Country") in got


def test_a_zone_inside_a_zone_carries_its_name(found):
    got = names(found, "活动在松原新区查干湖经济技术开发区举行。", "Platform")
    assert "松原新区查干湖经济技术开发区" in got


def test_projects_in_apposition_with_their_count_are_names(found):
    got = names(found, "长白山矿泉水扩能项目、人参精深加工生产项目两个项目将落户。", "Project")
    assert "人参精深加工生产项目" in got


def test_a_district_ending_like_a_zone_does_not_cut_the_company_after_it(found):
    got = names(found, "东港区光远科技有限公司投产。", "Enterprise")
    assert "东港区光远科技有限公司" in got or "光远科技有限公司" in got
    assert not any(c == "Platform" for _, c in found("东港区光远科技有限公司投产。"))


def test_a_short_name_by_trade_keeps_no_county_before_it(found):
    got = names(found, "会上，敦化市敖东药业与延边大学签约。", "Enterprise")
    assert "敖东药业" in got and "敦化市敖东药业" not in got


def test_a_short_name_in_its_own_quotes_is_named(found):
    got = names(found, "优化提升“图们江快线”等精品线路，入选“首批省级现代物流创新发展示范区”。", "Platform")
    assert "图们江快线" in got
    assert not any("首批" in n for n in got)
