"""networkx node-link JSON, streamed from records (as kg.write.graphml takes them).

The file is what the networkx kg installs reads by default (networkx 3.6 and later name
the edge list "edges"): `nx.node_link_graph(json.load(open("output/graph.json")))`.
Node data is for programs: aliases and the articles mentioning a node are lists, its
observations a list of objects (GraphML holds them as text; kg.write.projection.json_node)."""

from __future__ import annotations

import json

import networkx as nx

from kg.write.projection import json_node


def _json_item(obj, level: int) -> str:
    """obj as json.dump(indent=1) writes it at nesting level `level`."""
    text = json.dumps(obj, ensure_ascii=False, indent=1, sort_keys=True)
    return text.replace("\n", "\n" + " " * level)


def write_json_records(path, nodes, edges, graph_attrs: dict) -> None:
    """networkx node-link JSON streamed from records (as write_graphml_records takes them):
    the bytes of json.dump(node_link_data(G), indent=1, sort_keys=True) for G with its
    nodes' data made json_node's."""
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        w = fh.write
        w('{\n "directed": true,\n "edges": ')
        _write_json_array(w, ({**attrs, "source": s, "target": o, "key": k} for s, o, k, attrs in edges))
        w(',\n "graph": ' + _json_item(graph_attrs, 1) + ',\n "multigraph": true,\n "nodes": ')
        _write_json_array(w, ({**json_node(attrs), "id": node} for node, attrs in nodes))
        w("\n}\n")


def _write_json_array(write, items) -> None:
    """A top-level list of node-link JSON, an item at a time."""
    n = 0
    for n, item in enumerate(items, 1):
        write(("[\n  " if n == 1 else ",\n  ") + _json_item(item, 2))
    write("\n ]" if n else "[]")


def write_json(nxgraph: nx.MultiDiGraph, path) -> None:
    """networkx node-link JSON ("nodes", "edges"): read back with nx.node_link_graph(data)."""
    write_json_records(path, nxgraph.nodes(data=True), nxgraph.edges(keys=True, data=True), nxgraph.graph)
