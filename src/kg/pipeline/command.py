"""`kg build`: the build on the command line (options, progress bar, messages, exit codes)."""

from __future__ import annotations

import os
import sys

from kg.pipeline.workspace import locked
from kg.write import formats


def register(subparsers) -> None:
    """Add `kg build INPUT... [--out DIR] [...]` to the kg command."""
    b = subparsers.add_parser("build", help="build graph.ttl, graph.html, graph.graphml and graph.json from text files")
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
    b.set_defaults(func=run)


def progress_printer(quiet: bool):
    """A progress bar on stderr, when it is a terminal and the user did not ask for quiet."""
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


def rdf_formats(args) -> list[str]:
    return [f.strip() for f in args.format.split(",") if f.strip()]


YEARS = (1900, 2100)  # publication years kg takes (--year): a newspaper page of modern China


def option_problem(args) -> str | None:
    """What is wrong with the options, in one line, or None: every option is checked before
    the output folder is touched, so a refused build leaves the last one as it was."""
    if args.partitions is not None and (args.partitions < 1 or not args.dask):
        return "--partitions needs --dask and must be at least 1"
    unknown = [f for f in rdf_formats(args) if f not in formats.RDF_NAMES]
    if unknown:
        return f"unknown --format {', '.join(unknown)}; choose from {', '.join(formats.RDF_NAMES)}"
    if args.html_max_nodes < 1:
        return "--html-max-nodes must be at least 1"
    if args.year is not None and not YEARS[0] <= args.year <= YEARS[1]:
        return f"--year must be a year from {YEARS[0]} to {YEARS[1]}, not {args.year}"
    if not 0.0 <= args.min_confidence <= 1.0:  # also refuses nan, which compares false
        return f"--min-confidence must be a number from 0 to 1, not {args.min_confidence}"
    if args.jobs < 1:
        return f"--jobs must be at least 1, not {args.jobs}"
    return inputs_problem(args)


def inputs_problem(args) -> str | None:
    """A named input that is not there, a user dictionary kg cannot use, an --update folder
    without a build: said before anything is read or written."""
    from kg.extract.gazetteer import read_user_dict

    missing = [p for p in args.inputs if p != "-" and not os.path.lexists(p)]
    if missing:
        return f"no such file or folder: {', '.join(missing)} (nothing was built or changed)"
    for path in args.dict or ():
        try:
            read_user_dict(path)
        except ValueError as err:
            return str(err)
    if args.update and not os.path.isdir(args.update):
        return f"{args.update}: no earlier build here to update (no such folder); run a full build"
    return None


def run(args) -> int:
    """0 when the files are written; 1 when no article could be read; 2, with one line on
    stderr, for a bad option, a broken user dictionary, a stale --update cache, no Dask, a
    folder another build is writing into, or a full disk. Every option is checked before any
    work starts (kg.write.formats is the one table of formats); a build that fails or finds
    nothing leaves the last one in the output folder as it was."""
    problem = option_problem(args)
    if problem:
        print(f"kg: error: {problem}", file=sys.stderr)
        return 2
    out = args.update or args.out
    try:
        with locked(out):
            result = build_from_args(args)
            return report(args, result, out)
    except (ValueError, OSError, RuntimeError) as err:  # a broken --update cache, a full disk, a lock
        print(f"kg: error: {err}", file=sys.stderr)
        return 2


def report(args, result, out) -> int:
    """Say what was skipped, write the files, and print the summary."""
    for err in result.errors:
        print(f"kg: skipped {err}", file=sys.stderr)
    for note in result.notes:
        print(f"kg: note: {note}", file=sys.stderr)
    if not result.articles:
        print("kg: error: nothing could be built: no readable article in the input", file=sys.stderr)
        return 1
    written = result.write(out, formats=[*rdf_formats(args), "html", "graphml", "json"],
                           html_max_nodes=args.html_max_nodes)
    if not args.quiet:
        print(result.summary())
        print("wrote: " + ", ".join(str(p) for p in written))
    return 0


def build_from_args(args):
    """The build the options ask for, on Dask with --dask (whose runner is closed after)."""
    from kg.pipeline.core import build

    runner = None
    try:
        if args.dask:
            runner = dask_runner(args)
        return build(args.inputs, year=args.year, min_confidence=args.min_confidence,
                     user_dicts=args.dict or (), progress=progress_printer(args.quiet),
                     jobs=args.jobs, update=args.update, out=args.update or args.out, runner=runner)
    finally:
        if runner is not None:
            runner.close()


def dask_runner(args):
    """A DaskRunner for --dask (ClusterError, a RuntimeError, when there is none to be had)."""
    from kg.pipeline.cluster import DaskRunner

    runner = DaskRunner(args.dask, partitions=args.partitions, workers=args.jobs if args.jobs > 1 else None)
    if not args.quiet:
        print(f"kg: building on Dask ({args.dask}, {runner.jobs} workers)", file=sys.stderr)
    return runner
