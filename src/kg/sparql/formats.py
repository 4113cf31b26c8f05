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
           "format_ntriples", "WRITERS"]


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
    cells = [[_fit(_cell(t), max_width) for t in row] for row in result.bindings]
    right = [bool(result.bindings) and all(row[i] is None or row[i].numeric for row in result.bindings)
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
