"""`kg evaluate GRAPH --gold DIR [--json]`: scores against gold annotations on the command line."""

from __future__ import annotations

import sys


def register(subparsers) -> None:
    """Add `kg evaluate GRAPH --gold DIR [--json]` to the kg command."""
    e = subparsers.add_parser("evaluate", help="score a graph against gold annotations (see GOLD.md)")
    e.add_argument("graph", help="graph file (graph.ttl)")
    e.add_argument("--gold", required=True, help="folder of gold *.json files")
    e.add_argument("--json", action="store_true", help="print the scores as JSON")
    e.set_defaults(func=run)


def run(args) -> int:
    """0 with the scores printed; 2, with one line on stderr, when the graph or gold cannot be read."""
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
