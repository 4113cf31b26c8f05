"""The offline HTML page: a PageView (kg.write.page) as a view model, poured into the page
template (templates/page.html, .css, .js, shipped as package data) with vis-network inlined.

The page is built here rather than by pyvis, whose template links bootstrap from a CDN even
with cdn_resources="in_line". A fixed layout seed and no timestamps: the same graph gives
the same bytes."""

from __future__ import annotations

import functools
import importlib.util
import html
import json
import math
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import networkx as nx

from kg.vocab import RELATIONS
from kg.write.page import (OBSERVATION_NODES, TOOLTIP_ARTICLES, TOOLTIP_ROWS, PageView, earliest,
                           page_view)
from kg.write.projection import ARTICLE, MENTIONED_IN

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
LABEL_CHARS = 18  # longer labels (article titles) are cut on the canvas, whole in the tooltip
BIG_GRAPH = 1500  # past this many nodes the page drops edge labels and spends fewer layout iterations
LAYOUT_SEED = 7
LAYOUT_SECONDS = 20  # a fallback: a layout still running then stops where it is (only huge graphs get there)
MIN_SCALE = 0.7  # the first view zooms no further out than this, so 16 px labels stay readable
FONT = "Noto Sans CJK SC, Source Han Sans SC, PingFang SC, Microsoft YaHei, WenQuanYi Micro Hei, sans-serif"


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
        items = "".join(f"<li>{_source_line(a, sources)}</li>" for a in earliest(articles, sources))
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
    """A file of the vis-network build that pyvis ships, read at run time to be inlined. Found
    without importing pyvis, which would import IPython (most of a second) for nothing."""
    spec = importlib.util.find_spec("pyvis")
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError("pyvis, whose copy of vis-network the page inlines, is not installed")
    folder = Path(next(iter(spec.submodule_search_locations)))
    return (folder / "lib" / "vis-9.1.2" / name).read_text(encoding="utf-8")


def script_json(data) -> str:
    """JSON safe inside <script>: '<', '>' and '&' escaped so no text can close the element."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


SCRIPT_CHUNK = 512  # list items encoded in one call: few calls, and no copy of a whole big list's text


def _write_script_json(write, data: dict) -> None:
    """script_json(data) for a dict of (possibly long) lists, written a chunk of items at a
    time: a capped page of a big corpus is tens of MB, which should not be copied whole."""
    write("{")
    for i, key in enumerate(sorted(data)):
        write(("," if i else "") + script_json(key) + ":")
        value = data[key]
        if isinstance(value, list):
            write("[")
            for j in range(0, len(value), SCRIPT_CHUNK):  # script_json of a list, a chunk of items at a time
                write(("," if j else "") + script_json(value[j:j + SCRIPT_CHUNK])[1:-1])
            write("]")
        else:
            write(script_json(value))
    write("}")



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
        # horizontal: a label turned along a steep edge reads bottom to top (出口 as 口出)
        "edges": {"font": {"size": 11, "face": FONT, "align": "horizontal", "color": "#555555", "strokeWidth": 3},
                  "smooth": False, "width": 1.2, "arrows": {"to": {"scaleFactor": 0.5}}},
        "interaction": {"hover": True, "tooltipDelay": 150, "hideEdgesOnDrag": True, "hideEdgesOnZoom": big,
                        "multiselect": False},
    }


def write_html(nxgraph: nx.MultiDiGraph, path, title: str = "kg", max_nodes: int | None = None) -> None:
    """The graph as a self-contained interactive page (see render_html)."""
    render_html(page_view(nxgraph, max_nodes), path, title, max_nodes)



@dataclass
class Page:
    """The page as a view model: `data` is what the script hands to vis-network (nodes,
    edges, search list, options), `parts` the texts that fill the template's @@NAME@@ slots."""

    data: dict
    parts: dict[str, str]


def page_model(view: PageView, title: str = "kg", max_nodes: int | None = None) -> Page:
    """What render_html draws of a PageView: nodes coloured and shaped by class with a legend
    that filters by class, a relation legend that filters by predicate, sized by degree;
    tooltips as small HTML tables; each observation as a hidden node that a checkbox shows;
    a find box over names and aliases; and, for a capped page, what it left out."""
    nodes, observation_nodes, observation_edges = _entity_nodes(view)
    ranked = sorted(view.nodes, key=lambda k: (-view.degree.get(k, 0), k))
    edges = _relation_edges(view, len(nodes) > BIG_GRAPH)
    count = f"{len(nodes)} 节点 · {len(edges)} 关系"
    if observation_nodes:
        count += f" · {len(observation_nodes)} 观测"
    data = {
        "nodes": nodes + observation_nodes, "edges": edges + observation_edges, "search": _search(view, ranked),
        "options": _options(len(nodes)), "focus": ranked[0] if ranked else None, "minScale": MIN_SCALE,
        "layoutMs": LAYOUT_SECONDS * 1000, "years": sorted({y for x in nodes + edges for y in _years_of(x)}),
        "classNames": {n["cls"]: CLASS_ZH.get(n["cls"], n["cls"]) for n in nodes},
        "predNames": {e["pred"]: PREDICATE_ZH.get(e["pred"], e["pred"]) for e in edges},
    }
    parts = {
        "TITLE": html.escape(title), "COUNT": count, "OMITTED": _omitted(view, len(nodes), max_nodes),
        "LEGEND": _class_legend({n["cls"] for n in nodes}), "RELATIONS": _relation_legend({e["pred"] for e in edges}),
        "OBSERVATIONS": str(len(observation_nodes)), "OBS_DISABLED": "" if observation_nodes else " disabled",
        "CSS": _vis_asset("vis-network.css"), "JS": _vis_asset("vis-network.min.js"),
    }
    return Page(data, parts)


def render_html(view: PageView, path, title: str = "kg", max_nodes: int | None = None) -> None:
    """A self-contained interactive page (vis-network from pyvis, inlined) that works offline.

    max_nodes is what kept the view's most connected nodes (ties by IRI); the page says what
    it left out. The page exposes window.kgNetwork, kgNodes, kgEdges, kgFind and kgReady.
    """
    page = page_model(view, title, max_nodes)
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        for i, piece in enumerate(re.split(r"@@([A-Z_]+)@@", _template())):  # inserted text is never rescanned
            if i % 2 == 0:
                fh.write(piece)
            elif piece == "DATA":
                _write_script_json(fh.write, page.data)
            else:
                fh.write(page.parts[piece])


@functools.lru_cache(maxsize=None)
def page_template(package: str, folder: str, page: str, inserts: tuple[tuple[str, str], ...]) -> str:
    """FOLDER/PAGE of PACKAGE's data with files of the same folder put in: inserts are
    (slot, file name) pairs, as (("@@PAGE_CSS@@", "page.css"),). Read once per process."""
    where = resources.files(package) / folder
    text = (where / page).read_text(encoding="utf-8")
    for slot, name in inserts:
        text = text.replace(slot, (where / name).read_text(encoding="utf-8"))
    return text


def _template() -> str:
    """templates/page.html with its own style sheet and script (page.css, page.js) put in."""
    return page_template("kg.write", "templates", "page.html", (("@@PAGE_CSS@@", "page.css"), ("@@PAGE_JS@@", "page.js")))


def _entity_nodes(view: PageView) -> tuple[list, list, list]:
    """The vis nodes of the kept entities, and their observations as hidden nodes and edges."""
    nodes, observation_nodes, observation_edges = [], [], []
    for key in view.nodes:
        a = {"label": key, "class": "", "iri": key, **view.nodes[key]}
        colour, shape, _ = STYLE.get(a["class"], ("#999999", "dot", "●"))
        degree = view.degree.get(key, 0)
        node = {
            "id": key, "label": _short(a["label"]), "title": _node_title(a, view.sources, degree),
            "color": colour, "shape": shape, "cls": a["class"], "size": round(10 + 4 * math.sqrt(min(degree, 100)), 1),
        }
        years = sorted({y for y in (_year(i, view.sources) for i in (a.get("mentioned_in") or "").split()) if y})
        if years:
            node["years"] = years
        nodes.append(node)
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
                                      "physics": False, "dashes": True, "color": OBSERVATION_COLOUR, "arrows": "",
                                      "id": f"o{len(observation_edges)}"})
    return nodes, observation_nodes, observation_edges


def _year(article: str | None, sources: dict) -> int | None:
    """The year of an article's date ("2023-11-15" → 2023), None when it has none."""
    date = (sources.get(article) or {}).get("date", "") if article else ""
    return int(date[:4]) if date[:4].isdigit() else None


def _years_of(item: dict) -> list[int]:
    return item.get("years") or ([item["year"]] if "year" in item else [])


def _label_of(view: PageView, key: str) -> str:
    return view.nodes[key].get("label", key)


def _search(view: PageView, ranked: list[str]) -> list[list[str]]:
    """[name, node] pairs for the find box: every label (most connected node first), then the
    aliases; a name already taken by an earlier node is left out."""
    search = []
    for names in ([[_label_of(view, k)] for k in ranked], [(view.nodes[k].get("aliases") or "").split("；") for k in ranked]):
        for key, group in zip(ranked, names):
            search.extend([name, key] for name in group if name)
    seen: set[str] = set()
    return [s for s in search if not (s[0] in seen or seen.add(s[0]))]


def _relation_edges(view: PageView, big: bool) -> list[dict]:
    edges = []
    for s, o, k, a in view.edges:
        p = a.get("predicate", str(k))
        edge = {
            "id": f"r{len(edges)}", "from": s, "to": o, "pred": p, "arrows": "to",
            "title": _edge_title({**a, "predicate": p}, view.sources, (_label_of(view, s), _label_of(view, o))),
            "color": PREDICATE_COLOUR.get(p, "#999999"),
        }
        if not big:  # thousands of edge labels cost every frame and cannot be read anyway
            edge["label"] = PREDICATE_ZH.get(p, p)
        year = _year(a.get("article"), view.sources)
        if year:
            edge["year"] = year  # the year filter's: the date of the article the evidence comes from
        if a.get("confidence") is not None:
            edge["conf"] = round(float(a["confidence"]), 3)
        edges.append(edge)
    return edges


def _omitted(view: PageView, shown: int, max_nodes: int | None) -> str:
    """The bar's note on a capped page: how many nodes, relations and observations it left out."""
    dropped_nodes, dropped_edges, dropped_obs = view.total_nodes - shown, view.dropped_edges, view.dropped_observations
    if not dropped_nodes:
        return ""
    extra = f"、{dropped_obs} 条观测" if dropped_obs else ""
    return (f'<span id="omitted" data-nodes="{dropped_nodes}" data-edges="{dropped_edges}" '
            f'data-observations="{dropped_obs}" title="kg build --html-max-nodes {max_nodes}">'
            f"仅显示连接最多的 {shown} 个节点（共 {view.total_nodes} 个）；"
            f"省略 {dropped_nodes} 个节点、{dropped_edges} 条关系{extra}</span>")


def _class_legend(classes: set[str]) -> str:
    e = html.escape
    legend = "".join(
        f'<button type="button" class="chip lg" data-cls="{e(cls)}" aria-pressed="true" title="{e(cls)}：点击隐藏/显示">'
        f'<b style="color:{colour}">{glyph}</b>{e(CLASS_ZH.get(cls, cls))}</button>'
        for cls, (colour, _, glyph) in STYLE.items() if cls in classes)
    return legend + "".join(
        f'<button type="button" class="chip lg" data-cls="{e(cls)}" aria-pressed="true" title="{e(cls)}">●{e(cls)}</button>'
        for cls in sorted(classes - set(STYLE)))


def _relation_legend(predicates: set[str]) -> str:
    e = html.escape
    order = [*RELATIONS, MENTIONED_IN, *sorted(predicates - set(RELATIONS) - {MENTIONED_IN})]
    return "".join(
        f'<button type="button" class="chip rel" data-pred="{e(p)}" aria-pressed="true" title="{e(p)}：点击隐藏/显示">'
        f'<b style="color:{PREDICATE_COLOUR.get(p, "#999999")}">━</b>{e(PREDICATE_ZH.get(p, p))}</button>'
        for p in order if p in predicates)
