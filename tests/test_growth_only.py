"""A growth stated without a figure (对韩国进出口增长2.3%) is an observation with its growth,
partner or product and no value: written without kg:value, valid under the shapes, shown
by the ready query partners-by-growth and left out of the scoring of monetary figures."""

import json

import pytest

import kg
from kg.check.evaluate import evaluate
from kg.check.validate import validate_graph
from kg.cli import main
from kg.sparql.graphfile import read_graph

PAGE = """鄂西北外贸稳步增长

本报讯 2024年前三季度，襄阳市进出口总值320.5亿元，同比增长8.2%。其中，对韩国进出口增长2.3%，对东盟出口增长15.6%。同期，襄阳市出口机电产品增长9.1%。十堰市进出口同比增长4.5%。对美国、欧盟出口分别增长3.5%、6.1%。对非洲、拉美等新兴市场进出口分别增长18.7%和12.3%。力争明年对日本出口增长10%。全市法院新收案件同比下降7.2%。宜昌外贸总体平稳进口增长12.2%。二是荆门市民营企业进出口增长17.7%。
"""


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    d = tmp_path_factory.mktemp("g")
    page = d / "page.txt"
    page.write_text(PAGE, encoding="utf-8")
    out = d / "out"
    assert main(["build", str(page), "--out", str(out), "-q"]) == 0
    return kg.build([str(page)]), out / "graph.ttl"


def _rows(result):
    label = {e.iri: e.label for e in result.entities}
    return {(label[o.entity], o.indicator, o.value, o.growth, label.get(o.partner), label.get(o.product))
            for o in result.observations}


@pytest.mark.parametrize("row", [
    ("襄阳市", "进出口", None, 2.3, "韩国", None),      # a partner's growth
    ("襄阳市", "出口", None, 15.6, "东盟", None),
    ("襄阳市", "出口", None, 9.1, None, "机电产品"),    # a product's
    ("十堰市", "进出口", None, 4.5, None, None),        # a named subject's own
    ("荆门市", "民营企业进出口", None, 17.7, None, None),  # without the point's opener 二是
    ("襄阳市", "出口", None, 3.5, "美国", None),        # 分别 pairs rates with partners
    ("襄阳市", "出口", None, 6.1, "欧盟", None),
])
def test_growth_without_value(built, row):
    assert row in _rows(built[0])


def test_indicator_is_the_trade_word_or_one_indicator_of_a_subject(built):
    rows = _rows(built[0])
    assert ("襄阳市", "进出口", None, 18.7, "非洲", None) in rows
    assert not any(g in (-7.2, 12.2) for _, _, _, g, _, _ in rows)


def test_bare_growth_after_a_figure_stays_the_figures(built):
    result = built[0]
    assert not any(o.value is None and o.growth == 8.2 for o in result.observations)
    assert any(o.value == 32050000000 and o.growth == 8.2 for o in result.observations)


def test_target_growth_is_no_observation(built):
    assert not any(o.growth == 10 for o in built[0].observations)


def test_graph_without_value_validates(built):
    text = built[1].read_text(encoding="utf-8")
    assert text.count("kg:value") == 1  # only the figure of 320.5亿元
    report = validate_graph(read_graph(built[1]))
    assert report.conforms, report.format()


def test_partners_by_growth_shows_the_growth_only_partner(built, capsys):
    capsys.readouterr()
    assert main(["query", str(built[1]), "partners-by-growth", "--format", "json"]) == 0
    rows = [{k: v["value"] for k, v in b.items()} for b in json.loads(capsys.readouterr().out)["results"]["bindings"]]
    korea = [r for r in rows if r["partner"] == "韩国"]
    assert len(korea) == 1 and "value" not in korea[0]
    assert (korea[0]["place"], float(korea[0]["growth"]), korea[0]["indicator"]) == ("襄阳市", 2.3, "进出口")
    assert [r["partner"] for r in rows] == ["非洲", "东盟", "拉美", "欧盟", "美国", "韩国"]  # fastest first


def test_growth_only_is_not_a_false_positive_figure(built):
    gold = {"file": "page.txt", "year": 2024,
            "entities": [{"id": "e1", "type": "City", "name": "襄阳市", "aliases": ["襄阳"]}],
            "relations": [],
            "observations": [{"entity": "e1", "indicator": "进出口总值", "partner": None, "product": None,
                              "value": 32050000000, "unit": "CNY", "growth": 8.2,
                              "period": "2024-01/2024-09", "evidence": ""}]}
    report = evaluate(read_graph(built[1]), [gold])
    assert (report.observations.tp, report.observations.n_pred) == (1, 1)


def test_network_files_show_the_growth_without_a_value(built):
    out = built[1].parent
    nodes = json.loads((out / "graph.json").read_text(encoding="utf-8"))["nodes"]
    rows = next(n["observations"] for n in nodes if n.get("label") == "襄阳市")
    korea = [r for r in rows if r.get("partner") == "韩国"]
    assert korea == [{"indicator": "进出口", "growth": 2.3, "partner": "韩国", "period": "2024年前三季度",
                      "period_start": "2024-01", "period_end": "2024-09"}]
    assert "韩国" in (out / "graph.html").read_text(encoding="utf-8")
