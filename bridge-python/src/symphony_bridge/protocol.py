"""The wire format of PROTOCOL.md: a JSON header frame followed by raw little-endian float32 frames.

Everything that both sides must agree on (version, limits, error codes, field names) lives here, so the
server, the robot SDK, the test client and the Java side's Protocol.java can be checked against one list.
"""
from __future__ import annotations

import json
import math
import re
from typing import Any, Sequence

import numpy as np

from . import PROTOCOL_VERSION

#: Largest header frame accepted; a header is a few hundred bytes, so anything bigger is a client bug.
MAX_HEADER_BYTES = 64 * 1024
#: Largest float32 frame accepted (1 Mi floats); the biggest MuJoCo observation is 348 floats.
MAX_ARRAY_BYTES = 4 * 1024 * 1024
#: Most frames in one request (header + arrays); no request needs more than two.
MAX_FRAMES = 8
#: Hard cap set on the socket (ZMQ_MAXMSGSIZE): a peer sending more is disconnected by ZeroMQ itself.
MAX_MESSAGE_BYTES = 16 * 1024 * 1024

FLOAT32_LE = np.dtype("<f4")

# operations a client may ask for; hello and auth open a session, the others need one
OP_HELLO = "hello"
OP_AUTH = "auth"
OP_MAKE = "make"
OP_RESET = "reset"
OP_STEP = "step"
OP_PAUSE = "pause"
OP_CLOSE = "close"
OP_PING = "ping"
OPS = (OP_HELLO, OP_AUTH, OP_MAKE, OP_RESET, OP_STEP, OP_PAUSE, OP_CLOSE, OP_PING)
SESSION_OPS = (OP_PING, OP_MAKE, OP_RESET, OP_STEP, OP_PAUSE, OP_CLOSE)

#: An environment id: optional ``module:`` prefix (imported by Gymnasium: only when allowed), optional
#: ``namespace/``, a name, ``-vN``. ASCII only: no NUL, no surrogate, no path ('..', leading '/').
ENV_ID = re.compile(r"(?:(?P<module>[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*):)?"
                    r"(?:[A-Za-z0-9_][A-Za-z0-9_-]*/)?[A-Za-z0-9_][A-Za-z0-9_.-]*-v[0-9]+", re.ASCII)
#: A robot adapter's id: a plain ``Name-vN`` (it names a file of the registry, adapters/<id>.json).
ADAPTER_ID = re.compile(r"[A-Za-z][A-Za-z0-9_-]*-v[0-9]+", re.ASCII)
#: Nonces travel as lower- or upper-case hex: 16 to 64 random bytes.
NONCE = re.compile(r"[0-9a-fA-F]{32,128}", re.ASCII)

# error codes (PROTOCOL.md, "Errors")
E_VERSION = "version_mismatch"
E_MALFORMED = "malformed_message"
E_TOO_LARGE = "too_large"
E_UNKNOWN_OP = "unknown_op"
E_BAD_FIELD = "bad_field"
E_UNKNOWN_ENV_ID = "unknown_env_id"
E_UNSUPPORTED_SPACE = "unsupported_space"
E_MAKE_FAILED = "make_failed"
E_NO_SUCH_ENV = "no_such_env"
E_TOO_MANY_ENVS = "too_many_envs"
E_ACTION_LENGTH = "action_length"
E_ACTION_NOT_FINITE = "action_not_finite"
E_NOT_RESET = "not_reset"
E_ENV_FAILED = "env_failed"
E_STOPPED = "emergency_stop"
E_UNAUTHORIZED = "unauthorized"
E_BUSY = "busy"
ERROR_CODES = (E_VERSION, E_MALFORMED, E_TOO_LARGE, E_UNKNOWN_OP, E_BAD_FIELD, E_UNKNOWN_ENV_ID,
               E_UNSUPPORTED_SPACE, E_MAKE_FAILED, E_NO_SUCH_ENV, E_TOO_MANY_ENVS, E_ACTION_LENGTH,
               E_ACTION_NOT_FINITE, E_NOT_RESET, E_ENV_FAILED, E_STOPPED, E_UNAUTHORIZED, E_BUSY)


class BridgeError(Exception):
    """A request the server refuses; becomes an error reply with a code from ERROR_CODES."""

    def __init__(self, code: str, message: str):
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message


def major(version: str) -> str:
    return str(version).split(".", 1)[0]


def check_version(version: Any) -> None:
    """Refuses a peer whose major protocol version differs from ours."""
    if not isinstance(version, str) or not version:
        raise BridgeError(E_VERSION, f"the header has no protocol version 'v'; this side speaks {PROTOCOL_VERSION}")
    if major(version) != major(PROTOCOL_VERSION):
        raise BridgeError(E_VERSION, f"peer speaks protocol {version}, this side speaks {PROTOCOL_VERSION} "
                                     f"(major versions must match); update the older side")


def encode_header(header: dict) -> bytes:
    # allow_nan=False: NaN is not JSON; callers replace non-finite numbers before
    return json.dumps(header, separators=(",", ":"), allow_nan=False).encode("utf-8")


def decode_header(frame: bytes) -> dict:
    if len(frame) > MAX_HEADER_BYTES:
        raise BridgeError(E_TOO_LARGE, f"header frame has {len(frame)} bytes, at most {MAX_HEADER_BYTES} allowed")
    try:
        header = json.loads(bytes(frame).decode("utf-8"), parse_constant=_refuse_constant)
    except (UnicodeDecodeError, ValueError) as e:
        raise BridgeError(E_MALFORMED, f"header frame is not UTF-8 JSON: {e}") from None
    except RecursionError:  # '[[[[...' thousands deep: Python's parser gives up before the size limit does
        raise BridgeError(E_MALFORMED, "header frame nests JSON too deeply; a header is a flat object") from None
    if not isinstance(header, dict):
        raise BridgeError(E_MALFORMED, f"header must be a JSON object, got {type(header).__name__}")
    return header


def _refuse_constant(name: str):
    raise ValueError(f"{name} is not valid JSON")


def encode_floats(values) -> bytes:
    return np.ascontiguousarray(values, dtype=FLOAT32_LE).tobytes()


def decode_floats(frame: bytes, what: str, expected: int | None = None) -> np.ndarray:
    """A float32 frame as an array; refuses a length that is no multiple of 4 or differs from ``expected``."""
    n = len(frame)
    if n > MAX_ARRAY_BYTES:
        raise BridgeError(E_TOO_LARGE, f"{what} frame has {n} bytes, at most {MAX_ARRAY_BYTES} allowed")
    if n % 4:
        raise BridgeError(E_MALFORMED, f"{what} frame has {n} bytes, not a multiple of 4 (float32)")
    if expected is not None and n != 4 * expected:
        raise BridgeError(E_ACTION_LENGTH if what == "action" else E_MALFORMED,
                          f"{what} has {n // 4} floats, expected {expected}")
    return np.frombuffer(frame, dtype=FLOAT32_LE)


def reward_fields(reward: float) -> dict:
    """The reward as it travels: a JSON number, or (JSON has no NaN or infinity) null plus its name."""
    if math.isfinite(reward):
        return {"reward": reward}
    return {"reward": None, "reward_nonfinite": "nan" if math.isnan(reward) else ("inf" if reward > 0 else "-inf")}


#: Longest string an info entry may carry; info is for short diagnostics, not payloads.
MAX_INFO_STRING = 1024


def json_safe(value: Any, depth: int = 0):
    """Turns an info value into JSON (numbers, bools, strings, short lists); None for what cannot travel.

    Non-finite floats become None because JSON has no NaN. Floats come first: they are most of an info dict,
    and this runs on every step.
    """
    if isinstance(value, float):  # also numpy.float64
        return float(value) if math.isfinite(value) else None
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, np.floating):
        return json_safe(float(value))
    if isinstance(value, str):
        return value if len(value) <= MAX_INFO_STRING else None
    if isinstance(value, np.ndarray):
        if value.ndim == 0:
            return json_safe(value.item(), depth)
        if value.size <= 64 and depth < 2 and value.dtype.kind in "fiub":
            values = value.tolist()
            return values if value.dtype.kind != "f" or np.isfinite(value).all() else [json_safe(v) for v in values]
    if isinstance(value, (list, tuple, np.ndarray)) and len(value) <= 64 and depth < 2:
        return [json_safe(v, depth + 1) for v in value]
    if isinstance(value, dict) and depth < 2:
        return {str(k): json_safe(v, depth + 1) for k, v in value.items()}
    return None


def info_to_json(info: dict) -> dict:
    """Keeps the entries of a Gymnasium info dict that can travel as JSON (drops the rest)."""
    out = {}
    for k, v in (info or {}).items():
        safe = json_safe(v)
        if safe is not None:
            out[str(k)] = safe
    return out


def error_reply(code: str, message: str, seq=None) -> list[bytes]:
    header = {"v": PROTOCOL_VERSION, "ok": False, "error": {"code": code, "message": message}}
    if seq is not None:
        header["seq"] = seq
    return [encode_header(header)]


def ok_reply(fields: dict, arrays: Sequence = (), seq=None) -> list[bytes]:
    """The reply frames; raises ValueError (never a partial reply) when a field or array cannot be encoded."""
    header = {"v": PROTOCOL_VERSION, "ok": True, **fields}
    if seq is not None:
        header["seq"] = seq
    frames = [encode_header(header)] + [encode_floats(a) for a in arrays]
    if len(frames[0]) > MAX_HEADER_BYTES:
        raise ValueError(f"the reply header has {len(frames[0])} bytes, more than the {MAX_HEADER_BYTES} a peer accepts")
    return frames
