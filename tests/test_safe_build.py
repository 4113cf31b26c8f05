"""Issue 17, the build side: file names that would break IRIs, same-named pages in two
folders, and inputs that used to hang or crash the build (FIFO, closed stdin, UTF-16)."""

import os
import shutil
import subprocess
import sys
from urllib.parse import unquote

import pytest
import rdflib
from hypothesis import HealthCheck, given, settings, strategies as st

import kg
from kg.extract.read import InputError, find_inputs, read_source
from kg.model import Article
from kg.vocab import KG, KGR_NS
from kg.write import triples

PAGE = "湖南日报11月15日讯 1至10月，湖南省衡阳市进出口总值397.6亿元，同比增长13.9%。衡阳综保区增长迅速，湘蓝再生签约落户衡阳。\n"
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ENV = {**os.environ, "PYTHONPATH": os.path.join(ROOT, "src")}

# what a Linux file name may hold: anything but NUL and "/", at most 255 bytes
file_names = st.text(st.characters(blacklist_characters="\x00/", blacklist_categories=("Cs",)), min_size=1, max_size=60) \
    .filter(lambda n: n not in (".", "..") and len(n.encode("utf-8")) <= 250)


def article_graph_text(name: str) -> str:
    a = Article(source=name, index=1, title="标题", date="2023-11-15", year=2023, start=0, end=1, char_start=0, char_end=1)
    return "".join(triples.article_lines(a))


def parsed(nt: str):
    g = rdflib.Graph().parse(data=nt, format="nt")
    pyoxigraph = pytest.importorskip("pyoxigraph")
    store = pyoxigraph.Store()
    store.load(nt.encode("utf-8"), pyoxigraph.RdfFormat.N_TRIPLES)
    return g, store


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(file_names)
def test_any_file_name_gives_an_article_both_parsers_read(name):
    nt = article_graph_text(name)
    g, store = parsed(nt)
    assert len(g) == len(store) == 6  # type, title, date, sourceFile, charStart, charEnd: nothing injected
    subject = next(iter(g.subjects()))
    assert unquote(str(subject)[len(KGR_NS + "article/"):]) == Article(name, 1, None, None, None, 0, 0, 0, 0).key
    assert str(g.value(subject, KG.sourceFile)) == name  # the name itself, as a literal


@given(st.text(st.sampled_from("abcXYZ019_-.中文湖南衡阳"), min_size=1, max_size=20))
def test_ordinary_names_keep_their_iris(name):
    assert triples.article_iri(name) == KGR_NS + "article/" + name


def test_undecodable_file_name_bytes_keep_their_iri(tmp_path):
    raw = os.fsencode(str(tmp_path)) + b"/gbk\xba\xfe.txt"  # 湖 in GBK: not UTF-8
    with open(raw, "w", encoding="utf-8") as fh:
        fh.write(PAGE)
    files, errors = find_inputs([str(tmp_path)])
    assert not errors and files[0].name == "gbk\ufffd\ufffd.txt"
    assert read_source(files[0].path, files[0].name).text == PAGE


NASTY = ["报 纸.txt", "new\nline.txt", 'x> <urn:x-inject:p> "o" .\n<urn:x-inject:s.txt', '<>"{}|\\^`%#?.txt', "tab\there.txt"]


def test_a_folder_of_nasty_names_builds_and_parses(tmp_path):
    for n in NASTY:
        (tmp_path / "in").mkdir(exist_ok=True)
        (tmp_path / "in" / n).write_text(PAGE, encoding="utf-8")
    result = kg.build([str(tmp_path / "in")])
    assert result.files == len(NASTY) and not result.errors
    result.write(tmp_path / "out", formats=["ttl", "nt"])
    ttl = (tmp_path / "out" / "graph.ttl").read_text(encoding="utf-8")
    g = rdflib.Graph().parse(data=ttl, format="turtle")
    pyoxigraph = pytest.importorskip("pyoxigraph")
    store = pyoxigraph.Store()
    store.load(ttl.encode("utf-8"), pyoxigraph.RdfFormat.TURTLE)
    assert len(store) == len(g)
    assert sorted(str(o) for o in g.objects(None, KG.sourceFile)) == sorted(NASTY)
    assert not any("x-inject" in str(t) for t in g.predicates())  # nothing injected
    if shutil.which("rapper"):
        run = subprocess.run(["rapper", "-q", "-i", "turtle", "-c", str(tmp_path / "out" / "graph.ttl")],
                             capture_output=True, text=True)
        assert run.returncode == 0, run.stderr


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(st.lists(file_names.map(lambda n: n[:40] + ".txt"), min_size=1, max_size=4, unique=True))
def test_any_file_names_give_a_graph_both_parsers_read(tmp_path_factory, names):
    folder = tmp_path_factory.mktemp("names")
    for n in names:
        (folder / n).write_text(PAGE, encoding="utf-8")
    result = kg.build([str(folder)])
    assert result.files == len(names) and len(result.articles) == len(names)
    nt = "".join(result.lines())
    g, store = parsed(nt)
    assert len(g) == len(store)
    assert sorted(str(o) for o in g.objects(None, KG.sourceFile)) == sorted(names)


def test_same_named_pages_in_two_folders_both_count(tmp_path):
    for folder, text in (("a", PAGE), ("b", PAGE.replace("衡阳市", "株洲市"))):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "page.txt").write_text(text, encoding="utf-8")
    a, b = str(tmp_path / "a"), str(tmp_path / "b")
    one = kg.build([a, b])
    assert one.files == 2 and len(one.articles) == 2
    assert sorted(art.source for art in one.articles) == ["a/page.txt", "b/page.txt"]
    one.write(tmp_path / "one", formats=["ttl"])
    two = kg.build([b, a], jobs=2)
    two.write(tmp_path / "two", formats=["ttl"])
    assert (tmp_path / "one" / "graph.ttl").read_bytes() == (tmp_path / "two" / "graph.ttl").read_bytes()


def test_pages_in_subfolders_are_named_by_their_path(tmp_path):
    (tmp_path / "in" / "2023").mkdir(parents=True)
    (tmp_path / "in" / "top.txt").write_text(PAGE, encoding="utf-8")
    (tmp_path / "in" / "2023" / "top.txt").write_text(PAGE, encoding="utf-8")
    files, errors = find_inputs([str(tmp_path / "in"), str(tmp_path / "in" / "top.txt")])
    assert [f.name for f in files] == ["2023/top.txt", "top.txt"] and not errors


def test_fifo_is_skipped_not_waited_for(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "good.txt").write_text(PAGE, encoding="utf-8")
    os.mkfifo(tmp_path / "in" / "pipe.txt")
    os.mkfifo(tmp_path / "named.txt")
    run = subprocess.run([sys.executable, "-m", "kg", "build", str(tmp_path / "in"), str(tmp_path / "named.txt"),
                          "--out", str(tmp_path / "out"), "-q", "--year", "2024"], env=ENV, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 2 and all("not a regular file (a FIFO)" in line for line in lines)


def test_unreadable_subfolder_is_reported(tmp_path, monkeypatch):
    (tmp_path / "in" / "locked").mkdir(parents=True)
    (tmp_path / "in" / "good.txt").write_text(PAGE, encoding="utf-8")
    real = os.scandir

    def scandir(path="."):
        if str(path).endswith("locked"):
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)
    files, errors = find_inputs([str(tmp_path / "in")])
    assert [f.name for f in files] == ["good.txt"]
    assert [e.reason for e in errors] == ["folder cannot be read (Permission denied)"]


def test_closed_stdin_is_one_line(tmp_path):
    run = subprocess.run([sys.executable, "-m", "kg", "build", "-", "--out", str(tmp_path / "out"), "-q"],
                         env=ENV, capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=120,
                         preexec_fn=lambda: os.close(0))
    assert run.returncode == 1 and "Traceback" not in run.stderr
    assert "kg: skipped stdin: standard input is closed" in run.stderr


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-32"])
def test_utf16_and_utf32_with_a_byte_order_mark_are_read(tmp_path, encoding):
    path = tmp_path / "notepad.txt"
    data = PAGE.encode(encoding)
    if encoding == "utf-16-be":
        data = b"\xfe\xff" + data
    path.write_bytes(data)
    src = read_source(str(path))
    assert src.text == PAGE and src.encoding in ("utf-16", "utf-32")


def test_a_false_byte_order_mark_is_named(tmp_path):
    path = tmp_path / "odd.txt"
    path.write_bytes(b"\xff\xfe" + b"\x00\xd8" + b"a\x00")  # a lone high surrogate
    with pytest.raises(InputError) as err:
        read_source(str(path))
    assert "utf-16 byte order mark" in err.value.reason


def test_unwritable_jieba_cache_is_one_line():
    code = ("import jieba\nfrom kg.extract.gazetteer import jieba_ready\njieba_ready()\n"
            "t = jieba.Tokenizer()\nt.tmp_dir = '/proc/no-such-folder'\nt.initialize()\nprint(len(t.FREQ) > 0)")
    run = subprocess.run([sys.executable, "-c", code], env=ENV, capture_output=True, text=True, timeout=300)
    assert run.stdout.strip() == "True" and "Traceback" not in run.stderr
    assert run.stderr.count("\n") == 1 and "kg: note: jieba: Dump cache file failed." in run.stderr
