"""Runaway queries (issue 17, item 4): a time limit, a cap on the answer, cancellation when
the client leaves, other clients answered meanwhile; the same time limit in `kg query`, whose
answer is streamed."""

import json
import os
import pathlib
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest

from kg.cli import main
from kg.sparql.serve import make_server

ROOT = pathlib.Path(__file__).resolve().parent.parent
GRAPH = ROOT / "output" / "graph.ttl"

pytestmark = pytest.mark.skipif(not GRAPH.is_file(), reason="output/graph.ttl has not been built")

# a three-way cartesian product of every triple: (some 4,000)^3 solutions, counted in one call
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
# a two-way one whose rows come at once and never stop coming
ENDLESS_ROWS = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f }"
SMALL = "SELECT ?s WHERE { ?s a kg:City } LIMIT 3"


def fetch(url, query, timeout=60):
    req = urllib.request.Request(url + "?" + urllib.parse.urlencode({"query": query}))
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            return resp.status, resp.read().decode("utf-8")
    except urllib.error.HTTPError as err:
        return err.code, err.read().decode("utf-8")


def wait_until(test, seconds):
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if test():
            return True
        time.sleep(0.05)
    return test()


@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
def test_a_runaway_query_stops_at_the_time_limit(engine):
    srv = make_server(GRAPH, port=0, engine=engine, timeout=2).start()
    try:
        started = time.monotonic()
        status, body = fetch(srv.url, RUNAWAY)
        took = time.monotonic() - started
        assert status == 503 and "time limit" in body and "--timeout" in body, body
        assert took < 8
        assert wait_until(lambda: srv.busy == 0, 3)
        assert fetch(srv.url, SMALL)[0] == 200  # and the server still answers
    finally:
        srv.stop()


@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
def test_other_clients_are_answered_while_a_query_runs_away(engine):
    srv = make_server(GRAPH, port=0, engine=engine, timeout=20).start()
    slow = threading.Thread(target=fetch, args=(srv.url, RUNAWAY), daemon=True)
    try:
        slow.start()
        assert wait_until(lambda: srv.busy == 1, 5)
        for _ in range(3):
            started = time.monotonic()
            status, body = fetch(srv.url, SMALL, timeout=15)
            assert status == 200 and len(json.loads(body)["results"]["bindings"]) == 3
            assert time.monotonic() - started < 5
    finally:
        srv.stop()


@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
def test_a_query_is_stopped_when_its_client_leaves(engine):
    srv = make_server(GRAPH, port=0, engine=engine, timeout=60).start()
    try:
        host, port = srv.server_address[:2]
        sock = socket.create_connection((host, port), timeout=10)
        path = "/sparql?" + urllib.parse.urlencode({"query": RUNAWAY})
        sock.sendall(f"GET {path} HTTP/1.1\r\nHost: {host}\r\n\r\n".encode("ascii"))
        assert wait_until(lambda: srv.busy == 1, 5)
        sock.close()
        assert wait_until(lambda: srv.busy == 0, 5), "the query kept running after its client left"
    finally:
        srv.stop()


def test_an_answer_past_the_size_cap_is_refused_clearly():
    srv = make_server(GRAPH, port=0, max_bytes=100_000).start()
    try:
        status, body = fetch(srv.url, ENDLESS_ROWS)
        assert status == 507 and "0.1 MB limit" in body and "--max-bytes" in body and body.count("\n") == 1
        assert wait_until(lambda: srv.busy == 0, 3)
        status, _ = fetch(srv.url, SMALL)
        assert status == 200
    finally:
        srv.stop()


def test_kg_query_stops_at_its_time_limit(capsys):
    started = time.monotonic()
    assert main(["query", str(GRAPH), RUNAWAY, "--timeout", "1"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("kg: error: the query ran past the 1 s time limit (--timeout)") and err.count("\n") == 1
    assert time.monotonic() - started < 6


def test_kg_query_streams_its_answer():
    """Rows of an answer too big to hold are written as they are found (before it was built
    whole: 17 million rows here, gigabytes); a reader that leaves stops it."""
    import kg

    env = {**os.environ, "PYTHONPATH": str(pathlib.Path(kg.__file__).resolve().parents[1])}
    proc = subprocess.Popen([sys.executable, "-m", "kg", "query", str(GRAPH), ENDLESS_ROWS, "--format", "csv",
                             "--timeout", "60"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    watchdog = threading.Timer(40, proc.kill)
    watchdog.start()
    try:
        first = [proc.stdout.readline() for _ in range(1000)]
        assert first[0] == b"a,b,c,d,e,f\r\n" and all(line.count(b",") >= 5 for line in first)
        assert proc.poll() is None  # still finding rows: the first ones came as they were found
        proc.stdout.close()
        assert proc.wait(timeout=15) in (0, 1, 2, -13)  # gone soon after its reader, not at the limit
    finally:
        watchdog.cancel()
        proc.kill()
        proc.wait()


def test_a_query_that_grows_without_bound_stops_at_the_memory_cap():
    # sorting every pair of triples holds some 17 million rows: gigabytes, at ~90 MB/s
    srv = make_server(GRAPH, port=0, timeout=60, max_memory=300_000_000).start()
    try:
        started = time.monotonic()
        status, body = fetch(srv.url, ENDLESS_ROWS + " ORDER BY ?f ?e ?d ?c ?b ?a")
        assert status == 503 and "memory" in body and "--max-memory" in body and body.count("\n") == 1, body
        assert time.monotonic() - started < 30
        assert fetch(srv.url, SMALL)[0] == 200
    finally:
        srv.stop()
