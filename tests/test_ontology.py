"""ontology/kg.ttl defines every term the code writes, with zh and en labels and comments.

The file is the published form of the ontology contract (shared/spec/ONTOLOGY.md); the
package ships an identical copy (src/kg/ontology/kg.ttl).
"""

import pytest
import rdflib
from rdflib.collection import Collection
from rdflib import namespace as rns

from kg import vocab

KG, OWL, RDF, RDFS = vocab.KG, rns.OWL, rns.RDF, rns.RDFS  # (rns.XSD is used inline: at module
# level pytest's collector probes it for mock attributes and rdflib warns)

ONTOLOGY_IRI = rdflib.URIRef("https://w3id.org/zhkg/ontology")
KINDS = {OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty}


@pytest.fixture(scope="module")
def graph(root):
    return rdflib.Graph().parse(root / "ontology" / "kg.ttl", format="turtle")


def _union(g, node):
    """The classes of an owl:unionOf class expression, or {node} for a named class."""
    members = g.value(node, OWL.unionOf)
    return set(Collection(g, members)) if members is not None else {node}


def test_header(graph):
    assert (ONTOLOGY_IRI, RDF.type, OWL.Ontology) in graph
    langs = {o.language for o in graph.objects(ONTOLOGY_IRI, RDFS.label)}
    assert {"zh", "en"} <= langs


def test_every_vocab_term_is_defined_with_labels(graph):
    names = list(KG.__annotations__)
    assert names, "kg.vocab.KG lists no terms"
    for name in names:
        term = KG[name]
        assert set(graph.objects(term, RDF.type)) & KINDS, f"kg:{name} is not defined as class or property"
        for p in (RDFS.label, RDFS.comment):
            langs = [o.language for o in graph.objects(term, p)]
            assert "zh" in langs and "en" in langs, (name, p, langs)
            assert langs.count("zh") == 1 and langs.count("en") == 1, (name, p, langs)


def test_no_undeclared_terms(graph):
    """Every kg: IRI the ontology uses is one it defines (no typos like kg:Regoin)."""
    ns = str(KG._NS)
    used = {t for triple in graph for t in triple if isinstance(t, rdflib.URIRef) and str(t).startswith(ns)}
    defined = {s for s in graph.subjects(RDF.type, None) if str(s).startswith(ns)}
    assert used <= defined, used - defined


def test_subclass_and_subproperty_axioms(graph):
    for cls in (KG.Province, KG.City, KG.County):
        assert (cls, RDFS.subClassOf, KG.Region) in graph
    for cls in (KG.Country, KG.Territory, KG.EconomicBloc):
        assert (cls, RDFS.subClassOf, KG.TradePartner) in graph
    for prop in (KG.exportsTo, KG.importsFrom):
        assert (prop, RDFS.subPropertyOf, KG.tradesWith) in graph


def test_relation_domains_and_ranges(graph):
    traders = {KG.Region, KG.Enterprise, KG.Platform, KG.Country}
    expected = {
        KG.partOf: ({KG.Region}, KG.Region),
        KG.locatedIn: ({KG.Enterprise, KG.Project, KG.IndustryCluster, KG.Platform}, KG.Region),
        KG.tradesWith: (traders, KG.TradePartner),
        KG.exportsTo: (traders, KG.TradePartner),
        KG.importsFrom: (traders, KG.TradePartner),
        KG.exports: (traders, KG.Product),
        KG.imports: (traders, KG.Product),
        KG.participatesIn: ({KG.Enterprise}, KG.Project),
    }
    for prop, (domain, range_) in expected.items():
        assert (prop, RDF.type, OWL.ObjectProperty) in graph, prop
        assert _union(graph, graph.value(prop, RDFS.domain)) == domain, prop
        assert graph.value(prop, RDFS.range) == range_, prop


def test_attribute_kinds_and_ranges(graph):
    XSD = rns.XSD
    for prop in (KG.mentionedIn, KG.observedEntity, KG.partner, KG.product):
        assert (prop, RDF.type, OWL.ObjectProperty) in graph, prop
    assert graph.value(KG.mentionedIn, RDFS.range) == KG.Article
    datatypes = {
        KG.adcode: XSD.string, KG.isoCode: XSD.string, KG.confidence: XSD.decimal,
        KG.date: XSD.date, KG.sourceFile: XSD.string, KG.charStart: XSD.integer,
        KG.charEnd: XSD.integer, KG.value: XSD.decimal, KG.unit: XSD.string,
        KG.growthRate: XSD.decimal, KG.periodStart: XSD.gYearMonth, KG.periodEnd: XSD.gYearMonth,
        KG.evidence: RDF.langString, KG.title: RDF.langString, KG.indicator: RDF.langString,
        KG.periodLabel: RDF.langString, KG.qualifier: RDF.langString,
    }
    for prop, dt in datatypes.items():
        assert (prop, RDF.type, OWL.DatatypeProperty) in graph, prop
        assert graph.value(prop, RDFS.range) == dt, prop
    from rdflib.collection import Collection
    from rdflib.namespace import OWL as _OWL

    union = graph.value(graph.value(KG.confidence, RDFS.domain), _OWL.unionOf)
    assert set(Collection(graph, union)) == {RDF.Statement, KG.Observation}
    assert graph.value(KG.qualifier, RDFS.domain) == KG.Observation


def test_wheel_carries_the_one_copy_of_ontology_and_queries(root, tmp_path):
    """ontology/ and queries/ live once, at the root; the wheel maps them into the package."""
    import subprocess
    import sys
    import zipfile

    assert not (root / "src" / "kg" / "ontology").exists() and not (root / "src" / "kg" / "queries").exists()
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(tmp_path), str(root)],
                   check=True, capture_output=True)
    wheel = zipfile.ZipFile(next(tmp_path.glob("kg-*.whl")))
    for ttl in ("kg.ttl", "shapes.ttl"):
        assert wheel.read(f"kg/ontology/{ttl}") == (root / "ontology" / ttl).read_bytes()
    names = set(wheel.namelist())
    for rq in (root / "queries").glob("*.rq"):
        assert f"kg/queries/{rq.name}" in names


def test_ontology_doc_is_current(root):
    from kg.check.ontology_doc import render

    assert (root / "docs" / "ontology.md").read_text(encoding="utf-8") == render(), \
        "docs/ontology.md is stale: run `kg ontology-doc`"
