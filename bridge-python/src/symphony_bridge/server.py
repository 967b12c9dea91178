"""The bridge server: serves environments by id to authenticated ZeroMQ clients, as PROTOCOL.md describes.

The main thread owns the ROUTER socket. It answers the handshake (hello, auth) and every refusal itself,
cheaply, and hands each authenticated request to the worker thread of its session (session.py); the workers'
replies come back through an inproc socket. Every request gets exactly one reply, an error reply for
anything malformed or unauthorized, so a client never waits for an answer that will not come and a bad
message never stops the server.
"""
from __future__ import annotations

import logging
import os
import threading
from collections import OrderedDict

import zmq

from . import PROTOCOL_VERSION, __version__
from . import auth
from . import protocol as p
from .environments import Environments, Maker, make_gymnasium
from .protocol import BridgeError
from .security import CurveKeys, bind_socket, check_bind
from .session import Session

log = logging.getLogger("symphony_bridge")

__all__ = ["BridgeServer", "make_gymnasium"]


class BridgeServer:
    """Serves environments made by ``makers`` (id -> maker; the fallback maker is Gymnasium's) to clients that
    prove they hold ``key``.

    ``single_instance``: one environment at a time (robot adapters), see ``Environments``.
    """

    #: Authenticated sessions kept at once; beyond it the least recently used one without environments goes.
    MAX_SESSIONS = 64

    def __init__(self, bind: str = "tcp://127.0.0.1:0", *, key: bytes, makers: dict[str, Maker] | None = None,
                 fallback: Maker | None = make_gymnasium, curve: CurveKeys | None = None, max_envs: int = 64,
                 single_instance: bool = False, takeover_after: float = 60.0, context: zmq.Context | None = None):
        check_bind(bind, curve)  # refuse before anything listens
        if not isinstance(key, bytes) or len(key) < 16:
            raise ValueError("the bridge needs a key of at least 16 bytes to authenticate its clients")
        self.makers = dict(makers or {})
        self.fallback = fallback
        self.envs = Environments(self.makers, fallback, max_envs, single_instance=single_instance,
                                 takeover_after=takeover_after)
        self._key = key
        self._challenges = auth.Challenges()
        self._sessions: OrderedDict[str, Session] = OrderedDict()
        self._stop = threading.Event()
        self._context = context or zmq.Context.instance()
        self.socket = self._context.socket(zmq.ROUTER)
        self.socket.linger = 0
        self.socket.setsockopt(zmq.MAXMSGSIZE, p.MAX_MESSAGE_BYTES)
        if curve is not None:
            curve.serve_on(self.socket)
        self.endpoint = bind_socket(self.socket, bind)
        self._results_endpoint = f"inproc://symphony-bridge-results-{id(self):x}"
        self._results = self._context.socket(zmq.PULL)
        self._results.linger = 0
        self._results.bind(self._results_endpoint)

    # ---- loop ---------------------------------------------------------------------------------------------

    def serve(self, poll_ms: int = 100) -> None:
        """Answers requests until ``stop()``."""
        poller = zmq.Poller()
        poller.register(self.socket, zmq.POLLIN)
        poller.register(self._results, zmq.POLLIN)
        while not self._stop.is_set():
            ready = dict(poller.poll(poll_ms))
            if self._results in ready:
                self._send_results()
            if self.socket in ready:
                self._receive_requests()

    def _send_results(self) -> None:
        while self._results.getsockopt(zmq.EVENTS) & zmq.POLLIN:
            self.socket.send_multipart(self._results.recv_multipart())

    def _receive_requests(self, batch: int = 64) -> None:
        for _ in range(batch):  # then look at the workers' replies again
            if not self.socket.getsockopt(zmq.EVENTS) & zmq.POLLIN:
                return
            envelope, body = _split_envelope(self.socket.recv_multipart())
            reply = self.handle(envelope, body)
            if reply is not None:
                self.socket.send_multipart(envelope + reply)

    def stop(self) -> None:
        self._stop.set()

    def close(self) -> None:
        """Stops the session workers, closes every environment and the sockets."""
        self.stop()
        sessions, self._sessions = list(self._sessions.values()), OrderedDict()
        for session in sessions:
            session.stop()
        for session in sessions:
            session.stop(timeout=2.0)
        self.envs.close_all()
        self._results.close(linger=0)
        self.socket.close(linger=0)

    # ---- one request on the main thread -----------------------------------------------------------------------

    def handle(self, envelope: list[bytes], frames: list[bytes]) -> list[bytes] | None:
        """The reply to a request, or None when its session's worker will answer it. Never raises."""
        seq = None
        try:
            if not frames:
                raise BridgeError(p.E_MALFORMED, "empty message: expected a JSON header frame")
            if len(frames) > p.MAX_FRAMES:
                raise BridgeError(p.E_TOO_LARGE, f"{len(frames)} frames, at most {p.MAX_FRAMES} allowed")
            header = p.decode_header(frames[0])
            seq = header.get("seq")
            if not isinstance(seq, (int, type(None))) or isinstance(seq, bool):
                seq = None
                raise BridgeError(p.E_BAD_FIELD, "'seq' must be an integer")
            p.check_version(header.get("v"))
            op = header.get("op")
            if not isinstance(op, str) or op not in p.OPS:
                raise BridgeError(p.E_UNKNOWN_OP, f"unknown op {op!r:.80}; expected one of {', '.join(p.OPS)}")
            expected_arrays = 1 if op == p.OP_STEP else 0
            if len(frames) - 1 != expected_arrays:
                raise BridgeError(p.E_MALFORMED, f"'{op}' takes {expected_arrays} float32 frame(s) after the "
                                                 f"header, got {len(frames) - 1}")
            if op == p.OP_HELLO:
                return self._hello(header, seq)
            if op == p.OP_AUTH:
                return self._auth(header, seq)
            self._session(header).submit(envelope, op, header, frames[1:], seq)
            return None
        except BridgeError as e:
            return p.error_reply(e.code, e.message, seq)
        except Exception as e:  # a bug of ours must not kill the server either
            log.exception("unexpected failure handling a request")
            return p.error_reply(p.E_ENV_FAILED, f"{type(e).__name__}: {e}", seq)

    def _hello(self, header: dict, seq) -> list[bytes]:
        client_nonce = header.get("nonce")
        if not isinstance(client_nonce, str) or not p.NONCE.fullmatch(client_nonce):
            raise BridgeError(p.E_BAD_FIELD, "'nonce' must be 32 to 128 hex digits (16 to 64 random bytes)")
        server_nonce = self._challenges.issue(client_nonce)
        return p.ok_reply({"nonce": server_nonce, "proof": auth.server_proof(self._key, client_nonce, server_nonce)},
                          seq=seq)

    def _auth(self, header: dict, seq) -> list[bytes]:
        client_nonce = self._challenges.take(header.get("nonce"))
        if client_nonce is None:
            raise BridgeError(p.E_UNAUTHORIZED, "no pending hello for this 'nonce' (unknown, used or expired): "
                                                "start again with hello")
        if not auth.same(auth.client_proof(self._key, header["nonce"], client_nonce), header.get("proof")):
            raise BridgeError(p.E_UNAUTHORIZED, "the proof does not match: this client does not hold the bridge's "
                                                "key")
        resume = header.get("resume")
        session = self._sessions.get(resume) if isinstance(resume, str) else None
        if session is None:
            session = self._new_session()
        self._sessions.move_to_end(session.token)
        return p.ok_reply({"session": session.token, "resumed": session.token == resume,
                           "server": f"symphony_bridge/{__version__}", "pid": os.getpid(),
                           "ids": sorted(self.makers), "gymnasium": self.fallback is not None}, seq=seq)

    def _new_session(self) -> Session:
        if len(self._sessions) >= self.MAX_SESSIONS:
            idle = next((s for s in self._sessions.values() if not s.busy and not self.envs.owned_by(s)), None)
            if idle is None:
                raise BridgeError(p.E_BUSY, f"this server already serves {len(self._sessions)} sessions that hold "
                                            f"environments; close some first")
            del self._sessions[idle.token]
            idle.stop()
        session = Session(auth.new_session(), self._serve, self._results_endpoint, self._context)
        self._sessions[session.token] = session
        return session

    def _session(self, header: dict) -> Session:
        token = header.get("session")
        session = self._sessions.get(token) if isinstance(token, str) else None
        if session is None or not auth.same(session.token, token):
            raise BridgeError(p.E_UNAUTHORIZED, "no valid 'session': authenticate first (hello, then auth)")
        self._sessions.move_to_end(session.token)
        return session

    # ---- one request on its session's worker thread --------------------------------------------------------------

    def _serve(self, session: Session, op: str, header: dict, arrays: list[bytes], seq) -> list[bytes]:
        cached = session.cached(seq)
        if cached is not None:
            return cached  # a retry of a request whose reply was lost: answer it again, do not redo it
        try:
            if op == p.OP_PING:
                reply = p.ok_reply({}, seq=seq)
            elif op == p.OP_MAKE:
                reply = self.envs.make(session, header, seq)
            elif op == p.OP_RESET:
                reply = self.envs.reset(session, header, seq)
            elif op == p.OP_STEP:
                reply = self.envs.step(session, header, arrays, seq)
            elif op == p.OP_PAUSE:
                reply = self.envs.pause(session, header, seq)
            else:
                reply = self.envs.close(session, header, seq)
        except BridgeError as e:
            reply = p.error_reply(e.code, e.message, seq)
        except Exception as e:
            log.exception("unexpected failure serving %s", op)
            reply = p.error_reply(p.E_ENV_FAILED, f"{type(e).__name__}: {e}", seq)
        session.remember(seq, reply)
        return reply


def _split_envelope(frames: list[bytes]) -> tuple[list[bytes], list[bytes]]:
    """ROUTER frames -> (envelope to echo back, request body). A REQ peer adds an empty delimiter, a DEALER may not."""
    if len(frames) >= 2 and frames[1] == b"":
        return frames[:2], frames[2:]
    return frames[:1], frames[1:]
