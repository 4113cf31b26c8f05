"""The page `kg serve` answers at /: an offline query workbench. Its HTML is checked here
without a browser; then, in headless Chromium (skipped where none is installed) with every
address but this machine's own cut off, a user types a query, runs it and reads the rows."""

from __future__ import annotations

import csv
import io
import json
import re
import time
import urllib.request
from pathlib import Path

import pytest

from kg.sparql.ready import ready_queries
from kg.sparql.serve import make_server
from test_browser import LOOPBACK_FLAGS, PHONE, Page, shot, start_chromium

ROOT = Path(__file__).resolve().parent.parent
GRAPH = ROOT / "output" / "graph.ttl"

pytestmark = pytest.mark.skipif(not GRAPH.is_file(), reason="output/graph.ttl has not been built")

CITIES = "SELECT ?city ?province WHERE { ?city a kg:City ; kg:partOf ?province } ORDER BY ?city"


@pytest.fixture(scope="module")
def server():
    srv = make_server(GRAPH, host="127.0.0.1", port=0).start()
    yield srv
    srv.stop()


def front_page(server) -> str:
    with urllib.request.urlopen(server.url.replace("/sparql", "/"), timeout=10) as resp:
        assert resp.headers["Content-Type"].startswith("text/html")
        return resp.read().decode("utf-8")


def test_the_page_is_one_offline_file_with_the_ready_queries(server):
    page = front_page(server)
    assert not re.search(r"""(src|href)\s*=\s*["']?\s*(https?:)?//""", page, re.I)  # nothing from elsewhere
    assert not re.search(r"""<(script|link)[^>]+src=""", page, re.I)
    assert page.count("</script") == 1
    for name in ready_queries():
        assert f'"name":"{name}"' in page
    assert "graph.ttl" in page and "read-only" in page and "/sparql" in page
    # a browser asking /sparql for HTML gets the same page, posting to the same endpoint
    req = urllib.request.Request(server.url, headers={"Accept": "text/html"})
    with urllib.request.urlopen(req, timeout=10) as resp:
        assert resp.read().decode("utf-8") == page


# --------------------------------------------------------------------------- in a browser

@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    dt = start_chromium(tmp_path_factory.mktemp("chromium"), LOOPBACK_FLAGS)
    yield dt
    dt.close()


@pytest.fixture(params=["desktop", "phone"])
def bench(request, browser, server):
    size = PHONE if request.param == "phone" else (1280, 800)
    p = Page(browser, server.url.replace("/sparql", "/"), size, mobile=request.param == "phone")
    p.name = f"workbench-{request.param}"
    yield p
    p.close()


def _run(page) -> None:
    done = page.js("kgWorkbench.done")
    page.click("#run")
    page.wait_for(f"kgWorkbench.done > {done}", 20)
    time.sleep(0.3)  # the labels' query


def _table(page) -> list[list[str]]:
    return page.js("""Array.from(document.querySelectorAll('#answer tbody tr')).map(function (tr) {
        return Array.from(tr.cells).map(function (td) { return td.innerText; }); })""")


def test_type_a_query_run_it_and_read_the_rows(bench, server, tmp_path):
    bench.click("#editor")
    bench.js("document.getElementById('editor').select(); 1")
    bench.send("Input.insertText", {"text": CITIES})
    _run(bench)
    rows = _table(bench)
    req = urllib.request.Request(server.url, CITIES.encode("utf-8"), {"Content-Type": "application/sparql-query"})
    with urllib.request.urlopen(req, timeout=10) as resp:
        expected = json.load(resp)["results"]["bindings"]
    assert len(rows) == len(expected) > 5
    assert bench.js("document.getElementById('state').textContent").startswith(f"{len(rows)} rows")
    # each IRI with its label beside it: 长沙市 over kgr:region/430100
    changsha = next(r for r in rows if "kgr:region/430100" in r[0])
    assert changsha[0].split("\n")[0] == "长沙市" and changsha[1].split("\n")[0] == "湖南省"
    assert bench.js("document.getElementById('error').hidden") is True
    shot(bench, tmp_path, "rows")
    # the downloads hold the same rows (SPARQL CSV: the values alone)
    assert bench.js("document.getElementById('csv').disabled") is False
    table = list(csv.reader(io.StringIO(bench.js("kgCsv()"))))
    assert table[0] == ["city", "province"] and len(table) == len(rows) + 1
    assert "https://w3id.org/zhkg/resource/region/430100" in {r[0] for r in table}
    assert bench.errors() == []
    assert all(u.startswith(server.url.rsplit("/", 1)[0]) for u in bench.requests())  # nothing from elsewhere


def test_a_ready_query_from_the_list(bench):
    bench.click('#queries button[data-name="regions"]')
    bench.wait_for("kgWorkbench.done > 0", 20)
    assert "regions" in bench.js("document.querySelector('#queries button.on').dataset.name")
    assert bench.js("document.getElementById('editor').value") == ready_queries()["regions"]
    assert len(_table(bench)) > 10
    assert bench.errors() == []


def test_errors_are_shown_in_place(bench, tmp_path):
    bench.js("document.getElementById('editor').value = 'SELECT ?x WHERE { ?x a kg:City '; 1")
    _run(bench)
    error = bench.js("document.getElementById('error').innerText")
    assert bench.js("document.getElementById('error').hidden") is False and "bad SPARQL" in error
    assert _table(bench) == [] and bench.js("document.getElementById('csv').disabled") is True
    shot(bench, tmp_path, "error")
    # the browser notes the 400 answer itself; the page throws nothing
    assert [e for e in bench.errors() if "status of 400" not in e] == []
    bench.js("document.getElementById('editor').value = 'DELETE WHERE { ?s ?p ?o }'; 1")
    _run(bench)
    assert "read-only" in bench.js("document.getElementById('error').innerText")
