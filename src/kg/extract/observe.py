"""Observations: the figures of a sentence, each with its subject, indicator, growth, period,
partner and product.

Chinese economic reporting states its figures in a few shapes, which the steps follow:
"[period]，[subject][indicator][amount]，同比增长[rate]"; a subject carried over from
earlier sentences ("同期，对俄罗斯进出口102亿元" is still the city's); lists paired by 分别
("对欧盟、美国分别进出口980.1亿元、860.4亿元"). Targets and thresholds (力争, 预计,
5亿元以上) are not statistics.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from kg.extract import lexicon
from kg.extract.numbers import AMOUNT, GROWTH, PERIOD, parse_amount, parse_growth, parse_period
from kg.extract.sentence_view import (ORG, PARTNER, SUBJECT, ArticleState, Linked, SentenceView, is_body,
                                      COUNT, EXPORT_WORD, in_brackets, is_partner, is_project_count, is_subject)
from kg.model import Observation

NOT_FACT = lexicon.pattern("obs_not_fact")
# 5亿元以上的项目 is a threshold; 货值200亿元以上。 is a lower bound, so a figure
THRESHOLD = lexicon.pattern("obs_threshold_tail", "^(?:人民币)?{}(?![，。；,;：:、）)]|$)")
NOT_STAT_TAIL = lexicon.pattern("obs_not_stat_tail", "^(?:人民币)?{}")
NOT_STAT_HEAD = lexicon.pattern("obs_not_stat_head", "{}$")
RANGE_TAIL = re.compile(r"^(?:至|到|-|—|~|～)\d")
# 9个项目计划投资377.6亿元: the planned investment of signed projects is a fact of the
# signing; 今年计划投资 is a target
PLANNED = re.compile(r"(?<!今年|明年|全年|年内|年度)计划(?:[\d一二三四五六七八九十]+年)?总?投资")
EVENT = lexicon.pattern("obs_event_word")
INVESTMENT = lexicon.pattern("obs_investment_word")
NEW_STATEMENT = re.compile(r"(?:^|[，；;,\s])(" + lexicon.alternation("obs_indicator_head") + ")")
RESPECTIVE_RATES = re.compile(r"分别(增长|下降)((?:\d+(?:\.\d+)?(?:%|倍)[、和]?)+)")
THIS_COMPANY = re.compile(r"这家[^，。；]{0,16}?(?:企业|公司)")  # 这家入驻经开区不到两年的企业
ANAPHORA = tuple(tuple(line.split()) for line in lexicon.words("obs_anaphora"))
# filler words between the subject and the amount, tried after the words kept whole
FILLER = re.compile("(" + lexicon.alternation("obs_indicator_keep") + ")|" + lexicon.alternation("obs_filler", longest_first=False))
SAME_DAY = lexicon.pattern("obs_same_day")
SINCE = lexicon.pattern("obs_since", "{}?以来")
NOT_INDICATOR = lexicon.pattern("obs_not_indicator")


def respective_rates(text: str, start: int = 0) -> list[float]:
    """The rates of "分别增长181.9%、51.5%" in order, the first such list from `start` (empty
    when there is none)."""
    m = RESPECTIVE_RATES.search(text, start)
    if not m:
        return []
    sign = -1 if m.group(1) == "下降" else 1
    rates = []
    for num, unit in re.findall(r"(\d+(?:\.\d+)?)(%|倍)", m.group(2)):
        rates.append(sign * float(num) * (100 if unit == "倍" else 1))
    return rates


def in_target_clause(v: SentenceView, pos: int) -> bool:
    """Whether the clause holding page offset `pos` states a target or plan (力争, 预计, 计划于)."""
    start, end = next(((c, e) for c, e in v.clauses if c <= pos <= e), (v.sent.start, v.sent.end))
    return NOT_FACT.search(PLANNED.sub("", v.page[start:end])) is not None


Period = tuple[str, "str | None", "str | None"]


def sentence_periods(v: SentenceView, st: ArticleState) -> list[tuple[int, Period]]:
    """The periods a sentence states (page offset, period), leaving out those of a target or
    plan (计划于2025年10月投入运营). An undated article's year moves on to a later year the
    text states (2022年上半年, then 6月当月 is 2022's)."""
    text, article, out = v.text, st.article, []
    month = article.date[:7] if article.date else None
    targets = NOT_FACT.search(text) is not None
    for pm in PERIOD.finditer(text):
        if not pm.group(0) or (targets and in_target_clause(v, v.sent.start + pm.start())):
            continue  # (an empty match: the lookbehind of 2023年 seen again after it)
        period = parse_period(pm, st.year)
        since = SINCE.match(text[pm.end():pm.end() + 4]) is not None
        # "自去年9月启动以来", "今年以来": from then until the article's month
        if month and period[1] and since:
            period = (period[0] + "以来", period[1], max(month, period[1]))
        if pm.group("year") and not since and not article.date and int(pm.group("year")) > (st.year or 0):
            st.year = int(pm.group("year"))
        out.append((v.sent.start + pm.start(), period))
    return out


def update_period(v: SentenceView, st: ArticleState) -> list[tuple[int, Period]]:
    """The period in force after the sentence: its first own, else 当天 for a dated figure,
    else the last one. Returns the sentence's own periods."""
    own = sentence_periods(v, st)
    if own:
        st.period = own[0][1]
    elif st.article.date and SAME_DAY.search(v.text) and AMOUNT.search(v.text):
        st.period = ("当天", st.article.date[:7], st.article.date[:7])
    return own


def period_of(v: SentenceView, st: ArticleState, f: "Figure", own: list[tuple[int, Period]],
              indicator: str, subject: str) -> Period | None:
    """The last period stated before the figure in its sentence, else the sentence's first.
    A project's or a company's figure keeps only a period of its own clause (总投资20亿元 is
    no statistic of a period). A signing or ground-breaking total with no period of its own
    takes the event's month (the article's date): in a sentence telling the event, or in an
    investment story where only a whole year is in force. Else the period in force."""
    if st.classes.get(subject) in ("Project", "Enterprise"):
        end = next((e for c, e in v.clauses if c == f.clause_start), v.sent.end)
        return next((p for pos, p in own if f.clause_start <= pos < end), None)
    yearly = respective_year(v, f, own)
    if yearly:
        return yearly
    before = [p for pos, p in own if pos < f.start]
    if before or own:
        return (before or [own[0][1]])[-1]
    month = st.article.date[:7] if st.article.date else None
    if month and INVESTMENT.search(indicator) and (
            EVENT.search(v.text) or (st.investment_story and (st.period is None or st.period[1:] == whole_year(st.period)))):
        return ("当月", month, month)
    return st.period


_YEAR_LABEL = re.compile(r"(\d{4})年")
_YEAR_RANGE = re.compile(r"\d{4}年\s*(?:至|到|-|—|～|~)\s*$")


def respective_year(v: SentenceView, f: "Figure", own: list[tuple[int, Period]]) -> Period | None:
    """2016年至2018年，荣成GDP分别为1078亿元、1180亿元和1211.24亿元:
    each amount of a 分别 list takes its own year, when the years stated before the list, a
    range or a list of them (2021年和2022年), are as many as its amounts."""
    if not respective(v, f):
        return None
    # the years stated after the sentence's figure before the list (2015年…1022亿元；2016年至…)
    since = max((v.sent.start + a.end() for a in AMOUNT.finditer(v.text) if a.end() <= f.listed[0].start()),
                default=v.sent.start)
    stated = [(pos, int(m.group(1))) for pos, p in own if since <= pos < f.clause_start
              for m in [_YEAR_LABEL.fullmatch(p[0] or "")] if m]
    if len(stated) == 2 and _YEAR_RANGE.search(v.page[stated[0][0]:stated[1][0]]):
        years = list(range(stated[0][1], stated[1][1] + 1))
    else:
        years = [y for _, y in stated]
    if len(years) != len(f.listed) or years != sorted(set(years)):
        return None
    year = years[f.position]
    return f"{year}年", f"{year}-01", f"{year}-12"


def whole_year(period: Period) -> tuple[str | None, str | None]:
    """The start and end of the whole year of a period (2021年 → 2021-01, 2021-12)."""
    year = (period[1] or "")[:4]
    return (f"{year}-01", f"{year}-12") if year else (None, None)


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
    """Not a threshold (5亿元以上的项目), a range (500亿元至1000亿元之间), a mark to reach
    (离千亿元), a target (力争…, 的目标), a prize, nor a fee or a price (under 10,000 yuan)."""
    page = v.page
    tail = page[f.end:f.end + 6]
    if THRESHOLD.match(tail) or NOT_STAT_TAIL.match(tail) or RANGE_TAIL.match(tail):
        return False
    if NOT_STAT_HEAD.search(page[max(v.sent.start, f.start - 2):f.start]) or in_target_frame(v, f):
        return False
    return not (value < 10000 and unit == "CNY")


def in_target_frame(v: SentenceView, f: Figure) -> bool:
    """A target word before the amount in its clause, or in an earlier clause of the sentence
    that states no figure of its own (力争到2025年，全市进出口突破3000亿元)."""
    page = v.page
    if NOT_FACT.search(PLANNED.sub("", page[f.clause_start:f.end])):
        return True
    return any(NOT_FACT.search(PLANNED.sub("", page[c:e])) and not AMOUNT.search(page[c:e])
               for c, e in v.clauses if e <= f.clause_start)


def referent(v: SentenceView, st: ArticleState, f: Figure) -> list[str] | None:
    """该项目总投资5.25亿元 / 这家…企业，出口额…: at the head of the figure's clause or of its
    sentence, a word standing for the last entity of its class named before ([] when there
    is none: the figure is about something unnamed); None without such a word."""
    for start in dict.fromkeys((f.clause_start, v.sent.start)):
        head = v.page[start:f.start]
        for word, cls in ANAPHORA:
            if head.startswith(word) or (cls == "Enterprise" and head.startswith("这家") and THIS_COMPANY.match(head)):
                before = [y for y in v.linked if y.m.end <= start]
                last = next((x for x in itertools.chain(reversed(before), reversed(st.seen)) if x.cls == cls), None)
                return [last.iri] if last else []
    return None


def owners_after(v: SentenceView, f: Figure) -> list[str] | None:
    """投资25亿元的海韵工业小镇和兰州国际旅游港: the names an amount qualifies through 的
    ([] when what it qualifies is no known name); None when it qualifies nothing."""
    page, pos, owners = v.page, f.end + 1, []
    if page[f.end:pos] != "的" or not re.match(r"[\u4e00-\u9fff]", page[pos:pos + 1]):
        return None
    for x in v.linked:
        if x.m.start == pos and x.cls in ORG:
            owners.append(x.iri)
            pos = x.m.end + (1 if page[x.m.end:x.m.end + 1] in ("和", "、", "及") else 0)
    return owners


def invested_project(v: SentenceView, f: Figure, indicator: str) -> list[str]:
    """A签署现代装备制造项目，计划投资5亿元: an investment belongs to the one project named in
    its clause or the clause before, with no count of projects (…项目26个) between."""
    if not INVESTMENT.search(indicator):
        return []
    reach = max([c for c, _ in v.clauses if c < f.clause_start] or [f.clause_start])
    projects = {x.iri for x in v.linked if x.cls == "Project" and reach <= x.m.start and x.m.end <= f.start
                and not is_project_count(x) and not COUNT.search(v.page[x.m.end:f.start])}
    return list(projects) if len(projects) == 1 else []


def figure_subjects(v: SentenceView, st: ArticleState, f: Figure, indicator: str) -> list[str]:
    """Whom the figure is about: the names it qualifies (投资N亿元的X), else the entity a
    此/该 word stands for, else the one project an investment is of, else the clause's
    subject before the amount, else the sentence's before the clause, else the one in force
    at the clause, else the place the story is about; none when the sentence is about a
    customs office or a government body."""
    named = owners_after(v, f)
    if named is None:
        named = referent(v, st, f)
    if named is not None:
        return named
    page = v.page
    subj = (invested_project(v, f, indicator) or [None])[0] or st.subject_of(f.before, page[f.clause_start:f.start])
    if subj is not None:
        return [subj]
    if any(is_body(page, x) for x in f.before) or any(is_body(page, x) for x in v.linked[:1]):
        return []
    earlier = [x for x in v.linked if x.m.end <= f.clause_start]
    subj = (st.subject_of(earlier, page[v.sent.start:f.clause_start]) or st.clause_subjects.get(f.clause_start, st.subject)
            or st.place)  # 芦苞镇…总投资约126亿元 in a 三水区 story: a town's figure stays with the story's place
    return [subj] if subj else []


def respective(v: SentenceView, f: Figure) -> bool:
    """A list of amounts paired by 分别 with a list named before it."""
    return len(f.listed) > 1 and "分别" in v.page[f.clause_start:f.start]


def partner_of(v: SentenceView, f: Figure) -> str | None:
    """对欧盟、美国分别进出口…: the partner at the amount's place in the list, else the last
    named; not one named in brackets (欧盟(不含英国))."""
    partners = [x for x in f.before if x.cls in PARTNER and not in_brackets(v.page, f.clause_start, x.m.start)]
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
    indicator = FILLER.sub(lambda m: m.group(1) or "", PERIOD.sub("", span)).strip("、，（）() ")
    if indicator:
        return indicator
    clause_before = page[f.clause_start:f.start]
    return "出口" if EXPORT_WORD.search(clause_before) else ("进口" if "进口" in clause_before else "金额")


def growth_of(v: SentenceView, f: Figure, amounts: list[re.Match], rates: list[float],
              indicator: str = "") -> float | None:
    """分别增长181.9%、51.5% paired in order; else the first rate after the amount and before
    the next one, unless another subject comes between ("其中湘西、张家界分别增长50.3%")."""
    if rates and len(rates) == len(amounts):
        return rates[f.n]
    s0, text = v.sent.start, v.text
    if respective(v, f):  # 对美国和欧盟分别进出口36.2亿元和31.1亿元，分别下降31.7%和28.2%
        listed_rates = respective_rates(text, f.listed[-1].end())
        if len(listed_rates) == len(f.listed):
            return listed_rates[f.position]
    next_start = amounts[f.n + 1].start() if f.n + 1 < len(amounts) else len(text)
    g = next((g for g in GROWTH.finditer(text) if f.match.end() <= g.start() < next_start), None)
    if g is None:
        return None
    g_start = s0 + g.start()
    between = v.page[f.end:g_start]
    new = NEW_STATEMENT.search(between)
    if "其中" in between or (new and new.group(1) not in indicator) or any(
            f.end <= x.m.start < g_start and x.cls in SUBJECT for x in v.linked):
        return None  # 进出口总值逾5600亿元，进口同比增长15.4%: the rate is the imports' (not so for
        # 进出口总值397.6亿元，居全省第三位；进出口总值同比增长13.9%)
    return parse_growth(g)


def inherited_partner(v: SentenceView, st: ArticleState, f: Figure, subj: str) -> str | None:
    """对“一带一路”沿线国家进出口674.9亿元。其中，出口549.2亿元；进口125.7亿元: a figure with no
    partner of its own, in a clause naming none, keeps the partner of the figure before it
    (in its sentence, or in the sentence before when this one opens with 其中) for the same
    subject."""
    if st.last_partner is None or any(x.cls in PARTNER for x in f.before):
        return None
    same_sentence = st.observations and st.observations[-1].evidence == v.text
    if not same_sentence and not v.text.startswith("其中"):
        return None
    last_subject, partner = st.last_partner
    return partner if last_subject == subj else None


def observe(v: SentenceView, st: ArticleState) -> None:
    """The sentence's figures as observations, after the period in force is updated."""
    own = update_period(v, st)
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
        indicator = indicator_of(v, f)
        if NOT_INDICATOR.search(indicator):
            continue
        growth = growth_of(v, f, amounts, rates, indicator)
        for subj in figure_subjects(v, st, f, indicator):
            period = period_of(v, st, f, own, indicator, subj)
            label, p_start, p_end = period if period else (None, None, None)
            partner = partner_of(v, f) or inherited_partner(v, st, f, subj)
            st.observations.append(Observation(
                entity=subj, indicator=indicator, value=value, unit=unit, article=st.article.key,
                evidence=v.text, growth=growth, period_label=label, period_start=p_start,
                period_end=p_end, partner=partner, product=product_of(v, f, amounts), qualifier=qualifier,
                confidence=0.85 if growth is not None or period else 0.7))
            st.last_partner = (subj, partner)
    growth_only(v, st, own)


TRADE_WORD = re.compile("进出口|出口|进口")
INDICATOR_HEAD = re.compile(lexicon.alternation("obs_indicator_head"))
RATE_WORDS = re.compile(r"(?:同比|比上年|比去年同期?|较上年|分别|平均|均|也|还|则|亦)+$")
POINT_OPENER = re.compile(r"^(?:[一二三四五六七八九十]+是|其中|此外|另外)")  # 二是民营企业进出口


def growth_indicator(span: str, clause: str, named: bool) -> str:
    """The indicator of a growth stated alone, from the words between the last name and the
    rate: for a partner or a product its trade word (对非洲、拉美等新兴市场进出口 → 进出口;
    出口机电产品增长9.1% → 出口, from the clause); for a subject's own growth one indicator
    word ending the words (以一般贸易方式进出口, 交易额), not two (外贸总体平稳进口); else ""."""
    indicator = RATE_WORDS.sub("", FILLER.sub(lambda m: m.group(1) or "", PERIOD.sub("", span)).strip("、，（）() "))
    indicator = POINT_OPENER.sub("", indicator)
    if named:
        words = TRADE_WORD.findall(indicator) or TRADE_WORD.findall(clause)
        return words[-1] if words else ""
    heads = list(INDICATOR_HEAD.finditer(indicator))
    if len(heads) != 1 or heads[0].end() != len(indicator) or NOT_INDICATOR.search(indicator) \
            or re.search(r"[\d%]", indicator):
        return ""
    return indicator


def growth_targets(v: SentenceView, c_start: int, g: re.Match, clause: str) -> list[tuple[Linked | None, float]] | None:
    """Whom a growth stated alone is about, with its rate: the partners or products named
    before it (paired by 分别), or the clause's own subject (None); None when it names no
    one of its own (全市法院新收案件同比下降7.2%)."""
    page, g_start = v.page, c_start + g.start()
    before = v.within(c_start, g_start)
    named = [x for x in before if is_partner(page, c_start, x)] or [x for x in before if x.cls == "Product"]
    if not named and not any(is_subject(page, x, before) for x in before):
        return None
    rates = respective_rates(clause) if "分别" in clause else [parse_growth(g)]
    if not named:  # 长沙市进出口增长5%: the subject's own
        return [(None, rate) for rate in rates]
    if len(named) == len(rates):
        return list(zip(named, rates))
    return [(named[-1], rates[0])] if len(rates) == 1 else []


def growth_alone(clause: str) -> re.Match | None:
    """The growth rate of a clause stating no amount and no target (个百分点 is a share's change)."""
    g = GROWTH.search(clause)
    if g is None or g.group("unit") == "个百分点" or AMOUNT.search(clause) or NOT_FACT.search(clause):
        return None
    return g


def growth_observation(v: SentenceView, st: ArticleState, subject: str, indicator: str, period: Period,
                       x: Linked | None, rate: float) -> Observation:
    """The observation of a growth stated alone, about a partner or product x (or none)."""
    cls = x.cls if x is not None else ""
    return Observation(entity=subject, indicator=indicator, value=None, unit="", article=st.article.key,
                       evidence=v.text, growth=rate, period_label=period[0], period_start=period[1],
                       period_end=period[2], partner=x.iri if cls in PARTNER else None,
                       product=x.iri if cls == "Product" else None, confidence=0.7)


def growth_only(v: SentenceView, st: ArticleState, own: list[tuple[int, Period]]) -> None:
    """对韩国进出口增长2.3%: a clause stating a growth with no amount becomes an observation
    without value, when it names whom the growth is about: a partner, a product, or a subject
    of its own (not a bare 同比增长 after a figure, which is that figure's growth). A list
    paired by 分别 (对美国、欧盟出口分别增长3%、5%) gives one per name."""
    page = v.page
    for c_start, c_end in v.clauses:
        clause = page[c_start:c_end]
        g = growth_alone(clause)
        targets = growth_targets(v, c_start, g, clause) if g else None
        if not targets:
            continue
        g_start = c_start + g.start()
        before = v.within(c_start, g_start)
        indicator = growth_indicator(page[max([x.m.end for x in before] + [c_start]):g_start], page[c_start:g_start],
                                     any(x is not None for x, _ in targets))
        subject = st.subject_of(before, page[c_start:g_start]) or st.clause_subjects.get(c_start, st.subject) or st.place
        if not indicator or subject is None:
            continue
        before_periods = [p for pos, p in own if pos < g_start]
        period = before_periods[-1] if before_periods else (st.period or (None, None, None))
        st.observations += [growth_observation(v, st, subject, indicator, period, x, rate)
                            for x, rate in targets if x is None or x.iri != subject]
