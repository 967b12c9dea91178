"""Endpoints and CURVE keys: loopback by default, a bind that other machines can reach needs CURVE keys
(docs/security.md)."""
from __future__ import annotations

import ipaddress
import struct
from dataclasses import dataclass
from urllib.parse import urlsplit

import zmq
from zmq.utils import z85


class SecurityError(Exception):
    """Something refused for safety: an endpoint that needs encryption, a key or private file that is not private."""


def is_loopback(endpoint: str) -> bool:
    """Whether ``endpoint`` can be reached from this machine only (tcp on a loopback address, ipc, inproc)."""
    scheme = endpoint.split("://", 1)[0]
    if scheme in ("ipc", "inproc"):
        return True
    if scheme != "tcp":
        return False
    host = _host(endpoint)
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False  # '*', an interface name or a host name: reachable from outside as far as we know


def _host(endpoint: str) -> str:
    try:
        return urlsplit(endpoint).hostname or ""
    except ValueError:  # e.g. an unclosed '['
        return ""


def use_ipv6_if_needed(socket: zmq.Socket, endpoint: str) -> None:
    """ZeroMQ speaks IPv6 on a socket only when told to; an IPv6 literal such as tcp://[::1]:PORT needs it."""
    if endpoint.startswith("tcp://["):
        socket.ipv6 = True


def bind_socket(socket: zmq.Socket, endpoint: str) -> str:
    """Binds ``endpoint`` (port 0: any free port) and returns the real endpoint; a clear error if it cannot."""
    use_ipv6_if_needed(socket, endpoint)
    target = endpoint[:-2] + ":*" if endpoint.startswith("tcp://") and endpoint.endswith(":0") else endpoint
    try:
        socket.bind(target)
    except zmq.ZMQError as e:
        raise SecurityError(f"cannot listen on {endpoint}: {e.strerror}; expected tcp://HOST:PORT with a local "
                            f"address (port 0 picks a free one), e.g. tcp://127.0.0.1:0 or tcp://[::1]:0") from None
    return socket.getsockopt_string(zmq.LAST_ENDPOINT)


def is_curve_key(text) -> bool:
    """A CURVE public key as the registry accepts it: 40 Z85 characters that decode to 32 bytes."""
    if not isinstance(text, str) or len(text) != 40:
        return False
    try:
        return len(z85.decode(text.encode("ascii"))) == 32
    except (ValueError, KeyError, UnicodeEncodeError, struct.error):  # struct.error: a group above 2^32 - 1
        return False


@dataclass(frozen=True)
class CurveKeys:
    """A Z85 CURVE key pair. A server accepts any client that knows its public key (no ZAP allow-list)."""

    public: bytes
    secret: bytes

    @staticmethod
    def generate() -> "CurveKeys":
        public, secret = zmq.curve_keypair()
        return CurveKeys(public, secret)

    @staticmethod
    def load(path: str) -> "CurveKeys":
        """Reads a key file written by ``save`` (two lines: public, secret); it must be private to its owner."""
        from .userdir import read_private

        lines = [line.strip() for line in read_private(path).splitlines() if line.strip() and not line.startswith(b"#")]
        if len(lines) != 2 or not all(is_curve_key(k.decode("ascii", "replace")) for k in lines):
            raise SecurityError(f"{path}: expected two Z85 keys of 40 characters (public, then secret)")
        return CurveKeys(lines[0], lines[1])

    def save(self, path: str) -> None:
        from .userdir import write_private  # the secret key must stay private, whatever the umask

        write_private(path, b"# symphony bridge CURVE key pair: public, secret (Z85)\n" + self.public + b"\n"
                      + self.secret + b"\n")

    def serve_on(self, socket: zmq.Socket) -> None:
        socket.curve_secretkey = self.secret
        socket.curve_publickey = self.public
        socket.curve_server = True


def check_bind(endpoint: str, curve: CurveKeys | None) -> None:
    """Refuses a non-loopback bind without CURVE keys, before anything is bound."""
    if curve is None and not is_loopback(endpoint):
        raise SecurityError(f"refusing to bind {endpoint}: it is not a loopback address and no CURVE keys are "
                            f"configured; bind tcp://127.0.0.1:PORT or pass --curve-keys FILE "
                            f"(make one with 'python -m symphony_bridge keygen FILE')")


def make_curve_client(socket: zmq.Socket, server_public: bytes, own: CurveKeys | None = None) -> None:
    own = own or CurveKeys.generate()
    socket.curve_serverkey = server_public
    socket.curve_publickey = own.public
    socket.curve_secretkey = own.secret
