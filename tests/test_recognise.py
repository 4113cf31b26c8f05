"""Recognition on small hand-written sentences: dictionary, suffix patterns, lists, exclusions."""

import pytest

from kg.extract.gazetteer import load
from kg.extract.link import resolve_regions
from kg.model import Sentence
from kg.extract.recognise import Recogniser


@pytest.fixture(scope="module")
def recognise():
    gaz = load()
    rec = Recogniser(gaz)

    def run(text):
        mentions = resolve_regions(rec(text, Sentence(text, 0, len(text))), gaz)
        return {(m.text, m.cls) for m in mentions}

    return run


def test_places_full_and_short(recognise):
    found = recognise("1至10月，衡阳市进出口总值397.6亿元，湖南省第三，永州市新田县排名靠前。")
    assert {("衡阳市", "City"), ("湖南省", "Province"), ("永州市", "City"), ("新田县", "County")} <= found


def test_short_place_name_inside_a_word_is_not_a_place(recognise):
    found = recognise("湖南今冬气温偏高，湘南平均气温8℃，云安全领域多点开花，面向印度洋的通道。")
    names = {n for n, _ in found}
    assert "南平" not in names and "云安" not in names and "印度" not in names


def test_china_at_the_head_of_a_company_is_not_the_country(recognise):
    found = recognise("中国电信中南智能算力中心落户长沙，是中国最大的算力中心之一。")
    assert ("中国电信", "Enterprise") in found
    assert ("中国电信中南智能算力中心", "Project") in found
    assert ("中国", "Country") in found  # the second, standalone 中国


def test_company_suffix_and_left_boundary(recognise):
    found = recognise("这批产品由湖南筑水雕塑艺术有限公司生产，奥谱天成(湖南)信息科技有限公司2022年落户。")
    assert ("湖南筑水雕塑艺术有限公司", "Enterprise") in found
    assert ("奥谱天成(湖南)信息科技有限公司", "Enterprise") in found


def test_enterprises_in_a_list(recognise):
    found = recognise("衡阳海关指导五矿矿业、华菱衡钢、水口山等企业办理进口。")
    assert {("五矿矿业", "Enterprise"), ("华菱衡钢", "Enterprise"), ("水口山", "Enterprise")} <= found
    assert not any(n.startswith("衡阳海关") for n, _ in found)


def test_generic_phrases_are_not_names(recognise):
    found = recognise("培育一批优势产业集群，推进50个投资5亿元以上的重点项目。")
    assert not any(c in ("IndustryCluster", "Project") for _, c in found)


def test_platforms_and_clusters(recognise):
    found = recognise("衡阳综保区、中欧班列(衡阳)等开放平台效益凸显，株洲市石峰区功率半导体产业集群入选。")
    assert ("衡阳综保区", "Platform") in found
    assert ("中欧班列(衡阳)", "Platform") in found
    assert ("株洲市石峰区功率半导体产业集群", "IndustryCluster") in found
    assert ("石峰区", "County") in found


def test_products_only_in_trade_context(recognise):
    assert ("工程机械", "Product") in recognise("长沙市出口工程机械195.4亿元，同比增长56.1%。")
    assert ("铜精矿", "Product") in recognise("办理铜精矿、铁矿砂等大宗商品进口。")
    assert not any(c == "Product" for _, c in recognise("工程机械产业集群发展迅速。"))


def test_blocs_and_territories(recognise):
    found = recognise("与RCEP其他成员国进出口83.79亿元，对中国香港、东盟出口增长。")
    assert ("RCEP其他成员国", "EconomicBloc") in found
    assert ("中国香港", "Territory") in found and ("东盟", "EconomicBloc") in found


def test_word_bounds_asked_run_by_run_equal_jieba_over_the_whole_sentence():
    """Only the runs asked about are segmented, with the same answers as the whole sentence's."""
    import jieba

    from kg.extract.wordcut import WordBounds

    for text in ["湘南平均气温上升，中国航空运输协会发布数据。", "2023年1至10月，衡阳市出口机电产品39.7亿元（同比增长13.9%）",
                 "OPPO、vivo等企业落户东莞；Tesla上海超级工厂3月交付新车。", "  据海关统计 ", ""]:
        whole, pos = {0}, 0
        for token in jieba.cut(text, HMM=False):
            pos += len(token)
            whole.add(pos)
        bounds = WordBounds(text, 100)
        assert {p for p in range(95, len(text) + 106) if p in bounds} == {100 + b for b in whole}
