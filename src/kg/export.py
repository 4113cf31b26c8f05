"""Stage 8, export: the rdflib Graph → networkx, GraphML, node-link JSON and an offline HTML page.

Every writer reads the graph (never the text) and emits nodes and edges in sorted
order, so the same graph always gives byte-identical files.
"""

from __future__ import annotations

import html as html_lib
import json
from importlib import resources

import networkx as nx
from rdflib import Graph, URIRef

from kg.vocab import ENTITY_CLASSES, KG, PROV, RDF, RDFS, RELATIONS, SKOS

# colour and shape per class, for the HTML page and its legend
STYLE = {
    "Province": ("#1f4e79", "dot"), "City": ("#2e75b6", "dot"), "County": ("#9dc3e6", "dot"),
    "Enterprise": ("#c55a11", "box"), "Project": ("#f4b183", "diamond"),
    "IndustryCluster": ("#7030a0", "hexagon"), "Platform": ("#548235", "square"),
    "Country": ("#bf9000", "triangle"), "Territory": ("#ffd966", "triangle"),
    "EconomicBloc": ("#806000", "star"), "Product": ("#a5a5a5", "ellipse"), "Article": ("#d9d9d9", "text"),
}
PREDICATE_ZH = {"partOf": "隶属", "locatedIn": "位于", "tradesWith": "贸易往来", "exportsTo": "出口至",
                "importsFrom": "进口自", "exports": "出口", "imports": "进口", "participatesIn": "参与"}


def _local(iri) -> str:
    return str(iri).rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def _observations(graph: Graph) -> dict[str, list[dict]]:
    """Observations grouped by their entity, as plain dicts in a fixed order."""
    out: dict[str, list[dict]] = {}
    for ob in graph.subjects(RDF.type, KG.Observation):
        entity = graph.value(ob, KG.observedEntity)
        if entity is None:
            continue

        def text(p):
            v = graph.value(ob, p)
            return None if v is None else str(v)

        def label_of(p):
            v = graph.value(ob, p)
            return None if v is None else str(graph.value(v, RDFS.label) or v)

        value = graph.value(ob, KG.value)
        growth = graph.value(ob, KG.growthRate)
        out.setdefault(str(entity), []).append({
            "indicator": text(KG.indicator), "value": float(value) if value is not None else None,
            "unit": text(KG.unit), "growth": float(growth) if growth is not None else None,
            "period": text(KG.periodLabel), "partner": label_of(KG.partner), "product": label_of(KG.product),
        })
    for rows in out.values():
        rows.sort(key=lambda r: json.dumps(r, ensure_ascii=False, sort_keys=True))
    return out


def to_networkx(graph: Graph, with_articles: bool = False) -> nx.MultiDiGraph:
    """Entities as nodes (label, class, iri, aliases, codes), relations as edges (predicate, evidence, article).

    Observations are attached to their entity as a JSON attribute rather than made nodes.
    """
    g = nx.MultiDiGraph()
    obs = _observations(graph)
    classes = {KG[c]: c for c in ENTITY_CLASSES}
    nodes = {}
    for cls_iri, cls in classes.items():
        for s in graph.subjects(RDF.type, cls_iri):
            nodes[str(s)] = (s, cls)
    if with_articles:
        for s in graph.subjects(RDF.type, KG.Article):
            nodes[str(s)] = (s, "Article")
    for key in sorted(nodes):
        s, cls = nodes[key]
        label = graph.value(s, RDFS.label) or graph.value(s, KG.title) or _local(s)
        attrs = {"label": str(label), "class": cls, "iri": key}
        aliases = sorted(str(a) for a in graph.objects(s, SKOS.altLabel))
        if aliases:
            attrs["aliases"] = "；".join(aliases)
        for name, p in (("adcode", KG.adcode), ("iso_code", KG.isoCode)):
            v = graph.value(s, p)
            if v is not None:
                attrs[name] = str(v)
        if cls != "Article":
            attrs["articles"] = len(set(graph.objects(s, KG.mentionedIn)))
        if key in obs:
            attrs["observations"] = json.dumps(obs[key], ensure_ascii=False, sort_keys=True)
            attrs["n_observations"] = len(obs[key])
        g.add_node(key, **attrs)
    # provenance of each relation triple, from its rdf:Statement nodes
    provenance: dict[tuple, list[tuple]] = {}
    for st in graph.subjects(RDF.type, RDF.Statement):
        k = (str(graph.value(st, RDF.subject)), str(graph.value(st, RDF.predicate)), str(graph.value(st, RDF.object)))
        ev = graph.value(st, KG.evidence)
        provenance.setdefault(k, []).append((
            str(ev) if ev is not None else "", str(graph.value(st, PROV.wasDerivedFrom) or ""),
            float(graph.value(st, KG.confidence) or 0)))
    edges = []
    for rel in RELATIONS:
        for s, o in graph.subject_objects(KG[rel]):
            if str(s) in nodes and str(o) in nodes:
                edges.append((str(s), str(o), rel))
    for s, o, rel in sorted(edges):
        attrs = {"predicate": rel}
        prov = sorted(provenance.get((s, str(KG[rel]), o), []))
        if prov:
            evidence, article, confidence = prov[0]
            if evidence:
                attrs["evidence"] = evidence
            attrs["article"] = article
            attrs["confidence"] = confidence
        g.add_edge(s, o, key=rel, **attrs)
    if with_articles:
        for key in sorted(nodes):
            s, cls = nodes[key]
            if cls != "Article":
                for a in sorted(str(x) for x in graph.objects(s, KG.mentionedIn)):
                    g.add_edge(key, a, key="mentionedIn", predicate="mentionedIn")
    return g


def write_graphml(nxgraph: nx.MultiDiGraph, path) -> None:
    """GraphML, readable by networkx.read_graphml, Gephi, Cytoscape."""
    nx.write_graphml(nxgraph, path, encoding="utf-8")


def write_json(nxgraph: nx.MultiDiGraph, path) -> None:
    """networkx node-link JSON (nodes, links), for networkx.node_link_graph and d3."""
    data = nx.node_link_data(nxgraph, edges="links")
    with open(path, "w", encoding="utf-8") as fh:
        json.dump(data, fh, ensure_ascii=False, indent=1, sort_keys=True)
        fh.write("\n")


def _fmt_value(v: float | None, unit: str | None) -> str:
    if v is None:
        return ""
    if v >= 1e8:
        return f"{v / 1e8:,.2f} 亿 {unit or ''}".strip()
    if v >= 1e4:
        return f"{v / 1e4:,.2f} 万 {unit or ''}".strip()
    return f"{v:,.2f} {unit or ''}".strip()


def _node_title(attrs: dict) -> str:
    lines = [f"{attrs['label']} ({attrs['class']})"]
    if attrs.get("aliases"):
        lines.append("别名: " + attrs["aliases"])
    for name, caption in (("adcode", "adcode"), ("iso_code", "ISO")):
        if attrs.get(name):
            lines.append(f"{caption}: {attrs[name]}")
    if attrs.get("articles"):
        lines.append(f"见于 {attrs['articles']} 篇文章")
    for row in json.loads(attrs.get("observations", "[]"))[:12]:
        parts = [row.get("period") or "", row.get("indicator") or "", _fmt_value(row.get("value"), row.get("unit"))]
        if row.get("growth") is not None:
            parts.append(f"{row['growth']:+g}%")
        for k in ("partner", "product"):
            if row.get(k):
                parts.append(f"[{row[k]}]")
        lines.append(" ".join(p for p in parts if p))
    return "\n".join(lines)


def _edge_title(attrs: dict) -> str:
    p = attrs["predicate"]
    lines = [f"{PREDICATE_ZH.get(p, p)} / {p}"]
    if attrs.get("evidence"):
        lines.append(attrs["evidence"])
    return "\n".join(lines)


def _vis_asset(name: str) -> str:
    return (resources.files("pyvis") / "lib" / "vis-9.1.2" / name).read_text(encoding="utf-8")


def write_html(nxgraph: nx.MultiDiGraph, path, title: str = "kg") -> None:
    """One self-contained HTML page (vis-network inlined from pyvis): works with the network off."""
    from pyvis.network import Network

    net = Network(height="100%", width="100%", directed=True, cdn_resources="in_line")
    degree = dict(nxgraph.degree())
    for key in sorted(nxgraph.nodes):
        a = nxgraph.nodes[key]
        colour, shape = STYLE.get(a["class"], ("#999999", "dot"))
        net.add_node(key, label=a["label"], title=_node_title(a), color=colour, shape=shape,
                     size=10 + 3 * min(degree.get(key, 0), 15), group=a["class"])
    for s, o, k, a in sorted(nxgraph.edges(keys=True, data=True), key=lambda e: (e[0], e[1], e[2])):
        net.add_edge(s, o, title=_edge_title(a), label=PREDICATE_ZH.get(a["predicate"], a["predicate"]),
                     arrows="to", color="#888888")
    options = {
        "layout": {"randomSeed": 7, "improvedLayout": len(nxgraph) < 800},
        "physics": {"solver": "forceAtlas2Based", "stabilization": {"iterations": 300, "fit": True},
                    "forceAtlas2Based": {"gravitationalConstant": -60, "springLength": 120}},
        "nodes": {"font": {"size": 16, "face": "Noto Sans CJK SC, Microsoft YaHei, sans-serif"}},
        "edges": {"font": {"size": 10, "align": "middle"}, "smooth": False},
        "interaction": {"hover": True, "navigationButtons": False, "tooltipDelay": 120},
    }
    nodes = json.dumps(net.nodes, ensure_ascii=False, sort_keys=True)
    edges = json.dumps(net.edges, ensure_ascii=False, sort_keys=True)
    legend = "".join(
        f'<span class="lg"><i style="background:{c}"></i>{html_lib.escape(cls)}</span>'
        for cls, (c, _) in STYLE.items() if cls != "Article")
    page = _TEMPLATE.format(
        title=html_lib.escape(title), css=_vis_asset("vis-network.css"), js=_vis_asset("vis-network.min.js"),
        nodes=nodes, edges=edges, options=json.dumps(options, sort_keys=True), legend=legend,
        count=f"{nxgraph.number_of_nodes()} nodes, {nxgraph.number_of_edges()} edges")
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(page)


_TEMPLATE = """<!DOCTYPE html>
<html lang="zh">
<head>
<meta charset="utf-8">
<title>{title}</title>
<style>{css}</style>
<style>
html, body {{ margin: 0; height: 100%; font-family: "Noto Sans CJK SC", "Microsoft YaHei", sans-serif; }}
#graph {{ position: absolute; top: 40px; bottom: 0; left: 0; right: 0; }}
#bar {{ height: 40px; display: flex; align-items: center; gap: 10px; padding: 0 10px; font-size: 13px;
       border-bottom: 1px solid #ddd; overflow-x: auto; white-space: nowrap; }}
.lg i {{ display: inline-block; width: 10px; height: 10px; border-radius: 5px; margin-right: 3px; }}
div.vis-tooltip {{ white-space: pre-wrap; max-width: 480px; }}
</style>
</head>
<body>
<div id="bar"><b>{title}</b><span>{count}</span>{legend}</div>
<div id="graph"></div>
<script>{js}</script>
<script>
var nodes = new vis.DataSet({nodes});
var edges = new vis.DataSet({edges});
var network = new vis.Network(document.getElementById("graph"), {{nodes: nodes, edges: edges}}, {options});
network.once("stabilizationIterationsDone", function () {{ network.setOptions({{physics: false}}); }});
</script>
</body>
</html>
"""

WRITERS = {"graphml": write_graphml, "json": write_json, "html": write_html}
