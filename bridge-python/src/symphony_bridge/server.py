"""The bridge server: serves environments by id to ZeroMQ clients, as PROTOCOL.md describes.

One thread, one ROUTER socket, many environments and clients. Every request gets exactly one reply,
an error reply for anything malformed, so a client never waits for an answer that will not come and
a bad message never stops the server.
"""
from __future__ import annotations

import logging
import os
import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any, Callable

import numpy as np
import zmq

from . import PROTOCOL_VERSION, __version__
from . import protocol as p
from .protocol import BridgeError
from .security import CurveKeys, check_bind, make_curve_server
from .spaces import BoxSpec, box_spec

log = logging.getLogger("symphony_bridge")

#: make(env_id, kwargs) -> an object with Gymnasium's Env surface (spaces, reset, step, close)
Maker = Callable[[str, dict], Any]


def make_gymnasium(env_id: str, kwargs: dict):
    """Gymnasium's ``make(id, **kwargs)`` with its failures turned into protocol errors."""
    import gymnasium as gym

    try:
        return gym.make(env_id, **kwargs)
    except (gym.error.UnregisteredEnv, gym.error.DeprecatedEnv) as e:
        raise BridgeError(p.E_UNKNOWN_ENV_ID, f"Gymnasium does not know {env_id!r}: {e}") from None
    except Exception as e:  # a missing extra, bad keyword arguments, a broken model file...
        raise BridgeError(p.E_MAKE_FAILED, f"gymnasium.make({env_id!r}, **{kwargs!r}) failed: "
                                           f"{type(e).__name__}: {e}") from None


@dataclass
class ServedEnv:
    handle: int
    env: Any
    spec: BoxSpec
    running: bool = False  # an episode is in progress: reset done, no terminated/truncated yet


class BridgeServer:
    """Serves environments made by ``makers`` (id -> maker; the fallback maker is Gymnasium's)."""

    #: How many replies per client session are kept to answer a retried request without redoing it.
    SESSIONS_REMEMBERED = 256

    def __init__(self, bind: str = "tcp://127.0.0.1:0", *, makers: dict[str, Maker] | None = None,
                 fallback: Maker | None = make_gymnasium, curve: CurveKeys | None = None, max_envs: int = 64,
                 context: zmq.Context | None = None):
        check_bind(bind, curve)  # refuse before anything listens
        self.makers = dict(makers or {})
        self.fallback = fallback
        self.max_envs = max_envs
        self.envs: dict[int, ServedEnv] = {}
        self._next_handle = 1
        self._replies: OrderedDict[str, tuple[Any, list[bytes]]] = OrderedDict()
        self._stop = threading.Event()
        self._context = context or zmq.Context.instance()
        self.socket = self._context.socket(zmq.ROUTER)
        self.socket.linger = 0
        self.socket.setsockopt(zmq.MAXMSGSIZE, p.MAX_MESSAGE_BYTES)
        if curve is not None:
            make_curve_server(self.socket, curve)
        self.socket.bind(_wildcard_port(bind))
        self.endpoint = self.socket.getsockopt_string(zmq.LAST_ENDPOINT)

    # ---- loop ---------------------------------------------------------------------------------------------

    def serve(self, poll_ms: int = 100) -> None:
        """Answers requests until ``stop()``."""
        # a blocking receive with a timeout, not poll + receive: one wait per request instead of two
        self.socket.rcvtimeo = poll_ms
        while not self._stop.is_set():
            try:
                frames = self.socket.recv_multipart()
            except zmq.Again:
                continue
            envelope, body = _split_envelope(frames)
            self.socket.send_multipart(envelope + self.handle(body))

    def stop(self) -> None:
        self._stop.set()

    def close(self) -> None:
        """Closes every environment and the socket."""
        self.stop()
        for served in list(self.envs.values()):
            _close_quietly(served.env)
        self.envs.clear()
        self.socket.close(linger=0)

    # ---- one request ----------------------------------------------------------------------------------------

    def handle(self, frames: list[bytes]) -> list[bytes]:
        """The reply frames to one request's frames (without the ROUTER envelope). Never raises."""
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
            session = header.get("session")
            if isinstance(session, str) and seq is not None:
                cached = self._replies.get(session)
                if cached is not None and cached[0] == seq:
                    return cached[1]  # a retry of a request whose reply was lost: answer it again, do not redo it
            reply = self._dispatch(header, frames[1:], seq)
            if isinstance(session, str) and seq is not None:
                self._remember(session, seq, reply)
            return reply
        except BridgeError as e:
            return p.error_reply(e.code, e.message, seq)
        except Exception as e:  # a bug of ours must not kill the server either
            log.exception("unexpected failure handling a request")
            return p.error_reply(p.E_ENV_FAILED, f"{type(e).__name__}: {e}", seq)

    def _remember(self, session: str, seq, reply: list[bytes]) -> None:
        self._replies[session] = (seq, reply)
        self._replies.move_to_end(session)
        while len(self._replies) > self.SESSIONS_REMEMBERED:
            self._replies.popitem(last=False)

    def _dispatch(self, header: dict, arrays: list[bytes], seq) -> list[bytes]:
        op = header.get("op")
        handler = {p.OP_HELLO: self._hello, p.OP_PING: self._ping, p.OP_MAKE: self._make, p.OP_RESET: self._reset,
                   p.OP_STEP: self._step, p.OP_CLOSE: self._close}.get(op)
        if handler is None:
            raise BridgeError(p.E_UNKNOWN_OP, f"unknown op {op!r}; expected one of {', '.join(p.OPS)}")
        expected_arrays = 1 if op == p.OP_STEP else 0
        if len(arrays) != expected_arrays:
            raise BridgeError(p.E_MALFORMED, f"'{op}' takes {expected_arrays} float32 frame(s) after the header, "
                                             f"got {len(arrays)}")
        return handler(header, arrays, seq)

    def _hello(self, header, arrays, seq):
        return p.ok_reply({"server": f"symphony_bridge/{__version__}", "pid": os.getpid(),
                           "ids": sorted(self.makers), "gymnasium": self.fallback is not None}, seq=seq)

    def _ping(self, header, arrays, seq):
        return p.ok_reply({}, seq=seq)

    def _make(self, header, arrays, seq):
        env_id = _field(header, "id", str)
        kwargs = header.get("kwargs") or {}
        if not isinstance(kwargs, dict):
            raise BridgeError(p.E_BAD_FIELD, f"'kwargs' must be a JSON object, got {type(kwargs).__name__}")
        if len(self.envs) >= self.max_envs:
            raise BridgeError(p.E_TOO_MANY_ENVS, f"this server already holds {len(self.envs)} environments "
                                                 f"(limit {self.max_envs}); close some first")
        maker = self.makers.get(env_id, self.fallback)
        if maker is None:
            raise BridgeError(p.E_UNKNOWN_ENV_ID, f"this server serves {sorted(self.makers)}, not {env_id!r}")
        env = maker(env_id, kwargs)
        try:
            spec = box_spec(env_id, env)
        except BridgeError:
            _close_quietly(env)
            raise
        handle = self._next_handle
        self._next_handle += 1
        self.envs[handle] = ServedEnv(handle, env, spec)
        return p.ok_reply({"env": handle, "spec": spec.header()}, spec.arrays(), seq=seq)

    def _reset(self, header, arrays, seq):
        served = self._served(header)
        seed = header.get("seed")
        if seed is not None and (not isinstance(seed, int) or isinstance(seed, bool) or not 0 <= seed < 2 ** 64):
            raise BridgeError(p.E_BAD_FIELD, f"'seed' must be null or an integer in [0, 2^64), got {seed!r}")
        try:
            obs, info = served.env.reset(seed=seed)
        except BridgeError:
            raise
        except Exception as e:
            served.running = False
            raise BridgeError(p.E_ENV_FAILED, f"reset of {served.spec.env_id} failed: {type(e).__name__}: {e}") from None
        served.running = True
        return p.ok_reply({"info": p.info_to_json(info)}, [np.ravel(obs)], seq=seq)

    def _step(self, header, arrays, seq):
        served = self._served(header)
        action = p.decode_floats(arrays[0], "action", served.spec.action_size)
        if not np.isfinite(action).all():
            bad = int(np.flatnonzero(~np.isfinite(action))[0])
            raise BridgeError(p.E_ACTION_NOT_FINITE, f"action[{bad}] is {action[bad]}; every value must be finite")
        if not served.running:
            raise BridgeError(p.E_NOT_RESET, f"environment {served.handle} ({served.spec.env_id}) has no episode "
                                             f"running: reset it first (after terminated or truncated too)")
        try:
            obs, reward, terminated, truncated, info = served.env.step(action.reshape(served.spec.action_shape))
        except BridgeError:
            raise
        except Exception as e:
            served.running = False
            raise BridgeError(p.E_ENV_FAILED, f"step of {served.spec.env_id} failed: {type(e).__name__}: {e}") from None
        terminated, truncated = bool(terminated), bool(truncated)
        served.running = not (terminated or truncated)
        return p.ok_reply({"reward": float(reward), "terminated": terminated, "truncated": truncated,
                           "info": p.info_to_json(info)}, [np.ravel(obs)], seq=seq)

    def _close(self, header, arrays, seq):
        served = self._served(header)
        del self.envs[served.handle]
        _close_quietly(served.env)
        return p.ok_reply({}, seq=seq)

    def _served(self, header) -> ServedEnv:
        handle = _field(header, "env", int)
        served = self.envs.get(handle)
        if served is None:
            raise BridgeError(p.E_NO_SUCH_ENV, f"no environment {handle} on this server (closed, or the server "
                                               f"restarted); make it again")
        return served


def _field(header: dict, name: str, kind: type):
    value = header.get(name)
    if not isinstance(value, kind) or isinstance(value, bool):
        raise BridgeError(p.E_BAD_FIELD, f"'{name}' must be a {kind.__name__}, got {value!r}")
    return value


def _split_envelope(frames: list[bytes]) -> tuple[list[bytes], list[bytes]]:
    """ROUTER frames -> (envelope to echo back, request body). A REQ peer adds an empty delimiter, a DEALER may not."""
    if len(frames) >= 2 and frames[1] == b"":
        return frames[:2], frames[2:]
    return frames[:1], frames[1:]


def _wildcard_port(endpoint: str) -> str:
    """ZeroMQ spells 'any free port' as '*'; port 0 is accepted as a synonym."""
    return endpoint[:-2] + ":*" if endpoint.startswith("tcp://") and endpoint.endswith(":0") else endpoint


def _close_quietly(env) -> None:
    try:
        env.close()
    except Exception:
        log.exception("closing an environment failed")
