"""The one table of output formats: name → file, how it is written, what it is.

Three kinds, by what the writer reads:
- STREAM (ttl, nt): the sorted N-Triples stream of the shards; written together in one
  pass by `triples.write_streams(lines, part=..., **{name: file handle})`, in ranges of
  subjects by several processes when a build has several jobs.
- NETWORK (html, graphml, json): the merged networkx parts of a build (a NetworkIndex);
  `writer(index, path, max_nodes)`.
- RDFLIB (trig, jsonld): the whole rdflib Graph; `writer(graph) -> bytes`.

`check` refuses unknown names before any work starts, with one line naming them and the
known ones: `check(["ttl", "xml"])` → FormatError("unknown output format 'xml'; known: ttl, ...").
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterable

from kg.write import graph, triples
from kg.write.graphml import write_graphml_records
from kg.write.html import render_html
from kg.write.nodelink import write_json_records

STREAM, NETWORK, RDFLIB = "stream", "network", "rdflib"


@dataclass(frozen=True)
class Format:
    name: str
    file: str
    kind: str
    writer: Callable
    description: str


def _html(index, path, max_nodes: int | None) -> None:
    render_html(index.page_view(max_nodes), path, max_nodes=max_nodes)


def _graphml(index, path, max_nodes: int | None) -> None:
    write_graphml_records(path, index.keys(), index.nodes(), index.edges(), index.graph_attrs())


def _json(index, path, max_nodes: int | None) -> None:
    write_json_records(path, index.nodes(), index.edges(), index.graph_attrs())


REGISTRY: dict[str, Format] = {f.name: f for f in (
    Format("ttl", "graph.ttl", STREAM, triples.write_streams, "Turtle, subject by subject in IRI order"),
    Format("trig", "graph.trig", RDFLIB, graph.trig, "TriG: a named graph per article"),
    Format("nt", "graph.nt", STREAM, triples.write_streams, "N-Triples, sorted"),
    Format("jsonld", "graph.jsonld", RDFLIB, graph.jsonld, "JSON-LD with kg's prefixes as context"),
    Format("html", "graph.html", NETWORK, _html, "an offline interactive page (vis-network inlined)"),
    Format("graphml", "graph.graphml", NETWORK, _graphml, "GraphML for Gephi, Cytoscape and networkx"),
    Format("json", "graph.json", NETWORK, _json, "networkx node-link JSON (d3)"),
)}
NAMES = tuple(REGISTRY)  # every format, in the order help texts list them
RDF_NAMES = tuple(n for n, f in REGISTRY.items() if f.kind != NETWORK)  # what `kg build --format` chooses from


class FormatError(ValueError):
    """An output format nobody knows."""


def check(names: Iterable[str], known: Iterable[str] = NAMES) -> list[str]:
    """names as a list, or FormatError naming the unknown ones and those in `known`."""
    names, known = list(names), tuple(known)
    unknown = [n for n in names if n not in known]
    if unknown:
        plural = "s" if len(unknown) > 1 else ""
        raise FormatError(f"unknown output format{plural} {', '.join(map(repr, unknown))}; known: {', '.join(known)}")
    return names


def of_kind(names: Iterable[str], kind: str) -> tuple[str, ...]:
    """Those of names that are of a kind, in the registry's order."""
    wanted = set(names)
    return tuple(n for n, f in REGISTRY.items() if f.kind == kind and n in wanted)
