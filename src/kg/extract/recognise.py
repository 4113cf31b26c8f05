"""Stage 4, recognise: mentions (span + class) in each sentence.

The sources (`kg.extract.recognise_sources.SOURCES`, an ordered table) are each general
rather than tied to any page:
- the gazetteer (regions, countries, blocs, products, well-known enterprises, user terms),
  one Aho-Corasick pass per sentence;
- suffix patterns (有限公司, 集团, 项目, 产业集群, 综保区, 经开区, 国际陆港 …) whose left
  edge is found by cutting at boundary words (由, 与, 签约, 落户 …) and generic openers;
- list contexts: "A、B、C等企业", "A、B5家企业上榜", "出口A、B、C…" in trade sentences.
Overlaps are resolved per layer (places; products; organisations), so a place inside a
company name is still a mention of the place (岳阳金龙马实业有限公司 names 岳阳市).
"""

from __future__ import annotations

import functools
import re

from kg.extract.gazetteer import Gazetteer, jieba_ready
from kg.extract.lexicon import alternation
from kg.extract.lexicon import words as lexicon_words
from kg.extract.recognise_goods import TRADE_CONTEXT
from kg.extract.recognise_sources import SOURCES
from kg.extract.wordcut import WordBounds, jieba_bounds
from kg.model import Mention, Sentence
from kg.vocab import GEO_CLASSES, ORG_CLASSES, REGION_CLASSES

GEO = GEO_CLASSES
ORG = ORG_CLASSES
_NAME_CHAR = re.compile(r"[\u4e00-\u9fffA-Za-z0-9()“”·\-]")
# one-character province names (湘, 沪 …) and corridor openers (中欧, 西部 …) that start proper names
_ABBREVIATED_PLACE = re.compile("^(?:" + alternation("rec_abbreviated_places", longest_first=False) + ")")
_VILLAGE = re.compile(r"(?<!农)(?<!乡)(?<!城)[\u4e00-\u9fff]{1,3}?(?<![农乡城])[村镇乡](?![民级镇村])")
_STREET = re.compile("(?:" + alternation("rec_street_words") + ")(?![省市县区州])")
_NEWSPAPER = re.compile(alternation("rec_newspapers"))
# a count, a date or an amount ("2022年", "前10个月", "10亿元以上") is never inside a name
_COUNT = re.compile(r"[\d.]+(?:" + alternation("rec_count_units", longest_first=False) + ")")
_COMPANY_END = re.compile(alternation("link_company_forms") + "$")
_DECIMAL_POINT = re.compile(r"\d\.\d")  # 1.5GWh钠离子电池产线项目
_JOINERS = ("及", "和", "与")
_SOURCE_RANK = {"user": 0, "gazetteer": 1, "pattern": 2, "list": 3}


def longest(mentions: list[Mention]) -> list[Mention]:
    """Leftmost-longest selection; dictionary beats pattern on equal spans."""
    ordered = sorted(mentions, key=lambda m: (-(m.end - m.start), _SOURCE_RANK.get(m.source, 9), m.start))
    taken: list[Mention] = []
    for m in ordered:
        if all(m.end <= t.start or m.start >= t.end for t in taken):
            taken.append(m)
    return sorted(taken, key=lambda m: (m.start, m.end))


def _apart(m: Mention, others: list[Mention]) -> bool:
    return all(m.end <= o.start or m.start >= o.end for o in others)


def _within(inner: Mention, outer: Mention) -> bool:
    """A place inside a goods name (德国啤酒) is a mention of both."""
    return outer.start <= inner.start and inner.end <= outer.end


class Recogniser:
    """Callable stage: (page text, sentence) → mentions; holds the compiled gazetteer."""

    def __init__(self, gazetteer: Gazetteer):
        self.gaz = gazetteer
        self.suffix_re = re.compile("|".join(re.escape(s) for _, s, _ in gazetteer.patterns))
        self.suffix_info = {s: (c, m) for c, s, m in gazetteer.patterns}
        self.freq = jieba_ready().dt.FREQ
        self.generic = tuple(gazetteer.generic)  # generic openers (一批, 重点 …): str.startswith takes a tuple
        self._hits: tuple[str, list] = ("", [])

    def hits(self, text: str) -> list:
        """The gazetteer's hits in a sentence's text: several sources ask, so the last
        sentence's are kept and the automaton runs once per sentence."""
        if self._hits[0] != text or not text:
            self._hits = (text, list(self.gaz.find(text)))
        return self._hits[1]

    # -- helpers the sources share --------------------------------------------------------
    @staticmethod
    def word_bounds(text: str, offset: int) -> "WordBounds":
        """Word boundaries of jieba's segmentation: a short place name must not cut a word (湘南|平均)."""
        return WordBounds(text, offset)

    @functools.cached_property
    def boundary_words(self) -> tuple[frozenset, list[int]]:
        """The boundary words (boundaries.txt) and their distinct lengths."""
        words = frozenset(self.gaz.boundaries)
        return words, sorted({len(w) for w in words})

    @functools.cached_property
    def platform_kinds(self) -> str:
        """The platform suffixes of patterns.tsv as a regex alternation (longest first)."""
        return "|".join(re.escape(s) for c, s, _ in self.gaz.patterns if c == "Platform")

    @functools.cached_property
    def platform_kind_re(self) -> re.Pattern:
        """platform_kinds compiled: a zone kind (综保区, 经开区 …) found or matched in text."""
        return re.compile(self.platform_kinds)

    @functools.cached_property
    def place_boundary_words(self) -> tuple[frozenset, list[int]]:
        """Boundary words before a project's or platform's name: also 建设, 打造 …"""
        words = frozenset(self.gaz.boundaries) | frozenset(lexicon_words("rec_verbs_before_places"))
        return words, sorted({len(w) for w in words})

    def left_edge(self, text: str, end: int, limit: int = 24, joined: bool = False, place: bool = False) -> int:
        """Where a name ending at `end` starts: a run of name characters cut at boundary words.

        With joined=True the conjunctions 及/和/与 stay inside the name (非遗及文旅产品); with
        place=True the name is a project's or platform's (see place_boundary_words).
        """
        start = end
        while start > 0 and end - start < limit and (_NAME_CHAR.match(text[start - 1]) or _DECIMAL_POINT.match(text, start - 2)):
            start -= 1
        run = text[start:end]
        # cut after the last boundary word that jieba also reads as a word of its own
        # (据 ends "据海关统计" but not "数据"; 经 ends "经怀化" but not "经济")
        cut = self._after_boundary_word(run, joined, self.place_boundary_words if place else self.boundary_words)
        for m in _COUNT.finditer(run):
            if m.end() < len(run):
                cut = max(cut, m.end())
        return start + cut

    def _after_boundary_word(self, run: str, joined: bool, boundary: tuple[frozenset, list[int]]) -> int:
        """Offset in run after the last boundary word that jieba also reads as a word of its own
        (据 ends "据海关统计" but not "数据"; 经 ends "经怀化" but not "经济"), or that ends a
        four-character word of jieba's (全力支持 ends in 支持; 进出口 is no verb)."""
        bounds = jieba_bounds(run)
        at_bound = set(bounds)
        words, lengths = boundary
        base = self.boundary_words[0]
        cut = 0
        for i, j in zip(bounds, bounds[1:]):
            for n in lengths:
                word = run[i:i + n]
                if len(word) == n and word in words and i + n in at_bound and not (joined and word in _JOINERS):
                    # 建设 before a name cuts (建设佛北产业园), but not at its end (旅居车建设项目)
                    if i + n < len(run) or word in base:
                        cut = max(cut, i + n)
                tail = run[max(i, j - n):j]
                if n >= 2 and j - i >= n + 2 and len(tail) == n and tail in words:
                    cut = max(cut, j)
        return cut

    def _places_in(self, text: str):
        return [h for h in self.gaz.find(text) if any(e.cls in GEO for e in h[3])]

    def leading_place(self, text: str, regions_only: bool = False) -> int:
        """Length of the longest place name at the start of text (0 if none): 天心区|大唐先一.
        With regions_only, only a Chinese division counts (湖南|工程机械, not 德国|啤酒)."""
        return max((h[1] for h in self._places_in(text) if h[0] == 0
                    and (not regions_only or any(e.cls in REGION_CLASSES for e in h[3]))), default=0)

    def is_place(self, text: str) -> bool:
        """Whether the whole of text is one place name (霍尔果斯, 乌鲁木齐)."""
        return any(h[0] == 0 and h[1] == len(text) for h in self._places_in(text))

    def place_ends_at(self, text: str, tail: int) -> bool:
        """Whether text ends with a place name longer than its last `tail` characters (东港区 ends
        毕节市东港区: its 港区 is part of the district's name)."""
        return any(h[1] == len(text) and h[1] - h[0] > tail for h in self._places_in(text))

    def first_place(self, text: str) -> int:
        """Where the first place name in text starts (0 if none)."""
        return min((h[0] for h in self._places_in(text)), default=0)

    def company_at_start(self, text: str) -> bool:
        """Whether text is a company's name: a known enterprise or a name with a company form."""
        return bool(_COMPANY_END.search(text)) or any(
            h[0] == 0 and h[1] == len(text) and any(e.cls == "Enterprise" for e in h[3]) for h in self.gaz.find(text))

    def outer_place(self, text: str, company: bool = False) -> int:
        """Length of a leading place that only says where a named place lies: 黑龙江省|东宁口岸,
        福建省|福州市高新区. For a company only a place before its province
        goes (锦州市|辽宁某某制药装备股份有限公司), since 湖南长沙某某有限公司 is a registered name."""
        hits = self._places_in(text)
        first = max((h for h in hits if h[0] == 0), key=lambda h: h[1], default=None)
        if first is None:
            return 0
        levels = {"Province"} if company else {"Province", "City", "County"}
        if not company and not any(e.cls == "Province" for e in first[3]):
            return 0  # 中国 heads national names (中国长沙人力资源服务产业园) and stays
        follows = any(h[0] == first[1] and any(e.cls in levels for e in h[3]) for h in hits)
        return first[1] if follows else 0

    def distinctive(self, name: str) -> bool:
        """A project or platform name needs something proper in it: a place, a company, a quoted or Latin name."""
        quoted = re.search(r"“([^”]*)”", name)
        if quoted and (re.search(r"\d|·", quoted.group(1)) or len(quoted.group(1)) > 10):
            return False  # a slogan or a count in quotes ("三类500强", "工会进万家·…") is no name
        if re.search(r"[“A-Za-z0-9]", name) or _ABBREVIATED_PLACE.match(name) or _VILLAGE.search(name):
            return True
        return any(e.cls in GEO or e.cls == "Enterprise" for _, _, _, es in self.gaz.find(name) for e in es)

    # -- resolution -----------------------------------------------------------------------
    def _part_of_word(self, text: str, s: int, e: int) -> bool:
        """A short place name that is the head of a longer common word (印度洋, 中国人民…)."""
        if e - s != 2:
            return False
        if _STREET.match(text, e):
            return True
        for k in (1, 2):
            longer = text[s:e + k]
            if len(longer) == 2 + k and longer[-1] not in "市县区省州" and self.freq.get(longer, 0) >= 100:
                return True
        return False

    @staticmethod
    def _organisations(candidates: list[Mention]) -> list[Mention]:
        """Leftmost-longest organisations, plus companies named inside a project's or platform's
        name (中国电信 in 中国电信中南智能算力中心)."""
        orgs = longest(candidates)
        inner = [c for c in candidates if c.cls == "Enterprise" and c.source in ("gazetteer", "user", "pattern")
                 and any(o.cls != "Enterprise" and o.start <= c.start and c.end <= o.end and c is not o for o in orgs)]
        return sorted(orgs + longest(inner), key=lambda m: (m.start, m.end))

    def _places(self, page_text: str, candidates: list[Mention], orgs: list[Mention]) -> list[Mention]:
        geo = [m for m in longest(candidates)
               if not self._part_of_word(page_text, m.start, m.end)
               and not _NEWSPAPER.match(page_text, m.end)]
        # 中国 at the head of an organisation's name (中国电信) is not the country
        org_starts = {m.start for m in orgs if m.cls == "Enterprise"}
        geo = [m for m in geo if not (m.key == "CN" and m.start in org_starts)]
        # a place must not straddle an organisation's edge
        return [m for m in geo if all(m.end <= o.start or m.start >= o.end
                                      or (o.start <= m.start and m.end <= o.end) for o in orgs)]

    def __call__(self, page_text: str, sentence: Sentence) -> list[Mention]:
        found = [m for source in SOURCES for m in source(self, page_text, sentence)]
        orgs = self._organisations([m for m in found if m.cls in ORG])
        geo = self._places(page_text, [m for m in found if m.cls in GEO], orgs)
        products = []
        if TRADE_CONTEXT.search(sentence.text):  # goods are named only where trade is reported
            products = [p for p in longest([m for m in found if m.cls == "Product"])
                        if _apart(p, orgs) and all(_apart(p, [g]) or _within(g, p) for g in geo)]
        return sorted(geo + orgs + products, key=lambda m: (m.start, m.end, m.cls))
