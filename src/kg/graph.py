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


# --- serialisers: format name → function(graph) -> bytes, each deterministic -----------------

def to_dataset(g: Graph):
    """The graph as an rdflib Dataset: one named graph per article (its description, the
    mentions of it, the statements and observations derived from it, with their triples);
    entity descriptions and table-derived facts stay in the default graph."""
    from rdflib import Dataset

    ds = Dataset()
    for prefix, ns in g.namespaces():
        ds.bind(prefix, ns, override=True, replace=True)
    articles = set(g.subjects(RDF.type, KG.Article))
    named = {a: ds.graph(a) for a in sorted(articles, key=str)}
    default = ds.default_context
    placed = set()

    def put(a, triple):
        named[a].add(triple)
        placed.add(triple)

    for a in articles:
        for t in g.triples((a, None, None)):
            put(a, t)
        for t in g.triples((None, KG.mentionedIn, a)):
            put(a, t)
    for node, src in g.subject_objects(PROV.wasDerivedFrom):
        if src not in articles:
            continue
        for t in g.triples((node, None, None)):
            put(src, t)
        if (node, RDF.type, RDF.Statement) in g:
            direct = (g.value(node, RDF.subject), g.value(node, RDF.predicate), g.value(node, RDF.object))
            put(src, direct)
    for t in g:
        if t not in placed:
            default.add(t)
    return ds


def _turtle(g: Graph) -> bytes:
    """Turtle, subject by subject in IRI order (predicates: rdf:type first, then by IRI).

    Written here rather than by rdflib's serialiser, which takes ~30 µs a triple; the
    terms are still formatted by rdflib (escaping, datatypes, language tags)."""
    prefixes = sorted((p, str(ns)) for p, ns in g.namespaces() if p in _PREFIXES)
    by_ns = sorted(((ns, p) for p, ns in prefixes), key=lambda x: -len(x[0]))
    cache: dict = {}
    nm = g.namespace_manager

    def term(t) -> str:
        got = cache.get(t)
        if got is None:
            if isinstance(t, URIRef):
                got = t.n3()
                text = str(t)
                for ns, p in by_ns:
                    local = text[len(ns):]
                    if text.startswith(ns) and _LOCAL.fullmatch(local):
                        got = f"{p}:{local}"
                        break
            else:
                got = t.n3(nm)
            cache[t] = got
        return got

    out = [f"@prefix {p}: <{ns}> ." for p, ns in prefixes]
    out.append("")
    for subj in sorted(set(g.subjects()), key=str):
        preds = sorted(set(g.predicates(subj)), key=lambda p: (p != RDF.type, str(p)))
        parts = []
        for pred in preds:
            objs = sorted((term(o) for o in g.objects(subj, pred)))
            verb = "a" if pred == RDF.type else term(pred)
            parts.append(f"    {verb} " + ",\n        ".join(objs))
        out.append(term(subj) + "\n" + " ;\n".join(parts) + " .\n")
    return "\n".join(out).encode("utf-8")


_PREFIXES = {"kg", "kgr", "prov", "skos", "geo", "rdfs", "xsd", "rdf", "owl"}
_LOCAL = __import__("re").compile(r"[A-Za-z_][A-Za-z0-9_\-]*")


def _ntriples(g: Graph) -> bytes:
    lines = g.serialize(format="nt", encoding="utf-8").decode("utf-8").splitlines()
    return ("\n".join(sorted(set(ln for ln in lines if ln.strip()))) + "\n").encode("utf-8")


def _trig(g: Graph) -> bytes:
    """TriG written graph by graph (default first, then articles in IRI order), each body
    serialised as sorted Turtle, since rdflib's TriG writer orders graphs by hash."""
    ds = to_dataset(g)
    header, blocks = [], []
    contexts = sorted(ds.contexts(), key=lambda c: (c.identifier != ds.default_context.identifier, str(c.identifier)))
    for ctx in contexts:
        if len(ctx) == 0:
            continue
        sub = new_graph()
        for t in ctx:
            sub.add(t)
        lines = _turtle(sub).decode("utf-8").splitlines()
        header += [ln for ln in lines if ln.startswith("@prefix")]
        body = "\n".join("    " + ln if ln else "" for ln in lines if not ln.startswith("@prefix")).strip("\n")
        name = "" if ctx.identifier == ds.default_context.identifier else f"<{ctx.identifier}> "
        blocks.append(f"{name}{{\n{body}\n}}\n")
    return ("\n".join(sorted(set(header))) + "\n\n" + "\n".join(blocks)).encode("utf-8")


def _jsonld(g: Graph) -> bytes:
    import json

    data = json.loads(g.serialize(format="json-ld", encoding="utf-8"))
    context = {prefix: str(ns) for prefix, ns in sorted(g.namespaces())
               if prefix in ("kg", "kgr", "prov", "skos", "geo", "rdfs", "xsd", "rdf", "owl")}

    def canon(x):
        if isinstance(x, dict):
            return {k: canon(v) for k, v in sorted(x.items())}
        if isinstance(x, list):
            return sorted((canon(v) for v in x), key=lambda v: json.dumps(v, ensure_ascii=False, sort_keys=True))
        return x

    nodes = sorted((canon(n) for n in data), key=lambda n: n.get("@id", ""))
    return (json.dumps({"@context": context, "@graph": nodes}, ensure_ascii=False, indent=1, sort_keys=True)
            + "\n").encode("utf-8")


RDF_WRITERS = {"ttl": _turtle, "trig": _trig, "nt": _ntriples, "jsonld": _jsonld}
