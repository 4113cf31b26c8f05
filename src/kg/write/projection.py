"""The one networkx projection of a graph: which nodes, edges and attributes it has.

Nodes are entities (keyed by IRI) with label, class, iri, aliases, adcode/iso_code,
lat/long, the number of articles mentioning them and those articles' IRIs
(`mentioned_in`, space-separated); their statistics ride along as a JSON attribute
`observations` (observations as nodes would swamp the picture), each with its period as
written and, when its year is known, as months (`period_start`, `period_end`: "2023-01",
"2023-10"), so that 前10个月 of 2023 and of 2024 differ. That is the GraphML form (text);
graph.json gives programs lists instead (`json_node`). Edges are the direct
relation triples, keyed by predicate, carrying evidence, the source of that evidence
(`article`) and confidence from their rdf:Statements. The graph attribute `sources` maps
every article and edge source IRI to its title, date and source file. Absent attributes
are omitted, never None, because GraphML cannot hold None.

The attributes are made here from records (`Node`, an edge aggregate, observation rows):
a build makes them from its extraction records (kg.write.network), `to_networkx` from an
rdflib Graph, so both give the same graph. Every step visits nodes and edges in sorted
order, so the same graph always gives byte-identical files.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from decimal import Decimal

import networkx as nx
from rdflib import Graph, Literal, URIRef

from kg.vocab import ENTITY_CLASSES, GEO, KG, PROV, RDF, RDFS, RELATIONS, SKOS
from kg.write.entail import subproperties
from kg.write.triples import article_iri

ARTICLE = "Article"
MENTIONED_IN = "mentionedIn"


# --- values ---------------------------------------------------------------------------------

def local_name(iri) -> str:
    """The local name of an IRI (after '#' or the last '/'): kg:locatedIn → "locatedIn"."""
    return str(iri).rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def plain_number(x: float):
    """A value as the graph's xsd:decimal reads back (int when integral): the same number
    literal_number gives from the graph."""
    d = Decimal(repr(float(x)))
    return int(d) if d == d.to_integral() else float(d)


def literal_number(lit):
    """A numeric literal as int when integral, else float, so JSON shows 39760000000, not 3.976e10."""
    if lit is None:
        return None
    v = lit.toPython() if isinstance(lit, Literal) else lit
    try:
        if isinstance(v, (Decimal, int)) and v == int(v):
            return int(v)
        f = float(v)
    except (TypeError, ValueError):
        return None
    return f if math.isfinite(f) else None


# --- nodes ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Node:
    """What a node's attributes are made of. `articles` is None for an article node (which
    has a date and source file instead); `mentioned_in` is the articles' IRIs, sorted and
    space-separated."""

    iri: str
    label: str
    cls: str
    aliases: tuple[str, ...] = ()
    adcode: str | None = None
    iso_code: str | None = None
    lat: float | None = None
    long: float | None = None
    articles: int | None = 0
    mentioned_in: str = ""
    date: str | None = None
    source_file: str | None = None

    @classmethod
    def of_entity(cls, e, mentions: bool = True) -> "Node":
        """An extraction Entity; mentions=False leaves the (long) mentioned_in text empty."""
        located = e.lat is not None and e.long is not None
        return cls(e.iri, e.label, e.cls, tuple(sorted(e.aliases - {e.label})), e.adcode, e.iso_code,
                   float(plain_number(e.lat)) if located else None, float(plain_number(e.long)) if located else None,
                   len(e.articles),
                   LIST_SEPARATORS["mentioned_in"].join(sorted(article_iri(k) for k in e.articles)) if mentions else "")


# Lists held as text in GraphML (which has no list type) and in the networkx graph made
# for it, with the separator of each; graph.json holds them as lists (json_node).
LIST_SEPARATORS = {"aliases": "；", "mentioned_in": " "}


def node_attrs(node: Node, observations: tuple[str, int] | None = None) -> dict:
    """A node's attributes, in the projection's order; observations: (rows JSON, count)."""
    attrs: dict = {"label": node.label, "class": node.cls, "iri": node.iri}
    if node.aliases:
        attrs["aliases"] = LIST_SEPARATORS["aliases"].join(node.aliases)
    optional = (("adcode", node.adcode), ("iso_code", node.iso_code), ("lat", node.lat), ("long", node.long))
    if node.articles is None:
        optional += (("date", node.date), ("source_file", node.source_file))
    attrs.update((name, v) for name, v in optional if v is not None)
    if node.articles is not None:
        attrs["articles"] = node.articles
        if node.articles:
            attrs["mentioned_in"] = node.mentioned_in
    if observations:
        attrs["observations"], attrs["n_observations"] = observations
    return attrs


def json_node(attrs: dict) -> dict:
    """A node's attributes as graph.json gives them to a program: aliases and mentioned_in
    as lists, observations as a list of objects (GraphML's text forms of them split)."""
    out = dict(attrs)
    for name, sep in LIST_SEPARATORS.items():
        if isinstance(out.get(name), str):
            out[name] = out[name].split(sep)
    if isinstance(out.get("observations"), str):
        out["observations"] = json.loads(out["observations"])
    return out


def observation_row(**fields) -> dict:
    """An observation as the projection shows it: the fields given, None left out."""
    return {k: v for k, v in fields.items() if v is not None}


def observation_key(row: dict):
    """The order of an entity's observation rows; the last item is the row's JSON."""
    texts = tuple(row.get(k, "") for k in ("indicator", "period_start", "period", "partner", "product", "unit"))
    numbers = tuple((k not in row, row.get(k, 0)) for k in ("value", "growth"))
    return texts + numbers + (json.dumps(row, ensure_ascii=False, sort_keys=True),)


def rows_json(keys) -> str:
    """The JSON array of observation rows given by their sorted observation_key keys."""
    return "[" + ", ".join(k[-1] for k in keys) + "]"


# --- edges: an aggregate [best (evidence, source) | None, first source, max confidence, n] ---

def combine_edges(a: list, b: list) -> list:
    """Two aggregates of one edge as one (order does not matter)."""
    best = [x for x in (a[0], b[0]) if x is not None]
    return [min(best) if best else None, min(a[1], b[1]), max(a[2], b[2]), a[3] + b[3]]


def edge_attrs(rel: str, agg: list) -> dict:
    """An edge's attributes from its aggregate: the first evidence sentence and the source it
    came from (else the first source), the highest confidence, the number of statements."""
    best, first_source, confidence, n = agg
    attrs = {"predicate": rel}
    if best is not None:
        attrs["evidence"] = best[0]
    article = best[1] if best is not None and best[1] is not None else first_source
    if article is not None:
        attrs["article"] = article
    if confidence is not None:
        attrs["confidence"] = float(confidence)
    if n:
        attrs["n_statements"] = n
    return attrs


def build_networkx(nodes, edges, graph_attrs: dict) -> nx.MultiDiGraph:
    """A MultiDiGraph of (IRI, attributes) nodes and (source, target, key, attributes) edges."""
    g = nx.MultiDiGraph()
    for iri, attrs in nodes:
        g.add_node(iri, **attrs)
    for s, o, k, attrs in edges:
        g.add_edge(s, o, key=k, **attrs)
    g.graph.update(graph_attrs)
    return g


# --- the projection of an rdflib Graph ------------------------------------------------------

def to_networkx(graph: Graph, with_articles: bool = False) -> nx.MultiDiGraph:
    """The rdflib graph as a networkx MultiDiGraph, for analysis and the file writers.

    Articles and mentionedIn edges are left out unless with_articles=True, since they link
    almost everything to everything."""
    reader = _RdfReader(graph)
    nodes = reader.nodes(with_articles)
    observations = reader.observations()
    node_list = [(key, node_attrs(node, observations.get(key))) for key, node in sorted(nodes.items())]
    edges = reader.edges(nodes)
    cited = {a["article"] for _, _, _, a in edges if "article" in a}
    sources = reader.sources(cited | {str(a) for a in graph.subjects(RDF.type, KG.Article)})
    if with_articles:
        edges += [(s, a, MENTIONED_IN, {"predicate": MENTIONED_IN}) for s, a in reader.mentions(nodes)]
    return build_networkx(node_list, edges, {"sources": sources})


class _RdfReader:
    """The records of the projection, read from an rdflib Graph."""

    def __init__(self, graph: Graph):
        self.graph = graph

    def first(self, s, p):
        """The smallest object of (s, p, ?) by its string, or None: graph.value picks arbitrarily."""
        objects = sorted(self.graph.objects(s, p), key=str)
        return objects[0] if objects else None

    def text(self, s, p) -> str | None:
        v = self.first(s, p)
        return None if v is None else str(v)

    def label(self, node) -> str:
        """rdfs:label, or an article's kg:title, or the IRI's local name: every node needs a name."""
        for p in (RDFS.label, KG.title):
            v = self.first(node, p)
            if v is not None:
                return str(v)
        return local_name(node)

    def nodes(self, with_articles: bool) -> dict[str, Node]:
        g = self.graph
        found: dict[str, tuple] = {}
        for cls in ENTITY_CLASSES:
            for s in g.subjects(RDF.type, KG[cls]):
                found.setdefault(str(s), (s, cls))  # one class per entity; the first in ENTITY_CLASSES if not
        if with_articles:
            for s in g.subjects(RDF.type, KG.Article):
                found.setdefault(str(s), (s, ARTICLE))
        return {key: self.node(s, cls) for key, (s, cls) in found.items()}

    def node(self, s, cls: str) -> Node:
        label = self.label(s)
        aliases = tuple(sorted({str(a) for a in self.graph.objects(s, SKOS.altLabel)} - {label}))
        lat, long = (literal_number(self.first(s, p)) for p in (GEO.lat, GEO.long))
        common = dict(aliases=aliases, adcode=self.text(s, KG.adcode), iso_code=self.text(s, KG.isoCode),
                      lat=None if lat is None else float(lat), long=None if long is None else float(long))
        if cls == ARTICLE:
            return Node(str(s), label, cls, articles=None, date=self.text(s, KG.date),
                        source_file=self.text(s, KG.sourceFile), **common)
        mentioned = sorted({str(a) for a in self.graph.objects(s, KG.mentionedIn)})
        return Node(str(s), label, cls, articles=len(mentioned), mentioned_in=LIST_SEPARATORS["mentioned_in"].join(mentioned),
                    **common)

    def observations(self) -> dict[str, tuple[str, int]]:
        """(rows JSON, count) per entity observed, rows in observation_key order."""
        out: dict[str, list] = {}
        for ob in set(self.graph.subjects(RDF.type, KG.Observation)):
            entity = self.first(ob, KG.observedEntity)
            if entity is not None:
                out.setdefault(str(entity), []).append(observation_key(self.observation(ob)))
        return {k: (rows_json(sorted(keys)), len(keys)) for k, keys in out.items()}

    def observation(self, ob) -> dict:
        targets = {name: self.first(ob, p) for name, p in (("partner", KG.partner), ("product", KG.product))}
        return observation_row(
            indicator=self.text(ob, KG.indicator), value=literal_number(self.first(ob, KG.value)),
            unit=self.text(ob, KG.unit), growth=literal_number(self.first(ob, KG.growthRate)),
            period=self.text(ob, KG.periodLabel), period_start=self.text(ob, KG.periodStart),
            period_end=self.text(ob, KG.periodEnd), qualifier=self.text(ob, KG.qualifier),
            **{name: None if t is None else self.label(t) for name, t in targets.items()})

    def edges(self, nodes) -> list[tuple[str, str, str, dict]]:
        statements: dict[tuple[str, str, str], list] = {}
        for st, s in self.graph.subject_objects(RDF.subject):
            p, o = self.first(st, RDF.predicate), self.first(st, RDF.object)
            if p is not None and o is not None:
                statements.setdefault((str(s), str(p), str(o)), []).append(st)
        found = set()
        for rel in RELATIONS:
            for s, o in self.graph.subject_objects(KG[rel]):
                if str(s) in nodes and str(o) in nodes:
                    found.add((str(s), str(o), rel))
        # a triple the ontology entails (tradesWith beside an exportsTo), with no statement of
        # its own, is no edge: the build's graph has only the relations read (kg.write.entail)
        entailed = {(s, o, rel) for s, o, rel in found if (s, str(KG[rel]), o) not in statements
                    and any((s, o, local_name(sub)) in found for sub in subproperties(str(KG[rel])))}
        return [(s, o, rel, edge_attrs(rel, self.aggregate(statements.get((s, str(KG[rel]), o), []))))
                for s, o, rel in sorted(found - entailed)]

    def aggregate(self, statements: list) -> list:
        """An edge aggregate from the relation's statements; the best evidence's source is
        one of the statements carrying that sentence, so a tooltip never pairs a sentence
        with another source."""
        g = self.graph
        evidence = sorted({str(e) for st in statements for e in g.objects(st, KG.evidence)})
        sources = sorted({str(a) for st in statements for a in g.objects(st, PROV.wasDerivedFrom)})
        confidences = [c for st in statements for c in map(literal_number, g.objects(st, KG.confidence))
                       if c is not None]
        best = None
        if evidence:
            carriers = [st for st in statements if evidence[0] in {str(e) for e in g.objects(st, KG.evidence)}]
            carried = sorted({str(a) for st in carriers for a in g.objects(st, PROV.wasDerivedFrom)})
            best = (evidence[0], carried[0] if carried else None)
        return [best, sources[0] if sources else None, max(confidences) if confidences else None,
                len(set(statements))]

    def sources(self, iris) -> dict[str, dict]:
        """Title, date and file of each article (and other source, e.g. the GB/T 2260 table) named by iris."""
        out: dict[str, dict] = {}
        for iri in sorted(set(iris)):
            node = URIRef(iri)
            entry = {"title": self.label(node)}
            for name, p in (("date", KG.date), ("source_file", KG.sourceFile)):
                v = self.first(node, p)
                if v is not None:
                    entry[name] = str(v)
            out[iri] = entry
        return out

    def mentions(self, nodes) -> list[tuple[str, str]]:
        found = set()
        for s, a in self.graph.subject_objects(KG.mentionedIn):
            if str(s) in nodes and str(a) in nodes:
                found.add((str(s), str(a)))
        return sorted(found)
