"""The recogniser's sources: each a small function (recogniser, page text, sentence) → mentions.

`SOURCES` is the ordered table the recogniser runs; the order is the order in which
candidates meet the overlap resolution (dictionary first, then suffix names, then lists),
so it is part of the output. Word lists live in ``kg/data/lexicon/rec_*.txt``.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from kg.extract.lexicon import alternation, words
from kg.extract.lexicon import pattern as lexicon_pattern
from kg.extract.recognise_goods import GOODS_SOURCES
from kg.model import Mention, Sentence
from kg.vocab import GEO_CLASSES, REGION_CLASSES

if TYPE_CHECKING:  # the recogniser passes itself in; no import cycle at run time
    from kg.extract.recognise import Recogniser

GEO = GEO_CLASSES
CJK = re.compile(r"[\u4e00-\u9fff]")
# a company name that runs on into an institution's name (中国电子信息产业发展研究院) is the institution
_INSTITUTION_AFTER = re.compile(r"[\u4e00-\u9fff]{0,10}(?:" + alternation("rec_institutions") + ")")
# programmes and research tasks named "…项目" are not investment or construction projects
_ACTIVITY_PROJECT = re.compile("(?:" + alternation("rec_activity_projects") + ")项目$")
_GENERIC_CLUSTER = re.compile(r"\d|[一二三四五六七八九十两百千万]大|" + alternation("rec_generic_cluster"))
_NOT_COMPANY = re.compile("(?:" + alternation("rec_not_company_tails") + ")$")
_NOT_A_NAME = re.compile(r"[\d“”%]|国家")
_PERSON = re.compile("(?:" + alternation("rec_person_tails") + ")$")
_COUNT_BEFORE_SUFFIX = re.compile(r"(?:\d+|[一二三四五六七八九十两]+)[家个条项批座]$")
_PROJECT_JOIN = re.compile(r"项目[和及与、]")
_JOINERS = "和及与"
_COUNT_AFTER = re.compile(r"\s*(?:\d+|[一二三四五六七八九十两]+)[个项](?!项目)")
_ZONE_KIND = re.compile("(?:" + alternation("rec_zone_kinds") + ")$")
_PROJECT_WORKS = re.compile(alternation("rec_project_works"))
_BRANCH = frozenset(words("rec_branch_suffixes"))
_COMPANY_TRADE = re.compile(alternation("rec_company_trades"))
_REGISTERED_FORM = re.compile(r"(?:公司|集团|银行|分行)$")
_COMPANY_AFTER = re.compile(r"(?:发展|投资|建设|控股|开发|实业)?(?:集团|公司|有限)")
_NOT_PORT = lexicon_pattern("rec_not_port_after")  # matched at the character after 港
_NAME_GOES_ON = re.compile(r"[\u4e00-\u9fff]{0,3}(?:有限|股份|集团|公司|产业|项目|园|基地)")
_LIST_CLASS = {"企业": "Enterprise", "公司": "Enterprise", "项目": "Project", "工程": "Project"}
_LIST_ITEMS = r"((?:[^，。；：！？\n、]{2,14}、)+[^，。；：！？\n、]{2,14}?)"
_COUNT = r"(?:\d+|[一二三四五六七八九十]+)"
# "A、B、C等企业", "A、B等5家重点企业", "A、B5家企业上榜"
_LIST_NAMES = re.compile(
    _LIST_ITEMS + rf"(?:等){_COUNT}?(?:家|个)?(?:{alternation('rec_list_qualifiers', longest_first=False)}){{0,2}}"
    rf"({'|'.join(_LIST_CLASS)})|" + _LIST_ITEMS + rf"{_COUNT}(?:家)(?:企业|公司)")
_INVESTED = re.compile(r"投资(?:额)?(?:约|近|超|逾)?[\d.]+(?:万|亿)元的([^，。；：、\d]{3,20}?(?:和[^，。；：、\d]{3,20}?)?)(?=[，。；,]|$)")
_ONE_PROJECT = re.compile(r"(?<![、])([\u4e00-\u9fff]{4,20})等(?:重点|重大)?项目")
# "企业16家，包括A、B、C等"
_COMPANIES_INCLUDED = re.compile(r"(?:企业|公司)[^，。；：、]{0,8}?[，,]?(?:包括|如|有)"
                                 r"((?:[^，。；：！？\n、]{2,14}、)+[^，。；：！？\n、]{2,14}?)(?=等|[，。；]|$)")
# the quote ends where a sentence goes on (与, 的, 在 …); 企业“专精特新”发展 qualifies a noun
_QUOTED_COMPANY = re.compile(r"(?:企业|公司|厂商|品牌)“([\u4e00-\u9fffA-Za-z]{2,10})”(?=[与和在的将已签等是也于为以从向对，。、；：])")
_QUOTED_TRAIN = re.compile(r"“([\u4e00-\u9fff]{2,6}号)”(?=[^，。；]{0,4}(?:开行|班列|列车))")
# "集群分别是A、B、C"
_LIST_CLUSTERS = re.compile(rf"集群(?:分别)?(?:{alternation('rec_cluster_list_verbs', longest_first=False)})"
                            r"[：:]?((?:[^、。；，\n]{3,20}、)+[^、。；，\n]{3,20})")


# -- dictionary -------------------------------------------------------------------------
def dictionary_names(rec: Recogniser, page_text: str, sentence: Sentence) -> list[Mention]:
    """Every gazetteer name in the sentence (places, partners, products, known enterprises)."""
    text, off = sentence.text, sentence.start
    found = [Mention(surface, entry.cls, off + s, off + e, entry.key, entry.source, entry.canonical)
             for s, e, surface, entries in rec.hits(text) for entry in entries]
    if any(m.end - m.start <= 3 for m in found):
        # a short dictionary name must not cut a word: 国航 in 中国航空, 南平 in 湘南平均
        bounds = rec.word_bounds(text, off)
        found = [m for m in found if m.end - m.start > 3
                 or (m.start in bounds and (m.end in bounds or _heads_a_zone(rec, text, m, off)))]
    return [m for m in found if m.cls != "Enterprise" or not _INSTITUTION_AFTER.match(page_text, m.end)]


def _heads_a_zone(rec: Recogniser, text: str, m: Mention, off: int) -> bool:
    """A division's name right before a zone kind or a port names the zone's place even where
    jieba reads across the join: 邵东经开区 (jieba: 邵|东经|开区), 厦门港 (one word of jieba's)."""
    end = m.end - off
    return m.cls in REGION_CLASSES and (rec.platform_kind_re.match(text, end) is not None
                                        or _port_after(text, end))


def _port_after(text: str, end: int) -> bool:
    """Whether the 港 at end is a port of the place before it (厦门港), not 港口, 港澳, 港资 …"""
    return text[end:end + 1] == "港" and not _NOT_PORT.match(text, end + 1)


def ports_of_places(rec: Recogniser, page_text: str, sentence: Sentence) -> list[Mention]:
    """A city's or county's name and 港 name its port: 厦门港, 钦州港, 洋浦港 (a Platform)."""
    text, off = sentence.text, sentence.start
    if "港" not in text:
        return []
    out = []
    for s, e, surface, entries in rec.hits(text):
        name = text[s:e + 1]
        if (not surface.endswith("港") and _port_after(text, e) and name not in rec.gaz.names
                and any(en.cls in ("City", "County") for en in entries)):  # (连云港, 防城港 are cities)
            out.append(Mention(name, "Platform", off + s, off + e + 1, name, "pattern", name))
    return out


def known_company_subsidiaries(rec: Recogniser, page_text: str, sentence: Sentence) -> list[Mention]:
    """A known group's name followed by a place and a trade, or by a long trade, names a subsidiary:
    宝钢湛江钢铁, 宁德时代新能源科技 (not 宝钢 and 宁德时代 alone)."""
    text, off = sentence.text, sentence.start
    out = []
    for s, e, _, entries in rec.hits(text):
        if not any(en.cls == "Enterprise" for en in entries):
            continue
        lead = rec.leading_place(text[e:e + 8], regions_only=True)
        trade = _COMPANY_TRADE.match(text, e + lead)
        if trade and (lead or len(trade.group(0)) >= 3) and not _NAME_GOES_ON.match(text, trade.end()):
            name = text[s:trade.end()]
            out.append(Mention(name, "Enterprise", off + s, off + trade.end(), name, "pattern", name))
    return out


# -- suffix patterns ----------------------------------------------------------------------
def _outside_quotes(text: str, s: int, stop: int) -> int:
    """Start of a name that must not open or close a quote it does not hold (“湘江”新区…)."""
    prefix = text[s:stop]
    opened, closed = prefix.count("“"), prefix.count("”")
    if opened > closed:
        return s + prefix.rfind("“") + 1
    if closed > opened:
        return s + prefix.find("”") + 1
    return s


def _counted(prefix: str) -> bool:
    """"12个项目", "文化旅游类14个项目", "4个综合保税区": a count of things, not a name."""
    return bool(re.fullmatch(r"[\d.%]+", prefix) or re.match(r"\d+[家个条项批]", prefix)
                or _COUNT_BEFORE_SUFFIX.search(prefix))


def _needs_place(rec: Recogniser, cls: str, suffix: str, prefix: str) -> bool:
    """Whether a project or platform name must hold a place, company, quote or Latin name to
    count as named. A zone kind (经开区, 高新区, 产业园 …) names a zone by whatever precedes it
    (长德开发区, 佛北战新产业园); a project named by five or more characters of what it makes
    or builds (汽车用铝挤压材研发生产项目) is named too; a short one (文旅项目) is generic."""
    if "“" in prefix:
        return True  # a quoted slogan ("工会进万家·…"项目) is judged by distinctive()
    if cls == "Platform":
        return not _ZONE_KIND.search(suffix)
    return cls == "Project" and (len(CJK.findall(prefix)) < 5 or not _PROJECT_WORKS.search(prefix))


def _generic_prefix(rec: Recogniser, cls: str, suffix: str, prefix: str, name: str, quoted: bool = False) -> bool:
    """True when the text before the suffix makes the phrase no name (一批, 重点, 50个 …); a name
    in quotes of its own (“上合快线”) is named whatever it holds."""
    min_prefix = rec.suffix_info[suffix][1]
    if min_prefix and len(CJK.findall(prefix)) + len(re.findall(r"[A-Za-z0-9]", prefix)) < min_prefix:
        return True
    if prefix.startswith(rec.generic) and not prefix.startswith("“"):
        return True
    if cls == "IndustryCluster" and _GENERIC_CLUSTER.search(prefix):
        return True
    if _counted(prefix) or (cls == "Project" and _ACTIVITY_PROJECT.search(name)):
        return True
    return (cls in ("Project", "Platform") and bool(min_prefix) and not quoted
            and _needs_place(rec, cls, suffix, prefix) and not rec.distinctive(name))


def _start_at_place(rec: Recogniser, prefix: str) -> int:
    """"借助怀化国际陆港": a name that holds a place starts at the place; the characters to skip.
    A company before the place stays (泰康太原康养社区项目: 泰康's project in 太原)."""
    first_geo = rec.first_place(prefix)
    if 0 < first_geo <= 4 and not re.search(r"[“A-Za-z0-9]", prefix[:first_geo]):
        if not rec.company_at_start(prefix[:first_geo]):
            return first_geo
    return rec.outer_place(prefix)


@dataclass
class _Edges:
    """What the names found so far in a sentence leave for the next one: a name never reaches back
    over a zone or a company named before it, but a project or a branch may carry its company's
    name (北京某某药业有限公司沧州分公司原料药项目)."""

    zone_end: int = 0
    company_start: int = 0
    company_end: int = 0
    floor_end: int = 0

    def floor(self, cls: str, suffix: str) -> int:
        if cls == "Platform":
            return self.floor_end  # a zone inside a zone carries its name (渤海新区临港经济技术开发区)
        return self.zone_end if cls == "Project" or suffix in _BRANCH else max(self.zone_end, self.floor_end)

    def note(self, cls: str, suffix: str, start: int, end: int) -> None:
        if cls == "Platform":
            self.zone_end = end
        elif cls == "Enterprise":
            self.company_start, self.company_end = start, end
            self.floor_end = end if suffix.endswith("公司") else self.floor_end


def _not_a_name_end(text: str, end: int, cls: str) -> bool:
    """The suffix ends no name of its class: 智能农机产业园项目 and 湘江新区发展集团 hold a park's
    name in another's; 制造业项目8个 is a category counted."""
    if cls == "Platform":
        return text.startswith("项目", end) or bool(_COMPANY_AFTER.match(text, end))
    return cls == "Project" and bool(_COUNT_AFTER.match(text, end))


def _project_start(text: str, s: int, stop: int, edges: _Edges) -> int:
    if edges.company_start < s < edges.company_end:
        s = edges.company_start  # the project's name starts where its company's does
    # "A项目和B项目": 和 joins two names; neither holds the other
    s = max((j.end() for j in _PROJECT_JOIN.finditer(text, s, stop)), default=s)
    return s + (text[s] in _JOINERS)


def _named_start(rec: Recogniser, text: str, s: int, stop: int, e: int, cls: str) -> int:
    """The start of a name once the place it lies in is left out."""
    if cls == "Platform":
        return s + _start_at_place(rec, text[s:stop])
    if cls == "Project":
        return s + rec.outer_place(text[s:stop])
    if cls == "Enterprise" and not _REGISTERED_FORM.search(text[s:e]):
        # 察雅县千金药业: a short name by its trade keeps no county before it; a registered name does
        lead = rec.leading_place(text[s:stop], regions_only=True)
        return s + lead if stop - s - lead >= 2 else s
    if cls == "Enterprise":
        return s + rec.outer_place(text[s:stop], company=True)
    return s


def suffix_names(rec: Recogniser, page_text: str, sentence: Sentence) -> list[Mention]:
    """Names ending in a suffix of patterns.tsv (有限公司, 项目, 产业集群, 综保区 …), cut on the left
    at boundary words (由, 与, 签约, 落户 …)."""
    text, off = sentence.text, sentence.start
    out = []
    edges = _Edges()
    bounds = None
    for m in rec.suffix_re.finditer(text):
        suffix = m.group(0)
        cls = rec.suffix_info[suffix][0]
        if len(suffix) <= 2:
            # "工程机械" is no 工程 project: a short suffix must end a word
            bounds = bounds if bounds is not None else rec.word_bounds(text, 0)
            if m.end() not in bounds:
                continue
        if _not_a_name_end(text, m.end(), cls):
            continue
        s = max(rec.left_edge(text, m.start(), place=cls in ("Project", "Platform"), joined=cls == "Project"),
                edges.floor(cls, suffix))
        s = _project_start(text, s, m.start(), edges) if cls == "Project" else s
        if cls == "Platform" and rec.place_ends_at(text[s:m.end()], len(suffix)):
            continue  # 黄石港区, 东港区, 清新区: a district, not a port area or a new area
        edges.note(cls, suffix, s, m.end())
        e = m.end()
        # "中欧班列(衡阳)": a bracketed place right after a name belongs to it
        after = re.match(r"\([\u4e00-\u9fff]{2,6}\)", text[e:])
        if after and cls == "Platform":
            e += after.end()
        s = _outside_quotes(text, s, m.start())
        quoted = text[s - 1:s] == "“" and text[e:e + 1] == "”" and e - s <= 8  # not a quoted honour
        if _generic_prefix(rec, cls, suffix, text[s:m.start()], text[s:e], quoted):
            continue
        s = _named_start(rec, text, s, m.start(), e, cls)
        out.append(Mention(text[s:e], cls, off + s, off + e, text[s:e], "pattern", text[s:e]))
    return out


# -- list contexts ------------------------------------------------------------------------
def _list_item_ok(rec: Recogniser, item: str, cls: str) -> bool:
    if not (2 <= len(item) <= 20) or not CJK.search(item) or _NOT_A_NAME.search(item):
        return False
    if item.startswith(rec.generic):
        return False
    if cls == "Project":  # named at length (农家乐、渔家乐等项目 are kinds of business); 大剧院 is a work
        return len(item) >= 4
    # 衡阳海关, 湘雅医院: a public body is no company; nor a name of more than ten characters
    return not _NOT_COMPANY.search(item) and not _PERSON.search(item) and not (cls == "Enterprise" and len(item) > 10)


def _list_items(rec: Recogniser, text: str, off: int, found: list[tuple[int, str, str]]) -> list[Mention]:
    """The items of each enumeration (pos, group, class); the first is cut on the left like a name."""
    out = []
    for pos, group, cls in found:
        for n, item in enumerate(re.split(r"、|和(?=[^、]*$)", group)):
            s = pos
            pos += len(item) + 1
            if n == 0:
                edge = rec.left_edge(text, s + len(item), place=cls == "Project")
                cut = max(edge - s, 0)  # the edge may lie before the list
                item, s = item[cut:], s + cut
                # "天心区大唐先一": a leading place is where the company is, not its name
                lead = rec.leading_place(item)
                if cls == "Enterprise" and 0 < lead <= len(item) - 2:
                    item, s = item[lead:], s + lead
            bare = item.strip().strip("“”")  # “北海绩迅、德昌电机…”: a quote opened before the list
            s, item = s + item.find(bare), bare
            if _list_item_ok(rec, item, cls):
                out.append(Mention(item, cls, off + s, off + s + len(item), item, "list", item))
    return out


def listed_names(rec: Recogniser, page_text: str, sentence: Sentence) -> list[Mention]:
    """Companies and projects in enumerations: "A、B、C等企业", "A、B5家企业上榜"."""
    # no enumeration, or none of a kind the pattern ends in: the regex is costly to fail
    if "、" not in sentence.text or not any(w in sentence.text for w in _LIST_CLASS):
        return []
    found = [(m.start(1), m.group(1), _LIST_CLASS[m.group(2)]) if m.group(1) else (m.start(3), m.group(3), "Enterprise")
             for m in _LIST_NAMES.finditer(sentence.text)]
    return _list_items(rec, sentence.text, sentence.start, found)


def invested_projects(rec: Recogniser, page_text: str, sentence: Sentence) -> list[Mention]:
    """What an investment figure is "of" is a project: "投资25亿元的海韵工业小镇和兰州国际旅游港",
    "总投资10亿元的X项目"; and a single named project before 等项目 ("推进X康养中心等项目建设")."""
    text, off = sentence.text, sentence.start
    # the name ends at its 项目 (恒大童世界项目格外引人关注)
    found = [(m.start(1), re.sub(r"(?<=项目).*", "", m.group(1)), "Project") for m in _INVESTED.finditer(text)]
    # the investment says it is a project: it outranks a park's suffix on the same span (投资15亿元的X产业园)
    out = [replace(m, source="pattern") for m in _list_items(rec, text, off, found) if len(m.text) >= 4]
    for m in _ONE_PROJECT.finditer(text):
        s = rec.left_edge(text, m.end(1), place=True)
        name = text[s:m.end(1)]
        if len(name) >= 6 and rec.distinctive(name) and _list_item_ok(rec, name, "Project"):
            out.append(Mention(name, "Project", off + s, off + m.end(1), name, "list", name))
    return out


def companies_after_include(rec: Recogniser, page_text: str, sentence: Sentence) -> list[Mention]:
    """Companies listed after 包括/如 once the sentence speaks of companies: "新引进企业16家，包括
    A集团、B实业、C科技等"."""
    found = [(m.start(1), m.group(1), "Enterprise") for m in _COMPANIES_INCLUDED.finditer(sentence.text)]
    return _list_items(rec, sentence.text, sentence.start, found)


def quoted_names(rec: Recogniser, page_text: str, sentence: Sentence) -> list[Mention]:
    """A quoted name right after the kind of thing it names: 辣椒企业“贵三红” (a company), and a
    train service by its quoted name before 开行 or 班列 (“长吉号”累计开行200列)."""
    text, off = sentence.text, sentence.start
    if "“" not in text:
        return []
    out = [Mention(m.group(1), "Enterprise", off + m.start(1), off + m.end(1), m.group(1), "list", m.group(1))
           for m in _QUOTED_COMPANY.finditer(text)
           # 企业“有样学样”: a word or idiom of the language is a comment, not a name
           if _list_item_ok(rec, m.group(1), "Enterprise") and m.group(1) not in rec.freq]
    out += [Mention(m.group(1), "Platform", off + m.start(1), off + m.end(1), m.group(1), "list", m.group(1))
            for m in _QUOTED_TRAIN.finditer(text)]
    return out


def listed_clusters(rec: Recogniser, page_text: str, sentence: Sentence) -> list[Mention]:
    """Clusters in enumerations: "集群分别是A、B、C"."""
    found = [(m.start(1), m.group(1), "IndustryCluster") for m in _LIST_CLUSTERS.finditer(sentence.text)]
    return _list_items(rec, sentence.text, sentence.start, found)


# -- a kind shared by a list of places ------------------------------------------------------
@functools.lru_cache(maxsize=8)
def _shared_kind_re(suffixes: str) -> re.Pattern:
    """"A、B和C(4个)综合保税区": places joined by 、/和 and one zone kind after them."""
    place = r"[\u4e00-\u9fff]{2,6}?"
    return re.compile(rf"((?:{place}、)+{place}(?:(?:和|及|与){place})?)(?:{_COUNT}[个座家])?({suffixes})")


def shared_kind_places(rec: Recogniser, page_text: str, sentence: Sentence) -> list[Mention]:
    """Each place of a list before one platform kind names its own platform: "霍尔果斯、阿拉山口和
    乌鲁木齐3个综合保税区" → 霍尔果斯综合保税区, …; "济南、青岛2个集结中心" → 济南集结中心, …"""
    text, off = sentence.text, sentence.start
    if "、" not in text or not rec.platform_kind_re.search(text):  # the list regex is costly to fail
        return []
    out = []
    for m in _shared_kind_re(rec.platform_kinds).finditer(text):
        pos = m.start(1)
        places = re.split(r"(、|和|及|与)", m.group(1))
        if len(places) < 3:
            continue
        found = []
        for piece in places:
            s, pos = pos, pos + len(piece)
            if len(found) == 0 and piece not in "、和及与":
                cut = rec.left_edge(text, s + len(piece)) - s
                piece, s = piece[cut:], s + cut
            if piece in "、和及与":
                continue
            if not rec.is_place(piece):
                break
            name = piece + m.group(2)
            found.append(Mention(name, "Platform", off + s, off + s + len(piece), name, "list", name))
        else:
            out += found
    return out


# The recogniser's sources, in the order their candidates meet the overlap resolution.
SOURCES = (
    dictionary_names,
    known_company_subsidiaries,
    invested_projects,  # before the suffixes: 投资15亿元的X产业园 is a project, not a park
    suffix_names,
    listed_names,
    listed_clusters,
    companies_after_include,
    quoted_names,
    shared_kind_places,
    ports_of_places,
    *GOODS_SOURCES,
)
