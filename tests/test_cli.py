"""The kg command as a user meets it: outputs, summary, bad inputs, user dictionaries."""

import os
import subprocess
import sys

import pytest

from kg.cli import main

PAGE = "湖南日报11月15日讯 1至10月，湖南省衡阳市进出口总值397.6亿元，同比增长13.9%。衡阳综保区增长迅速，湘蓝再生签约落户衡阳。\n"


def test_build_writes_all_outputs_and_summary(tmp_path, capsys):
    src = tmp_path / "p.txt"
    src.write_text(PAGE, encoding="utf-8")
    assert main(["build", str(src), "--out", str(tmp_path / "out")]) == 0
    names = sorted(n for n in os.listdir(tmp_path / "out") if not n.startswith("."))
    assert names == ["graph.graphml", "graph.html", "graph.json", "graph.ttl", "shards"]
    assert sorted(os.listdir(tmp_path / "out" / "shards")) == ["entities.nt", "part-00000.nt"]
    out = capsys.readouterr().out
    assert "articles: 1" in out and "observations: 1" in out and "City 1" in out and "Province 1" in out


def test_bad_files_are_skipped_with_one_line_each(tmp_path, capsys):
    good = tmp_path / "good.txt"
    good.write_text(PAGE, encoding="utf-8")
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "binary.txt").write_bytes(b"\x00\xff\x00\xfe" * 10)
    (tmp_path / "gbk.txt").write_bytes(PAGE.encode("gbk"))
    rc = main(["build", str(tmp_path), "--out", str(tmp_path / "out")])
    err = capsys.readouterr().err
    assert rc == 0
    assert "empty.txt: file is empty" in err
    assert "binary.txt: binary file" in err
    assert "gbk.txt: not UTF-8, read as gb18030" in err
    assert "Traceback" not in err
    ttl = (tmp_path / "out" / "graph.ttl").read_text(encoding="utf-8")
    assert "gbk.txt" in ttl and "good.txt" in ttl


def test_nothing_buildable_exits_non_zero(tmp_path, capsys):
    (tmp_path / "empty.txt").write_bytes(b"")
    assert main(["build", str(tmp_path / "empty.txt"), "--out", str(tmp_path / "out")]) == 1
    assert "nothing could be built" in capsys.readouterr().err
    assert not (tmp_path / "out" / "graph.ttl").exists()


def test_user_dictionary_teaches_a_new_company(tmp_path):
    src = tmp_path / "p.txt"
    src.write_text(PAGE, encoding="utf-8")
    d = tmp_path / "terms.txt"
    d.write_text("# my terms\n湘蓝再生\tEnterprise\t湘蓝\n", encoding="utf-8")
    assert main(["build", str(src), "--out", str(tmp_path / "a"), "--dict", str(d), "-q"]) == 0
    ttl = (tmp_path / "a" / "graph.ttl").read_text(encoding="utf-8")
    assert "湘蓝再生" in ttl and "kg:Enterprise" in ttl


def test_broken_user_dictionary_is_a_clear_error(tmp_path, capsys):
    src = tmp_path / "p.txt"
    src.write_text(PAGE, encoding="utf-8")
    d = tmp_path / "terms.txt"
    d.write_text("湘蓝再生\tCompany\n", encoding="utf-8")
    assert main(["build", str(src), "--out", str(tmp_path / "a"), "--dict", str(d)]) == 2
    assert "expected 'name<TAB>Class" in capsys.readouterr().err


def test_min_confidence_drops_weak_relations(tmp_path):
    src = tmp_path / "p.txt"
    src.write_text(PAGE, encoding="utf-8")
    import kg

    loose = kg.build([str(src)])
    strict = kg.build([str(src)], min_confidence=0.95)
    assert len(strict.relations) < len(loose.relations)
    assert all(r.confidence >= 0.95 for r in strict.relations)


def test_stdin_input(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "kg", "build", "-", "--out", str(tmp_path / "o"), "-q"],
                          input=PAGE.encode("utf-8"), capture_output=True)
    assert proc.returncode == 0, proc.stderr.decode()
    assert "stdin.txt" in (tmp_path / "o" / "graph.ttl").read_text(encoding="utf-8")


def test_unreadable_and_odd_files(tmp_path, capsys):
    good = tmp_path / "good.txt"
    good.write_text(PAGE, encoding="utf-8")
    (tmp_path / "latin.txt").write_text("only latin text here, no Chinese at all\n", encoding="utf-8")
    cut = PAGE.encode("utf-8")[:-3]
    (tmp_path / "cut.txt").write_bytes(cut)
    big = tmp_path / "big.txt"
    with open(big, "wb") as fh:
        fh.truncate(60 * 1024 * 1024)
    locked = tmp_path / "locked.txt"
    locked.write_text(PAGE, encoding="utf-8")
    locked.chmod(0)
    rc = main(["build", str(tmp_path), "--out", str(tmp_path / "out"), "-q"])
    err = capsys.readouterr().err
    assert rc == 0
    assert "latin.txt: no Chinese text found" in err
    assert "cut.txt: UTF-8 text cut off mid-character" in err
    assert "big.txt: file too large" in err
    if os.geteuid() != 0:  # root reads anything
        assert "locked.txt: permission denied" in err
    assert len([ln for ln in err.splitlines() if ln.startswith("kg: skipped")]) >= 3


def test_help_lists_every_command(capsys):
    with pytest.raises(SystemExit) as done:
        main(["--help"])
    assert done.value.code == 0
    out = capsys.readouterr().out
    for command in ("build", "evaluate", "query", "serve", "validate", "ontology-doc", "store"):
        assert f"    {command}" in out, command


@pytest.mark.parametrize("option, message", [
    (["--format", "ttl,rdfxml"], "unknown --format rdfxml; choose from ttl, trig, nt, jsonld"),
    (["--html-max-nodes", "0"], "--html-max-nodes must be at least 1"),
    (["--partitions", "2"], "--partitions needs --dask"),
])
def test_bad_build_options_are_one_line_and_exit_2(tmp_path, capsys, option, message):
    src = tmp_path / "p.txt"
    src.write_text(PAGE, encoding="utf-8")
    assert main(["build", str(src), "--out", str(tmp_path / "out"), "-q", *option]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"kg: error: {message}") and err.count("\n") == 1
    assert not (tmp_path / "out" / "graph.ttl").exists()


def test_evaluate_without_gold_files_is_one_line(root, tmp_path, capsys):
    assert main(["evaluate", str(root / "output" / "graph.ttl"), "--gold", str(tmp_path)]) == 2
    assert capsys.readouterr().err == f"kg: error: {tmp_path}: no gold *.json files in this folder\n"


def test_output_cut_short_by_a_closed_pipe_is_no_traceback():
    """`kg query --list | head -1`: the reader leaves early; kg stops quietly."""
    import os
    import subprocess
    import sys

    r, w = os.pipe()
    os.close(r)  # the reader is gone before kg writes a line
    try:
        done = subprocess.run([sys.executable, "-m", "kg", "query", "--list"], stdout=w,
                              stderr=subprocess.PIPE, text=True)
    finally:
        os.close(w)
    assert "Traceback" not in done.stderr and done.returncode == 141
