"""The rdflib Graph of a build, for the Python API and the TriG and JSON-LD files.

The build itself never holds one: kg.write.triples writes graph.ttl and graph.nt from shards."""

from __future__ import annotations

from rdflib import Graph, URIRef
from rdflib.namespace import OWL

from kg.vocab import GEO, KG, KGR, PROV, RDF, RDFS, SKOS, XSD


def new_graph() -> Graph:
    g = Graph()
    for prefix, ns in (("kg", KG._NS), ("kgr", KGR), ("prov", PROV), ("skos", SKOS), ("geo", GEO),
                       ("rdfs", RDFS), ("xsd", XSD), ("owl", OWL)):
        g.bind(prefix, ns, override=True, replace=True)
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


RDF_WRITERS = {"ttl": _turtle, "trig": _trig, "jsonld": _jsonld}  # graph.ttl and graph.nt are streamed by kg.write.triples
