"""`kg query`: SPARQL over a built graph, with Oxigraph (default) or rdflib, and ready queries.

    run_query("output/graph.ttl", "trade-partners")          # a ready query, by name
    run_query("output/graph.ttl", "my.rq", engine="rdflib")  # a file
    run_query(store, "SELECT ...")                           # a pyoxigraph.Store or rdflib Graph

Both engines give the same `Result`: the variable names and rows of plain Python values
(IRIs and literals as str, language tags dropped; xsd:integer → int, xsd:decimal → Decimal,
xsd:double/float → float, xsd:boolean → bool; unbound → None). Numeric literals are put in
one canonical lexical form, so that the two engines' rows and JSON compare equal.

The standard prefixes (kg kgr rdf rdfs skos prov geo xsd owl) are known to every query, so
short ad-hoc queries need no PREFIX lines; the ready queries declare theirs anyway.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import sys
import threading
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import NamedTuple
from urllib.parse import unquote

from kg.assets import shipped
from kg.sparql.graphfile import GraphError, is_graph_file, one_line, read_oxigraph, read_rdflib

__all__ = [
    "Result", "Term", "QueryError", "GraphError", "run_query", "load_graph", "LoadedGraph",
    "resolve_query", "ready_queries", "format_table", "format_csv", "format_tsv", "format_json",
    "format_xml", "format_ntriples", "is_update", "PREFIXES", "register",
]

XSD = "http://www.w3.org/2001/XMLSchema#"
RDF_LANGSTRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"

PREFIXES = {
    "kg": "https://w3id.org/zhkg/ontology#",
    "kgr": "https://w3id.org/zhkg/resource/",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "prov": "http://www.w3.org/ns/prov#",
    "geo": "http://www.w3.org/2003/01/geo/wgs84_pos#",
    "xsd": XSD,
    "owl": "http://www.w3.org/2002/07/owl#",
}

ENGINES = ("auto", "oxigraph", "rdflib")
_INTEGER_TYPES = frozenset(XSD + t for t in (
    "integer", "int", "long", "short", "byte", "nonNegativeInteger", "positiveInteger",
    "nonPositiveInteger", "negativeInteger", "unsignedLong", "unsignedInt", "unsignedShort", "unsignedByte"))
_DECIMAL = XSD + "decimal"
_FLOAT_TYPES = frozenset((XSD + "double", XSD + "float"))
_BOOLEAN = XSD + "boolean"
_STRING = XSD + "string"


class QueryError(ValueError):
    """A query that cannot be run (bad syntax, unknown name, missing file); one-line message."""

    def __init__(self, message: str):
        super().__init__(one_line(message))


# ---------------------------------------------------------------- results


class Term(NamedTuple):
    """One RDF term of a result, engine-independent: kind is 'uri', 'literal', 'bnode' or 'triple'."""

    kind: str
    value: str  # IRI, lexical form (canonical for numbers), or blank node label
    datatype: str | None = None  # None for simple and language-tagged literals
    lang: str | None = None

    @property
    def plain(self):
        """The Python value: str, int, Decimal, float or bool."""
        if self.kind != "literal" or self.datatype is None:
            return self.value
        return _python_value(self.value, self.datatype)[0]


def _python_value(lexical: str, datatype: str):
    """(value, canonical lexical) of a typed literal; ill-typed ones stay strings."""
    try:
        if datatype in _INTEGER_TYPES:
            v = int(lexical.strip())
            return v, str(v)
        if datatype == _DECIMAL:
            d = Decimal(lexical.strip())
            if not d.is_finite():
                raise InvalidOperation
            d = d.normalize()
            if d == d.to_integral_value():
                d = d.quantize(Decimal(1))
            if d == 0:
                d = Decimal(0)
            return d, format(d, "f")
        if datatype in _FLOAT_TYPES:
            text = lexical.strip()
            v = float({"INF": "inf", "+INF": "inf", "-INF": "-inf"}.get(text, text))
            if v != v:
                return v, "NaN"
            if v in (float("inf"), float("-inf")):
                return v, "INF" if v > 0 else "-INF"
            return v, repr(v).replace("e", "E")
        if datatype == _BOOLEAN:
            text = lexical.strip()
            if text in ("true", "1"):
                return True, "true"
            if text in ("false", "0"):
                return False, "false"
    except (ValueError, InvalidOperation, ArithmeticError):
        pass
    return lexical, lexical


def _literal(lexical: str, datatype: str | None, lang: str | None) -> Term:
    if lang:
        return Term("literal", lexical, None, lang.lower())
    if datatype in (None, _STRING, RDF_LANGSTRING):
        return Term("literal", lexical)
    return Term("literal", _python_value(lexical, datatype)[1], datatype)


@dataclass
class Result:
    """A query's answer. SELECT: `variables` and `bindings` (Terms); ASK: `boolean`;
    CONSTRUCT/DESCRIBE: `graph` is True and the rows are (subject, predicate, object)."""

    variables: list[str]
    bindings: list[tuple] = field(default_factory=list)
    boolean: bool | None = None
    graph: bool = False
    engine: str = ""

    @property
    def rows(self) -> list[tuple]:
        return [tuple(None if t is None else t.plain for t in row) for row in self.bindings]

    def dicts(self) -> list[dict]:
        return [dict(zip(self.variables, row)) for row in self.rows]

    def column(self, name: str) -> list:
        i = self.variables.index(name)
        return [row[i] for row in self.rows]

    def __len__(self) -> int:
        return len(self.bindings)

    def __iter__(self):
        return iter(self.rows)


# ---------------------------------------------------------------- loading


def _have_oxigraph() -> bool:
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
        return "oxigraph" if _have_oxigraph() else "rdflib"
    if engine == "oxigraph" and not _have_oxigraph():
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


def _as_loaded(graph, engine: str) -> LoadedGraph:
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


# ---------------------------------------------------------------- ready queries

_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*")


def ready_queries() -> dict[str, str]:
    """name → text of every ready query shipped in queries/."""
    found: dict[str, str] = {}
    folder = shipped("queries")
    if folder.is_dir():
        for f in sorted(folder.iterdir(), key=lambda f: f.name):
            if f.name.endswith(".rq"):
                found[f.name[:-3]] = f.read_text(encoding="utf-8")
    return dict(sorted(found.items()))


def describe(text: str) -> str:
    """The first comment line of a query (its research question)."""
    for line in text.splitlines():
        line = line.strip()
        if line.startswith("#"):
            return line.lstrip("#").strip()
        if line:
            break
    return ""


def resolve_query(query: str) -> str:
    """The SPARQL text of QUERY: itself, the contents of a .rq file, or a ready query by name."""
    text = query.strip()
    if not text:
        raise QueryError("empty query")
    if "\n" not in text and text.lower().endswith((".rq", ".sparql")):
        p = Path(text)
        if not p.is_file():
            raise QueryError(f"{text}: no such query file")
        try:
            return p.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as err:
            raise QueryError(f"{text}: cannot be read: {err}") from None
    if _NAME.fullmatch(text):
        found = ready_queries()
        if text in found:
            return found[text]
        raise QueryError(f"no ready query named {text!r}; `kg query --list` shows them")
    if is_update(text):
        raise QueryError("SPARQL updates are refused: the graph is read-only")
    return query


_UPDATE = re.compile(
    r"^(?:\s*(?:PREFIX\s+[^\s:]*:\s*<[^>]*>|BASE\s*<[^>]*>))*\s*"
    r"(?:INSERT|DELETE|LOAD|CLEAR|CREATE|DROP|COPY|MOVE|ADD|WITH)\b", re.IGNORECASE)


def is_update(text: str) -> bool:
    """Whether TEXT is a SPARQL Update request rather than a query."""
    without_comments = re.sub(r"(?m)(^|\s)#[^\n]*", r"\1", text)
    return bool(_UPDATE.match(without_comments))


# ---------------------------------------------------------------- running


def run_query(graph_path_or_store, query_text: str, engine: str = "auto", *, resolve: bool = True) -> Result:
    """Run a SPARQL query (text, .rq path or ready-query name) on a graph.

    The graph is a file path (loaded, and cached, for the engine), a pyoxigraph.Store, an
    rdflib Graph/Dataset, or a LoadedGraph. Raises GraphError for an unreadable graph and
    QueryError (a ValueError, one-line message) for a query that cannot be parsed or run.
    With resolve=False the text is taken as SPARQL as it is (no file or name look-up)."""
    if resolve:
        text = resolve_query(query_text)
    else:
        text = query_text
        if not text.strip():
            raise QueryError("empty query")
        if is_update(text):
            raise QueryError("SPARQL updates are refused: the graph is read-only")
    loaded = _as_loaded(graph_path_or_store, engine)
    if loaded.engine == "oxigraph":
        return _run_oxigraph(loaded.backend, text)
    with loaded.lock:  # rdflib graphs are not safe for concurrent queries
        return _run_rdflib(loaded.backend, text)


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
        if isinstance(answer, ox.QuerySolutions):
            names = [v.value for v in answer.variables]
            rows = [tuple(_ox_term(sol[i]) for i in range(len(names))) for sol in answer]
            return Result(names, rows, engine="oxigraph")
        rows = [(_ox_term(t.subject), _ox_term(t.predicate), _ox_term(t.object)) for t in answer]
        return Result(["subject", "predicate", "object"], rows, graph=True, engine="oxigraph")
    except SyntaxError as err:
        raise QueryError(f"bad SPARQL: {_ox_message(str(err))}") from None
    except (OSError, ValueError, RuntimeError) as err:
        raise QueryError(f"the query failed: {err}") from None


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
        return _literal(t.value, t.datatype.value, t.language)
    return Term("triple", str(t))


def _run_rdflib(graph, text: str) -> Result:
    try:
        answer = graph.query(text, initNs=PREFIXES)
        if answer.type == "ASK":
            return Result([], boolean=bool(answer.askAnswer), engine="rdflib")
        if answer.type in ("CONSTRUCT", "DESCRIBE"):
            rows = [tuple(_rdflib_term(x) for x in t) for t in answer.graph]
            rows.sort(key=lambda r: tuple((x.kind, x.value, x.datatype or "", x.lang or "") for x in r))
            return Result(["subject", "predicate", "object"], rows, graph=True, engine="rdflib")
        names = [str(v) for v in answer.vars]
        rows = [tuple(_rdflib_term(row[i]) for i in range(len(names))) for row in answer]
        return Result(names, rows, engine="rdflib")
    except Exception as err:  # pyparsing, rdflib's own and evaluation errors have no common base
        bad = err.__class__.__name__ == "ParseException" or "namespace prefix" in str(err)
        kind = "bad SPARQL" if bad else "the query failed"
        raise QueryError(f"{kind}: {err}") from None


def _rdflib_term(t) -> Term | None:
    from rdflib import BNode, Literal, URIRef

    if t is None:
        return None
    if isinstance(t, URIRef):
        return Term("uri", str(t))
    if isinstance(t, BNode):
        return Term("bnode", str(t))
    if isinstance(t, Literal):
        return _literal(str(t), None if t.datatype is None else str(t.datatype), t.language)
    return Term("triple", str(t))


# ---------------------------------------------------------------- writers


def _width(ch: str) -> int:
    if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def display_width(text: str) -> int:
    """Columns TEXT takes in a terminal: CJK (wide, fullwidth) characters count two."""
    return sum(_width(ch) for ch in text)


def _fit(text: str, limit: int | None) -> str:
    if limit is None or display_width(text) <= limit:
        return text
    out, used = [], 0
    for ch in text:
        w = _width(ch)
        if used + w > limit - 1:
            break
        out.append(ch)
        used += w
    return "".join(out) + "…"


def _compact(iri: str) -> str:
    for prefix, ns in sorted(PREFIXES.items(), key=lambda kv: -len(kv[1])):
        if iri.startswith(ns):
            return f"{prefix}:{unquote(iri[len(ns):])}"
    return unquote(iri)


def _cell(t: Term | None) -> str:
    if t is None:
        return ""
    if t.kind == "uri":
        return _compact(t.value)
    if t.kind == "bnode":
        return "_:" + t.value
    return re.sub(r"\s+", " ", t.value)


def _numeric(t: Term | None) -> bool:
    return t is not None and t.kind == "literal" and (
        t.datatype in _INTEGER_TYPES or t.datatype == _DECIMAL or t.datatype in _FLOAT_TYPES)


def format_table(result: Result, max_width: int | None = 60) -> str:
    """A fixed-width text table; Chinese text counts two columns a character so columns align.
    IRIs are shortened with the standard prefixes and percent-decoded; cells longer than
    MAX_WIDTH columns are cut with …; numbers are right-aligned."""
    if result.boolean is not None:
        return "true\n" if result.boolean else "false\n"
    heads = list(result.variables)
    cells = [[_fit(_cell(t), max_width) for t in row] for row in result.bindings]
    right = [bool(result.bindings) and all(_numeric(row[i]) or row[i] is None for row in result.bindings)
             for i in range(len(heads))]
    widths = [max([display_width(h)] + [display_width(r[i]) for r in cells]) for i, h in enumerate(heads)]

    def line(values):
        parts = []
        for i, v in enumerate(values):
            pad = " " * (widths[i] - display_width(v))
            parts.append(pad + v if right[i] else v + pad)
        return "  ".join(parts).rstrip()

    out = [line(heads), "  ".join("-" * w for w in widths)]
    out += [line(r) for r in cells]
    n = len(cells)
    out.append(f"({n} row{'s' if n != 1 else ''})")
    return "\n".join(out) + "\n"


def format_csv(result: Result) -> str:
    """SPARQL 1.1 Query Results CSV: a header of variable names, lexical values, CRLF lines."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    if result.boolean is not None:
        w.writerow(["_askResult"])
        w.writerow(["true" if result.boolean else "false"])
        return buf.getvalue()
    w.writerow(result.variables)
    for row in result.bindings:
        w.writerow(["" if t is None else ("_:" + t.value if t.kind == "bnode" else t.value) for t in row])
    return buf.getvalue()


def _nt(t: Term | None) -> str:
    if t is None:
        return ""
    if t.kind == "uri":
        return f"<{t.value}>"
    if t.kind == "bnode":
        return "_:" + t.value
    if t.kind == "triple":
        return t.value
    esc = (t.value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
           .replace("\r", "\\r").replace("\t", "\\t"))
    if t.lang:
        return f'"{esc}"@{t.lang}'
    if t.datatype:
        return f'"{esc}"^^<{t.datatype}>'
    return f'"{esc}"'


def format_tsv(result: Result) -> str:
    """SPARQL 1.1 Query Results TSV: ?-prefixed header, terms in Turtle/N-Triples syntax."""
    if result.boolean is not None:
        return "?_askResult\n" + ("true" if result.boolean else "false") + "\n"
    lines = ["\t".join("?" + v for v in result.variables)]
    lines += ["\t".join(_nt(t) for t in row) for row in result.bindings]
    return "\n".join(lines) + "\n"


def format_ntriples(result: Result) -> str:
    """CONSTRUCT/DESCRIBE results as N-Triples (which is also valid Turtle)."""
    return "".join(f"{_nt(s)} {_nt(p)} {_nt(o)} .\n" for s, p, o in result.bindings)


def _json_term(t: Term) -> dict:
    if t.kind == "uri":
        return {"type": "uri", "value": t.value}
    if t.kind == "bnode":
        return {"type": "bnode", "value": t.value}
    if t.kind == "triple":
        return {"type": "literal", "value": t.value}
    d = {"type": "literal", "value": t.value}
    if t.lang:
        d["xml:lang"] = t.lang
    elif t.datatype:
        d["datatype"] = t.datatype
    return d


def format_json(result: Result, indent: int | None = 1) -> str:
    """SPARQL 1.1 Query Results JSON (application/sparql-results+json)."""
    if result.boolean is not None:
        data = {"head": {}, "boolean": result.boolean}
    else:
        bindings = [{v: _json_term(t) for v, t in zip(result.variables, row) if t is not None}
                    for row in result.bindings]
        data = {"head": {"vars": list(result.variables)}, "results": {"bindings": bindings}}
    return json.dumps(data, ensure_ascii=False, indent=indent) + "\n"


def format_xml(result: Result) -> str:
    """SPARQL Query Results XML Format (application/sparql-results+xml)."""
    from xml.sax.saxutils import escape, quoteattr

    out = ['<?xml version="1.0" encoding="UTF-8"?>',
           '<sparql xmlns="http://www.w3.org/2005/sparql-results#">', "  <head>"]
    out += [f"    <variable name={quoteattr(v)}/>" for v in result.variables]
    out.append("  </head>")
    if result.boolean is not None:
        out.append(f"  <boolean>{'true' if result.boolean else 'false'}</boolean>")
    else:
        out.append("  <results>")
        for row in result.bindings:
            out.append("    <result>")
            for v, t in zip(result.variables, row):
                if t is None:
                    continue
                if t.kind == "uri":
                    inner = f"<uri>{escape(t.value)}</uri>"
                elif t.kind == "bnode":
                    inner = f"<bnode>{escape(t.value)}</bnode>"
                elif t.lang:
                    inner = f"<literal xml:lang={quoteattr(t.lang)}>{escape(t.value)}</literal>"
                elif t.datatype:
                    inner = f"<literal datatype={quoteattr(t.datatype)}>{escape(t.value)}</literal>"
                else:
                    inner = f"<literal>{escape(t.value)}</literal>"
                out.append(f"      <binding name={quoteattr(v)}>{inner}</binding>")
            out.append("    </result>")
        out.append("  </results>")
    out.append("</sparql>")
    return "\n".join(out) + "\n"


WRITERS = {"table": format_table, "csv": format_csv, "tsv": format_tsv, "json": format_json}


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
        _write("".join(f"{n:<{width}}  {describe(t)}\n" for n, t in queries.items()))
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
        result = run_query(graph, query, engine=args.engine)
        text = WRITERS[args.format](result)
    except (GraphError, QueryError, OSError, ValueError, ImportError) as err:
        print(f"kg: error: {one_line(err)}", file=sys.stderr)
        return 2
    _write(text)
    return 0
