"""Which division names stand alone as mentions, and which need the page to name their province."""

import pytest

from kg.extract.gazetteer import load


@pytest.mark.parametrize("name", ["扬州", "郑州", "遵义", "霍尔果斯", "伊犁州", "喀什地区", "神农架"])
def test_a_name_of_one_division_needs_no_context(name):
    assert not load().needs_context(name)


@pytest.mark.parametrize("name", [
    "朝阳",    # 朝阳市 (辽宁) and 朝阳区 (北京, 长春) and 朝阳县
    "吉林",    # 吉林省 and 吉林市
    "新城区",  # in 西安, 呼和浩特
    "白银",    # also silver
    "大理",    # also 大理石
])
def test_a_name_shared_by_several_divisions_or_an_ordinary_word_needs_context(name):
    assert load().needs_context(name)
