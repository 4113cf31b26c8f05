"""Content negotiation for `kg serve`: which writer and Content-Type answer an Accept header.

    choose_writer(accepted("text/*"), SELECT_TYPES, "application/sparql-results+json")
    → (iter_csv, "text/csv; charset=utf-8")
"""

from __future__ import annotations

from kg.sparql.formats import iter_csv, iter_json, iter_ntriples, iter_tsv, iter_xml

__all__ = ["SELECT_TYPES", "GRAPH_TYPES", "FORMAT_PARAM", "accepted", "choose_writer"]

# media type → (streaming writer, Content-Type sent)
SELECT_TYPES = {
    "application/sparql-results+json": (iter_json, "application/sparql-results+json; charset=utf-8"),
    "application/json": (iter_json, "application/sparql-results+json; charset=utf-8"),
    "application/sparql-results+xml": (iter_xml, "application/sparql-results+xml; charset=utf-8"),
    "application/xml": (iter_xml, "application/sparql-results+xml; charset=utf-8"),
    "text/xml": (iter_xml, "text/xml; charset=utf-8"),
    "text/csv": (iter_csv, "text/csv; charset=utf-8"),
    "text/tab-separated-values": (iter_tsv, "text/tab-separated-values; charset=utf-8"),
}
GRAPH_TYPES = {
    "application/n-triples": (iter_ntriples, "application/n-triples; charset=utf-8"),
    "text/turtle": (iter_ntriples, "text/turtle; charset=utf-8"),
    "text/plain": (iter_ntriples, "text/plain; charset=utf-8"),
}
FORMAT_PARAM = {"json": "application/sparql-results+json", "xml": "application/sparql-results+xml",
                 "csv": "text/csv", "tsv": "text/tab-separated-values",
                 "nt": "application/n-triples", "ttl": "text/turtle", "turtle": "text/turtle"}


def accepted(header: str | None) -> list[str]:
    """Media types of an Accept header, best first (q=0 dropped; ties keep their order)."""
    if not header:
        return ["*/*"]
    ranked = []
    for i, part in enumerate(header.split(",")):
        fields = [f.strip() for f in part.split(";")]
        if not fields[0]:
            continue
        q = 1.0
        for f in fields[1:]:
            if f.lower().startswith("q="):
                try:
                    q = float(f[2:])
                except ValueError:
                    q = 0.0
        if q > 0:
            ranked.append((-q, i, fields[0].lower()))
    return [t for _, _, t in sorted(ranked)] or ["*/*"]


def choose_writer(accept: list[str], table: dict, default: str):
    """The (writer, Content-Type) of the first acceptable media type; a wildcard (text/*) is
    matched against the type actually sent, so text/* gets CSV, never XML labelled application/."""
    for media in accept:
        if media in table:
            return table[media]
        if media == "*/*":
            return table[default]
        if media.endswith("/*"):
            if table[default][1].startswith(media[:-1]):
                return table[default]
            for writer, ctype in table.values():
                if ctype.startswith(media[:-1]):
                    return writer, ctype
    return None
