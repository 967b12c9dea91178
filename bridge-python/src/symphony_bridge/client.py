"""A small Python client of the bridge, used by the tests, the benchmark and robot adapters' own checks."""
from __future__ import annotations

import numpy as np
import zmq

from . import PROTOCOL_VERSION
from . import auth
from . import protocol as p
from .protocol import BridgeError
from .security import make_curve_client, use_ipv6_if_needed


class BridgeClient:
    """One REQ connection that authenticates with ``key`` before its first request; raises BridgeError for error
    replies (``unauthorized`` when the server cannot prove it holds the key) and TimeoutError when no reply comes."""

    def __init__(self, endpoint: str, *, key: bytes, timeout_ms: int = 10_000, server_key: bytes | None = None,
                 version: str = PROTOCOL_VERSION, context: zmq.Context | None = None):
        self.endpoint = endpoint
        self.timeout_ms = timeout_ms
        self.version = version
        self.key = key
        self.session: str | None = None
        self.server: dict = {}  # the auth reply: server, pid, ids, gymnasium
        self._seq = 0
        self.socket = (context or zmq.Context.instance()).socket(zmq.REQ)
        self.socket.linger = 0
        if server_key is not None:
            make_curve_client(self.socket, server_key)
        use_ipv6_if_needed(self.socket, endpoint)
        self.socket.connect(endpoint)

    def authenticate(self) -> dict:
        """hello + auth; returns the auth reply (session, server, pid, ids, gymnasium)."""
        client_nonce = auth.new_nonce()
        hello, _ = self._exchange({"v": self.version, "op": p.OP_HELLO, "nonce": client_nonce})
        if not auth.same(auth.server_proof(self.key, client_nonce, str(hello.get("nonce"))), hello.get("proof")):
            raise BridgeError(p.E_UNAUTHORIZED, f"the server at {self.endpoint} cannot prove it holds the key")
        self.server, _ = self._exchange({"v": self.version, "op": p.OP_AUTH, "nonce": hello["nonce"],
                                         "proof": auth.client_proof(self.key, hello["nonce"], client_nonce)})
        self.session = self.server["session"]
        return self.server

    def request(self, header: dict, *arrays) -> tuple[dict, list[np.ndarray]]:
        if self.session is None:
            self.authenticate()
        self._seq += 1
        return self._exchange({"v": self.version, "session": self.session, "seq": self._seq, **header}, *arrays)

    def _exchange(self, header: dict, *arrays) -> tuple[dict, list[np.ndarray]]:
        self.socket.send_multipart([p.encode_header(header)] + [p.encode_floats(a) for a in arrays])
        return self.receive()

    def send_raw(self, frames: list[bytes]) -> tuple[dict, list[np.ndarray]]:
        self.socket.send_multipart(frames)
        return self.receive()

    def receive(self) -> tuple[dict, list[np.ndarray]]:
        if not self.socket.poll(self.timeout_ms):
            raise TimeoutError(f"no reply from {self.endpoint} within {self.timeout_ms} ms")
        frames = self.socket.recv_multipart()
        reply = p.decode_header(frames[0])
        if not reply.get("ok"):
            err = reply.get("error", {})
            raise BridgeError(err.get("code", "?"), err.get("message", "?"))
        return reply, [np.frombuffer(f, dtype=p.FLOAT32_LE) for f in frames[1:]]

    def ping(self) -> dict:
        return self.request({"op": p.OP_PING})[0]

    def make(self, env_id: str, allow_kwargs: bool = True, modules: tuple = (), **kwargs) -> tuple[int, dict, list[np.ndarray]]:
        """Makes ``env_id``; the keyword arguments given here are allowed (as the trainer's --env-kwarg does)
        unless ``allow_kwargs`` is False; ``modules`` are the modules allowed for a ``module:Name-vN`` id."""
        header = {"op": p.OP_MAKE, "id": env_id, "kwargs": kwargs,
                  "allow": {"modules": list(modules), "kwargs": sorted(kwargs) if allow_kwargs else []}}
        reply, arrays = self.request(header)
        return reply["env"], reply["spec"], arrays

    def reset(self, env: int, seed: int | None = None) -> np.ndarray:
        return self.request({"op": p.OP_RESET, "env": env, "seed": seed})[1][0]

    def step(self, env: int, action) -> tuple[np.ndarray, float, bool, bool, dict]:
        reply, arrays = self.request({"op": p.OP_STEP, "env": env}, action)
        return arrays[0], reward_of(reply), reply["terminated"], reply["truncated"], reply["info"]

    def pause(self, env: int, reason: str = "") -> None:
        self.request({"op": p.OP_PAUSE, "env": env, "reason": reason})

    def close_env(self, env: int) -> None:
        self.request({"op": p.OP_CLOSE, "env": env})

    def close(self) -> None:
        self.socket.close(linger=0)


def reward_of(reply: dict) -> float:
    """The step reply's reward, non-finite values included (they travel as null plus 'reward_nonfinite')."""
    if reply["reward"] is None:
        return float(reply["reward_nonfinite"])
    return reply["reward"]
