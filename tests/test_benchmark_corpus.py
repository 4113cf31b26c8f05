"""The benchmark corpus: real page text, newspaper-shaped, no sentence written twice."""

import random
import re
import sys

from conftest import ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))
import corpus


def test_a_thousand_articles_repeat_no_sentence_and_split_as_asked(make_corpus):
    pages = sorted(make_corpus(1000, 7).glob("*.txt"))
    articles, sentences, repeated = corpus.check(pages)
    assert (articles, repeated) == (1000, 0) and sentences > 8000
    # several articles a page, each under a dateline or a byline as a paper prints them
    assert len(pages) < 1000 / 2.5
    text = pages[0].read_text(encoding="utf-8")
    assert len(re.findall(r"日报 ?\d{1,2}月 ?\d{1,2}日讯|日报(?:全媒体)?记者 ", text)) >= 3


def test_same_seed_same_bytes_other_seed_other_text(tmp_path):
    def pages(name, seed):
        return [p.read_bytes() for p in corpus.generate(tmp_path / name, 12, seed)]

    assert pages("a", 3) == pages("b", 3) != pages("c", 4)


def test_dev_pages_are_used_when_found_beside_the_checkout(tmp_path, monkeypatch):
    monkeypatch.setattr(corpus, "ROOT", tmp_path / "work" / "repo")
    assert corpus.default_sources() == [corpus.SEEDS]
    dev = tmp_path / "shared" / "dev" / "articles"
    dev.mkdir(parents=True)
    assert corpus.default_sources() == [corpus.SEEDS, dev]


def test_figures_change_but_keep_their_kind():
    scene = corpus.Scene(province=None, year_shift=-2)
    text = "2023年1至10月，全市出口397.6亿元，增长13.9%，新增企业172家。"
    for seed in range(20):
        new = corpus.vary_figures(text, scene, random.Random(seed))
        m = re.fullmatch(r"2021年1至(\d+)月，全市出口(\d{3}\.\d)亿元，增长(\d{2}\.\d)%，新增企业(\d{3})家。", new)
        assert m and 2 <= int(m.group(1)) <= 12 and new != text


def test_names_swapped_for_names_of_the_same_kind_in_the_page_province():
    names = corpus.Names()
    guangxi = next(p for p in names.provinces if p.name == "广西壮族自治区")
    scene = corpus.Scene(province=guangxi, year_shift=0)
    new = corpus.vary_names("湖南长沙市出口工程机械，三一重工、比亚迪在长沙市建厂；创新平台落地。", names, scene, random.Random(1))
    m = re.fullmatch(r"广西(\w+?市)出口(\w+)，(\w+)、(\w+)在\1建厂；创新平台落地。", new)
    assert m, new
    city = names.gaz.names[m.group(1)][0]
    assert city.cls == "City" and city.key.startswith("45")
    assert names.gaz.names[m.group(2)][0].cls == "Product"
    assert {e.cls for g in (3, 4) for e in names.gaz.names[m.group(g)]} == {"Enterprise"}
