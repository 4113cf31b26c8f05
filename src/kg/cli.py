"""The `kg` command: one subcommand per command module, each adding itself with
`register(subparsers)` and running through the `func` it sets."""

from __future__ import annotations

import argparse
import os
import sys

from kg import __version__
from kg.check import evaluate_command, ontology_doc, validate
from kg.pipeline import command as build_command
from kg.sparql import query, serve, store

COMMANDS = (build_command, evaluate_command, query, serve, validate, ontology_doc, store)  # in `kg --help` order


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="kg", description="Knowledge graphs from Chinese economic news.")
    p.add_argument("--version", action="version", version=f"kg {__version__}")
    sub = p.add_subparsers(dest="command", required=True)
    for module in COMMANDS:
        module.register(sub)
    return p


def main(argv=None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.func(args)
    except KeyboardInterrupt:
        print("kg: interrupted; outputs already written are intact", file=sys.stderr)
        return 130
    except BrokenPipeError:  # `kg evaluate ... | head`: the reader left; nothing more to say
        sys.stderr.close()
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141


if __name__ == "__main__":
    sys.exit(main())
