"""GraphML for Gephi, Cytoscape and networkx, streamed from records.

The bytes are those of networkx's write_graphml (prettyprint) for the same graph, without
its tree of the whole document in memory."""

from __future__ import annotations

import json

import networkx as nx

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

