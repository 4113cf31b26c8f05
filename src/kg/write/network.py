"""Stage 8, export at scale: the networkx graph of a big build, without holding it.

A build of 10⁵ articles has about a million observation rows and edges; as a networkx
graph (and as the trees networkx builds to write GraphML and JSON) that is gigabytes.
Instead each shard of pages keeps its part of the graph (`NetworkParts`) in two sorted
record files; the driver merges them once (a k-way merge, like the N-Triples shards)
into one node-ordered rows file and one edge file (`NetworkIndex`), keeping in memory
only per-node counts. GraphML, node-link JSON and the HTML page's selection are then
written by streaming those files (kg.write.graphml, nodelink, html), and `to_networkx` builds the in-memory
graph only when a caller asks for it. The attributes are made by kg.write.projection, as its to_networkx makes them over
the RDF graph, so either way gives the same files.
"""

from __future__ import annotations

import heapq
import os
import pickle
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator

import networkx as nx

from kg.write.graphml import attribute_keys
from kg.write.page import PageView, page_attrs, pick_edges, top_nodes
from kg.write.projection import (Node, build_networkx, combine_edges, edge_attrs, local_name, node_attrs,
                                 observation_key, observation_row, plain_number, rows_json)
from kg.write.triples import GB2260, GB2260_LABEL, article_iri

CHUNK = 256  # records per pickled chunk: a merge of n files holds n chunks at a time


# --- sorted record files --------------------------------------------------------------------

def dump_records(records: Iterable, path: str | os.PathLike) -> None:
    """Records (already in order) as a file of pickled chunks, written atomically."""
    path = Path(path)
    tmp = path.with_name(f".{path.name}.tmp")
    with open(tmp, "wb") as fh:
        chunk = []
        for record in records:
            chunk.append(record)
            if len(chunk) == CHUNK:
                pickle.dump(chunk, fh, protocol=pickle.HIGHEST_PROTOCOL)
                chunk = []
        if chunk:
            pickle.dump(chunk, fh, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(tmp, path)


def load_records(path: str | os.PathLike) -> Iterator:
    """The records of a dump_records file, a chunk in memory at a time."""
    with open(path, "rb") as fh:
        while True:
            try:
                chunk = pickle.load(fh)
            except EOFError:
                return
            yield from chunk


def _first(record):
    return record[0]


# --- per shard ------------------------------------------------------------------------------

@dataclass
class PartFiles:
    """Where a shard's network parts went, and its articles' titles, dates and files."""

    rows: str
    edges: str
    sources: dict


class NetworkParts:
    """What the networkx graph needs of a shard's relations and observations: each
    entity's observation rows (as sort keys whose last item is the row's JSON), and per
    edge the best evidence and its source, the first source, the highest confidence and
    the number of statements. Saved a row and an edge per record, so that a merge of
    hundreds of files holds a few hundred of each per file."""

    def __init__(self):
        self.rows: dict[str, list[tuple]] = {}   # entity IRI -> [row sort key]
        self.edges: dict[tuple[str, str, str], list] = {}  # (s, o, rel) -> [best (evidence, source) | None, min source, max confidence, n]
        self.sources: dict[str, dict] = {}

    def add(self, articles, relations, observations, labels: dict[str, str]) -> None:
        """Add a page's finalised records; labels: entity IRI → label (for partners and products)."""
        for a in articles:
            entry = {"title": a.title or a.key}
            if a.date:
                entry["date"] = a.date
            entry["source_file"] = a.source
            self.sources[article_iri(a.key)] = entry
        for r in relations:
            source = GB2260 if r.source == "gb2260" else article_iri(r.source)
            key = (r.subject, r.object, r.predicate)
            agg = [(r.evidence, source) if r.evidence else None, source, plain_number(round(r.confidence, 2)), 1]
            have = self.edges.get(key)
            self.edges[key] = agg if have is None else combine_edges(have, agg)
        for ob in observations:
            targets = {name: labels.get(t) or local_name(t) for name, t in (("partner", ob.partner),
                                                                            ("product", ob.product)) if t}
            row = observation_row(indicator=ob.indicator, value=None if ob.value is None else plain_number(ob.value),
                                  unit=ob.unit or None,
                                  growth=None if ob.growth is None else plain_number(ob.growth),
                                  period=ob.period_label or None, period_start=ob.period_start or None,
                                  period_end=ob.period_end or None, qualifier=ob.qualifier or None, **targets)
            self.rows.setdefault(ob.entity, []).append(observation_key(row))

    def save(self, stem: str | os.PathLike) -> PartFiles:
        """The rows and edges as sorted record files beside stem (stem.rows, stem.edges)."""
        stem = str(stem)
        dump_records(sorted((entity, key) for entity, keys in self.rows.items() for key in keys), stem + ".rows")
        dump_records(sorted(self.edges.items()), stem + ".edges")
        return PartFiles(stem + ".rows", stem + ".edges", self.sources)


# --- merged ---------------------------------------------------------------------------------

class NetworkIndex:
    """The network parts of a whole build merged: `rows` holds (entity, rows JSON, count)
    and `edges` (subject, object, predicate, attributes), both in node order, on disk;
    in memory are the entities, the sources table, each node's degree and number of
    observations, and the edge attributes in the order networkx would meet them."""

    def __init__(self, entities, folder: str | os.PathLike, sources: dict, degree: Counter,
                 n_observations: dict, edge_keys: list[tuple[str, str, type]]):
        self.entities = sorted(entities, key=lambda e: e.iri)
        self.folder = Path(folder)
        self.sources = sources
        self.degree = degree
        self.n_observations = n_observations
        self.edge_keys = edge_keys  # as kg.write.graphml.attribute_keys gives them, met while merging

    @classmethod
    def merge(cls, parts: list[PartFiles], entities, folder: str | os.PathLike) -> "NetworkIndex":
        folder = Path(folder)
        known = {e.iri for e in entities}
        n_obs: dict[str, int] = {}

        def rows():
            group, entity = [], None
            for ent, key in heapq.merge(*(load_records(p.rows) for p in parts), key=_first):
                if ent != entity:
                    if group:
                        yield finished(entity, group)
                    group, entity = [], ent
                if ent in known:
                    group.append(key)
            if group:
                yield finished(entity, group)

        def finished(entity, keys):
            keys.sort()
            n_obs[entity] = len(keys)
            return entity, rows_json(keys), len(keys)

        degree: Counter = Counter()
        cited: set[str] = set()
        edge_keys: dict[tuple, None] = {}

        def edges():
            key, agg = None, None
            for k, a in heapq.merge(*(load_records(p.edges) for p in parts), key=_first):
                if k == key:
                    agg = combine_edges(agg, a)
                    continue
                if key is not None:
                    yield from emit(key, agg)
                key, agg = k, a
            if key is not None:
                yield from emit(key, agg)

        def emit(key, agg):
            s, o, rel = key
            if s not in known or o not in known:
                return
            attrs = edge_attrs(rel, agg)
            degree[s] += 1
            degree[o] += 1
            cited.add(attrs["article"])
            for name, value in attrs.items():
                edge_keys.setdefault(("edge", name, type(value)), None)
            yield s, o, rel, attrs

        folder.mkdir(parents=True, exist_ok=True)
        dump_records(rows(), folder / "rows")
        dump_records(edges(), folder / "edges")
        sources_in: dict[str, dict] = {}
        for p in parts:
            sources_in.update(p.sources)
        sources = {}
        for iri in sorted(cited | set(sources_in)):
            sources[iri] = sources_in.get(iri) or _source_stub(iri)
        return cls(entities, folder, sources, degree, n_obs, list(edge_keys))

    # --- reading it back

    def nodes(self, mentions: bool = True, only: set[str] | None = None) -> Iterator[tuple[str, dict]]:
        """(IRI, attributes) of every node (or of those in `only`), in IRI order."""
        rows = load_records(self.folder / "rows")
        pending = next(rows, None)
        for e in self.entities:
            while pending is not None and pending[0] < e.iri:
                pending = next(rows, None)
            obs = None
            if pending is not None and pending[0] == e.iri:
                obs = pending[1:]
            if only is None or e.iri in only:
                yield e.iri, node_attrs(Node.of_entity(e, mentions), obs)

    def edges(self) -> Iterator[tuple[str, str, str, dict]]:
        """(subject, object, predicate, attributes) of every edge, sorted."""
        return load_records(self.folder / "edges")

    def graph_attrs(self) -> dict:
        return {"sources": self.sources}

    def keys(self) -> list[tuple[str, str, type]]:
        """(scope, name, type) of every attribute, in the order networkx's GraphML writer
        would make them: the graph's, then the nodes' and the edges' as first met."""
        return attribute_keys(self.graph_attrs(), (a for _, a in self.nodes(mentions=False)), ()) + self.edge_keys

    def page_view(self, max_nodes: int | None):
        """What the HTML page shows (kg.write.page.PageView), as kg.write.page.page_view picks it from
        the whole graph: the most connected nodes and the best-supported edges between them."""
        keep = top_nodes((e.iri for e in self.entities), self.degree, max_nodes)
        kept = set(keep)
        nodes = {k: page_attrs(attrs, self.sources) for k, attrs in self.nodes(only=kept)}
        drawn, dropped = pick_edges(self.edges(), kept, max_nodes)
        dropped_obs = sum(n for iri, n in self.n_observations.items() if iri not in kept)
        return PageView(self.sources, nodes, {k: self.degree.get(k, 0) for k in keep}, drawn, len(self.entities),
                        dropped, dropped_obs)

    def to_networkx(self) -> nx.MultiDiGraph:
        """The whole graph in memory, as kg.write.projection.to_networkx gives it from the RDF."""
        return build_networkx(self.nodes(), self.edges(), self.graph_attrs())


def _source_stub(iri: str) -> dict:
    return {"title": GB2260_LABEL if iri == GB2260 else local_name(iri)}
