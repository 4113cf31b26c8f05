"""The rdflib Graph of a build, for the Python API and the TriG and JSON-LD files.

The build itself never holds one: kg.write.triples writes graph.ttl and graph.nt from shards."""

from __future__ import annotations

import io
import json

from rdflib import Graph

from kg.vocab import KG, PREFIXES, PROV, RDF
from kg.write.triples import line_key, write_streams


def new_graph() -> Graph:
    """An empty graph with kg's prefixes (kg.vocab.PREFIXES) bound."""
    g = Graph()
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, ns, override=True, replace=True)
    return g


# --- serialisers: function(graph) -> bytes, each deterministic (kg.write.formats names them) ---

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


def turtle(g: Graph) -> bytes:
    """Turtle as kg.write.triples writes graph.ttl: the graph's triples as N-Triples lines
    (terms as rdflib writes them) through the same streaming writer."""
    lines = sorted((f"{s.n3()} {p.n3()} {o.n3()} .\n" for s, p, o in g), key=line_key)
    out = io.StringIO()
    write_streams(lines, ttl=out)
    return out.getvalue().encode("utf-8")


def trig(g: Graph) -> bytes:
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
        lines = turtle(sub).decode("utf-8").splitlines()
        header += [ln for ln in lines if ln.startswith("@prefix")]
        body = "\n".join("    " + ln if ln else "" for ln in lines if not ln.startswith("@prefix")).strip("\n")
        name = "" if ctx.identifier == ds.default_context.identifier else f"<{ctx.identifier}> "
        blocks.append(f"{name}{{\n{body}\n}}\n")
    return ("\n".join(sorted(set(header))) + "\n\n" + "\n".join(blocks)).encode("utf-8")


def jsonld(g: Graph) -> bytes:
    """JSON-LD with kg's prefixes as its context, nodes and values in a fixed order."""
    data = json.loads(g.serialize(format="json-ld", encoding="utf-8"))
    context = dict(sorted(PREFIXES.items()))

    def canon(x):
        if isinstance(x, dict):
            return {k: canon(v) for k, v in sorted(x.items())}
        if isinstance(x, list):
            return sorted((canon(v) for v in x), key=lambda v: json.dumps(v, ensure_ascii=False, sort_keys=True))
        return x

    nodes = sorted((canon(n) for n in data), key=lambda n: n.get("@id", ""))
    return (json.dumps({"@context": context, "@graph": nodes}, ensure_ascii=False, indent=1, sort_keys=True)
            + "\n").encode("utf-8")
