"""The `kg` command: build, evaluate."""

from __future__ import annotations

import argparse
import sys

from kg import __version__


def _progress_printer(quiet: bool):
    if quiet or not sys.stderr.isatty():
        return None

    def show(n: int, total: int, name: str) -> None:
        width = 30
        filled = int(width * n / max(total, 1))
        sys.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {n}/{total} {name[:40]:<40}")
        if n == total:
            sys.stderr.write("\n")
        sys.stderr.flush()

    return show


def cmd_build(args) -> int:
    from kg.pipeline.core import build

    if args.partitions is not None and (args.partitions < 1 or not args.dask):
        print("kg: error: --partitions needs --dask and must be at least 1", file=sys.stderr)
        return 2
    runner = None
    try:
        if args.dask:
            from kg.pipeline.cluster import ClusterError, DaskRunner

            try:
                runner = DaskRunner(args.dask, partitions=args.partitions, workers=args.jobs if args.jobs > 1 else None)
            except ClusterError as err:
                print(f"kg: error: {err}", file=sys.stderr)
                return 2
            if not args.quiet:
                print(f"kg: building on Dask ({args.dask}, {runner.jobs} workers)", file=sys.stderr)
        result = build(args.inputs, year=args.year, min_confidence=args.min_confidence,
                       user_dicts=args.dict or (), progress=_progress_printer(args.quiet),
                       jobs=args.jobs, update=args.update, out=args.update or args.out, runner=runner)
    except (ValueError, OSError, RuntimeError) as err:  # a broken user dictionary, a stale --update cache
        print(f"kg: error: {err}", file=sys.stderr)
        return 2
    finally:
        if runner is not None:
            runner.close()
    for err in result.errors:
        print(f"kg: skipped {err}", file=sys.stderr)
    for note in result.notes:
        print(f"kg: note: {note}", file=sys.stderr)
    if not result.articles:
        print("kg: error: nothing could be built: no readable article in the input", file=sys.stderr)
        return 1
    rdf = [f.strip() for f in args.format.split(",") if f.strip()]
    unknown = [f for f in rdf if f not in ("ttl", "trig", "nt", "jsonld")]
    if unknown:
        print(f"kg: error: unknown --format {', '.join(unknown)}; choose from ttl, trig, nt, jsonld", file=sys.stderr)
        return 2
    if args.html_max_nodes < 1:
        print("kg: error: --html-max-nodes must be at least 1", file=sys.stderr)
        return 2
    written = result.write(args.update or args.out, formats=[*rdf, "html", "graphml", "json"],
                           html_max_nodes=args.html_max_nodes)
    if not args.quiet:
        print(result.summary())
        print("wrote: " + ", ".join(str(p) for p in written))
    return 0


def cmd_evaluate(args) -> int:
    from kg.check.evaluate import GoldError, evaluate_path
    from kg.sparql.graphfile import GraphError

    try:
        report = evaluate_path(args.graph, args.gold)
    except (GoldError, GraphError, OSError) as err:
        print(f"kg: error: {err}", file=sys.stderr)
        return 2
    if args.json:
        import json

        print(json.dumps(report.to_dict(), ensure_ascii=False, indent=1))
    else:
        print(report.format_table())
    return 0


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="kg", description="Knowledge graphs from Chinese economic news.")
    p.add_argument("--version", action="version", version=f"kg {__version__}")
    sub = p.add_subparsers(dest="command", required=True)

    b = sub.add_parser("build", help="build graph.ttl, graph.html, graph.graphml and graph.json from text files")
    b.add_argument("inputs", nargs="+", help="files, folders (searched for *.txt) or - for stdin")
    b.add_argument("--out", default="output", help="output folder (default: output/)")
    b.add_argument("--year", type=int, default=None, help="publication year, when the page does not show it")
    b.add_argument("--min-confidence", type=float, default=0.0, help="drop relations and observations below this")
    b.add_argument("--dict", action="append", metavar="FILE",
                   help="user dictionary: 'name<TAB>Class[<TAB>alias|alias]' a line (repeatable)")
    b.add_argument("-j", "--jobs", type=int, default=1, metavar="N",
                   help="processes for reading and recognition (default 1; 2 on a 2-core machine)")
    b.add_argument("--update", metavar="DIR", default=None,
                   help="add INPUTs to the graph already built in DIR, without re-reading the files it holds; "
                        "writes into DIR and gives the same graph as a full rebuild")
    b.add_argument("--dask", metavar="ADDRESS", default=None,
                   help="run the per-file and per-shard steps on a Dask cluster: a scheduler address "
                        "(tcp://host:8786) or 'local' for a LocalCluster of --jobs worker processes here; "
                        "the output is the same bytes as a plain build (see docs/scaling.md)")
    b.add_argument("--partitions", type=int, default=None, metavar="N",
                   help="with --dask: partitions of the input files (default: 4 per worker)")
    b.add_argument("--format", default="ttl", metavar="LIST",
                   help="RDF formats to write, comma-separated: ttl, trig (a named graph per article), nt, jsonld "
                        "(default: ttl); graph.html, graph.graphml and graph.json are always written")
    b.add_argument("--html-max-nodes", type=int, default=2000, metavar="N",
                   help="graph.html shows only the N most connected nodes (ties by IRI) and says on the page "
                        "what it left out, with at most 3N edges, the best supported (default: 2000; a browser cannot lay out much more)")
    b.add_argument("-q", "--quiet", action="store_true", help="no progress bar and no summary")
    b.set_defaults(func=cmd_build)

    e = sub.add_parser("evaluate", help="score a graph against gold annotations (see GOLD.md)")
    e.add_argument("graph", help="graph file (graph.ttl)")
    e.add_argument("--gold", required=True, help="folder of gold *.json files")
    e.add_argument("--json", action="store_true", help="print the scores as JSON")
    e.set_defaults(func=cmd_evaluate)
    from kg.check import ontology_doc, validate
    from kg.sparql import query, serve, store

    for module in (query, serve, validate, ontology_doc, store):
        module.register(sub)
    return p


def main(argv=None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.func(args)
    except KeyboardInterrupt:
        print("kg: interrupted; outputs already written are intact", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
