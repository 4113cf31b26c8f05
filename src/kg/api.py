"""`kg.load(OUT)`: a build reopened in Python, to query and analyse it (as kglab's
KnowledgeGraph does for its graphs).

    >>> import kg
    >>> g = kg.load("output")                                    # doctest: +SKIP
    >>> g.query("SELECT ?name WHERE { ?c a kg:City ; rdfs:label ?name }")   # rows, as dicts
    >>> g.query("partners-by-growth", place="长沙")               # a ready query, with parameters
    >>> g.to_dataframe("trade-partners")                          # pandas: pip install 'kg[pandas]'
    >>> g.to_networkx()                                           # graph.json as a MultiDiGraph

Queries run as `kg query` runs them (Oxigraph when installed, the ontology loaded beside the
data, kg's prefixes known); the graph file is parsed once, on load.
"""

from __future__ import annotations

import json
import os
from decimal import Decimal
from pathlib import Path

from kg.sparql.engines import load_graph, run_query
from kg.sparql.graphfile import GraphError, read_graph
from kg.sparql.ready import bind_params, resolve_query
from kg.sparql.results import Result

__all__ = ["KnowledgeGraph", "load"]

GRAPH_FILES = ("graph.ttl", "graph.nt")


class KnowledgeGraph:
    """A built graph: its output folder (or graph file) loaded for SPARQL."""

    def __init__(self, out: str | os.PathLike, engine: str = "auto"):
        path = Path(out)
        if path.is_dir():
            found = [path / name for name in GRAPH_FILES if (path / name).is_file()]
            if not found:
                raise GraphError(path, "no graph.ttl or graph.nt here; make one with `kg build INPUT --out "
                                       f"{path}`")
            path = found[0]
        self.path = path
        self.folder = path.parent
        self.loaded = load_graph(path, engine)

    def __repr__(self) -> str:
        return f"<kg.KnowledgeGraph {self.path} ({len(self.loaded):,} triples, {self.loaded.engine})>"

    def __len__(self) -> int:
        return len(self.loaded)

    def result(self, sparql: str, **params: str) -> Result:
        """The kg.sparql Result of SPARQL text, a .rq file or a ready query's name, with its
        parameters (place="长沙"); QueryError (one line) when it cannot be run."""
        return run_query(self.loaded, bind_params(resolve_query(sparql), params), resolve=False)

    def query(self, sparql: str, **params: str) -> list[dict]:
        """The rows of a SELECT as dicts of plain Python values (str, int, Decimal, float,
        bool; None when unbound), in the query's order; for ASK, [{"boolean": answer}]."""
        result = self.result(sparql, **params)
        if result.boolean is not None:
            return [{"boolean": result.boolean}]
        return result.dicts()

    def to_dataframe(self, sparql: str, **params: str):
        """The rows as a pandas DataFrame, a column per variable (decimals as floats).
        pandas is an optional extra: pip install 'kg[pandas]'."""
        try:
            import pandas as pd
        except ImportError:
            raise ImportError("to_dataframe needs pandas: pip install 'kg[pandas]' (or pip install pandas)") from None
        result = self.result(sparql, **params)
        rows = [[float(v) if isinstance(v, Decimal) else v for v in row] for row in result.rows]
        return pd.DataFrame(rows, columns=result.variables)

    def to_networkx(self):
        """The graph as a networkx MultiDiGraph: graph.json beside the graph file, read as
        networkx reads it, else the same made from the graph file."""
        import networkx as nx

        from kg.write.projection import json_node, to_networkx

        json_file = self.folder / "graph.json"
        if json_file.is_file():
            with open(json_file, encoding="utf-8") as fh:
                return nx.node_link_graph(json.load(fh))
        g = to_networkx(read_graph(self.path))
        for node, attrs in g.nodes(data=True):
            g.nodes[node].update(json_node(attrs))
        return g


def load(out: str | os.PathLike = "output", engine: str = "auto") -> KnowledgeGraph:
    """Reopen a build: OUT is its output folder (graph.ttl or graph.nt) or a graph file.
    Raises GraphError, with one line naming the file, when there is no graph to read."""
    return KnowledgeGraph(out, engine)
