"""What the relation and observation rules look at: one sentence of an article with its linked
mentions and clauses (`SentenceView`), one clause of it (`ClauseView`), and what carries over
from sentence to sentence (`ArticleState`: the subject, the period, the facts so far)."""

from __future__ import annotations

import bisect
import itertools
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property

from kg.extract import lexicon
from kg.extract.numbers import AMOUNT
from kg.model import Article, Mention, Observation, Relation, Sentence
from kg.vocab import ORG_CLASSES, PARTNER_CLASSES, REGION_CLASSES

REGION = REGION_CLASSES
PARTNER = PARTNER_CLASSES
ORG = ORG_CLASSES
SUBJECT = REGION | ORG
REGION_LEVEL = {"Province": 1, "City": 2, "County": 3}
CLAUSE_BREAK = re.compile(r"[，；：,;:（）()]")
OPEN, CLOSE = "（(", "）)"
EXPORT_WORD = re.compile(r"(?<!进)出口")  # 出口 alone, not inside 进出口
COUNT = re.compile(r"[\d一二两三四五六七八九十百]+个")
PARTNER_MARK = lexicon.pattern("rel_partner_mark", "{}$")
BODY_AFTER_PLACE = lexicon.pattern("rel_body_after_place", "^{}")
CHINA_SUBJECT_NEXT = lexicon.pattern("obs_china_subject_next", "^{}")
EXPORT_MARK = lexicon.pattern("rel_export_mark", "{}$")
SHIPPING_VERB = lexicon.pattern("rel_export_mark")  # 远销, 销往 … anywhere in a clause
LIST_LINK = ("、", "及")  # 英国、墨西哥以及东南亚: the next name of a list
COMPARISON_MARK = lexicon.pattern("obs_comparison_mark", "{}$")
# 全省 → the page's most named province; file order: the first word found wins
SELF_REFERENCE = tuple(tuple(line.split()) for line in lexicon.words("obs_self_reference"))


@dataclass
class Linked:
    """A mention in a sentence with the IRI it was linked to (and its class, read often)."""

    m: Mention
    iri: str
    cls: str = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        self.cls = self.m.cls


def home_regions(linked_all: list[Linked]) -> dict[str, str]:
    """The article's own province, city and county: the most named of each (for 全省, 全市, 我省)."""
    home = {}
    for level in ("Province", "City", "County"):
        counts = Counter(x.iri for x in linked_all if x.cls == level)
        if counts:
            home[level] = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
    return home


def inside_orgs(linked: list[Linked]):
    """A test of whether a mention lies inside the name of one of LINKED's organisations, at
    a bisection per mention (an article of many names must not cost names × organisations):
    some name contains x when the names starting at or before x reach on to x's end."""
    spans = sorted((x.m.start, x.m.end) for x in linked if x.cls in ORG)
    starts = [s for s, _ in spans]
    reach = list(itertools.accumulate((e for _, e in spans), max))

    def inside(x: Linked) -> bool:
        k = bisect.bisect_right(starts, x.m.start) - 1
        return k >= 0 and reach[k] >= x.m.end
    return inside


def story_place(linked_all: list[Linked]) -> str | None:
    """The city or county an article is about: the one it names most on its own (not inside
    another name: 北京X药业有限公司 in a 沧州 story names 北京 without being about it), at
    least twice, more than any other and no less than any province; else none (a story of a
    whole province, or of several cities)."""
    inside = inside_orgs(linked_all)
    counts = Counter(x.iri for x in linked_all if x.cls in REGION and not inside(x))
    levels = {x.iri: x.cls for x in linked_all}
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    local = [(iri, n) for iri, n in ranked if levels[iri] != "Province"]
    if not local or local[0][1] < 2 or (len(local) > 1 and local[1][1] == local[0][1]):
        return None
    return local[0][0] if ranked[0][1] <= local[0][1] else None


def clause_spans(s: Sentence) -> list[tuple[int, int]]:
    """The sentence cut at commas, semicolons and colons outside brackets, as page offsets
    (对美国和欧盟(27国，不含英国)分别进出口… is one clause)."""
    spans, pos, depth = [], s.start, 0
    for m in CLAUSE_BREAK.finditer(s.text):
        if m.group(0) in OPEN:
            depth += 1
        elif m.group(0) in CLOSE:
            depth = max(depth - 1, 0)
        elif depth == 0:
            spans.append((pos, s.start + m.start()))
            pos = s.start + m.end()
    spans.append((pos, s.end))
    return spans


def in_brackets(page: str, start: int, pos: int) -> bool:
    """Whether `pos` is inside brackets opened after `start` (欧盟(27国，不含英国))."""
    text = page[start:pos]
    return sum(text.count(c) for c in OPEN) > sum(text.count(c) for c in CLOSE)


def is_body(page: str, x: Linked) -> bool:
    """A place named as a government body (长沙海关, 衡阳市政府), not as a place."""
    return x.cls in REGION and BODY_AFTER_PLACE.match(page[x.m.end:x.m.end + 4]) is not None


@dataclass
class ArticleState:
    """One article being related: its context, and what carries over between its sentences."""

    page: str
    article: Article
    china: str
    home: dict[str, str]
    subject: str | None = None  # carried to later sentences from a clause that states a figure
    period: tuple[str, str | None, str | None] | None = None
    relations: list[Relation] = field(default_factory=list)
    observations: list[Observation] = field(default_factory=list)
    year: int | None = None     # the article's year, moved on by a later year the text states
    seen: list[Linked] = field(default_factory=list)  # mentions of the sentences before
    clause_subjects: dict[int, str | None] = field(default_factory=dict)  # in force at each clause
    last_partner: tuple[str, str | None] | None = None  # (subject, partner) of the last figure
    place: str | None = None    # the city or county the article is about (`story_place`)
    classes: dict[str, str] = field(default_factory=dict)  # entity IRI → class, for the article
    investment_story: bool = False  # the article tells of signings, ground-breakings …

    def __post_init__(self):
        self.year = self.article.year
        self._placed: set[str] = set()
        self._placed_upto = 0

    def placed(self) -> set[str]:
        """The subjects of the article's locatedIn relations so far, read from `relations` a
        new relation at a time (a long article must not be rescanned for every sentence)."""
        for r in self.relations[self._placed_upto:]:
            if r.predicate == "locatedIn":
                self._placed.add(r.subject)
        self._placed_upto = len(self.relations)
        return self._placed

    def subject_of(self, in_clause: list[Linked], clause: str) -> str | None:
        """Who a clause is about: its first place, company, park or project not marked as a
        partner, a venue (在X举行) or a modifier (位于Y的X: X); else 我国, 全省, 全市."""
        for x in in_clause:
            if is_subject(self.page, x, in_clause):
                return x.iri
        if clause.startswith("全国") or any(not PARTNER_MARK.search(clause[:i]) for i in find_all(clause, "我国")):
            return self.china
        for word, level in SELF_REFERENCE:
            if level in self.home and any(not COMPARISON_MARK.search(clause[:i]) for i in find_all(clause, word)):
                return self.home[level]
        return None


def find_all(text: str, word: str) -> list[int]:
    """Where `word` occurs in `text` (plain search: most clauses have none)."""
    out, i = [], text.find(word)
    while i >= 0:
        out.append(i)
        i = text.find(word, i + 1)
    return out


def is_subject(page: str, x: Linked, in_clause: list[Linked]) -> bool:
    """A mention that can be what its clause is about (see `ArticleState.subject_of`)."""
    if x.cls not in SUBJECT and not (x.cls == "Country" and x.m.key == "CN" and heads_a_figure(page, x)):
        return False
    if is_body(page, x) or PARTNER_MARK.search(page[x.m.start - 1:x.m.start]) or is_project_count(x):
        return False
    if x.cls in ORG and page[x.m.start - 1:x.m.start] == "在":
        return False  # 芦苞镇在佛山新能源汽车产业园举行活动: a venue
    return not any(o is not x and (is_inside(x, o) or heads(page, x, o)) for o in in_clause)


def heads_a_figure(page: str, x: Linked) -> bool:
    """中国 followed by punctuation or a statistic (中国对东盟进出口…), not by the rest of a
    name (中国制造强国论坛, 中国500强企业)."""
    after = page[x.m.end:x.m.end + 6]
    return not re.match(r"[\u4e00-\u9fff\w]", after) or CHINA_SUBJECT_NEXT.match(after) is not None


def is_project_count(x: Linked) -> bool:
    """现代能源类9个项目, 另有1个项目: a count of projects, not a named one."""
    return x.cls == "Project" and COUNT.search(x.m.text) is not None


def is_inside(x: Linked, o: Linked) -> bool:
    """A place inside a name (衡阳 in 衡阳综保区) is not the subject."""
    return o.cls in ORG and o.m.start <= x.m.start and x.m.end <= o.m.end


def heads(page: str, x: Linked, o: Linked) -> bool:
    """o is the head x qualifies: 中国新疆, 位于常德高新区的（中联农机）湖南智能农机产业园."""
    if x.cls == "Country" and o.cls in REGION:
        return o.m.start == x.m.end
    if x.cls in REGION and o.cls in REGION:  # 黑龙江省绥芬河市: the city is the subject
        return o.m.start == x.m.end and REGION_LEVEL.get(x.cls, 9) < REGION_LEVEL.get(o.cls, 0)
    if o.cls not in ORG or o.m.start < x.m.end:
        return False
    if o.m.start == x.m.end:
        return True
    gap = page[x.m.end:o.m.start]
    return gap[0] == "的" and len(gap) <= 5 and not re.search(r"[，；：,;:。、]", gap)


@dataclass(frozen=True)
class SentenceView:
    """One sentence: the page text, the sentence, its linked mentions and its clauses."""

    page: str
    sent: Sentence
    linked: list[Linked]

    @property
    def text(self) -> str:
        return self.sent.text

    @cached_property
    def clauses(self) -> list[tuple[int, int]]:
        return clause_spans(self.sent)

    @cached_property
    def orgs(self) -> list[Linked]:
        return [x for x in self.linked if x.cls in ORG]

    @cached_property
    def regions(self) -> list[Linked]:
        return [x for x in self.linked if x.cls in REGION]

    @cached_property
    def enterprises(self) -> list[Linked]:
        return [x for x in self.linked if x.cls == "Enterprise"]

    @cached_property
    def products(self) -> list[Linked]:
        return [x for x in self.linked if x.cls == "Product"]

    @cached_property
    def support(self) -> dict[str, str]:
        """How each IRI of the sentence was found (gazetteer, user, pattern, list)."""
        return {x.iri: x.m.source for x in self.linked}

    def within(self, start: int, end: int) -> list[Linked]:
        return [x for x in self.linked if start <= x.m.start and x.m.end <= end]


def is_partner(page: str, c_start: int, x: Linked) -> bool:
    """A country or bloc marked as a partner: 对俄罗斯, 出口美国, 远销俄罗斯, 、欧盟, 以及东南亚."""
    return x.cls in PARTNER and (
        PARTNER_MARK.search(page[max(c_start, x.m.start - 1):x.m.start]) is not None
        or page[max(c_start, x.m.start - 2):x.m.start] in ("出口", "进口")
        or EXPORT_MARK.search(page[max(c_start, x.m.start - 3):x.m.start]) is not None
        or page[x.m.start - 1:x.m.start] in LIST_LINK)


def trade_verb(clause: str) -> str | None:
    """exports for 出口 or a shipping verb (远销, 销往 …), imports for 进口 alone; 进出口 is neither."""
    verb = None
    if EXPORT_WORD.search(clause) or SHIPPING_VERB.search(clause):
        verb = "exports"
    if "进口" in clause and "进出口" not in clause:
        verb = "imports"
    return verb


@dataclass(frozen=True)
class ClauseView:
    """One clause of a sentence: its span, text, mentions, own subject and the subject in force."""

    start: int
    end: int
    text: str
    linked: list[Linked]
    partners: list[Linked]
    subject: str | None       # named in the clause
    in_force: str | None      # the clause's own subject, else the one carried over
    products: list[Linked]
    verb: str | None


def clause_view(st: ArticleState, v: SentenceView, c_start: int, c_end: int) -> ClauseView:
    """The clause's view; a clause naming a subject and stating a figure or partner carries it on."""
    page = v.page
    clause = page[c_start:c_end]
    in_clause = v.within(c_start, c_end)
    partners = [x for x in in_clause if is_partner(page, c_start, x)]
    st.clause_subjects[c_start] = st.subject
    subj = st.subject_of(in_clause, clause)
    if subj and (AMOUNT.search(clause) or partners):
        st.subject = subj
    return ClauseView(c_start, c_end, clause, in_clause, partners, subj, subj or st.subject,
                      [x for x in in_clause if x.cls == "Product"], trade_verb(clause))
