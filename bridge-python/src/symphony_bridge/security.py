"""Loopback by default: a bind that other machines can reach needs CURVE keys (ARCHITECTURE.md)."""
from __future__ import annotations

import ipaddress
import os
from dataclasses import dataclass
from urllib.parse import urlsplit

import zmq


class SecurityError(Exception):
    """An endpoint that the bridge refuses to open without encryption."""


def is_loopback(endpoint: str) -> bool:
    """Whether ``endpoint`` can be reached from this machine only (tcp on a loopback address, ipc, inproc)."""
    scheme = endpoint.split("://", 1)[0]
    if scheme in ("ipc", "inproc"):
        return True
    if scheme != "tcp":
        return False
    host = urlsplit(endpoint).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False  # '*', an interface name or a host name: reachable from outside as far as we know


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
        """Reads a key file written by ``save`` (two lines: public, secret)."""
        with open(path, "rb") as f:
            lines = [line.strip() for line in f.read().splitlines() if line.strip() and not line.startswith(b"#")]
        if len(lines) != 2 or any(len(k) != 40 for k in lines):
            raise SecurityError(f"{path}: expected two Z85 keys of 40 characters (public, then secret)")
        return CurveKeys(lines[0], lines[1])

    def save(self, path: str) -> None:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)  # the secret key must stay private
        with os.fdopen(fd, "wb") as f:
            f.write(b"# symphony bridge CURVE key pair: public, secret (Z85)\n" + self.public + b"\n" + self.secret + b"\n")


def check_bind(endpoint: str, curve: CurveKeys | None) -> None:
    """Refuses a non-loopback bind without CURVE keys, before anything is bound."""
    if curve is None and not is_loopback(endpoint):
        raise SecurityError(f"refusing to bind {endpoint}: it is not a loopback address and no CURVE keys are "
                            f"configured; bind tcp://127.0.0.1:PORT or pass --curve-keys FILE "
                            f"(make one with 'python -m symphony_bridge keygen FILE')")


def make_curve_server(socket: zmq.Socket, curve: CurveKeys) -> None:
    socket.curve_secretkey = curve.secret
    socket.curve_publickey = curve.public
    socket.curve_server = True


def make_curve_client(socket: zmq.Socket, server_public: bytes, own: CurveKeys | None = None) -> None:
    own = own or CurveKeys.generate()
    socket.curve_serverkey = server_public
    socket.curve_publickey = own.public
    socket.curve_secretkey = own.secret
