"""Stage 8, triples: records → N-Triples lines → sorted shards → one merged Turtle/N-Triples file.

The graph is never held whole. Each shard (the triples of a few hundred pages, or of the
merged entities) is sorted by subject and written as N-Triples; the files are then merged
(a k-way merge, like `sort -m`) into a stream in which every subject's triples are
together, and graph.ttl and graph.nt are written from that stream one subject at a time.
Terms are formatted here, to the same bytes rdflib gives, so that the files do not
depend on which path made them.
"""

from __future__ import annotations

import functools
import hashlib
import heapq
import os
import re
from decimal import Decimal
from pathlib import Path
from typing import IO, Iterable, Iterator

from kg.model import Article, Entity, Observation, Relation
from kg.write.entail import superclasses, superproperties
from kg.vocab import KG_NS as KG, KGR_NS as KGR, PREFIXES, compact

# namespace IRIs as plain strings (the lines are built by concatenation, a few million times)
RDF, RDFS, SKOS, PROV, GEO, XSD = (PREFIXES[p] for p in ("rdf", "rdfs", "skos", "prov", "geo", "xsd"))
GB2260 = KGR + "source/gb2260"
GB2260_LABEL = "GB/T 2260 中华人民共和国行政区划代码 (via cpca)"
TYPE = RDF + "type"


def article_iri(key: str) -> str:
    return f"{KGR}article/{iri_safe(key)}"


# What an IRI path may hold as is (RFC 3987 ipchar, and "/" between folders): ASCII letters,
# digits and -._~!$&'()*+,;=:@, and the ucschar ranges (中文 stays 中文). Everything else is
# percent-encoded from its UTF-8 bytes: space, <>"{}|\^`, %, #, ?, control characters,
# private-use and non-characters; a file name's undecodable bytes (kept by Python as lone
# surrogates) as the bytes they were. "报 纸.txt" → 报%20纸.
_IRI_UNSAFE = re.compile(r"\s|[^A-Za-z0-9\-._~!$&'()*+,;=:@/\u00a0-\ud7ff\uf900-\ufdcf\ufdf0-\uffef"
                         r"\U00010000-\U0001fffd\U00020000-\U0002fffd\U00030000-\U0003fffd"
                         r"\U00040000-\U0004fffd\U00050000-\U0005fffd\U00060000-\U0006fffd"
                         r"\U00070000-\U0007fffd\U00080000-\U0008fffd\U00090000-\U0009fffd"
                         r"\U000a0000-\U000afffd\U000b0000-\U000bfffd\U000c0000-\U000cfffd"
                         r"\U000d0000-\U000dfffd\U000e1000-\U000efffd]")


def _percent(m: re.Match) -> str:
    ch = m.group()
    try:
        data = ch.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:  # a lone surrogate that stands for no byte
        data = ch.encode("utf-8", "surrogatepass")
    return "".join(f"%{b:02X}" for b in data)


def iri_safe(text: str) -> str:
    """text as an IRI path segment that every parser takes, the same text when it already is one."""
    return _IRI_UNSAFE.sub(_percent, text)


def digest(*parts) -> str:
    """The 16-hex-digit name of a statement or observation node, from what makes it distinct."""
    return hashlib.sha1("\x1f".join("" if p is None else str(p) for p in parts).encode("utf-8")).hexdigest()[:16]


def observation_iri(ob: Observation) -> str:
    return (f"{KGR}observation/" + digest(ob.article, ob.entity, ob.indicator, ob.value, ob.unit,
                                          ob.period_label, ob.partner, ob.product, ob.evidence))


def statement_iri(r: Relation) -> str:
    return f"{KGR}statement/" + digest(r.subject, r.predicate, r.object, r.source, r.evidence)


# --- terms, as N-Triples text --------------------------------------------------------------

def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace("\n", "\\n").replace('"', '\\"').replace("\r", "\\r") + '"'


def zh(text: str) -> str:
    return _quote(text) + "@zh"


def plain(text: str) -> str:
    return _quote(text)


def typed(lexical: str, datatype: str) -> str:
    return f"{_quote(lexical)}^^<{XSD}{datatype}>"


def decimal_lexical(x: float) -> str:
    """xsd:decimal text of a float: shortest round-trip digits, no exponent, no trailing zeros."""
    return _decimal_text(repr(float(x)))


@functools.lru_cache(maxsize=1 << 12)  # by repr, so -0.0 keeps its sign: confidences and rates recur
def _decimal_text(shortest: str) -> str:
    d = Decimal(shortest).normalize()
    if d == d.to_integral():
        d = d.quantize(Decimal(1))
    return format(d, "f")


def decimal(x: float) -> str:
    return typed(decimal_lexical(x), "decimal")


def _line(s: str, p: str, o: str) -> str:
    return f"<{s}> <{p}> {o} .\n"


def _iri(x: str) -> str:
    return f"<{x}>"


# --- records → lines ------------------------------------------------------------------------

def article_lines(a: Article) -> list[str]:
    s = article_iri(a.key)
    out = [_line(s, TYPE, _iri(KG + "Article"))]
    if a.title:
        out.append(_line(s, KG + "title", zh(a.title)))
    if a.date:
        out.append(_line(s, KG + "date", typed(a.date, "date")))
    out.append(_line(s, KG + "sourceFile", plain(a.source)))
    out.append(_line(s, KG + "charStart", typed(str(a.char_start), "integer")))
    out.append(_line(s, KG + "charEnd", typed(str(a.char_end), "integer")))
    return out


def entity_lines(e: Entity) -> list[str]:
    s = e.iri
    out = [_line(s, TYPE, _iri(KG + e.cls)), _line(s, RDFS + "label", zh(e.label))]
    out += [_line(s, TYPE, _iri(c)) for c in superclasses(KG + e.cls)]  # 长沙市 a kg:City, kg:Region
    out += [_line(s, SKOS + "altLabel", zh(a)) for a in sorted(e.aliases - {e.label})]
    out += [_line(s, KG + "mentionedIn", _iri(article_iri(k))) for k in sorted(e.articles)]
    if e.adcode:
        out.append(_line(s, KG + "adcode", plain(e.adcode)))
    if e.iso_code:
        out.append(_line(s, KG + "isoCode", plain(e.iso_code)))
    if e.lat is not None and e.long is not None:
        out.append(_line(s, GEO + "lat", decimal(e.lat)))
        out.append(_line(s, GEO + "long", decimal(e.long)))
    return out


def relation_lines(r: Relation) -> list[str]:
    """The direct triple and its rdf:Statement with provenance, evidence and confidence, and
    the direct triples the ontology entails from it (exportsTo → tradesWith), without one."""
    s, p, o = r.subject, KG + r.predicate, r.object
    st = statement_iri(r)
    out = [_line(s, sup, _iri(o)) for sup in superproperties(p)]
    out += [_line(s, p, _iri(o)), _line(st, TYPE, _iri(RDF + "Statement")), _line(st, RDF + "subject", _iri(s)),
           _line(st, RDF + "predicate", _iri(p)), _line(st, RDF + "object", _iri(o)),
           _line(st, PROV + "wasDerivedFrom", _iri(GB2260 if r.source == "gb2260" else article_iri(r.source)))]
    if r.evidence:
        out.append(_line(st, KG + "evidence", zh(r.evidence)))
    out.append(_line(st, KG + "confidence", decimal(round(r.confidence, 2))))
    return out


def observation_lines(ob: Observation) -> list[str]:
    s = observation_iri(ob)
    out = [_line(s, TYPE, _iri(KG + "Observation")), _line(s, KG + "observedEntity", _iri(ob.entity)),
           _line(s, KG + "indicator", zh(ob.indicator))]
    if ob.value is not None:  # a growth stated alone (对韩国进出口增长2.3%) has no value nor unit
        out += [_line(s, KG + "value", decimal(ob.value)), _line(s, KG + "unit", plain(ob.unit))]
    if ob.partner:
        out.append(_line(s, KG + "partner", _iri(ob.partner)))
    if ob.product:
        out.append(_line(s, KG + "product", _iri(ob.product)))
    if ob.growth is not None:
        out.append(_line(s, KG + "growthRate", decimal(ob.growth)))
    if ob.period_label:
        out.append(_line(s, KG + "periodLabel", zh(ob.period_label)))
    if ob.period_start:
        out.append(_line(s, KG + "periodStart", typed(ob.period_start, "gYearMonth")))
        out.append(_line(s, KG + "periodEnd", typed(ob.period_end, "gYearMonth")))
    if ob.qualifier:
        out.append(_line(s, KG + "qualifier", zh(ob.qualifier)))
    out.append(_line(s, PROV + "wasDerivedFrom", _iri(article_iri(ob.article))))
    out.append(_line(s, KG + "evidence", zh(ob.evidence)))
    out.append(_line(s, KG + "confidence", decimal(round(ob.confidence, 2))))
    return out


def source_lines() -> list[str]:
    """The administrative table as a source of partOf facts."""
    return [_line(GB2260, RDFS + "label", zh(GB2260_LABEL))]


# --- shards ---------------------------------------------------------------------------------

def line_key(line: str) -> str:
    """Order of lines in shards and in the merge: by subject IRI, then by the whole line.
    One string, compared faster than a (subject, line) pair in the same order: the subject's
    closing ">" becomes "\x01", below every character an IRI may hold, so a subject sorts
    before any longer one it begins (…/x before …/x-y, as the pair has it)."""
    return line[1:].replace(">", "\x01", 1)


def write_shard(lines: Iterable[str], path: str | os.PathLike) -> int:
    """Sort, de-duplicate and write lines as an N-Triples file (atomically); returns the count."""
    ordered = sorted(set(lines), key=line_key)

    def write(fh) -> int:
        fh.writelines(ordered)
        return len(ordered)

    return _write_atomically(path, write)


def write_sorted_shard(lines: Iterable[str], path: str | os.PathLike) -> int:
    """Write lines already in line_key order as an N-Triples file (atomically), repeats
    dropped, without holding them; returns the count."""
    def write(fh) -> int:
        n, last = 0, None
        for line in lines:
            if line != last:
                fh.write(line)
                n += 1
                last = line
        return n

    return _write_atomically(path, write)


def _write_atomically(path: str | os.PathLike, write) -> int:
    """write(fh) into a temporary file beside path, which then replaces path (mode 644);
    returns what write returns (the lines written)."""
    path = Path(path)
    tmp = path.with_name(f".{path.name}.tmp")
    with open(tmp, "w", encoding="utf-8", newline="\n") as fh:
        n = write(fh)
    os.chmod(tmp, 0o644)
    os.replace(tmp, path)
    return n


def merged(shards: Iterable[str | os.PathLike], start: str | None = None, stop: str | None = None) -> Iterator[str]:
    """The lines of sorted shards as one sorted stream, duplicates dropped; only subjects
    from start (inclusive) to stop (exclusive) when given, so that parts of the stream can be
    written by several processes (split_points picks the cuts)."""
    streams = [_shard_lines(p, start, stop) for p in shards]
    last = None
    for line in heapq.merge(*streams, key=line_key):
        if line != last:
            yield line
            last = line


def _shard_lines(path, start: str | None, stop: str | None) -> Iterator[str]:
    with open(path, "rb") as raw:
        offset = line_offset(raw, os.path.getsize(path), start) if start is not None else 0
    with open(path, encoding="utf-8", newline="\n") as fh:
        fh.seek(offset)  # a line start, so a plain byte offset is a valid position
        if stop is None:
            yield from fh
            return
        for line in fh:
            if line[1:line.index(">")] >= stop:
                return
            yield line


def line_offset(fh, size: int, subject: str) -> int:
    """Byte offset in a sorted shard (opened binary) of its first line whose subject is at
    least `subject` (size if none): a binary search over line starts."""
    target = subject.encode("utf-8")
    lo, hi = 0, size  # lines starting before lo have smaller subjects; hi is size or such a line's start
    while lo < hi:
        mid = (lo + hi) // 2
        if mid:
            fh.seek(mid - 1)
            fh.readline()  # to the first line start at or after mid
        else:
            fh.seek(0)
        q = fh.tell()
        if q >= hi:
            hi = mid
            continue
        line = fh.readline()
        if line[1:line.index(b">")] >= target:
            hi = q
        else:
            lo = q + len(line)
    return lo


def split_points(shards: Iterable[str | os.PathLike], parts: int, samples: int = 64) -> list[str]:
    """Up to parts - 1 subjects that cut the merged stream of the shards into parts of about
    equal size, from lines sampled at even byte offsets of each shard (weighted by its size)."""
    points: list[tuple[str, float]] = []
    for path in shards:
        size = os.path.getsize(path)
        with open(path, "rb") as fh:
            for i in range(samples if size else 0):
                fh.seek(max(0, size * i // samples - 1))
                if i:
                    fh.readline()
                line = fh.readline()
                if line:
                    points.append((line[1:line.index(b">")].decode("utf-8"), size / samples))
    points.sort()
    total, acc, cuts = sum(w for _, w in points), 0.0, []
    for subject, weight in points:
        if len(cuts) == parts - 1:
            break
        acc += weight
        if acc >= total * (len(cuts) + 1) / parts and (not cuts or subject > cuts[-1]):
            cuts.append(subject)
    return cuts


def by_subject(lines: Iterable[str]) -> Iterator[tuple[str, list[str]]]:
    """Group a sorted stream into (subject IRI, its lines)."""
    subject, opening, group = None, None, []
    for line in lines:
        if opening is None or not line.startswith(opening):  # "<s> " opens every line of s
            if group:
                yield subject, group
            end = line.index(">")
            subject, opening, group = line[1:end], line[:end + 2], []
        group.append(line)
    if group:
        yield subject, group


# --- Turtle ---------------------------------------------------------------------------------

_LOCAL = re.compile(r"[A-Za-z_][A-Za-z0-9_\-]*")


@functools.lru_cache(maxsize=1 << 16)
def _compact(iri: str) -> str:
    short = compact(iri, _LOCAL)
    return short if short is not iri else f"<{iri}>"  # compact hands back the very IRI when no prefix fits


@functools.lru_cache(maxsize=1 << 16)  # objects recur: a class, a province, a unit, a period
def _turtle_object(term: str) -> str:
    if term.startswith("<"):
        return _compact(term[1:-1])
    if term.endswith(">") and '"^^<' in term:
        lexical, dt = term.rsplit("^^<", 1)
        return f"{lexical}^^{_compact(dt[:-1])}"
    return term


def turtle_header() -> str:
    return "\n".join(f"@prefix {p}: <{ns}> ." for p, ns in sorted(PREFIXES.items())) + "\n\n"


def turtle_block(subject: str, lines: list[str]) -> str:
    """One subject's triples as a Turtle block: rdf:type first, then predicates by IRI,
    objects sorted within each. The lines come sorted, so a predicate's lines are together."""
    start = len(subject) + 3
    groups: list[tuple[str, list[str]]] = []
    last = None
    for line in lines:
        end = line.index(">", start)
        pred = line[start + 1:end]
        if pred != last:
            groups.append((pred, []))
            last = pred
        groups[-1][1].append(_turtle_object(line[end + 2:-3]))
    if len(groups) > 1:
        groups.sort(key=_type_first)
    parts = []
    for pred, objects in groups:
        verb = "a" if pred == TYPE else _compact(pred)
        parts.append(f"    {verb} " + ",\n        ".join(sorted(objects) if len(objects) > 1 else objects))
    return _compact(subject) + "\n" + " ;\n".join(parts) + " .\n"


def _type_first(group: tuple[str, list[str]]) -> tuple[bool, str]:
    return group[0] != TYPE, group[0]


def write_streams(lines: Iterable[str], ttl: IO[str] | None = None, nt: IO[str] | None = None,
                  part: int = 0) -> int:
    """Write a sorted stream as Turtle and/or N-Triples in one pass; returns the triple count.
    A later part of a split stream (part > 0) has no header and opens with the blank line
    that separates it from the part before."""
    n = 0
    if ttl is not None and part == 0:
        ttl.write(turtle_header())
    first = part == 0
    for subject, group in by_subject(lines):
        n += len(group)
        if nt is not None:
            nt.writelines(group)
        if ttl is not None:
            if not first:
                ttl.write("\n")
            ttl.write(turtle_block(subject, group))
        first = False
    return n
