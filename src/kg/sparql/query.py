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

from kg.sparql.engines import ENGINES, LoadedGraph, load_graph, run_query
from kg.sparql.formats import (WRITERS, display_width, format_csv, format_json, format_ntriples, format_table,
                               format_tsv, format_xml)
from kg.sparql.graphfile import GraphError, is_graph_file, one_line
from kg.sparql.ready import (bind_params, describe, is_update, parse_params, plain_literals, query_params,
                             ready_queries, resolve_query)
from kg.sparql.results import QueryError, Result, Term
from kg.vocab import PREFIXES

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
    p.set_defaults(func=run)


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
    try:
        if graph is None:
            from kg.sparql.store import open_store

            graph = open_store(store_dir, read_only=True)  # a StoreError is a ValueError: reported below
        sparql = resolve_query(query)
        result = run_query(graph, bind_params(sparql, parse_params(getattr(args, "param", ()))), engine=args.engine, resolve=False)
        text = WRITERS[args.format](result)
        hint = zh_hint(graph, sparql, result, args.engine)
    except (GraphError, QueryError, OSError, ValueError, ImportError) as err:
        print(f"kg: error: {one_line(err)}", file=sys.stderr)
        return 2
    _write(text)
    if hint:
        print(f"kg: note: {hint}", file=sys.stderr)
    return 0


def _param_note(text: str) -> str:
    names = query_params(text)
    return f" [--param {', '.join(names)}]" if names else ""


def zh_hint(graph, sparql: str, result: Result, engine: str = "auto") -> str | None:
    """When a query found nothing and one of its plain literals is in the graph only tagged
    @zh ("长沙市" vs "长沙市"@zh: RDF holds them different), a line saying so; else None."""
    if len(result) or result.boolean:
        return None
    for literal in plain_literals(sparql)[:8]:
        tagged = run_query(graph, f"ASK {{ ?s ?p {literal}@zh }}", engine=engine, resolve=False).boolean
        if tagged and not run_query(graph, f"ASK {{ ?s ?p {literal} }}", engine=engine, resolve=False).boolean:
            return (f"no answer; {literal} is in the graph only as {literal}@zh (its names and text are tagged "
                    f"@zh): write {literal}@zh, or compare STR(?x) = {literal}")
    return None
