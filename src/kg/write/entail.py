"""The ontology's subclass and subproperty entailments, which the graph states outright.

ontology/kg.ttl says kg:City rdfs:subClassOf kg:Region and kg:exportsTo rdfs:subPropertyOf
kg:tradesWith. A SPARQL engine without reasoning (Oxigraph, rdflib, most triple stores as
configured) does not draw those conclusions, so `?x a kg:Region` and `?s kg:tradesWith ?o`
would miss 长沙市 and a pair stated only as 出口 (exportsTo). The writers add them: every
entity gets the superclasses of its class as types, every relation triple the triples of
the properties above its predicate. Only the direct triple is added: the rdf:Statement
(evidence, source, confidence) stays the one of the stated relation, so a reader (and
`kg evaluate`) tells what was read from what follows from it.

The table is read from the ontology file itself, never written by hand here.
"""

from __future__ import annotations

import functools

from kg.assets import shipped
from kg.vocab import RDFS


@functools.lru_cache(maxsize=1)
def _closures() -> tuple[dict[str, tuple[str, ...]], dict[str, tuple[str, ...]]]:
    """(class IRI → its superclasses, property IRI → its superproperties), transitive, sorted."""
    from rdflib import Graph, URIRef

    g = Graph().parse(data=(shipped("ontology") / "kg.ttl").read_text(encoding="utf-8"), format="turtle")
    tables = []
    for relation in (RDFS.subClassOf, RDFS.subPropertyOf):
        table = {}
        for term in {s for s in g.subjects(relation, None) if isinstance(s, URIRef)}:
            above = {str(t) for t in g.transitive_objects(term, relation) if isinstance(t, URIRef)} - {str(term)}
            if above:
                table[str(term)] = tuple(sorted(above))
        tables.append(table)
    return tables[0], tables[1]


def superclasses(cls_iri: str) -> tuple[str, ...]:
    """The classes the ontology puts above a class: kg:City → (kg:Region,)."""
    return _closures()[0].get(cls_iri, ())


def superproperties(prop_iri: str) -> tuple[str, ...]:
    """The properties the ontology puts above a property: kg:exportsTo → (kg:tradesWith,)."""
    return _closures()[1].get(prop_iri, ())


def subproperties(prop_iri: str) -> tuple[str, ...]:
    """The properties below a property: kg:tradesWith → (kg:exportsTo, kg:importsFrom)."""
    return tuple(sorted(p for p, above in _closures()[1].items() if prop_iri in above))
