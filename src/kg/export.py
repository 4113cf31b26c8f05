"""Stage 8, export: the rdflib Graph → networkx, GraphML, node-link JSON and an offline HTML page.

Export reads the graph only (never the text), so whatever the graph says is what the
files say. Every step visits nodes and edges in sorted order, so the same graph always
gives byte-identical files.
"""

from __future__ import annotations

import html
import json
import math
from decimal import Decimal
from importlib import resources

import networkx as nx
from rdflib import Graph, Literal

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
UNIT_ZH = {"CNY": "元", "USD": "美元"}
TOOLTIP_ROWS = 25  # observations shown in a node's tooltip; the rest are counted


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
    """Edge attributes from a relation's statements: the first evidence and source in sorted order,
    the highest confidence (the best support any source gives), and how many statements there are."""
    evidence = sorted({str(e) for st in statements for e in graph.objects(st, KG.evidence)})
    sources = sorted({str(a) for st in statements for a in graph.objects(st, PROV.wasDerivedFrom)})
    confidences = [c for st in statements for c in map(_number, graph.objects(st, KG.confidence)) if c is not None]
    attrs: dict = {}
    if evidence:
        attrs["evidence"] = evidence[0]
    if sources:
        attrs["article"] = sources[0]
    if confidences:
        attrs["confidence"] = float(max(confidences))
    if statements:
        attrs["n_statements"] = len(set(statements))
    return attrs


def to_networkx(graph: Graph, with_articles: bool = False) -> nx.MultiDiGraph:
    """The graph as a networkx MultiDiGraph, for analysis and the file writers.

    Nodes are entities (keyed by IRI) with label, class, iri, aliases, adcode/iso_code,
    lat/long and the number of articles mentioning them; their statistics ride along as a
    JSON attribute `observations` (observations as nodes would swamp the picture). Edges
    are the direct relation triples, keyed by predicate, carrying evidence, source and
    confidence from their rdf:Statements. Articles and mentionedIn edges are left out
    unless with_articles=True, since they link almost everything to everything.
    Absent attributes are omitted, never None, because GraphML cannot hold None.
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
            attrs["articles"] = len(set(graph.objects(s, KG.mentionedIn)))
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

    if with_articles:
        mentions = set()
        for s, a in graph.subject_objects(KG.mentionedIn):
            if str(s) in nodes and str(a) in nodes:
                mentions.add((str(s), str(a)))
        for s, a in sorted(mentions):
            g.add_edge(s, a, key=MENTIONED_IN, predicate=MENTIONED_IN)
    return g


# --------------------------------------------------------------------------- GraphML and JSON

def write_graphml(nxgraph: nx.MultiDiGraph, path) -> None:
    """GraphML (UTF-8) for Gephi, Cytoscape and networkx; None-valued attributes dropped.

    Edge keys are written as GraphML edge ids; read back as a MultiDiGraph with
    nx.read_graphml(path, force_multigraph=True, edge_key_type=str).
    """
    g = nxgraph.copy()
    for _, attrs in g.nodes(data=True):
        for k in [k for k, v in attrs.items() if v is None]:
            del attrs[k]
    for _, _, attrs in g.edges(data=True):
        for k in [k for k, v in attrs.items() if v is None]:
            del attrs[k]
    nx.write_graphml(g, path, encoding="utf-8", prettyprint=True)


def write_json(nxgraph: nx.MultiDiGraph, path) -> None:
    """networkx node-link JSON ("nodes", "links"): read back with node_link_graph(data, edges="links"), or d3."""
    data = nx.node_link_data(nxgraph, edges="links")
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        json.dump(data, fh, ensure_ascii=False, indent=1, sort_keys=True)
        fh.write("\n")


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


def _node_title(attrs: dict) -> str:
    """Tooltip HTML: name, class, aliases, codes, article count, and a table of observations."""
    e = html.escape
    cls = attrs["class"]
    parts = [f"<b>{e(attrs['label'])}</b> <i>{e(CLASS_ZH.get(cls, cls))} · {e(cls)}</i>"]
    facts = []
    if attrs.get("aliases"):
        facts.append(("别名", attrs["aliases"]))
    if attrs.get("adcode"):
        facts.append(("行政区划代码", attrs["adcode"]))
    if attrs.get("iso_code"):
        facts.append(("ISO 3166", attrs["iso_code"]))
    if attrs.get("articles"):
        facts.append(("见于文章", str(attrs["articles"])))
    if attrs.get("date"):
        facts.append(("日期", attrs["date"]))
    if attrs.get("source_file"):
        facts.append(("文件", attrs["source_file"]))
    facts.append(("IRI", attrs["iri"]))
    parts.append("<table>" + "".join(f"<tr><th>{e(k)}</th><td>{e(v)}</td></tr>" for k, v in facts) + "</table>")
    rows = json.loads(attrs.get("observations", "[]"))
    if rows:
        head = "".join(f"<th>{h}</th>" for h in ("期间", "指标", "数值", "同比", "伙伴/产品"))
        body = []
        for r in rows[:TOOLTIP_ROWS]:
            growth = f"{r['growth']:+g}%" if "growth" in r else ""
            other = " ".join(r[k] for k in ("partner", "product") if k in r)
            cells = (r.get("period", ""), r.get("indicator", ""), _fmt_value(r), growth, other)
            body.append("<tr>" + "".join(f"<td>{e(c)}</td>" for c in cells) + "</tr>")
        more = f"<div>… 另有 {len(rows) - TOOLTIP_ROWS} 条</div>" if len(rows) > TOOLTIP_ROWS else ""
        parts.append(f'<table class="obs"><tr>{head}</tr>{"".join(body)}</table>{more}')
    return "".join(parts)


def _edge_title(attrs: dict) -> str:
    """Tooltip HTML: predicate (Chinese and contract name), evidence sentence, source, confidence."""
    e = html.escape
    p = attrs["predicate"]
    parts = [f"<b>{e(PREDICATE_ZH.get(p, p))}</b> <i>{e(p)}</i>"]
    if attrs.get("evidence"):
        parts.append(f'<div class="ev">{e(attrs["evidence"])}</div>')
    facts = []
    if attrs.get("article"):
        facts.append(("来源", attrs["article"]))
    if attrs.get("confidence") is not None:
        facts.append(("置信度", f"{attrs['confidence']:g}"))
    if facts:
        parts.append("<table>" + "".join(f"<tr><th>{e(k)}</th><td>{e(v)}</td></tr>" for k, v in facts) + "</table>")
    return "".join(parts)


def _vis_asset(name: str) -> str:
    """A file of the vis-network build that pyvis ships, read at run time to be inlined."""
    return (resources.files("pyvis") / "lib" / "vis-9.1.2" / name).read_text(encoding="utf-8")


def _script_json(data) -> str:
    """JSON safe inside <script>: '<', '>' and '&' escaped so no text can close the element."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def write_html(nxgraph: nx.MultiDiGraph, path, title: str = "kg") -> None:
    """A self-contained interactive page (vis-network from pyvis, inlined) that works offline.

    pyvis' own template links bootstrap from a CDN even with cdn_resources="in_line", so the
    page is built here instead: nodes coloured and shaped by class with a legend (click to
    hide a class), sized by degree, tooltips as small HTML tables, a fixed layout seed and
    no timestamps, so the same graph gives the same bytes.
    """
    degree = dict(nxgraph.degree())
    nodes = []
    for key in sorted(nxgraph.nodes):
        a = nxgraph.nodes[key]
        colour, shape, _ = STYLE.get(a.get("class"), ("#999999", "dot", "●"))
        nodes.append({
            "id": key, "label": a.get("label", key), "title": _node_title({"label": key, "class": "", "iri": key, **a}),
            "color": colour, "shape": shape, "cls": a.get("class", ""),
            "size": round(8 + 4 * math.sqrt(min(degree.get(key, 0), 100)), 1),
        })
    edges = []
    for i, (s, o, k, a) in enumerate(sorted(nxgraph.edges(keys=True, data=True), key=lambda x: (x[0], x[1], str(x[2])))):
        p = a.get("predicate", str(k))
        edges.append({
            "id": i, "from": s, "to": o, "label": PREDICATE_ZH.get(p, p), "title": _edge_title({**a, "predicate": p}),
            "color": PREDICATE_COLOUR.get(p, "#999999"), "arrows": "to",
        })
    options = {
        "layout": {"randomSeed": 7, "improvedLayout": len(nodes) <= 150},
        "physics": {
            "solver": "forceAtlas2Based",
            "forceAtlas2Based": {"gravitationalConstant": -60, "springLength": 110, "avoidOverlap": 0.2},
            "stabilization": {"iterations": 400, "fit": True},
        },
        "nodes": {"font": {"size": 14, "face": "Noto Sans CJK SC, Microsoft YaHei, sans-serif"}, "borderWidth": 1},
        "edges": {"font": {"size": 9, "align": "middle", "color": "#666666"}, "smooth": False,
                  "arrows": {"to": {"scaleFactor": 0.5}}},
        "interaction": {"hover": True, "tooltipDelay": 150, "hideEdgesOnDrag": True},
    }
    present = {n["cls"] for n in nodes}
    legend = "".join(
        f'<span class="lg" data-cls="{html.escape(cls)}" title="{html.escape(cls)}">'
        f'<b style="color:{colour}">{glyph}</b>{html.escape(CLASS_ZH.get(cls, cls))}</span>'
        for cls, (colour, _, glyph) in STYLE.items() if cls in present)
    page = _TEMPLATE.format(
        title=html.escape(title), count=f"{len(nodes)} 节点 · {len(edges)} 关系", legend=legend,
        css=_vis_asset("vis-network.css"), js=_vis_asset("vis-network.min.js"),
        nodes=_script_json(nodes), edges=_script_json(edges), options=_script_json(options))
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        fh.write(page)


_TEMPLATE = """<!DOCTYPE html>
<html lang="zh">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>{css}</style>
<style>
html, body {{ margin: 0; height: 100%; font-family: "Noto Sans CJK SC", "Microsoft YaHei", sans-serif; }}
#bar {{ position: absolute; top: 0; left: 0; right: 0; height: 40px; display: flex; align-items: center;
       gap: 12px; padding: 0 10px; font-size: 13px; border-bottom: 1px solid #ddd; background: #fafafa;
       overflow-x: auto; white-space: nowrap; }}
#graph {{ position: absolute; top: 41px; bottom: 0; left: 0; right: 0; }}
.lg {{ cursor: pointer; user-select: none; }}
.lg b {{ margin-right: 3px; }}
.lg.off {{ opacity: 0.3; }}
#find {{ font-size: 13px; width: 10em; }}
div.vis-tooltip {{ max-width: 560px; white-space: normal; font-size: 12px; line-height: 1.4; }}
div.vis-tooltip table {{ border-collapse: collapse; margin-top: 4px; }}
div.vis-tooltip th, div.vis-tooltip td {{ text-align: left; padding: 1px 6px 1px 0; vertical-align: top; }}
div.vis-tooltip table.obs td, div.vis-tooltip table.obs th {{ border-bottom: 1px solid #eee; }}
div.vis-tooltip .ev {{ margin-top: 4px; max-width: 520px; }}
</style>
</head>
<body>
<div id="bar"><b>{title}</b><span>{count}</span>{legend}<input id="find" list="names" placeholder="查找…"><datalist id="names"></datalist></div>
<div id="graph"></div>
<script>{js}</script>
<script>
(function () {{
  function tip(markup) {{ var d = document.createElement("div"); d.innerHTML = markup; return d; }}
  var nodeData = {nodes}, edgeData = {edges};
  var names = document.getElementById("names"), byLabel = {{}};
  nodeData.forEach(function (n) {{
    n.title = tip(n.title);
    if (!(n.label in byLabel)) {{
      byLabel[n.label] = n.id;
      var o = document.createElement("option"); o.value = n.label; names.appendChild(o);
    }}
  }});
  edgeData.forEach(function (e) {{ e.title = tip(e.title); }});
  var nodes = new vis.DataSet(nodeData), edges = new vis.DataSet(edgeData);
  var network = new vis.Network(document.getElementById("graph"), {{nodes: nodes, edges: edges}}, {options});
  network.once("stabilizationIterationsDone", function () {{ network.setOptions({{physics: false}}); }});
  document.querySelectorAll(".lg").forEach(function (el) {{
    el.addEventListener("click", function () {{
      var hide = !el.classList.contains("off"), cls = el.getAttribute("data-cls");
      el.classList.toggle("off");
      nodes.update(nodes.get({{filter: function (n) {{ return n.cls === cls; }}}}).map(function (n) {{
        return {{id: n.id, hidden: hide}};
      }}));
    }});
  }});
  document.getElementById("find").addEventListener("change", function (ev) {{
    var id = byLabel[ev.target.value];
    if (id !== undefined) {{ network.selectNodes([id]); network.focus(id, {{scale: 1.2, animation: true}}); }}
  }});
}})();
</script>
</body>
</html>
"""

WRITERS = {"graphml": write_graphml, "json": write_json, "html": write_html}
