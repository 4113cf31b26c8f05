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
