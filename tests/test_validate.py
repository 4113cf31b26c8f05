"""SHACL validation (kg.check.validate, ontology/shapes.ttl): the seeds graph conforms, and graphs
broken in one place are caught with a message that names the problem in plain words."""

import argparse

import pytest
import rdflib
from rdflib import Literal, URIRef

pytest.importorskip("pyshacl")

from kg.check import validate  # noqa: E402
from kg.sparql.graphfile import GraphError  # noqa: E402
from kg.vocab import KG, KGR, PROV, RDF, RDFS  # noqa: E402

R = str(KGR)
# (xsd datatypes spelt out: pytest's collector probes a module-level rdflib namespace and rdflib warns)
DECIMAL = URIRef("http://www.w3.org/2001/XMLSchema#decimal")
GYEARMONTH = URIRef("http://www.w3.org/2001/XMLSchema#gYearMonth")

# A small graph with every class, relation and observation attribute of the contract.
VALID = """
@prefix kg:   <https://w3id.org/zhkg/ontology#> .
@prefix rdf:  <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd:  <http://www.w3.org/2001/XMLSchema#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix geo:  <http://www.w3.org/2003/01/geo/wgs84_pos#> .

<R:article/p-1> a kg:Article ; kg:sourceFile "p.txt" ; kg:charStart 0 ; kg:charEnd 120 ;
    kg:title "衡阳进出口贸易「加速跑」"@zh ; kg:date "2023-11-15"^^xsd:date .
<R:source/gb2260> rdfs:label "GB/T 2260 中华人民共和国行政区划代码"@zh .

<R:region/430000> a kg:Province ; rdfs:label "湖南省"@zh ; skos:altLabel "湖南"@zh ;
    kg:adcode "430000" ; geo:lat 28.11 ; geo:long 112.98 ; kg:mentionedIn <R:article/p-1> ;
    kg:importsFrom <R:territory/HK> .
<R:region/430400> a kg:City ; rdfs:label "衡阳市"@zh ; kg:adcode "430400" ;
    kg:mentionedIn <R:article/p-1> ; kg:partOf <R:region/430000> ;
    kg:exportsTo <R:country/RU> ; kg:imports <R:product/copper> .
<R:region/430482> a kg:County ; rdfs:label "常宁市"@zh ; kg:adcode "430482" ;
    kg:mentionedIn <R:article/p-1> .
<R:country/CN> a kg:Country ; rdfs:label "中国"@zh ; kg:isoCode "CN" ; kg:mentionedIn <R:article/p-1> ;
    kg:tradesWith <R:bloc/asean> .
<R:country/RU> a kg:Country ; rdfs:label "俄罗斯"@zh ; kg:isoCode "RU" ; kg:mentionedIn <R:article/p-1> .
<R:territory/HK> a kg:Territory ; rdfs:label "中国香港"@zh ; kg:isoCode "HK" ; kg:mentionedIn <R:article/p-1> .
<R:bloc/asean> a kg:EconomicBloc ; rdfs:label "东盟"@zh ; kg:mentionedIn <R:article/p-1> .
<R:product/copper> a kg:Product ; rdfs:label "铜精矿"@zh ; kg:mentionedIn <R:article/p-1> .
<R:enterprise/hlhg> a kg:Enterprise ; rdfs:label "华菱衡钢"@zh ; kg:mentionedIn <R:article/p-1> ;
    kg:locatedIn <R:region/430400> ; kg:participatesIn <R:project/gis> ; kg:exports <R:product/copper> .
<R:project/gis> a kg:Project ; rdfs:label "特变超特高压GIS智能工厂"@zh ; kg:mentionedIn <R:article/p-1> ;
    kg:locatedIn <R:region/430482> .
<R:industrycluster/uhv> a kg:IndustryCluster ; rdfs:label "衡阳特高压输电装备产业集群"@zh ;
    kg:mentionedIn <R:article/p-1> .
<R:platform/zbq> a kg:Platform ; rdfs:label "衡阳综保区"@zh ; kg:mentionedIn <R:article/p-1> .

<R:statement/1> a rdf:Statement ; rdf:subject <R:region/430400> ; rdf:predicate kg:partOf ;
    rdf:object <R:region/430000> ; prov:wasDerivedFrom <R:source/gb2260> ; kg:confidence 1.0 .
<R:statement/2> a rdf:Statement ; rdf:subject <R:region/430400> ; rdf:predicate kg:exportsTo ;
    rdf:object <R:country/RU> ; prov:wasDerivedFrom <R:article/p-1> ; kg:confidence 0.9 ;
    kg:evidence "衡阳对俄罗斯出口增长。"@zh .
<R:statement/3> a rdf:Statement ; rdf:subject <R:region/430400> ; rdf:predicate kg:imports ;
    rdf:object <R:product/copper> ; prov:wasDerivedFrom <R:article/p-1> ; kg:confidence 0.75 ;
    kg:evidence "衡阳进口铜精矿。"@zh .
<R:statement/4> a rdf:Statement ; rdf:subject <R:region/430000> ; rdf:predicate kg:importsFrom ;
    rdf:object <R:territory/HK> ; prov:wasDerivedFrom <R:article/p-1> ; kg:confidence 0.8 ;
    kg:evidence "湖南自中国香港进口。"@zh .
<R:statement/5> a rdf:Statement ; rdf:subject <R:country/CN> ; rdf:predicate kg:tradesWith ;
    rdf:object <R:bloc/asean> ; prov:wasDerivedFrom <R:article/p-1> ; kg:confidence 0.8 ;
    kg:evidence "东盟是我国第一大贸易伙伴。"@zh .
<R:statement/6> a rdf:Statement ; rdf:subject <R:enterprise/hlhg> ; rdf:predicate kg:locatedIn ;
    rdf:object <R:region/430400> ; prov:wasDerivedFrom <R:article/p-1> ; kg:confidence 0.9 ;
    kg:evidence "华菱衡钢位于衡阳。"@zh .
<R:statement/7> a rdf:Statement ; rdf:subject <R:enterprise/hlhg> ; rdf:predicate kg:participatesIn ;
    rdf:object <R:project/gis> ; prov:wasDerivedFrom <R:article/p-1> ; kg:confidence 0.7 ;
    kg:evidence "华菱衡钢签约该项目。"@zh .
<R:statement/8> a rdf:Statement ; rdf:subject <R:enterprise/hlhg> ; rdf:predicate kg:exports ;
    rdf:object <R:product/copper> ; prov:wasDerivedFrom <R:article/p-1> ; kg:confidence 0.6 ;
    kg:evidence "华菱衡钢出口铜精矿。"@zh .
<R:statement/9> a rdf:Statement ; rdf:subject <R:project/gis> ; rdf:predicate kg:locatedIn ;
    rdf:object <R:region/430482> ; prov:wasDerivedFrom <R:article/p-1> ; kg:confidence 0.9 ;
    kg:evidence "项目落户常宁。"@zh .

<R:observation/1> a kg:Observation ; kg:observedEntity <R:region/430400> ;
    kg:indicator "出口"@zh ; kg:value "39760000000"^^xsd:decimal ; kg:unit "CNY" ; kg:growthRate 13.9 ;
    kg:periodLabel "1至10月"@zh ; kg:periodStart "2023-01"^^xsd:gYearMonth ;
    kg:periodEnd "2023-10"^^xsd:gYearMonth ; kg:partner <R:country/RU> ; kg:product <R:product/copper> ;
    kg:qualifier "近"@zh ; prov:wasDerivedFrom <R:article/p-1> ; kg:confidence 0.85 ;
    kg:evidence "1至10月，衡阳对俄罗斯出口铜精矿近397.6亿元，同比增长13.9%。"@zh .
""".replace("<R:", "<" + R)


def r(local):
    return URIRef(R + local)


@pytest.fixture
def good():
    return rdflib.Graph().parse(data=VALID, format="turtle")


def problems(report, focus=None):
    """(focus, message) of each violation, IRIs shortened."""
    return {(validate.shorten(v["focus"]), v["message"]) for v in report.violations
            if focus is None or v["focus"] == str(focus)}


def test_every_shape_has_a_plain_message(root):
    sh = rdflib.Namespace("http://www.w3.org/ns/shacl#")
    g = rdflib.Graph().parse(root / "ontology" / "shapes.ttl", format="turtle")
    named = set(g.subjects(RDF.type, sh.NodeShape))  # the property shapes nested in sh:or need none
    shapes = named | {ps for shape in named for ps in g.objects(shape, sh.property)}
    assert len(named) > 10 and len(shapes) > 50
    for shape in shapes:
        has_constraints = any(p not in (sh.path, sh.message, RDF.type, RDFS.comment, sh.targetClass,
                                        sh.targetSubjectsOf, sh.target, sh.property, sh.sparql)
                              for p in g.predicates(shape))
        if has_constraints:
            messages = list(g.objects(shape, sh.message))
            assert len(messages) == 1, shape
            assert messages[0][:1].isupper(), messages[0]
    for constraint in g.objects(None, sh.sparql):
        assert len(list(g.objects(constraint, sh.message))) == 1


def test_the_hand_made_graph_conforms(good):
    report = validate.validate_graph(good)
    assert report.conforms, report.format()
    assert report.violations == [] and report.format() == "conforms"


def test_seeds_graph_file_conforms(root):
    path = root / "output" / "graph.ttl"
    if not path.is_file():
        pytest.skip("output/graph.ttl not built")
    report = validate.validate_path(path)
    assert report.conforms, report.format(limit=30)


def test_fresh_seeds_build_conforms(seeds_build):
    report = validate.validate_graph(seeds_build.graph)
    assert report.conforms, report.format(limit=30)


def test_entity_without_label(good):
    good.remove((r("region/430400"), RDFS.label, None))
    report = validate.validate_graph(good)
    assert not report.conforms
    assert problems(report) == {("kgr:region/430400", "An entity must have exactly one name (rdfs:label)")}
    assert report.format().splitlines() == [
        "kgr:region/430400: An entity must have exactly one name (rdfs:label)", "1 problem"]


def test_entity_with_two_labels_or_an_english_one(good):
    good.add((r("country/RU"), RDFS.label, Literal("俄国", lang="zh")))
    good.set((r("bloc/asean"), RDFS.label, Literal("ASEAN", lang="en")))
    got = problems(validate.validate_graph(good))
    assert got == {("kgr:country/RU", "An entity must have exactly one name (rdfs:label)"),
                   ("kgr:bloc/asean", "An entity's name (rdfs:label) must be Chinese text tagged @zh")}


def test_entity_not_mentioned_and_with_two_classes(good):
    good.remove((r("platform/zbq"), KG.mentionedIn, None))
    good.add((r("enterprise/hlhg"), RDF.type, KG.Platform))
    got = problems(validate.validate_graph(good))
    assert ("kgr:platform/zbq",
            "An entity must name at least one article that mentions it (kg:mentionedIn)") in got
    assert any(f == "kgr:enterprise/hlhg" and m.startswith("An entity must belong to exactly one class")
               for f, m in got)


def test_region_and_country_codes(good):
    good.set((r("region/430482"), KG.adcode, Literal("4304")))
    good.set((r("country/RU"), KG.isoCode, Literal("rus")))
    good.remove((r("territory/HK"), KG.isoCode, None))
    got = {m for _, m in problems(validate.validate_graph(good))}
    assert any(m.startswith("A region's administrative code (kg:adcode) must be 6 digits") for m in got)
    assert any(m.startswith("A country's or territory's ISO code (kg:isoCode) must be two capital letters")
               for m in got)
    assert "A country or territory must have exactly one ISO code (kg:isoCode, a plain string)" in got


def test_article_problems(good):
    a = r("article/p-1")
    good.remove((a, KG.sourceFile, None))
    good.set((a, KG.charStart, Literal(500)))
    good.set((a, KG.date, Literal("15 Nov 2023")))
    got = {m for _, m in problems(validate.validate_graph(good), a)}
    assert got == {
        "An article must have exactly one source file (kg:sourceFile, a plain string)",
        "An article cannot start (kg:charStart) after it ends (kg:charEnd)",
        "An article can have at most one publication date (kg:date, an xsd:date such as 2023-11-15)",
    }


def test_observation_without_value(good):
    ob = r("observation/1")
    good.remove((ob, KG.value, None))
    report = validate.validate_graph(good)
    assert problems(report) == {
        ("kgr:observation/1", "An observation must have a value (kg:value, a decimal) and a unit (kg:unit), unless it states only a growth rate (kg:growthRate, then with neither)")}
    assert report.format().splitlines()[0] == \
        "kgr:observation/1: An observation must have a value (kg:value, a decimal) and a unit (kg:unit), unless it states only a growth rate (kg:growthRate, then with neither)"


def test_growth_without_value_or_unit_conforms(good):
    # 对韩国进出口增长2.3%: a growth stated without a figure
    ob = r("observation/1")
    good.remove((ob, KG.value, None))
    good.remove((ob, KG.unit, None))
    assert validate.validate_graph(good).conforms
    good.remove((ob, KG.growthRate, None))
    assert not validate.validate_graph(good).conforms


def test_observation_attribute_problems(good):
    ob = r("observation/1")
    good.set((ob, KG.value, Literal("397.6亿元")))
    good.set((ob, KG.partner, r("product/copper")))
    good.remove((ob, KG.periodEnd, None))
    good.remove((ob, KG.indicator, None))
    got = {m for _, m in problems(validate.validate_graph(good), ob)}
    assert got == {
        "An observation can have at most one value (kg:value), and it must be a decimal",
        "An observation can have at most one partner (kg:partner), and it must be a trade partner "
        "(a Country, Territory or EconomicBloc)",
        "An observation's period needs both a start and an end (kg:periodStart and kg:periodEnd), or neither",
        "An observation must have exactly one indicator (kg:indicator, Chinese text tagged @zh such as 进出口总值)",
    }


def test_period_that_ends_before_it_starts(good):
    good.set((r("observation/1"), KG.periodStart, Literal("2023-11", datatype=GYEARMONTH)))
    report = validate.validate_graph(good)
    assert problems(report) == {("kgr:observation/1", "An observation's period cannot end (kg:periodEnd) "
                                                      "before it starts (kg:periodStart)")}
    assert report.violations[0]["value"] == '"2023-10"^^xsd:gYearMonth'


def test_relation_without_its_statement(good):
    good.remove((r("statement/2"), None, None))
    report = validate.validate_graph(good)
    assert not report.conforms
    [v] = report.violations
    assert (v["focus"], v["path"], v["value"]) == (R + "region/430400", str(KG.exportsTo), R + "country/RU")
    assert v["message"].startswith("A relation must be backed by a statement (an rdf:Statement")
    assert report.format().splitlines()[0].endswith("(found: kgr:country/RU)")


def test_statement_without_its_relation(good):
    good.remove((r("region/430400"), KG.imports, r("product/copper")))
    got = problems(validate.validate_graph(good))
    assert got == {("kgr:statement/3", "A relation statement describes a relation that is missing from "
                                       "the graph (the triple of its rdf:subject, rdf:predicate and rdf:object)")}


def test_confidence_out_of_range(good):
    good.set((r("statement/6"), KG.confidence, Literal("1.5", datatype=DECIMAL)))
    report = validate.validate_graph(good)
    assert problems(report) == {("kgr:statement/6", "A confidence (kg:confidence) must be between 0 and 1")}
    assert report.violations[0]["value"] == '"1.5"^^xsd:decimal'


def test_statement_without_source_or_evidence(good):
    good.remove((r("statement/5"), PROV.wasDerivedFrom, None))
    good.remove((r("statement/8"), KG.evidence, None))
    good.remove((r("statement/7"), KG.confidence, None))
    got = problems(validate.validate_graph(good))
    assert got == {
        ("kgr:statement/5", "A relation statement must name its source (prov:wasDerivedFrom: the article, "
                            "or the reference table)"),
        ("kgr:statement/8", "A relation statement that comes from an article must quote the sentence that "
                            "states it (kg:evidence)"),
        ("kgr:statement/7", "A relation statement must have exactly one confidence (kg:confidence, a decimal)"),
    }


def test_part_of_a_country(good):
    city, ru = r("region/430400"), r("country/RU")
    good.add((city, KG.partOf, ru))
    st = r("statement/10")
    for p, o in ((RDF.type, RDF.Statement), (RDF.subject, city), (RDF.predicate, KG.partOf), (RDF.object, ru),
                 (PROV.wasDerivedFrom, r("source/gb2260")), (KG.confidence, Literal("1", datatype=DECIMAL))):
        good.add((st, p, o))
    report = validate.validate_graph(good)
    [v] = report.violations
    assert v["message"] == ("A region can only be part of another region "
                            "(kg:partOf must point to a Province, City or County)")
    assert (v["focus"], v["path"], v["value"]) == (str(city), str(KG.partOf), str(ru))


def test_domains_and_ranges_of_relations(good):
    good.add((r("country/RU"), KG.exports, r("product/copper")))       # only 中国 trades among countries
    good.add((r("region/430400"), KG.tradesWith, r("product/copper")))  # a product is no trade partner
    good.add((r("project/gis"), KG.participatesIn, r("project/gis")))   # a project is no enterprise
    for i, (s, p, o) in enumerate(((r("country/RU"), KG.exports, r("product/copper")),
                                   (r("region/430400"), KG.tradesWith, r("product/copper")),
                                   (r("project/gis"), KG.participatesIn, r("project/gis")))):
        st = r(f"statement/x{i}")
        for pp, oo in ((RDF.type, RDF.Statement), (RDF.subject, s), (RDF.predicate, p), (RDF.object, o),
                       (PROV.wasDerivedFrom, r("source/gb2260")),
                       (KG.confidence, Literal("0.5", datatype=DECIMAL))):
            good.add((st, pp, oo))
    got = problems(validate.validate_graph(good))
    assert ("kgr:region/430400", "A trade relation (kg:tradesWith) must point to a trade partner "
                                 "(a Country, Territory or EconomicBloc)") in got
    assert ("kgr:project/gis", "Only an enterprise (kg:Enterprise) can take part in a project "
                               "(kg:participatesIn)") in got
    assert any(f == "kgr:country/RU" and m.startswith("Only a region, an enterprise, a platform or 中国 itself")
               for f, m in got)
    assert len(got) == 3


def test_violations_are_sorted_and_deterministic(good):
    good.remove((r("observation/1"), KG.value, None))
    good.remove((r("region/430400"), RDFS.label, None))
    good.remove((r("bloc/asean"), RDFS.label, None))
    first = validate.validate_graph(good)
    again = validate.validate_graph(good)
    assert first.violations == again.violations
    assert [v["focus"] for v in first.violations] == sorted(v["focus"] for v in first.violations)
    assert first.format(limit=2).splitlines()[-1] == "3 problems (showing 2)"


def test_unparsable_graph_raises_graph_error(tmp_path):
    bad = tmp_path / "bad.ttl"
    bad.write_text("<a> <b> .", encoding="utf-8")
    with pytest.raises(GraphError) as err:
        validate.validate_path(bad)
    assert "bad.ttl" in str(err.value) and "\n" not in str(err.value)
    with pytest.raises(GraphError):
        validate.validate_path(tmp_path / "missing.ttl")


# ---------------------------------------------------------------- the validate sub-command


def run_cli(argv):
    p = argparse.ArgumentParser(prog="kg")
    sub = p.add_subparsers(dest="command", required=True)
    validate.register(sub)
    args = p.parse_args(argv)
    return args.func(args)


def test_named_graphs_are_validated_as_one_graph(tmp_path, good):
    # a build with --format trig may keep a relation and its rdf:Statement in different graphs
    ds = rdflib.Dataset()
    statements, rest = ds.graph(URIRef("urn:x:statements")), ds.graph(URIRef("urn:x:rest"))
    reified = set(good.subjects(RDF.type, RDF.Statement))
    for t in good:
        (statements if t[0] in reified else rest).add(t)
    ds.serialize(tmp_path / "g.trig", format="trig")
    report = validate.validate_path(tmp_path / "g.trig")
    assert report.conforms, report.format()


def test_cli_exit_codes(tmp_path, good, capsys):
    ok = tmp_path / "ok.ttl"
    good.serialize(ok, format="turtle")
    assert run_cli(["validate", str(ok)]) == 0
    assert capsys.readouterr().out.strip() == "conforms"

    good.remove((r("observation/1"), KG.value, None))
    good.set((r("statement/6"), KG.confidence, Literal("1.5", datatype=DECIMAL)))
    broken = tmp_path / "broken.nt"
    good.serialize(broken, format="nt", encoding="utf-8")
    assert run_cli(["validate", str(broken)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out == ["kgr:observation/1: An observation must have a value (kg:value, a decimal) and a unit (kg:unit), unless it states only a growth rate (kg:growthRate, then with neither)",
                   'kgr:statement/6: A confidence (kg:confidence) must be between 0 and 1 (found: "1.5"^^xsd:decimal)',
                   "2 problems"]
    assert run_cli(["validate", str(broken), "--max", "1"]) == 1
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 2 and out[-1] == "2 problems (showing 1)"

    garbage = tmp_path / "garbage.ttl"
    garbage.write_text("this is not turtle", encoding="utf-8")
    assert run_cli(["validate", str(garbage)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("kg: error: ") and "garbage.ttl" in err and err.count("\n") == 1
    assert run_cli(["validate", str(tmp_path / "nowhere.ttl")]) == 2
    assert "no such graph file" in capsys.readouterr().err


def test_cli_rejects_a_negative_max(tmp_path):
    with pytest.raises(SystemExit):
        run_cli(["validate", "g.ttl", "--max", "-1"])
