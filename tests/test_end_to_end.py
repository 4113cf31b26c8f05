"""The seeds build end to end: committed output/ is current, Turtle parses in two engines."""

import filecmp
import json

import networkx as nx
import pytest
import rdflib

from kg.vocab import KG, RDF


def test_output_folder_is_current(root, tmp_path, seeds_build):
    seeds_build.write(tmp_path)
    for name in ("graph.ttl", "graph.html", "graph.graphml", "graph.json"):
        assert filecmp.cmp(tmp_path / name, root / "output" / name, shallow=False), (
            f"output/{name} is stale: run `kg build seeds/ --out output/`")


def test_build_is_deterministic(root, tmp_path):
    import kg

    a = kg.build([str(root / "seeds")])
    a.write(tmp_path / "a")
    b = kg.build([str(root / "seeds")])
    b.write(tmp_path / "b")
    for name in ("graph.ttl", "graph.html", "graph.graphml", "graph.json"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


def test_turtle_parses_in_rdflib_and_oxigraph(root):
    data = (root / "output" / "graph.ttl").read_bytes()
    g = rdflib.Graph().parse(data=data, format="turtle")
    assert len(g) > 1000
    pyoxigraph = pytest.importorskip("pyoxigraph")
    store = pyoxigraph.Store()
    store.load(data, pyoxigraph.RdfFormat.TURTLE)
    assert len(store) == len(g)


def test_seed_graph_shape(seeds_build):
    g = seeds_build.graph
    articles = set(g.subjects(RDF.type, KG.Article))
    assert len(articles) >= 20
    for st in g.subjects(RDF.type, RDF.Statement):
        assert g.value(st, KG.confidence) is not None
        assert g.value(st, rdflib.URIRef("http://www.w3.org/ns/prov#wasDerivedFrom")) is not None
    hengyang = rdflib.URIRef("https://w3id.org/zhkg/resource/region/430400")
    assert (hengyang, RDF.type, KG.City) in g
    assert str(g.value(hengyang, KG.adcode)) == "430400"
    values = {float(v) for v in g.objects(None, KG.value)}
    assert 39760000000 in values


def test_networkx_object_and_files(root, seeds_build):
    nxg = seeds_build.to_networkx()
    assert isinstance(nxg, nx.MultiDiGraph) and nxg.number_of_nodes() > 100
    node = nxg.nodes["https://w3id.org/zhkg/resource/region/430400"]
    assert node["label"] == "衡阳市" and node["class"] == "City"
    data = json.loads((root / "output" / "graph.json").read_text(encoding="utf-8"))
    assert len(data["nodes"]) == nxg.number_of_nodes()
    g2 = nx.read_graphml(root / "output" / "graph.graphml")
    assert g2.number_of_nodes() == nxg.number_of_nodes()


def test_html_is_offline(root):
    html = (root / "output" / "graph.html").read_text(encoding="utf-8")
    import re

    assert not re.search(r"""<(script|link)[^>]+(src|href)=["']https?://""", html)
    assert "衡阳市" in html


def test_same_output_in_another_order_and_hash_seed(root, tmp_path):
    import os
    import subprocess
    import sys

    files = sorted(str(p) for p in (root / "seeds").glob("*.txt"))[::-1]
    for seed in ("1", "2"):
        env = dict(os.environ, PYTHONHASHSEED=seed)
        subprocess.run([sys.executable, "-m", "kg", "build", *files, "--out", str(tmp_path / seed), "-q"],
                       check=True, env=env)
    for name in ("graph.ttl", "graph.html", "graph.graphml", "graph.json"):
        expected = (root / "output" / name).read_bytes()
        assert (tmp_path / "1" / name).read_bytes() == expected
        assert (tmp_path / "2" / name).read_bytes() == expected
