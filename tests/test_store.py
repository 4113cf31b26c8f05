"""`kg load` → an on-disk Oxigraph store → `kg query --store` and `kg serve --store`."""

import json
import shutil
import urllib.parse
import urllib.request

import pytest
import rdflib

from kg.cli import main

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
CITIES = "SELECT ?city ?name WHERE { ?city a kg:City ; rdfs:label ?name } ORDER BY ?city ?name"


@pytest.fixture(scope="module")
def built(root, tmp_path_factory):
    out = tmp_path_factory.mktemp("out")
    assert main(["build", str(root / "seeds"), "--out", str(out), "--format", "ttl,nt", "-q"]) == 0
    assert (out / "graph.nt").is_file() and (out / "graph.ttl").is_file()
    return out


def query(capsys, *args):
    """(exit code, sorted JSON result rows, stderr) of `kg query ... --format json`."""
    capsys.readouterr()
    rc = main(["query", *args, "--format", "json"])
    captured = capsys.readouterr()
    rows = []
    if rc == 0:
        bindings = json.loads(captured.out)["results"]["bindings"]
        rows = sorted(json.dumps(b, sort_keys=True, ensure_ascii=False) for b in bindings)
    return rc, rows, captured.err


def count(capsys, *args) -> int:
    rc, rows, err = query(capsys, *args, COUNT)
    assert rc == 0, err
    return int(json.loads(rows[0])["n"]["value"])


def load(out, store, *extra) -> int:
    return main(["load", str(out), "--store", str(store), *extra])


def one_line_error(err: str) -> bool:
    return err.startswith("kg: error: ") and err.count("\n") == 1 and "Traceback" not in err


def leftovers(store):
    """Temporary or old copies a load left beside the store."""
    return sorted(p.name for p in store.parent.iterdir() if p.name.startswith(store.name + "."))


def test_store_answers_like_the_graph_file(built, tmp_path, capsys):
    store = tmp_path / "store"
    assert load(built, store) == 0
    summary = capsys.readouterr().out
    triples = count(capsys, str(built / "graph.ttl"))
    assert f"loaded {triples:,} triples from graph.nt" in summary and "triples/s" in summary
    for q in ("trade-partners", CITIES):
        rc, from_store, err = query(capsys, "--store", str(store), q)
        assert rc == 0, err
        rc, from_file, err = query(capsys, str(built / "graph.ttl"), q)
        assert rc == 0, err
        assert from_store == from_file and len(from_file) >= 3
    info = json.loads((store / "kg-store.json").read_text(encoding="utf-8"))
    assert info == {"source": str(built.resolve()), "triples": triples, "loaded": ["graph.nt"]}


def test_loading_twice_gives_the_same_store(built, tmp_path, capsys, root):
    store = tmp_path / "store"
    assert load(built, store, "-q") == 0
    first_count, first_rows = count(capsys, "--store", str(store)), query(capsys, "--store", str(store), CITIES)[1]
    first_mark = (store / "kg-store.json").read_bytes()
    assert load(built, store, "-q") == 0
    assert count(capsys, "--store", str(store)) == first_count == count(capsys, str(built / "graph.nt"))
    assert query(capsys, "--store", str(store), CITIES)[1] == first_rows
    assert (store / "kg-store.json").read_bytes() == first_mark
    assert leftovers(store) == []
    # a load replaces the store, it does not add to it: a smaller output leaves only its
    # triples (and the ontology's, loaded beside every graph)
    smaller = tmp_path / "smaller"
    smaller.mkdir()
    lines = (built / "graph.nt").read_text(encoding="utf-8").splitlines(keepends=True)
    (smaller / "graph.nt").write_text("".join(lines[:50]), encoding="utf-8")
    assert load(smaller, store, "-q") == 0
    ontology = len(rdflib.Graph().parse(root / "ontology" / "kg.ttl"))
    assert count(capsys, "--store", str(store)) == 50 + ontology < first_count


def test_the_store_is_opened_read_only_in_place(built, tmp_path):
    from kg.sparql.store import StoreError, open_store

    store = tmp_path / "store"
    assert load(built, store, "-q") == 0
    opened = open_store(store)
    with pytest.raises(Exception):
        opened.update("INSERT DATA { <http://example.org/a> <http://example.org/b> <http://example.org/c> }")
    del opened
    with pytest.raises(StoreError, match="no such store"):
        open_store(tmp_path / "nowhere")


def test_serve_store_answers_sparql_over_http(built, tmp_path):
    from kg.sparql.query import run_query
    from kg.sparql.serve import make_store_server

    store = tmp_path / "store"
    assert load(built, store, "-q") == 0
    expected = run_query(built / "graph.ttl", CITIES).rows
    server = make_store_server(store, port=0).start()
    try:
        url = server.url + "?" + urllib.parse.urlencode({"query": CITIES})
        req = urllib.request.Request(url, headers={"Accept": "application/sparql-results+json"})
        with urllib.request.urlopen(req, timeout=10) as resp:
            assert resp.status == 200
            data = json.load(resp)
        triples = server.triples
    finally:
        server.stop()
    got = [(b["city"]["value"], b["name"]["value"]) for b in data["results"]["bindings"]]
    assert got == expected and any(name == "衡阳市" for _, name in got)
    assert triples == json.loads((store / "kg-store.json").read_text(encoding="utf-8"))["triples"]


def test_load_from_a_turtle_only_folder(built, tmp_path, capsys):
    only = tmp_path / "ttl-only"
    only.mkdir()
    shutil.copy(built / "graph.ttl", only / "graph.ttl")
    assert load(only, tmp_path / "s") == 0
    assert "from graph.ttl" in capsys.readouterr().out
    assert count(capsys, "--store", str(tmp_path / "s")) == count(capsys, str(built / "graph.ttl"))
    assert query(capsys, "--store", str(tmp_path / "s"), CITIES)[1] == query(capsys, str(only / "graph.ttl"), CITIES)[1]


def test_load_from_shards(built, tmp_path, capsys):
    lines = (built / "graph.nt").read_text(encoding="utf-8").splitlines(keepends=True)
    sharded = tmp_path / "sharded"
    (sharded / "shards").mkdir(parents=True)
    third = len(lines) // 3 + 1
    for i in range(3):
        (sharded / "shards" / f"part-{i:05d}.nt").write_text("".join(lines[i * third:(i + 1) * third]),
                                                              encoding="utf-8")
    (sharded / "shards" / "notes.txt").write_text("not a shard", encoding="utf-8")
    store = tmp_path / "s"
    assert load(sharded, store) == 0
    assert "from 3 shards" in capsys.readouterr().out
    assert count(capsys, "--store", str(store)) == count(capsys, str(built / "graph.nt"))
    info = json.loads((store / "kg-store.json").read_text(encoding="utf-8"))
    assert info["loaded"] == ["shards/part-00000.nt", "shards/part-00001.nt", "shards/part-00002.nt"]


def test_graph_nt_is_preferred_to_graph_ttl_and_shards(built, tmp_path, capsys):
    both = tmp_path / "both"
    (both / "shards").mkdir(parents=True)
    shutil.copy(built / "graph.nt", both / "graph.nt")
    (both / "graph.ttl").write_text("this is not turtle", encoding="utf-8")
    (both / "shards" / "broken.nt").write_text("nor is this n-triples", encoding="utf-8")
    assert load(both, tmp_path / "s", "-q") == 0, capsys.readouterr().err
    assert count(capsys, "--store", str(tmp_path / "s")) == count(capsys, str(built / "graph.nt"))


def test_nothing_to_load_is_a_one_line_error(tmp_path, capsys):
    empty = tmp_path / "empty"
    empty.mkdir()
    assert load(empty, tmp_path / "s") == 2
    err = capsys.readouterr().err
    assert one_line_error(err) and err == f"kg: error: {empty}: no graph.nt, graph.ttl or shards/*.nt to load\n"
    assert not (tmp_path / "s").exists() and leftovers(tmp_path / "s") == []


def test_a_folder_that_is_not_our_store_is_never_replaced(built, tmp_path, capsys):
    stranger = tmp_path / "stranger"
    stranger.mkdir()
    (stranger / "notes.txt").write_text("mine", encoding="utf-8")
    assert load(built, stranger) == 2
    err = capsys.readouterr().err
    assert one_line_error(err) and "not a kg store" in err
    assert [p.name for p in stranger.iterdir()] == ["notes.txt"]
    assert main(["query", "--store", str(stranger), COUNT]) == 2
    err = capsys.readouterr().err
    assert one_line_error(err) and "not a kg store" in err
    assert main(["serve", "--store", str(stranger), "--port", "0"]) == 2
    assert one_line_error(capsys.readouterr().err)


def test_a_corrupt_graph_leaves_the_previous_store_intact(built, tmp_path, capsys):
    store = tmp_path / "good"
    assert load(built, store, "-q") == 0
    before = count(capsys, "--store", str(store)), query(capsys, "--store", str(store), CITIES)[1]
    mark = (store / "kg-store.json").read_bytes()
    broken = tmp_path / "broken"
    broken.mkdir()
    good_lines = (built / "graph.nt").read_text(encoding="utf-8").splitlines(keepends=True)[:100]
    (broken / "graph.nt").write_text("".join(good_lines) + "<a> <b> this is not n-triples\n", encoding="utf-8")
    assert load(broken, store) == 2
    err = capsys.readouterr().err
    assert one_line_error(err) and str(broken / "graph.nt") in err
    assert (count(capsys, "--store", str(store)), query(capsys, "--store", str(store), CITIES)[1]) == before
    assert (store / "kg-store.json").read_bytes() == mark
    assert leftovers(store) == []


def test_store_and_graph_options_are_exclusive(built, tmp_path, capsys):
    store = tmp_path / "store"
    assert load(built, store, "-q") == 0
    capsys.readouterr()
    for argv in (["query", "--store", str(store), str(built / "graph.ttl"), COUNT],
                 ["query", "--store", str(store), str(built / "graph.ttl")],
                 ["query", "--store", str(store)],
                 ["query", "--store", str(store), "--engine", "rdflib", COUNT],
                 ["query", "--store", str(tmp_path / "nowhere"), COUNT],
                 ["serve"],
                 ["serve", str(built / "graph.ttl"), "--store", str(store), "--port", "0"]):
        assert main(argv) == 2, argv
        assert one_line_error(capsys.readouterr().err), argv
