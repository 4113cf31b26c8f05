"""The page `kg serve` answers at / (and at /sparql when a browser asks for HTML): an offline
query workbench. An editor, the ready queries of queries/ in a list, the answer as a table
(with each IRI's rdfs:label beside it), CSV and JSON downloads, and errors shown in place.

One page, with its style sheet and script (static/workbench.css, .js, shipped as package
data) put in: it loads nothing from the network, so it works on a machine with none."""

from __future__ import annotations

import html
import re

from kg.sparql.ready import describe, ready_queries
from kg.vocab import PREFIXES
from kg.write.html import page_template, script_json

__all__ = ["workbench_page"]

# the first query a newcomer sees: what kinds of things the graph holds
FIRST_QUERY = """SELECT ?class (COUNT(?s) AS ?n)
WHERE { ?s a ?class }
GROUP BY ?class
ORDER BY DESC(?n)
"""


def workbench_page(graph: str, triples: int, engine: str, endpoint: str) -> str:
    """The workbench for a served graph (its file name, triple count and engine), sending its
    queries to ENDPOINT (the path of the SPARQL endpoint on the same server)."""
    data = {
        "endpoint": endpoint, "first": FIRST_QUERY, "prefixes": PREFIXES,
        "queries": [{"name": name, "title": describe(text), "text": text} for name, text in ready_queries().items()],
    }
    parts = {
        "GRAPH": html.escape(graph), "TRIPLES": f"{triples:,}", "ENGINE": html.escape(engine),
        "ENDPOINT": html.escape(endpoint), "PREFIXES": html.escape(" ".join(PREFIXES)), "DATA": script_json(data),
    }
    pieces = re.split(r"@@([A-Z]+)@@", _template())
    return "".join(parts[p] if i % 2 else p for i, p in enumerate(pieces))  # inserted text is never rescanned


def _template() -> str:
    """static/workbench.html with its style sheet and script put in."""
    return page_template("kg.sparql", "static", "workbench.html",
                         (("@@STYLE@@", "workbench.css"), ("@@SCRIPT@@", "workbench.js")))
