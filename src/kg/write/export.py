"""Stage 8, export: the rdflib Graph → networkx, GraphML, node-link JSON and an offline HTML page.

Export reads the graph only (never the text), so whatever the graph says is what the
files say. Every step visits nodes and edges in sorted order, so the same graph always
gives byte-identical files.
"""

from __future__ import annotations

import heapq
import html
import json
import math
import re
from dataclasses import dataclass
from decimal import Decimal
from importlib import resources

import networkx as nx
from rdflib import Graph, Literal, URIRef

from kg.vocab import ENTITY_CLASSES, GEO, KG, PROV, RDF, RDFS, RELATIONS, SKOS

ARTICLE = "Article"
MENTIONED_IN = "mentionedIn"

# colour and vis-network shape per class (shapes whose size can grow with degree), legend glyph
STYLE = {
    "Province": ("#1f4e79", "dot", "●"),
    "City": ("#2e75b6", "dot", "●"),
    "County": ("#9dc3e6", "dot", "●"),
    "Enterprise": ("#c55a11", "square", "■"),
    "Project": ("#f4b183", "diamond", "◆"),
    "IndustryCluster": ("#7030a0", "hexagon", "⬢"),
    "Platform": ("#548235", "triangleDown", "▼"),
    "Country": ("#bf9000", "triangle", "▲"),
    "Territory": ("#e0b000", "triangle", "▲"),
    "EconomicBloc": ("#806000", "star", "★"),
    "Product": ("#7f7f7f", "diamond", "◆"),
    ARTICLE: ("#c9c9c9", "dot", "●"),
}
CLASS_ZH = {
    "Province": "省", "City": "市/州", "County": "县/区", "Enterprise": "企业", "Project": "项目",
    "IndustryCluster": "产业集群", "Platform": "平台", "Country": "国家", "Territory": "地区",
    "EconomicBloc": "经济体/区域", "Product": "产品", ARTICLE: "文章",
}
PREDICATE_ZH = {
    "partOf": "隶属", "locatedIn": "位于", "tradesWith": "贸易往来", "exportsTo": "出口至",
    "importsFrom": "进口自", "exports": "出口", "imports": "进口", "participatesIn": "参与",
    MENTIONED_IN: "见于",
}
PREDICATE_COLOUR = {
    "partOf": "#9dc3e6", "locatedIn": "#a9d18e", "tradesWith": "#f4b183", "exportsTo": "#ed7d31",
    "importsFrom": "#c55a11", "exports": "#ffc000", "imports": "#bf9000", "participatesIn": "#b4a7d6",
    MENTIONED_IN: "#e0e0e0",
}
OBSERVATION = "observation"  # the page's pseudo-class and pseudo-predicate of observation nodes
OBSERVATION_COLOUR = "#a9d6cf"
UNIT_ZH = {"CNY": "元", "USD": "美元"}
TOOLTIP_ROWS = 25  # observations shown in a node's tooltip; the rest are counted
EDGES_PER_NODE = 3  # a page capped at N nodes draws at most 3N edges
OBSERVATION_NODES = 50  # observation nodes the page can show around one entity (a city of a big corpus has thousands)
TOOLTIP_ARTICLES = 8  # articles listed in a node's tooltip; the rest are counted
LABEL_CHARS = 18  # longer labels (article titles) are cut on the canvas, whole in the tooltip
BIG_GRAPH = 1500  # past this many nodes the page drops edge labels and spends fewer layout iterations
LAYOUT_SEED = 7
LAYOUT_SECONDS = 20  # a fallback: a layout still running then stops where it is (only huge graphs get there)
MIN_SCALE = 0.7  # the first view zooms no further out than this, so 16 px labels stay readable
FONT = "Noto Sans CJK SC, Source Han Sans SC, PingFang SC, Microsoft YaHei, WenQuanYi Micro Hei, sans-serif"


# --------------------------------------------------------------------------- reading the graph

def _local(iri) -> str:
    """The local name of an IRI (after '#' or the last '/'): kg:locatedIn → "locatedIn"."""
    return str(iri).rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def _first(graph: Graph, s, p):
    """The smallest object of (s, p, ?) by its string, or None: graph.value picks arbitrarily."""
    objects = sorted(graph.objects(s, p), key=str)
    return objects[0] if objects else None


def _number(lit):
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


def _label(graph: Graph, node) -> str:
    """rdfs:label, or an article's kg:title, or the IRI's local name: every node needs a name."""
    for p in (RDFS.label, KG.title):
        v = _first(graph, node, p)
        if v is not None:
            return str(v)
    return _local(node)


def _observations(graph: Graph) -> dict[str, list[dict]]:
    """Observations grouped by the entity observed, as plain dicts (absent fields left out) in a fixed order."""
    out: dict[str, list[dict]] = {}
    for ob in set(graph.subjects(RDF.type, KG.Observation)):
        entity = _first(graph, ob, KG.observedEntity)
        if entity is None:
            continue
        row = {
            "indicator": _first(graph, ob, KG.indicator),
            "value": _number(_first(graph, ob, KG.value)),
            "unit": _first(graph, ob, KG.unit),
            "growth": _number(_first(graph, ob, KG.growthRate)),
            "period": _first(graph, ob, KG.periodLabel),
            "qualifier": _first(graph, ob, KG.qualifier),
        }
        for name, p in (("partner", KG.partner), ("product", KG.product)):
            target = _first(graph, ob, p)
            row[name] = None if target is None else _label(graph, target)
        row = {k: (v if isinstance(v, (int, float)) else str(v)) for k, v in row.items() if v is not None}
        out.setdefault(str(entity), []).append(row)
    for rows in out.values():
        rows.sort(key=_observation_key)
    return out


def _observation_key(row: dict):
    texts = tuple(row.get(k, "") for k in ("indicator", "period", "partner", "product", "unit"))
    numbers = tuple((k not in row, row.get(k, 0)) for k in ("value", "growth"))
    return texts + numbers + (json.dumps(row, ensure_ascii=False, sort_keys=True),)


def _statements(graph: Graph) -> dict[tuple[str, str, str], list]:
    """The rdf:Statement nodes behind each (subject, predicate, object), found via rdf:subject."""
    out: dict[tuple[str, str, str], list] = {}
    for st, s in graph.subject_objects(RDF.subject):
        p, o = _first(graph, st, RDF.predicate), _first(graph, st, RDF.object)
        if p is not None and o is not None:
            out.setdefault((str(s), str(p), str(o)), []).append(st)
    return out


def _provenance(graph: Graph, statements: list) -> dict:
    """Edge attributes from a relation's statements: the first evidence sentence in sorted order
    and the source it came from (else the first source), the highest confidence (the best support
    any source gives), and how many statements there are."""
    evidence = sorted({str(e) for st in statements for e in graph.objects(st, KG.evidence)})
    sources = sorted({str(a) for st in statements for a in graph.objects(st, PROV.wasDerivedFrom)})
    confidences = [c for st in statements for c in map(_number, graph.objects(st, KG.confidence)) if c is not None]
    attrs: dict = {}
    if evidence:
        attrs["evidence"] = evidence[0]
        # the article that sentence was read from, so a tooltip never pairs a sentence with another source
        carriers = [st for st in statements if evidence[0] in {str(e) for e in graph.objects(st, KG.evidence)}]
        sources = sorted({str(a) for st in carriers for a in graph.objects(st, PROV.wasDerivedFrom)}) or sources
    if sources:
        attrs["article"] = sources[0]
    if confidences:
        attrs["confidence"] = float(max(confidences))
    if statements:
        attrs["n_statements"] = len(set(statements))
    return attrs


def _sources(graph: Graph, iris) -> dict[str, dict]:
    """Title, date and file of each article (and other source, e.g. the GB/T 2260 table) named by iris."""
    out: dict[str, dict] = {}
    for iri in sorted(set(iris)):
        node = URIRef(iri)
        entry = {"title": _label(graph, node)}
        for name, p in (("date", KG.date), ("source_file", KG.sourceFile)):
            v = _first(graph, node, p)
            if v is not None:
                entry[name] = str(v)
        out[iri] = entry
    return out


def to_networkx(graph: Graph, with_articles: bool = False) -> nx.MultiDiGraph:
    """The graph as a networkx MultiDiGraph, for analysis and the file writers.

    Nodes are entities (keyed by IRI) with label, class, iri, aliases, adcode/iso_code,
    lat/long, the number of articles mentioning them and those articles' IRIs
    (`mentioned_in`, space-separated); their statistics ride along as a JSON attribute
    `observations` (observations as nodes would swamp the picture). Edges are the direct
    relation triples, keyed by predicate, carrying evidence, the source of that evidence
    (`article`) and confidence from their rdf:Statements. The graph attribute `sources`
    maps every article and edge source IRI to its title, date and source file. Articles
    and mentionedIn edges are left out unless with_articles=True, since they link almost
    everything to everything. Absent attributes are omitted, never None, because GraphML
    cannot hold None.
    """
    g = nx.MultiDiGraph()
    nodes: dict[str, tuple] = {}
    for cls in ENTITY_CLASSES:
        for s in graph.subjects(RDF.type, KG[cls]):
            nodes.setdefault(str(s), (s, cls))  # one class per entity; the first in ENTITY_CLASSES if not
    if with_articles:
        for s in graph.subjects(RDF.type, KG.Article):
            nodes.setdefault(str(s), (s, ARTICLE))

    observations = _observations(graph)
    for key in sorted(nodes):
        s, cls = nodes[key]
        attrs: dict = {"label": _label(graph, s), "class": cls, "iri": key}
        aliases = sorted({str(a) for a in graph.objects(s, SKOS.altLabel)} - {attrs["label"]})
        if aliases:
            attrs["aliases"] = "；".join(aliases)
        for name, p in (("adcode", KG.adcode), ("iso_code", KG.isoCode)):
            v = _first(graph, s, p)
            if v is not None:
                attrs[name] = str(v)
        for name, p in (("lat", GEO.lat), ("long", GEO.long)):
            v = _number(_first(graph, s, p))
            if v is not None:
                attrs[name] = float(v)
        if cls == ARTICLE:
            for name, p in (("date", KG.date), ("source_file", KG.sourceFile)):
                v = _first(graph, s, p)
                if v is not None:
                    attrs[name] = str(v)
        else:
            mentioned = sorted({str(a) for a in graph.objects(s, KG.mentionedIn)})
            attrs["articles"] = len(mentioned)
            if mentioned:
                attrs["mentioned_in"] = " ".join(mentioned)
        if key in observations:
            attrs["observations"] = json.dumps(observations[key], ensure_ascii=False, sort_keys=True)
            attrs["n_observations"] = len(observations[key])
        g.add_node(key, **attrs)

    statements = _statements(graph)
    edges = set()
    for rel in RELATIONS:
        for s, o in graph.subject_objects(KG[rel]):
            if str(s) in nodes and str(o) in nodes:
                edges.add((str(s), str(o), rel))
    for s, o, rel in sorted(edges):
        attrs = {"predicate": rel, **_provenance(graph, statements.get((s, str(KG[rel]), o), []))}
        g.add_edge(s, o, key=rel, **attrs)

    cited = {a for _, _, a in g.edges(data="article") if a is not None}
    g.graph["sources"] = _sources(graph, cited | {str(a) for a in graph.subjects(RDF.type, KG.Article)})

    if with_articles:
        mentions = set()
        for s, a in graph.subject_objects(KG.mentionedIn):
            if str(s) in nodes and str(a) in nodes:
                mentions.add((str(s), str(a)))
        for s, a in sorted(mentions):
            g.add_edge(s, a, key=MENTIONED_IN, predicate=MENTIONED_IN)
    return g


def _plain_number(x: float):
    """A value as the graph's xsd:decimal reads back (int when integral): the same number
    to_networkx gives from the graph."""
    d = Decimal(repr(float(x)))
    return int(d) if d == d.to_integral() else float(d)


# --------------------------------------------------------------------------- GraphML and JSON

GRAPHML_HEAD = ("<?xml version='1.0' encoding='utf-8'?>\n"
                '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" '
                'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation='
                '"http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">')
XML_TYPE = {bool: "boolean", int: "long", float: "double", str: "string"}


def _xml_text(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _xml_attr(text: str) -> str:
    return (_xml_text(text).replace('"', "&quot;").replace("\r", "&#13;").replace("\n", "&#10;")
            .replace("\t", "&#09;"))


def _graph_value(v):
    """GraphML and JSON hold scalars: a graph attribute that is a table (the sources) goes as JSON text."""
    return json.dumps(v, ensure_ascii=False, sort_keys=True) if isinstance(v, (dict, list)) else v


def graph_keys(nxgraph: nx.MultiDiGraph) -> list[tuple[str, str, type]]:
    """(scope, name, type) of every attribute in the order networkx's GraphML writer meets them."""
    return attribute_keys(nxgraph.graph, (a for _, a in nxgraph.nodes(data=True)),
                          (a for _, _, a in nxgraph.edges(data=True)))


def attribute_keys(graph_attrs: dict, node_attrs, edge_attrs) -> list[tuple[str, str, type]]:
    """graph_keys over the graph's attributes and iterables of node and edge attribute dicts."""
    seen: dict[tuple, None] = {}
    for scope, dicts in (("graph", [graph_attrs]), ("node", node_attrs), ("edge", edge_attrs)):
        for attrs in dicts:
            for k, v in attrs.items():
                if v is not None:
                    table = scope == "graph" and isinstance(v, (dict, list))  # written as JSON text
                    seen.setdefault((scope, str(k), str if table else type(v)), None)
    return list(seen)


def write_graphml_records(path, keys, nodes, edges, graph_attrs: dict) -> None:
    """GraphML streamed from records: keys as graph_keys gives them, nodes as (id, attributes),
    edges as (source, target, key, attributes). The bytes are those of networkx's
    write_graphml (prettyprint) for the same graph, without its tree of the whole document
    in memory; None-valued attributes are left out."""
    ids: dict[tuple, str] = {}
    for scope, name, t in keys:
        if t not in XML_TYPE:
            raise ValueError(f"GraphML cannot hold {t.__name__} values (attribute {name!r})")
        ids.setdefault((scope, name, XML_TYPE[t]), f"d{len(ids)}")

    def data(attrs: dict, scope: str, indent: str) -> str:
        items = []
        for k, v in attrs.items():
            if v is None:
                continue
            if scope == "graph":
                v = _graph_value(v)
            t = XML_TYPE.get(type(v))
            if t is None:
                raise ValueError(f"GraphML cannot hold {type(v).__name__} values (attribute {k!r})")
            text = _xml_text(str(v))
            kid = ids[(scope, str(k), t)]
            items.append(f'<data key="{kid}">{text}</data>' if text else f'<data key="{kid}" />')
        return "".join(f"\n{indent}{item}" for item in items)

    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        w = fh.write
        w(GRAPHML_HEAD)
        for (scope, name, t), kid in reversed(ids.items()):
            w(f'\n  <key id="{kid}" for="{scope}" attr.name="{_xml_attr(name)}" attr.type="{t}" />')
        opened = False

        def child(text: str) -> None:  # the graph element opens at its first child
            nonlocal opened
            if not opened:
                w('\n  <graph edgedefault="directed">')
                opened = True
            w(text)

        for node, attrs in nodes:
            inner = data(attrs, "node", "      ")
            head = f'\n    <node id="{_xml_attr(str(node))}"'
            child(f"{head}>{inner}\n    </node>" if inner else f"{head} />")
        for s, o, k, attrs in edges:
            inner = data(attrs, "edge", "      ")
            head = f'\n    <edge source="{_xml_attr(str(s))}" target="{_xml_attr(str(o))}" id="{_xml_attr(str(k))}"'
            child(f"{head}>{inner}\n    </edge>" if inner else f"{head} />")
        inner = data(graph_attrs, "graph", "    ")
        if inner:
            child(inner)
        w("\n  </graph>\n</graphml>\n" if opened else '\n  <graph edgedefault="directed" />\n</graphml>\n')


def write_graphml(nxgraph: nx.MultiDiGraph, path) -> None:
    """GraphML (UTF-8) for Gephi, Cytoscape and networkx; None-valued attributes dropped.

    Edge keys are written as GraphML edge ids; read back as a MultiDiGraph with
    nx.read_graphml(path, force_multigraph=True, edge_key_type=str).
    """
    write_graphml_records(path, graph_keys(nxgraph), nxgraph.nodes(data=True),
                          nxgraph.edges(keys=True, data=True), nxgraph.graph)


def _json_item(obj, level: int) -> str:
    """obj as json.dump(indent=1) writes it at nesting level `level`."""
    text = json.dumps(obj, ensure_ascii=False, indent=1, sort_keys=True)
    return text.replace("\n", "\n" + " " * level)


def write_json_records(path, nodes, edges, graph_attrs: dict) -> None:
    """networkx node-link JSON streamed from records (as write_graphml_records takes them):
    the bytes of json.dump(node_link_data(G, edges="links"), indent=1, sort_keys=True)."""
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        w = fh.write
        w('{\n "directed": true,\n "graph": ' + _json_item(graph_attrs, 1) + ',\n "links": ')
        _write_json_array(w, ({**attrs, "source": s, "target": o, "key": k} for s, o, k, attrs in edges))
        w(',\n "multigraph": true,\n "nodes": ')
        _write_json_array(w, ({**attrs, "id": node} for node, attrs in nodes))
        w("\n}\n")


def _write_json_array(write, items) -> None:
    """A top-level list of node-link JSON, an item at a time."""
    n = 0
    for n, item in enumerate(items, 1):
        write(("[\n  " if n == 1 else ",\n  ") + _json_item(item, 2))
    write("\n ]" if n else "[]")


def write_json(nxgraph: nx.MultiDiGraph, path) -> None:
    """networkx node-link JSON ("nodes", "links"): read back with node_link_graph(data, edges="links"), or d3."""
    write_json_records(path, nxgraph.nodes(data=True), nxgraph.edges(keys=True, data=True), nxgraph.graph)


# --------------------------------------------------------------------------- HTML

def _fmt_number(v) -> str:
    """Thousands separators, at most two decimals, no trailing zeros: 1321.67, 397.6, 12,000."""
    if isinstance(v, int):
        return f"{v:,}"
    text = f"{v:,.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


def _fmt_value(row: dict) -> str:
    """39760000000 CNY → "397.6亿元": the scale and units the text itself uses."""
    v, unit = row.get("value"), row.get("unit", "")
    if v is None:
        return ""
    unit = UNIT_ZH.get(unit, unit)
    prefix = row.get("qualifier", "")
    for scale, word in ((1e8, "亿"), (1e4, "万")):
        if abs(v) >= scale:
            return f"{prefix}{_fmt_number(v / scale)}{word}{unit}"
    return f"{prefix}{_fmt_number(v)}{unit}"


def _table(facts) -> str:
    e = html.escape
    return "<table>" + "".join(f"<tr><th>{e(k)}</th><td>{v}</td></tr>" for k, v in facts) + "</table>"


def _source_line(iri: str, sources: dict) -> str:
    """One source as escaped HTML: "2023-11-15 《衡阳进出口贸易「加速跑」》", or its IRI when unknown."""
    e = html.escape
    s = sources.get(iri)
    if not s:
        return f"<code>{e(iri)}</code>"
    date = f'<span class="date">{e(s["date"])}</span> ' if s.get("date") else ""
    name = f"《{e(s['title'])}》" if s.get("source_file") else e(s["title"])  # an article, not a table
    return f"{date}{name}"


def _node_title(attrs: dict, sources: dict | None = None, degree: int | None = None) -> str:
    """Tooltip HTML: name, class, aliases, codes, the articles naming it (title and date), and a
    table of observations."""
    e = html.escape
    sources = sources or {}
    cls = attrs["class"]
    parts = [f"<b>{e(attrs['label'])}</b> <i>{e(CLASS_ZH.get(cls, cls))} · {e(cls)}</i>"]
    facts = []
    if attrs.get("aliases"):
        facts.append(("别名", e(attrs["aliases"])))
    if attrs.get("adcode"):
        facts.append(("行政区划代码", e(attrs["adcode"])))
    if attrs.get("iso_code"):
        facts.append(("ISO 3166", e(attrs["iso_code"])))
    if degree is not None:
        facts.append(("关系", str(degree)))
    if attrs.get("date"):
        facts.append(("日期", e(attrs["date"])))
    if attrs.get("source_file"):
        facts.append(("文件", e(attrs["source_file"])))
    facts.append(("IRI", f"<code>{e(attrs['iri'])}</code>"))
    parts.append(_table(facts))
    articles = (attrs.get("mentioned_in") or "").split()
    if articles:
        n = max(len(articles), attrs.get("articles") or 0)  # page_attrs may have kept only the first
        items = "".join(f"<li>{_source_line(a, sources)}</li>" for a in _earliest(articles, sources))
        more = f"<li>… 另有 {n - TOOLTIP_ARTICLES} 篇</li>" if n > TOOLTIP_ARTICLES else ""
        parts.append(f'<div class="sec">见于 {n} 篇文章</div><ul>{items}{more}</ul>')
    elif attrs.get("articles"):
        parts.append(f'<div class="sec">见于 {attrs["articles"]} 篇文章</div>')
    rows = json.loads(attrs.get("observations", "[]"))
    if rows:
        n = max(len(rows), attrs.get("n_observations") or 0)
        parts.append(f'<div class="sec">观测 {n} 条</div>' + _observation_table(rows[:TOOLTIP_ROWS]))
        if n > TOOLTIP_ROWS:
            parts.append(f"<div>… 另有 {n - TOOLTIP_ROWS} 条</div>")
    return "".join(parts)


def _earliest(articles: list[str], sources: dict) -> list[str]:
    """The TOOLTIP_ARTICLES articles a tooltip lists: the earliest by date, then IRI."""
    return sorted(articles, key=lambda a: (sources.get(a, {}).get("date", ""), a))[:TOOLTIP_ARTICLES]


def page_attrs(attrs: dict, sources: dict) -> dict:
    """A shown node's attributes cut to what the page uses (the earliest articles, the first
    observation rows) with the full counts in `articles` and `n_observations`: a hub of a
    big corpus is mentioned in 10⁵ articles."""
    a = dict(attrs)
    articles = (a.get("mentioned_in") or "").split()
    if articles:
        a["articles"] = len(articles)
        a["mentioned_in"] = " ".join(_earliest(articles, sources))
    if a.get("observations"):
        rows = json.loads(a["observations"])
        a["n_observations"] = len(rows)
        a["observations"] = json.dumps(rows[:max(TOOLTIP_ROWS, OBSERVATION_NODES)], ensure_ascii=False, sort_keys=True)
    return a


def _observation_table(rows: list[dict]) -> str:
    e = html.escape
    head = "".join(f"<th>{h}</th>" for h in ("期间", "指标", "数值", "同比", "伙伴/产品"))
    body = []
    for r in rows:
        growth = f"{r['growth']:+g}%" if "growth" in r else ""
        other = " ".join(r[k] for k in ("partner", "product") if k in r)
        cells = (r.get("period", ""), r.get("indicator", ""), _fmt_value(r), growth, other)
        body.append("<tr>" + "".join(f"<td>{e(c)}</td>" for c in cells) + "</tr>")
    return f'<table class="obs"><tr>{head}</tr>{"".join(body)}</table>'


def _edge_title(attrs: dict, sources: dict | None = None, ends: tuple[str, str] | None = None) -> str:
    """Tooltip HTML: predicate in Chinese and English, the evidence sentence, the source article's
    title and date, confidence."""
    e = html.escape
    sources = sources or {}
    p = attrs["predicate"]
    head = f"<b>{e(PREDICATE_ZH.get(p, p))}</b> <i>{e(p)}</i>"
    if ends:
        head = f"<b>{e(ends[0])}</b> → {head} → <b>{e(ends[1])}</b>"
    parts = [head]
    if attrs.get("evidence"):
        parts.append(f'<div class="ev">{e(attrs["evidence"])}</div>')
    facts = []
    if attrs.get("article"):
        facts.append(("来源", _source_line(attrs["article"], sources)))
    if attrs.get("n_statements", 0) > 1:
        facts.append(("依据", f"{attrs['n_statements']} 条陈述"))
    if attrs.get("confidence") is not None:
        facts.append(("置信度", f"{attrs['confidence']:g}"))
    if facts:
        parts.append(_table(facts))
    return "".join(parts)


def _observation_label(row: dict) -> str:
    """A short two-line label for an observation shown as a node: 进出口总值 397.6亿元 / 1至10月 +13.9%."""
    first = " ".join(x for x in (_short(row.get("indicator", "")), _fmt_value(row)) if x)
    second = " ".join(x for x in (row.get("period", ""), f"{row['growth']:+g}%" if "growth" in row else "") if x)
    return first + ("\n" + second if second else "")


def _short(label: str) -> str:
    return label if len(label) <= LABEL_CHARS else label[:LABEL_CHARS - 1] + "…"


def _vis_asset(name: str) -> str:
    """A file of the vis-network build that pyvis ships, read at run time to be inlined."""
    return (resources.files("pyvis") / "lib" / "vis-9.1.2" / name).read_text(encoding="utf-8")


def _script_json(data) -> str:
    """JSON safe inside <script>: '<', '>' and '&' escaped so no text can close the element."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _write_script_json(write, data: dict) -> None:
    """_script_json(data) for a dict of (possibly long) lists, written a list item at a time:
    a capped page of a big corpus is tens of MB, which should not be copied whole."""
    write("{")
    for i, key in enumerate(sorted(data)):
        write(("," if i else "") + _script_json(key) + ":")
        value = data[key]
        if isinstance(value, list):
            write("[")
            for j, item in enumerate(value):
                write(("," if j else "") + _script_json(item))
            write("]")
        else:
            write(_script_json(value))
    write("}")


def select_nodes(nxgraph: nx.MultiDiGraph, max_nodes: int | None) -> list[str]:
    """The nodes a page shows: all, or the max_nodes most connected (degree, ties by IRI)."""
    return top_nodes(nxgraph.nodes, dict(nxgraph.degree()), max_nodes)


def top_nodes(nodes, degree: dict, max_nodes: int | None) -> list[str]:
    """nodes, or the max_nodes of them with the highest degree (ties by IRI), sorted."""
    if max_nodes is None:
        return sorted(nodes)
    if max_nodes < 1:
        raise ValueError(f"max_nodes must be at least 1, not {max_nodes}")
    return sorted(heapq.nsmallest(max_nodes, nodes, key=lambda n: (-degree.get(n, 0), str(n))))


def pick_edges(candidates, kept: set, max_nodes: int | None) -> tuple[list, int]:
    """The edges a page draws from sorted (source, target, key, attributes) candidates: those
    between kept nodes, and of a capped page (max_nodes) at most EDGES_PER_NODE per node, the
    best-supported (confidence, then statements; ties in candidate order). Returns them in
    candidate order with the number of candidates left out. Holds only what it keeps."""
    seen = 0

    def inside():
        nonlocal seen
        for i, x in enumerate(candidates):
            seen += 1
            if x[0] in kept and x[1] in kept:
                yield i, x

    if max_nodes is None:
        drawn = [x for _, x in inside()]
    else:
        best = heapq.nsmallest(EDGES_PER_NODE * max_nodes, inside(),
                               key=lambda ix: (-ix[1][3].get("confidence", 0), -ix[1][3].get("n_statements", 0), ix[0]))
        drawn = [x for _, x in sorted(best, key=lambda ix: ix[0])]
    return drawn, seen - len(drawn)


@dataclass
class PageView:
    """What the HTML page shows of a graph: the kept nodes (attributes, whole-graph degree),
    the edges drawn, and how much was left out."""

    sources: dict
    nodes: dict[str, dict]
    degree: dict[str, int]
    edges: list
    total_nodes: int
    dropped_edges: int
    dropped_observations: int


def page_view(nxgraph: nx.MultiDiGraph, max_nodes: int | None = None) -> PageView:
    """The page's selection from a networkx graph (kg.write.network.NetworkIndex.page_view makes
    the same from the merged files of a build)."""
    sources = nxgraph.graph.get("sources") or {}
    if isinstance(sources, str):  # read back from GraphML
        sources = json.loads(sources)
    degree = dict(nxgraph.degree())
    keep = select_nodes(nxgraph, max_nodes)
    kept = set(keep)
    candidates = sorted(nxgraph.edges(keys=True, data=True), key=lambda x: (x[0], x[1], str(x[2])))
    drawn, dropped = pick_edges(candidates, kept, max_nodes)
    dropped_obs = sum(nxgraph.nodes[n].get("n_observations", 0) for n in nxgraph.nodes if n not in kept)
    return PageView(sources, {k: page_attrs(nxgraph.nodes[k], sources) for k in keep}, {k: degree.get(k, 0) for k in keep}, drawn,
                    nxgraph.number_of_nodes(), dropped, dropped_obs)


def _options(n: int) -> dict:
    """vis-network options; stabilisation is bounded, and fewer iterations are spent per node on big graphs."""
    big = n > BIG_GRAPH
    iterations = 400 if n <= 300 else 250 if n <= 800 else 150 if n <= BIG_GRAPH else 100
    return {
        "layout": {"randomSeed": LAYOUT_SEED, "improvedLayout": n <= 150},
        "physics": {
            "solver": "forceAtlas2Based",
            "forceAtlas2Based": {"gravitationalConstant": -80, "springLength": 130, "avoidOverlap": 0.5},
            "minVelocity": 1.5 if big else 0.75,
            "stabilization": {"iterations": iterations, "updateInterval": 20, "fit": True},
        },
        "nodes": {"font": {"size": 16, "face": FONT, "strokeWidth": 3, "strokeColor": "#ffffff"},
                  "borderWidth": 1},
        "edges": {"font": {"size": 11, "face": FONT, "align": "middle", "color": "#555555", "strokeWidth": 3},
                  "smooth": False, "width": 1.2, "arrows": {"to": {"scaleFactor": 0.5}}},
        "interaction": {"hover": True, "tooltipDelay": 150, "hideEdgesOnDrag": True, "hideEdgesOnZoom": big,
                        "multiselect": False},
    }


def write_html(nxgraph: nx.MultiDiGraph, path, title: str = "kg", max_nodes: int | None = None) -> None:
    """The graph as a self-contained interactive page (see render_html)."""
    render_html(page_view(nxgraph, max_nodes), path, title, max_nodes)


def render_html(view: PageView, path, title: str = "kg", max_nodes: int | None = None) -> None:
    """A self-contained interactive page (vis-network from pyvis, inlined) that works offline.

    pyvis' own template links bootstrap from a CDN even with cdn_resources="in_line", so the
    page is built here instead: nodes coloured and shaped by class with a legend that filters
    by class, a relation legend that filters by predicate, sized by degree; tooltips as small
    HTML tables (articles by title and date, evidence sentences and their source); each
    observation as a hidden node that a checkbox shows; a find box (names and aliases); a
    physics switch; a fixed layout seed and no timestamps, so the same graph gives the same
    bytes. max_nodes keeps the most connected nodes (ties by IRI) and the page says what it
    left out. The page exposes window.kgNetwork, kgNodes, kgEdges, kgFind and kgReady.
    """
    sources, degree, keep = view.sources, view.degree, list(view.nodes)
    labels = {k: view.nodes[k].get("label", k) for k in keep}

    nodes, observation_nodes, observation_edges, search = [], [], [], []
    for key in keep:
        a = {"label": key, "class": "", "iri": key, **view.nodes[key]}
        colour, shape, _ = STYLE.get(a["class"], ("#999999", "dot", "●"))
        nodes.append({
            "id": key, "label": _short(a["label"]), "title": _node_title(a, sources, degree.get(key, 0)),
            "color": colour, "shape": shape, "cls": a["class"],
            "size": round(10 + 4 * math.sqrt(min(degree.get(key, 0), 100)), 1),
        })
        rows = json.loads(a.get("observations", "[]"))
        for i, row in enumerate(rows[:OBSERVATION_NODES]):
            oid = f"{key}#observation-{i + 1}"
            observation_nodes.append({
                "id": oid, "label": _observation_label(row), "of": key, "ring": [i, min(len(rows), OBSERVATION_NODES)],
                "widthConstraint": {"maximum": 150},
                "title": f"<b>{html.escape(a['label'])}</b> <i>观测 · Observation</i>" + _observation_table([row]),
                "color": OBSERVATION_COLOUR, "shape": "box", "cls": OBSERVATION, "hidden": True, "physics": False,
                "font": {"size": 12},
            })
            observation_edges.append({"from": key, "to": oid, "pred": OBSERVATION, "obs": 1, "hidden": True,
                                      "physics": False, "dashes": True, "color": OBSERVATION_COLOUR, "arrows": ""})
    ranked = sorted(keep, key=lambda k: (-degree.get(k, 0), k))
    for names in ([[labels[k]] for k in ranked],
                  [(view.nodes[k].get("aliases") or "").split("；") for k in ranked]):
        for key, group in zip(ranked, names):
            search.extend([name, key] for name in group if name)
    seen: set[str] = set()
    search = [s for s in search if not (s[0] in seen or seen.add(s[0]))]

    edges, dropped_edges = [], view.dropped_edges
    big = len(nodes) > BIG_GRAPH
    for s, o, k, a in view.edges:
        p = a.get("predicate", str(k))
        edge = {
            "id": f"r{len(edges)}", "from": s, "to": o, "pred": p, "arrows": "to",
            "title": _edge_title({**a, "predicate": p}, sources, (labels[s], labels[o])),
            "color": PREDICATE_COLOUR.get(p, "#999999"),
        }
        if not big:  # thousands of edge labels cost every frame and cannot be read anyway
            edge["label"] = PREDICATE_ZH.get(p, p)
        edges.append(edge)
    for i, edge in enumerate(observation_edges):
        edge["id"] = f"o{i}"

    dropped_nodes = view.total_nodes - len(nodes)
    dropped_obs = view.dropped_observations
    omitted = ""
    if dropped_nodes:
        extra = f"、{dropped_obs} 条观测" if dropped_obs else ""
        omitted = (f'<span id="omitted" data-nodes="{dropped_nodes}" data-edges="{dropped_edges}" '
                   f'data-observations="{dropped_obs}" title="kg build --html-max-nodes {max_nodes}">'
                   f"仅显示连接最多的 {len(nodes)} 个节点（共 {view.total_nodes} 个）；"
                   f"省略 {dropped_nodes} 个节点、{dropped_edges} 条关系{extra}</span>")

    e = html.escape
    classes = {n["cls"] for n in nodes}
    legend = "".join(
        f'<button type="button" class="chip lg" data-cls="{e(cls)}" aria-pressed="true" title="{e(cls)}：点击隐藏/显示">'
        f'<b style="color:{colour}">{glyph}</b>{e(CLASS_ZH.get(cls, cls))}</button>'
        for cls, (colour, _, glyph) in STYLE.items() if cls in classes)
    legend += "".join(
        f'<button type="button" class="chip lg" data-cls="{e(cls)}" aria-pressed="true" title="{e(cls)}">●{e(cls)}</button>'
        for cls in sorted(classes - set(STYLE)))
    predicates = {edge["pred"] for edge in edges}
    relations = "".join(
        f'<button type="button" class="chip rel" data-pred="{e(p)}" aria-pressed="true" title="{e(p)}：点击隐藏/显示">'
        f'<b style="color:{PREDICATE_COLOUR.get(p, "#999999")}">━</b>{e(PREDICATE_ZH.get(p, p))}</button>'
        for p in [*RELATIONS, MENTIONED_IN, *sorted(predicates - set(RELATIONS) - {MENTIONED_IN})] if p in predicates)
    count = f"{len(nodes)} 节点 · {len(edges)} 关系"
    if observation_nodes:
        count += f" · {len(observation_nodes)} 观测"

    data = {
        "nodes": nodes + observation_nodes, "edges": edges + observation_edges, "search": search,
        "options": _options(len(nodes)), "focus": ranked[0] if ranked else None, "minScale": MIN_SCALE,
        "layoutMs": LAYOUT_SECONDS * 1000,
    }
    parts = {
        "TITLE": e(title), "COUNT": count, "OMITTED": omitted, "LEGEND": legend, "RELATIONS": relations,
        "OBSERVATIONS": str(len(observation_nodes)), "OBS_DISABLED": "" if observation_nodes else " disabled",
        "CSS": _vis_asset("vis-network.css"), "JS": _vis_asset("vis-network.min.js"),
    }
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        for i, piece in enumerate(re.split(r"@@([A-Z_]+)@@", _TEMPLATE)):  # inserted text is never rescanned
            if i % 2 == 0:
                fh.write(piece)
            elif piece == "DATA":
                _write_script_json(fh.write, data)
            else:
                fh.write(parts[piece])


_TEMPLATE = """<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>@@TITLE@@</title>
<style>@@CSS@@</style>
<style>
html, body { margin: 0; height: 100%; }
body { display: flex; flex-direction: column; font: 13px/1.4 "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC",
       "Microsoft YaHei", "WenQuanYi Micro Hei", sans-serif; color: #222; }
#bar { flex: none; display: flex; flex-wrap: wrap; align-items: center; gap: 4px 14px; padding: 5px 10px;
       border-bottom: 1px solid #ddd; background: #fafafa; }
#bar .group { display: inline-flex; flex-wrap: wrap; align-items: center; gap: 2px 4px; }
#bar .group > span { color: #666; }
#graph { flex: 1 1 auto; min-height: 0; position: relative; }
#omitted { color: #a33; }
#status { color: #666; }
.chip { font: inherit; color: inherit; background: none; border: 1px solid transparent; border-radius: 3px;
        padding: 0 4px; cursor: pointer; white-space: nowrap; }
.chip:hover { border-color: #ccc; }
.chip b { margin-right: 3px; }
.chip.off { opacity: 0.35; text-decoration: line-through; }
#find { font: inherit; width: 12em; }
#find.miss { outline: 2px solid #e06666; }
div.vis-tooltip { max-width: 560px; white-space: normal; font: 12px/1.4 "Noto Sans CJK SC", "Source Han Sans SC",
                  "PingFang SC", "Microsoft YaHei", sans-serif; }
div.vis-tooltip table { border-collapse: collapse; margin-top: 4px; }
div.vis-tooltip th, div.vis-tooltip td { text-align: left; padding: 1px 6px 1px 0; vertical-align: top; }
div.vis-tooltip table.obs td, div.vis-tooltip table.obs th { border-bottom: 1px solid #eee; }
div.vis-tooltip .ev { margin-top: 4px; max-width: 520px; }
div.vis-tooltip .sec { margin-top: 6px; color: #555; }
div.vis-tooltip ul { margin: 2px 0 0; padding-left: 1.2em; }
div.vis-tooltip .date, div.vis-tooltip code { color: #666; }
</style>
</head>
<body>
<div id="bar">
<b>@@TITLE@@</b><span id="count">@@COUNT@@</span>@@OMITTED@@
<span class="group" id="classes"><span>类别</span>@@LEGEND@@</span>
<span class="group" id="relations"><span>关系</span>@@RELATIONS@@</span>
<label title="把每条统计观测作为节点显示在其实体旁"><input type="checkbox" id="observations"@@OBS_DISABLED@@> 观测节点 (@@OBSERVATIONS@@)</label>
<label title="开启后节点可继续受力移动"><input type="checkbox" id="physics" checked> 物理布局</label>
<button type="button" id="fit">全图</button>
<input id="find" list="names" placeholder="查找名称或别名…" autocomplete="off" aria-label="查找"><datalist id="names"></datalist>
<span id="status" role="status"></span>
</div>
<div id="graph"></div>
<script>@@JS@@</script>
<script>
(function () {
  "use strict";
  var data = @@DATA@@;
  var byId = {}, nodeHidden = {}, edgeHidden = {}, classOn = {}, predOn = {}, showObservations = false;
  var status = document.getElementById("status"), findBox = document.getElementById("find");
  function tip(markup) { var d = document.createElement("div"); d.className = "kg-tip"; d.innerHTML = markup; return d; }
  data.nodes.forEach(function (n) {
    byId[n.id] = n; nodeHidden[n.id] = !!n.hidden; classOn[n.cls] = true; n.title = tip(n.title);
  });
  data.edges.forEach(function (e) { edgeHidden[e.id] = !!e.hidden; predOn[e.pred] = true; e.title = e.title ? tip(e.title) : undefined; });
  var names = document.getElementById("names"), byName = {};
  data.search.forEach(function (entry) {
    byName[entry[0]] = entry[1];
    var o = document.createElement("option"); o.value = entry[0];
    if (entry[0] !== byId[entry[1]].label) { o.label = byId[entry[1]].label; }
    names.appendChild(o);
  });

  var nodes = new vis.DataSet(data.nodes), edges = new vis.DataSet(data.edges);
  // the data goes in after the listeners, so not even a layout done at once can be missed
  var network = new vis.Network(document.getElementById("graph"), {}, data.options);
  window.kgNetwork = network; window.kgNodes = nodes; window.kgEdges = edges; window.kgReady = false;
  var physicsBox = document.getElementById("physics"), started = Date.now();

  function ready() {
    if (window.kgReady) { return; }
    network.setOptions({physics: {enabled: false}});
    physicsBox.checked = false;
    network.fit({animation: false});
    if (data.focus !== null && network.getScale() < data.minScale) {
      // labels stay readable: zoom to at least minScale around the most connected node
      network.moveTo({position: network.getPosition(data.focus), scale: data.minScale, animation: false});
    }
    status.textContent = "";
    window.kgReady = true;
  }
  network.on("stabilizationProgress", function (p) {
    if (Date.now() - started > data.layoutMs) { network.stopSimulation(); }  // the page must stay usable
    status.textContent = "布局中 " + Math.round(100 * p.iterations / p.total) + "%";
  });
  network.once("stabilizationIterationsDone", ready);
  network.setData({nodes: nodes, edges: edges});
  if (!data.nodes.some(function (n) { return !n.hidden; })) { ready(); }

  function applyFilters() {
    var want = {}, nodeChanges = [], edgeChanges = [];
    data.nodes.forEach(function (n) { if (!n.of) { want[n.id] = !classOn[n.cls]; } });
    data.nodes.forEach(function (n) { if (n.of) { want[n.id] = !showObservations || want[n.of]; } });
    data.nodes.forEach(function (n) {
      if (want[n.id] === nodeHidden[n.id]) { return; }
      nodeHidden[n.id] = want[n.id];
      var change = {id: n.id, hidden: want[n.id]};
      if (n.of) {
        change.physics = !want[n.id];
        if (!want[n.id]) {  // a ring around the entity the observation belongs to
          var p = network.getPosition(n.of), r = Math.max(130, 26 * n.ring[1]), a = 2 * Math.PI * n.ring[0] / n.ring[1] - Math.PI / 2;
          change.x = p.x + r * Math.cos(a); change.y = p.y + r * Math.sin(a);
        }
      }
      nodeChanges.push(change);
    });
    data.edges.forEach(function (e) {
      var h = !predOn[e.pred] || want[e.from] || want[e.to];
      if (h === edgeHidden[e.id]) { return; }
      edgeHidden[e.id] = h;
      var change = {id: e.id, hidden: h};
      if (e.obs) { change.physics = !h; }
      edgeChanges.push(change);
    });
    if (nodeChanges.length) { nodes.update(nodeChanges); }
    if (edgeChanges.length) { edges.update(edgeChanges); }
  }
  function toggle(selector, attr, state, value, on) {
    state[value] = on;
    document.querySelectorAll(selector).forEach(function (el) {
      if (el.getAttribute(attr) === value) { el.classList.toggle("off", !on); el.setAttribute("aria-pressed", String(on)); }
    });
    applyFilters();
  }
  document.querySelectorAll(".lg").forEach(function (el) {
    el.addEventListener("click", function () { var c = el.getAttribute("data-cls"); toggle(".lg", "data-cls", classOn, c, !classOn[c]); });
  });
  document.querySelectorAll(".rel").forEach(function (el) {
    el.addEventListener("click", function () { var p = el.getAttribute("data-pred"); toggle(".rel", "data-pred", predOn, p, !predOn[p]); });
  });
  document.getElementById("observations").addEventListener("change", function (ev) {
    showObservations = ev.target.checked; applyFilters();
  });
  physicsBox.addEventListener("change", function () { network.setOptions({physics: {enabled: physicsBox.checked}}); });
  document.getElementById("fit").addEventListener("click", function () { network.fit({animation: {duration: 300}}); });

  var finds = 0;
  function find(text) {
    text = (text || "").trim();
    if (!text) { return null; }
    var id = byName[text];
    if (id === undefined) {
      var low = text.toLowerCase();
      for (var i = 0; i < data.search.length; i++) {
        if (data.search[i][0].toLowerCase().indexOf(low) >= 0) { id = data.search[i][1]; break; }
      }
    }
    if (id === undefined) { findBox.classList.add("miss"); status.textContent = "未找到：" + text; return null; }
    findBox.classList.remove("miss"); status.textContent = "";
    var cls = byId[id].cls;
    if (!classOn[cls]) { toggle(".lg", "data-cls", classOn, cls, true); }
    network.selectNodes([id]);
    var scale = Math.max(network.getScale(), 1.2), turn = ++finds;
    network.focus(id, {scale: scale, animation: {duration: 400, easingFunction: "easeInOutQuad"}});
    network.once("animationFinished", function () {  // vis can stop a frame short: end exactly on the node
      if (turn === finds) { network.moveTo({position: network.getPosition(id), scale: scale}); }
    });
    return id;
  }
  window.kgFind = find;
  findBox.addEventListener("keydown", function (ev) { if (ev.key === "Enter") { find(findBox.value); } });
  findBox.addEventListener("input", function (ev) {  // a pick from the list of names
    if (!ev.inputType || ev.inputType === "insertReplacementText") { find(findBox.value); }
  });
})();
</script>
</body>
</html>
"""

WRITERS = {"graphml": write_graphml, "json": write_json, "html": write_html}
