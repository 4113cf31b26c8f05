"""The two query engines, Oxigraph (default) and rdflib, behind one `run_query`.

    run_query("output/graph.ttl", "trade-partners")          # a ready query, by name
    run_query("output/graph.ttl", "my.rq", engine="rdflib")  # a file
    run_query(store, "SELECT ...")                           # a pyoxigraph.Store or rdflib Graph

The standard prefixes of kg.vocab (kg kgr rdf rdfs skos prov geo xsd owl) are known to
every query, so short ad-hoc queries need no PREFIX lines; the ready queries declare theirs anyway.
"""

from __future__ import annotations

import os
import re
import threading
from dataclasses import dataclass, field
from pathlib import Path

from kg.sparql.graphfile import GraphError, read_oxigraph, read_rdflib
from kg.sparql.guard import refuse_remote, refuse_remote_algebra
from kg.sparql.ready import refuse_non_query, resolve_query
from kg.sparql.results import QueryError, Result, Term, literal_term
from kg.vocab import PREFIXES

__all__ = ["ENGINES", "LoadedGraph", "have_oxigraph", "load_graph", "run_query", "iter_query", "as_loaded"]

ENGINES = ("auto", "oxigraph", "rdflib")


def have_oxigraph() -> bool:
    """Whether pyoxigraph can be imported (else "auto" means rdflib)."""
    try:
        import pyoxigraph  # noqa: F401
    except ImportError:
        return False
    return True


def _pick_engine(engine: str) -> str:
    engine = {"pyoxigraph": "oxigraph", "oxi": "oxigraph"}.get(engine, engine)
    if engine not in ENGINES:
        raise ValueError(f"unknown engine {engine!r}; choose from auto, oxigraph, rdflib")
    if engine == "auto":
        return "oxigraph" if have_oxigraph() else "rdflib"
    if engine == "oxigraph" and not have_oxigraph():
        raise ValueError("the oxigraph engine needs pyoxigraph (pip install pyoxigraph)")
    return engine


@dataclass
class LoadedGraph:
    """A graph file loaded for one engine: `backend` is a pyoxigraph.Store or an rdflib Graph/Dataset."""

    engine: str
    backend: object
    path: str | None = None
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def __len__(self) -> int:
        return len(self.backend)


_CACHE: dict = {}
_CACHE_LOCK = threading.Lock()
_CACHE_SIZE = 4


def load_graph(path, engine: str = "auto", cache: bool = True) -> LoadedGraph:
    """Load a graph file (format from its extension, else Turtle) for one engine.

    Raises GraphError (one line) when the file is missing or cannot be parsed. Loads are
    cached by path, size and modification time, so repeated queries parse the file once."""
    engine = _pick_engine(engine)
    p = Path(path)
    if not p.is_file():
        raise GraphError(p, "no such graph file")
    st = p.stat()
    key = (str(p.resolve()), st.st_size, st.st_mtime_ns, engine)
    if cache:
        with _CACHE_LOCK:
            got = _CACHE.get(key)
        if got is not None:
            return got
    backend = read_oxigraph(p) if engine == "oxigraph" else read_rdflib(p)
    loaded = LoadedGraph(engine, backend, str(p))
    if cache:
        with _CACHE_LOCK:
            while len(_CACHE) >= _CACHE_SIZE:
                _CACHE.pop(next(iter(_CACHE)))
            _CACHE[key] = loaded
    return loaded


def as_loaded(graph, engine: str) -> LoadedGraph:
    """A LoadedGraph for the engine asked, from a path, a Store, an rdflib graph or a LoadedGraph."""
    if isinstance(graph, (str, os.PathLike)):
        return load_graph(graph, engine)
    if isinstance(graph, LoadedGraph):
        if engine == "auto" or _pick_engine(engine) == graph.engine:
            return graph
        return _convert(graph.backend, graph.engine, _pick_engine(engine))
    have = "rdflib" if _is_rdflib(graph) else "oxigraph" if _is_store(graph) else None
    if have is None:
        raise TypeError(f"not a graph: {type(graph).__name__}; give a path, a pyoxigraph.Store or an rdflib Graph")
    want = have if engine == "auto" else _pick_engine(engine)
    if want == have:
        return LoadedGraph(have, graph)
    return _convert(graph, have, want)


def _is_rdflib(x) -> bool:
    from rdflib import Graph

    return isinstance(x, Graph)


def _is_store(x) -> bool:
    try:
        import pyoxigraph as ox
    except ImportError:
        return False
    return isinstance(x, ox.Store)


def _convert(backend, have: str, want: str) -> LoadedGraph:
    if want == "oxigraph":
        import pyoxigraph as ox

        store = ox.Store()
        fmt = "nquads" if hasattr(backend, "quads") and hasattr(backend, "contexts") else "nt"
        store.load(backend.serialize(format=fmt, encoding="utf-8"),
                   format=ox.RdfFormat.N_QUADS if fmt == "nquads" else ox.RdfFormat.N_TRIPLES)
        return LoadedGraph("oxigraph", store)
    import pyoxigraph as ox
    from rdflib import Dataset

    ds = Dataset(default_union=True)
    ds.parse(data=backend.dump(format=ox.RdfFormat.N_QUADS), format="nquads")
    return LoadedGraph("rdflib", ds)


# ---------------------------------------------------------------- running


def run_query(graph_path_or_store, query_text: str, engine: str = "auto", *, resolve: bool = True) -> Result:
    """Run a SPARQL query (text, .rq path or ready-query name) on a graph.

    The graph is a file path (loaded, and cached, for the engine), a pyoxigraph.Store, an
    rdflib Graph/Dataset, or a LoadedGraph. Raises GraphError for an unreadable graph and
    QueryError (a ValueError, one-line message) for a query that cannot be parsed or run, or
    that would open a connection (SERVICE, LOAD, FROM: see kg.sparql.guard).
    With resolve=False the text is taken as SPARQL as it is (no file or name look-up)."""
    loaded = as_loaded(graph_path_or_store, engine)
    if loaded.engine == "oxigraph":
        result = iter_query(loaded, query_text, resolve=resolve)
        result.bindings = list(result.bindings)
        return result
    with loaded.lock:  # rdflib graphs are not safe for concurrent queries
        result = iter_query(loaded, query_text, resolve=resolve)
        result.bindings = list(result.bindings)
        return result


def iter_query(loaded: LoadedGraph, query_text: str, *, resolve: bool = True) -> Result:
    """Like run_query on a LoadedGraph, but the Result's `bindings` is an iterator read once:
    rows are made as they are written, so a big answer is never held whole. Errors met while
    reading the rows are QueryErrors too."""
    text = resolve_query(query_text) if resolve else refuse_non_query(query_text)
    refuse_remote(text)
    if loaded.engine == "oxigraph":
        return _run_oxigraph(loaded.backend, text)
    return _run_rdflib(loaded.backend, text)


def _ox_failure(err: Exception) -> QueryError:
    if isinstance(err, SyntaxError):
        return QueryError(f"bad SPARQL: {_ox_message(str(err))}")
    return QueryError(f"the query failed: {err}")


def _ox_rows(answer, make):
    try:
        for item in answer:
            yield make(item)
    except (SyntaxError, OSError, ValueError, RuntimeError) as err:
        raise _ox_failure(err) from None


def _run_oxigraph(store, text: str) -> Result:
    import pyoxigraph as ox

    try:
        try:
            answer = store.query(text, prefixes=PREFIXES, use_default_graph_as_union=True)
        except TypeError:  # an older pyoxigraph without `prefixes`
            prologue = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())
            answer = store.query(prologue + text, use_default_graph_as_union=True)
        if isinstance(answer, ox.QueryBoolean):
            return Result([], boolean=bool(answer), engine="oxigraph")
    except (SyntaxError, OSError, ValueError, RuntimeError) as err:
        raise _ox_failure(err) from None
    if isinstance(answer, ox.QuerySolutions):
        width = len(answer.variables)
        rows = _ox_rows(answer, lambda sol: tuple(_ox_term(sol[i]) for i in range(width)))
        return Result([v.value for v in answer.variables], rows, engine="oxigraph")
    rows = _ox_rows(answer, lambda t: (_ox_term(t.subject), _ox_term(t.predicate), _ox_term(t.object)))
    return Result(["subject", "predicate", "object"], rows, graph=True, engine="oxigraph")


def _ox_message(msg: str) -> str:
    """Oxigraph's parse errors list every acceptable character class; keep the gist."""
    msg = " ".join(msg.split())
    m = re.match(r"(error at \d+:\d+): (.*)", msg)
    if not m:
        return msg
    where, rest = m.groups()
    if "Prefix not found" in rest:
        return f"{where}: undeclared prefix"
    if rest.startswith("expected one of"):
        body = re.sub(r"\[[^\]]*\]", "", rest[len("expected one of"):])
        tokens = [t.strip() for t in body.split(", ") if t.strip(" ,|")]
        if len(tokens) == 1 and not tokens[0].startswith('"'):
            return f"{where}: {tokens[0]}"
        shown = ", ".join(tokens[:8])
        return f"{where}: expected one of {shown}{', …' if len(tokens) > 8 else ''}" if tokens else f"{where}: syntax error"
    return msg


def _ox_term(t) -> Term | None:
    import pyoxigraph as ox

    if t is None:
        return None
    if isinstance(t, ox.NamedNode):
        return Term("uri", t.value)
    if isinstance(t, ox.BlankNode):
        return Term("bnode", t.value)
    if isinstance(t, ox.Literal):
        return literal_term(t.value, t.datatype.value, t.language)
    return Term("triple", str(t))


def _rdflib_failure(err: Exception) -> QueryError:
    if isinstance(err, QueryError):
        return err
    bad = err.__class__.__name__ == "ParseException" or "namespace prefix" in str(err)
    return QueryError(f"{'bad SPARQL' if bad else 'the query failed'}: {err}")


def _rdflib_rows(answer):
    """The rows of an rdflib SELECT as they are found (its `bindings` would list them all first)."""
    names = list(answer.vars)
    found = getattr(answer, "_genbindings", None)
    try:
        if found is None:  # an rdflib without the generator: its rows, listed
            yield from (tuple(_rdflib_term(row[i]) for i in range(len(names))) for row in answer)
            return
        for binding in found:
            yield tuple(_rdflib_term(binding.get(v)) for v in names)
    except MemoryError:
        raise
    except Exception as err:  # evaluation errors have no common base
        raise _rdflib_failure(err) from None


def _run_rdflib(graph, text: str) -> Result:
    import rdflib.plugins.sparql as rdflib_sparql
    from rdflib.plugins.sparql import prepareQuery

    rdflib_sparql.SPARQL_LOAD_GRAPHS = False  # never fetch what FROM names, whatever got past the guard
    try:
        prepared = prepareQuery(text, initNs=PREFIXES)
        refuse_remote_algebra(prepared)
        answer = graph.query(prepared)
        if answer.type == "ASK":
            return Result([], boolean=bool(answer.askAnswer), engine="rdflib")
        if answer.type in ("CONSTRUCT", "DESCRIBE"):
            rows = [tuple(_rdflib_term(x) for x in t) for t in answer.graph]
            rows.sort(key=lambda r: tuple((x.kind, x.value, x.datatype or "", x.lang or "") for x in r))
            return Result(["subject", "predicate", "object"], rows, graph=True, engine="rdflib")
    except MemoryError:
        raise
    except Exception as err:  # pyparsing, rdflib's own and evaluation errors have no common base
        raise _rdflib_failure(err) from None
    return Result([str(v) for v in answer.vars], _rdflib_rows(answer), engine="rdflib")


def _rdflib_term(t) -> Term | None:
    from rdflib import BNode, Literal, URIRef

    if t is None:
        return None
    if isinstance(t, URIRef):
        return Term("uri", str(t))
    if isinstance(t, BNode):
        return Term("bnode", str(t))
    if isinstance(t, Literal):
        return literal_term(str(t), None if t.datatype is None else str(t.datatype), t.language)
    return Term("triple", str(t))

