"""Export: rdflib Graph → networkx, GraphML, node-link JSON and an offline HTML page."""

import json
import re
from decimal import Decimal

import networkx as nx
import pytest
from rdflib import Graph, Literal, URIRef

from kg.write.graphml import write_graphml
from kg.write.html import write_html
from kg.write.nodelink import write_json
from kg.write.projection import to_networkx
from kg.vocab import KG, KGR, PROV, RDF, RDFS, SKOS

NETWORK_WRITERS = {"graphml": write_graphml, "json": write_json, "html": write_html}

CITY = KGR["region/430400"]
COUNTY = KGR["region/430482"]
FIRM = KGR["enterprise/%E5%8D%8E%E8%8F%B1%E8%A1%A1%E9%92%A2"]
ARTICLE = KGR["article/000_ab0ef6abe0b58fe4-1"]
OBS = KGR["observation/0001"]
EVIDENCE = "常宁市位于衡阳市南部。"
XSD_DATE = URIRef("http://www.w3.org/2001/XMLSchema#date")


def dec(x):
    return Literal(Decimal(str(x)))  # typed xsd:decimal by rdflib


@pytest.fixture
def graph():
    g = Graph()
    g.add((ARTICLE, RDF.type, KG.Article))
    g.add((ARTICLE, KG.title, Literal("衡阳外贸增长", lang="zh")))
    g.add((ARTICLE, KG.sourceFile, Literal("000_ab0ef6abe0b58fe4.txt")))
    g.add((ARTICLE, KG.date, Literal("2023-11-15", datatype=XSD_DATE)))

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
    back = nx.node_link_graph(data)  # the installed networkx's defaults, as a user calls it
    assert back.is_multigraph() and back.is_directed()
    assert sorted(back.nodes) == sorted(g.nodes)
    city = back.nodes[str(CITY)]
    assert city["aliases"] == ["衡阳", "雁城"] and city["mentioned_in"] == [str(ARTICLE)]  # lists, not text
    assert city["observations"][0]["value"] == 39760000000  # objects, not a JSON string
    assert {k: v for k, v in city.items() if k not in ("aliases", "mentioned_in", "observations")} == \
        {k: v for k, v in g.nodes[str(CITY)].items() if k not in ("aliases", "mentioned_in", "observations")}
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
    for fmt, writer in NETWORK_WRITERS.items():
        a, b = tmp_path / f"a.{fmt}", tmp_path / f"b.{fmt}"
        writer(to_networkx(graph), a)
        writer(to_networkx(graph), b)
        assert a.read_bytes() == b.read_bytes(), fmt


def test_graph_order_does_not_matter(graph, tmp_path):
    """The same triples added in another order give the same files."""
    other = Graph()
    for t in sorted(graph, key=lambda t: tuple(str(x) for x in t), reverse=True):
        other.add(t)
    for fmt, writer in NETWORK_WRITERS.items():
        a, b = tmp_path / f"a.{fmt}", tmp_path / f"b.{fmt}"
        writer(to_networkx(graph), a)
        writer(to_networkx(other), b)
        assert a.read_bytes() == b.read_bytes(), fmt


# --------------------------------------------------------------------------- the HTML page's contents

def page_data(path) -> dict:
    """The JSON the page hands to vis-network (nodes, edges, search list, options)."""
    text = path.read_text(encoding="utf-8")
    start = text.index("\n  var data = ") + len("\n  var data = ")
    return json.JSONDecoder().raw_decode(text[start:])[0]


def test_articles_and_sources_in_networkx(graph):
    g = to_networkx(graph)
    assert g.nodes[str(CITY)]["mentioned_in"] == str(ARTICLE)
    assert g.graph["sources"][str(ARTICLE)] == {"title": "衡阳外贸增长", "date": "2023-11-15",
                                                "source_file": "000_ab0ef6abe0b58fe4.txt"}


def test_graphml_keeps_the_sources_table(graph, tmp_path):
    path = tmp_path / "graph.graphml"
    write_graphml(to_networkx(graph), path)
    back = nx.read_graphml(path, force_multigraph=True, edge_key_type=str)
    assert json.loads(back.graph["sources"])[str(ARTICLE)]["title"] == "衡阳外贸增长"
    # and a page can be made from what GraphML gives back
    write_html(back, tmp_path / "back.html")
    assert "衡阳外贸增长" in (tmp_path / "back.html").read_text(encoding="utf-8")


def test_evidence_comes_with_its_own_source(graph):
    """Two statements of one fact: the sentence sorted first is shown with the article it was read from."""
    other = KGR["article/001_ffff-1"]
    graph.add((other, RDF.type, KG.Article))
    graph.add((other, KG.title, Literal("另一篇", lang="zh")))
    st = KGR["statement/dddd"]
    graph.add((st, RDF.type, RDF.Statement))
    graph.add((st, RDF.subject, FIRM))
    graph.add((st, RDF.predicate, KG.locatedIn))
    graph.add((st, RDF.object, CITY))
    graph.add((st, PROV.wasDerivedFrom, other))
    graph.add((st, KG.evidence, Literal("一华菱衡钢地处衡阳市。", lang="zh")))  # sorts before the other sentence
    located = to_networkx(graph).get_edge_data(str(FIRM), str(CITY), key="locatedIn")
    assert located["evidence"] == "一华菱衡钢地处衡阳市。" and located["article"] == str(other)
    assert located["n_statements"] == 2


def test_html_tooltips(graph, tmp_path):
    path = tmp_path / "graph.html"
    write_html(to_networkx(graph), path)
    data = page_data(path)
    city = next(n for n in data["nodes"] if n["id"] == str(CITY))
    for text in ("衡阳市", "City", "市/州", "衡阳；雁城", "430400", "《衡阳外贸增长》", "2023-11-15", "397.6亿元", "+13.9%"):
        assert text in city["title"], text
    part = next(e for e in data["edges"] if e["pred"] == "partOf")
    for text in ("隶属", "partOf", EVIDENCE, "《衡阳外贸增长》", "2023-11-15", "常宁市", "衡阳市"):
        assert text in part["title"], text
    assert part["label"] == "隶属" and part["from"] == str(COUNTY) and part["to"] == str(CITY)
    assert "<script" not in json.dumps(data)  # labels and titles are escaped


def test_html_observations_are_hidden_nodes(graph, tmp_path):
    path = tmp_path / "graph.html"
    write_html(to_networkx(graph), path)
    data = page_data(path)
    obs = [n for n in data["nodes"] if n.get("of")]
    assert len(obs) == 1 and obs[0]["of"] == str(CITY) and obs[0]["hidden"] is True
    assert obs[0]["physics"] is False and "397.6亿元" in obs[0]["label"]
    links = [e for e in data["edges"] if e.get("obs")]
    assert [(e["from"], e["to"], e["hidden"]) for e in links] == [(str(CITY), obs[0]["id"], True)]
    page = path.read_text(encoding="utf-8")
    assert 'id="observations"' in page and "观测节点 (1)" in page


def test_html_controls(graph, tmp_path):
    path = tmp_path / "graph.html"
    write_html(to_networkx(graph), path)
    page = path.read_text(encoding="utf-8")
    for cls in ("City", "County", "Enterprise"):
        assert f'class="chip lg" data-cls="{cls}"' in page
    assert 'data-cls="Product"' not in page  # only classes the page shows
    for pred in ("partOf", "locatedIn"):
        assert f'class="chip rel" data-pred="{pred}"' in page
    assert 'data-pred="exports"' not in page
    assert 'id="physics"' in page and 'id="find"' in page
    for handle in ("window.kgNetwork", "window.kgNodes", "window.kgEdges", "window.kgFind", "window.kgReady"):
        assert handle in page
    data = page_data(path)
    assert ["衡阳", str(CITY)] in data["search"] and ["雁城", str(CITY)] in data["search"]
    assert data["search"][0] == ["衡阳市", str(CITY)]  # most connected first
    assert data["options"]["layout"]["randomSeed"] == 7
    assert data["options"]["physics"]["stabilization"]["iterations"] <= 400
    sizes = {n["id"]: n["size"] for n in data["nodes"] if not n.get("of")}
    assert sizes[str(CITY)] > sizes[str(FIRM)]  # size by degree
    assert 'id="omitted"' not in page


def test_html_max_nodes(graph, tmp_path):
    path = tmp_path / "graph.html"
    write_html(to_networkx(graph), path, max_nodes=2)
    data = page_data(path)
    # 衡阳市 (degree 2) first, then the tie between 常宁市 and 华菱衡钢 (degree 1) goes to the smaller IRI
    kept = sorted(n["id"] for n in data["nodes"] if not n.get("of"))
    assert kept == sorted([str(CITY), min(str(COUNTY), str(FIRM))])
    assert len([e for e in data["edges"] if not e.get("obs")]) == 1
    page = path.read_text(encoding="utf-8")
    assert 'data-nodes="1" data-edges="1"' in page
    assert "仅显示连接最多的 2 个节点（共 3 个）；省略 1 个节点、1 条关系" in page
    write_html(to_networkx(graph), tmp_path / "all.html", max_nodes=3)
    assert 'id="omitted"' not in (tmp_path / "all.html").read_text(encoding="utf-8")
    with pytest.raises(ValueError):
        write_html(to_networkx(graph), tmp_path / "none.html", max_nodes=0)


def test_html_max_nodes_is_deterministic(graph, tmp_path):
    a, b = tmp_path / "a.html", tmp_path / "b.html"
    write_html(to_networkx(graph), a, max_nodes=2)
    write_html(to_networkx(graph), b, max_nodes=2)
    assert a.read_bytes() == b.read_bytes()


def test_html_big_graph_options(tmp_path):
    g = nx.MultiDiGraph()
    for i in range(1600):
        g.add_node(f"urn:n:{i:04d}", label=f"点{i}", iri=f"urn:n:{i:04d}", **{"class": "City"})
    for i in range(1, 1600):
        g.add_edge(f"urn:n:{i:04d}", f"urn:n:{i // 2:04d}", key="partOf", predicate="partOf")
    path = tmp_path / "big.html"
    write_html(g, path)
    data = page_data(path)
    assert data["options"]["physics"]["stabilization"]["iterations"] <= 100
    assert data["options"]["layout"]["improvedLayout"] is False
    assert all("label" not in e for e in data["edges"])  # no edge labels on a big page
    assert data["options"]["interaction"]["hideEdgesOnZoom"] is True
