"""networkx node-link JSON, streamed from records (as kg.write.graphml takes them).

The file is what the networkx kg installs reads by default (networkx 3.6 and later name
the edge list "edges"): `nx.node_link_graph(json.load(open("output/graph.json")))`.
Node data is for programs: aliases and the articles mentioning a node are lists, its
observations a list of objects (GraphML holds them as text; kg.write.projection.json_node)."""

from __future__ import annotations

import json
import math
from json.encoder import encode_basestring

import networkx as nx

from kg.write.projection import json_node


def _json_item(obj, level: int) -> str:
    """obj as json.dump(indent=1, sort_keys=True, ensure_ascii=False) writes it at nesting
    level `level`. json indents in its pure-Python encoder, a generator per container; the
    node-link data is dicts, lists, strings and numbers, which this joins directly (the
    strings escaped by json's own C function), and anything else goes to json itself."""
    try:
        return _indented(obj, level)
    except _Unusual:
        text = json.dumps(obj, ensure_ascii=False, indent=1, sort_keys=True)
        return text.replace("\n", "\n" + " " * level)


class _Unusual(Exception):
    """A value _indented leaves to json (a non-string key, a float that is not finite, another type)."""


def _indented(obj, level: int) -> str:
    if isinstance(obj, str):
        return encode_basestring(obj)
    if obj is None or obj is True or obj is False:
        return "null" if obj is None else "true" if obj else "false"
    if type(obj) is int:
        return int.__repr__(obj)
    if type(obj) is float and math.isfinite(obj):
        return float.__repr__(obj)
    inner = "\n" + " " * (level + 1)
    if type(obj) is dict:
        if any(type(k) is not str for k in obj):
            raise _Unusual
        body = ("," + inner).join(encode_basestring(k) + ": " + (encode_basestring(v) if type(v) is str else _indented(v, level + 1))
                                  for k, v in sorted(obj.items()))
        return "{" + inner + body + "\n" + " " * level + "}" if obj else "{}"
    if type(obj) in (list, tuple):
        if not obj:
            return "[]"
        try:  # most lists are of strings (articles, aliases): escaped in one pass
            body = ("," + inner).join(map(encode_basestring, obj))
        except TypeError:
            body = ("," + inner).join(_indented(v, level + 1) for v in obj)
        return "[" + inner + body + "\n" + " " * level + "]"
    raise _Unusual


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
