"""Each source of the recogniser's table on its own, on a hand-written sentence."""

import pytest

from kg.extract import recognise_goods as goods
from kg.extract import recognise_sources as src
from kg.extract.gazetteer import load
from kg.extract.recognise import Recogniser
from kg.model import Sentence


@pytest.fixture(scope="module")
def run():
    rec = Recogniser(load())

    def go(source, text):
        return {(m.text, m.cls) for m in source(rec, text, Sentence(text, 0, len(text)))}

    return go


def test_table_runs_dictionary_first_and_goods_last():
    assert src.SOURCES[0] is src.dictionary_names
    assert src.SOURCES[-len(goods.GOODS_SOURCES):] == goods.GOODS_SOURCES


def test_dictionary_names_places_and_known_companies(run):
    found = run(src.dictionary_names, "三一重工在长沙市新建了一条生产线。")
    assert ("长沙市", "City") in found
    assert any(cls == "Enterprise" and name.startswith("三一") for name, cls in found)


def test_dictionary_company_running_into_an_institution_is_dropped(run):
    found = run(src.dictionary_names, "三一重工研究院发布报告。")
    assert not any(cls == "Enterprise" for _, cls in found)


def test_a_place_heading_a_zone_kind_is_kept_where_jieba_reads_across_the_join(run):
    # jieba reads 邵|东经|开区: the county still names the zone's place; 南平 in 湘南平均 names nothing
    assert ("邵东", "County") in run(src.dictionary_names, "12月10日，邵东经开区召开座谈会。")
    assert ("南平", "City") not in run(src.dictionary_names, "湘南平均气温上升。")  # jieba: 湘南|平均


def test_a_city_and_gang_name_its_port(run):
    assert ("钦州港", "Platform") in run(src.ports_of_places, "钦州港集装箱吞吐量增长20%。")
    # the city stays a mention where jieba reads 厦门港 as one word
    assert ("厦门", "City") in run(src.dictionary_names, "锂电池经厦门港出口。")
    for text in ["厦门港口吞吐量增长。", "广州港澳合作加深。", "深圳港资企业增多。", "连云港市外贸增长。"]:
        assert not run(src.ports_of_places, text), text


def test_a_national_pilot_zone_is_one_platform_name(run):
    found = run(src.suffix_names, "凭祥加快推进凭祥国家重点开发开放试验区建设。")
    assert ("凭祥国家重点开发开放试验区", "Platform") in found


def test_suffix_names_cut_at_a_boundary_word(run):
    found = run(src.suffix_names, "昨日，市政府与吉林长白山矿泉水有限公司签约，共建延边冷链物流园。")
    assert ("吉林长白山矿泉水有限公司", "Enterprise") in found
    assert ("延边冷链物流园", "Platform") in found


def test_suffix_names_skip_generic_and_counted_phrases(run):
    found = run(src.suffix_names, "全年推进一批重点项目，培育壮大优势产业集群。")
    assert not any(cls in ("Project", "IndustryCluster") for _, cls in found)


def test_listed_names_enterprises_before_a_head_noun(run):
    found = run(src.listed_names, "喀什海关帮助天山纺织、昆仑乳业、雪莲果业等企业拓展市场。")
    assert {("天山纺织", "Enterprise"), ("昆仑乳业", "Enterprise"), ("雪莲果业", "Enterprise")} <= found
    assert not any(name.endswith("海关") for name, _ in found)


def test_listed_clusters_after_a_listing_verb(run):
    found = run(src.listed_clusters, "该市三大产业集群分别是汽车零部件集群、现代中药集群、新型建材集群。")
    assert ("汽车零部件集群", "IndustryCluster") in found
    assert ("新型建材集群", "IndustryCluster") in found


def test_goods_before_trade_verb(run):
    found = run(goods.goods_before_trade, "今年以来，景德镇陶瓷文创产品出口东南亚持续升温。")
    assert any(cls == "Product" and name.endswith("陶瓷文创产品") for name, cls in found)


def test_goods_after_trade_verb_stop_at_figures_and_reporting_words(run):
    found = run(goods.goods_after_trade, "前三季度，该市出口服装、玩具和箱包合计45亿元，同比增长8%。")
    assert {("服装", "Product"), ("玩具", "Product"), ("箱包", "Product")} <= found
    assert not any("合计" in name or "增长" in name for name, _ in found)


def test_goods_need_a_trade_sentence(run):
    assert run(goods.goods_after_trade, "当地服装、玩具产业发展迅速。") == set()


def test_goods_listed_right_before_the_trade_verb(run):
    found = run(goods.goods_listed_before_trade, "其中，吉林人参、黑木耳和大米出口分别增长12%、8%和5%。")
    assert {("人参", "Product"), ("黑木耳", "Product"), ("大米", "Product")} <= found


def test_goods_in_a_list_closed_by_a_goods_noun(run):
    found = run(goods.goods_in_lists, "这批出境货物中，包装机、封口机、贴标机等设备运往哈萨克斯坦。")
    assert {("包装机", "Product"), ("封口机", "Product"), ("贴标机", "Product")} <= found


def test_goods_after_a_listing_cue(run):
    found = run(goods.goods_after_cue, "今年进口商品以原木、纸浆和化肥为主，满载俄罗斯木材的班列陆续抵达。")
    assert {("原木", "Product"), ("纸浆", "Product"), ("化肥", "Product"), ("俄罗斯木材", "Product")} <= found


def test_comments_on_trade_are_no_goods(run):
    found = run(goods.goods_after_trade, "全区出口势头不减，出口延续了去年以来的增长，为外贸打下了基础。")
    assert found == set()


def test_places_sharing_one_zone_kind_each_name_a_zone(run):
    found = run(src.shared_kind_places, "目前，延吉、珲春和图们3个综合保税区进出口增长较快。")
    assert {("延吉综合保税区", "Platform"), ("珲春综合保税区", "Platform"), ("图们综合保税区", "Platform")} <= found


def test_a_list_that_is_not_all_places_shares_nothing(run):
    assert run(src.shared_kind_places, "推进物流、商贸和长春综合保税区建设。") == set()


def test_listed_names_with_qualifiers_and_an_opening_quote(run):
    found = run(src.listed_names, "“长白参业、敖东药业等一批大企业落户后，园区内华星化工、吉化实业等存量企业也扩产。")
    assert {("长白参业", "Enterprise"), ("敖东药业", "Enterprise"), ("华星化工", "Enterprise"),
            ("吉化实业", "Enterprise")} <= found
    assert not any(n.startswith("园区内") for n, _ in found)


def test_counted_big_cluster_groups_are_no_names(run):
    assert run(src.suffix_names, "全力打造六大千亿级产业集群。") == set()


def test_companies_listed_after_include(run):
    found = run(src.companies_after_include, "今年新引进企业12家，包括长春一汽富维、吉林化纤集团、修正药业等。")
    assert {("一汽富维", "Enterprise"), ("吉林化纤集团", "Enterprise"), ("修正药业", "Enterprise")} <= found


def test_quoted_names_after_their_kind(run):
    found = run(src.quoted_names, "人参企业“紫鑫参宝”签下大单，“长吉号”累计开行300列，更多企业“有样学样”。")
    assert ("紫鑫参宝", "Enterprise") in found and ("长吉号", "Platform") in found
    assert not any(n == "有样学样" for n, _ in found)
    assert run(src.quoted_names, "中小企业“专精特新”发展势头良好。") == set()


def test_known_group_with_a_place_and_trade_names_a_subsidiary(run):
    found = run(src.known_company_subsidiaries, "海关做好对宝钢湛江钢铁等重点企业的服务。")
    assert ("宝钢湛江钢铁", "Enterprise") in found
    assert run(src.known_company_subsidiaries, "宝钢与当地签约。") == set()


def test_districts_and_company_names_are_no_platforms(run):
    found = run(src.suffix_names, "黄石港区企业与湖南湘江新区发展集团签约，入驻长沙经开区。")
    assert ("长沙经开区", "Platform") in found
    assert not any(n in ("黄石港区", "湖南湘江新区") for n, _ in found)


def test_goods_groups_before_the_trade_verb(run):
    found = run(goods.goods_before_trade, "今年以来，对俄机电产品出口增长，纺织产品和农副产品出口也回升。")
    assert {("机电产品", "Product"), ("纺织产品", "Product"), ("农副产品", "Product")} <= found
    assert not any(n.startswith("俄") or "和" in n for n, _ in found)


def test_goods_after_a_destination_and_its_de(run):
    found = run(goods.goods_after_trade, "一批出口东盟的收割机订单正在排产。")
    assert ("收割机", "Product") in found


def test_ownership_and_trade_modes_are_no_goods(run):
    found = run(goods.goods_after_trade, "全市进口民营企业增长，出口跨境电商增长。")
    assert found == set()


def test_what_an_investment_is_of_is_a_project(run):
    found = run(src.invested_projects, "代表性项目有投资12亿元的长白山温泉小镇和松花湖滑雪度假区，一期投资5亿元的敦化鹿乡项目备受关注。")
    assert {("长白山温泉小镇", "Project"), ("松花湖滑雪度假区", "Project"), ("敦化鹿乡项目", "Project")} <= found


def test_one_named_project_before_deng_xiangmu(run):
    found = run(src.invested_projects, "重点推进吉林长春国际汽车城会展中心等项目建设。")
    assert ("吉林长春国际汽车城会展中心", "Project") in found


def test_landmark_works_listed_as_projects(run):
    found = run(src.listed_names, "该市建成运营延吉大剧院、帽儿山森林公园、布尔哈通河滨水步道等标志性工程。")
    assert {("延吉大剧院", "Project"), ("帽儿山森林公园", "Project")} <= found
    assert not any(n.startswith("建成") for n, _ in found)


def test_a_list_edge_before_the_list_does_not_cut_its_first_item(run):
    found = run(src.listed_names, "泰来县湖南华菱钢铁集团有限责任公司、长白山矿泉水有限公司等企业加快出海。")
    assert not any(len(n) <= 3 for n, _ in found)


def test_goods_heading_a_figure(run):
    found = run(goods.goods_heading_a_figure, "其中，桐油出口额312万美元，同比下降6%；竹木制品出口额1.2亿美元。")
    assert {("桐油", "Product"), ("竹木制品", "Product")} <= found


def test_places_partners_and_trade_modes_heading_a_figure_are_no_goods(run):
    found = run(goods.goods_heading_a_figure,
                "全省出口额2.1亿元，一般贸易出口1.2亿元，对老挝进出口3亿元，柳州出口5亿元。")
    assert found == set()


def test_vague_opener_and_yi_are_no_part_of_goods(run):
    assert ("部分茶叶产品", "Product") not in run(goods.goods_before_trade, "受汇率影响，也有部分茶叶产品出口出现下降。")
    found = run(goods.goods_after_trade, "从商品结构看，出口以陶瓷、家具等为主。")
    assert ("陶瓷", "Product") in found and not any(n.startswith("以") for n, _ in found)


def test_activities_are_no_goods(run):
    found = run(goods.goods_listed_before_trade, "园区业务涵盖冷链仓储、木材加工和水果出口。")
    assert not any("加工" in n or "仓储" in n for n, _ in found)


def test_goods_after_the_port_or_place_that_trades_them(run):
    assert ("冷冻水产品", "Product") in run(goods.goods_before_trade, "今年前5个月，东兴口岸冷冻水产品出口增长12%。")
    assert ("机电产品", "Product") in run(goods.goods_heading_a_figure, "前5个月，凭祥市机电产品出口额达3.2亿元。")


def test_markets_are_no_goods(run):
    found = run(goods.goods_listed_before_trade, "前5个月，对东盟、欧盟、日本三大市场分别出口12亿元、8亿元和5亿元。")
    assert not any("市场" in n for n, _ in found)
