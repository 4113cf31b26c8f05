"""Relations and observations from small hand-written pages, through the whole build."""

import pytest

import kg


def _build(tmp_path, text, name="page.txt"):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return kg.build([str(p)])


def _label(result, iri):
    return next(e.label for e in result.entities if e.iri == iri)


PAGE = """长沙外贸快速增长

湖南日报11月15日讯(全媒体记者 李治)湖南省商务厅介绍，2023年1至10月，长沙市进出口总值2358.8亿元，同比增长13.9%。同期，对俄罗斯进出口102亿元，同比增长63.6%。长沙市出口工程机械195.4亿元，同比增长56.1%；出口劳动密集型产品235.8亿元，同比下降58%。电动汽车、锂离子电池分别出口41.8亿元、25.7亿元，分别增长181.9%、51.5%。今年力争进出口突破2600亿元，推进50个投资5亿元以上的项目。
"""


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    return _build(tmp_path_factory.mktemp("p"), PAGE)


def _obs(result):
    return {(_label(result, o.entity), o.indicator, o.value, o.growth, o.period_start, o.period_end,
             _label(result, o.partner) if o.partner else None,
             _label(result, o.product) if o.product else None) for o in result.observations}


def test_observation_with_growth_and_period(page):
    assert ("长沙市", "进出口总值", 235880000000, 13.9, "2023-01", "2023-10", None, None) in _obs(page)


def test_subject_carried_over_and_partner(page):
    obs = {(e, v, g, partner) for e, _, v, g, _, _, partner, _ in _obs(page)}
    assert ("长沙市", 10200000000, 63.6, "俄罗斯") in obs


def test_products_and_decline(page):
    obs = {(e, v, g, prod) for e, _, v, g, _, _, _, prod in _obs(page)}
    assert ("长沙市", 19540000000, 56.1, "工程机械") in obs
    assert ("长沙市", 23580000000, -58.0, "劳动密集型产品") in obs


def test_respectively_pairs_values_rates_and_products(page):
    obs = {(v, g, prod) for _, _, v, g, _, _, _, prod in _obs(page)}
    assert (4180000000, 181.9, "电动汽车") in obs
    assert (2570000000, 51.5, "锂离子电池") in obs


def test_targets_and_thresholds_are_not_statistics(page):
    values = {o.value for o in page.observations}
    assert 260000000000 not in values and 500000000 not in values


def test_trade_and_product_relations(page):
    rels = {(_label(page, r.subject), r.predicate, _label(page, r.object)) for r in page.relations}
    assert ("长沙市", "tradesWith", "俄罗斯") in rels
    assert ("长沙市", "exports", "工程机械") in rels
    assert ("长沙市", "partOf", "湖南省") in rels


def test_located_in_from_name_and_context(tmp_path):
    r = _build(tmp_path, "湖南日报11月15日讯 衡阳综保区进出口增长。天心区大唐先一、红网新媒体集团等5家企业上榜。"
                         "中国电信中南智能算力中心落户天心区。\n")
    rels = {(_label(r, x.subject), x.predicate, _label(r, x.object)) for x in r.relations}
    assert ("衡阳综保区", "locatedIn", "衡阳市") in rels
    assert ("大唐先一", "locatedIn", "天心区") in rels
    assert ("红网新媒体集团", "locatedIn", "天心区") in rels
    assert ("中国电信中南智能算力中心", "locatedIn", "天心区") in rels
    assert ("中国电信", "participatesIn", "中国电信中南智能算力中心") in rels


def test_company_short_and_full_names_merge(tmp_path):
    r = _build(tmp_path, "湖南日报12月12日讯 株洲中车时代电气股份有限公司出口增长。中车时代电气表示将扩大产能。\n")
    ents = [e for e in r.entities if e.cls == "Enterprise"]
    assert len(ents) == 1
    assert ents[0].label == "株洲中车时代电气股份有限公司" and "中车时代电气" in ents[0].aliases


def test_every_relation_has_provenance(page):
    for r in page.relations:
        assert r.source == "gb2260" or (r.evidence and r.source.startswith("page-"))
        assert 0 < r.confidence <= 1


def test_a_page_from_another_province(root):
    """A hand-written page unlike the seeds (another province, paper and wording)."""
    r = kg.build([str(root / "tests" / "data" / "unseen_guangzhou.txt")], year=2024)
    labels = {(e.cls, e.label) for e in r.entities}
    assert {("City", "广州市"), ("County", "番禺区"), ("Platform", "南沙综合保税区"), ("Platform", "广州开发区"),
            ("Enterprise", "广汽埃安新能源汽车股份有限公司"), ("Enterprise", "岭南科技")} <= labels
    obs = {(_label(r, o.entity), o.value, o.growth, _label(r, o.partner) if o.partner else None,
            o.period_start, o.period_end) for o in r.observations}
    assert ("广州市", 812350000000, 4.2, None, "2024-01", "2024-09") in obs
    assert ("广州市", 98010000000, None, "欧盟", "2024-01", "2024-09") in obs
    assert ("广州市", 86040000000, None, "美国", "2024-01", "2024-09") in obs
    assert not any(o.value == 300000000000 for o in r.observations)  # 力争 … 突破3000亿元 is a target
    rels = {(_label(r, x.subject), x.predicate, _label(r, x.object)) for x in r.relations}
    assert ("广汽埃安新能源汽车股份有限公司", "locatedIn", "番禺区") in rels
    assert ("番禺区", "partOf", "广州市") in rels


def test_confidence_reflects_the_evidence(tmp_path):
    r = _build(tmp_path, "湖南日报11月15日讯 衡阳综保区进出口增长。天心区大唐先一、红网新媒体集团等5家企业上榜。\n")
    conf = {(_label(r, x.subject), _label(r, x.object)): x.confidence for x in r.relations}
    assert conf[("衡阳综保区", "衡阳市")] > conf[("大唐先一", "天心区")]  # a name beats a guess from a list
    assert conf[("红网新媒体集团", "天心区")] > conf[("大唐先一", "天心区")]  # a suffix name beats a list guess
