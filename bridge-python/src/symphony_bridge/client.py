"""A small Python client of the bridge, used by the tests, the benchmark and robot adapters' own checks."""
from __future__ import annotations

import uuid

import numpy as np
import zmq

from . import PROTOCOL_VERSION
from . import protocol as p
from .protocol import BridgeError
from .security import make_curve_client


class BridgeClient:
    """One REQ connection; raises BridgeError for error replies and TimeoutError when no reply comes."""

    def __init__(self, endpoint: str, *, timeout_ms: int = 10_000, server_key: bytes | None = None,
                 version: str = PROTOCOL_VERSION, context: zmq.Context | None = None):
        self.endpoint = endpoint
        self.timeout_ms = timeout_ms
        self.version = version
        self.session = uuid.uuid4().hex
        self._seq = 0
        self.socket = (context or zmq.Context.instance()).socket(zmq.REQ)
        self.socket.linger = 0
        if server_key is not None:
            make_curve_client(self.socket, server_key)
        self.socket.connect(endpoint)

    def request(self, header: dict, *arrays) -> tuple[dict, list[np.ndarray]]:
        self._seq += 1
        full = {"v": self.version, "session": self.session, "seq": self._seq, **header}
        self.socket.send_multipart([p.encode_header(full)] + [p.encode_floats(a) for a in arrays])
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

    def hello(self) -> dict:
        return self.request({"op": p.OP_HELLO})[0]

    def make(self, env_id: str, **kwargs) -> tuple[int, dict, list[np.ndarray]]:
        reply, arrays = self.request({"op": p.OP_MAKE, "id": env_id, "kwargs": kwargs})
        return reply["env"], reply["spec"], arrays

    def reset(self, env: int, seed: int | None = None) -> np.ndarray:
        return self.request({"op": p.OP_RESET, "env": env, "seed": seed})[1][0]

    def step(self, env: int, action) -> tuple[np.ndarray, float, bool, bool, dict]:
        reply, arrays = self.request({"op": p.OP_STEP, "env": env}, action)
        return arrays[0], reply["reward"], reply["terminated"], reply["truncated"], reply["info"]

    def close_env(self, env: int) -> None:
        self.request({"op": p.OP_CLOSE, "env": env})

    def close(self) -> None:
        self.socket.close(linger=0)
