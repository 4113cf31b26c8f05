"""Other tools importing a build: what a researcher sees opening graph.json and graph.graphml
in the networkx kg installs, in igraph and in Gephi."""

import json
import re

import networkx as nx
import pytest

import kg

# the attribute types Gephi's GraphML importer knows (igraph and networkx read them too)
GEPHI_TYPES = {"boolean", "int", "long", "float", "double", "string"}

PAGE = """长沙外贸稳中有进

湖南日报{year}年11月20日讯 前10个月，长沙市进出口总值195.4亿元，同比增长6.1%。
"""


@pytest.fixture(scope="module")
def out(seeds_build, tmp_path_factory):
    folder = tmp_path_factory.mktemp("out")
    seeds_build.write(folder)
    return folder


def test_graph_json_loads_with_networkx_defaults(out, seeds_build):
    with open(out / "graph.json", encoding="utf-8") as fh:
        g = nx.node_link_graph(json.load(fh))  # exactly as the networkx documentation says
    assert g.is_directed() and g.is_multigraph()
    built = seeds_build.to_networkx()
    assert g.number_of_nodes() == built.number_of_nodes() > 50
    assert g.number_of_edges() == built.number_of_edges() > 50
    assert set(g.edges(keys=True)) == set(built.edges(keys=True))


def test_graph_json_node_data_is_for_programs(out):
    with open(out / "graph.json", encoding="utf-8") as fh:
        g = nx.node_link_graph(json.load(fh))
    with_aliases = [a for _, a in g.nodes(data=True) if "aliases" in a]
    assert with_aliases and all(isinstance(a["aliases"], list) for a in with_aliases)
    mentioned = [a for _, a in g.nodes(data=True) if a.get("articles")]
    assert mentioned and all(isinstance(a["mentioned_in"], list) and len(a["mentioned_in"]) == a["articles"]
                             for a in mentioned)
    assert all(iri in g.graph["sources"] for a in mentioned for iri in a["mentioned_in"])
    rows = [r for _, a in g.nodes(data=True) for r in a.get("observations", [])]
    # a figure has its value; a growth stated without a figure (对韩国进出口增长2.3%) its growth alone
    assert rows and all(isinstance(r, dict) and ("value" in r or "growth" in r) for r in rows)
    dated = [r for r in rows if "period_start" in r]
    assert dated and all(re.fullmatch(r"\d{4}-\d\d", r["period_start"]) for r in dated)


def test_a_period_keeps_its_year(tmp_path):
    """前10个月 of 2023 and of 2024: the same words, two periods a program can tell apart."""
    pages = tmp_path / "pages"
    pages.mkdir()
    for year in (2023, 2024):
        (pages / f"cs{year}.txt").write_text(PAGE.format(year=year), encoding="utf-8")
    result = kg.build([str(pages)])
    result.write(tmp_path / "out", formats=("ttl", "json"))
    with open(tmp_path / "out" / "graph.json", encoding="utf-8") as fh:
        g = nx.node_link_graph(json.load(fh))
    changsha = next(a for _, a in g.nodes(data=True) if a["label"] == "长沙市")
    rows = [r for r in changsha["observations"] if r["value"] == 19540000000]
    assert {r["period"] for r in rows} == {"前10个月"}
    assert sorted((r["period_start"], r["period_end"]) for r in rows) == [("2023-01", "2023-10"),
                                                                          ("2024-01", "2024-10")]


def test_graphml_loads_in_networkx(out):
    g = nx.read_graphml(out / "graph.graphml", force_multigraph=True, edge_key_type=str)
    assert g.number_of_nodes() > 50 and g.number_of_edges() > 50
    changsha = [a for _, a in g.nodes(data=True) if a.get("label") == "长沙市"]
    assert changsha and changsha[0]["class"] == "City"


def test_graphml_loads_in_igraph(out):
    igraph = pytest.importorskip("igraph")
    g = igraph.Graph.Read_GraphML(str(out / "graph.graphml"))
    expected = nx.read_graphml(out / "graph.graphml", force_multigraph=True, edge_key_type=str)
    assert g.is_directed()
    assert g.vcount() == expected.number_of_nodes() and g.ecount() == expected.number_of_edges()
    assert "长沙市" in g.vs["label"]
    assert set(g.es["predicate"]) >= {"partOf", "locatedIn"}


def test_graphml_uses_only_types_gephi_reads(out):
    text = (out / "graph.graphml").read_text(encoding="utf-8")
    types = set(re.findall(r'attr\.type="([^"]+)"', text))
    assert types and types <= GEPHI_TYPES
