"""`kg serve` and `kg query` on hostile queries and clients (issue 17, items 3 and Minor):
no query makes kg open a connection, CORS only for named origins, and the endpoint's
plumbing (backlog, read timeout, a store replaced under it, text/*, a bad --port)."""

import http.server
import json
import pathlib
import socket
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest

from kg.cli import main
from kg.sparql.serve import make_server, make_store_server

ROOT = pathlib.Path(__file__).resolve().parent.parent
GRAPH = ROOT / "output" / "graph.ttl"

pytestmark = pytest.mark.skipif(not GRAPH.is_file(), reason="output/graph.ttl has not been built")


@pytest.fixture(scope="module")
def listener():
    """A web server standing for any address a query might name; `hits` lists what reached it."""
    hits = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            hits.append(self.path)
            body = b"<http://example.org/a> <http://example.org/b> <http://example.org/c> ."
            self.send_response(200)
            self.send_header("Content-Type", "text/turtle")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_POST = do_GET

        def log_message(self, *args):
            pass

    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    srv.hits = hits
    srv.address = f"http://127.0.0.1:{srv.server_address[1]}/data.ttl"
    yield srv
    srv.shutdown()
    srv.server_close()


@pytest.fixture(scope="module", params=["oxigraph", "rdflib"])
def server(request):
    srv = make_server(GRAPH, port=0, engine=request.param).start()
    yield srv
    srv.stop()


def fetch(req, timeout=20):
    """(status, headers, body) of a request, HTTP errors included."""
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            return resp.status, resp.headers, resp.read().decode("utf-8")
    except urllib.error.HTTPError as err:
        return err.code, err.headers, err.read().decode("utf-8")


def get(url, query, headers=None):
    return fetch(urllib.request.Request(url + "?" + urllib.parse.urlencode({"query": query}),
                                        headers=headers or {}))


def calling_out(address):
    """Queries that would make an engine open a connection to ADDRESS, however they are dressed."""
    return {
        "service": f"SELECT * WHERE {{ SERVICE <{address}> {{ ?s ?p ?o }} }}",
        "service silent, lower case, after a comment":
            f"# a harmless query\nselect * where {{ service silent <{address}> {{ ?s ?p ?o }} }}",
        "service with a variable": f"SELECT * WHERE {{ BIND(<{address}> AS ?e) SERVICE ?e {{ ?s ?p ?o }} }}",
        "from": f"SELECT * FROM <{address}> WHERE {{ ?s ?p ?o }}",
        "from named": f"SELECT * FROM NAMED <{address}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}",
        "load": f"LOAD <{address}>",
        "load after prefixes": f"PREFIX ex: <http://example.org/>\nLOAD SILENT <{address}> INTO GRAPH ex:g",
    }


@pytest.mark.parametrize("kind", list(calling_out("x")))
def test_no_query_makes_the_endpoint_call_out(server, listener, kind):
    listener.hits.clear()
    status, headers, body = get(server.url, calling_out(listener.address)[kind])
    time.sleep(0.2)
    assert listener.hits == []
    assert status == 400, body
    assert headers["Content-Type"].startswith("text/plain")
    assert "refused" in body and "kg never" in body and body.count("\n") == 1


def test_the_keywords_in_comments_strings_and_iris_are_no_reason_to_refuse(server):
    q = ('SELECT ?service ?from WHERE { BIND("SERVICE <http://x/> FROM LOAD" AS ?service) '
         'BIND(<http://example.org/SERVICE> AS ?from) }  # SERVICE <http://x/>')
    status, _, body = get(server.url, q)
    assert status == 200, body
    (row,) = json.loads(body)["results"]["bindings"]
    assert row["service"]["value"].startswith("SERVICE")


@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
def test_kg_query_refuses_to_call_out_in_one_line(listener, capsys, engine):
    for kind, q in calling_out(listener.address).items():
        listener.hits.clear()
        assert main(["query", str(GRAPH), q, "--engine", engine]) == 2, kind
        err = capsys.readouterr().err
        assert err.startswith("kg: error:") and "refused" in err and err.count("\n") == 1, (kind, err)
        assert listener.hits == [], kind


def test_rdflib_algebra_check_finds_service_and_from():
    from rdflib.plugins.sparql import prepareQuery

    from kg.sparql.guard import refuse_remote_algebra
    from kg.sparql.results import QueryError

    with pytest.raises(QueryError, match="SERVICE"):
        refuse_remote_algebra(prepareQuery("SELECT * WHERE { OPTIONAL { SERVICE <http://x/> { ?s ?p ?o } } }"))
    with pytest.raises(QueryError, match="FROM"):
        refuse_remote_algebra(prepareQuery("SELECT * FROM <http://x/> WHERE { ?s ?p ?o }"))
    refuse_remote_algebra(prepareQuery("SELECT * WHERE { ?s <http://x/SERVICE> ?o }"))


# ---------------------------------------------------------------- CORS


def test_no_cors_unless_an_origin_is_named(server):
    evil = {"Origin": "https://evil.example"}
    status, headers, _ = get(server.url, "ASK { ?s ?p ?o }", evil)
    assert status == 200 and "Access-Control-Allow-Origin" not in headers
    req = urllib.request.Request(server.url, method="OPTIONS",
                                 headers={**evil, "Access-Control-Request-Method": "POST"})
    status, headers, _ = fetch(req)
    assert "Access-Control-Allow-Origin" not in headers and "Access-Control-Allow-Methods" not in headers


def test_cors_for_the_named_origins_only():
    srv = make_server(GRAPH, port=0, cors=["https://yasgui.triply.cc", "http://localhost:8080"]).start()
    try:
        for origin in ("https://yasgui.triply.cc", "http://localhost:8080"):
            _, headers, _ = get(srv.url, "ASK { ?s ?p ?o }", {"Origin": origin})
            assert headers["Access-Control-Allow-Origin"] == origin
        _, headers, _ = get(srv.url, "ASK { ?s ?p ?o }", {"Origin": "https://evil.example"})
        assert "Access-Control-Allow-Origin" not in headers
    finally:
        srv.stop()


def test_cors_option_checks_its_origin(capsys):
    assert main(["serve", str(GRAPH), "--port", "0", "--cors", "yasgui"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("kg: error: --cors yasgui") and err.count("\n") == 1


# ---------------------------------------------------------------- Minor


@pytest.mark.parametrize("port", ["99999", "-1", "65536"])
def test_a_port_out_of_range_is_one_line(capsys, port):
    assert main(["serve", str(GRAPH), "--port", port]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"kg: error: --port {port}") and err.count("\n") == 1 and "Traceback" not in err


def test_listen_backlog_holds_a_crowd():
    srv = make_server(GRAPH, port=0)
    try:
        assert srv.request_queue_size >= 128
    finally:
        srv.server_close()


def test_a_half_sent_request_does_not_hold_its_thread():
    srv = make_server(GRAPH, port=0, read_timeout=1).start()
    try:
        host, port = srv.server_address[:2]
        with socket.create_connection((host, port), timeout=10) as sock:
            sock.sendall(b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
                         b"Content-Length: 100\r\n\r\nSELECT")
            started = time.monotonic()
            assert sock.recv(1024) == b""  # the server closed it
            assert time.monotonic() - started < 5
    finally:
        srv.stop()


@pytest.mark.parametrize("query, want", [
    ("SELECT ?s WHERE { ?s a kg:City } LIMIT 2", "text/"),
    ("CONSTRUCT { ?s a kg:City } WHERE { ?s a kg:City } LIMIT 2", "text/"),
])
def test_text_star_is_answered_with_a_text_type(server, query, want):
    status, headers, body = get(server.url, query, {"Accept": "text/*"})
    assert status == 200 and headers["Content-Type"].startswith(want)
    if headers["Content-Type"].startswith("text/xml"):
        assert body.startswith("<?xml")


def test_csv_asked_as_text_star_first():
    from kg.sparql.negotiate import SELECT_TYPES, accepted, choose_writer

    _, ctype = choose_writer(accepted("text/*;q=0.9, image/png"), SELECT_TYPES, "application/sparql-results+json")
    assert ctype.startswith("text/")


def _tiny_output(folder: pathlib.Path, n: int) -> pathlib.Path:
    folder.mkdir()
    (folder / "graph.nt").write_text("".join(f"<http://example.org/s{i}> <http://example.org/p> \"{i}\" .\n"
                                             for i in range(n)), encoding="utf-8")
    return folder


def test_a_store_replaced_by_kg_load_is_served_anew(tmp_path):
    from kg.sparql.store import load_store

    store = tmp_path / "store"
    load_store(_tiny_output(tmp_path / "one", 2), store)
    srv = make_store_server(store, port=0).start()
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    try:
        _, _, body = get(srv.url, count)
        first = int(json.loads(body)["results"]["bindings"][0]["n"]["value"])  # 2 data triples + the ontology
        load_store(_tiny_output(tmp_path / "two", 5), store)
        status, _, body = get(srv.url, count)
        assert status == 200 and int(json.loads(body)["results"]["bindings"][0]["n"]["value"]) == first + 3
        assert srv.triples == first + 3
    finally:
        srv.stop()
