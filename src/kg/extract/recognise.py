"""Stage 4, recognise: mentions (span + class) in each sentence.

Three sources feed it, each general rather than tied to any page:
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
from kg.model import Mention, Sentence
from kg.vocab import GEO_CLASSES, ORG_CLASSES

GEO = GEO_CLASSES
ORG = ORG_CLASSES
TRADE_CONTEXT = re.compile(r"出口|进口|贸易|外贸|出海|跨境")
_NAME_CHAR = re.compile(r"[\u4e00-\u9fffA-Za-z0-9()“”·\-]")
_CJK = re.compile(r"[\u4e00-\u9fff]")
# one-character province names (湘, 沪 …) and corridor openers (中欧, 西部 …) that start proper names
_ABBREVIATED_PLACE = re.compile(r"^([湘沪粤鄂赣黔桂渝川蜀京冀晋辽苏浙皖闽鲁豫琼滇陕甘]|中欧|中亚|中非|中老|中越|中俄|中蒙|西部|东部|中部|西北|东北|西南|东南|北部湾)")
_VILLAGE = re.compile(r"(?<!农)(?<!乡)(?<!城)[\u4e00-\u9fff]{1,3}?(?<![农乡城])[村镇乡](?![民级镇村])")
# programmes and research tasks named "…项目" are not investment or construction projects
_ACTIVITY_PROJECT = re.compile(r"(回归|攻关|研究|养护|维修|帮扶|培训|试点|评选|申报|改革|招商|扶贫)项目$")
_STREET = re.compile(r"(路|街|大道|大街|巷|桥|村|山|湖|江|河|大厦|广场)(?![省市县区州])")
_INSTITUTION_AFTER = re.compile(r"[\u4e00-\u9fff]{0,10}(研究院|研究所|协会|学会|大学|学院|学校|实验室)")
_NEWSPAPER = re.compile(r"(日报|晚报|报社|广播电视台|电视台)")
_NOT_COMPANY = re.compile(r"(院|海关|政府|委员会|管委会|厅|局|学校|学院|大学|中学|小学|医院|协会|商会|学会|研究院|研究所|实验室|中心站|总台|电视台|法院|检察院)$")
_LIST_NAMES = re.compile(r"((?:[^，。；：！？\n、]{2,14}、)+[^，。；：！？\n、]{2,14}?)(?:等)(?:\d+|[一二三四五六七八九十]+)?(?:家|个)?(?:重点|龙头|骨干|外贸|民营|知名|重大|产业)?(企业|公司|项目)"
                         r"|((?:[^，。；：！？\n、]{2,14}、)+[^，。；：！？\n、]{2,14}?)(?:\d+|[一二三四五六七八九十]+)(?:家)(?:企业|公司)")
_LIST_CLUSTERS = re.compile(r"集群(?:分别)?(?:是|为|包括|有)[：:]?((?:[^、。；，\n]{3,20}、)+[^、。；，\n]{3,20})")
_LIST_CLASS = {"企业": "Enterprise", "公司": "Enterprise", "项目": "Project", None: "Enterprise"}
_GENERIC_CLUSTER = re.compile(r"国家|中小企业|特色|优势|一批|省级|市级|\d|个|壮大|扩大|发展|不断")
_NOT_A_NAME = re.compile(r"[\d“”%]|人员$|员$|警$|者$|国家|院$")
# after 出口/进口, the goods run to the first figure, clause break or reporting word
_PRODUCT_AFTER_TRADE = re.compile(r"(?:出口|进口)(?:了)?([^\d，。；：、,;:]{2,40}(?:、[^\d，。；：、,;:]{2,20})*)")
_PRODUCT_BEFORE_TRADE = re.compile(r"([\u4e00-\u9fff“”]{2,12}(?:产品|商品|制品))(?=(?:出口|进口)(?!额|值|总))")
_PRODUCT_END = re.compile(r"(合计|共计|总额|总值|等|分别|同比|增长|下降|大幅|持续|保持|快速|首破|突破|增速|占|比重|超|近|约|逾|达|实现|首次|重回|额|值|的|规模|数量|继续|进一步|.{0,2}仪式|试点|基地|订单).*$")
_PRODUCT_STOP = re.compile(r"^(平均|提速|退税|频现|指定|功能|额|总额|总值|值|增速|增幅|规模|数量|企业|产品|商品|货物|国家|地区|市场|业务|方面|比重|占比|贸易|金额|同比|也|都|均|分别|实现|达|约|超|近|逾|将|已|正|还|首次|量|的|了|国|至|到|方|渠道|通道|比|上)")


def _strip_quotes(s: str) -> str:
    return s.strip("“”\"'‘’")


@functools.lru_cache(maxsize=1 << 16)
def _jieba_bounds(text: str) -> tuple[int, ...]:
    """Offsets where jieba (no HMM) ends a word in text, with 0: the same text recurs often
    (a park's name before each of its companies), so it is segmented once."""
    import jieba

    bounds, pos = [0], 0
    for token in jieba.cut(text, HMM=False):
        pos += len(token)
        bounds.append(pos)
    return tuple(bounds)


class Recogniser:
    """Callable stage: (page text, sentence) → mentions; holds the compiled gazetteer."""

    def __init__(self, gazetteer: Gazetteer):
        self.gaz = gazetteer
        self.suffix_re = re.compile("|".join(re.escape(s) for _, s, _ in gazetteer.patterns))
        self.suffix_info = {s: (c, m) for c, s, m in gazetteer.patterns}
        self.freq = jieba_ready().dt.FREQ

    # -- dictionary -------------------------------------------------------------------
    def _dictionary(self, text: str, offset: int) -> list[Mention]:
        out = []
        for s, e, surface, entries in self.gaz.find(text):
            for entry in entries:
                out.append(Mention(surface, entry.cls, offset + s, offset + e, entry.key,
                                   entry.source, entry.canonical))
        return out

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
    def _word_bounds(text: str, offset: int) -> set[int]:
        """Word boundaries of jieba's segmentation: a short place name must not cut a word (湘南|平均)."""
        rel = _jieba_bounds(text)
        return set(rel) if offset == 0 else {offset + b for b in rel}

    # -- suffix patterns --------------------------------------------------------------
    def _left_edge(self, text: str, end: int, limit: int = 24, joined: bool = False) -> int:
        """Where a name ending at `end` starts: a run of name characters cut at boundary words.

        With joined=True the conjunctions 及/和/与 stay inside the name (非遗及文旅产品).
        """
        start = end
        while start > 0 and end - start < limit and _NAME_CHAR.match(text[start - 1]):
            start -= 1
        run = text[start:end]
        # cut after the last boundary word that jieba also reads as a word of its own
        # (据 ends "据海关统计" but not "数据"; 经 ends "经怀化" but not "经济")
        bounds = self._word_bounds(run, 0)
        cut = 0
        words, lengths = self._boundary_words()
        for i in sorted(bounds):
            for n in lengths:
                word = run[i:i + n]
                if (len(word) == n and word in words and i + n in bounds
                        and not (joined and word in ("及", "和", "与"))):
                    cut = max(cut, i + n)
        # a count, a date or an amount ("2022年", "前10个月", "10亿元以上") is never inside a name
        for m in re.finditer(r"[\d.]+(年|月|日|个月|个|家|亿元|万元|元|%|项)", run):
            if m.end() < len(run):
                cut = max(cut, m.end())
        return start + cut

    def _boundary_words(self) -> tuple[frozenset, list[int]]:
        got = self.__dict__.get("_boundaries")
        if got is None:
            words = frozenset(self.gaz.boundaries)
            got = self.__dict__["_boundaries"] = (words, sorted({len(w) for w in words}))
        return got

    def _distinctive(self, name: str) -> bool:
        """A project or platform name needs something proper in it: a place, a company, a quoted or Latin name."""
        quoted = re.search(r"“([^”]*)”", name)
        if quoted and (re.search(r"\d|·", quoted.group(1)) or len(quoted.group(1)) > 10):
            return False  # a slogan or a count in quotes ("三类500强", "工会进万家·…") is no name
        if re.search(r"[“A-Za-z0-9]", name) or _ABBREVIATED_PLACE.match(name) or _VILLAGE.search(name):
            return True
        return any(e.cls in GEO or e.cls == "Enterprise" for _, _, _, es in self.gaz.find(name) for e in es)

    def _patterns(self, text: str, offset: int) -> list[Mention]:
        out = []
        floor = 0  # a name never reaches back over the end of a zone or park named before it
        bounds = None
        for m in self.suffix_re.finditer(text):
            suffix = m.group(0)
            cls, min_prefix = self.suffix_info[suffix]
            if len(suffix) <= 2:
                # "工程机械" is no 工程 project: a short suffix must end a word
                bounds = bounds if bounds is not None else self._word_bounds(text, 0)
                if m.end() not in bounds:
                    continue
            s = max(self._left_edge(text, m.start()), floor)
            if cls == "Platform" or suffix.endswith("公司"):
                floor = m.end()
            e = m.end()
            # "中欧班列(衡阳)": a bracketed place right after a name belongs to it
            after = re.match(r"\([\u4e00-\u9fff]{2,6}\)", text[e:])
            if after and cls == "Platform":
                e += after.end()
            name = text[s:e]
            prefix = text[s:m.start()]
            if prefix.count("“") != prefix.count("”"):
                q = prefix.rfind("“") if prefix.count("“") > prefix.count("”") else -1
                if q >= 0:
                    s += q + 1
                    prefix = text[s:m.start()]
                    name = text[s:e]
                else:
                    s += prefix.find("”") + 1
                    prefix = text[s:m.start()]
                    name = text[s:e]
            if len(_CJK.findall(prefix)) + len(re.findall(r"[A-Za-z0-9]", prefix)) < max(min_prefix, 1) and min_prefix:
                continue
            if any(prefix.startswith(g) for g in self.gaz.generic) and not prefix.startswith("“"):
                continue
            if cls == "IndustryCluster" and _GENERIC_CLUSTER.search(prefix):
                continue
            if re.fullmatch(r"[\d.%]+", prefix) or re.match(r"\d+[家个条项批]", prefix):
                continue
            if cls == "Project" and _ACTIVITY_PROJECT.search(name):
                continue
            if cls in ("Project", "Platform") and min_prefix and not self._distinctive(name):
                continue
            if cls in ("Project", "Platform"):
                # "借助怀化国际陆港": a name that holds a place starts at the place
                first_geo = min((h[0] for h in self.gaz.find(prefix) if any(en.cls in GEO for en in h[3])), default=0)
                if 0 < first_geo <= 4 and not re.search(r"[“A-Za-z0-9]", prefix[:first_geo]):
                    s += first_geo
                    name = text[s:e]
            out.append(Mention(name, cls, offset + s, offset + e, name, "pattern", name))
        return out

    # -- list contexts ----------------------------------------------------------------
    def _listed_names(self, text: str, offset: int) -> list[Mention]:
        """Names in enumerations: "A、B、C等企业", "A、B5家企业上榜", "集群分别是A、B"."""
        out = []
        found = [(m.start(1), m.group(1), _LIST_CLASS[m.group(2)]) if m.group(1) else (m.start(3), m.group(3), "Enterprise")
                 for m in _LIST_NAMES.finditer(text)]
        found += [(m.start(1), m.group(1), "IndustryCluster") for m in _LIST_CLUSTERS.finditer(text)]
        for pos, group, cls in found:
            for n, item in enumerate(re.split(r"、|和(?=[^、]*$)", group)):
                s = pos
                pos += len(item) + 1
                if n == 0:
                    cut = self._left_edge(text, s + len(item)) - s
                    item, s = item[cut:], s + cut
                    # "天心区大唐先一": a leading place is where the company is, not its name
                    lead = max((h[1] for h in self.gaz.find(item) if h[0] == 0 and any(e.cls in GEO for e in h[3])), default=0)
                    if cls == "Enterprise" and 0 < lead <= len(item) - 2:
                        item, s = item[lead:], s + lead
                item = item.strip()
                if not (2 <= len(item) <= 20) or not _CJK.search(item) or _NOT_A_NAME.search(item):
                    continue
                if any(item.startswith(g) for g in self.gaz.generic) or _NOT_COMPANY.search(item):
                    continue
                if cls == "Enterprise" and len(item) > 10:
                    continue
                out.append(Mention(item, cls, offset + s, offset + s + len(item), item, "list", item))
        return out

    def _traded_products(self, text: str, offset: int) -> list[Mention]:
        """Goods named right after 出口/进口 ("出口工程机械195.4亿元", "进口铜精矿、铁矿砂等"),
        or as a 产品/商品 group right before it ("非遗及文旅产品出口泰国")."""
        out = []
        for m in _PRODUCT_BEFORE_TRADE.finditer(text):
            if re.search(r"(相关|其他|其它|各类|主要|部分)(产品|商品)$", m.group(1)):
                continue
            s = self._left_edge(text, m.end(1), joined=True)
            lead = max((h[1] for h in self.gaz.find(text[s:m.end(1)]) if h[0] == 0
                        and any(e.cls in GEO for e in h[3])), default=0)
            s += lead
            if m.end(1) - s >= 4:
                out.append(Mention(text[s:m.end(1)], "Product", offset + s, offset + m.end(1), text[s:m.end(1)], "pattern"))
        for m in _PRODUCT_AFTER_TRADE.finditer(text):
            if text[max(0, m.start() - 1):m.start()] == "进" and text[m.start():m.start() + 2] == "出口":
                continue  # 进出口 is trade in general, not goods
            group = _PRODUCT_END.sub("", m.group(1))
            pos = m.start(1)
            for item in re.split(r"([、和及与])", group):
                s = pos
                pos += len(item)
                if item in "、和及与" or _PRODUCT_STOP.match(item) or not (2 <= len(item) <= 14):
                    continue
                hits = [h for h in self.gaz.find(item) if any(e.cls in ("Product",) for e in h[3])]
                if hits and not any(h[0] == 0 and h[1] >= len(item) - 2 for h in hits):
                    continue  # "电动载人汽车“新三样”产品": the dictionary names its parts
                if any(e.cls in GEO for h in self.gaz.find(item) for e in h[3]) and len(item) <= 4:
                    continue  # 出口泰国: a destination, not goods
                out.append(Mention(item, "Product", offset + s, offset + s + len(item), item, "pattern", item))
        return out

    # -- resolution -------------------------------------------------------------------
    @staticmethod
    def _longest(mentions: list[Mention]) -> list[Mention]:
        """Leftmost-longest selection; dictionary beats pattern on equal spans."""
        rank = {"user": 0, "gazetteer": 1, "pattern": 2, "list": 3}
        ordered = sorted(mentions, key=lambda m: (-(m.end - m.start), rank.get(m.source, 9), m.start))
        taken: list[Mention] = []
        for m in ordered:
            if all(m.end <= t.start or m.start >= t.end for t in taken):
                taken.append(m)
        return sorted(taken, key=lambda m: (m.start, m.end))

    def __call__(self, page_text: str, sentence: Sentence) -> list[Mention]:
        text = sentence.text
        off = sentence.start
        found = self._dictionary(text, off)
        if any(m.end - m.start <= 3 for m in found):
            # a short dictionary name must not cut a word: 国航 in 中国航空, 南平 in 湘南平均
            bounds = self._word_bounds(text, off)
            found = [m for m in found if m.end - m.start > 3 or (m.start in bounds and m.end in bounds)]
        # a company name that runs on into an institution's name (中国电子信息产业发展研究院) is the institution
        found = [m for m in found if m.cls != "Enterprise" or not _INSTITUTION_AFTER.match(page_text, m.end)]
        geo = [m for m in found if m.cls in GEO]
        products = [m for m in found if m.cls == "Product"]
        orgs = [m for m in found if m.cls in ORG]
        orgs += self._patterns(text, off) + self._listed_names(text, off)
        candidates = orgs
        orgs = self._longest(orgs)
        # a company named inside a project's or platform's name is a mention too (中国电信中南智能算力中心)
        inner = [c for c in candidates if c.cls == "Enterprise" and c.source in ("gazetteer", "user", "pattern")
                 and any(o.cls != "Enterprise" and o.start <= c.start and c.end <= o.end and c is not o for o in orgs)]
        orgs = sorted(orgs + self._longest(inner), key=lambda m: (m.start, m.end))
        geo = self._longest(geo)
        geo = [m for m in geo
               if not self._part_of_word(page_text, m.start, m.end)
               and not _NEWSPAPER.match(page_text, m.end)]
        # 中国 at the head of an organisation's name (中国电信) is not the country
        org_starts = {m.start for m in orgs if m.cls == "Enterprise"}
        geo = [m for m in geo if not (m.key == "CN" and m.start in org_starts)]
        # a place must not straddle an organisation's edge
        geo = [m for m in geo if all(m.end <= o.start or m.start >= o.end
                                     or (o.start <= m.start and m.end <= o.end) for o in orgs)]
        if TRADE_CONTEXT.search(text):
            products = self._longest(products + self._traded_products(text, off))
            products = [p for p in products
                        if all(p.end <= o.start or p.start >= o.end for o in orgs)
                        and all(p.end <= g.start or p.start >= g.end for g in geo)]
        else:
            products = []
        return sorted(geo + orgs + products, key=lambda m: (m.start, m.end, m.cls))
