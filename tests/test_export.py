"""Export: rdflib Graph → networkx, GraphML, node-link JSON and an offline HTML page."""

import json
import re
from decimal import Decimal

import networkx as nx
import pytest
from rdflib import Graph, Literal

from kg.export import WRITERS, to_networkx, write_graphml, write_html, write_json
from kg.vocab import KG, KGR, PROV, RDF, RDFS, SKOS

CITY = KGR["region/430400"]
COUNTY = KGR["region/430482"]
FIRM = KGR["enterprise/%E5%8D%8E%E8%8F%B1%E8%A1%A1%E9%92%A2"]
ARTICLE = KGR["article/000_ab0ef6abe0b58fe4-1"]
OBS = KGR["observation/0001"]
EVIDENCE = "常宁市位于衡阳市南部。"


def dec(x):
    return Literal(Decimal(str(x)))  # typed xsd:decimal by rdflib


@pytest.fixture
def graph():
    g = Graph()
    g.add((ARTICLE, RDF.type, KG.Article))
    g.add((ARTICLE, KG.title, Literal("衡阳外贸增长", lang="zh")))
    g.add((ARTICLE, KG.sourceFile, Literal("000_ab0ef6abe0b58fe4.txt")))

    g.add((CITY, RDF.type, KG.City))
    g.add((CITY, RDFS.label, Literal("衡阳市", lang="zh")))
    g.add((CITY, SKOS.altLabel, Literal("衡阳", lang="zh")))
    g.add((CITY, SKOS.altLabel, Literal("雁城", lang="zh")))
    g.add((CITY, KG.adcode, Literal("430400")))
    g.add((CITY, KG.mentionedIn, ARTICLE))

    g.add((COUNTY, RDF.type, KG.County))
    g.add((COUNTY, RDFS.label, Literal("常宁市", lang="zh")))
    g.add((COUNTY, KG.adcode, Literal("430482")))
    g.add((COUNTY, KG.mentionedIn, ARTICLE))
    g.add((COUNTY, KG.partOf, CITY))
    st = KGR["statement/aaaa"]
    g.add((st, RDF.type, RDF.Statement))
    g.add((st, RDF.subject, COUNTY))
    g.add((st, RDF.predicate, KG.partOf))
    g.add((st, RDF.object, CITY))
    g.add((st, PROV.wasDerivedFrom, ARTICLE))
    g.add((st, KG.evidence, Literal(EVIDENCE, lang="zh")))
    g.add((st, KG.confidence, dec("0.9")))
    table = KGR["statement/bbbb"]  # the same fact from the administrative table, without a sentence
    g.add((table, RDF.type, RDF.Statement))
    g.add((table, RDF.subject, COUNTY))
    g.add((table, RDF.predicate, KG.partOf))
    g.add((table, RDF.object, CITY))
    g.add((table, PROV.wasDerivedFrom, KGR["source/gb2260"]))
    g.add((table, KG.confidence, dec("1")))

    g.add((FIRM, RDF.type, KG.Enterprise))
    g.add((FIRM, RDFS.label, Literal("华菱衡钢", lang="zh")))
    g.add((FIRM, KG.mentionedIn, ARTICLE))
    g.add((FIRM, KG.locatedIn, CITY))
    st2 = KGR["statement/cccc"]
    g.add((st2, RDF.type, RDF.Statement))
    g.add((st2, RDF.subject, FIRM))
    g.add((st2, RDF.predicate, KG.locatedIn))
    g.add((st2, RDF.object, CITY))
    g.add((st2, PROV.wasDerivedFrom, ARTICLE))
    g.add((st2, KG.evidence, Literal("华菱衡钢是衡阳市的龙头企业。", lang="zh")))
    g.add((st2, KG.confidence, dec("0.8")))

    g.add((OBS, RDF.type, KG.Observation))
    g.add((OBS, KG.observedEntity, CITY))
    g.add((OBS, KG.indicator, Literal("进出口总值", lang="zh")))
    g.add((OBS, KG.value, dec("39760000000")))
    g.add((OBS, KG.unit, Literal("CNY")))
    g.add((OBS, KG.growthRate, dec("13.9")))
    g.add((OBS, KG.periodLabel, Literal("1至10月", lang="zh")))
    g.add((OBS, PROV.wasDerivedFrom, ARTICLE))
    g.add((OBS, KG.evidence, Literal("1至10月，衡阳市进出口总值397.6亿元，增长13.9%。", lang="zh")))
    return g


def test_nodes_and_attributes(graph):
    g = to_networkx(graph)
    assert isinstance(g, nx.MultiDiGraph)
    assert sorted(g.nodes) == sorted(str(x) for x in (CITY, COUNTY, FIRM))  # no article, no observation
    city = g.nodes[str(CITY)]
    assert city["label"] == "衡阳市" and city["class"] == "City" and city["iri"] == str(CITY)
    assert city["aliases"] == "衡阳；雁城"
    assert city["adcode"] == "430400" and city["articles"] == 1
    assert "iso_code" not in city
    assert "aliases" not in g.nodes[str(FIRM)] and "observations" not in g.nodes[str(FIRM)]
    assert all(v is not None for _, attrs in g.nodes(data=True) for v in attrs.values())


def test_observations_are_an_attribute(graph):
    city = to_networkx(graph).nodes[str(CITY)]
    assert city["n_observations"] == 1
    rows = json.loads(city["observations"])
    assert rows == [{"indicator": "进出口总值", "value": 39760000000, "unit": "CNY", "growth": 13.9,
                     "period": "1至10月"}]


def test_edges(graph):
    g = to_networkx(graph)
    assert g.number_of_edges() == 2
    part = g.get_edge_data(str(COUNTY), str(CITY), key="partOf")
    assert part["predicate"] == "partOf"
    assert part["evidence"] == EVIDENCE  # the table statement has none, so the sentence is kept
    assert part["article"] == str(ARTICLE)  # sorted first among the article and the gb2260 source
    assert part["confidence"] == 1.0 and isinstance(part["confidence"], float)
    located = g.get_edge_data(str(FIRM), str(CITY), key="locatedIn")
    assert located["confidence"] == pytest.approx(0.8)
    assert not any(k == "mentionedIn" for _, _, k in g.edges(keys=True))


def test_with_articles(graph):
    g = to_networkx(graph, with_articles=True)
    art = g.nodes[str(ARTICLE)]
    assert art["class"] == "Article" and art["label"] == "衡阳外贸增长"
    assert g.number_of_nodes() == 4
    mentions = [(s, o) for s, o, k in g.edges(keys=True) if k == "mentionedIn"]
    assert len(mentions) == 3 and all(o == str(ARTICLE) for _, o in mentions)


def test_graphml_round_trip(graph, tmp_path):
    g = to_networkx(graph)
    path = tmp_path / "graph.graphml"
    write_graphml(g, path)
    back = nx.read_graphml(path, force_multigraph=True, edge_key_type=str)
    assert back.is_directed() and back.is_multigraph()
    assert back.number_of_nodes() == 3 and back.number_of_edges() == 2
    assert back.nodes[str(CITY)]["label"] == "衡阳市"
    assert json.loads(back.nodes[str(CITY)]["observations"])[0]["value"] == 39760000000
    assert back.get_edge_data(str(COUNTY), str(CITY), key="partOf")["evidence"] == EVIDENCE
    assert nx.read_graphml(path).number_of_edges() == 2  # plain read works too (a DiGraph, keys as "id")


def test_json_round_trip(graph, tmp_path):
    g = to_networkx(graph)
    path = tmp_path / "graph.json"
    write_json(g, path)
    data = json.loads(path.read_text(encoding="utf-8"))
    assert "衡阳市" in path.read_text(encoding="utf-8")  # not \\u-escaped
    back = nx.node_link_graph(data, edges="links")
    assert back.is_multigraph() and back.is_directed()
    assert sorted(back.nodes) == sorted(g.nodes)
    assert back.nodes[str(CITY)] == g.nodes[str(CITY)]
    assert back.get_edge_data(str(FIRM), str(CITY), key="locatedIn") == g.get_edge_data(str(FIRM), str(CITY), key="locatedIn")


def test_html_is_offline_and_complete(graph, tmp_path):
    path = tmp_path / "graph.html"
    write_html(to_networkx(graph), path, title="衡阳 <test>")
    page = path.read_text(encoding="utf-8")
    assert not re.search(r"""(src|href)\s*=\s*["']?\s*(https?:)?//""", page, re.I)
    assert not re.search(r"""<(script|link)[^>]+(src|href)=""", page, re.I)  # nothing fetched at all
    assert "new vis.Network" in page and "vis-network" in page  # the library itself is inline
    for label in ("衡阳市", "常宁市", "华菱衡钢"):
        assert label in page
    assert "randomSeed" in page and "<title>衡阳 &lt;test&gt;</title>" in page
    assert "397.6亿元" in page  # observations table in the tooltip
    assert EVIDENCE in page  # edge tooltip
    assert page.count("</script") == 2  # the two script elements; no data text closes one early


def test_writes_are_byte_identical(graph, tmp_path):
    for fmt, writer in WRITERS.items():
        a, b = tmp_path / f"a.{fmt}", tmp_path / f"b.{fmt}"
        writer(to_networkx(graph), a)
        writer(to_networkx(graph), b)
        assert a.read_bytes() == b.read_bytes(), fmt


def test_graph_order_does_not_matter(graph, tmp_path):
    """The same triples added in another order give the same files."""
    other = Graph()
    for t in sorted(graph, key=lambda t: tuple(str(x) for x in t), reverse=True):
        other.add(t)
    for fmt, writer in WRITERS.items():
        a, b = tmp_path / f"a.{fmt}", tmp_path / f"b.{fmt}"
        writer(to_networkx(graph), a)
        writer(to_networkx(other), b)
        assert a.read_bytes() == b.read_bytes(), fmt
