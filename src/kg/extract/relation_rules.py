"""Relation rules: small functions over a sentence (or a clause) that yield
(subject, predicate, object, confidence). `relate.Relator` runs them in the order of
`SENTENCE_RULES` then, clause by clause, `CLAUSE_RULES`."""

from __future__ import annotations

import re
from typing import Iterator

from kg.extract import lexicon
from kg.extract.link import COMPANY_ENDING
from kg.extract.sentence_view import (EXPORT_MARK, ORG, PARTNER, REGION, ArticleState, ClauseView, SentenceView, is_body,
                                      is_project_count)

Fact = tuple[str, str, str, float]

LOCATED_VERB = lexicon.pattern("rel_located_verb", longest_first=False)
PARTICIPATE_VERB = lexicon.pattern("rel_participate_verb")
PRODUCER_VERB = lexicon.pattern("rel_producer_verb", "^{}")
TRADE_WORD = lexicon.pattern("rel_trade_word")
TRADE_CLAUSE_WORD = lexicon.pattern("rel_trade_clause_word")
ADJACENT_LINK = ("", "的", "区域的")  # 衡阳的X, 天心区X: nothing or a 的 between place and name
INVESTOR_MARK = lexicon.pattern("rel_investor_mark", "{}$")
SIGN_VERB = lexicon.pattern("rel_sign_verb")
BUILD_PLACE = re.compile("在")
BUILD_VERB = lexicon.pattern("rel_build_verb")
EVENT = lexicon.pattern("obs_event_word")  # one list with the observations' signing totals
# the company form ending a name (…集团有限责任公司, …分公司); a company form before more
# words is the name of a company inside another name (北京X有限公司沧州分公司, X集团Y项目)
OWN_COMPANY_FORM = re.compile(r"(?:集团)?(?:股份)?(?:有限)?(?:责任)?(?:分|子)?公司$|集团$")
COMPANY_FORM = re.compile(r"公司|集团")
BRANCH = re.compile(r"(?:分公司|子公司|分厂)")
CLAUSE_END = re.compile(r"[，,；;：:。]")
PUNCTUATION = re.compile(r"[，。；：、,;:！？!?（）()]")
# 一家机电产品进出口企业: goods naming the kind of a company, not goods a place trades
SERVED = ("对", "为")  # 做好对X等重点企业的服务: a company served, not trading
TRADER_KIND = re.compile(r"(?:进出口|出口|进口)?(?:贸易)?(?:企业|公司|商)")


def _inside(inner, outer) -> bool:
    return outer.m.start <= inner.m.start and inner.m.end <= outer.m.end


# --- sentence rules -------------------------------------------------------------------------

def places_in_name(page: str, o, regions, home: frozenset = frozenset()) -> list:
    """The places an organisation's name shows: 衡阳综保区 → 衡阳, 北京X有限公司沧州分公司 →
    沧州; the place of a company named inside it only when it is the article's own place
    (天津X有限公司Y项目 in a 沧州 story is not in 天津; 沧州X有限公司Y项目 is in 沧州)."""
    out = []
    for r in regions:
        if _inside(r, o) and r is not o:
            rest = OWN_COMPANY_FORM.sub("", page[r.m.end:o.m.end])
            if not COMPANY_FORM.search(rest) or BRANCH.match(rest) or r.iri in home:
                out.append(r)
    return out


def located_by_name(v: SentenceView, st: ArticleState) -> Iterator[Fact]:
    """衡阳综保区 → 衡阳市: a place inside an organisation's name."""
    for o in v.orgs:
        for r in places_in_name(v.page, o, v.regions, frozenset([st.place])):
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
                  and not _inside(r, o) and not places_in_name(page, o, v.regions)]
        if not follow:
            continue
        chain = [follow[0]]
        for o in orgs:
            if o.m.start > chain[-1].m.end and page[chain[-1].m.end:o.m.start] == "、" and o.cls == chain[0].cls:
                chain.append(o)
        for o in chain:
            if not places_in_name(page, o, v.regions):  # 张家界X、郴州威领: 郴州威领 shows its own place
                yield o.iri, "locatedIn", r.iri, 0.7


def located_by_lead_place(v: SentenceView, st: ArticleState) -> Iterator[Fact]:
    """衡阳市的A入选…，B入选…: a sentence led by a city or county locates the unplaced names in it
    (not companies, which often only do business there)."""
    lead = next((x for x in v.linked if x.cls in REGION or x.cls in ORG), None)
    if lead is None or lead.cls not in ("City", "County") or is_body(v.page, lead) or v.page[lead.m.end:lead.m.end + 1] != "的":
        return
    placed = st.placed()
    for o in v.orgs:
        if o.iri not in placed and o.m.start > lead.m.end and o.cls != "Enterprise":
            yield o.iri, "locatedIn", lead.iri, 0.6


def place_after(v: SentenceView, pos: int) -> tuple[int, list]:
    """The place a verb ending at `pos` names (within 3 characters): where its name ends and
    the region, or the regions a park's name shows (落户石家庄经开区 → 石家庄)."""
    x = max((x for x in v.linked if x.m.start >= pos and x.m.start - pos <= 3
             and (x.cls in REGION or x.cls == "Platform")), key=lambda x: (-x.m.start, x.m.end), default=None)
    if x is None:
        return pos, []
    return x.m.end, [x] if x.cls in REGION else places_in_name(v.page, x, v.regions)


def located_by_verb(v: SentenceView, st: ArticleState) -> Iterator[Fact]:
    """X落户天心区 / X位于Y / X两个项目将落户石家庄经开区: a placing verb right after the name
    and a place (or a park) right after it."""
    for o in v.orgs:
        m = LOCATED_VERB.search(v.page[o.m.end:o.m.end + 8])
        if m and not PUNCTUATION.search(v.page[o.m.end:o.m.end + m.start()]):
            for r in place_after(v, o.m.end + m.end())[1][:1]:
                for x in listed_before(v, o):
                    yield x.iri, "locatedIn", r.iri, 0.8


def listed_before(v: SentenceView, o) -> list:
    """o and the names of its class listed right before it (A项目、B项目两个项目将落户…)."""
    chain = [o]
    for x in reversed(v.orgs):
        if x.m.end <= chain[-1].m.start and x.cls == o.cls and v.page[x.m.end:chain[-1].m.start] in ("、", "和", "及"):
            chain.append(x)
    return chain


def located_by_building_place(v: SentenceView, st: ArticleState) -> Iterator[Fact]:
    """X项目由A公司计划在德惠市建设: 在 + a place + a building verb after a project, in its clause."""
    for p in (x for x in v.orgs if x.cls == "Project"):
        clause_end = next((e for c, e in v.clauses if c <= p.m.start <= e), v.sent.end)
        for m in BUILD_PLACE.finditer(v.page, p.m.end, clause_end):
            end, places = place_after(v, m.end())
            if places and BUILD_VERB.match(v.page, end):
                yield p.iri, "locatedIn", places[0].iri, 0.75
                break


def located_by_verb_before(v: SentenceView, st: ArticleState) -> Iterator[Fact]:
    """落户万柏林区的泰康…项目 / 位于常德高新区的中联农机…产业园项目: verb, place, 的, name."""
    page = v.page
    for m in LOCATED_VERB.finditer(v.text):
        place_end, places = place_after(v, v.sent.start + m.end())
        if not places:
            continue
        o = next((o for o in v.orgs if o.m.start > place_end and page[place_end:place_end + 1] == "的"
                  and o.m.start - place_end <= 5 and not PUNCTUATION.search(page[place_end:o.m.start])), None)
        for r in places if o is not None else []:
            yield o.iri, "locatedIn", r.iri, 0.8


def located_by_later_verb(v: SentenceView, st: ArticleState) -> Iterator[Fact]:
    """华为…项目总投资15亿元，落地晋源区: a clause opening with a placing verb places the
    organisation the sentence opens with."""
    first = max((x for x in v.linked if x.m.start == v.sent.start), key=lambda x: x.m.end, default=None)
    if first is None or first.cls not in ORG:
        return
    for c_start, _ in v.clauses[1:]:
        m = LOCATED_VERB.match(v.page, c_start)
        for r in place_after(v, m.end())[1][:1] if m else []:
            yield first.iri, "locatedIn", r.iri, 0.7


def participates_by_verb(v: SentenceView, st: ArticleState) -> Iterator[Fact]:
    """A公司承建B项目 / A公司的B项目: a company, a participating verb (or 的), then the
    project, within one clause."""
    for e in v.enterprises:
        for p in (x for x in v.orgs if x.cls == "Project"):
            between = v.page[min(e.m.end, p.m.end):max(e.m.start, p.m.start)]
            if e.m.end <= p.m.start and len(between) <= 12 and not CLAUSE_END.search(between) and (
                    PARTICIPATE_VERB.search(between) or between == "的"):
                yield e.iri, "participatesIn", p.iri, 0.75


def participates_by_investor(v: SentenceView, st: ArticleState) -> Iterator[Fact]:
    """X项目由A公司计划在Y建设 / X项目…，投资方为A公司: the investor named after the project
    (由 with a participating verb after the company)."""
    page = v.page
    for p in (x for x in v.orgs if x.cls == "Project"):
        for e in v.enterprises:
            if e.m.start <= p.m.end or PUNCTUATION.search(page[p.m.end:e.m.start].replace("，", "")):
                continue
            mark = INVESTOR_MARK.search(page[max(p.m.end, e.m.start - 5):e.m.start])
            after = page[e.m.end:e.m.end + 12].split("，")[0]
            if mark and (mark.group(0) != "由" or PARTICIPATE_VERB.search(after)):
                yield e.iri, "participatesIn", p.iri, 0.75


def located_by_signing(v: SentenceView, st: ArticleState) -> Iterator[Fact]:
    """A公司与东河区签下X项目 / 长春农安经开区与A公司签署X项目: the place (or the park) that
    signs a project with a company is where the project is."""
    page = v.page
    for p in (x for x in v.orgs if x.cls == "Project"):
        clause_start = max([c for c, _ in v.clauses if c <= p.m.start] or [v.sent.start])
        head = page[clause_start:p.m.start]
        m = SIGN_VERB.search(head)
        if not m or not v.enterprises:
            continue
        signers = [x for x in v.linked if clause_start <= x.m.start and x.m.end <= clause_start + m.start()
                   and (x.cls in REGION or x.cls == "Platform") and page[x.m.start - 1:x.m.end + 1].count("与") >= 1]
        for x in signers[:1]:
            for r in [x] if x.cls in REGION else places_in_name(page, x, v.regions):
                yield p.iri, "locatedIn", r.iri, 0.7


SENTENCE_RULES = (located_by_name, participates_by_name, located_by_adjacency, located_by_lead_place,
                  located_by_verb, located_by_verb_before, located_by_later_verb, located_by_signing,
                  located_by_building_place,
                  participates_by_verb, participates_by_investor)


# --- clause rules ---------------------------------------------------------------------------

def producers(v: SentenceView) -> list[str]:
    """由湖南筑水雕塑艺术有限公司生产: the maker trades what the sentence ships."""
    page = v.page
    return [x.iri for x in v.enterprises
            if page[x.m.start - 1:x.m.start] == "由" and PRODUCER_VERB.match(page[x.m.end:x.m.end + 2])]


def partner_predicate(v: SentenceView, c: ClauseView, p) -> str | None:
    """出口美国 / 对美出口 / 远销俄罗斯 → exportsTo; 从日本进口 → importsFrom; 对韩国进出口 →
    tradesWith; a name later in a list (销往英国、墨西哥以及东南亚) as the list's first."""
    page = v.page
    head = list_head(page, c, p)
    if head is not p:
        return partner_predicate(v, c, head)
    before = page[max(c.start, p.m.start - 2):p.m.start]
    after = page[p.m.end:c.end]
    if before.endswith("出口") or (re.match(r"(?:[^，]{0,6})?出口", after) and "进出口" not in after[:8]):
        return "exportsTo"
    if EXPORT_MARK.search(page[max(c.start, p.m.start - 3):p.m.start]):
        return "exportsTo"
    if before[-1:] in ("从", "自") and "进口" in after:
        return "importsFrom"
    if before[-1:] != "出" and page[p.m.end:p.m.end + 2] != "的" and before == "进口":
        return "importsFrom"
    if TRADE_CLAUSE_WORD.search(c.text) or (before[-1:] == "对" and TRADE_WORD.search(v.text)):
        return "tradesWith"
    return None


def list_head(page: str, c: ClauseView, p):
    """The first partner of the list p is in (英国、墨西哥以及东南亚 → 英国), else p."""
    head = p
    for x in reversed([x for x in c.partners if x.m.end <= p.m.start]):
        if page[x.m.end:head.m.start] in ("、", "和", "及", "以及"):
            head = x
    return head


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
    goods = [x for x in goods if not TRADER_KIND.match(v.page, x.m.end)]
    traders = [c.subject] if c.subject else ([x.iri for x in v.enterprises if v.page[x.m.start - 1:x.m.start] not in SERVED]
                                             or [earlier_subject(v, st, c) or c.in_force])
    for t in traders + producers(v):
        for p in goods:
            for d in directions:
                yield t, d, p.iri, 0.75 if c.verb else 0.6


def earlier_subject(v: SentenceView, st: ArticleState, c: ClauseView) -> str | None:
    """作为…功能区，X已引进企业70余家，业务主要涵盖…汽车平行进口: the subject named in the
    nearest earlier clause of the sentence."""
    for c_start, c_end in reversed([(a, b) for a, b in v.clauses if b <= c.start]):
        subj = st.subject_of(v.within(c_start, c_end), v.page[c_start:c_end])
        if subj:
            return subj
    return None


def producer_exports(v: SentenceView, st: ArticleState, c: ClauseView) -> Iterator[Fact]:
    """由X公司生产…出口美国: the maker exports to the clause's partners."""
    if c.partners and c.verb == "exports":
        for t in producers(v):
            for p in c.partners:
                yield t, "exportsTo", p.iri, 0.7


CLAUSE_RULES = (trade_partner, trade_partner_word, product_trade, producer_exports)


# --- article rules (over all its sentences, after the sentence rules) ------------------------

def located_in_story_place(views: list[SentenceView], st: ArticleState) -> Iterator[tuple[SentenceView, Fact]]:
    """An investment story (签约, 开工, 落地 …) locates the projects it names in its own place,
    the city or county it names most (沧州…78个重点项目集中开工 … X项目, Y项目)."""
    place = st.place
    if place is None or not st.investment_story:
        return
    placed = {r.subject for r in st.relations if r.predicate == "locatedIn" and r.object == place}
    for v in views:
        for p in v.orgs:
            if p.cls == "Project" and p.iri not in placed and not is_project_count(p):
                placed.add(p.iri)
                yield v, (p.iri, "locatedIn", place, 0.55)


def _short_name(v: SentenceView, x) -> str:
    """A name without the place it opens with: 湖南中联农机 → 中联农机, 长沙县X项目 → X项目."""
    lead = max((r.m.end for r in v.regions if r.m.start == x.m.start and r.m.end < x.m.end), default=x.m.start)
    return v.page[lead:x.m.end]


def participates_by_short_name(views: list[SentenceView], st: ArticleState) -> Iterator[tuple[SentenceView, Fact]]:
    """石药控股集团有限公司 … 石药新产品产业化项目: a project named by a company of the article
    (its name without place and company form: 石药) is the company's."""
    cores = {}
    for v in views:
        for e in v.enterprises:
            core = COMPANY_ENDING.sub("", _short_name(v, e))
            if len(core) >= 2 and not core.isascii():
                cores.setdefault(core, e.iri)
    if not cores:
        return
    joined = {(r.subject, r.object) for r in st.relations if r.predicate == "participatesIn"}
    for v in views:
        for p in v.orgs:
            if p.cls != "Project":
                continue
            name = _short_name(v, p)
            for core, firm in cores.items():
                if name.startswith(core) and len(name) > len(core) + 2 and (firm, p.iri) not in joined:
                    joined.add((firm, p.iri))
                    yield v, (firm, "participatesIn", p.iri, 0.6)


ARTICLE_RULES = (located_in_story_place, participates_by_short_name)
