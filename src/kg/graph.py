"""Stage 7, graph: the rdflib Graph under ontology/kg.ttl. The only module that knows RDF."""

from __future__ import annotations

import hashlib
from decimal import Decimal

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL

from kg.model import Article, Entity, Observation, Relation
from kg.vocab import GEO, KG, KGR, PROV, RDF, RDFS, SKOS, XSD

GB2260 = KGR["source/gb2260"]


def article_iri(key: str) -> URIRef:
    return KGR[f"article/{key}"]


def _digest(*parts) -> str:
    return hashlib.sha1("\x1f".join("" if p is None else str(p) for p in parts).encode("utf-8")).hexdigest()[:16]


def _decimal(x: float) -> Literal:
    d = Decimal(repr(float(x))).normalize()
    if d == d.to_integral():
        d = d.quantize(Decimal(1))
    return Literal(d, datatype=XSD.decimal)


def new_graph() -> Graph:
    g = Graph()
    for prefix, ns in (("kg", KG._NS), ("kgr", KGR), ("prov", PROV), ("skos", SKOS), ("geo", GEO),
                       ("rdfs", RDFS), ("xsd", XSD), ("owl", OWL)):
        g.bind(prefix, ns, override=True, replace=True)
    return g


def add_article(g: Graph, a: Article) -> None:
    node = article_iri(a.key)
    g.add((node, RDF.type, KG.Article))
    if a.title:
        g.add((node, KG.title, Literal(a.title, lang="zh")))
    if a.date:
        g.add((node, KG.date, Literal(a.date, datatype=XSD.date)))
    g.add((node, KG.sourceFile, Literal(a.source)))
    g.add((node, KG.charStart, Literal(a.char_start, datatype=XSD.integer)))
    g.add((node, KG.charEnd, Literal(a.char_end, datatype=XSD.integer)))


def add_entity(g: Graph, e: Entity) -> None:
    node = URIRef(e.iri)
    g.add((node, RDF.type, KG[e.cls]))
    g.add((node, RDFS.label, Literal(e.label, lang="zh")))
    for alias in sorted(e.aliases - {e.label}):
        g.add((node, SKOS.altLabel, Literal(alias, lang="zh")))
    for key in sorted(e.articles):
        g.add((node, KG.mentionedIn, article_iri(key)))
    if e.adcode:
        g.add((node, KG.adcode, Literal(e.adcode)))
    if e.iso_code:
        g.add((node, KG.isoCode, Literal(e.iso_code)))
    if e.lat is not None and e.long is not None:
        g.add((node, GEO.lat, _decimal(e.lat)))
        g.add((node, GEO.long, _decimal(e.long)))


def add_relation(g: Graph, r: Relation) -> None:
    s, p, o = URIRef(r.subject), KG[r.predicate], URIRef(r.object)
    g.add((s, p, o))
    st = KGR[f"statement/{_digest(r.subject, r.predicate, r.object, r.source, r.evidence)}"]
    g.add((st, RDF.type, RDF.Statement))
    g.add((st, RDF.subject, s))
    g.add((st, RDF.predicate, p))
    g.add((st, RDF.object, o))
    g.add((st, PROV.wasDerivedFrom, GB2260 if r.source == "gb2260" else article_iri(r.source)))
    if r.evidence:
        g.add((st, KG.evidence, Literal(r.evidence, lang="zh")))
    g.add((st, KG.confidence, _decimal(round(r.confidence, 2))))


def add_observation(g: Graph, ob: Observation) -> None:
    node = KGR[f"observation/{_digest(ob.article, ob.entity, ob.indicator, ob.value, ob.unit, ob.period_label, ob.partner, ob.product, ob.evidence)}"]
    g.add((node, RDF.type, KG.Observation))
    g.add((node, KG.observedEntity, URIRef(ob.entity)))
    g.add((node, KG.indicator, Literal(ob.indicator, lang="zh")))
    g.add((node, KG.value, _decimal(ob.value)))
    g.add((node, KG.unit, Literal(ob.unit)))
    if ob.partner:
        g.add((node, KG.partner, URIRef(ob.partner)))
    if ob.product:
        g.add((node, KG.product, URIRef(ob.product)))
    if ob.growth is not None:
        g.add((node, KG.growthRate, _decimal(ob.growth)))
    if ob.period_label:
        g.add((node, KG.periodLabel, Literal(ob.period_label, lang="zh")))
    if ob.period_start:
        g.add((node, KG.periodStart, Literal(ob.period_start, datatype=XSD.gYearMonth)))
        g.add((node, KG.periodEnd, Literal(ob.period_end, datatype=XSD.gYearMonth)))
    if ob.qualifier:
        g.add((node, KG.qualifier, Literal(ob.qualifier, lang="zh")))
    g.add((node, PROV.wasDerivedFrom, article_iri(ob.article)))
    g.add((node, KG.evidence, Literal(ob.evidence, lang="zh")))
    g.add((node, KG.confidence, _decimal(round(ob.confidence, 2))))


def build_graph(articles, entities, relations, observations) -> Graph:
    """Assemble the graph in a fixed order (the serialiser sorts too; this keeps it obvious)."""
    g = new_graph()
    g.add((GB2260, RDFS.label, Literal("GB/T 2260 中华人民共和国行政区划代码 (via cpca)", lang="zh")))
    for a in sorted(articles, key=lambda a: (a.source, a.index)):
        add_article(g, a)
    for e in sorted(entities, key=lambda e: e.iri):
        add_entity(g, e)
    for r in relations:
        add_relation(g, r)
    for ob in observations:
        add_observation(g, ob)
    return g
