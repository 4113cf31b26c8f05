"""Checking a graph against the SHACL shapes of the ontology contract (ontology/shapes.ttl).

    report = validate_path("output/graph.ttl")
    print(report.format())

pyshacl is imported only when a graph is validated, so building a graph never pays for it.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import NamespaceManager

from kg.assets import shipped
from kg.sparql.graphfile import GraphError, read_graph
from kg.vocab import PREFIXES, RDF, compact

SH = "http://www.w3.org/ns/shacl#"
# a bare namespace IRI is printed in full, not as an empty `kgr:`
_NAMESPACES = frozenset(PREFIXES.values())
_SEVERITY_ORDER = {"Violation": 0, "Warning": 1, "Info": 2}


def shapes_text() -> str:
    """The shapes shipped in the package (a byte-identical copy of ontology/shapes.ttl)."""
    return shipped("ontology").joinpath("shapes.ttl").read_text(encoding="utf-8")


def shapes_graph() -> Graph:
    return Graph().parse(data=shapes_text(), format="turtle")


def shorten(text: str) -> str:
    """An IRI with a known prefix as prefix:local (kgr:observation/abc…); anything else unchanged."""
    return text if text in _NAMESPACES else compact(text)


@dataclass
class Report:
    """The outcome of a validation: whether the graph conforms, and each violation found.

    Each violation is a dict with the keys focus (the node it is about), path (the property,
    or None), value (the offending value, or None), message (plain words) and severity
    (Violation, Warning or Info). IRIs are given in full; literals in Turtle form."""

    conforms: bool
    violations: list = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.violations)

    def lines(self) -> list[str]:
        out = []
        for v in self.violations:
            line = f"{shorten(v['focus'])}: {v['message']}"
            if v.get("value") is not None and v["value"] != v["focus"]:
                line += f" (found: {shorten(v['value'])})"
            if v.get("severity", "Violation") != "Violation":
                line = f"[{v['severity'].lower()}] {line}"
            out.append(line)
        return out

    def format(self, limit: int | None = None) -> str:
        """'conforms', or one line a violation (at most `limit`) and the total count."""
        if self.conforms and not self.violations:
            return "conforms"
        lines = self.lines()
        shown = lines if limit is None else lines[:max(limit, 0)]
        total = len(lines)
        noun = "problem" if total == 1 else "problems"
        tail = f"{total} {noun}" + (f" (showing {len(shown)})" if len(shown) < total else "")
        if self.conforms:  # only warnings or infos
            tail += "; the graph conforms"
        return "\n".join([*shown, tail])


def validate_graph(data_graph: Graph) -> Report:
    """Validate a graph against the contract's shapes (no inference; the graph is not changed)."""
    try:
        from pyshacl import validate
    except ImportError:  # an optional dependency: pip install pyshacl
        raise ImportError("validation needs pyshacl: pip install pyshacl") from None

    conforms, results, _ = validate(data_graph, shacl_graph=shapes_graph(), inference="none",
                                    advanced=True, abort_on_first=False, allow_warnings=True,
                                    meta_shacl=False)
    if not isinstance(results, Graph):  # pyshacl reports a broken shapes file this way
        raise RuntimeError(f"the SHACL shapes could not be run: {results}")
    return Report(conforms=bool(conforms), violations=_violations(results))


def validate_path(path) -> Report:
    """Parse a graph file (format from its extension, else Turtle) and validate it.

    Raises GraphError, with a one-line message, when the file is missing or cannot be parsed."""
    return validate_graph(read_graph(path))


def _violations(results: Graph) -> list[dict]:
    sh = lambda name: URIRef(SH + name)  # noqa: E731
    nm = NamespaceManager(Graph(), bind_namespaces="none")
    for prefix, ns in PREFIXES.items():
        nm.bind(prefix, ns, override=True, replace=True)

    def text(term):
        if term is None:
            return None
        if isinstance(term, Literal):
            return term.n3(nm)
        if isinstance(term, BNode):
            return "[]"  # blank nodes have no stable name; kg writes none
        return str(term)

    seen, out = set(), []
    for result in results.subjects(RDF.type, sh("ValidationResult")):
        messages = sorted(results.objects(result, sh("resultMessage")),
                          key=lambda m: (getattr(m, "language", None) not in (None, "en"), str(m)))
        severity = results.value(result, sh("resultSeverity"))
        path = results.value(result, sh("resultPath"))
        v = {
            "focus": text(results.value(result, sh("focusNode"))),
            "path": text(path) if isinstance(path, URIRef) else None,
            "value": text(results.value(result, sh("value"))),
            "message": str(messages[0]) if messages else "does not conform",
            "severity": str(severity)[len(SH):] if severity is not None else "Violation",
        }
        key = tuple(v.values())
        if key not in seen:
            seen.add(key)
            out.append(v)
    out.sort(key=lambda v: (_SEVERITY_ORDER.get(v["severity"], 3), v["focus"] or "", v["message"],
                            v["path"] or "", v["value"] or ""))
    return out


# ---------------------------------------------------------------- command line


def register(subparsers) -> None:
    """Add `kg validate GRAPH [--max N]` to the kg command."""
    p = subparsers.add_parser("validate", help="check a graph against the SHACL shapes of the ontology")
    p.add_argument("graph", help="graph file (graph.ttl; .nt, .trig, .jsonld and .nq are read too)")
    p.add_argument("--max", type=_count, default=50, metavar="N",
                   help="print at most N problems (default 50); the total is always printed")
    p.set_defaults(func=run)


def run(args) -> int:
    """0 when the graph conforms, 1 when it does not, 2 when it cannot be read."""
    try:
        report = validate_path(args.graph)
    except (GraphError, OSError, ImportError) as err:
        print(f"kg: error: {err}", file=sys.stderr)
        return 2
    print(report.format(limit=args.max))
    return 0 if report.conforms else 1


def _count(text: str) -> int:
    import argparse

    try:
        n = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if n < 0:
        raise argparse.ArgumentTypeError("must be 0 or more")
    return n
