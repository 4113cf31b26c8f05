"""Writing a query's `Result`: a text table for people, and the SPARQL 1.1 results formats
(CSV, TSV, JSON, XML) and N-Triples for programs."""

from __future__ import annotations

import csv
import io
import json
import re
import unicodedata
from urllib.parse import unquote

from kg.sparql.results import Result, Term
from kg.vocab import compact

__all__ = ["display_width", "format_table", "format_csv", "format_tsv", "format_json", "format_xml",
           "format_ntriples", "iter_csv", "iter_tsv", "iter_json", "iter_xml", "iter_ntriples", "WRITERS", "STREAMS"]


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


def _cell(t: Term | None) -> str:
    if t is None:
        return ""
    if t.kind == "uri":
        return unquote(compact(t.value))  # percent-decoded: kgr:region/衡阳市, not %E8…
    if t.kind == "bnode":
        return "_:" + t.value
    return re.sub(r"\s+", " ", t.value)


def format_table(result: Result, max_width: int | None = 60) -> str:
    """A fixed-width text table; Chinese text counts two columns a character so columns align.
    IRIs are shortened with the standard prefixes and percent-decoded; cells longer than
    MAX_WIDTH columns are cut with …; numbers are right-aligned."""
    if result.boolean is not None:
        return "true\n" if result.boolean else "false\n"
    heads = list(result.variables)
    rows = list(result.bindings)  # a streamed answer is read once: the widths need every row
    cells = [[_fit(_cell(t), max_width) for t in row] for row in rows]
    right = [bool(rows) and all(row[i] is None or row[i].numeric for row in rows) for i in range(len(heads))]
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


def iter_csv(result: Result):
    """SPARQL 1.1 Query Results CSV, a line at a time: a header of variable names, lexical values, CRLF lines."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")

    def take() -> str:
        text = buf.getvalue()
        buf.seek(0)
        buf.truncate()
        return text

    if result.boolean is not None:
        w.writerow(["_askResult"])
        w.writerow(["true" if result.boolean else "false"])
        yield take()
        return
    w.writerow(result.variables)
    yield take()
    for row in result.bindings:
        w.writerow(["" if t is None else ("_:" + t.value if t.kind == "bnode" else t.value) for t in row])
        yield take()


def format_csv(result: Result) -> str:
    """SPARQL 1.1 Query Results CSV: a header of variable names, lexical values, CRLF lines."""
    return "".join(iter_csv(result))


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


def iter_tsv(result: Result):
    """SPARQL 1.1 Query Results TSV, a line at a time: ?-prefixed header, terms in N-Triples syntax."""
    if result.boolean is not None:
        yield "?_askResult\n" + ("true" if result.boolean else "false") + "\n"
        return
    yield "\t".join("?" + v for v in result.variables) + "\n"
    for row in result.bindings:
        yield "\t".join(_nt(t) for t in row) + "\n"


def format_tsv(result: Result) -> str:
    """SPARQL 1.1 Query Results TSV: ?-prefixed header, terms in Turtle/N-Triples syntax."""
    return "".join(iter_tsv(result))


def iter_ntriples(result: Result):
    """CONSTRUCT/DESCRIBE results as N-Triples, a triple at a time."""
    for s, p, o in result.bindings:
        yield f"{_nt(s)} {_nt(p)} {_nt(o)} .\n"


def format_ntriples(result: Result) -> str:
    """CONSTRUCT/DESCRIBE results as N-Triples (which is also valid Turtle)."""
    return "".join(iter_ntriples(result))


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


def _nested(value, depth: int) -> str:
    """json.dumps(VALUE, indent=1) as it reads DEPTH levels down in a bigger document."""
    return json.dumps(value, ensure_ascii=False, indent=1).replace("\n", "\n" + " " * depth)


def iter_json(result: Result):
    """SPARQL 1.1 Query Results JSON, a binding at a time; the same text json.dumps(indent=1) gives
    for the whole answer, without holding it (a 588k-row answer is 2.8 GB as one string)."""
    if result.boolean is not None:
        yield json.dumps({"head": {}, "boolean": result.boolean}, ensure_ascii=False, indent=1) + "\n"
        return
    yield '{\n "head": ' + _nested({"vars": list(result.variables)}, 1) + ',\n "results": {\n  "bindings": ['
    sep = "\n   "
    for row in result.bindings:
        yield sep + _nested({v: _json_term(t) for v, t in zip(result.variables, row) if t is not None}, 3)
        sep = ",\n   "
    yield ("]" if sep == "\n   " else "\n  ]") + "\n }\n}\n"


def format_json(result: Result) -> str:
    """SPARQL 1.1 Query Results JSON (application/sparql-results+json)."""
    return "".join(iter_json(result))


def _xml_binding(v: str, t: Term) -> str:
    from xml.sax.saxutils import escape, quoteattr

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
    return f"      <binding name={quoteattr(v)}>{inner}</binding>\n"


def iter_xml(result: Result):
    """SPARQL Query Results XML Format, a result at a time."""
    from xml.sax.saxutils import quoteattr

    head = ['<?xml version="1.0" encoding="UTF-8"?>',
            '<sparql xmlns="http://www.w3.org/2005/sparql-results#">', "  <head>"]
    head += [f"    <variable name={quoteattr(v)}/>" for v in result.variables]
    head.append("  </head>")
    if result.boolean is not None:
        head.append(f"  <boolean>{'true' if result.boolean else 'false'}</boolean>")
        yield "\n".join(head) + "\n</sparql>\n"
        return
    yield "\n".join(head) + "\n  <results>\n"
    for row in result.bindings:
        yield ("    <result>\n" + "".join(_xml_binding(v, t) for v, t in zip(result.variables, row) if t is not None)
               + "    </result>\n")
    yield "  </results>\n</sparql>\n"


def format_xml(result: Result) -> str:
    """SPARQL Query Results XML Format (application/sparql-results+xml)."""
    return "".join(iter_xml(result))


WRITERS = {"table": format_table, "csv": format_csv, "tsv": format_tsv, "json": format_json}
# the writers that need not hold the answer: name → generator of text chunks
STREAMS = {"csv": iter_csv, "tsv": iter_tsv, "json": iter_json, "xml": iter_xml, "nt": iter_ntriples}
