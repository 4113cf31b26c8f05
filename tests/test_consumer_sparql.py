"""Researchers writing SPARQL: what `kg query` answers them about classes and properties the
ontology defines, with ready queries' parameters, and when they forget the @zh tag."""

import json

import pytest
import rdflib

from kg.check.evaluate import evaluate, load_gold
from kg.cli import main
from kg.vocab import KG, RDF, RDFS


@pytest.fixture(scope="module")
def graph_file(seeds_build, tmp_path_factory):
    folder = tmp_path_factory.mktemp("out")
    seeds_build.write(folder, formats=("ttl",))
    return str(folder / "graph.ttl")


def ask(capsys, *args):
    """(exit code, JSON rows, stderr) of `kg query ... --format json`."""
    capsys.readouterr()
    rc = main(["query", *args, "--format", "json"])
    out, err = capsys.readouterr()
    if rc or not out.strip():
        return rc, [], err
    data = json.loads(out)
    if "boolean" in data:
        return rc, data["boolean"], err
    return rc, [{k: v["value"] for k, v in b.items()} for b in data["results"]["bindings"]], err


def number(capsys, graph_file, sparql, engine="auto"):
    rc, rows, err = ask(capsys, graph_file, sparql, "--engine", engine)
    assert rc == 0, err
    return int(rows[0]["n"])


@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
def test_abstract_classes_answer(capsys, graph_file, engine):
    for abstract, concrete in (("Region", "kg:Province, kg:City, kg:County"),
                               ("TradePartner", "kg:Country, kg:Territory, kg:EconomicBloc")):
        found = number(capsys, graph_file, f"SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {{ ?x a kg:{abstract} }}", engine)
        expected = number(capsys, graph_file, "SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE "
                                              f"{{ ?x a ?c FILTER(?c IN ({concrete})) }}", engine)
        assert found == expected > 10, abstract


def test_trades_with_covers_every_export_and_import(capsys, graph_file):
    missing = "ASK { ?s kg:exportsTo|kg:importsFrom ?o FILTER NOT EXISTS { ?s kg:tradesWith ?o } }"
    assert ask(capsys, graph_file, missing)[1] is False
    # and it matters: some pairs are stated only as exports or imports
    only_sub = ("SELECT (COUNT(*) AS ?n) WHERE { ?s kg:exportsTo|kg:importsFrom ?o "
                "FILTER NOT EXISTS { ?st rdf:subject ?s ; rdf:predicate kg:tradesWith ; rdf:object ?o } }")
    assert number(capsys, graph_file, only_sub) > 0


def test_every_entailment_of_the_ontology_is_in_the_graph(root, graph_file):
    ontology = rdflib.Graph().parse(root / "ontology" / "kg.ttl")
    data = rdflib.Graph().parse(graph_file)
    pairs = list(ontology.subject_objects(RDFS.subClassOf))
    assert (KG.City, KG.Region) in pairs
    for sub, sup in pairs:
        assert all((x, RDF.type, sup) in data for x in data.subjects(RDF.type, sub)), (sub, sup)
    for sub, sup in ontology.subject_objects(RDFS.subPropertyOf):
        assert all((s, sup, o) in data for s, o in data.subject_objects(sub)), (sub, sup)


def test_entailed_triples_score_nothing(root, graph_file):
    """`kg evaluate` counts what was read (statements, concrete classes): the same score
    with the entailed triples taken out."""
    data = rdflib.Graph().parse(graph_file)
    stated = {(s, p, o) for st in data.subjects(RDF.type, RDF.Statement)
              for s, p, o in [(data.value(st, RDF.subject), data.value(st, RDF.predicate), data.value(st, RDF.object))]}
    asserted = rdflib.Graph()
    for t in data:
        s, p, o = t
        entailed_type = p == RDF.type and o in (KG.Region, KG.TradePartner)
        entailed_trade = p == KG.tradesWith and t not in stated
        if not (entailed_type or entailed_trade):
            asserted.add(t)
    assert len(asserted) < len(data)
    gold = load_gold(root / "tests" / "data" / "gold")
    assert evaluate(data, gold).to_dict() == evaluate(asserted, gold).to_dict()


def test_the_ontology_is_loaded_beside_the_data(capsys, graph_file):
    rc, rows, err = ask(capsys, graph_file, "SELECT ?c WHERE { ?c rdfs:subClassOf kg:TradePartner } ORDER BY ?c")
    assert rc == 0 and [r["c"].rsplit("#")[-1] for r in rows] == ["Country", "EconomicBloc", "Territory"]
    rc, rows, err = ask(capsys, graph_file, 'SELECT ?l WHERE { kg:exportsTo rdfs:label ?l FILTER(LANG(?l) = "zh") }')
    assert rows == [{"l": "出口至"}]


def test_ready_query_parameters(capsys, graph_file):
    rc, everything, err = ask(capsys, graph_file, "partners-by-growth")
    rc, changsha, err = ask(capsys, graph_file, "partners-by-growth", "--param", "place=长沙")
    assert rc == 0, err
    assert changsha and len(changsha) < len(everything)
    assert all("长沙" in r["place"] for r in changsha)
    assert changsha == [r for r in everything if "长沙" in r["place"]]
    rc, both, err = ask(capsys, graph_file, "trade-partners", "--param", "place=衡阳", "--param", "partner=RCEP")
    assert both and all("衡阳" in r["place"] and r["partner"] == "RCEP" for r in both)


def test_a_wrong_parameter_is_one_line(capsys, graph_file):
    rc, _, err = ask(capsys, graph_file, "partners-by-growth", "--param", "city=长沙")
    assert rc == 2 and err == "kg: error: the query takes no parameter 'city'; it takes place, partner\n"
    rc, _, err = ask(capsys, graph_file, "partners-by-growth", "--param", "长沙")
    assert rc == 2 and err.count("\n") == 1 and "NAME=VALUE" in err


def test_list_shows_the_parameters(capsys):
    assert main(["query", "--list"]) == 0
    line = next(x for x in capsys.readouterr().out.splitlines() if x.startswith("partners-by-growth"))
    assert line.endswith("[--param place, partner]")


@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
def test_a_plain_literal_that_only_exists_as_zh_is_pointed_out(capsys, graph_file, engine):
    rc, rows, err = ask(capsys, graph_file, 'SELECT ?c WHERE { ?c rdfs:label "长沙市" }', "--engine", engine)
    assert rc == 0 and rows == []
    assert err.count("\n") == 1 and err.startswith("kg: note: ") and '"长沙市"@zh' in err
    rc, rows, err = ask(capsys, graph_file, 'SELECT ?c WHERE { ?c rdfs:label "长沙市"@zh }', "--engine", engine)
    assert rc == 0 and len(rows) == 1 and err == ""
    rc, rows, err = ask(capsys, graph_file, 'SELECT ?c WHERE { ?c rdfs:label "无此地" }', "--engine", engine)
    assert rc == 0 and rows == [] and err == ""  # nothing to point to
