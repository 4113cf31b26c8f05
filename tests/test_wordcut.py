"""kg.extract.wordcut gives the cuts jieba.cut(HMM=False) gives: recognition's short-name
test (湘南|平均 holds no 湘南) depends on it."""

from pathlib import Path

import jieba
import pytest

from kg.extract.gazetteer import jieba_ready
from kg.extract.wordcut import jieba_bounds

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def _jieba(text: str) -> tuple[int, ...]:
    jieba_ready()
    out, pos = [0], 0
    for token in jieba.cut(text, HMM=False):
        pos += len(token)
        out.append(pos)
    return tuple(out)


@pytest.mark.parametrize("text", [
    "湘南平均气温上升，中国航空运输协会发布数据。",
    "2023年1至10月，衡阳市出口机电产品39.7亿元（同比增长13.9%）",
    "OPPO、vivo等企业落户东莞；Tesla上海超级工厂3月交付新车。",
    "1.5GWh钠离子电池产线项目在宜宾开工，5G基站和A股上市公司iPhone15",  # Latin letters and digits
    "据海关统计\r\n 乌鲁木齐\t国际陆港区",  # a Windows line end is one word of jieba's
    "", " ", "x", "的的的的的的的的",
])
def test_cuts_equal_jieba_on_hand_written_text(text):
    assert jieba_bounds(text) == _jieba(text)


def test_cuts_equal_jieba_on_every_line_of_the_seeds():
    lines = [line for page in sorted(SEEDS.glob("*.txt")) for line in page.read_text(encoding="utf-8").splitlines()]
    assert len(lines) > 50
    assert [jieba_bounds(line) for line in lines] == [_jieba(line) for line in lines]
