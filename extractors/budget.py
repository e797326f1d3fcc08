"""Parsing under a time budget per document: a child process, ended when one document overruns.

lxml and trafilatura run in C or hold the interpreter for as long as a page takes, so no signal or
thread can stop them part-way; a process can be ended. `parse_within` sends a batch's documents to
a parse child (`python -m extractors.budget`, started once and kept), which answers with one
result per document as it finishes it. When no answer comes within `timeout` seconds of the last,
the child is killed, that document becomes a `timeout` reject, and a new child parses the rest.
A child that dies on a document (a crash in a library, the out-of-memory killer) makes that
document a `parse_error` reject the same way.

The child is a new interpreter, not a fork: forking a process that runs threads (Prefect's, the
reader's) may copy a lock some thread holds and hang the copy. Starting it costs the imports of
the text stage once (about a second here); `start_parser` starts it early, so that it is ready by
the time the first batch comes. A process that parses in several threads at once (a Dask worker
with several threads) gets a child per thread that parses at the same time.
"""

from __future__ import annotations

import atexit
import importlib
import os
import pickle
import select
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import IO, Any

from extractors.text import ParseOptions, error_result, parse_document
from schemas import NewsflowError, ParseResult, RawDocument, Reject

DEFAULT_TIMEOUT = 30.0
"""Seconds one document may take to parse before it is stopped and rejected as `timeout`."""

STARTUP_TIMEOUT = 120.0
"""Seconds a new child may take to import the text stage and say it is ready (a loaded machine)."""

# Documents go to the child in chunks: a batch is never pickled whole a second time, and the child
# answers each chunk before the next is sent, so neither side blocks writing while the other does.
_CHUNK_BYTES = 4 * 1024 * 1024
_CHUNK_DOCUMENTS = 256
_HEADER = 8
_READY = "ready"


Then = Callable[[ParseResult], ParseResult]
"""A step the parse process applies to each document's result (fingerprinting, in a run)."""


class ParserStartError(NewsflowError):
    """The parse child could not be started, or did not say it was ready in time."""


def _frame(value: Any) -> bytes:
    data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    return len(data).to_bytes(_HEADER, "little") + data


class _EndedError(Exception):
    """The child closed its end: it exited or was killed."""


class _OverranError(Exception):
    """No answer came before the deadline."""


class ParseChild:
    """One parse child and its two pipes; `parse` runs a batch through it."""

    def __init__(self) -> None:
        package_root = str(Path(__file__).resolve().parents[1])
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [package_root, env.get("PYTHONPATH")]))
        try:
            # -P: the working folder is not put first on the module path, so a folder of the user's
            # named like one of newsflow's packages (`extractors/`, `schemas/`) is never imported.
            self.process = subprocess.Popen(
                [sys.executable, "-P", "-m", "extractors.budget"],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                env=env,
                close_fds=True,
            )
        except OSError as exc:
            raise ParserStartError(f"could not start the parse process: {exc}") from exc
        assert self.process.stdin is not None and self.process.stdout is not None
        self._to: IO[bytes] = self.process.stdin
        self._from = self.process.stdout.fileno()
        self._buffer = bytearray()
        self.ready = False

    @property
    def alive(self) -> bool:
        """Whether the process is still running."""
        return self.process.poll() is None

    def stop(self) -> None:
        """Kill the child and reap it."""
        if self.alive:
            self.process.kill()
        self.process.wait()
        for pipe in (self.process.stdin, self.process.stdout):
            if pipe is not None:
                pipe.close()

    def _read(self, deadline: float) -> Any:
        """The next frame from the child, waiting no later than `deadline` (time.monotonic)."""
        while True:
            if len(self._buffer) >= _HEADER:
                size = int.from_bytes(self._buffer[:_HEADER], "little")
                if len(self._buffer) >= _HEADER + size:
                    # Unpickled in place: a long text is not copied twice more on its way.
                    with memoryview(self._buffer) as view, view[_HEADER : _HEADER + size] as frame:
                        value = pickle.loads(frame)
                    del self._buffer[: _HEADER + size]
                    return value
            left = deadline - time.monotonic()
            if left <= 0:
                raise _OverranError
            readable, _, _ = select.select([self._from], [], [], left)
            if not readable:
                raise _OverranError
            chunk = os.read(self._from, 1 << 20)
            if not chunk:
                raise _EndedError
            self._buffer += chunk

    def wait_ready(self) -> None:
        """Wait until the child has imported the text stage.

        Raises:
            ParserStartError: it exited, or was not ready within `STARTUP_TIMEOUT` seconds.
        """
        if self.ready:
            return
        try:
            said = self._read(time.monotonic() + STARTUP_TIMEOUT)
        except (_EndedError, _OverranError) as exc:
            self.stop()
            what = "exited" if isinstance(exc, _EndedError) else f"was not ready within {STARTUP_TIMEOUT:g} s"
            raise ParserStartError(
                f"the parse process {what} (exit status {self.process.returncode}); see its error above"
            ) from None
        if said != _READY:
            self.stop()
            raise ParserStartError(f"the parse process said {said!r} instead of {_READY!r}")
        self.ready = True

    def parse(
        self,
        docs: Sequence[RawDocument],
        start: int,
        options: ParseOptions,
        timeout: float,
        out: list[ParseResult],
        then: Then | None = None,
    ) -> int:
        """Parse `docs[start:]` into `out` until the end or the first document the child fails on
        (each result passed through `then` in the child, when given).

        Returns:
            The index of the next document to parse: `len(docs)`, or one past the document that
            overran or on which the child died (its reject then in `out`; the child is stopped).
        """
        self.wait_ready()
        index = start
        while index < len(docs):
            end, size = index, 0
            while end < len(docs) and end - index < _CHUNK_DOCUMENTS and (end == index or size < _CHUNK_BYTES):
                size += len(docs[end].content)
                end += 1
            try:
                self._to.write(_frame((options, list(docs[index:end]), then)))
                self._to.flush()
            except (BrokenPipeError, OSError):
                self.stop()
                return index  # it died between documents: a new child takes them all
            for position in range(index, end):
                try:
                    out.append(self._read(time.monotonic() + timeout))
                except _OverranError:
                    self.stop()
                    out.append(_stopped(docs[position], timeout))
                    return position + 1
                except _EndedError:
                    self.stop()
                    out.append(_died(docs[position], self.process.returncode))
                    return position + 1
            index = end
        return index


def _stopped(doc: RawDocument, timeout: float) -> ParseResult:
    detail = f"parsing took longer than the budget of {timeout:g} s and was stopped"
    return ParseResult(
        reject=Reject(source=doc.source, uri=doc.uri, reason="timeout", detail=detail, size_bytes=len(doc.content))
    )


def _died(doc: RawDocument, status: int | None) -> ParseResult:
    how = f"exit status {status}"
    if status is not None and status < 0:
        try:
            how = f"signal {signal.Signals(-status).name}"
        except ValueError:
            how = f"signal {-status}"
    detail = f"the parse process ended ({how}) while parsing this document"
    return ParseResult(
        reject=Reject(source=doc.source, uri=doc.uri, reason="parse_error", detail=detail, size_bytes=len(doc.content))
    )


_lock = threading.Lock()
_idle: list[ParseChild] = []


def _acquire() -> ParseChild:
    with _lock:
        while _idle:
            child = _idle.pop()
            if child.alive:
                return child
            child.stop()
    return ParseChild()


def _release(child: ParseChild) -> None:
    if child.alive:
        with _lock:
            _idle.append(child)
    else:
        child.stop()


def start_parser() -> None:
    """Start a parse child now, without waiting for it, so that it is ready when the first batch comes."""
    with _lock:
        if any(child.alive for child in _idle):
            return
    _release(ParseChild())


def stop_parsers() -> None:
    """Stop the idle parse children of this process (a busy one stops when its batch is done)."""
    with _lock:
        children, _idle[:] = list(_idle), []
    for child in children:
        child.stop()


atexit.register(stop_parsers)


def parse_within(
    docs: Sequence[RawDocument],
    *,
    options: ParseOptions | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    then: Then | None = None,
) -> list[ParseResult]:
    """Parse a batch as `extractors.text.parse_batch` does, each document within `timeout` seconds.

    A document that takes longer is stopped and becomes a `timeout` reject; one on which the parse
    process dies, a `parse_error` reject; the other documents of the batch are parsed as usual.

    Args:
        docs: documents as sources delivered them.
        options: limits of the text stage; the defaults when None.
        timeout: seconds each document may take, counted from the end of the one before it.
        then: a module-level function (sent by name) the parse process applies to each result
            within the document's budget, so that its memory and time are spent there; a
            document it raises on is a `parse_error` reject.

    Returns:
        A ParseResult per document, in order.

    Raises:
        ParserStartError: the parse process could not be started (a fault of the whole batch).
    """
    opts = options or ParseOptions()
    out: list[ParseResult] = []
    index = 0
    restarts = 0
    while index < len(docs):
        child = _acquire()
        try:
            reached = child.parse(docs, index, opts, timeout, out, then)
        finally:
            _release(child)
        if reached == index:  # died before the first of them: never twice in a row
            restarts += 1
            if restarts > 1:
                raise ParserStartError("the parse process keeps ending before it parses anything")
        else:
            restarts = 0
        index = reached
    return out


def _watch_parent(parent: int) -> None:
    """End this child when the process that started it is gone (killed without closing the pipe)."""
    while True:
        time.sleep(1.0)
        if os.getppid() != parent:
            os._exit(0)


def main() -> None:
    """The child: read (options, documents) frames from stdin, write one ParseResult frame each."""
    out = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # anything a library prints goes to stderr, never into the frames
    threading.Thread(target=_watch_parent, args=(os.getppid(),), daemon=True).start()
    source = sys.stdin.buffer
    # The HTML parser is imported before the child says it is ready, not by the first page
    # within that page's budget.
    importlib.import_module("extractors.html")
    out.write(_frame(_READY))
    out.flush()
    while True:
        header = source.read(_HEADER)
        if len(header) < _HEADER:
            return
        options, docs, then = pickle.loads(source.read(int.from_bytes(header, "little")))
        for doc in docs:
            out.write(_frame(_parse_one(doc, options, then)))
            out.flush()


def _parse_one(doc: RawDocument, options: ParseOptions, then: Then | None) -> ParseResult:
    result = parse_document(doc, options)
    if then is None:
        return result
    try:
        return then(result)
    except Exception as exc:  # one document's fault is that document's reject
        return error_result(doc, exc)


if __name__ == "__main__":
    main()
