"""The scorer on hand-made graphs and gold: matching rules of GOLD.md."""

import json

import pytest
from rdflib import Graph, Literal

from kg.evaluate import GoldError, evaluate, load_gold
from kg.vocab import KG, KGR, PROV, RDF, RDFS, SKOS, XSD

GOLD = {
    "file": "a.txt", "year": 2023,
    "entities": [
        {"id": "e1", "type": "City", "name": "衡阳市", "aliases": ["衡阳"]},
        {"id": "e2", "type": "Country", "name": "俄罗斯", "aliases": []},
        {"id": "e3", "type": "Province", "name": "湖南省", "aliases": ["湖南"]},
    ],
    "relations": [{"s": "e1", "p": "tradesWith", "o": "e2", "evidence": "x"},
                  {"s": "e1", "p": "partOf", "o": "e3", "evidence": None}],
    "observations": [{"entity": "e1", "indicator": "进出口总值", "partner": None, "product": None,
                      "value": 39760000000, "unit": "CNY", "growth": 13.9, "period": "2023-01/2023-10"}],
}


def _graph(value=39760000000, city_type=KG.City, extra=False, other_file=False):
    g = Graph()
    art = KGR["article/a-1"]
    g.add((art, RDF.type, KG.Article))
    g.add((art, KG.sourceFile, Literal("b.txt" if other_file else "a.txt")))
    city, ru, hn = KGR["region/430400"], KGR["country/RU"], KGR["region/430000"]
    for node, cls, label in ((city, city_type, "衡阳"), (ru, KG.Country, "俄罗斯"), (hn, KG.Province, "湖南省")):
        g.add((node, RDF.type, cls))
        g.add((node, RDFS.label, Literal(label, lang="zh")))
        g.add((node, KG.mentionedIn, art))
    if extra:
        x = KGR["country/US"]
        g.add((x, RDF.type, KG.Country))
        g.add((x, RDFS.label, Literal("美国", lang="zh")))
        g.add((x, KG.mentionedIn, art))
    for n, (s, p, o, src) in enumerate(((city, KG.exportsTo, ru, art), (city, KG.partOf, hn, KGR["source/gb2260"]))):
        st = KGR[f"statement/{n}"]
        g.add((st, RDF.type, RDF.Statement))
        g.add((st, RDF.subject, s))
        g.add((st, RDF.predicate, p))
        g.add((st, RDF.object, o))
        g.add((st, PROV.wasDerivedFrom, src))
    ob = KGR["observation/1"]
    g.add((ob, RDF.type, KG.Observation))
    g.add((ob, KG.observedEntity, city))
    g.add((ob, KG.value, Literal(value, datatype=XSD.decimal)))
    g.add((ob, KG.unit, Literal("CNY")))
    g.add((ob, KG.growthRate, Literal(13.9, datatype=XSD.decimal)))
    g.add((ob, KG.periodStart, Literal("2023-01", datatype=XSD.gYearMonth)))
    g.add((ob, KG.periodEnd, Literal("2023-10", datatype=XSD.gYearMonth)))
    g.add((ob, PROV.wasDerivedFrom, art))
    return g


def test_perfect_match_via_alias_and_trade_family():
    r = evaluate(_graph(), [GOLD])
    assert r.entities["ALL"].f1 == 1.0
    assert r.relations["trade"].f1 == 1.0 and r.relations["partOf"].f1 == 1.0
    assert r.observations.f1 == 1.0
    assert r.accuracy("growth") == 1.0 and r.accuracy("period") == 1.0


def test_wrong_type_extra_entity_and_other_file():
    assert evaluate(_graph(city_type=KG.County), [GOLD]).entities["City"].r == 0.0
    extra = evaluate(_graph(extra=True), [GOLD]).entities["Country"]
    assert extra.p == 0.5 and extra.r == 1.0
    assert evaluate(_graph(other_file=True), [GOLD]).entities["ALL"].tp == 0


def test_observation_value_tolerance():
    assert evaluate(_graph(value=39760000000 * 1.004), [GOLD]).observations.tp == 1
    assert evaluate(_graph(value=39760000000 * 1.01), [GOLD]).observations.tp == 0


def test_format_table_and_dict():
    r = evaluate(_graph(), [GOLD])
    assert "City" in r.format_table() and "product-trade" in r.format_table()
    assert r.to_dict()["observations"]["f1"] == 1.0


def test_malformed_gold_is_a_clear_error(tmp_path):
    (tmp_path / "x.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(GoldError, match="x.json: not valid JSON"):
        load_gold(tmp_path)
    (tmp_path / "x.json").write_text(json.dumps({"file": "a.txt"}), encoding="utf-8")
    with pytest.raises(GoldError, match="missing key"):
        load_gold(tmp_path)


def test_real_gold_against_empty_graph(root):
    gold = load_gold(root / "tests" / "data" / "gold")
    r = evaluate(Graph(), gold)
    assert r.entities["ALL"].n_gold == sum(len(g["entities"]) for g in gold)
    assert r.entities["ALL"].r == 0.0 and r.observations.n_gold == sum(len(g["observations"]) for g in gold)
