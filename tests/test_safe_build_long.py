"""Issue 17, item 5: time linear in the text for any text. A line without sentence marks
used to be one sentence, and matching within a sentence (and each sentence against the
whole page) grew faster than the text: 1 MB took 74 s, 40 MB never finished."""

from hypothesis import given, settings, strategies as st

from kg.extract.normalise import normalise
from kg.extract.split import MAX_SENTENCE, sentences, split_articles
from kg.pipeline import tasks

CLAUSE = "湖南省衡阳市进出口总值397.6亿元，同比增长13.9%，衡阳综保区增长迅速；湘蓝再生签约落户衡阳、"


def long_line(chars: int) -> str:
    return "湖南日报11月15日讯 " + (CLAUSE * (chars // len(CLAUSE) + 1))[:chars] + "\n"


def test_a_line_without_sentence_marks_is_cut_at_clause_marks():
    text = long_line(20_000)
    pieces = sentences(text, 0, len(text))
    assert len(pieces) >= 20_000 // MAX_SENTENCE
    assert all(len(p.text) <= MAX_SENTENCE for p in pieces)
    assert all(p.text[-1] in "，；、" for p in pieces[1:-1])  # whole clauses
    assert all(text[p.start:p.end] == p.text for p in pieces)


def test_a_clause_longer_than_a_piece_is_cut_in_windows():
    text = "衡" * (3 * MAX_SENTENCE + 7)
    pieces = sentences(text, 0, len(text))
    assert [len(p.text) for p in pieces] == [MAX_SENTENCE] * 3 + [7]


@settings(max_examples=200, deadline=None)
@given(st.text(st.sampled_from("衡阳市湖南，；、 ,;:x1"), min_size=0, max_size=3000))
def test_pieces_cover_the_sentence_and_are_bounded(body):
    text = body.replace("\n", "")
    pieces = sentences(text, 0, len(text))
    assert all(len(p.text) <= MAX_SENTENCE for p in pieces)
    assert "".join(p.text for p in pieces).strip() == text.strip() or not text.strip()
    assert all(a.end <= b.start for a, b in zip(pieces, pieces[1:]))


def test_ordinary_sentences_are_not_cut():
    text = "据统计，" + "衡阳市的外贸企业" * 25 + "。"
    assert [p.text for p in sentences(text, 0, len(text))] == [text]


def test_each_sentence_is_not_compared_with_every_mention_of_the_page(monkeypatch):
    """resolve_regions gets the page's named places made once (page_context), not every mention
    of the page again per sentence."""
    seen = []
    real = tasks.resolve_regions

    def spy(ms, gaz, named=None):
        seen.append(len(named))
        return real(ms, gaz, named)

    monkeypatch.setattr(tasks, "resolve_regions", spy)
    tools = tasks.Extractors.load()
    import tempfile

    with tempfile.NamedTemporaryFile("w", suffix=".txt", encoding="utf-8") as fh:
        fh.write(long_line(30_000))
        fh.flush()
        page = tasks.analyse(fh.name, tools)
    assert len(seen) > 50 and max(seen) < 20
    assert page.articles and page.entities


def test_split_articles_keeps_every_piece_in_its_article():
    norm = normalise(long_line(5_000))
    arts = split_articles(norm, "long.txt", year=2023)
    assert len(arts) == 1 and all(len(s.text) <= MAX_SENTENCE for s in arts[0].sentences)
