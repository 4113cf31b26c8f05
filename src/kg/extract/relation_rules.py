"""Relation rules: small functions over a sentence (or a clause) that yield
(subject, predicate, object, confidence). `relate.Relator` runs them in the order of
`SENTENCE_RULES` then, clause by clause, `CLAUSE_RULES`."""

from __future__ import annotations

import re
from typing import Iterator

from kg.extract import lexicon
from kg.extract.sentence_view import ORG, PARTNER, REGION, ArticleState, ClauseView, SentenceView, is_body

Fact = tuple[str, str, str, float]

LOCATED_VERB = lexicon.pattern("rel_located_verb", longest_first=False)
PARTICIPATE_VERB = lexicon.pattern("rel_participate_verb")
PRODUCER_VERB = lexicon.pattern("rel_producer_verb", "^{}")
TRADE_WORD = lexicon.pattern("rel_trade_word")
TRADE_CLAUSE_WORD = lexicon.pattern("rel_trade_clause_word")
ADJACENT_LINK = ("", "的", "区域的")  # 衡阳的X, 天心区X: nothing or a 的 between place and name


def _inside(inner, outer) -> bool:
    return outer.m.start <= inner.m.start and inner.m.end <= outer.m.end


# --- sentence rules -------------------------------------------------------------------------

def located_by_name(v: SentenceView, st: ArticleState) -> Iterator[Fact]:
    """衡阳综保区 → 衡阳市: a place inside an organisation's name."""
    for o in v.orgs:
        for r in v.regions:
            if _inside(r, o):
                yield o.iri, "locatedIn", r.iri, 0.9


def participates_by_name(v: SentenceView, st: ArticleState) -> Iterator[Fact]:
    """中国电信中南智能算力中心 → 中国电信: a company inside a project's name."""
    for o in v.orgs:
        if o.cls != "Project":
            continue
        for e in v.enterprises:
            if e.cls == "Enterprise" and _inside(e, o) and e is not o:
                yield e.iri, "participatesIn", o.iri, 0.85


def located_by_adjacency(v: SentenceView, st: ArticleState) -> Iterator[Fact]:
    """天心区大唐先一、红网新媒体集团 / 衡阳的X: a place right before a name (or a list of names
    of one class)."""
    page, orgs = v.page, v.orgs
    for r in v.regions:
        follow = [o for o in orgs if o.m.start >= r.m.end and page[r.m.end:o.m.start] in ADJACENT_LINK
                  and not _inside(r, o)]
        if not follow:
            continue
        chain = [follow[0]]
        for o in orgs:
            if o.m.start > chain[-1].m.end and page[chain[-1].m.end:o.m.start] == "、" and o.cls == chain[0].cls:
                chain.append(o)
        for o in chain:
            yield o.iri, "locatedIn", r.iri, 0.7


def located_by_lead_place(v: SentenceView, st: ArticleState) -> Iterator[Fact]:
    """衡阳市的A入选…，B入选…: a sentence led by a city or county locates the unplaced names in it
    (not companies, which often only do business there)."""
    lead = next((x for x in v.linked if x.cls in REGION or x.cls in ORG), None)
    if lead is None or lead.cls not in ("City", "County") or is_body(v.page, lead):
        return
    placed = {r.subject for r in st.relations if r.predicate == "locatedIn"}
    for o in v.orgs:
        if o.iri not in placed and o.m.start > lead.m.end and o.cls != "Enterprise":
            yield o.iri, "locatedIn", lead.iri, 0.6


def located_by_verb(v: SentenceView, st: ArticleState) -> Iterator[Fact]:
    """X落户天心区 / X位于Y: a placing verb right after the name and a place right after it."""
    for o in v.orgs:
        m = LOCATED_VERB.search(v.page[o.m.end:o.m.end + 6])
        if not m:
            continue
        verb_end = o.m.end + m.end()
        r = next((r for r in v.regions if r.m.start >= verb_end and r.m.start - verb_end <= 3), None)
        if r is not None:
            yield o.iri, "locatedIn", r.iri, 0.8


def participates_by_verb(v: SentenceView, st: ArticleState) -> Iterator[Fact]:
    """A公司承建B项目: a company, a participating verb, then the project, within one clause."""
    for e in v.enterprises:
        for p in (x for x in v.orgs if x.cls == "Project"):
            between = v.page[min(e.m.end, p.m.end):max(e.m.start, p.m.start)]
            if e.m.end <= p.m.start and len(between) <= 12 and PARTICIPATE_VERB.search(between) and "，" not in between:
                yield e.iri, "participatesIn", p.iri, 0.75


SENTENCE_RULES = (located_by_name, participates_by_name, located_by_adjacency, located_by_lead_place,
                  located_by_verb, participates_by_verb)


# --- clause rules ---------------------------------------------------------------------------

def producers(v: SentenceView) -> list[str]:
    """由湖南筑水雕塑艺术有限公司生产: the maker trades what the sentence ships."""
    page = v.page
    return [x.iri for x in v.enterprises
            if page[x.m.start - 1:x.m.start] == "由" and PRODUCER_VERB.match(page[x.m.end:x.m.end + 2])]


def partner_predicate(v: SentenceView, c: ClauseView, p) -> str | None:
    """出口美国 / 对美出口 → exportsTo; 从日本进口 → importsFrom; 对韩国进出口 → tradesWith."""
    page = v.page
    before = page[max(c.start, p.m.start - 2):p.m.start]
    after = page[p.m.end:c.end]
    if before.endswith("出口") or (re.match(r"(?:[^，]{0,6})?出口", after) and "进出口" not in after[:8]):
        return "exportsTo"
    if before[-1:] in ("从", "自") and "进口" in after:
        return "importsFrom"
    if before[-1:] != "出" and page[p.m.end:p.m.end + 2] != "的" and before == "进口":
        return "importsFrom"
    if TRADE_CLAUSE_WORD.search(c.text) or (before[-1:] == "对" and TRADE_WORD.search(v.text)):
        return "tradesWith"
    return None


def trade_partner(v: SentenceView, st: ArticleState, c: ClauseView) -> Iterator[Fact]:
    """同期，对俄罗斯进出口102亿元: the subject in force trades with the marked partner."""
    if not c.in_force:
        return
    for p in c.partners:
        pred = partner_predicate(v, c, p)
        if pred:
            yield c.in_force, pred, p.iri, 0.8


def trade_partner_word(v: SentenceView, st: ArticleState, c: ClauseView) -> Iterator[Fact]:
    """东盟成为长沙第一大贸易伙伴: every country or bloc of a 贸易伙伴 clause."""
    if "贸易伙伴" in c.text and c.in_force:
        for p in (x for x in c.linked if x.cls in PARTNER):
            yield c.in_force, "tradesWith", p.iri, 0.7


def product_trade(v: SentenceView, st: ArticleState, c: ClauseView) -> Iterator[Fact]:
    """出口工程机械 / 汽车、家电等优势产品，出口分别增长 / 对韩国机电产品进出口 (both ways):
    products named in the clause, or earlier in the sentence, traded by the clause's subject,
    else by the sentence's companies, else by the subject in force; and by their makers."""
    directions = [c.verb] if c.verb else (["exports", "imports"] if "进出口" in c.text else [])
    if not directions:
        return
    goods = c.products or ([x for x in v.products if x.m.end <= c.start] if not c.subject and not c.partners else [])
    traders = [c.subject] if c.subject else ([x.iri for x in v.enterprises] or [c.in_force])
    for t in traders + producers(v):
        for p in goods:
            for d in directions:
                yield t, d, p.iri, 0.75 if c.verb else 0.6


def producer_exports(v: SentenceView, st: ArticleState, c: ClauseView) -> Iterator[Fact]:
    """由X公司生产…出口美国: the maker exports to the clause's partners."""
    if c.partners and c.verb == "exports":
        for t in producers(v):
            for p in c.partners:
                yield t, "exportsTo", p.iri, 0.7


CLAUSE_RULES = (trade_partner, trade_partner_word, product_trade, producer_exports)
