"""docs/ontology.md, generated from ontology/kg.ttl so the prose never drifts from the OWL."""

from __future__ import annotations

from rdflib import BNode, Graph, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS

from kg.assets import shipped
from kg.vocab import KG_NS, KGR_NS, compact


def load_ontology() -> Graph:
    """The ontology shipped in the package (a byte-identical copy of ontology/kg.ttl)."""
    data = (shipped("ontology") / "kg.ttl").read_bytes()
    return Graph().parse(data=data, format="turtle")


def _name(g: Graph, node) -> str:
    if isinstance(node, BNode):
        members = g.value(node, OWL.unionOf)
        if members is not None:
            return " ∪ ".join(_name(g, m) for m in Collection(g, members))
        return "(anonymous)"
    text = str(node)
    short = compact(text)
    return short if short != text else f"<{text}>"


def _text(g: Graph, node, prop, lang) -> str:
    for o in sorted(g.objects(node, prop), key=str):
        if getattr(o, "language", None) == lang:
            return str(o).replace("|", "\\|")
    return ""


def render(g: Graph | None = None) -> str:
    """The Markdown text of docs/ontology.md."""
    g = g or load_ontology()
    lines = ["# The kg ontology", "",
             "Generated from `ontology/kg.ttl` by `kg ontology-doc`; do not edit by hand.", "",
             f"Namespace: `kg: <{KG_NS}>`; resources under `kgr: <{KGR_NS}>`.", "",
             "Entailments are in the graph: every entity is also typed with the classes above its "
             "own (a `kg:City` is `a kg:Region`, a `kg:Country` `a kg:TradePartner`), and every "
             "relation triple comes with the triples of the properties above its predicate "
             "(`kg:exportsTo` and `kg:importsFrom` pairs are `kg:tradesWith` pairs too), read from "
             "`rdfs:subClassOf` and `rdfs:subPropertyOf` below. Only stated relations have an "
             "`rdf:Statement` (evidence, source, confidence). `kg query`, `kg serve` and `kg load` "
             "load this ontology beside the data.", ""]
    sections = (("Classes", OWL.Class), ("Object properties", OWL.ObjectProperty),
                ("Datatype properties", OWL.DatatypeProperty))
    for title, kind in sections:
        terms = sorted((t for t in g.subjects(RDF.type, kind) if isinstance(t, URIRef) and str(t).startswith(KG_NS)), key=str)
        lines += [f"## {title}", ""]
        if kind == OWL.Class:
            lines += ["| term | 中文 | English | subclass of | description |", "|---|---|---|---|---|"]
        else:
            lines += ["| term | 中文 | English | domain → range | description |", "|---|---|---|---|---|"]
        for t in terms:
            zh, en = _text(g, t, RDFS.label, "zh"), _text(g, t, RDFS.label, "en")
            desc = _text(g, t, RDFS.comment, "en")
            if kind == OWL.Class:
                extra = ", ".join(_name(g, c) for c in sorted(g.objects(t, RDFS.subClassOf), key=str))
            else:
                dom = ", ".join(_name(g, d) for d in g.objects(t, RDFS.domain)) or "any"
                rng = ", ".join(_name(g, r) for r in g.objects(t, RDFS.range)) or "any"
                sup = ", ".join(_name(g, p) for p in g.objects(t, RDFS.subPropertyOf))
                extra = f"{dom} → {rng}" + (f" (⊂ {sup})" if sup else "")
            lines.append(f"| `{_name(g, t)}` | {zh} | {en} | {extra} | {desc} |")
        lines.append("")
    return "\n".join(lines)


def register(subparsers) -> None:
    p = subparsers.add_parser("ontology-doc", help="write docs/ontology.md from the ontology")
    p.add_argument("--out", default="docs/ontology.md", help="where to write (default: docs/ontology.md)")

    def run(args) -> int:
        from pathlib import Path

        Path(args.out).parent.mkdir(parents=True, exist_ok=True)
        Path(args.out).write_text(render(), encoding="utf-8")
        print(f"wrote {args.out}")
        return 0

    p.set_defaults(func=run)
