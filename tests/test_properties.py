"""Property-based tests: the normaliser, splitter and number parsers never raise, offsets map back."""

from hypothesis import given, settings
from hypothesis import strategies as st

from kg.extract.normalise import normalise
from kg.extract.numbers import AMOUNT, GROWTH, PERIOD, parse_amount, parse_growth, parse_period
from kg.extract.split import split_articles

CJK = st.characters(min_codepoint=0x4E00, max_codepoint=0x4FFF)
PIECES = st.one_of(CJK, st.sampled_from(list("，。、；：“”（）() \n\n　0123456789.%亿万元月日年讯ＡＢ１２")),
                   st.characters())
TEXT = st.lists(PIECES, max_size=300).map("".join)


@settings(max_examples=200, deadline=None)
@given(TEXT)
def test_normalised_offsets_point_into_the_original(text):
    n = normalise(text)
    assert len(n.offsets) == len(n.text)
    assert all(0 <= o <= len(text) for o in n.offsets)
    assert n.offsets == sorted(n.offsets)
    for i, ch in enumerate(n.text):
        if ch not in " \n":
            assert n.offsets[i] < len(text)


@settings(max_examples=150, deadline=None)
@given(TEXT)
def test_articles_lie_inside_the_file(text):
    n = normalise(text)
    for art in split_articles(n, "x.txt", year=2024):
        assert 0 <= art.char_start <= art.char_end <= len(text)
        for s in art.sentences:
            assert n.text[s.start:s.end] == s.text


@settings(max_examples=300, deadline=None)
@given(TEXT)
def test_number_parsers_never_raise(text):
    for m in AMOUNT.finditer(text):
        parse_amount(m)
    for m in GROWTH.finditer(text):
        parse_growth(m)
    for m in PERIOD.finditer(text):
        parse_period(m, 2024)


@given(st.decimals(min_value=0, max_value=100000, places=2), st.sampled_from(["", "万", "亿", "万亿"]))
def test_amount_round_trip(number, mult):
    text = f"{number}{mult}元"
    value, unit, _ = parse_amount(AMOUNT.search(text))
    scale = {"": 1, "万": 1e4, "亿": 1e8, "万亿": 1e12}[mult]
    assert unit == "CNY" and abs(value - float(number) * scale) <= max(1e-6 * value, 0.01)
