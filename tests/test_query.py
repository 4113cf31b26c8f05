"""`kg query` and the ready queries, answered on the seeds graph (output/graph.ttl) the way a
researcher would read them; both engines; the result writers; errors."""

import argparse
import csv
import io
import json
import pathlib
from decimal import Decimal

import pytest

from kg.sparql import engines
from kg.sparql import query as kq
from kg.sparql.graphfile import GraphError
from kg.sparql.query import (QueryError, display_width, format_csv, format_json, format_table, format_tsv,
                      format_xml, ready_queries, run_query)

ROOT = pathlib.Path(__file__).resolve().parent.parent
GRAPH = ROOT / "output" / "graph.ttl"
REPO_QUERIES = ROOT / "queries"

pytestmark = pytest.mark.skipif(not GRAPH.is_file(), reason="output/graph.ttl has not been built")

try:
    import pyoxigraph  # noqa: F401

    HAVE_OXIGRAPH = True
except ImportError:  # pragma: no cover
    HAVE_OXIGRAPH = False

needs_oxigraph = pytest.mark.skipif(not HAVE_OXIGRAPH, reason="pyoxigraph is not installed")


def ask(name, engine="auto"):
    return run_query(GRAPH, name, engine=engine).dicts()


def only(rows, **match):
    return [r for r in rows if all(r.get(k) == v for k, v in match.items())]


# ---------------------------------------------------------------- the ready queries


def test_there_are_at_least_ten_ready_queries_each_asking_a_question():
    found = ready_queries()
    assert len(found) >= 10
    for name, text in found.items():
        first = text.splitlines()[0]
        assert first.startswith("# ") and first.rstrip().endswith((".", "?")), name
        for prefix in ("kg:",):
            assert prefix in text


def test_trade_partners_of_hengyang_include_rcep_with_value_growth_and_period():
    rows = ask("trade-partners")
    rcep = only(rows, place="衡阳市", partner="RCEP")
    assert len(rcep) == 1
    r = rcep[0]
    assert r["value"] == 8379000000 and isinstance(r["value"], Decimal)
    assert r["growth"] == 30
    assert r["period"] == "1至10月" and r["periodStart"] == "2023-01" and r["periodEnd"] == "2023-10"
    assert r["partnerType"] == "EconomicBloc" and r["unit"] == "CNY"
    # pairs stated only as export are found too (the graph does not add tradesWith for them)
    assert only(rows, place="怀化市", partner="泰国", direction="exportsTo")
    # partners without a figure still appear
    assert only(rows, place="中国", partner="美国")[0]["value"] is None


def test_partners_by_growth_puts_the_fastest_first():
    rows = ask("partners-by-growth")
    growth = [r["growth"] for r in rows]
    assert growth == sorted(growth, reverse=True) and None not in growth
    assert (rows[0]["place"], rows[0]["partner"], rows[0]["growth"]) == ("长沙市", "俄罗斯", Decimal("63.6"))
    assert only(rows, place="衡阳市", partner="RCEP", growth=30)


def test_enterprises_by_city_follow_counties_up_to_their_city():
    rows = ask("enterprises-by-city")
    # 大唐先一 is placed in 天心区, which is part of 长沙市
    assert only(rows, city="长沙市", name="大唐先一", kind="Enterprise", via="天心区")
    assert only(rows, city="衡阳市", name="衡阳株潭特高压输电装备产业集群", kind="IndustryCluster")
    # placed both in 石峰区 and in 株洲市: listed once for the city
    assert len(only(rows, city="株洲市", name="株洲市石峰区功率半导体产业集群")) == 1
    assert {r["kind"] for r in rows} <= {"Enterprise", "IndustryCluster"}


def test_projects_by_place_name_where_and_who():
    rows = ask("projects-by-place")
    assert only(rows, project="特变超特高压GIS智能工厂", place="衡阳市", city="衡阳市")
    assert only(rows, project="长沙兴联路大道项目", participant="中交一公局集团", city="长沙市")
    assert only(rows, project="“天心数谷”一期", place="天心区", city="长沙市")
    assert "investment" in run_query(GRAPH, "projects-by-place").variables


def test_indicator_series_groups_every_observation_by_indicator():
    rows = ask("indicator-series")
    total = run_query(GRAPH, "SELECT (COUNT(*) AS ?n) WHERE { ?o a kg:Observation }").rows[0][0]
    assert len(rows) == total
    indicators = [r["indicator"] for r in rows]
    assert indicators == sorted(indicators)  # grouped: one run per indicator
    totals = only(rows, indicator="进出口总值", entity="长沙市")
    assert [r["periodStart"] for r in totals] == ["2023-01", "2024-01"]  # across periods, in order
    hengyang = only(rows, indicator="进出口总值", entity="衡阳市")[0]
    assert hengyang["value"] == 39760000000 and hengyang["growth"] == Decimal("13.9")


def test_product_trade_shows_changsha_exporting_construction_machinery():
    rows = ask("product-trade")
    machinery = only(rows, product="工程机械", direction="exports", trader="长沙市")
    assert {r["value"] for r in machinery} == {19540000000, 24200000000}
    assert {r["growth"] for r in machinery} == {Decimal("56.1"), Decimal("23.9")}
    assert only(rows, product="铜精矿", direction="imports", trader="五矿矿业", traderType="Enterprise")
    for r in rows:  # an import figure is never shown as an export, nor the reverse
        if r["indicator"]:
            assert not (r["direction"] == "exports" and "进口" in r["indicator"])
            assert not (r["direction"] == "imports" and "出口" in r["indicator"])


def test_provenance_gives_the_sentence_and_article_behind_a_located_in_fact():
    rows = ask("provenance")
    facts = only(rows, subject="衡阳综保区", relation="locatedIn", object="衡阳市")
    assert facts
    f = facts[0]
    assert "衡阳综保区" in f["evidence"]
    assert f["file"] == "000_ab0ef6abe0b58fe4.txt" and f["date"] == "2023-11-15"
    assert f["title"] == "衡阳进出口贸易「加速跑」"
    assert 0 < f["confidence"] <= 1
    table = only(rows, subject="衡阳市", relation="partOf", object="湖南省")[0]
    assert table["evidence"] is None and table["source"].endswith("source/gb2260")
    statements = run_query(GRAPH, "SELECT (COUNT(*) AS ?n) WHERE { ?s a rdf:Statement }").rows[0][0]
    assert len(rows) == statements


def test_most_mentioned_entities_put_hunan_first():
    rows = ask("most-mentioned")
    assert rows[0]["entity"] == "湖南省" and rows[0]["kind"] == "Province"
    counts = [r["articles"] for r in rows]
    assert counts == sorted(counts, reverse=True)
    assert all(isinstance(c, int) and r["pages"] <= c for c, r in zip(counts, rows))


def test_regions_have_adcodes_coordinates_and_parents():
    rows = ask("regions")
    hy = only(rows, region="衡阳市")[0]
    assert (hy["adcode"], hy["level"], hy["partOf"]) == ("430400", "City", "湖南省")
    assert 26 < hy["lat"] < 27.5 and 112 < hy["long"] < 113
    codes = [r["adcode"] for r in rows]
    assert codes == sorted(codes) and all(len(c) == 6 and c.isdigit() for c in codes)
    assert only(rows, region="天心区", partOf="长沙市", level="County")


def test_platform_trade_shows_the_hengyang_bonded_zone_first():
    rows = ask("platform-trade")
    zone = only(rows, platform="衡阳综保区")
    assert only(zone, what="exports", counterpart="大宗商品", locatedIn="衡阳市")
    figure = only(zone, what="进出口总值")[0]
    assert figure["value"] == 19460000000 and figure["growth"] == Decimal("53.7")
    # platforms with trade facts come before the bare inventory
    seen_empty = False
    for r in rows:
        if r["what"] is None:
            seen_empty = True
        else:
            assert not seen_empty


def test_approximate_values_carry_their_qualifier():
    rows = ask("approximate-values")
    assert rows and all(r["qualifier"] for r in rows)
    total = only(rows, entity="湖南省", indicator="进出口总值")[0]
    assert total["qualifier"] == "逾" and total["value"] == 560000000000
    assert all(str(r["value"]).isdigit() for r in rows)


def test_articles_count_what_each_article_gave():
    rows = ask("articles")
    articles = run_query(GRAPH, "SELECT (COUNT(*) AS ?n) WHERE { ?a a kg:Article }").rows[0][0]
    assert len(rows) == articles
    first = only(rows, file="000_ab0ef6abe0b58fe4.txt", charStart=2)[0]
    assert first["title"] == "衡阳进出口贸易「加速跑」" and first["date"] == "2023-11-15"
    assert first["relations"] > 0 and first["observations"] > 0 and first["entities"] > 0


# ---------------------------------------------------------------- engines


@needs_oxigraph
@pytest.mark.parametrize("name", sorted(ready_queries()))
def test_oxigraph_and_rdflib_give_the_same_rows(name):
    a = run_query(GRAPH, name, engine="oxigraph")
    b = run_query(GRAPH, name, engine="rdflib")
    assert a.engine == "oxigraph" and b.engine == "rdflib"
    assert a.variables == b.variables
    assert a.rows == b.rows
    assert format_json(a) == format_json(b)


@needs_oxigraph
def test_engines_agree_on_ask_construct_and_ad_hoc_queries():
    q = "ASK { <https://w3id.org/zhkg/resource/region/430400> kg:partOf <https://w3id.org/zhkg/resource/region/430000> }"
    assert run_query(GRAPH, q, "oxigraph").boolean is True
    assert run_query(GRAPH, q, "rdflib").boolean is True
    c = "CONSTRUCT { ?s kg:partOf ?o } WHERE { ?s kg:partOf ?o }"
    a, b = run_query(GRAPH, c, "oxigraph"), run_query(GRAPH, c, "rdflib")
    assert a.graph and sorted(a.rows) == sorted(b.rows) and len(a.rows) > 10


def test_rdflib_is_the_fallback_without_pyoxigraph(monkeypatch):
    monkeypatch.setattr(engines, "have_oxigraph", lambda: False)
    r = run_query(GRAPH, "regions")
    assert r.engine == "rdflib" and only(r.dicts(), region="衡阳市")
    with pytest.raises(ValueError, match="pyoxigraph"):
        run_query(GRAPH, "regions", engine="oxigraph")


@needs_oxigraph
def test_a_store_or_an_rdflib_graph_can_be_queried_directly():
    import pyoxigraph as ox
    from rdflib import Graph

    store = ox.Store()
    store.load(path=str(GRAPH), format=ox.RdfFormat.TURTLE)
    g = Graph()
    g.parse(GRAPH, format="turtle")
    a = run_query(store, "partners-by-growth")
    b = run_query(g, "partners-by-growth")
    assert a.engine == "oxigraph" and b.engine == "rdflib" and a.rows == b.rows
    assert run_query(g, "partners-by-growth", engine="oxigraph").rows == a.rows


@pytest.mark.parametrize("suffix,fmt", [(".nt", "nt"), (".trig", "trig"), (".nq", "nquads"), (".jsonld", "json-ld")])
def test_other_rdf_files_are_read_with_named_graphs_as_the_default_graph(tmp_path, suffix, fmt):
    from rdflib import Dataset, Graph, URIRef

    g = Graph()
    g.parse(GRAPH, format="turtle")
    path = tmp_path / f"graph{suffix}"
    if fmt in ("trig", "nquads"):
        ds = Dataset()
        named = ds.graph(URIRef("https://w3id.org/zhkg/resource/article/x"))
        for t in g:
            named.add(t)
        ds.serialize(path, format=fmt)
    else:
        g.serialize(path, format=fmt)
    engines = ["rdflib"] + (["oxigraph"] if HAVE_OXIGRAPH else [])
    for engine in engines:
        r = run_query(path, "approximate-values", engine=engine)
        assert r.rows == run_query(GRAPH, "approximate-values", engine=engine).rows, engine


# ---------------------------------------------------------------- writers


def test_csv_has_the_variables_as_header_and_lexical_values():
    r = run_query(GRAPH, "partners-by-growth")
    text = format_csv(r)
    assert text.endswith("\r\n")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == r.variables == ["place", "partner", "growth", "indicator", "value", "unit",
                                      "period", "periodStart", "periodEnd"]
    assert ["衡阳市", "RCEP", "30", "进出口", "8379000000", "CNY", "1至10月", "2023-01", "2023-10"] in rows


def test_json_follows_the_sparql_results_format():
    r = run_query(GRAPH, "SELECT ?r ?label ?lat WHERE { ?r kg:adcode \"430400\" ; rdfs:label ?label ; geo:lat ?lat }")
    data = json.loads(format_json(r))
    assert data["head"]["vars"] == ["r", "label", "lat"]
    (b,) = data["results"]["bindings"]
    assert b["r"] == {"type": "uri", "value": "https://w3id.org/zhkg/resource/region/430400"}
    assert b["label"] == {"type": "literal", "value": "衡阳市", "xml:lang": "zh"}
    assert b["lat"]["datatype"] == "http://www.w3.org/2001/XMLSchema#decimal"
    ask_ = json.loads(format_json(run_query(GRAPH, "ASK { ?s a kg:Territory }")))
    assert ask_ == {"head": {}, "boolean": True}
    # unbound variables are left out of a binding
    part = json.loads(format_json(run_query(GRAPH, "trade-partners")))
    assert any("value" not in b for b in part["results"]["bindings"])


def test_xml_and_tsv_writers():
    import xml.etree.ElementTree as ET

    r = run_query(GRAPH, "SELECT ?label WHERE { kgr:region\\/430400 rdfs:label ?label }")
    root = ET.fromstring(format_xml(r))
    ns = "{http://www.w3.org/2005/sparql-results#}"
    lit = root.find(f"{ns}results/{ns}result/{ns}binding/{ns}literal")
    assert lit.text == "衡阳市" and lit.get("{http://www.w3.org/XML/1998/namespace}lang") == "zh"
    assert format_tsv(r) == '?label\n"衡阳市"@zh\n'


def test_table_aligns_chinese_columns():
    r = run_query(GRAPH, "SELECT ?region ?adcode WHERE { ?r kg:adcode ?adcode ; rdfs:label ?region } ORDER BY ?adcode")
    lines = format_table(r).splitlines()
    body = lines[:-1]  # the last line counts the rows
    assert lines[-1] == f"({len(r)} rows)"
    # every line has the same display width: the six-digit adcodes start in one column
    assert len({display_width(line) for line in body}) == 1
    assert display_width("衡阳市") == 6 and display_width("RCEP") == 4


def test_table_shortens_iris_and_cuts_long_cells():
    r = run_query(GRAPH, "SELECT ?s ?e WHERE { ?s a rdf:Statement ; kg:evidence ?e } LIMIT 3")
    text = format_table(r, max_width=20)
    assert "kgr:statement/" in text and "https://" not in text
    assert "…" in text
    assert all(display_width(line) <= 20 + 2 + 30 for line in text.splitlines())


# ---------------------------------------------------------------- errors and the command


def test_bad_sparql_is_a_one_line_query_error():
    for engine in ["rdflib"] + (["oxigraph"] if HAVE_OXIGRAPH else []):
        with pytest.raises(QueryError) as err:
            run_query(GRAPH, "SELECT ?x WHERE { ?x a kg:City", engine=engine)
        assert "\n" not in str(err.value) and str(err.value).startswith("bad SPARQL")
        assert isinstance(err.value, ValueError)


def test_unknown_names_files_and_updates_are_query_errors():
    with pytest.raises(QueryError, match="no ready query named"):
        run_query(GRAPH, "no-such-query")
    with pytest.raises(QueryError, match="no such query file"):
        run_query(GRAPH, "missing.rq")
    with pytest.raises(QueryError, match="read-only"):
        run_query(GRAPH, "PREFIX kg: <https://w3id.org/zhkg/ontology#>\nDELETE WHERE { ?s ?p ?o }")


def test_a_query_file_is_read(tmp_path):
    f = tmp_path / "cities.rq"
    f.write_text("# cities\nSELECT ?c WHERE { ?c a kg:City }\n", encoding="utf-8")
    assert len(run_query(GRAPH, str(f))) == len(run_query(GRAPH, "SELECT ?c WHERE { ?c a kg:City }"))


def test_missing_or_unparsable_graph_is_a_graph_error(tmp_path):
    with pytest.raises(GraphError, match="no such graph file"):
        run_query(tmp_path / "none.ttl", "regions")
    bad = tmp_path / "bad.ttl"
    bad.write_text("@prefix kg: <https://w3id.org/zhkg/ontology#> .\nkg:a kg:b \"unterminated .\n", encoding="utf-8")
    for engine in ["rdflib"] + (["oxigraph"] if HAVE_OXIGRAPH else []):
        with pytest.raises(GraphError, match="cannot be parsed") as err:
            run_query(bad, "regions", engine=engine)
        assert "\n" not in str(err.value)


def _cli(argv):
    p = argparse.ArgumentParser(prog="kg")
    sub = p.add_subparsers(dest="command", required=True)
    kq.register(sub)
    args = p.parse_args(argv)
    return args.func(args)


def test_command_runs_a_named_query_in_each_format(capsys):
    assert _cli(["query", str(GRAPH), "partners-by-growth"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0].split() == ["place", "partner", "growth", "indicator", "value", "unit",
                                          "period", "periodStart", "periodEnd"]
    assert "RCEP" in out and "(10 rows)" in out  # 6 figures, 4 growths stated alone (前11月对中国香港…增长8.4%)
    assert _cli(["query", str(GRAPH), "regions", "--format", "csv", "--engine", "rdflib"]) == 0
    assert capsys.readouterr().out.startswith("adcode,region,level,lat,long,partOf\r\n")
    assert _cli(["query", str(GRAPH), "ASK { ?s a kg:City }", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["boolean"] is True


def test_command_lists_the_ready_queries(capsys):
    assert _cli(["query", "--list"]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert len(lines) == len(ready_queries())
    assert any(line.startswith("trade-partners") and "trade partners" in line for line in lines)


@pytest.mark.parametrize("argv,message", [
    (["query", "GRAPH", "SELECT ?x WHERE {"], "bad SPARQL"),
    (["query", "missing.ttl", "regions"], "no such graph file"),
    (["query", "GRAPH", "nope"], "no ready query named"),
    (["query", "GRAPH"], "needs GRAPH and QUERY"),
])
def test_command_errors_exit_2_with_one_line(capsys, argv, message):
    argv = [str(GRAPH) if a == "GRAPH" else a for a in argv]
    assert _cli(argv) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    err = captured.err.strip()
    assert "\n" not in err and err.startswith("kg: error:") and message in err
