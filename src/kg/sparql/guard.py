"""No query may make kg open a connection: SERVICE, LOAD and FROM / FROM NAMED are refused.

Both engines would call out: `SERVICE <http://…>` makes Oxigraph and rdflib send a request to
that address, and rdflib may fetch the graph a `FROM <url>` names. An endpoint that does that
is a proxy into the user's network for any web page the user opens, so these keywords are
refused before a query reaches an engine.

Two checks, both blind to comments, strings and IRIs (`# SERVICE`, "FROM", <http://x/LOAD>
never count):
  - `refuse_remote(text)`: the query's tokens, for either engine (pyoxigraph has no parser of
    its own to ask, and the check must not cost a parse per request);
  - `refuse_remote_algebra(query)`: rdflib's parsed algebra, which the rdflib engine builds anyway.
"""

from __future__ import annotations

import re

from kg.sparql.results import QueryError

__all__ = ["refuse_remote", "refuse_remote_algebra", "REMOTE_KEYWORDS"]

# What the tokens are scanned for, and what the refusal says
REMOTE_KEYWORDS = {
    "SERVICE": "SERVICE is refused: kg never sends a query to another endpoint",
    "LOAD": "LOAD is refused: kg never fetches a graph, and the graph is read-only",
    "FROM": "FROM / FROM NAMED is refused: kg never fetches a graph; the whole graph is the default graph "
            "(use GRAPH <name> { … } for a named graph)",
}

# Everything in a query that may contain a keyword's letters without being the keyword: long and
# short strings, IRIs (no space inside, unlike `?a < ?b`), comments, variables and prefixed names.
_NOT_KEYWORD = re.compile(r"""
      '''(?:[^'\\]|\\.|'(?!''))*'''
    | \"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
    | '(?:[^'\\\n]|\\.)*'
    | "(?:[^"\\\n]|\\.)*"
    | <[^<>"{}|^`\\\s]*>
    | \#[^\n]*
    | [?$][\w\u00b7\u0300-\u036f\u203f-\u2040]+
    | [\w.-]*:[\w.%\\:-]*
""", re.VERBOSE)
_WORD = re.compile(r"[A-Za-z]+")


def refuse_remote(text: str) -> str:
    """TEXT, when none of its keywords would make an engine open a connection; else QueryError."""
    bare = _NOT_KEYWORD.sub(" ", text)
    for word in _WORD.findall(bare):
        reason = REMOTE_KEYWORDS.get(word.upper())
        if reason:
            raise QueryError(reason)
    return text


def _nodes(value):
    """Every algebra node (rdflib CompValue, a dict) below VALUE, VALUE included."""
    stack = [value]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            yield node
            stack.extend(node.values())
        elif isinstance(node, (list, tuple)):
            stack.extend(node)


def refuse_remote_algebra(query) -> None:
    """QueryError when rdflib's parsed QUERY (a prepared Query) names a service or a dataset to fetch."""
    algebra = getattr(query, "algebra", query)
    if getattr(algebra, "get", None) and algebra.get("datasetClause"):
        raise QueryError(REMOTE_KEYWORDS["FROM"])
    for node in _nodes(algebra):
        if getattr(node, "name", "") == "ServiceGraphPattern":
            raise QueryError(REMOTE_KEYWORDS["SERVICE"])
