"""Running one query in a worker process that can be stopped: a time limit, a cap on the
answer's size, and cancellation when the client goes away.

Neither engine can be interrupted from outside: a four-way cartesian product runs inside one
call into Oxigraph's Rust code, and rdflib holds the interpreter while it evaluates. So each
query runs in a child process forked from the one holding the graph (the graph's memory is
shared, copy-on-write, nothing is loaded again) and its answer comes back through a pipe, a
chunk at a time, already written in the format asked for. When the deadline passes, the answer
grows past its cap or the client hangs up, the child is killed and its memory goes with it;
meanwhile the parent's other threads keep answering other clients.

    header = run_limited(lambda: loaded, text, choose, sink.append, timeout=30, max_bytes=64 << 20)

`choose(result)` runs in the child once the kind of answer is known (SELECT, ASK, CONSTRUCT)
and returns (a generator of text chunks, a small JSON-able dict handed back as the header);
`sink(bytes)` gets the body as it comes. Failures are raised in the parent as `LimitError`s
(a QueryError with an HTTP `status`).
"""

from __future__ import annotations

import json
import os
import select
import signal
import socket
import struct
import time

from kg.sparql.engines import iter_query
from kg.sparql.graphfile import GraphError
from kg.sparql.results import QueryError

__all__ = ["LimitError", "run_limited", "can_fork"]

_FRAME = struct.Struct("!cI")  # kind (H header, D data, E error), length
_CHUNK = 1 << 16


class LimitError(QueryError):
    """A query refused, failed, stopped at a limit or cancelled; `status` is the HTTP status it maps to."""

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.status = status


def can_fork() -> bool:
    """Whether queries can run in a child process (POSIX); elsewhere they run in-process without limits."""
    return hasattr(os, "fork")


# ---------------------------------------------------------------- the child


def _frame(out, kind: bytes, data: bytes) -> None:
    out.write(_FRAME.pack(kind, len(data)) + data)


def _child(w: int, open_graph, text: str, choose, resolve: bool) -> int:
    """Run the query and write its frames to W; the exit status of the child."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)  # Ctrl-C on `kg serve` stops its workers too
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    out = os.fdopen(w, "wb", buffering=_CHUNK)
    try:
        try:
            result = iter_query(open_graph(), text, resolve=resolve)
            chunks, header = choose(result)
            _frame(out, b"H", json.dumps(header).encode("utf-8"))
            pending: list[bytes] = []
            size = 0
            for chunk in chunks:
                data = chunk.encode("utf-8")
                pending.append(data)
                size += len(data)
                if size >= _CHUNK:
                    _frame(out, b"D", b"".join(pending))
                    pending, size = [], 0
            if pending:
                _frame(out, b"D", b"".join(pending))
        except LimitError as err:
            _frame(out, b"E", json.dumps({"status": err.status, "message": str(err)}).encode("utf-8"))
        except (QueryError, GraphError) as err:
            _frame(out, b"E", json.dumps({"status": 400, "message": str(err)}).encode("utf-8"))
        except MemoryError:
            _frame(out, b"E", b'{"status": 503, "message": "the query ran out of memory"}')
        except Exception as err:  # noqa: BLE001 - whatever one query does, say it in one line
            message = f"the query failed: {err.__class__.__name__}: {err}"
            _frame(out, b"E", json.dumps({"status": 500, "message": message}).encode("utf-8"))
        out.flush()
        return 0
    except (BrokenPipeError, KeyboardInterrupt):  # the parent stopped listening
        return 1


def _fork(open_graph, text: str, choose, resolve: bool) -> tuple[int, int]:
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child; coverage cannot follow it
        code = 1
        try:
            os.close(r)
            # hold no other descriptor: a client's socket inherited here would stay open
            # (its connection never closing) as long as this child runs
            os.closerange(3, w)
            os.closerange(w + 1, 1 << 16)
            code = _child(w, open_graph, text, choose, resolve)
        finally:
            os._exit(code)
    os.close(w)
    return pid, r


# ---------------------------------------------------------------- the parent


def _gone(client: socket.socket) -> bool | None:
    """True when CLIENT hung up, False when it sent more (a pipelined request), None when unknown."""
    try:
        return client.recv(1, socket.MSG_PEEK | socket.MSG_DONTWAIT) == b""
    except BlockingIOError:
        return None
    except OSError:
        return True


class _Frames:
    """Frames read from the child's pipe as they arrive."""

    def __init__(self, fd: int):
        self.fd = fd
        self.buf = bytearray()
        self.eof = False

    def fill(self) -> None:
        data = os.read(self.fd, 1 << 20)
        if data:
            self.buf += data
        else:
            self.eof = True

    def next(self):
        if len(self.buf) < _FRAME.size:
            return None
        kind, length = _FRAME.unpack_from(self.buf)
        end = _FRAME.size + length
        if len(self.buf) < end:
            return None
        data = bytes(self.buf[_FRAME.size:end])
        del self.buf[:end]
        return kind, data


def _stop(pid: int) -> None:
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    try:
        os.waitpid(pid, 0)
    except ChildProcessError:
        pass


def _wait(frames: _Frames, deadline: float | None, client, timeout) -> None:
    """Block until the pipe has data; LimitError at the deadline or when the client has gone."""
    watch = [frames.fd] + ([client] if client is not None else [])
    while True:
        left = None if deadline is None else deadline - time.monotonic()
        if left is not None and left <= 0:
            raise LimitError(f"the query ran past the {timeout:g} s time limit (--timeout); "
                             f"narrow it or add a LIMIT", 503)
        ready, _, _ = select.select(watch, [], [], left)
        if client is not None and client in ready:
            gone = _gone(client)
            if gone:
                raise LimitError("the client closed the connection; the query was stopped", 499)
            if gone is False:
                watch = [frames.fd]
        if frames.fd in ready:
            frames.fill()
            return


def _relay(frames: _Frames, deadline, client, timeout, sink, max_bytes) -> dict:
    header, sent = None, 0
    while True:
        frame = frames.next()
        if frame is None:
            if frames.eof:
                if header is None:
                    raise LimitError("the query failed: its worker ended without an answer", 500)
                return header
            _wait(frames, deadline, client, timeout)
            continue
        kind, data = frame
        if kind == b"E":
            err = json.loads(data)
            raise LimitError(err["message"], err["status"])
        if kind == b"H":
            header = json.loads(data)
            continue
        sent += len(data)
        if max_bytes and sent > max_bytes:
            raise LimitError(f"the answer is larger than the {max_bytes / 1e6:g} MB limit (--max-bytes); "
                             f"ask for fewer rows (LIMIT) or fewer columns", 507)
        sink(data)


def run_limited(open_graph, text: str, choose, sink, *, timeout: float | None = 30.0,
                max_bytes: int | None = None, client: socket.socket | None = None,
                resolve: bool = False, deadline: float | None = None) -> dict:
    """Run TEXT on the graph OPEN_GRAPH() gives, in a child process, and pass the answer's bytes to SINK.

    Returns the header CHOOSE made. Raises LimitError (status 503) past TIMEOUT seconds (None or 0:
    no limit; DEADLINE, a time.monotonic() value, overrides it), (507) once more than MAX_BYTES have
    come, (499) when CLIENT hangs up, and (400, 406, 500) for what the query itself got. The child
    is always gone when this returns."""
    if deadline is None and timeout:
        deadline = time.monotonic() + timeout
    if not can_fork():  # no way to stop a query here: run it in-process
        chunks, header = choose(iter_query(open_graph(), text, resolve=resolve))
        for chunk in chunks:
            sink(chunk.encode("utf-8"))
        return header
    pid, r = _fork(open_graph, text, choose, resolve)
    try:
        return _relay(_Frames(r), deadline, client, timeout, sink, max_bytes)
    finally:
        os.close(r)
        _stop(pid)
