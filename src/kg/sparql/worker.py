"""Running queries in worker processes that can be stopped: a time limit, a cap on the
answer's size, and cancellation when the client goes away.

Neither engine can be interrupted from outside: a four-way cartesian product runs inside one
call into Oxigraph's Rust code, and rdflib holds the interpreter while it evaluates. So queries
run in child processes forked from the one holding the graph (its memory is shared,
copy-on-write: nothing is loaded again), and answers come back through a pipe, a chunk at a
time, already written in the format asked for. When the deadline passes, the answer grows past
its cap or the client hangs up, the worker is killed and its memory goes with it; meanwhile the
parent's other threads keep answering other clients. A worker that finished its query cleanly
waits for the next one, so a fork is paid only after a kill.

    pool = WorkerPool(open_graph, choose, size=4)          # kg serve
    header = pool.ask(text, args, sink.append, deadline=..., max_bytes=..., client=sock)
    run_limited(open_graph, text, choose, sink, timeout=30)  # kg query: one worker, one query

`choose(result, args)` runs in the worker once the kind of answer is known (SELECT, ASK,
CONSTRUCT) and returns (a generator of text chunks, a small JSON-able header); ARGS is JSON
sent with the query. `sink(bytes)` gets the body as it comes. Failures are raised in the parent
as `LimitError`s (a QueryError with the HTTP `status` it maps to).
"""

from __future__ import annotations

import json
import os
import queue
import select
import signal
import socket
import struct
import threading
import time

from kg.sparql.engines import iter_query
from kg.sparql.graphfile import GraphError
from kg.sparql.results import QueryError

__all__ = ["LimitError", "Worker", "WorkerPool", "run_limited"]

# frames: Q query (parent → worker); H header, D data, E error, Z end of answer (worker → parent)
_FRAME = struct.Struct("!cI")
_CHUNK = 1 << 16
CLIENT_GONE = 499  # nginx's "client closed request": nobody is left to answer


class LimitError(QueryError):
    """A query refused, failed, stopped at a limit or cancelled; `status` is the HTTP status it maps to."""

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.status = status


def _frame(kind: bytes, data: bytes) -> bytes:
    return _FRAME.pack(kind, len(data)) + data


def _error_frame(status: int, message: str) -> bytes:
    return _frame(b"E", json.dumps({"status": int(status), "message": message}).encode("utf-8"))


# ---------------------------------------------------------------- in the worker


def _answer(out, open_graph, choose, request: dict) -> None:
    """Run one query and write its frames (but not the end frame) to OUT."""
    try:
        result = iter_query(open_graph(), request["text"], resolve=False)
        chunks, header = choose(result, request.get("args"))
        out.write(_frame(b"H", json.dumps(header).encode("utf-8")))
        pending: list[bytes] = []
        size = 0
        for chunk in chunks:
            data = chunk.encode("utf-8")
            pending.append(data)
            size += len(data)
            if size >= _CHUNK:
                out.write(_frame(b"D", b"".join(pending)))
                pending, size = [], 0
        if pending:
            out.write(_frame(b"D", b"".join(pending)))
    except LimitError as err:
        out.write(_error_frame(err.status, str(err)))
    except (QueryError, GraphError) as err:
        out.write(_error_frame(400, str(err)))
    except MemoryError:
        out.write(_error_frame(503, "the query ran out of memory (--max-memory)"))
    except Exception as err:  # noqa: BLE001 - whatever one query does, say it in one line
        out.write(_error_frame(500, f"the query failed: {err.__class__.__name__}: {err}"))


def _serve_queries(rfd: int, wfd: int, open_graph, choose) -> None:
    """The worker's life: answer each query frame read from RFD until the parent closes it."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)  # Ctrl-C on `kg serve` stops its workers too
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    inbox = os.fdopen(rfd, "rb")
    out = os.fdopen(wfd, "wb", buffering=_CHUNK)
    while True:
        head = inbox.read(_FRAME.size)
        if len(head) < _FRAME.size:
            return
        _, length = _FRAME.unpack(head)
        _answer(out, open_graph, choose, json.loads(inbox.read(length)))
        out.write(_frame(b"Z", b""))
        out.flush()


def _close_all_but(keep: tuple[int, ...]) -> None:
    """Close every descriptor above stderr but KEEP: a client's socket inherited here would stay
    open (its connection never closing) as long as this worker lives."""
    low = 3
    for fd in sorted(keep):
        os.closerange(low, fd)
        low = fd + 1
    os.closerange(low, 1 << 16)


# ---------------------------------------------------------------- in the parent


def _gone(client: socket.socket) -> bool | None:
    """True when CLIENT hung up, False when it sent more (a pipelined request), None when unknown."""
    try:
        return client.recv(1, socket.MSG_PEEK | socket.MSG_DONTWAIT) == b""
    except BlockingIOError:
        return None
    except OSError:
        return True


def _timed_out(timeout: float | None) -> LimitError:
    limit = f"the {timeout:g} s time limit" if timeout else "its time limit"
    return LimitError(f"the query ran past {limit} (--timeout); narrow it or add a LIMIT", 503)


def _quiet_stderr() -> None:
    """A worker says what went wrong through its pipe; what the engines print as they fail (Rust's
    "memory allocation failed", rdflib's ignored exceptions) would only be noise in the log."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 2)
    os.close(devnull)


def _limit_memory(extra: int | None) -> None:
    """Let this process grow by EXTRA bytes at most (beyond the graph it shares with its parent):
    past that an allocation fails, and the query with it, instead of the machine's memory."""
    if not extra:
        return
    try:
        import resource

        with open("/proc/self/statm", encoding="ascii") as f:
            size = int(f.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
        resource.setrlimit(resource.RLIMIT_AS, (size + extra, size + extra))
    except (ImportError, OSError, ValueError):  # not Linux: the time limit still holds
        pass


class Worker:
    """One worker process and the two pipes to it; MAX_MEMORY bytes it may grow by (None: any)."""

    def __init__(self, open_graph, choose, max_memory: int | None = None):
        q_read, q_write = os.pipe()
        a_read, a_write = os.pipe()
        pid = os.fork()
        if pid == 0:  # pragma: no cover - the worker; coverage cannot follow it
            try:
                _close_all_but((q_read, a_write))
                _quiet_stderr()
                _limit_memory(max_memory)
                _serve_queries(q_read, a_write, open_graph, choose)
            finally:
                os._exit(0)
        os.close(q_read)
        os.close(a_write)
        self.pid, self.to_worker, self.from_worker = pid, q_write, a_read
        self.buf = bytearray()
        self.clean = True  # between queries, its answer read to the end

    def kill(self) -> None:
        """Stop the worker now, whatever it is doing, and free its pipes."""
        for fd in (self.to_worker, self.from_worker):
            try:
                os.close(fd)
            except OSError:
                pass
        try:
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
        except (ProcessLookupError, ChildProcessError):
            pass

    def _next_frame(self):
        if len(self.buf) < _FRAME.size:
            return None
        kind, length = _FRAME.unpack_from(self.buf)
        end = _FRAME.size + length
        if len(self.buf) < end:
            return None
        data = bytes(self.buf[_FRAME.size:end])
        del self.buf[:end]
        return kind, data

    def _fill(self, deadline: float | None, client, timeout) -> None:
        """Read what the worker wrote; LimitError at the deadline or when the client has gone."""
        watch = [self.from_worker] + ([client] if client is not None else [])
        while True:
            left = None if deadline is None else deadline - time.monotonic()
            if left is not None and left <= 0:
                raise _timed_out(timeout)
            ready, _, _ = select.select(watch, [], [], left)
            if client is not None and client in ready:
                gone = _gone(client)
                if gone:
                    raise LimitError("the client closed the connection; the query was stopped", CLIENT_GONE)
                if gone is False:
                    watch = [self.from_worker]
            if self.from_worker in ready:
                data = os.read(self.from_worker, 1 << 20)
                if not data:  # Oxigraph aborts the process when an allocation fails
                    raise LimitError("the query's worker died: it ran out of memory (--max-memory) or crashed", 503)
                self.buf += data
                return

    def ask(self, text: str, args, sink, *, deadline: float | None = None, timeout: float | None = None,
            max_bytes: int | None = None, client: socket.socket | None = None) -> dict:
        """Send one query, pass its answer's bytes to SINK, return its header (see the module's doc).
        Any exception but a LimitError the worker sent leaves the worker unfit for another query."""
        self.clean = False
        os.write(self.to_worker, _frame(b"Q", json.dumps({"text": text, "args": args}).encode("utf-8")))
        header, error, sent = None, None, 0
        while True:
            frame = self._next_frame()
            if frame is None:
                self._fill(deadline, client, timeout)
                continue
            kind, data = frame
            if kind == b"Z":
                self.clean = True
                if error is not None:
                    raise LimitError(error["message"], error["status"])
                return header
            if kind == b"E":
                error = json.loads(data)
            elif kind == b"H":
                header = json.loads(data)
            else:
                sent += len(data)
                if max_bytes and sent > max_bytes:
                    raise LimitError(f"the answer is larger than the {max_bytes / 1e6:g} MB limit (--max-bytes); "
                                     f"ask for fewer rows (LIMIT) or fewer columns", 507)
                sink(data)


class WorkerPool:
    """At most SIZE workers, made when first needed; one that was stopped mid-query is replaced."""

    def __init__(self, open_graph, choose, size: int, max_memory: int | None = None):
        self.open_graph, self.choose, self.size, self.max_memory = open_graph, choose, size, max_memory
        self.idle: queue.LifoQueue = queue.LifoQueue()
        self.made = 0
        self.busy = 0  # queries running now
        self.lock = threading.Lock()
        self.closed = False

    def _take(self, deadline: float | None, timeout) -> Worker:
        with self.lock:
            try:
                return self.idle.get_nowait()
            except queue.Empty:
                if self.made < self.size:
                    self.made += 1
                    make = True
                else:
                    make = False
        if make:
            try:
                return Worker(self.open_graph, self.choose, self.max_memory)
            except OSError:
                with self.lock:
                    self.made -= 1
                raise
        left = None if deadline is None else max(0.0, deadline - time.monotonic())
        try:
            return self.idle.get(timeout=left)
        except queue.Empty:
            raise LimitError(f"every worker stayed busy past {timeout:g} s; try again later", 503) from None

    def ask(self, text: str, args, sink, *, deadline: float | None = None, **limits) -> dict:
        """Worker.ask on an idle worker (waiting for one until DEADLINE)."""
        worker = self._take(deadline, limits.get("timeout"))
        with self.lock:
            self.busy += 1
        try:
            return worker.ask(text, args, sink, deadline=deadline, **limits)
        finally:
            fit = worker.clean
            with self.lock:
                self.busy -= 1
                if fit and not self.closed:
                    self.idle.put(worker)
                else:
                    self.made -= 1
            if not fit or self.closed:
                worker.kill()

    def close(self) -> None:
        """Stop every idle worker (busy ones are stopped as their queries end)."""
        with self.lock:
            self.closed = True
        while True:
            try:
                self.idle.get_nowait().kill()
            except queue.Empty:
                return


def run_limited(open_graph, text: str, choose, sink, *, timeout: float | None = 30.0, args=None,
                max_bytes: int | None = None, client: socket.socket | None = None) -> dict:
    """Run TEXT (SPARQL, already resolved) on OPEN_GRAPH() in a worker of its own, passing the answer's
    bytes to SINK; the worker is gone when this returns. Raises LimitError: 503 past TIMEOUT seconds
    (None or 0: no limit), 507 past MAX_BYTES, 499 when CLIENT hangs up, 400/406/500 for the query."""
    deadline = time.monotonic() + timeout if timeout else None
    worker = Worker(open_graph, choose)
    try:
        return worker.ask(text, args, sink, deadline=deadline, timeout=timeout, max_bytes=max_bytes, client=client)
    finally:
        worker.kill()
