"""Announcing a robot adapter to every runtime of this user: a file ``adapters/<id>.json`` in the per-user
directory (docs/robots.md, docs/security.md).

The file is written atomically, owner-only, and its modification time is refreshed every ``period``
seconds while the adapter serves; a runtime ignores a file older than its time to live (3 s by default).
It is removed when the adapter stops. Only the owner can write in ``adapters/`` (0700); that, and the
handshake with the per-user key when the runtime connects, is the adapter's credential.
"""
from __future__ import annotations

import json
import logging
import os
import re
import socket
import sys
import threading
import time
from pathlib import Path

from . import PROTOCOL_VERSION
from . import protocol as p
from .security import SecurityError, is_curve_key, is_loopback
from .userdir import adapters_dir, check_private, create_private, read_private, write_private

log = logging.getLogger("symphony_bridge.announce")

#: An endpoint a runtime can connect to: tcp://HOST:PORT with a host name, an IPv4 or a bracketed IPv6 address.
TCP_ENDPOINT = re.compile(r"tcp://(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9_.-]+):[0-9]{1,5}", re.ASCII)

#: How long a runtime believes an announce after its last refresh (the Java side's default; configurable there).
DEFAULT_TTL = 3.0


class AnnounceError(SecurityError):
    """An announce that cannot be made: a bad id, endpoint or key, or a live adapter with the same id."""


def check_adapter_id(env_id: str) -> None:
    if not isinstance(env_id, str) or not p.ADAPTER_ID.fullmatch(env_id):
        raise AnnounceError(f"adapter id {env_id!r:.80} must look like Name-vN (a letter, then letters, digits, "
                            f"'_', '-'; e.g. MyArm-v0)")


def check_announce(env_id: str, endpoint: str, curve_key: str | None) -> None:
    """What the runtime's registry would refuse, refused here first with the same reasons."""
    check_adapter_id(env_id)
    if not isinstance(endpoint, str) or not TCP_ENDPOINT.fullmatch(endpoint):
        raise AnnounceError(f"endpoint {endpoint!r:.80} must be tcp://HOST:PORT (the Java runtime's ipc:// is TCP "
                            f"underneath, so an adapter listens on TCP)")
    if curve_key is not None and not is_curve_key(curve_key):
        raise AnnounceError(f"CURVE key {curve_key!r:.60} is not a public key: expected 40 Z85 characters "
                            f"(the first line of 'python -m symphony_bridge keygen FILE')")
    if curve_key is None and not is_loopback(endpoint):
        raise AnnounceError(f"endpoint {endpoint} is not a loopback address: an adapter on another machine must "
                            f"serve with CURVE and announce its public key (--curve-key)")


class Announcement:
    """The announce file of one adapter; ``publish()`` writes it and keeps it fresh, ``withdraw()`` removes it."""

    def __init__(self, env_id: str, endpoint: str, *, curve_key: str | None = None, directory: Path | None = None,
                 period: float = 1.0, ttl: float = DEFAULT_TTL):
        check_announce(env_id, endpoint, curve_key)
        self.env_id, self.endpoint, self.curve_key = env_id, endpoint, curve_key
        self.period, self.ttl = period, ttl
        self.path = adapters_dir(directory) / f"{env_id}.json"
        content = {"protocol": PROTOCOL_VERSION, "id": env_id, "endpoint": endpoint, "pid": os.getpid(),
                   "host": socket.gethostname()}
        if curve_key is not None:
            content["curve_key"] = curve_key
        self._content = (json.dumps(content, indent=1) + "\n").encode()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def publish(self) -> "Announcement":
        if not create_private(self.path, self._content):
            holder = self._live_holder()
            if holder:
                raise AnnounceError(f"{self.env_id} is already announced by {holder} ({self.path}); stop that "
                                    f"adapter first, or give this one another id")
            write_private(self.path, self._content)  # a stale file of a dead adapter: replace it
        self._thread = threading.Thread(target=self._refresh, daemon=True, name=f"announce-{self.env_id}")
        self._thread.start()
        return self

    def _live_holder(self) -> str | None:
        """Who holds the existing announce file, if it is fresh and its process (on this host) alive."""
        try:
            info = check_private(self.path)
            other = json.loads(read_private(self.path))
        except (OSError, ValueError, SecurityError):
            return None  # unreadable or not ours: the registry refuses it anyway, replace it
        if time.time() - info.st_mtime > self.ttl:
            return None
        pid, host = other.get("pid"), other.get("host")
        if host == socket.gethostname() and isinstance(pid, int) and not _alive(pid):
            return None
        return f"process {pid} on {host} (endpoint {other.get('endpoint')})"

    def _refresh(self) -> None:
        while not self._stop.wait(self.period):
            try:
                os.utime(self.path)
            except FileNotFoundError:  # removed under us (a clean-up by hand): say it again
                log.warning("%s disappeared; announcing %s again", self.path, self.env_id)
                write_private(self.path, self._content)
            except OSError as e:
                log.error("cannot refresh %s: %s", self.path, e)

    def withdraw(self) -> None:
        """Stops refreshing and removes the file, unless another adapter has replaced it meanwhile."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(self.period + 1)
        try:
            if read_private(self.path) == self._content:
                self.path.unlink()
        except (OSError, SecurityError):
            pass


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process: alive
    return True


def announce_command(env_id: str, endpoint: str, curve_key: str | None, stop: threading.Event) -> int:
    """``python -m symphony_bridge announce``: announces an adapter that runs elsewhere until ``stop``."""
    try:
        announcement = Announcement(env_id, endpoint, curve_key=curve_key).publish()
    except (AnnounceError, SecurityError) as e:
        print(f"symphony_bridge announce: {e}", file=sys.stderr, flush=True)
        return 2
    print(f"announced {env_id} at {endpoint} ({announcement.path}); Ctrl-C withdraws it", flush=True)
    try:
        stop.wait()
    except KeyboardInterrupt:
        pass
    finally:
        announcement.withdraw()
    return 0
