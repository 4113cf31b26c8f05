"""kg load → an on-disk Oxigraph store → kg query --store and kg serve --store."""

import json
import urllib.parse
import urllib.request

import pytest

from kg.cli import main

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


@pytest.fixture(scope="module")
def built(root, tmp_path_factory):
    out = tmp_path_factory.mktemp("out")
    assert main(["build", str(root / "seeds"), "--out", str(out), "--format", "ttl,nt", "-q"]) == 0
    return out


def _query(capsys, *args):
    capsys.readouterr()
    rc = main(["query", *args, "--format", "json"])
    captured = capsys.readouterr()
    return rc, captured


def _rows(text):
    return sorted(json.dumps(b, sort_keys=True, ensure_ascii=False) for b in json.loads(text)["results"]["bindings"])


def test_load_then_query_the_store_like_the_file(built, tmp_path, capsys):
    store = tmp_path / "store"
    assert main(["load", str(built), "--store", str(store), "-q"]) == 0
    rc, from_store = _query(capsys, "--store", str(store), "trade-partners")
    assert rc == 0, from_store.err
    rc, from_file = _query(capsys, str(built / "graph.ttl"), "trade-partners")
    assert _rows(from_store.out) == _rows(from_file.out) and len(_rows(from_file.out)) > 5
    # loading the same output again leaves the same store: no duplicated triples
    rc, first = _query(capsys, "--store", str(store), COUNT)
    assert main(["load", str(built), "--store", str(store), "-q"]) == 0
    rc, second = _query(capsys, "--store", str(store), COUNT)
    assert _rows(first.out) == _rows(second.out)
    rc, in_file = _query(capsys, str(built / "graph.ttl"), COUNT)
    assert _rows(second.out) == _rows(in_file.out)


def test_serve_store_answers_sparql_over_http(built, tmp_path):
    from kg.serve import make_store_server

    store = tmp_path / "store"
    assert main(["load", str(built), "--store", str(store), "-q"]) == 0
    server = make_store_server(store).start()
    try:
        q = "SELECT ?name WHERE { ?c a kg:City ; rdfs:label ?name } ORDER BY ?name"
        url = server.url + "?" + urllib.parse.urlencode({"query": q})
        req = urllib.request.Request(url, headers={"Accept": "application/sparql-results+json"})
        with urllib.request.urlopen(req, timeout=10) as resp:
            data = json.load(resp)
    finally:
        server.stop()
    names = [b["name"]["value"] for b in data["results"]["bindings"]]
    assert "长沙市" in names and "衡阳市" in names


def test_load_from_turtle_only_folder(built, tmp_path, capsys):
    only = tmp_path / "ttl-only"
    only.mkdir()
    (only / "graph.ttl").write_bytes((built / "graph.ttl").read_bytes())
    assert main(["load", str(only), "--store", str(tmp_path / "s")]) == 0
    assert "triples from 1 files" in capsys.readouterr().out
    rc, res = _query(capsys, "--store", str(tmp_path / "s"), COUNT)
    rc, ref = _query(capsys, str(built / "graph.ttl"), COUNT)
    assert rc == 0 and _rows(res.out) == _rows(ref.out)


def test_load_errors_are_one_line_and_keep_the_old_store(built, tmp_path, capsys):
    empty = tmp_path / "empty"
    empty.mkdir()
    assert main(["load", str(empty), "--store", str(tmp_path / "s")]) == 2
    assert "no shards/*.nt, graph.nt or graph.ttl" in capsys.readouterr().err
    stranger = tmp_path / "stranger"
    stranger.mkdir()
    (stranger / "notes.txt").write_text("mine")
    assert main(["load", str(built), "--store", str(stranger)]) == 2
    assert "not a kg store" in capsys.readouterr().err and (stranger / "notes.txt").exists()
    good = tmp_path / "good"
    assert main(["load", str(built), "--store", str(good), "-q"]) == 0
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "graph.nt").write_text("<a> <b> this is not n-triples\n", encoding="utf-8")
    assert main(["load", str(broken), "--store", str(good)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("kg: error:") and "graph.nt" in err and "Traceback" not in err
    rc, res = _query(capsys, "--store", str(good), COUNT)
    assert rc == 0 and _rows(res.out) == _rows(_query(capsys, str(built / "graph.ttl"), COUNT)[1].out)
    assert main(["query", "--store", str(tmp_path / "nothing"), COUNT]) == 2
    assert "not a kg store" in capsys.readouterr().err
    assert main(["serve"]) == 2
