"""Observations: the figures of a sentence, each with its subject, indicator, growth, period,
partner and product.

Chinese economic reporting states its figures in a few shapes, which the steps follow:
"[period]，[subject][indicator][amount]，同比增长[rate]"; a subject carried over from
earlier sentences ("同期，对俄罗斯进出口102亿元" is still the city's); lists paired by 分别
("对欧盟、美国分别进出口980.1亿元、860.4亿元"). Targets and thresholds (力争, 预计,
5亿元以上) are not statistics.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kg.extract import lexicon
from kg.extract.numbers import AMOUNT, GROWTH, PERIOD, parse_amount, parse_growth, parse_period
from kg.extract.sentence_view import PARTNER, SUBJECT, ArticleState, Linked, SentenceView, is_body
from kg.model import Observation

NOT_FACT = lexicon.pattern("obs_not_fact")
THRESHOLD = lexicon.pattern("obs_threshold_tail", "^{}")
FILLER = lexicon.pattern("obs_filler", longest_first=False)
SAME_DAY = lexicon.pattern("obs_same_day")
SINCE = lexicon.pattern("obs_since", "{}?以来")
NOT_INDICATOR = lexicon.pattern("obs_not_indicator")


def respective_rates(text: str) -> list[float]:
    """The rates of "分别增长181.9%、51.5%" in order (empty when the sentence has no such list)."""
    m = re.search(r"分别(增长|下降)((?:\d+(?:\.\d+)?(?:%|倍)[、和]?)+)", text)
    if not m:
        return []
    sign = -1 if m.group(1) == "下降" else 1
    rates = []
    for num, unit in re.findall(r"(\d+(?:\.\d+)?)(%|倍)", m.group(2)):
        rates.append(sign * float(num) * (100 if unit == "倍" else 1))
    return rates


def update_period(v: SentenceView, st: ArticleState) -> None:
    """The period in force: the sentence's own, else 当天 for a dated figure, else the last one."""
    text, article = v.text, st.article
    pm = PERIOD.search(text)
    if pm:
        period = parse_period(pm, article.year)
        month = article.date[:7] if article.date else None
        # "自去年9月启动以来", "今年以来": from then until the article's month
        if month and period[1] and SINCE.match(text[pm.end():pm.end() + 4]):
            period = (period[0] + "以来", period[1], max(month, period[1]))
        st.period = period
    elif article.date and SAME_DAY.search(text) and AMOUNT.search(text):
        st.period = ("当天", article.date[:7], article.date[:7])


@dataclass
class Figure:
    """One amount of a sentence and the clause it sits in (page offsets)."""

    n: int                    # its position among the sentence's amounts
    match: re.Match
    start: int
    end: int
    clause_start: int
    before: list[Linked]      # the clause's mentions before the amount
    listed: list[re.Match]    # the amounts of its list (one clause, no comma between)

    @property
    def position(self) -> int:
        return self.listed.index(self.match) if self.match in self.listed else 0


def figure(v: SentenceView, amounts: list[re.Match], n: int) -> Figure:
    am, s0, text = amounts[n], v.sent.start, v.text
    a_start = s0 + am.start()
    c_start = max([c for c, _ in v.clauses if c <= a_start] or [s0])
    listed = [x for x in amounts if s0 + x.start() >= c_start and "，" not in text[am.start():x.start()]
              and "，" not in text[x.start():am.start()]
              and "；" not in text[min(x.start(), am.start()):max(x.start(), am.start())]]
    return Figure(n, am, a_start, s0 + am.end(), c_start, v.within(c_start, a_start), listed)


def is_statistic(v: SentenceView, f: Figure, value: float, unit: str) -> bool:
    """Not a threshold (5亿元以上), a target (力争…), nor a fee or a price (under 10,000 yuan)."""
    page = v.page
    if THRESHOLD.match(page[f.end:f.end + 4]) or NOT_FACT.search(page[v.sent.start:f.end]):
        return False
    return not (value < 10000 and unit == "CNY")


def figure_subject(v: SentenceView, st: ArticleState, f: Figure) -> str | None:
    """The clause's subject before the amount, else the sentence's before the clause, else the
    one carried over; none when the sentence is about a customs office or a government body."""
    page = v.page
    subj = st.subject_of(f.before, page[f.clause_start:f.start])
    if subj is not None:
        return subj
    if any(is_body(page, x) for x in f.before) or any(is_body(page, x) for x in v.linked[:1]):
        return None
    earlier = [x for x in v.linked if x.m.end <= f.clause_start]
    return st.subject_of(earlier, page[v.sent.start:f.clause_start]) or st.subject


def respective(v: SentenceView, f: Figure) -> bool:
    """A list of amounts paired by 分别 with a list named before it."""
    return len(f.listed) > 1 and "分别" in v.page[f.clause_start:f.start]


def partner_of(v: SentenceView, f: Figure) -> str | None:
    """对欧盟、美国分别进出口…: the partner at the amount's place in the list, else the last named."""
    partners = [x for x in f.before if x.cls in PARTNER]
    if respective(v, f) and len(partners) == len(f.listed):
        return partners[f.position].iri
    return partners[-1].iri if partners else None


def product_of(v: SentenceView, f: Figure, amounts: list[re.Match]) -> str | None:
    """电动汽车、锂离子电池分别出口41.8亿元、25.7亿元: the product at the amount's place."""
    prods = [x for x in f.before if x.cls == "Product"]
    if not prods:
        return None
    if respective(v, f) and len(prods) == len(f.listed):
        return prods[f.position].iri
    if len(amounts) > 1 and len(prods) == len(amounts) and "分别" in v.text:
        return prods[f.n].iri
    return prods[-1].iri


def indicator_of(v: SentenceView, f: Figure) -> str:
    """The words between the last name and the amount (the list's first amount for a later
    one), without period and filler: 长沙市进出口总值2358.8亿元 → 进出口总值."""
    page = v.page
    last_mention_end = max([x.m.end for x in f.before] + [f.clause_start])
    if respective(v, f) and f.position > 0:
        span = page[last_mention_end:v.sent.start + f.listed[0].start()]
    else:
        span = page[last_mention_end:f.start]
    indicator = FILLER.sub("", PERIOD.sub("", span)).strip("、，（）() ")
    if indicator:
        return indicator
    clause_before = page[f.clause_start:f.start]
    return "出口" if re.search(r"(?<!进)出口", clause_before) else ("进口" if "进口" in clause_before else "金额")


def growth_of(v: SentenceView, f: Figure, amounts: list[re.Match], rates: list[float]) -> float | None:
    """分别增长181.9%、51.5% paired in order; else the first rate after the amount and before
    the next one, unless another subject comes between ("其中湘西、张家界分别增长50.3%")."""
    if rates and len(rates) == len(amounts):
        return rates[f.n]
    s0, text = v.sent.start, v.text
    next_start = amounts[f.n + 1].start() if f.n + 1 < len(amounts) else len(text)
    g = next((g for g in GROWTH.finditer(text) if f.match.end() <= g.start() < next_start), None)
    if g is None:
        return None
    g_start = s0 + g.start()
    if "其中" in v.page[f.end:g_start] or any(f.end <= x.m.start < g_start and x.cls in SUBJECT for x in v.linked):
        return None
    return parse_growth(g)


def observe(v: SentenceView, st: ArticleState) -> None:
    """The sentence's figures as observations, after the period in force is updated."""
    update_period(v, st)
    amounts = list(AMOUNT.finditer(v.text))
    rates = respective_rates(v.text)
    for n, am in enumerate(amounts):
        parsed = parse_amount(am)
        if not parsed:
            continue
        value, unit, qualifier = parsed
        f = figure(v, amounts, n)
        if not is_statistic(v, f, value, unit):
            continue
        subj = figure_subject(v, st, f)
        if subj is None:
            continue
        indicator = indicator_of(v, f)
        if NOT_INDICATOR.search(indicator):
            continue
        growth = growth_of(v, f, amounts, rates)
        label, p_start, p_end = st.period if st.period else (None, None, None)
        st.observations.append(Observation(
            entity=subj, indicator=indicator, value=value, unit=unit, article=st.article.key,
            evidence=v.text, growth=growth, period_label=label, period_start=p_start,
            period_end=p_end, partner=partner_of(v, f), product=product_of(v, f, amounts), qualifier=qualifier,
            confidence=0.85 if subj and (growth is not None or st.period) else 0.7))
