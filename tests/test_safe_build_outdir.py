"""Issue 17, the output folder: a refused, failed or killed build never wipes the last one,
two builds never write one folder at once, and the page cache holds data, never code."""

import errno
import os
import pickle
import subprocess
import sys

import pytest
from hypothesis import given, settings, strategies as st

from kg.cli import main
from kg.model import Observation, Relation
from kg.pipeline import tasks
from kg.pipeline.workspace import CacheError, load_page, locked, save_page

PAGE = "湖南日报11月15日讯 1至10月，湖南省衡阳市进出口总值397.6亿元，同比增长13.9%。衡阳综保区增长迅速，湘蓝再生签约落户衡阳。\n"
OTHER = "湖南日报3月5日讯 今年1至2月，株洲市进出口总值120亿元，同比增长8.5%。\n"
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ENV = {**os.environ, "PYTHONPATH": os.path.join(ROOT, "src")}


def snapshot(out):
    """Every file under the output folder but the lock, with its bytes."""
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*"))
            if p.is_file() and p.name != ".kg-lock"}


@pytest.fixture
def built(tmp_path):
    """An output folder holding a build of two pages."""
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text(PAGE, encoding="utf-8")
    (tmp_path / "in" / "b.txt").write_text(OTHER, encoding="utf-8")
    out = tmp_path / "out"
    assert main(["build", str(tmp_path / "in"), "--out", str(out), "-q"]) == 0
    return out


REFUSED = [
    (["--format", "foo"], "unknown --format foo"),
    (["--html-max-nodes", "0"], "--html-max-nodes must be at least 1"),
    (["--year", "0"], "--year must be a year from 1900 to 2100, not 0"),
    (["--year", "-1"], "--year must be a year"),
    (["--year", "99999"], "--year must be a year"),
    (["--min-confidence", "1.5"], "--min-confidence must be a number from 0 to 1, not 1.5"),
    (["--min-confidence", "nan"], "--min-confidence must be a number from 0 to 1, not nan"),
    (["--min-confidence", "-0.1"], "--min-confidence must be"),
    (["--jobs", "0"], "--jobs must be at least 1, not 0"),
    (["--jobs", "-3"], "--jobs must be at least 1, not -3"),
    (["MISSING"], "no such file or folder: "),
]


@pytest.mark.parametrize("extra, message", REFUSED)
def test_a_refused_build_leaves_the_last_one_as_it_was(built, tmp_path, capsys, extra, message):
    before = snapshot(built)
    capsys.readouterr()
    inputs = [str(tmp_path / "in" / "a.txt"), *(str(tmp_path / "typo.txt") for e in extra if e == "MISSING")]
    assert main(["build", *inputs, "--out", str(built), "-q", *(e for e in extra if e != "MISSING")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and message in err and err.startswith("kg: error: ")
    assert snapshot(built) == before
    assert main(["build", "--update", str(built), str(tmp_path / "in" / "a.txt"), "-q"]) == 0  # the cache still serves


@pytest.mark.parametrize("content, message", [
    ("衡阳钢管\n".encode("utf-8"), ":1: expected 'name<TAB>Class"),
    ("湖南钢管\tEnterprise\n".encode("gbk"), "user dictionary is not UTF-8"),
    ("湘江新省\tProvince\n".encode("utf-8"), ":1: Province comes from kg's reference tables"),
])
def test_a_broken_user_dictionary_is_one_line_before_anything_changes(built, tmp_path, capsys, content, message):
    before = snapshot(built)
    (tmp_path / "terms.tsv").write_bytes(content)
    capsys.readouterr()
    rc = main(["build", str(tmp_path / "in"), "--dict", str(tmp_path / "terms.tsv"), "--out", str(built), "-q"])
    err = capsys.readouterr().err
    assert rc == 2 and err.count("\n") == 1 and message in err and "terms.tsv" in err
    assert snapshot(built) == before


def test_nothing_buildable_keeps_the_last_build(built, tmp_path, capsys):
    before = snapshot(built)
    (tmp_path / "empty.txt").write_bytes(b"")
    assert main(["build", str(tmp_path / "empty.txt"), "--out", str(built), "-q"]) == 1
    assert snapshot(built) == before


def test_a_full_disk_is_one_line_and_loses_nothing(built, tmp_path, capsys, monkeypatch):
    before = snapshot(built)

    def full(*args):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(tasks, "save_page", full)
    capsys.readouterr()
    assert main(["build", str(tmp_path / "in"), "--out", str(built), "-q"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "No space left on device" in err and "Traceback" not in err
    assert snapshot(built) == before


def test_a_killed_build_is_undone_by_the_next(built, tmp_path):
    """kill -9 midway: the last cache moved aside, a half-made one in its place, a temporary
    graph file. The next build puts the last cache back, and removes the leftovers."""
    before = snapshot(built)
    os.replace(built / ".kg-cache", built / ".kg-cache.previous")
    (built / ".kg-cache").mkdir()
    (built / ".kg-cache" / "half.page.json").write_text("{", encoding="utf-8")
    (built / ".graph.x1y2z3.ttl").write_bytes(b"@prefix" * 1000)
    assert main(["build", "--update", str(built), str(tmp_path / "in" / "a.txt"), "-q"]) == 0
    after = snapshot(built)
    assert not [n for n in os.listdir(built) if n.startswith(".graph.") or n.endswith((".previous", ".dropped"))]
    assert after["graph.ttl"] == before["graph.ttl"]  # both pages still in: the cache came back


def test_a_second_build_into_the_same_folder_is_refused(built, tmp_path):
    before = snapshot(built)
    # the lock taken by another process: a child holds it while the build runs here
    holder = subprocess.Popen([sys.executable, "-c", "import sys, time; from kg.pipeline.workspace import locked\n"
                               f"with locked({str(built)!r}):\n    print('held', flush=True); time.sleep(60)"],
                              env=ENV, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        run = subprocess.run([sys.executable, "-m", "kg", "build", str(tmp_path / "in"), "--out", str(built), "-q"],
                             env=ENV, capture_output=True, text=True, timeout=120)
    finally:
        holder.kill()
        holder.wait()
    assert run.returncode == 2 and run.stderr.count("\n") == 1
    assert "another kg build is writing into this folder" in run.stderr
    assert snapshot(built) == before


def test_jobs_are_capped_by_the_files(tmp_path):
    import kg

    (tmp_path / "a.txt").write_text(PAGE, encoding="utf-8")
    assert kg.build([str(tmp_path / "a.txt")], jobs=1000).jobs == 1


def test_the_cache_holds_no_pickle_and_round_trips_exactly(built, tmp_path):
    pages = sorted((built / ".kg-cache").glob("*.page.json"))
    assert len(pages) == 2
    for path in pages:
        data = path.read_bytes()
        assert not data.startswith(b"\x80")  # no pickle protocol mark
        page = load_page(path)
        save_page(tmp_path / "again", _options(path), page)
        assert (tmp_path / "again").read_bytes() == data


def _options(path):
    import json

    return json.loads(path.read_text(encoding="ascii").splitlines()[0])["options"]


floats = st.floats(allow_nan=False, allow_infinity=False)


@settings(max_examples=100, deadline=None)
@given(st.builds(Observation, entity=st.text(), indicator=st.text(), value=floats, unit=st.text(), article=st.text(),
                 evidence=st.text(), growth=st.none() | floats, period_label=st.none() | st.text(),
                 confidence=floats),
       st.builds(Relation, subject=st.text(), predicate=st.text(), object=st.text(), source=st.text(),
                 evidence=st.none() | st.text(), confidence=floats))
def test_records_round_trip_through_the_cache(tmp_path_factory, ob, rel):
    from kg.model import PageFacts

    path = tmp_path_factory.mktemp("c") / "p.page.json"
    page = PageFacts("n", "/x/n.txt", "d", [], {}, [rel], [ob])
    save_page(path, {"format": 3}, page)
    back = load_page(path, {"format": 3})
    assert back.relations == [rel] and back.observations == [ob]


@pytest.mark.parametrize("kind", ["pickle", "cut", "foreign"])
def test_a_foreign_or_damaged_cache_entry_is_refused_in_one_line(built, tmp_path, capsys, kind):
    entry = sorted((built / ".kg-cache").glob("*.page.json"))[0]
    data = entry.read_bytes()
    entry.write_bytes({"pickle": pickle.dumps({"version": "x"}) + b"cos\nsystem\n(S'echo owned'\ntR.",  # would run a command
                       "cut": data[:data.index(b"\n") + 20],
                       "foreign": b'{"format":"something else"}\n'}[kind])
    capsys.readouterr()
    assert main(["build", "--update", str(built), str(tmp_path / "in" / "a.txt"), "-q"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "unreadable cache entry" in err and "run a full build" in err


def test_an_old_pickle_cache_asks_for_a_full_build(built, tmp_path):
    with pytest.raises(CacheError, match="pickle"):
        (built / ".kg-cache" / "0123456789abcdef.pkl").write_bytes(pickle.dumps(1))
        import kg

        kg.build([str(tmp_path / "in" / "a.txt")], update=built)


def test_lock_is_reentrant_within_a_process(tmp_path):
    with locked(tmp_path):
        with locked(tmp_path):
            pass
