"""What the HTML page shows of a graph (`PageView`): the most connected nodes, the
best-supported edges between them, and how much was left out.

Made from a networkx graph here (`page_view`) or from the merged files of a build
(kg.write.network.NetworkIndex.page_view); kg.write.html draws it."""

from __future__ import annotations

import heapq
import json
from dataclasses import dataclass

import networkx as nx

TOOLTIP_ROWS = 25  # observations shown in a node's tooltip; the rest are counted
EDGES_PER_NODE = 3  # a page capped at N nodes draws at most 3N edges
OBSERVATION_NODES = 50  # observation nodes the page can show around one entity (a city of a big corpus has thousands)
TOOLTIP_ARTICLES = 8  # articles listed in a node's tooltip; the rest are counted


def earliest(articles: list[str], sources: dict) -> list[str]:
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
        a["mentioned_in"] = " ".join(earliest(articles, sources))
    if a.get("observations"):
        rows = json.loads(a["observations"])
        a["n_observations"] = len(rows)
        a["observations"] = json.dumps(rows[:max(TOOLTIP_ROWS, OBSERVATION_NODES)], ensure_ascii=False, sort_keys=True)
    return a



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
    keep = top_nodes(nxgraph.nodes, degree, max_nodes)
    kept = set(keep)
    candidates = sorted(nxgraph.edges(keys=True, data=True), key=lambda x: (x[0], x[1], str(x[2])))
    drawn, dropped = pick_edges(candidates, kept, max_nodes)
    dropped_obs = sum(nxgraph.nodes[n].get("n_observations", 0) for n in nxgraph.nodes if n not in kept)
    return PageView(sources, {k: page_attrs(nxgraph.nodes[k], sources) for k in keep}, {k: degree.get(k, 0) for k in keep}, drawn,
                    nxgraph.number_of_nodes(), dropped, dropped_obs)
