"""`kg serve`: a read-only SPARQL 1.1 Protocol endpoint over a built graph.

Standard library only (http.server), answering with the query engines of kg.sparql.engines:

    GET  /sparql?query=...                                  (also at /)
    POST /sparql  Content-Type: application/sparql-query    (the body is the query)
    POST /sparql  Content-Type: application/x-www-form-urlencoded  (query=...)

Results are application/sparql-results+json unless the Accept header (or a `format`
parameter: json, xml, csv, tsv) asks for XML, CSV or TSV; CONSTRUCT and DESCRIBE answer
N-Triples (also sent as text/turtle when asked). It binds 127.0.0.1 unless told otherwise.

Safe on any input:
  - updates are refused with 403; SERVICE, LOAD and FROM with 400 (kg never opens a connection);
  - each query runs in a worker process (kg.sparql.worker) with a time limit (`--timeout`, 503),
    a cap on the answer's size (`--max-bytes`, 507), stopped when its client hangs up; at most
    `--workers` run at once and the other clients are answered meanwhile;
  - CORS headers only for the origins named with `--cors ORIGIN` (none by default: a web page
    the user opens cannot read the answers);
  - requests are read with a time limit (half-sent ones do not hold a thread), a listen backlog
    of 128, and a store replaced by `kg load` is served as it is now.

Routes live in the handler's GET_ROUTES / POST_ROUTES tables (path → method), so a page can be
added without touching the request plumbing.
"""

from __future__ import annotations

import os
import sys
import threading
import time
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from kg.sparql.engines import ENGINES, LoadedGraph, iter_query, load_graph
from kg.sparql.formats import STREAMS
from kg.sparql.graphfile import GraphError
from kg.sparql.guard import refuse_remote
from kg.sparql.negotiate import FORMAT_PARAM, GRAPH_TYPES, SELECT_TYPES, accepted, choose_writer
from kg.sparql.ready import is_update
from kg.sparql.results import QueryError
from kg.sparql.workbench import workbench_page
from kg.sparql.worker import CLIENT_GONE, LimitError, WorkerPool

__all__ = ["SparqlServer", "SparqlHandler", "make_server", "make_store_server", "register",
           "DEFAULT_TIMEOUT", "DEFAULT_MAX_BYTES", "DEFAULT_MAX_MEMORY"]

MAX_BODY = 1 << 20  # 1 MiB of query is plenty
DEFAULT_TIMEOUT = 30.0  # seconds a query may run
DEFAULT_MAX_BYTES = 50_000_000  # bytes an answer may take
DEFAULT_MAX_MEMORY = 2_000_000_000  # bytes a worker may grow by while it answers
READ_TIMEOUT = 10.0  # seconds a client may take to send its request (and be idle between requests)
UPDATES_REFUSED = "SPARQL updates are refused: this endpoint is read-only"

class SparqlHandler(BaseHTTPRequestHandler):
    server: "SparqlServer"
    server_version = "kg-sparql/1"
    protocol_version = "HTTP/1.1"
    # path → method name; add a page with SparqlHandler.GET_ROUTES["/ui"] = "my_method"
    GET_ROUTES = {"/": "answer_get", "/sparql": "answer_get", "/query": "answer_get"}
    POST_ROUTES = {"/": "answer_post", "/sparql": "answer_post", "/query": "answer_post", "/update": "refuse_update"}

    # -- plumbing
    def setup(self):
        self.timeout = self.server.read_timeout  # a socket timeout: a half-sent request frees its thread
        super().setup()

    def log_message(self, fmt, *args):  # noqa: D401 - http.server's signature
        if self.server.log:
            sys.stderr.write("kg serve: %s - %s\n" % (self.address_string(), fmt % args))

    def _cors(self) -> dict:
        """CORS headers for an Origin the user named with --cors (or any, when they named *)."""
        allowed = self.server.cors
        origin = self.headers.get("Origin")
        if not allowed or not origin or ("*" not in allowed and origin not in allowed):
            return {}
        return {"Access-Control-Allow-Origin": "*" if "*" in allowed else origin,
                "Access-Control-Expose-Headers": "Content-Type"}

    def send(self, status: int, body: str | bytes, ctype: str, extra: dict | None = None) -> None:
        """Answer with BODY (the CORS headers the server allows are added)."""
        data = body.encode("utf-8") if isinstance(body, str) else body
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Vary", "Accept, Origin")
        for k, v in {**self._cors(), **(extra or {})}.items():
            self.send_header(k, v)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def error(self, status: int, message: str) -> None:
        """A plain-text answer of one line."""
        self.send(status, message.rstrip("\n") + "\n", "text/plain; charset=utf-8")

    def _route(self, table: dict) -> None:
        url = urlsplit(self.path)
        name = table.get(url.path)
        if name is None:
            return self.error(HTTPStatus.NOT_FOUND, f"not found: {url.path}; the endpoint is /sparql")
        getattr(self, name)(url)

    # -- methods
    def do_OPTIONS(self):
        cors = self._cors()
        extra = {"Allow": "GET, POST, OPTIONS, HEAD"}
        if cors:
            extra.update({"Access-Control-Allow-Methods": "GET, POST, OPTIONS",
                          "Access-Control-Allow-Headers": "Content-Type, Accept, Authorization",
                          "Access-Control-Max-Age": "86400"})
        self.send(HTTPStatus.NO_CONTENT, b"", "text/plain", extra)

    def do_HEAD(self):
        self.do_GET()

    def do_GET(self):
        self._route(self.GET_ROUTES)

    def do_POST(self):
        self._route(self.POST_ROUTES)

    # -- routes
    def refuse_update(self, url=None) -> None:
        self.error(HTTPStatus.FORBIDDEN, UPDATES_REFUSED)

    def answer_get(self, url) -> None:
        params = parse_qs(url.query, keep_blank_values=True)
        if "update" in params:
            return self.refuse_update()
        if "query" not in params:
            if url.path == "/" or "text/html" in (self.headers.get("Accept") or ""):
                return self.page(url.path if url.path != "/" else "/sparql")
            return self.error(HTTPStatus.BAD_REQUEST, "missing the query parameter")
        self.answer(params)

    def _body(self) -> bytes | None:
        """The request body, or None once an error has been sent."""
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            self.error(HTTPStatus.BAD_REQUEST, "bad Content-Length")
            return None
        if length > MAX_BODY:
            self.close_connection = True
            self.error(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, "request too large")
            return None
        return self.rfile.read(length) if length > 0 else b""

    def answer_post(self, url) -> None:
        ctype = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        body = self._body()
        if body is None:
            return
        if ctype == "application/sparql-update":
            return self.refuse_update()
        params = parse_qs(url.query, keep_blank_values=True)
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            return self.error(HTTPStatus.BAD_REQUEST, "the request body is not UTF-8")
        if ctype == "application/sparql-query":
            params["query"] = [text]
        elif ctype == "application/x-www-form-urlencoded":
            for k, v in parse_qs(text, keep_blank_values=True).items():
                params.setdefault(k, []).extend(v)
        else:
            return self.error(HTTPStatus.UNSUPPORTED_MEDIA_TYPE,
                              "send application/sparql-query or application/x-www-form-urlencoded")
        if "update" in params:
            return self.refuse_update()
        if "query" not in params:
            return self.error(HTTPStatus.BAD_REQUEST, "missing the query parameter")
        self.answer(params)

    # -- work
    def page(self, path: str) -> None:
        srv = self.server  # the query workbench (kg.sparql.workbench), posting to PATH
        body = workbench_page(srv.graph_name, srv.triples, srv.engine, path)
        self.send(HTTPStatus.OK, body, "text/html; charset=utf-8")

    def _refusal(self, params: dict) -> tuple[int, str] | None:
        """(status, message) when the request is refused before any query runs."""
        if len(params["query"]) != 1:
            return HTTPStatus.BAD_REQUEST, "give exactly one query"
        if any(v for k in ("default-graph-uri", "named-graph-uri") for v in params.get(k, [])):
            return HTTPStatus.BAD_REQUEST, ("dataset selection (default-graph-uri, named-graph-uri) is not "
                                            "supported; the whole graph is the default graph")
        text = params["query"][0]
        if not text.strip():
            return HTTPStatus.BAD_REQUEST, "empty query"
        try:  # before the update check: LOAD <url> is refused as a fetch, not only as an update
            refuse_remote(text)
        except QueryError as err:
            return HTTPStatus.BAD_REQUEST, str(err)
        if is_update(text):
            return HTTPStatus.FORBIDDEN, UPDATES_REFUSED
        return None

    def answer(self, params: dict) -> None:
        """Run the one query of PARAMS in a worker and send its answer in the format asked for."""
        refused = self._refusal(params)
        if refused:
            return self.error(*refused)
        fmt = (params.get("format") or [""])[0].lower()
        accept = [FORMAT_PARAM[fmt]] if fmt in FORMAT_PARAM else accepted(self.headers.get("Accept"))

        body: list[bytes] = []
        try:
            header = self.server.run(params["query"][0], accept, body.append, self.connection)
        except LimitError as err:
            if err.status == CLIENT_GONE:  # nobody to answer
                self.close_connection = True
                return None
            return self.error(err.status, str(err))
        except QueryError as err:
            return self.error(HTTPStatus.BAD_REQUEST, str(err))
        self.send(HTTPStatus.OK, b"".join(body), header["ctype"])


def choose_answer(result, accept: list[str]):
    """(the writer's chunks, {"ctype": Content-Type}) for RESULT and an Accept list; run in the worker,
    once the kind of answer (graph or bindings) is known. LimitError 406 when nothing fits."""
    table, default = ((GRAPH_TYPES, "application/n-triples") if result.graph
                      else (SELECT_TYPES, "application/sparql-results+json"))
    chosen = choose_writer(accept, table, default)
    if chosen is None:
        raise LimitError(f"can answer with: {', '.join(table)}", HTTPStatus.NOT_ACCEPTABLE)
    return chosen[0](result), {"ctype": chosen[1]}


def warm_up(loaded: LoadedGraph) -> None:
    """Run small queries here first, so that every module a query needs is imported before any
    worker is forked: a child must not import what another thread of the parent was importing."""
    for name, writer in STREAMS.items():
        shape = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }" if name == "nt" else "SELECT * WHERE { ?s ?p ?o }"
        "".join(writer(iter_query(loaded, shape + " LIMIT 1", resolve=False)))


class SparqlServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128  # the listen backlog: at 5, concurrency 20 met resets and 1 s retries

    def __init__(self, address, loaded, graph_name: str, log: bool = False, triples: int | None = None, *,
                 cors=(), timeout: float | None = DEFAULT_TIMEOUT, max_bytes: int | None = DEFAULT_MAX_BYTES,
                 workers: int | None = None, store_dir=None, read_timeout: float = READ_TIMEOUT,
                 max_memory: int | None = DEFAULT_MAX_MEMORY):
        super().__init__(address, SparqlHandler)
        self.loaded = loaded
        self.engine = loaded.engine
        self.graph_name = graph_name
        self._triples = len(loaded) if triples is None else triples  # counting a big store scans it all
        self.log = log
        self.cors = tuple(cors)
        self.query_timeout = timeout or None
        self.max_bytes = max_bytes or None
        self.pool = WorkerPool(self.open_graph, choose_answer, workers or max(2, os.cpu_count() or 2),
                               max_memory=max_memory or None)
        self._opened = None  # in a worker: (store version, LoadedGraph) of the store it opened
        self.store_dir = store_dir
        self.read_timeout = read_timeout
        self._seen = self._version()
        self._thread: threading.Thread | None = None
        warm_up(loaded)

    # -- what is served
    def _version(self):
        """What identifies the data served now: the store's kg-store.json, or the graph file's size and time."""
        path = Path(self.store_dir) / "kg-store.json" if self.store_dir else Path(self.loaded.path or "")
        try:
            st = path.stat()
        except (OSError, ValueError):
            return None
        return st.st_size, st.st_mtime_ns, st.st_ino

    @property
    def triples(self) -> int:
        """Triples served; a store replaced by `kg load` is noticed (and said in the log)."""
        self.notice_change()
        return self._triples

    def notice_change(self) -> None:
        now = self._version()
        if now == self._seen or now is None:
            return
        self._seen = now
        if self.store_dir:
            from kg.sparql.store import store_info

            self._triples = (store_info(self.store_dir) or {}).get("triples", self._triples)
            message = f"{self.store_dir} was replaced by `kg load`; serving the new store ({self._triples} triples)"
        else:
            message = f"{self.loaded.path} changed on disk; still serving the graph loaded at start: restart kg serve"
        sys.stderr.write(f"kg serve: {message}\n")

    def open_graph(self) -> LoadedGraph:
        """The graph a query runs on (in the worker). A store is opened by the worker itself (a
        database handle does not survive a fork), and again once `kg load` has replaced it."""
        if not self.store_dir:
            return self.loaded
        from kg.sparql.store import open_store

        version = self._version()
        if self._opened is None or self._opened[0] != version:
            try:
                store = open_store(self.store_dir, read_only=True)
            except ValueError as err:
                raise LimitError(f"the store cannot be opened now (is `kg load` replacing it?): {err}", 503) from None
            self._opened = (version, LoadedGraph("oxigraph", store, str(self.store_dir)))
        return self._opened[1]

    @property
    def busy(self) -> int:
        """Queries running now."""
        return self.pool.busy

    def run(self, text: str, accept: list[str], sink, client=None) -> dict:
        """Run TEXT in a worker under the server's limits, answering in a type of ACCEPT (see WorkerPool.ask)."""
        self.notice_change()
        deadline = time.monotonic() + self.query_timeout if self.query_timeout else None
        return self.pool.ask(text, accept, sink, deadline=deadline, timeout=self.query_timeout,
                             max_bytes=self.max_bytes, client=client)

    def server_close(self) -> None:
        super().server_close()
        self.pool.close()

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
                log: bool = False, **limits) -> SparqlServer:
    """A server over GRAPH_PATH, loaded once, bound but not yet serving (port 0: a free port).
    LIMITS: cors, timeout, max_bytes, workers (see SparqlServer).
    Raises GraphError when the graph cannot be read, OSError when the address cannot be bound."""
    loaded = load_graph(graph_path, engine, cache=False)
    return SparqlServer((host, port), loaded, Path(graph_path).name, log=log, **limits)


def make_store_server(store_dir, host: str = "127.0.0.1", port: int = 0, log: bool = False,
                      **limits) -> SparqlServer:
    """A server over the on-disk store made by `kg load`, opened read-only and queried in place
    (nothing is copied into memory, so it starts at once whatever the graph's size); each query
    opens it afresh, so a store `kg load` replaces is served as it is now.
    Raises StoreError (a ValueError) when STORE_DIR is not such a store, OSError when the address cannot be bound."""
    from kg.sparql.store import open_store, store_info

    store = open_store(store_dir, read_only=True)
    triples = (store_info(store_dir) or {}).get("triples")
    return SparqlServer((host, port), LoadedGraph("oxigraph", store, str(store_dir)), Path(store_dir).name,
                        log=log, triples=triples, store_dir=store_dir, **limits)


# ---------------------------------------------------------------- command line


def register(subparsers) -> None:
    """Add `kg serve (GRAPH | --store DIR) [--port N] [--host 127.0.0.1] [--engine ...] [limits]`."""
    p = subparsers.add_parser("serve", help="serve a graph as a read-only SPARQL endpoint (for YASGUI and scripts)")
    p.add_argument("graph", nargs="?", help="graph file (graph.ttl; .nt, .trig, .nq and .jsonld are read too)")
    p.add_argument("--store", metavar="DIR", default=None,
                   help="serve the on-disk store made by `kg load` (queried in place) instead of a graph file")
    p.add_argument("--port", type=int, default=7878, help="port (default 7878; 0 picks a free one)")
    p.add_argument("--host", default="127.0.0.1",
                   help="address to bind (default 127.0.0.1, this machine only; 0.0.0.0 opens it to the network)")
    p.add_argument("--engine", choices=ENGINES, default="auto",
                   help="query engine: auto (Oxigraph when installed), oxigraph or rdflib")
    p.add_argument("--cors", metavar="ORIGIN", action="append", default=[],
                   help="let web pages from ORIGIN (https://yasgui.triply.cc) read the answers; repeatable; "
                        "none by default")
    p.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT, metavar="SECONDS",
                   help=f"stop a query after SECONDS (default {DEFAULT_TIMEOUT:g}; 0: no limit)")
    p.add_argument("--max-bytes", type=int, default=DEFAULT_MAX_BYTES, metavar="N",
                   help=f"refuse an answer larger than N bytes (default {DEFAULT_MAX_BYTES:,}; 0: no limit)")
    p.add_argument("--max-memory", type=int, default=DEFAULT_MAX_MEMORY // 1_000_000, metavar="MB",
                   help=f"memory a query may take, in MB (default {DEFAULT_MAX_MEMORY // 1_000_000:,}; 0: no limit)")
    p.add_argument("--workers", type=int, default=None, metavar="N",
                   help="queries run at once (default: the number of CPUs, at least 2); others wait their turn")
    p.add_argument("-q", "--quiet", action="store_true", help="do not log requests")
    p.set_defaults(func=run)


def _bad_options(args) -> str | None:
    if bool(args.graph) == bool(args.store):
        return "kg serve needs a GRAPH file or --store DIR (one of them, not both)"
    if args.store and args.engine == "rdflib":
        return "--store is served by Oxigraph in place; --engine rdflib needs a GRAPH file"
    if not 0 <= args.port <= 65535:
        return f"--port {args.port}: a port is 0 to 65535 (0 picks a free one)"
    if not (args.timeout >= 0 and args.timeout != float("inf")):
        return f"--timeout {args.timeout}: give seconds, 0 or more (0: no limit)"
    if args.max_bytes < 0 or args.max_memory < 0:
        return "--max-bytes and --max-memory take 0 or more (0: no limit)"
    if args.workers is not None and not 1 <= args.workers <= 256:
        return f"--workers {args.workers}: give 1 to 256"
    bad = [o for o in args.cors if o != "*" and not o.startswith(("http://", "https://"))]
    if bad:
        return f"--cors {bad[0]}: give an origin such as https://yasgui.triply.cc (or * for any page)"
    return None


def run(args) -> int:
    """Serve until Ctrl-C (exit 0); 2, with one line on stderr, when an option, the graph or address cannot be used."""
    bad = _bad_options(args)
    if bad:
        print(f"kg: error: {bad}", file=sys.stderr)
        return 2
    limits = {"cors": [o.rstrip("/") for o in args.cors], "timeout": args.timeout, "max_bytes": args.max_bytes,
              "workers": args.workers, "max_memory": args.max_memory * 1_000_000}
    try:
        if args.store:
            server = make_store_server(args.store, args.host, args.port, log=not args.quiet, **limits)
        else:
            server = make_server(args.graph, args.host, args.port, engine=args.engine, log=not args.quiet, **limits)
    except (GraphError, OSError, ValueError, ImportError, OverflowError) as err:
        print(f"kg: error: {' '.join(str(err).split())}", file=sys.stderr)
        return 2
    print(f"kg: serving {args.graph or args.store} ({server.triples} triples, {server.engine}) "
          f"at {server.url}; Ctrl-C stops", file=sys.stderr, flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0
