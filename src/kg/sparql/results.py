"""What a SPARQL query answers, the same whichever engine ran it: `Result` rows of `Term`s.

Terms carry plain Python values (IRIs and literals as str, language tags dropped;
xsd:integer → int, xsd:decimal → Decimal, xsd:double/float → float, xsd:boolean → bool;
unbound → None). Numeric literals are put in one canonical lexical form, so that the two
engines' rows and JSON compare equal.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import NamedTuple

from kg.sparql.graphfile import one_line
from kg.vocab import PREFIXES

__all__ = ["QueryError", "Term", "Result", "literal_term"]

XSD = PREFIXES["xsd"]
RDF_LANGSTRING = PREFIXES["rdf"] + "langString"
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

    @property
    def numeric(self) -> bool:
        """Whether this is a literal of an XSD number type (a table right-aligns those)."""
        return self.kind == "literal" and (
            self.datatype in _INTEGER_TYPES or self.datatype == _DECIMAL or self.datatype in _FLOAT_TYPES)


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


def literal_term(lexical: str, datatype: str | None, lang: str | None) -> Term:
    """The Term of a literal as an engine gives it: language tags lower-cased, numbers canonical."""
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

    def __len__(self) -> int:
        return len(self.bindings)

