"""The Python API a researcher uses after a build: kg.load(OUT) and its query, to_dataframe
and to_networkx, as kglab users expect them."""

import builtins
import json
from decimal import Decimal

import networkx as nx
import pytest

import kg
from kg.sparql.graphfile import GraphError
from kg.sparql.results import QueryError

CITIES = "SELECT ?name WHERE { ?c a kg:City ; rdfs:label ?name } ORDER BY ?name"


@pytest.fixture(scope="module")
def out(seeds_build, tmp_path_factory):
    folder = tmp_path_factory.mktemp("out")
    seeds_build.write(folder)
    return folder


def test_load_and_query_rows(out):
    g = kg.load(out)
    rows = g.query(CITIES)
    assert {"name": "长沙市"} in rows and all(isinstance(r["name"], str) for r in rows)
    assert rows == sorted(rows, key=lambda r: r["name"])
    assert g.query("ASK { ?c rdfs:label \"衡阳市\"@zh }") == [{"boolean": True}]
    assert str(out / "graph.ttl") in repr(g)


def test_ready_queries_with_parameters(out):
    g = kg.load(out)
    rows = g.query("partners-by-growth", place="长沙")
    assert rows and all("长沙" in r["place"] for r in rows)
    assert isinstance(rows[0]["value"], Decimal)
    with pytest.raises(QueryError, match="no parameter 'town'"):
        g.query("partners-by-growth", town="长沙")


def test_the_ontology_answers_too(out):
    rows = kg.load(out).query("SELECT ?c WHERE { ?c rdfs:subClassOf kg:Region }")
    assert len(rows) == 3


def test_to_dataframe(out):
    pd = pytest.importorskip("pandas")
    df = kg.load(out).to_dataframe("trade-partners", place="衡阳")
    assert isinstance(df, pd.DataFrame)
    assert list(df.columns)[:3] == ["place", "partner", "partnerType"]
    assert len(df) > 0 and set(df["place"]) == {"衡阳市"}
    assert df["value"].dropna().map(type).eq(float).all()  # numbers a DataFrame can sum


def test_to_dataframe_without_pandas_says_what_to_install(out, monkeypatch):
    real_import = builtins.__import__

    def no_pandas(name, *args, **kwargs):
        if name == "pandas":
            raise ImportError("No module named 'pandas'")
        return real_import(name, *args, **kwargs)

    g = kg.load(out)
    monkeypatch.setattr(builtins, "__import__", no_pandas)
    with pytest.raises(ImportError, match=r"pip install 'kg\[pandas\]'"):
        g.to_dataframe(CITIES)


def test_to_networkx_is_graph_json(out, seeds_build):
    g = kg.load(out).to_networkx()
    assert isinstance(g, nx.MultiDiGraph)
    with open(out / "graph.json", encoding="utf-8") as fh:
        assert nx.utils.graphs_equal(g, nx.node_link_graph(json.load(fh)))
    assert set(g.edges(keys=True)) == set(seeds_build.to_networkx().edges(keys=True))


def test_to_networkx_without_graph_json(out, tmp_path):
    (tmp_path / "graph.ttl").write_bytes((out / "graph.ttl").read_bytes())
    made = kg.load(tmp_path).to_networkx()
    with open(out / "graph.json", encoding="utf-8") as fh:
        written = nx.node_link_graph(json.load(fh))
    assert nx.utils.graphs_equal(made, written)


def test_a_folder_without_a_graph_is_one_line(tmp_path):
    with pytest.raises(GraphError) as err:
        kg.load(tmp_path)
    assert "no graph.ttl or graph.nt" in str(err.value) and "\n" not in str(err.value)
