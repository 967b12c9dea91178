"""One authenticated client: its token, its last reply (for retries) and the thread that serves it.

Each session's requests run in order on a worker thread of its own, so one client's slow request (a long
make, a huge frame_skip) delays only that client. Replies go back through an inproc PUSH socket to the
server's main thread, the only one that touches the ROUTER socket.
"""
from __future__ import annotations

import logging
import queue
import threading
import time
from typing import Callable

import zmq

log = logging.getLogger("symphony_bridge")

#: serve(session, op, header, arrays, seq) -> reply frames; never raises
Handler = Callable[["Session", str, dict, list, object], list]


class Session:
    def __init__(self, token: str, handler: Handler, results: str, context: zmq.Context):
        self.token = token
        self.busy = False  # a request is being served
        self._handler, self._results, self._context = handler, results, context
        self._last_seq = None
        self._last_reply: list[bytes] | None = None
        self._last_active = time.monotonic()
        self._queue: queue.SimpleQueue = queue.SimpleQueue()
        self._thread: threading.Thread | None = None

    def silent_for(self) -> float:
        """Seconds since this session's last request came in or was answered (0 while one is being served)."""
        return 0.0 if self.busy else time.monotonic() - self._last_active

    def cached(self, seq) -> list[bytes] | None:
        """The reply already sent for ``seq`` (a client's retry after a lost reply), or None."""
        return self._last_reply if seq is not None and seq == self._last_seq else None

    def remember(self, seq, reply: list[bytes]) -> None:
        if seq is not None:
            self._last_seq, self._last_reply = seq, reply

    def submit(self, envelope: list[bytes], op: str, header: dict, arrays: list[bytes], seq) -> None:
        self._last_active = time.monotonic()
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, daemon=True, name=f"session-{self.token[:8]}")
            self._thread.start()
        self._queue.put((envelope, op, header, arrays, seq))

    def stop(self, timeout: float = 0.0) -> None:
        """Ends the worker after the request it serves (if any); waits up to ``timeout`` seconds."""
        self._queue.put(None)
        if self._thread is not None and timeout > 0:
            self._thread.join(timeout)

    def _run(self) -> None:
        push = self._context.socket(zmq.PUSH)
        push.linger = 0
        push.connect(self._results)
        try:
            while (item := self._queue.get()) is not None:
                envelope, op, header, arrays, seq = item
                self.busy = True
                try:
                    reply = self._handler(self, op, header, arrays, seq)
                finally:
                    self._last_active = time.monotonic()
                    self.busy = False
                try:
                    # never blocks: the main thread's end is there while the server runs, and a reply
                    # finished after close() has no one to go to
                    push.send_multipart(envelope + reply, flags=zmq.NOBLOCK)
                except zmq.Again:
                    log.warning("a reply of session %s was dropped: the server is closing", self.token[:8])
        except zmq.ZMQError as e:
            if e.errno != zmq.ETERM:  # ETERM: the server is shutting down
                log.exception("session worker failed")
        finally:
            push.close(linger=0)
