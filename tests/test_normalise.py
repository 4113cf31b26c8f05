"""Normalising OCR text: joins, spaces, widths, and offsets that map back to the original."""

from kg.extract.normalise import normalise


def _check_offsets(original, norm):
    for i, ch in enumerate(norm.text):
        if ch in "\n ，；：！？":
            continue
        src = original[norm.offsets[i]]
        assert src == ch or ord(src) - 0xFEE0 == ord(ch) or src in "（）", (i, ch, src)


def test_spaces_inside_chinese_are_dropped_but_latin_spaces_kept():
    src = "引进行业领军企业来湘设立总 部 、区 域 总 部 。Hunan Daily 报道 2024 年前 2 个月"
    n = normalise(src)
    assert "总部、区域总部。" in n.text
    assert "Hunan Daily" in n.text
    assert "2024年前2个月" in n.text
    _check_offsets(src, n)


def test_lines_broken_inside_a_sentence_are_rejoined():
    src = "初冬的衡阳松木经开区湘蓝再生\n\n回收利用项目基地，施工人员正在加紧安装调试设备。\n\n下一段。"
    n = normalise(src)
    assert n.text.split("\n")[0] == "初冬的衡阳松木经开区湘蓝再生回收利用项目基地，施工人员正在加紧安装调试设备。"
    assert n.text.split("\n")[1] == "下一段。"
    _check_offsets(src, n)


def test_headline_byline_and_dateline_are_not_joined():
    src = "衡阳进出口贸易「加速跑」\n\n湖南日报全媒体记者 张三\n\n湖南日报11月15日讯(记者 李四)衡阳市外贸增长。"
    lines = normalise(src).text.strip().split("\n")
    assert len(lines) == 3


def test_full_width_digits_and_ascii_commas():
    src = "湖南前十大贸易伙伴中,有８个是ＡＰＥＣ成员，增长１５．４％"
    n = normalise(src)
    assert n.text == "湖南前十大贸易伙伴中，有8个是APEC成员，增长15.4%\n"
    _check_offsets(src, n)


def test_original_span_round_trip():
    src = "  前 三 季 度\n\n湖南 进出口 3964.6 亿元。"
    n = normalise(src)
    i = n.text.index("湖南")
    s, e = n.original_span(i, i + 2)
    assert src[s:e] == "湖南"


def test_ascii_commas_in_a_row_become_chinese_but_thousands_commas_stay():
    n = normalise("出口,,进口增长5%,金额1,200万元")
    assert n.text == "出口，，进口增长5%，金额1,200万元\n"


def test_ocr_page_paragraphs_are_marked_by_wider_gaps_not_by_line_ends():
    # printed lines one blank line apart, paragraphs several: a line ending in a quote or a
    # semicolon inside a paragraph is rejoined, the wider gap ends the paragraph
    para = "今年“五一”\n\n假期，北海旅游市场逐步\n\n复苏；自驾游持续升温。"
    src = "\n\n\n\n\n\n".join([para] * 4)
    lines = [ln for ln in normalise(src).text.split("\n") if ln]
    assert lines == ["今年“五一”假期，北海旅游市场逐步复苏；自驾游持续升温。"] * 4
