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


def test_turtle_of_an_rdflib_graph_is_the_streamed_turtle(written, seeds_build):
    """One Turtle writer: graph.ttl streamed from the shards and the Turtle of the graph in memory are the same bytes."""
    from kg.write.graph import turtle

    out, _ = written
    assert turtle(seeds_build.graph) == (out / "graph.ttl").read_bytes()


def test_unknown_formats_are_named_before_anything_is_written(tmp_path, seeds_build):
    from kg.write.formats import NAMES, FormatError, check

    with pytest.raises(FormatError) as err:
        check(["ttl", "xml", "rdfxml"])
    message = str(err.value)
    assert "'xml'" in message and "'rdfxml'" in message and all(name in message for name in NAMES)
    with pytest.raises(ValueError, match="unknown output format 'xml'"):
        seeds_build.write(tmp_path / "out", formats=("ttl", "html", "xml"))
    assert not list((tmp_path / "out").glob("graph.*"))


def test_every_registered_format_is_written_to_its_file(tmp_path, seeds_build):
    from kg.write.formats import NAMES, RDF_NAMES, REGISTRY

    assert RDF_NAMES == ("ttl", "trig", "nt", "jsonld")  # what `kg build --format` offers
    written = seeds_build.write(tmp_path, formats=NAMES)
    assert [p.name for p in written] == [REGISTRY[name].file for name in NAMES]
    assert all(p.stat().st_size > 0 for p in written)


def test_the_page_template_ships_in_the_wheel(root):
    """The HTML page's template files are package data, so an installed (not editable) kg finds them."""
    import tomllib
    from fnmatch import fnmatch

    globs = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]["package-data"]
    folder = root / "src" / "kg" / "write"
    templates = [p.relative_to(folder).as_posix() for p in (folder / "templates").iterdir()]
    assert templates and all(any(fnmatch(t, g) for g in globs.get("kg.write", [])) for t in templates)
