"""Property-based tests: the normaliser, splitter and number parsers never raise, offsets map
back; the entity merge does not care about the order or grouping of pages."""

from hypothesis import given, settings
from hypothesis import strategies as st

from kg.extract.normalise import normalise
from kg.model import Entity
from kg.extract.numbers import AMOUNT, GROWTH, PERIOD, parse_amount, parse_growth, parse_period
from kg.extract.split import split_articles
from kg.pipeline.merge import absorb, combine, own_copy, union_entities

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


# --- the entity merge: any order, any grouping, one result -----------------------------------

FRAGMENT = st.builds(
    lambda iri, label, aliases, articles, adcode, point: Entity(
        iri=f"kgr:{iri}", cls="City", label=label, aliases=set(aliases), articles=set(articles),
        adcode=adcode, lat=point and point[0], long=point and point[1]),
    st.sampled_from("abc"), st.sampled_from(["衡阳", "衡阳市", "湖南省"]),
    st.lists(st.sampled_from(["衡阳", "衡阳市", "雁城"]), max_size=2),
    st.lists(st.sampled_from(["a#1", "a#2", "b#1"]), max_size=2),
    st.sampled_from([None, "430400", "430401"]), st.sampled_from([None, (26.9, 112.6), (27.0, 112.5)]))


@settings(max_examples=200, deadline=None)
@given(st.lists(FRAGMENT, max_size=12), st.randoms(use_true_random=False))
def test_entity_merge_ignores_page_order_and_grouping(fragments, rnd):
    """A loop over the pages (kg build) and a fold over partitions combined in any order
    (kg build --dask) give the same entities, whatever order the pages come in."""
    loop = union_entities([{e.iri: e} for e in fragments])
    shuffled = list(fragments)
    rnd.shuffle(shuffled)
    groups: dict[str, list] = {}
    for i, e in enumerate(shuffled):  # partitions folded with absorb, then combined pairwise
        groups.setdefault(f"{e.iri}/{i % 3}", []).append(e)
    folded: dict[str, Entity] = {}
    for key in sorted(groups, key=lambda k: rnd.random()):
        acc = own_copy(groups[key][0])
        for e in groups[key][1:]:
            absorb(acc, e)
        iri = key.split("/")[0]
        folded[iri] = combine(folded[iri], acc) if iri in folded else acc
    assert folded == loop
    assert union_entities([{e.iri: e} for e in shuffled]) == loop
