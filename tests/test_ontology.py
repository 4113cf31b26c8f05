"""ontology/kg.ttl defines every term the code writes, with zh and en labels and comments."""

import rdflib
from rdflib.namespace import OWL

from kg.vocab import KG, RDF, RDFS


def test_every_vocab_term_is_defined_with_labels(root):
    g = rdflib.Graph().parse(root / "ontology" / "kg.ttl")
    kinds = {OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty}
    for name in KG.__annotations__:
        term = KG[name]
        assert set(g.objects(term, RDF.type)) & kinds, name
        for p in (RDFS.label, RDFS.comment):
            langs = {o.language for o in g.objects(term, p)}
            assert {"zh", "en"} <= langs, (name, p)


def test_subclass_and_subproperty_axioms(root):
    g = rdflib.Graph().parse(root / "ontology" / "kg.ttl")
    assert (KG.City, RDFS.subClassOf, KG.Region) in g
    assert (KG.Country, RDFS.subClassOf, KG.TradePartner) in g
    assert (KG.exportsTo, RDFS.subPropertyOf, KG.tradesWith) in g
