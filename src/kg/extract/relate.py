"""Stage 6, relate: relations and observations from the sentences of one article.

Chinese economic reporting states its figures in a few shapes, which the rules follow:
"[period]，[subject][indicator][amount]，同比增长[rate]"; a subject carried over from
earlier sentences ("同期，对俄罗斯进出口102亿元" is still the city's); "对/与 P 进出口"
for a trade partner; "出口/进口 X" for a product; lists paired by 分别. Targets and
thresholds (力争, 预计, 5亿元以上) are not statistics.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from kg.model import Article, Mention, Observation, Relation, Sentence
from kg.vocab import ORG_CLASSES, PARTNER_CLASSES, REGION_CLASSES
from kg.extract.numbers import AMOUNT, GROWTH, PERIOD, parse_amount, parse_growth, parse_period

REGION = REGION_CLASSES
PARTNER = PARTNER_CLASSES
ORG = ORG_CLASSES
SUBJECT = REGION | {"Enterprise", "Platform", "IndustryCluster"}
_CLAUSE = re.compile(r"[，；：,;:]")
_PARTNER_MARK = re.compile(r"(对|与|同|向|从|自|和)$")
_NOT_FACT = re.compile(r"力争|预计|预期|有望|目标|计划|将达|将实现|可实现|将突破|争取|拟|确保|要达到")
_THRESHOLD = re.compile(r"^(以上|以下|左右|及以上|的项目|规模以上)")
_BODY_AFTER_PLACE = re.compile(r"^(海关|税务|政府|市委|县委|省委|公安|法院|检察院|教育局|财政|人社|商务局|发改委|管委会|人民)")
_LOCATED_VERB = re.compile(r"落户|落地|入驻|位于|坐落|扎根|签约")
_PARTICIPATE_VERB = re.compile(r"承建|投资|建设|签约|运营|打造|投产|开工|建成|牵头")
_FILLER = re.compile(r"同比|实现|完成|达到|达|为|共计|合计|累计|共|今年|已|其中|分别|全年|约|近|超|逾|的|了|再|首次|突破|首破|大关|本地|以来|同期")
_SELF = {"全省": "Province", "我省": "Province", "全市": "City", "我市": "City", "全县": "County", "该县": "County"}


@dataclass
class Linked:
    """A mention in a sentence with the IRI it was linked to."""

    m: Mention
    iri: str

    @property
    def cls(self) -> str:
        return self.m.cls


def _home(linked_all: list[Linked]) -> dict[str, str]:
    """The article's own province, city and county: the most named of each (for 全省, 全市, 我省)."""
    home = {}
    for level in ("Province", "City", "County"):
        counts = Counter(x.iri for x in linked_all if x.cls == level)
        if counts:
            home[level] = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
    return home


def _clauses(s: Sentence) -> list[tuple[int, int]]:
    spans, pos = [], s.start
    for m in _CLAUSE.finditer(s.text):
        spans.append((pos, s.start + m.start()))
        pos = s.start + m.end()
    spans.append((pos, s.end))
    return spans


def _respective_rates(text: str) -> list[float]:
    """The rates of "分别增长181.9%、51.5%" in order (empty when the sentence has no such list)."""
    m = re.search(r"分别(增长|下降)((?:\d+(?:\.\d+)?(?:%|倍)[、和]?)+)", text)
    if not m:
        return []
    sign = -1 if m.group(1) == "下降" else 1
    rates = []
    for num, unit in re.findall(r"(\d+(?:\.\d+)?)(%|倍)", m.group(2)):
        rates.append(sign * float(num) * (100 if unit == "倍" else 1))
    return rates


class Relator:
    """Extracts relations and observations article by article."""

    def __init__(self, china_iri: str):
        self.china = china_iri

    def relate(self, page: str, article: Article, per_sentence: list[list[Linked]]):
        relations: list[Relation] = []
        observations: list[Observation] = []
        key = article.key
        home = _home([x for ls in per_sentence for x in ls])
        subject: str | None = None
        period: tuple[str, str | None, str | None] | None = None

        support: dict[str, str] = {}

        def rel(s, p, o, sent, conf):
            """Record a relation; its confidence is the rule's, raised when both ends are known
            names (dictionary or user terms) and lowered when one was only guessed from a list."""
            if s and o and s != o:
                sources = {support.get(s, "gazetteer"), support.get(o, "gazetteer")}
                if sources <= {"gazetteer", "user"}:
                    conf += 0.05
                elif "list" in sources:
                    conf -= 0.1
                relations.append(Relation(s, p, o, key, sent.text, round(min(max(conf, 0.05), 0.99), 2)))

        for sent, linked in zip(article.sentences, per_sentence):
            support = {x.iri: x.m.source for x in linked}
            text = sent.text
            # --- relations from names and word order ---------------------------------
            orgs = [x for x in linked if x.cls in ORG]
            regions = [x for x in linked if x.cls in REGION]
            for o in orgs:
                inside = [r for r in regions if o.m.start <= r.m.start and r.m.end <= o.m.end]
                for r in inside:
                    rel(o.iri, "locatedIn", r.iri, sent, 0.9)
                for e in orgs:
                    if e.cls == "Enterprise" and o.cls == "Project" and o.m.start <= e.m.start and e.m.end <= o.m.end and e is not o:
                        rel(e.iri, "participatesIn", o.iri, sent, 0.85)
            for r in regions:
                # 天心区大唐先一、红网新媒体集团 / 位于天心区的长沙总部基地 / 衡阳的X
                follow = [o for o in orgs if o.m.start >= r.m.end and page[r.m.end:o.m.start] in ("", "的", "区域的")
                          and not (o.m.start <= r.m.start and r.m.end <= o.m.end)]
                if not follow:
                    continue
                chain = [follow[0]]
                for o in orgs:
                    if o.m.start > chain[-1].m.end and page[chain[-1].m.end:o.m.start] == "、" and o.cls == chain[0].cls:
                        chain.append(o)
                for o in chain:
                    rel(o.iri, "locatedIn", r.iri, sent, 0.7)
            # "衡阳市的A入选…，B入选…": a sentence led by a place locates the unplaced names in it
            lead = next((x for x in linked if x.cls in REGION or x.cls in ORG), None)
            if (lead is not None and lead.cls in ("City", "County")
                    and not _BODY_AFTER_PLACE.match(page[lead.m.end:lead.m.end + 4])):
                placed = {r.subject for r in relations if r.predicate == "locatedIn"}
                for o in orgs:
                    if o.iri not in placed and o.m.start > lead.m.end and o.cls != "Enterprise":
                        rel(o.iri, "locatedIn", lead.iri, sent, 0.6)
            for o in orgs:
                after = page[o.m.end:o.m.end + 12]
                m = _LOCATED_VERB.search(after[:6])
                if m:
                    for r in regions:
                        if r.m.start >= o.m.end + m.end() and r.m.start - (o.m.end + m.end()) <= 3:
                            rel(o.iri, "locatedIn", r.iri, sent, 0.8)
                            break
            for e in (x for x in orgs if x.cls == "Enterprise"):
                for p in (x for x in orgs if x.cls == "Project"):
                    between = page[min(e.m.end, p.m.end):max(e.m.start, p.m.start)]
                    if e.m.end <= p.m.start and len(between) <= 12 and _PARTICIPATE_VERB.search(between) and "，" not in between:
                        rel(e.iri, "participatesIn", p.iri, sent, 0.75)

            # --- period and subject ---------------------------------------------------
            pm = PERIOD.search(text)
            if pm:
                period = parse_period(pm, article.year)
                month = article.date[:7] if article.date else None
                # "自去年9月启动以来", "今年以来": from then until the article's month
                if month and period[1] and re.match(r"(?:启动|开通|实施|开展)?以来", text[pm.end():pm.end() + 4]):
                    period = (period[0] + "以来", period[1], max(month, period[1]))
            elif article.date and re.search(r"当天|当日|今天|今日", text) and AMOUNT.search(text):
                period = ("当天", article.date[:7], article.date[:7])
            amounts = [m for m in AMOUNT.finditer(text)]
            growths = [g for g in GROWTH.finditer(text)]
            listed_rates = _respective_rates(text)

            sentence_enterprises = [x for x in linked if x.cls == "Enterprise"]
            sentence_products = [x for x in linked if x.cls == "Product"]
            # "由湖南筑水雕塑艺术有限公司生产": the maker is a trader of what the sentence ships
            producers = [x.iri for x in sentence_enterprises
                         if page[x.m.start - 1:x.m.start] == "由" and re.match(r"(生产|制造|研发|出品|加工)", page[x.m.end:x.m.end + 2])]
            sentence_trade = re.search(r"进出口|贸易|外贸", text) is not None
            for c_start, c_end in _clauses(sent):
                clause = page[c_start:c_end]
                in_clause = [x for x in linked if c_start <= x.m.start and x.m.end <= c_end]
                partners = [x for x in in_clause if x.cls in PARTNER
                            and (_PARTNER_MARK.search(page[max(c_start, x.m.start - 1):x.m.start])
                                 or page[max(c_start, x.m.start - 2):x.m.start] in ("出口", "进口")
                                 or page[x.m.start - 1:x.m.start] == "、")]
                subj = self._subject(page, in_clause, clause, home)
                if subj and (AMOUNT.search(clause) or partners):
                    subject = subj  # carried to later sentences only from a clause that states a figure
                eff_subject = subj or subject
                products = [x for x in in_clause if x.cls == "Product"]
                verb = None
                if re.search(r"(?<!进)出口", clause):
                    verb = "exports"
                if "进口" in clause and "进出口" not in clause:
                    verb = "imports"
                # trade partners
                if partners and eff_subject:
                    for p in partners:
                        before = page[max(c_start, p.m.start - 2):p.m.start]
                        after = page[p.m.end:c_end]
                        if before.endswith("出口") or (re.match(r"(?:[^，]{0,6})?出口", after) and "进出口" not in after[:8]):
                            pred = "exportsTo"
                        elif before[-1:] in ("从", "自") and "进口" in after:
                            pred = "importsFrom"
                        elif before[-1:] != "出" and page[p.m.end:p.m.end + 2] != "的" and "进口" == page[max(c_start, p.m.start - 2):p.m.start]:
                            pred = "importsFrom"
                        elif re.search(r"进出口|贸易|外贸|经贸|进口|出口", clause) or (sentence_trade and before[-1:] == "对"):
                            pred = "tradesWith"
                        else:
                            continue
                        rel(eff_subject, pred, p.iri, sent, 0.8)
                if "贸易伙伴" in clause and eff_subject:
                    for p in (x for x in in_clause if x.cls in PARTNER):
                        rel(eff_subject, "tradesWith", p.iri, sent, 0.7)
                # traded products: named in the clause, or earlier in the sentence ("汽车、家电等优势产品，出口分别增长")
                # "对韩国机电产品进出口": goods traded both ways
                directions = [verb] if verb else (["exports", "imports"] if "进出口" in clause else [])
                goods = products or ([x for x in sentence_products if x.m.end <= c_start]
                                     if directions and not subj and not partners else [])
                if goods and directions:
                    traders = [subj] if subj else ([x.iri for x in sentence_enterprises if x.cls == "Enterprise"] or [subject])
                    traders += producers
                    for t in traders:
                        for p in goods:
                            for d in directions:
                                rel(t, d, p.iri, sent, 0.75 if verb else 0.6)
                if partners and producers and verb == "exports":
                    for t in producers:
                        for p in partners:
                            rel(t, "exportsTo", p.iri, sent, 0.7)

            # --- observations ---------------------------------------------------------
            for n, am in enumerate(amounts):
                parsed = parse_amount(am)
                if not parsed:
                    continue
                value, unit, qualifier = parsed
                a_start = sent.start + am.start()
                a_end = sent.start + am.end()
                c_start = max([c for c, _ in _clauses(sent) if c <= a_start] or [sent.start])
                clause_before = page[c_start:a_start]
                if _THRESHOLD.match(page[a_end:a_end + 4]) or _NOT_FACT.search(page[sent.start:a_end]):
                    continue
                if value < 10000 and unit == "CNY":
                    continue  # a fee or a price, not an economic statistic
                in_clause = [x for x in linked if c_start <= x.m.start and x.m.end <= a_start]
                subj = self._subject(page, in_clause, clause_before, home)
                if subj is None and any(x.cls in REGION and _BODY_AFTER_PLACE.match(page[x.m.end:x.m.end + 4]) for x in in_clause):
                    continue
                if subj is None and any(x.cls in REGION and _BODY_AFTER_PLACE.match(page[x.m.end:x.m.end + 4])
                                        for x in linked[:1]):
                    continue  # the sentence is about a customs office or a government body
                if subj is None:
                    earlier = [x for x in linked if x.m.end <= c_start]
                    subj = self._subject(page, earlier, page[sent.start:c_start], home) or subject
                if subj is None:
                    continue
                # "对欧盟、美国分别进出口980.1亿元、860.4亿元": a list of amounts in one clause pairs
                # with the list of partners or products before it
                listed = [x for x in amounts if sent.start + x.start() >= c_start and "，" not in text[am.start():x.start()]
                          and "，" not in text[x.start():am.start()] and "；" not in text[min(x.start(), am.start()):max(x.start(), am.start())]]
                position = listed.index(am) if am in listed else 0
                respective = len(listed) > 1 and "分别" in page[c_start:a_start]
                partners_here = [x for x in in_clause if x.cls in PARTNER]
                prods = [x for x in in_clause if x.cls == "Product"]
                if respective and len(partners_here) == len(listed):
                    partner = partners_here[position].iri
                else:
                    partner = partners_here[-1].iri if partners_here else None
                product = None
                if prods:
                    if respective and len(prods) == len(listed):
                        product = prods[position].iri
                    elif len(amounts) > 1 and len(prods) == len(amounts) and "分别" in text:
                        product = prods[n].iri
                    else:
                        product = prods[-1].iri
                last_mention_end = max([x.m.end for x in in_clause] + [c_start])
                if respective and position > 0:
                    last_mention_end = max([x.m.end for x in in_clause] + [c_start])
                    indicator_span = page[last_mention_end:sent.start + listed[0].start()]
                else:
                    indicator_span = page[last_mention_end:a_start]
                indicator = _FILLER.sub("", PERIOD.sub("", indicator_span)).strip("、，（）() ")
                if not indicator:
                    indicator = "出口" if re.search(r"(?<!进)出口", clause_before) else ("进口" if "进口" in clause_before else "金额")
                if re.search(r"担保|罚|捐", indicator):
                    continue
                growth = None
                next_start = amounts[n + 1].start() if n + 1 < len(amounts) else len(text)
                if listed_rates and len(listed_rates) == len(amounts):
                    growth = listed_rates[n]
                else:
                    for g in growths:
                        if am.end() <= g.start() < next_start:
                            g_start = sent.start + g.start()
                            # a rate stated for another subject ("其中湘西、张家界分别增长50.3%") is not this one's
                            if "其中" in page[a_end:g_start] or any(
                                    a_end <= x.m.start < g_start and x.cls in SUBJECT for x in linked):
                                break
                            growth = parse_growth(g)
                            break
                pm_label, p_start, p_end = period if period else (None, None, None)
                observations.append(Observation(
                    entity=subj, indicator=indicator, value=value, unit=unit, article=key,
                    evidence=text, growth=growth, period_label=pm_label, period_start=p_start,
                    period_end=p_end, partner=partner, product=product, qualifier=qualifier,
                    confidence=0.85 if subj and (growth is not None or period) else 0.7))
        return relations, observations

    def _subject(self, page: str, in_clause: list[Linked], clause: str, home: dict[str, str]) -> str | None:
        """Who a clause is about: its first place or company not marked as a partner."""
        for x in in_clause:
            if x.cls not in SUBJECT and not (x.cls == "Country" and x.m.key == "CN"):
                continue
            if x.cls in REGION and _BODY_AFTER_PLACE.match(page[x.m.end:x.m.end + 4]):
                continue
            if _PARTNER_MARK.search(page[x.m.start - 1:x.m.start]):
                continue
            if any(o is not x and o.cls in ORG and o.m.start <= x.m.start and x.m.end <= o.m.end for o in in_clause):
                continue  # a place inside a name is not the subject
            return x.iri
        if "我国" in clause or clause.startswith("全国"):
            return self.china
        for word, level in _SELF.items():
            if word in clause and level in home:
                return home[level]
        return None
