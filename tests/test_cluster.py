"""The Dask build (2 worker processes on a LocalCluster) gives the plain build's bytes."""

import os

import pytest

pytest.importorskip("distributed")

import kg  # noqa: E402
from kg.cli import main  # noqa: E402


@pytest.fixture(scope="module")
def runner():
    from kg.pipeline.cluster import DaskRunner

    with DaskRunner("local", workers=2) as r:
        assert r.jobs == 2
        yield r


@pytest.fixture(scope="module")
def generated(make_corpus):
    return make_corpus(120, 11)


def _outputs(folder):
    files = sorted(p for p in folder.rglob("*") if p.is_file() and ".kg-cache" not in p.parts)
    return {str(p.relative_to(folder)): p.read_bytes() for p in files}


@pytest.mark.parametrize("corpus", ["seeds", "generated"])
def test_dask_build_is_byte_identical_to_the_plain_build(corpus, root, generated, runner, tmp_path):
    source = root / "seeds" if corpus == "seeds" else generated
    formats = ("ttl", "nt", "html", "graphml", "json")
    plain = kg.build([str(source)], out=tmp_path / "plain")
    plain.write(tmp_path / "plain", formats=formats)
    on_dask = kg.build([str(source)], out=tmp_path / "dask", runner=runner)
    on_dask.write(tmp_path / "dask", formats=formats)
    a, b = _outputs(tmp_path / "plain"), _outputs(tmp_path / "dask")
    assert sorted(a) == sorted(b)
    assert any(name.startswith("shards/part-") for name in a) and "graph.ttl" in a
    for name in a:
        assert a[name] == b[name], name
    if corpus == "generated":
        assert len(plain.articles) == 120 and plain.counts["triples"] > 10_000


def test_dask_build_skips_bad_files_like_the_plain_build(runner, tmp_path, root):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "good.txt").write_text((root / "seeds").glob("*.txt").__next__().read_text("utf-8"), "utf-8")
    (tmp_path / "in" / "empty.txt").write_bytes(b"")
    result = kg.build([str(tmp_path / "in")], out=tmp_path / "out", runner=runner)
    assert [os.path.basename(e.source) for e in result.errors] == ["empty.txt"] and result.files == 1 and result.articles


def test_cli_dask_local_and_its_errors(root, tmp_path, capsys):
    assert main(["build", str(root / "seeds"), "--out", str(tmp_path / "out"), "--dask", "local", "-j", "2", "-q"]) == 0
    assert (tmp_path / "out" / "graph.ttl").read_bytes() == (root / "output" / "graph.ttl").read_bytes()
    assert main(["build", str(root / "seeds"), "--out", str(tmp_path / "x"), "--partitions", "3"]) == 2
    assert "--partitions needs --dask" in capsys.readouterr().err


def test_dask_workers_learn_the_user_dictionary(root, runner, tmp_path):
    """The workers load the user's terms themselves: the graph is the plain build's."""
    terms = tmp_path / "terms.txt"
    terms.write_text("# my terms\n湘蓝再生\tEnterprise\t湘蓝\n", encoding="utf-8")
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "p.txt").write_text(
        "湖南日报11月15日讯 1至10月，湖南省衡阳市进出口总值397.6亿元，同比增长13.9%。湘蓝再生签约落户衡阳。\n", "utf-8")
    plain = kg.build([str(tmp_path / "in")], user_dicts=[terms], out=tmp_path / "plain")
    on_dask = kg.build([str(tmp_path / "in")], user_dicts=[terms], out=tmp_path / "dask", runner=runner)
    assert "湘蓝再生" in {e.label for e in on_dask.entities}
    assert [e.iri for e in on_dask.entities] == [e.iri for e in plain.entities]
    assert list(on_dask.lines()) == list(plain.lines())
