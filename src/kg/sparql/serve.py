"""`kg serve`: a read-only SPARQL 1.1 Protocol endpoint over a built graph.

Standard library only (http.server), answering with the query engines of kg.sparql.engines:

    GET  /sparql?query=...                                  (also at /)
    POST /sparql  Content-Type: application/sparql-query    (the body is the query)
    POST /sparql  Content-Type: application/x-www-form-urlencoded  (query=...)

Results are application/sparql-results+json unless the Accept header (or a `format`
parameter: json, xml, csv, tsv) asks for XML, CSV or TSV; CONSTRUCT and DESCRIBE answer
N-Triples (also sent as text/turtle when asked). Every answer carries
Access-Control-Allow-Origin: *, so YASGUI and other browser clients can use it.
Updates (an `update` parameter, application/sparql-update, or an update in `query`) are
refused with 403. It binds 127.0.0.1 unless told otherwise.
"""

from __future__ import annotations

import sys
import threading
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from kg.sparql.engines import ENGINES, LoadedGraph, load_graph, run_query
from kg.sparql.formats import format_csv, format_json, format_ntriples, format_tsv, format_xml
from kg.sparql.graphfile import GraphError
from kg.sparql.ready import is_update
from kg.sparql.results import QueryError
from kg.sparql.workbench import workbench_page

__all__ = ["SparqlServer", "make_server", "make_store_server", "register"]

MAX_BODY = 1 << 20  # 1 MiB of query is plenty

# media type → (writer, Content-Type sent)
_SELECT_TYPES = {
    "application/sparql-results+json": (format_json, "application/sparql-results+json; charset=utf-8"),
    "application/json": (format_json, "application/sparql-results+json; charset=utf-8"),
    "application/sparql-results+xml": (format_xml, "application/sparql-results+xml; charset=utf-8"),
    "application/xml": (format_xml, "application/sparql-results+xml; charset=utf-8"),
    "text/xml": (format_xml, "application/sparql-results+xml; charset=utf-8"),
    "text/csv": (format_csv, "text/csv; charset=utf-8"),
    "text/tab-separated-values": (format_tsv, "text/tab-separated-values; charset=utf-8"),
}
_GRAPH_TYPES = {
    "application/n-triples": (format_ntriples, "application/n-triples; charset=utf-8"),
    "text/turtle": (format_ntriples, "text/turtle; charset=utf-8"),
    "text/plain": (format_ntriples, "application/n-triples; charset=utf-8"),
}
_FORMAT_PARAM = {"json": "application/sparql-results+json", "xml": "application/sparql-results+xml",
                 "csv": "text/csv", "tsv": "text/tab-separated-values",
                 "nt": "application/n-triples", "ttl": "text/turtle", "turtle": "text/turtle"}


def _accepted(header: str | None) -> list[str]:
    """Media types of an Accept header, best first (q=0 dropped; ties keep their order)."""
    if not header:
        return ["*/*"]
    ranked = []
    for i, part in enumerate(header.split(",")):
        fields = [f.strip() for f in part.split(";")]
        if not fields[0]:
            continue
        q = 1.0
        for f in fields[1:]:
            if f.lower().startswith("q="):
                try:
                    q = float(f[2:])
                except ValueError:
                    q = 0.0
        if q > 0:
            ranked.append((-q, i, fields[0].lower()))
    return [t for _, _, t in sorted(ranked)] or ["*/*"]


def _choose(accept: list[str], table: dict, default: str):
    for media in accept:
        if media in table:
            return table[media]
        if media in ("*/*", "application/*", "text/*"):
            if media == "*/*" or default.startswith(media[:-1]):
                return table[default]
            for name, entry in table.items():
                if name.startswith(media[:-1]):
                    return entry
    return None


class SparqlHandler(BaseHTTPRequestHandler):
    server: "SparqlServer"
    server_version = "kg-sparql/1"
    protocol_version = "HTTP/1.1"

    # -- plumbing
    def log_message(self, fmt, *args):  # noqa: D401 - http.server's signature
        if self.server.log:
            sys.stderr.write("kg serve: %s - %s\n" % (self.address_string(), fmt % args))

    def _send(self, status: int, body: str | bytes, ctype: str, extra: dict | None = None) -> None:
        data = body.encode("utf-8") if isinstance(body, str) else body
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Access-Control-Allow-Origin", "*")
        self.send_header("Access-Control-Expose-Headers", "Content-Type")
        self.send_header("Vary", "Accept")
        for k, v in (extra or {}).items():
            self.send_header(k, v)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def _error(self, status: int, message: str) -> None:
        self._send(status, message.rstrip("\n") + "\n", "text/plain; charset=utf-8")

    # -- methods
    def do_OPTIONS(self):
        self._send(HTTPStatus.NO_CONTENT, b"", "text/plain", {
            "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
            "Access-Control-Allow-Headers": "Content-Type, Accept, Authorization",
            "Access-Control-Max-Age": "86400",
            "Allow": "GET, POST, OPTIONS, HEAD",
        })

    def do_HEAD(self):
        self.do_GET()

    def do_GET(self):
        url = urlsplit(self.path)
        if url.path not in ("/", "/sparql", "/query"):
            return self._error(HTTPStatus.NOT_FOUND, f"not found: {url.path}; the endpoint is /sparql")
        params = parse_qs(url.query, keep_blank_values=True)
        if "update" in params:
            return self._error(HTTPStatus.FORBIDDEN, "SPARQL updates are refused: this endpoint is read-only")
        if "query" not in params:
            if url.path == "/" or "text/html" in (self.headers.get("Accept") or ""):
                return self._page(url.path if url.path != "/" else "/sparql")
            return self._error(HTTPStatus.BAD_REQUEST, "missing the query parameter")
        self._answer(params)

    def do_POST(self):
        url = urlsplit(self.path)
        if url.path not in ("/", "/sparql", "/query", "/update"):
            return self._error(HTTPStatus.NOT_FOUND, f"not found: {url.path}; the endpoint is /sparql")
        ctype = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            return self._error(HTTPStatus.BAD_REQUEST, "bad Content-Length")
        if length > MAX_BODY:
            self.close_connection = True
            return self._error(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, "request too large")
        body = self.rfile.read(length) if length > 0 else b""
        if ctype == "application/sparql-update" or url.path == "/update":
            return self._error(HTTPStatus.FORBIDDEN, "SPARQL updates are refused: this endpoint is read-only")
        params = parse_qs(url.query, keep_blank_values=True)
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            return self._error(HTTPStatus.BAD_REQUEST, "the request body is not UTF-8")
        if ctype == "application/sparql-query":
            params["query"] = [text]
        elif ctype == "application/x-www-form-urlencoded":
            form = parse_qs(text, keep_blank_values=True)
            if "update" in form:
                return self._error(HTTPStatus.FORBIDDEN, "SPARQL updates are refused: this endpoint is read-only")
            for k, v in form.items():
                params.setdefault(k, []).extend(v)
        else:
            return self._error(HTTPStatus.UNSUPPORTED_MEDIA_TYPE,
                               "send application/sparql-query or application/x-www-form-urlencoded")
        if "update" in params:
            return self._error(HTTPStatus.FORBIDDEN, "SPARQL updates are refused: this endpoint is read-only")
        if "query" not in params:
            return self._error(HTTPStatus.BAD_REQUEST, "missing the query parameter")
        self._answer(params)

    # -- work
    def _page(self, path: str) -> None:
        srv = self.server  # the query workbench (kg.sparql.workbench), posting to PATH
        body = workbench_page(srv.graph_name, srv.triples, srv.loaded.engine, path)
        self._send(HTTPStatus.OK, body, "text/html; charset=utf-8")

    def _answer(self, params: dict) -> None:
        queries = params["query"]
        if len(queries) != 1:
            return self._error(HTTPStatus.BAD_REQUEST, "give exactly one query")
        if any(v for k in ("default-graph-uri", "named-graph-uri") for v in params.get(k, [])):
            return self._error(HTTPStatus.BAD_REQUEST, "dataset selection (default-graph-uri, named-graph-uri) "
                                                       "is not supported; the whole graph is the default graph")
        text = queries[0]
        if not text.strip():
            return self._error(HTTPStatus.BAD_REQUEST, "empty query")
        if is_update(text):
            return self._error(HTTPStatus.FORBIDDEN, "SPARQL updates are refused: this endpoint is read-only")
        try:
            result = run_query(self.server.loaded, text, resolve=False)
        except QueryError as err:
            return self._error(HTTPStatus.BAD_REQUEST, str(err))
        except Exception as err:  # keep serving whatever one query does
            return self._error(HTTPStatus.INTERNAL_SERVER_ERROR, f"the query failed: {err}")
        fmt = (params.get("format") or [""])[0].lower()
        accept = [_FORMAT_PARAM[fmt]] if fmt in _FORMAT_PARAM else _accepted(self.headers.get("Accept"))
        if result.graph:
            chosen = _choose(accept, _GRAPH_TYPES, "application/n-triples")
        else:
            chosen = _choose(accept, _SELECT_TYPES, "application/sparql-results+json")
        if chosen is None:
            offered = ", ".join(_GRAPH_TYPES if result.graph else _SELECT_TYPES)
            return self._error(HTTPStatus.NOT_ACCEPTABLE, f"can answer with: {offered}")
        writer, ctype = chosen
        self._send(HTTPStatus.OK, writer(result), ctype)


class SparqlServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address, loaded, graph_name: str, log: bool = False, triples: int | None = None):
        super().__init__(address, SparqlHandler)
        self.loaded = loaded
        self.graph_name = graph_name
        self.triples = len(loaded) if triples is None else triples  # counting a big store scans it all
        self.log = log
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        if ":" in host:
            host = f"[{host}]"
        return f"http://{host}:{port}/sparql"

    def start(self) -> "SparqlServer":
        """Serve in a daemon thread (for tests and notebooks); stop with shutdown()."""
        self._thread = threading.Thread(target=self.serve_forever, name="kg-serve", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self.shutdown()
        self.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)


def make_server(graph_path, host: str = "127.0.0.1", port: int = 0, engine: str = "auto",
                log: bool = False) -> SparqlServer:
    """A server over GRAPH_PATH, loaded once, bound but not yet serving (port 0: a free port).
    Raises GraphError when the graph cannot be read, OSError when the address cannot be bound."""
    from pathlib import Path

    loaded = load_graph(graph_path, engine, cache=False)
    return SparqlServer((host, port), loaded, Path(graph_path).name, log=log)


def make_store_server(store_dir, host: str = "127.0.0.1", port: int = 0, log: bool = False) -> SparqlServer:
    """A server over the on-disk store made by `kg load`, opened read-only and queried in place
    (nothing is copied into memory, so it starts at once whatever the graph's size).
    Raises StoreError (a ValueError) when STORE_DIR is not such a store, OSError when the address cannot be bound."""
    from pathlib import Path

    from kg.sparql.store import open_store, store_info

    store = open_store(store_dir, read_only=True)
    triples = (store_info(store_dir) or {}).get("triples")
    return SparqlServer((host, port), LoadedGraph("oxigraph", store, str(store_dir)), Path(store_dir).name,
                        log=log, triples=triples)


# ---------------------------------------------------------------- command line


def register(subparsers) -> None:
    """Add `kg serve (GRAPH | --store DIR) [--port N] [--host 127.0.0.1] [--engine ...]`."""
    p = subparsers.add_parser("serve", help="serve a graph as a read-only SPARQL endpoint (for YASGUI and scripts)")
    p.add_argument("graph", nargs="?", help="graph file (graph.ttl; .nt, .trig, .nq and .jsonld are read too)")
    p.add_argument("--store", metavar="DIR", default=None,
                   help="serve the on-disk store made by `kg load` (queried in place) instead of a graph file")
    p.add_argument("--port", type=int, default=7878, help="port (default 7878; 0 picks a free one)")
    p.add_argument("--host", default="127.0.0.1",
                   help="address to bind (default 127.0.0.1, this machine only; 0.0.0.0 opens it to the network)")
    p.add_argument("--engine", choices=ENGINES, default="auto",
                   help="query engine: auto (Oxigraph when installed), oxigraph or rdflib")
    p.add_argument("-q", "--quiet", action="store_true", help="do not log requests")
    p.set_defaults(func=run)


def run(args) -> int:
    """Serve until Ctrl-C (exit 0); 2, with one line on stderr, when the graph or address cannot be used."""
    if bool(args.graph) == bool(args.store):
        print("kg: error: kg serve needs a GRAPH file or --store DIR (one of them, not both)", file=sys.stderr)
        return 2
    if args.store and args.engine == "rdflib":
        print("kg: error: --store is served by Oxigraph in place; --engine rdflib needs a GRAPH file",
              file=sys.stderr)
        return 2
    try:
        if args.store:
            server = make_store_server(args.store, args.host, args.port, log=not args.quiet)
        else:
            server = make_server(args.graph, args.host, args.port, engine=args.engine, log=not args.quiet)
    except (GraphError, OSError, ValueError, ImportError) as err:
        print(f"kg: error: {' '.join(str(err).split())}", file=sys.stderr)
        return 2
    print(f"kg: serving {args.graph or args.store} ({server.triples} triples, {server.loaded.engine}) "
          f"at {server.url}; Ctrl-C stops", file=sys.stderr, flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0
