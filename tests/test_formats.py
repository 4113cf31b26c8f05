"""Every RDF format kg writes parses back, in rdflib and Oxigraph (and Turtle in raptor's rapper)."""

import shutil
import subprocess

import pytest
import rdflib


@pytest.fixture(scope="module")
def written(tmp_path_factory, seeds_build):
    out = tmp_path_factory.mktemp("formats")
    seeds_build.write(out, formats=("ttl", "trig", "nt", "jsonld"))
    return out, len(seeds_build.graph)


@pytest.mark.parametrize("name,fmt", [("graph.ttl", "turtle"), ("graph.nt", "nt"), ("graph.jsonld", "json-ld")])
def test_rdflib_reads_back_every_triple(written, name, fmt):
    out, n = written
    assert len(rdflib.Graph().parse(out / name, format=fmt)) == n


def test_trig_has_one_named_graph_per_article(written, seeds_build):
    out, n = written
    ds = rdflib.Dataset()
    ds.parse(out / "graph.trig", format="trig")
    names = {str(g.identifier) for g in ds.graphs() if "/article/" in str(g.identifier)}
    assert len(names) == len(seeds_build.articles)
    union = {t for g in ds.graphs() for t in g}
    assert len(union) == n


@pytest.mark.parametrize("name,fmt", [("graph.ttl", "TURTLE"), ("graph.nt", "N_TRIPLES"), ("graph.trig", "TRIG"),
                                      ("graph.jsonld", "JSON_LD")])
def test_oxigraph_reads_every_format(written, name, fmt):
    pyoxigraph = pytest.importorskip("pyoxigraph")
    out, n = written
    if not hasattr(pyoxigraph.RdfFormat, fmt):
        pytest.skip(f"this pyoxigraph has no {fmt} parser")
    store = pyoxigraph.Store()
    store.load(path=str(out / name), format=getattr(pyoxigraph.RdfFormat, fmt))
    assert len({(q.subject, q.predicate, q.object) for q in store}) == n


@pytest.mark.skipif(shutil.which("rapper") is None, reason="raptor2-utils (rapper) not installed")
def test_rapper_parses_the_turtle(written):
    out, n = written
    proc = subprocess.run(["rapper", "-i", "turtle", "-c", str(out / "graph.ttl")], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert f"returned {n} triples" in proc.stderr


def test_unknown_format_is_refused(tmp_path, root):
    from kg.cli import main

    assert main(["build", str(root / "seeds" / "000_ab0ef6abe0b58fe4.txt"), "--out", str(tmp_path), "--format", "ttl,xml"]) == 2
