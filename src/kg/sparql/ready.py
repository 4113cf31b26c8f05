"""The ready queries shipped in queries/ (each a research question), and telling a query's
text from a file name, a ready query's name or a refused SPARQL Update.

A query takes parameters through slots `VALUES ?param_NAME { UNDEF }`: left as they are,
the query answers for everything (it is plain SPARQL any engine runs); `bind_params` puts
the value given (`kg query ... --param place=长沙`) in the slot, as a plain string the
query compares with CONTAINS(STR(?place), ?param_place), so 长沙 finds 长沙市 whatever
the language tag of its label."""

from __future__ import annotations

import re
from pathlib import Path

from kg.assets import shipped
from kg.sparql.results import QueryError

__all__ = ["ready_queries", "describe", "resolve_query", "refuse_non_query", "is_update", "query_params",
           "bind_params", "parse_params", "plain_literals"]

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
    return refuse_non_query(query)


def refuse_non_query(text: str) -> str:
    """TEXT, as SPARQL to run; QueryError when it is empty or a SPARQL Update (the graph is read-only)."""
    if not text.strip():
        raise QueryError("empty query")
    if is_update(text):
        raise QueryError("SPARQL updates are refused: the graph is read-only")
    return text


_UPDATE = re.compile(
    r"^(?:\s*(?:PREFIX\s+[^\s:]*:\s*<[^>]*>|BASE\s*<[^>]*>))*\s*"
    r"(?:INSERT|DELETE|LOAD|CLEAR|CREATE|DROP|COPY|MOVE|ADD|WITH)\b", re.IGNORECASE)


def is_update(text: str) -> bool:
    """Whether TEXT is a SPARQL Update request rather than a query."""
    without_comments = re.sub(r"(?m)(^|\s)#[^\n]*", r"\1", text)
    return bool(_UPDATE.match(without_comments))



# --- parameters -----------------------------------------------------------------------------

_SLOT = re.compile(r"VALUES\s+\?param_(\w+)\s*\{\s*UNDEF\s*\}")


def query_params(text: str) -> list[str]:
    """The names of a query's parameters (its `VALUES ?param_NAME { UNDEF }` slots), in order."""
    return list(dict.fromkeys(m.group(1) for m in _SLOT.finditer(text)))


def sparql_string(value: str) -> str:
    """VALUE as a SPARQL string literal."""
    escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    return f'"{escaped}"'


def bind_params(text: str, params: dict[str, str]) -> str:
    """TEXT with each parameter's slot holding its value; QueryError for a parameter it does not take."""
    known = query_params(text)
    unknown = [name for name in params if name not in known]
    if unknown:
        takes = f"it takes {', '.join(known)}" if known else "it takes none"
        raise QueryError(f"the query takes no parameter {unknown[0]!r}; {takes}")
    return _SLOT.sub(lambda m: (f"VALUES ?param_{m.group(1)} {{ {sparql_string(params[m.group(1)])} }}"
                                if m.group(1) in params else m.group(0)), text)


def parse_params(items) -> dict[str, str]:
    """NAME=VALUE strings (as --param gives them) as a dict; QueryError for one without '='."""
    params = {}
    for item in items or ():
        name, eq, value = item.partition("=")
        if not eq or not name.strip():
            raise QueryError(f"--param {item!r}: give it as NAME=VALUE, e.g. --param place=长沙")
        params[name.strip()] = value
    return params


# --- plain literals (the @zh hint) ----------------------------------------------------------

_COMMENT = re.compile(r"(?m)(^|\s)#[^\n]*")
_LITERAL = re.compile(r"""("(?:[^"\\\n]|\\.)+"|'(?:[^'\\\n]|\\.)+')(\s*(?:@|\^\^))?""")


def plain_literals(text: str) -> list[str]:
    """The plain (untagged, untyped) string literals of a query, as written, quotes included:
    `rdfs:label "长沙市"` → ['"长沙市"']. Such a literal never equals the graph's "长沙市"@zh."""
    found = (m.group(1) for m in _LITERAL.finditer(_COMMENT.sub(r"\1", text)) if not m.group(2))
    return list(dict.fromkeys(found))
