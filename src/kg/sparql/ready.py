"""The ready queries shipped in queries/ (each a research question), and telling a query's
text from a file name, a ready query's name or a refused SPARQL Update."""

from __future__ import annotations

import re
from pathlib import Path

from kg.assets import shipped
from kg.sparql.results import QueryError

__all__ = ["ready_queries", "describe", "resolve_query", "refuse_non_query", "is_update"]

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

