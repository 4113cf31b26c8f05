"""Each relation rule on a hand-written sentence, with hand-placed mentions (no recogniser)."""

import pytest

from kg.extract import relation_rules as rr
from kg.extract.sentence_view import ArticleState, Linked, SentenceView, clause_view, home_regions, story_place
from kg.model import Article, Mention, Relation, Sentence


def view(text: str, names, date: str = "2024-05-10") -> tuple[SentenceView, ArticleState]:
    """A one-sentence article; `names` are (surface, class) or (surface, class, occurrence),
    linked to the IRI "class:surface"."""
    linked = []
    for name in names:
        surface, cls, nth = (*name, 0) if len(name) == 2 else name
        start = -1
        for _ in range(nth + 1):
            start = text.index(surface, start + 1)
        m = Mention(surface, cls, start, start + len(surface), surface, "gazetteer", surface)
        linked.append(Linked(m, f"{cls}:{surface}"))
    linked.sort(key=lambda x: (x.m.start, -x.m.end))
    sent = Sentence(text, 0, len(text))
    article = Article("t.txt", 1, None, date, int(date[:4]) if date else None, 0, len(text), 0, len(text), [sent])
    return SentenceView(text, sent, linked), ArticleState(
        text, article, "Country:中国", home_regions(linked), place=story_place(linked),
        classes={x.iri: x.cls for x in linked}, investment_story=rr.EVENT.search(text) is not None)


def facts(rule, text, names):
    v, st = view(text, names)
    return {(s, p, o) for s, p, o, _ in rule(v, st)}


def clause_facts(rule, text, names):
    v, st = view(text, names)
    out = set()
    for c_start, c_end in v.clauses:
        out |= {(s, p, o) for s, p, o, _ in rule(v, st, clause_view(st, v, c_start, c_end))}
    return out


def test_located_by_name():
    assert facts(rr.located_by_name, "桂林综保区一季度进出口增长。", [("桂林综保区", "Platform"), ("桂林", "City")]) == {
        ("Platform:桂林综保区", "locatedIn", "City:桂林")}


def test_participates_by_name():
    got = facts(rr.participates_by_name, "玉柴钦州动力基地项目开工。",
                [("玉柴钦州动力基地项目", "Project"), ("玉柴", "Enterprise"), ("钦州", "City")])
    assert got == {("Enterprise:玉柴", "participatesIn", "Project:玉柴钦州动力基地项目")}


def test_located_by_adjacency_takes_the_whole_list():
    got = facts(rr.located_by_adjacency, "吉林市的北方化纤、东北石化等企业参展。",
                [("吉林市", "City"), ("北方化纤", "Enterprise"), ("东北石化", "Enterprise")])
    assert got == {("Enterprise:北方化纤", "locatedIn", "City:吉林市"), ("Enterprise:东北石化", "locatedIn", "City:吉林市")}


def test_located_by_lead_place_skips_companies_and_placed_names():
    names = [("喀什市", "City"), ("丝路产业园", "Platform"), ("商贸物流园", "Platform"), ("天山纺织", "Enterprise")]
    text = "喀什市的丝路产业园入选名单，商贸物流园和天山纺织也在其中。"
    assert facts(rr.located_by_lead_place, text, names) == {
        ("Platform:丝路产业园", "locatedIn", "City:喀什市"), ("Platform:商贸物流园", "locatedIn", "City:喀什市")}
    v, st = view(text, names)
    st.relations.append(Relation("Platform:丝路产业园", "locatedIn", "City:喀什市", "t-1", text, 0.7))
    assert {o for _, _, o, _ in rr.located_by_lead_place(v, st)} == {"City:喀什市"}
    assert [s for s, _, _, _ in rr.located_by_lead_place(v, st)] == ["Platform:商贸物流园"]


def test_no_lead_place_for_a_government_body():
    assert facts(rr.located_by_lead_place, "喀什市政府表示，丝路产业园入选名单。",
                 [("喀什市", "City"), ("丝路产业园", "Platform")]) == set()


def test_located_by_verb():
    assert facts(rr.located_by_verb, "新能源电池项目正式落户柳州市。",
                 [("新能源电池项目", "Project"), ("柳州市", "City")]) == {
        ("Project:新能源电池项目", "locatedIn", "City:柳州市")}


def test_participates_by_verb():
    assert facts(rr.participates_by_verb, "由中铁四局承建的南宁东站扩建项目开工。",
                 [("中铁四局", "Enterprise"), ("南宁东站扩建项目", "Project")]) == {
        ("Enterprise:中铁四局", "participatesIn", "Project:南宁东站扩建项目")}


def test_no_participation_across_a_comma():
    assert facts(rr.participates_by_verb, "中铁四局表示，投资建设的南宁东站扩建项目开工。",
                 [("中铁四局", "Enterprise"), ("南宁东站扩建项目", "Project")]) == set()
    assert facts(rr.participates_by_verb, "A项目由中铁四局在邕宁建设；南宁东站扩建项目由他方建设。",
                 [("中铁四局", "Enterprise"), ("南宁东站扩建项目", "Project")]) == set()


def test_trade_partner_directions():
    names = [("伊犁州", "City"), ("哈萨克斯坦", "Country"), ("美国", "Country"), ("澳大利亚", "Country")]
    got = clause_facts(rr.trade_partner, "伊犁州对哈萨克斯坦进出口20亿元，出口美国3亿元，从澳大利亚进口1亿元。", names)
    assert got == {("City:伊犁州", "tradesWith", "Country:哈萨克斯坦"), ("City:伊犁州", "exportsTo", "Country:美国"),
                   ("City:伊犁州", "importsFrom", "Country:澳大利亚")}


def test_trade_partner_word():
    assert clause_facts(rr.trade_partner_word, "东盟继续成为南宁市第一大贸易伙伴。",
                        [("东盟", "EconomicBloc"), ("南宁市", "City")]) == {("City:南宁市", "tradesWith", "EconomicBloc:东盟")}


def test_product_trade():
    got = clause_facts(rr.product_trade, "南宁市出口电子产品50亿元，进口铁矿砂8亿元。",
                       [("南宁市", "City"), ("电子产品", "Product"), ("铁矿砂", "Product")])
    assert got == {("City:南宁市", "exports", "Product:电子产品"), ("City:南宁市", "imports", "Product:铁矿砂")}


def test_product_trade_by_a_shipping_verb():
    # 远销, 销往 … ship goods out as 出口 does
    got = clause_facts(rr.product_trade, "南宁市生产的电子产品远销东盟各国。",
                       [("南宁市", "City"), ("电子产品", "Product"), ("东盟", "EconomicBloc")])
    assert got == {("City:南宁市", "exports", "Product:电子产品")}


def test_producer_exports():
    got = clause_facts(rr.producer_exports, "由广西玉柴机器股份有限公司生产的发动机出口越南。",
                       [("广西玉柴机器股份有限公司", "Enterprise"), ("发动机", "Product"), ("越南", "Country")])
    assert got == {("Enterprise:广西玉柴机器股份有限公司", "exportsTo", "Country:越南")}


def test_located_by_name_of_a_branch_and_not_by_an_outside_company():
    got = facts(rr.located_by_name, "西安某某药业有限公司榆林分公司投产。",
                [("西安某某药业有限公司榆林分公司", "Enterprise"), ("西安", "City"), ("榆林", "City")])
    assert got == {("Enterprise:西安某某药业有限公司榆林分公司", "locatedIn", "City:榆林")}
    names = [("天津某某科技有限公司硅材料项目", "Project"), ("天津", "City"),
             ("榆林某某化工有限公司甲醇项目", "Project"), ("榆林", "City")]
    v, st = view("开工天津某某科技有限公司硅材料项目和榆林某某化工有限公司甲醇项目。", names)
    st.place = "City:榆林"  # a story about 榆林: its companies' projects are there
    assert {(s, o) for s, _, o, _ in rr.located_by_name(v, st)} == {("Project:榆林某某化工有限公司甲醇项目", "City:榆林")}


@pytest.mark.parametrize("rule, text, names, expected", [
    ("located_by_verb", "两个新材料项目将落户宜宾经开区。",  # into a park: the place its name shows
     [("两个新材料项目", "Project"), ("宜宾经开区", "Platform"), ("宜宾", "City")],
     ("Project:两个新材料项目", "locatedIn", "City:宜宾")),
    ("located_by_verb_before", "落户翠屏区的宁德动力电池项目总投资50亿元。",
     [("翠屏区", "County"), ("动力电池项目", "Project")], ("Project:动力电池项目", "locatedIn", "County:翠屏区")),
    ("located_by_later_verb", "光伏组件项目总投资30亿元，落地叙州区，明年投产。",
     [("光伏组件项目", "Project"), ("叙州区", "County")], ("Project:光伏组件项目", "locatedIn", "County:叙州区")),
    ("located_by_signing", "某某锂业公司此次与翠屏区签下正极材料项目。",
     [("某某锂业公司", "Enterprise"), ("翠屏区", "County"), ("正极材料项目", "Project")],
     ("Project:正极材料项目", "locatedIn", "County:翠屏区")),
    ("participates_by_verb", "某某新能源科技有限公司的储能电池项目开工。",  # through 的
     [("某某新能源科技有限公司", "Enterprise"), ("储能电池项目", "Project")],
     ("Enterprise:某某新能源科技有限公司", "participatesIn", "Project:储能电池项目")),
])
def test_investment_story_rules(rule, text, names, expected):
    assert facts(getattr(rr, rule), text, names) == {expected}


def test_participates_as_the_investor_named_after_the_project():
    names = [("冷链物流园项目", "Project"), ("某某物流集团有限公司", "Enterprise"), ("叙州区", "County")]
    assert facts(rr.participates_by_investor, "冷链物流园项目由某某物流集团有限公司计划在叙州区建设。", names) == {
        ("Enterprise:某某物流集团有限公司", "participatesIn", "Project:冷链物流园项目")}
    assert facts(rr.participates_by_investor, "冷链物流园项目开工，投资方为某某物流集团有限公司。", names[:2]) == {
        ("Enterprise:某某物流集团有限公司", "participatesIn", "Project:冷链物流园项目")}
    assert facts(rr.participates_by_investor, "冷链物流园项目由某某物流集团有限公司介绍。", names[:2]) == set()


def test_investment_story_locates_its_projects_in_its_place():
    first, st = view("宜宾市12个重点项目集中开工，总投资80亿元，居宜宾市历年之首。", [("宜宾市", "City"), ("宜宾市", "City", 1)])
    second, _ = view("其中，锂电隔膜项目和宜宾港二期项目备受关注。",
                     [("锂电隔膜项目", "Project"), ("宜宾港二期项目", "Project")])
    got = {(s, o) for _, (s, _, o, _) in rr.located_in_story_place([first, second], st)}
    assert got == {("Project:锂电隔膜项目", "City:宜宾市"), ("Project:宜宾港二期项目", "City:宜宾市")}
    calm, st = view("宜宾市发布一季度经济数据。", [("宜宾市", "City")])
    assert list(rr.located_in_story_place([calm, second], st)) == []


def test_story_place_is_a_clear_local_place():
    def place(text, names):
        return view(text, names)[1].place
    assert place("宜宾市开工，宜宾市签约。", [("宜宾市", "City"), ("宜宾市", "City", 1)]) == "City:宜宾市"
    assert place("宜宾市开工，泸州市签约。", [("宜宾市", "City"), ("泸州市", "City")]) is None  # named once each
    assert place("四川省、四川省和宜宾市、宜宾市。", [("四川省", "Province"), ("四川省", "Province", 1),
                                            ("宜宾市", "City"), ("宜宾市", "City", 1)]) == "City:宜宾市"
    assert place("成都某某有限公司、成都某某有限公司与宜宾市。", [("成都某某有限公司", "Enterprise"), ("成都", "City"),
                                                 ("成都某某有限公司", "Enterprise", 1), ("成都", "City", 1),
                                                 ("宜宾市", "City")]) is None  # 成都 only inside names


def test_located_by_building_place():
    got = facts(rr.located_by_building_place, "冷链物流园项目由某某物流集团有限公司计划在叙州区建设。",
                [("冷链物流园项目", "Project"), ("某某物流集团有限公司", "Enterprise"), ("叙州区", "County")])
    assert got == {("Project:冷链物流园项目", "locatedIn", "County:叙州区")}
    assert facts(rr.located_by_building_place, "冷链物流园项目负责人在叙州区介绍情况。",
                 [("冷链物流园项目", "Project"), ("叙州区", "County")]) == set()


def test_located_by_verb_places_a_listed_pair():
    got = facts(rr.located_by_verb, "锂电项目、隔膜项目两个项目将落户叙州区。",
                [("锂电项目", "Project"), ("隔膜项目", "Project"), ("叙州区", "County")])
    assert got == {("Project:锂电项目", "locatedIn", "County:叙州区"), ("Project:隔膜项目", "locatedIn", "County:叙州区")}


def test_export_destinations_listed_after_a_shipping_verb():
    names = [("某某食品公司", "Enterprise"), ("俄罗斯", "Country"), ("英国", "Country"), ("墨西哥", "Country"), ("东南亚", "EconomicBloc")]
    got = clause_facts(rr.trade_partner, "某某食品公司的辣椒远销俄罗斯，此后又陆续销往英国、墨西哥以及东南亚等地。", names)
    assert got == {("Enterprise:某某食品公司", "exportsTo", x) for x in
                   ("Country:俄罗斯", "Country:英国", "Country:墨西哥", "EconomicBloc:东南亚")}


def test_a_project_named_by_a_company_of_the_article_is_the_company_s():
    first, st = view("吉林某泰控股集团有限公司与长春市签约。", [("吉林某泰控股集团有限公司", "Enterprise"), ("吉林", "Province"),
                                                   ("长春市", "City")])
    second, _ = view("某泰新材料产业化项目和长春高新储能项目同日开工。",
                     [("某泰新材料产业化项目", "Project"), ("长春高新储能项目", "Project"), ("长春", "City")])
    got = {(s, p, o) for _, (s, p, o, _) in rr.participates_by_short_name([first, second], st)}
    assert got == {("Enterprise:吉林某泰控股集团有限公司", "participatesIn", "Project:某泰新材料产业化项目")}
    # a company whose short name is only a place or its form names no project
    bare, st = view("长春集团有限公司发布年报。", [("长春集团有限公司", "Enterprise"), ("长春", "City")])
    assert list(rr.participates_by_short_name([bare, second], st)) == []


@pytest.mark.parametrize("text, names", [("喀什市", [("喀什市", "City")]), ("", []), ("投资5亿元的", []),
                                         ("该项目", []), ("（（，，））", []), ("位于喀什市的", [("喀什市", "City")])])
def test_rules_take_sentences_cut_short(text, names):
    v, st = view(text, names)
    for rule in rr.SENTENCE_RULES:
        list(rule(v, st))
    for c_start, c_end in v.clauses:
        c = clause_view(st, v, c_start, c_end)
        for rule in rr.CLAUSE_RULES:
            list(rule(v, st, c))
    assert list(rr.located_in_story_place([v], st)) == []


def test_product_trade_by_the_subject_of_an_earlier_clause():
    got = clause_facts(rr.product_trade, "作为边境口岸，二连浩特综保区已引进企业30家，业务主要涵盖木材进口。",
                       [("二连浩特综保区", "Platform"), ("木材", "Product")])
    assert got == {("Platform:二连浩特综保区", "imports", "Product:木材")}


def test_goods_naming_a_company_kind_are_not_traded_by_the_place():
    got = clause_facts(rr.product_trade, "钦州港区一家家具进出口企业订单增长。",
                       [("钦州港区", "Platform"), ("家具", "Product")])
    assert got == set()


def test_a_province_before_its_city_leaves_the_city_the_subject():
    got = clause_facts(rr.product_trade, "吉林省珲春市是重要的进口海产品集散地。",
                       [("吉林省", "Province"), ("珲春市", "City"), ("海产品", "Product")])
    assert got == {("City:珲春市", "imports", "Product:海产品")}


def test_a_company_served_is_no_trader():
    v, st = view("推行进口铁矿砂快速验放模式，做好对柳钢等重点企业的服务。",
                 [("铁矿砂", "Product"), ("柳钢", "Enterprise")])
    st.subject = "City:柳州市"
    got = set()
    for c_start, c_end in v.clauses:
        got |= {(s, p, o) for s, p, o, _ in rr.product_trade(v, st, clause_view(st, v, c_start, c_end))}
    assert got == {("City:柳州市", "imports", "Product:铁矿砂")}
