"""graph.html's data for the explorer's controls, checked without a browser (tests/test_browser.py
drives them in Chromium): what the year and confidence filters read, and level edge labels."""

from __future__ import annotations

import json

import pytest

from kg.write.html import write_html


def page_data(path) -> dict:
    text = path.read_text(encoding="utf-8")
    start = text.index("\n  var data = ") + len("\n  var data = ")
    return json.JSONDecoder().raw_decode(text[start:])[0]


@pytest.fixture(scope="module")
def seeds_page(seeds_build, tmp_path_factory):
    nxg = seeds_build.to_networkx()
    path = tmp_path_factory.mktemp("page") / "graph.html"
    write_html(nxg, path, title="kg seeds")
    return nxg, path, page_data(path)


def test_edges_carry_their_year_and_confidence(seeds_page):
    nxg, _, data = seeds_page
    sources = nxg.graph["sources"]
    relations = [e for e in data["edges"] if not e.get("obs")]
    ordered = sorted(nxg.edges(keys=True, data=True), key=lambda x: (x[0], x[1], str(x[2])))
    for edge, (s, o, _, a) in zip(relations, ordered):
        assert (edge["from"], edge["to"]) == (s, o)
        date = sources.get(a.get("article"), {}).get("date", "")
        assert edge.get("year") == (int(date[:4]) if date else None)
        assert edge.get("conf") == (round(a["confidence"], 3) if "confidence" in a else None)
    assert data["years"] == sorted({e["year"] for e in relations if "year" in e} |
                                   {y for n in data["nodes"] for y in n.get("years", [])})
    assert len(data["years"]) >= 2


def test_nodes_know_the_years_of_the_articles_naming_them(seeds_page):
    nxg, _, data = seeds_page
    sources = nxg.graph["sources"]
    city = next(n for n in data["nodes"] if n["id"] == "https://w3id.org/zhkg/resource/region/430100")
    named = {int(sources[a]["date"][:4]) for a in nxg.nodes[city["id"]]["mentioned_in"].split() if sources[a].get("date")}
    assert set(city["years"]) <= named and city["years"]


def test_edge_labels_stay_level(seeds_page):
    """vis-network turns a 'middle' label along its edge: on a steep edge 出口 reads 口出."""
    _, _, data = seeds_page
    assert data["options"]["edges"]["font"]["align"] == "horizontal"


def test_the_page_has_its_panel_and_filters_and_stays_offline(seeds_page):
    _, path, _ = seeds_page
    page = path.read_text(encoding="utf-8")
    for element in ('id="panel"', 'id="filters"', 'id="filters-toggle"', 'id="year-from"', 'id="year-to"',
                    'id="confidence"', 'id="isolated"', 'id="matches"'):
        assert element in page, element
    assert "http://" not in page.split("<script>")[0] and "https://" not in page.split("<script>")[0]
    assert "@media (max-width: 700px)" in page  # the bottom sheet of a phone
