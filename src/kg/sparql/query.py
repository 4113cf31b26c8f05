"""`kg query`: SPARQL over a built graph, with Oxigraph (default) or rdflib, and ready queries.

    run_query("output/graph.ttl", "trade-partners")          # a ready query, by name
    run_query("output/graph.ttl", "my.rq", engine="rdflib")  # a file
    run_query(store, "SELECT ...")                           # a pyoxigraph.Store or rdflib Graph

The work is done in the modules beside this one: graphfile (reading graph files), engines
(loading and running), results (`Result`, `Term`), formats (table, CSV, TSV, JSON, XML) and
ready (the queries in queries/). Their public names are importable from here as well.
"""

from __future__ import annotations

import sys

from kg.sparql.engines import ENGINES, LoadedGraph, as_loaded, load_graph, run_query
from kg.sparql.formats import (STREAMS, WRITERS, display_width, format_csv, format_json, format_ntriples,
                               format_table, format_tsv, format_xml)
from kg.sparql.graphfile import GraphError, is_graph_file, one_line
from kg.sparql.ready import (bind_params, describe, is_update, parse_params, plain_literals, query_params,
                             ready_queries, resolve_query)
from kg.sparql.results import QueryError, Result, Term
from kg.sparql.worker import run_limited
from kg.vocab import PREFIXES

DEFAULT_TIMEOUT = 30.0  # seconds

__all__ = [
    "Result", "Term", "QueryError", "GraphError", "run_query", "load_graph", "LoadedGraph",
    "resolve_query", "ready_queries", "format_table", "format_csv", "format_tsv", "format_json",
    "format_xml", "format_ntriples", "display_width", "is_update", "PREFIXES", "register",
]


# ---------------------------------------------------------------- command line


def register(subparsers) -> None:
    """Add `kg query (GRAPH | --store DIR) (QUERY | FILE.rq | NAME) [--format ...]` and `kg query --list`."""
    p = subparsers.add_parser(
        "query", help="run a SPARQL query (text, a .rq file or a ready query's name) on a graph",
        description="Run SPARQL on a graph file, or with --store DIR on the on-disk store made by `kg load` "
                    "(queried in place). QUERY is the query text, a .rq file, or the name of a "
                    "ready query (`kg query --list`). The prefixes kg kgr rdf rdfs skos prov geo xsd owl "
                    "need no declaration.")
    p.add_argument("graph", nargs="?", help="graph file (graph.ttl; .nt, .trig, .nq and .jsonld are read too)")
    p.add_argument("query", nargs="?", help="SPARQL text, a FILE.rq, or a ready query's NAME")
    p.add_argument("--format", choices=tuple(WRITERS), default="table",
                   help="table (default), csv, tsv or json (SPARQL 1.1 results formats)")
    p.add_argument("--engine", choices=ENGINES, default="auto",
                   help="auto (Oxigraph when installed, else rdflib), oxigraph or rdflib")
    p.add_argument("--param", action="append", default=[], metavar="NAME=VALUE",
                   help="a ready query's parameter, e.g. --param place=长沙 (names whose text contains 长沙); "
                        "`kg query --list` shows which each takes")
    p.add_argument("--list", action="store_true", help="list the ready queries and the question each answers")
    p.add_argument("--store", metavar="DIR", default=None,
                   help="query the on-disk store made by `kg load` instead of a graph file: kg query --store DIR QUERY")
    p.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT, metavar="SECONDS",
                   help=f"stop the query after SECONDS (default {DEFAULT_TIMEOUT:g}; 0: no limit)")
    p.set_defaults(func=run)


def _stdout_bytes(data: bytes) -> None:
    out = getattr(sys.stdout, "buffer", None)
    if out is None:
        sys.stdout.write(data.decode("utf-8"))
    else:
        sys.stdout.flush()
        out.write(data)


def _run_streamed(graph, query: str, args) -> None:
    """Run QUERY in a worker process under --timeout, writing the answer to stdout as it comes
    (csv, tsv and json are written a row at a time, so a 588k-row answer is never held whole).
    GRAPH is a file (loaded here, shared with the worker) or None for --store (which the worker
    opens itself: a database handle does not survive the fork)."""
    from kg.sparql.store import open_store

    if graph is None:
        open_store(args.store, read_only=True)  # a StoreError here, in one line, before any work

        def loaded():
            return LoadedGraph("oxigraph", open_store(args.store, read_only=True), args.store)
    else:
        graph = as_loaded(graph, args.engine)

        def loaded():
            return graph
    sparql = resolve_query(query)
    text = bind_params(sparql, parse_params(getattr(args, "param", ()) or ()))
    stream = STREAMS.get(args.format)

    def choose(result, _args):
        return (stream(result) if stream else iter([WRITERS[args.format](result)])), {}

    try:
        run_limited(loaded, text, choose, _stdout_bytes, timeout=args.timeout or None)
    finally:
        sys.stdout.flush()
    return zh_hint(graph, sparql, args.engine) if graph is not None else None


def _write(text: str) -> None:
    try:
        sys.stdout.write(text)
    except UnicodeEncodeError:  # a terminal that cannot show Chinese: write UTF-8 bytes
        sys.stdout.flush()
        sys.stdout.buffer.write(text.encode("utf-8"))
    sys.stdout.flush()


def run(args) -> int:
    """0 on success; 2, with one line on stderr, when the graph or the query cannot be used."""
    if args.list:
        queries = ready_queries()
        width = max((len(n) for n in queries), default=0)
        _write("".join(f"{n:<{width}}  {describe(t)}{_param_note(t)}\n" for n, t in queries.items()))
        return 0
    graph, query = args.graph, args.query
    store_dir = getattr(args, "store", None)
    if store_dir:
        # with --store the one positional argument is the query; a graph file there as well is a mistake
        if query is not None or is_graph_file(graph):
            print("kg: error: give a GRAPH file or --store DIR, not both", file=sys.stderr)
            return 2
        if args.engine == "rdflib":
            print("kg: error: --store is queried by Oxigraph in place; --engine rdflib needs a GRAPH file",
                  file=sys.stderr)
            return 2
        graph, query = None, graph
    if not (graph or store_dir) or not query:
        print("kg: error: kg query needs GRAPH and QUERY (or --store DIR and QUERY, or --list)", file=sys.stderr)
        return 2
    if not args.timeout >= 0:
        print(f"kg: error: --timeout {args.timeout}: give seconds, 0 or more (0: no limit)", file=sys.stderr)
        return 2
    try:
        hint = _run_streamed(graph, query, args)
    except (GraphError, QueryError, OSError, ValueError, ImportError) as err:
        print(f"kg: error: {one_line(err)}", file=sys.stderr)
        return 2
    if hint:
        print(f"kg: note: {hint}", file=sys.stderr)
    return 0


def _param_note(text: str) -> str:
    names = query_params(text)
    return f" [--param {', '.join(names)}]" if names else ""


def zh_hint(graph, sparql: str, engine: str = "auto") -> str | None:
    """When one of a query's plain literals is in the graph only tagged @zh ("长沙市" vs
    "长沙市"@zh: RDF holds them different, so the plain one matches nothing), a line saying so."""
    for literal in plain_literals(sparql)[:8]:
        tagged = run_query(graph, f"ASK {{ ?s ?p {literal}@zh }}", engine=engine, resolve=False).boolean
        if tagged and not run_query(graph, f"ASK {{ ?s ?p {literal} }}", engine=engine, resolve=False).boolean:
            return (f"{literal} is in the graph only as {literal}@zh (its names and text are tagged "
                    f"@zh), so the plain {literal} matches nothing: write {literal}@zh, or compare STR(?x) = {literal}")
    return None
