"""The handshake of protocol 2.0: mutual HMAC-SHA256 challenge-response with a shared key K.

    client -> hello {nonce: Nc}
    server -> {nonce: Ns, proof: HMAC(K, "symphony-server|Nc|Ns")}       the client checks: the real server
    client -> auth {nonce: Ns, proof: HMAC(K, "symphony-client|Ns|Nc")}  the server checks: the owner
    server -> {session: S}                                               S: 128 random bits, on every request

Nonces and proofs travel as hex. Comparisons are constant-time. A server keeps a bounded number of pending
challenges (hello answered, auth not yet), each for a short time, so a peer that only says hello costs a
slot that the next ones reuse.
"""
from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from collections import OrderedDict

NONCE_BYTES = 16
SESSION_BYTES = 16


def new_nonce() -> str:
    return secrets.token_hex(NONCE_BYTES)


def new_session() -> str:
    return secrets.token_hex(SESSION_BYTES)


def server_proof(key: bytes, client_nonce: str, server_nonce: str) -> str:
    return _mac(key, "symphony-server", client_nonce, server_nonce)


def client_proof(key: bytes, server_nonce: str, client_nonce: str) -> str:
    return _mac(key, "symphony-client", server_nonce, client_nonce)


def _mac(key: bytes, role: str, first: str, second: str) -> str:
    # hex nonces never contain '|', so the message splits back into its parts in one way only
    return hmac.new(key, f"{role}|{first.lower()}|{second.lower()}".encode("ascii"), hashlib.sha256).hexdigest()


def same(expected: str, given) -> bool:
    """Constant-time comparison of two hex strings (anything that is not a str is simply wrong)."""
    return isinstance(given, str) and hmac.compare_digest(expected.encode("ascii"),
                                                          given.lower().encode("ascii", "replace"))


class Challenges:
    """Server nonces handed out by hello and not yet answered by auth: at most ``limit``, each ``ttl`` seconds."""

    def __init__(self, limit: int = 1024, ttl: float = 30.0):
        self.limit, self.ttl = limit, ttl
        self._pending: OrderedDict[str, tuple[str, float]] = OrderedDict()

    def issue(self, client_nonce: str) -> str:
        server_nonce = new_nonce()
        self._pending[server_nonce] = (client_nonce.lower(), time.monotonic() + self.ttl)
        while len(self._pending) > self.limit:
            self._pending.popitem(last=False)  # the oldest: most likely a peer that never came back
        return server_nonce

    def take(self, server_nonce) -> str | None:
        """The client nonce of a pending challenge, which is used up; None for an unknown or expired one."""
        if not isinstance(server_nonce, str):
            return None
        entry = self._pending.pop(server_nonce.lower(), None)
        if entry is None or entry[1] < time.monotonic():
            return None
        return entry[0]

    def __len__(self) -> int:
        return len(self._pending)
