"""--jobs and --update give exactly the graph a plain full build gives."""

import shutil

import pytest

from kg.cli import main

NAMES = ("graph.ttl", "graph.html", "graph.graphml", "graph.json")


def _same(a, b):
    for name in NAMES:
        assert (a / name).read_bytes() == (b / name).read_bytes(), name


def test_parallel_build_matches_serial(root, tmp_path):
    assert main(["build", str(root / "seeds"), "--out", str(tmp_path / "par"), "--jobs", "2", "-q"]) == 0
    _same(tmp_path / "par", root / "output")


def test_parallel_workers_know_the_user_dictionary(root, tmp_path):
    terms = tmp_path / "terms.txt"
    terms.write_text("# my terms\n衡阳综保区\tPlatform\n湘蓝再生\tEnterprise\t湘蓝\n", encoding="utf-8")
    for jobs in ("1", "2"):
        assert main(["build", str(root / "seeds"), "--out", str(tmp_path / jobs), "--dict", str(terms),
                     "--jobs", jobs, "-q"]) == 0
    assert "湘蓝再生" in (tmp_path / "2" / "graph.ttl").read_text(encoding="utf-8")
    _same(tmp_path / "1", tmp_path / "2")


def test_update_matches_full_rebuild(root, tmp_path):
    seeds = sorted((root / "seeds").glob("*.txt"))
    first, later = tmp_path / "first", tmp_path / "later"
    first.mkdir()
    later.mkdir()
    for p in seeds[:3]:
        shutil.copy(p, first)
    for p in seeds[3:]:
        shutil.copy(p, later)
    out = tmp_path / "out"
    assert main(["build", str(first), "--out", str(out), "-q"]) == 0
    # the first files are gone: --update must not need them
    shutil.rmtree(first)
    assert main(["build", str(later), "--update", str(out), "-q"]) == 0
    _same(out, root / "output")


def test_update_without_earlier_build_is_a_clear_error(tmp_path, root, capsys):
    assert main(["build", str(root / "seeds"), "--update", str(tmp_path / "none"), "-q"]) == 2
    assert "no earlier build here to update" in capsys.readouterr().err


def test_parallel_build_reports_bad_files_from_worker_processes(root, tmp_path, capsys):
    src = tmp_path / "in"
    shutil.copytree(root / "seeds", src)
    (src / "zz_empty.txt").write_bytes(b"")
    (src / "zz_binary.txt").write_bytes(b"\x00\x01" * 50)
    assert main(["build", str(src), "--out", str(tmp_path / "out"), "--jobs", "2", "-q"]) == 0
    err = capsys.readouterr().err
    assert "zz_empty.txt" in err and "zz_binary.txt" in err
    _same(tmp_path / "out", root / "output")


def test_shards_hold_exactly_the_graph(root, tmp_path):
    """The N-Triples shards written by the workers together are the graph in graph.ttl."""
    from rdflib import Graph

    assert main(["build", str(root / "seeds"), "--out", str(tmp_path / "out"), "-q"]) == 0
    from_shards = Graph()
    for shard in sorted((tmp_path / "out" / "shards").glob("*.nt")):
        lines = shard.read_text(encoding="utf-8").splitlines()
        assert lines == sorted(set(lines), key=lambda ln: (ln[1:ln.index(">")], ln + "\n"))
        from_shards.parse(shard, format="nt")
    turtle = Graph().parse(tmp_path / "out" / "graph.ttl", format="turtle")
    assert len(from_shards) == len(turtle) > 3000
    assert set(from_shards) == set(turtle)


def test_update_after_a_word_list_changed_asks_for_a_full_build(root, tmp_path, monkeypatch):
    """Page facts depend on every shipped data file: a cache made with other word lists is not reused."""
    import kg
    from kg.assets import shipped
    from kg.pipeline import workspace
    from kg.pipeline.workspace import CacheError

    out = tmp_path / "out"
    kg.build([str(root / "seeds")], out=out)
    data = tmp_path / "data"
    shutil.copytree(shipped("data"), data)
    (data / "lexicon" / "extra.txt").write_text("# a list added since the first build\n新词\n", encoding="utf-8")
    monkeypatch.setattr(workspace, "shipped", lambda folder: data)
    with pytest.raises(CacheError, match="run a full build"):
        kg.build([str(root / "seeds")], update=out)
