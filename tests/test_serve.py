"""`kg serve`: the SPARQL 1.1 Protocol endpoint, queried over HTTP as YASGUI or a script would."""

import json
import pathlib
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET

import pytest

from kg.sparql.serve import make_server

ROOT = pathlib.Path(__file__).resolve().parent.parent
GRAPH = ROOT / "output" / "graph.ttl"

pytestmark = pytest.mark.skipif(not GRAPH.is_file(), reason="output/graph.ttl has not been built")

RCEP = """PREFIX kg: <https://w3id.org/zhkg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?value ?growth WHERE {
  ?o kg:observedEntity/rdfs:label "衡阳市"@zh ; kg:partner/rdfs:label "RCEP"@zh ;
     kg:value ?value ; kg:growthRate ?growth .
}"""


YASGUI = "https://yasgui.triply.cc"


@pytest.fixture(scope="module")
def server():
    srv = make_server(GRAPH, host="127.0.0.1", port=0, cors=[YASGUI]).start()
    yield srv
    srv.stop()


def fetch(req):
    """(status, headers, body) of a request, HTTP errors included."""
    try:
        with urllib.request.urlopen(req, timeout=10) as resp:
            return resp.status, resp.headers, resp.read().decode("utf-8")
    except urllib.error.HTTPError as err:
        return err.code, err.headers, err.read().decode("utf-8")


def get(url, query=None, accept=None, origin=None, **params):
    if query is not None:
        params["query"] = query
    if params:
        url += "?" + urllib.parse.urlencode(params)
    headers = {"Accept": accept} if accept else {}
    if origin:
        headers["Origin"] = origin
    return fetch(urllib.request.Request(url, headers=headers))


def test_binds_localhost_and_a_free_port(server):
    host, port = server.server_address[:2]
    assert host == "127.0.0.1" and port > 0
    assert server.url == f"http://127.0.0.1:{port}/sparql"


def test_get_answers_sparql_json_with_cors(server):
    status, headers, body = get(server.url, RCEP, origin=YASGUI)
    assert status == 200
    assert headers["Content-Type"].startswith("application/sparql-results+json")
    assert headers["Access-Control-Allow-Origin"] == YASGUI
    data = json.loads(body)
    assert data["head"]["vars"] == ["value", "growth"]
    (b,) = data["results"]["bindings"]
    assert b["value"]["value"] == "8379000000" and b["growth"]["value"] == "30"
    assert b["value"]["datatype"] == "http://www.w3.org/2001/XMLSchema#decimal"


def test_post_sparql_query_and_form(server):
    req = urllib.request.Request(server.url, data=RCEP.encode("utf-8"), method="POST",
                                 headers={"Content-Type": "application/sparql-query"})
    status, _, body = fetch(req)
    assert status == 200 and json.loads(body)["results"]["bindings"][0]["growth"]["value"] == "30"
    form = urllib.parse.urlencode({"query": RCEP}).encode("ascii")
    req = urllib.request.Request(server.url, data=form, method="POST",
                                 headers={"Content-Type": "application/x-www-form-urlencoded"})
    status, _, body = fetch(req)
    assert status == 200 and len(json.loads(body)["results"]["bindings"]) == 1


def test_accept_selects_xml_csv_and_tsv(server):
    q = 'SELECT ?label WHERE { <https://w3id.org/zhkg/resource/region/430400> rdfs:label ?label }'
    status, headers, body = get(server.url, q, accept="application/sparql-results+xml")
    assert status == 200 and headers["Content-Type"].startswith("application/sparql-results+xml")
    ns = "{http://www.w3.org/2005/sparql-results#}"
    assert ET.fromstring(body).find(f"{ns}results/{ns}result/{ns}binding/{ns}literal").text == "衡阳市"
    status, headers, body = get(server.url, q, accept="text/csv")
    assert status == 200 and headers["Content-Type"].startswith("text/csv") and body == "label\r\n衡阳市\r\n"
    status, _, body = get(server.url, q, accept="text/tab-separated-values")
    assert body == '?label\n"衡阳市"@zh\n'
    status, _, body = get(server.url, q, accept="image/png")
    assert status == 406


def test_construct_answers_ntriples(server):
    q = "CONSTRUCT { ?s kg:adcode ?c } WHERE { ?s kg:adcode ?c } "
    status, headers, body = get(server.url, q)
    assert status == 200 and headers["Content-Type"].startswith("application/n-triples")
    assert '<https://w3id.org/zhkg/resource/region/430400> <https://w3id.org/zhkg/ontology#adcode> "430400" .' in body


def test_updates_are_refused_with_403(server):
    update = "INSERT DATA { <http://example.org/a> <http://example.org/b> <http://example.org/c> }"
    req = urllib.request.Request(server.url, data=update.encode("utf-8"), method="POST",
                                 headers={"Content-Type": "application/sparql-update"})
    assert fetch(req)[0] == 403
    form = urllib.parse.urlencode({"update": update}).encode("ascii")
    req = urllib.request.Request(server.url, data=form, method="POST",
                                 headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert fetch(req)[0] == 403
    assert get(server.url, update)[0] == 403
    # and the graph is unchanged
    _, _, body = get(server.url, "ASK { <http://example.org/a> ?p ?o }")
    assert json.loads(body)["boolean"] is False


def test_bad_queries_and_paths(server):
    status, _, body = get(server.url, "SELECT ?x WHERE {")
    assert status == 400 and "bad SPARQL" in body
    # a ready query's name is not looked up on the server's disk
    assert get(server.url, "regions")[0] == 400
    assert get(server.url.replace("/sparql", "/nowhere"))[0] == 404
    assert get(server.url)[0] == 400


def test_front_page_and_cors_preflight(server):
    status, headers, body = get(server.url.replace("/sparql", "/"))
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    assert "SPARQL" in body and "read-only" in body and "graph.ttl" in body
    req = urllib.request.Request(server.url, method="OPTIONS", headers={
        "Origin": "https://yasgui.triply.cc", "Access-Control-Request-Method": "POST"})
    status, headers, _ = fetch(req)
    assert status == 204 and "POST" in headers["Access-Control-Allow-Methods"]
    assert headers["Access-Control-Allow-Origin"] == YASGUI


def test_sparqlwrapper_can_use_the_endpoint(server):
    sw = pytest.importorskip("SPARQLWrapper")
    client = sw.SPARQLWrapper(server.url)
    client.setQuery(RCEP)
    client.setReturnFormat(sw.JSON)
    data = client.query().convert()
    assert data["results"]["bindings"][0]["value"]["value"] == "8379000000"
    client.setMethod(sw.POST)
    client.setReturnFormat(sw.XML)
    doc = client.query().convert()  # an xml.dom.minidom document
    assert [n.firstChild.data for n in doc.getElementsByTagName("literal")] == ["8379000000", "30"]
    client.setQuery("ASK { ?s a kg:City }")
    client.setReturnFormat(sw.JSON)
    assert client.query().convert()["boolean"] is True


def test_sparqlwrapper_update_is_forbidden(server):
    sw = pytest.importorskip("SPARQLWrapper")
    client = sw.SPARQLWrapper(server.url)
    client.setMethod(sw.POST)
    client.setQuery("INSERT DATA { <http://example.org/a> <http://example.org/b> <http://example.org/c> }")
    with pytest.raises(urllib.error.HTTPError) as err:
        client.query()
    assert err.value.code == 403


def test_missing_graph_cannot_be_served(tmp_path):
    from kg.sparql.graphfile import GraphError

    with pytest.raises(GraphError):
        make_server(tmp_path / "none.ttl", port=0)


def test_rdflib_engine_serves_the_same_answer():
    srv = make_server(GRAPH, port=0, engine="rdflib").start()
    try:
        status, _, body = get(srv.url, RCEP)
        assert status == 200 and json.loads(body)["results"]["bindings"][0]["growth"]["value"] == "30"
    finally:
        srv.stop()
