"""A page whose year cannot be known: the build says so once, naming the file and --year."""

import rdflib

from kg.cli import main
from kg.vocab import KG

UNDATED = "长沙外贸稳中有进\n\n前10个月，长沙市进出口总值195.4亿元，同比增长6.1%。\n"
DATED = "长沙外贸稳中有进\n\n湖南日报2023年11月20日讯 前10个月，长沙市进出口总值195.4亿元，同比增长6.1%。\n"


def build(capsys, folder, out, *extra):
    capsys.readouterr()
    rc = main(["build", str(folder), "--out", str(out), "-q", *extra])
    return rc, capsys.readouterr().err


def period_starts(out):
    g = rdflib.Graph().parse(out / "graph.ttl")
    return sorted(str(o) for o in g.objects(None, KG.periodStart))


def test_an_undated_page_is_named_once_with_the_year_option(tmp_path, capsys):
    pages = tmp_path / "pages"
    pages.mkdir()
    (pages / "undated.txt").write_text(UNDATED, encoding="utf-8")
    (pages / "dated.txt").write_text(DATED.replace("长沙外贸", "株洲外贸"), encoding="utf-8")
    rc, err = build(capsys, pages, tmp_path / "out")
    assert rc == 0
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert "/undated.txt" in lines[0] and "--year" in lines[0] and "/dated.txt" not in lines[0]
    assert period_starts(tmp_path / "out") == ["2023-01"]  # only the dated page's period has a year


def test_the_year_option_quiets_it_and_dates_the_periods(tmp_path, capsys):
    pages = tmp_path / "pages"
    pages.mkdir()
    (pages / "undated.txt").write_text(UNDATED, encoding="utf-8")
    rc, err = build(capsys, pages, tmp_path / "out", "--year", "2024")
    assert rc == 0 and err == ""
    assert period_starts(tmp_path / "out") == ["2024-01"]
