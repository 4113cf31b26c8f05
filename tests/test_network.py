"""The networkx files of a build are streamed from merged per-shard parts (kg.write.network):
they must be exactly what networkx's own writers make from the whole graph in memory."""

import json

import networkx as nx
import pytest

import kg
from kg.write.graphml import write_graphml
from kg.write.html import render_html, write_html
from kg.write.nodelink import write_json
from kg.write.page import page_view
from kg.write.projection import json_node, to_networkx
from kg.write.network import CHUNK, dump_records, load_records


def networkx_graphml(g, path):
    g = g.copy()
    for k, v in list(g.graph.items()):
        if isinstance(v, (dict, list)):
            g.graph[k] = json.dumps(v, ensure_ascii=False, sort_keys=True)
    nx.write_graphml(g, path, encoding="utf-8", prettyprint=True)


def networkx_json(g, path):
    """networkx's own node-link JSON (its defaults) of g with the node data graph.json gives (lists)."""
    g = g.copy()
    for n, attrs in g.nodes(data=True):
        g.nodes[n].update(json_node(attrs))
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        json.dump(nx.node_link_data(g), fh, ensure_ascii=False, indent=1, sort_keys=True)
        fh.write("\n")


def awkward_graph():
    """Markup and line breaks in ids and text, empty text, a self-loop, a node without data,
    mixed attribute types, a table as graph attribute."""
    g = nx.MultiDiGraph()
    g.add_node('a&<"b>\n\tc', weight=1.5, note="", flag=True, n=3)
    g.add_node("bare")
    g.add_node("late", extra="x & y")
    g.add_edge('a&<"b>\n\tc', "bare", key="k<1>", w=2)
    g.add_edge("bare", "bare", key="self")
    g.add_edge("late", "bare", key="k", w=2.5, text="引号“”")
    g.graph["table"] = {"z": [1, 2], "a": "文"}
    return g


@pytest.fixture(scope="module")
def generated(make_corpus):
    return kg.build([str(make_corpus(80, 5))])


@pytest.mark.parametrize("which", ["seeds", "seeds+articles", "awkward", "empty", "one node"])
def test_writers_give_networkx_bytes(which, seeds_build, tmp_path):
    g = {"seeds": lambda: seeds_build.to_networkx(),
         "seeds+articles": lambda: seeds_build.to_networkx(with_articles=True),
         "awkward": awkward_graph, "empty": nx.MultiDiGraph,
         "one node": lambda: nx.MultiDiGraph([("x", "x")])}[which]()
    for ours, theirs, ext in ((write_graphml, networkx_graphml, "graphml"), (write_json, networkx_json, "json")):
        ours(g, tmp_path / f"ours.{ext}")
        theirs(g, tmp_path / f"theirs.{ext}")
        assert (tmp_path / f"ours.{ext}").read_bytes() == (tmp_path / f"theirs.{ext}").read_bytes(), ext


def test_graphml_refuses_values_it_cannot_hold(tmp_path):
    g = nx.MultiDiGraph()
    g.add_node("a", data={"x": 1})
    with pytest.raises(ValueError, match="GraphML cannot hold dict"):
        write_graphml(g, tmp_path / "g.graphml")


@pytest.mark.parametrize("build", ["seeds_build", "generated"])
def test_streamed_graph_is_the_graph_of_the_rdf(build, request):
    result = request.getfixturevalue(build)
    streamed, from_rdf = result.to_networkx(), to_networkx(result.graph)
    assert nx.utils.graphs_equal(streamed, from_rdf)
    assert list(streamed.nodes) == list(from_rdf.nodes)
    assert list(streamed.edges(keys=True)) == list(from_rdf.edges(keys=True))


@pytest.mark.parametrize("max_nodes,per_node", [(None, 3), (40, 3), (100, 1)])
def test_build_files_equal_files_of_the_graph_in_memory(max_nodes, per_node, generated, tmp_path, monkeypatch):
    monkeypatch.setattr("kg.write.page.EDGES_PER_NODE", per_node)  # 1: the 100 nodes have more than 100 edges
    out = tmp_path / "out"
    generated.write(out, formats=("graphml", "json", "html"), html_max_nodes=max_nodes)
    g = to_networkx(generated.graph)
    write_graphml(g, tmp_path / "g.graphml")
    write_json(g, tmp_path / "g.json")
    write_html(g, tmp_path / "g.html", max_nodes=max_nodes)
    for ext in ("graphml", "json", "html"):
        assert (out / f"graph.{ext}").read_bytes() == (tmp_path / f"g.{ext}").read_bytes(), ext


def test_capped_page_keeps_the_best_edges_and_says_so(generated, tmp_path, monkeypatch):
    monkeypatch.setattr("kg.write.page.EDGES_PER_NODE", 1)
    full = generated.to_networkx()
    view = generated.network.page_view(100)
    kept = set(view.nodes)
    inside = [d for s, o, d in full.edges(data=True) if s in kept and o in kept]
    assert len(view.nodes) == 100 and len(inside) > 100 and len(view.edges) == 100
    weakest_drawn = min((a["confidence"], a["n_statements"]) for _, _, _, a in view.edges)
    drawn = {(s, o, k) for s, o, k, _ in view.edges}
    left = [(a["confidence"], a["n_statements"]) for s, o, k, a in full.edges(keys=True, data=True)
            if s in kept and o in kept and (s, o, k) not in drawn]
    assert max(left) <= weakest_drawn
    assert view.total_nodes == len(generated.entities)
    assert view.dropped_edges == full.number_of_edges() - 100
    render_html(view, tmp_path / "p.html", max_nodes=100)
    text = (tmp_path / "p.html").read_text(encoding="utf-8")
    assert f'data-nodes="{len(generated.entities) - 100}"' in text
    assert page_view(full, 100).edges == view.edges


def test_record_files_stream_in_chunks(tmp_path):
    records = [(f"{i:06d}", [i]) for i in range(CHUNK * 2 + 5)]
    dump_records(iter(records), tmp_path / "r")
    assert list(load_records(tmp_path / "r")) == records
    dump_records([], tmp_path / "empty")
    assert list(load_records(tmp_path / "empty")) == []
