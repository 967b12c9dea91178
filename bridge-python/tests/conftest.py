import os
import tempfile
import threading
from pathlib import Path

import pytest

from symphony_bridge.client import BridgeClient
from symphony_bridge.server import BridgeServer

#: The key of the test servers (any 32 bytes; a runtime passes a fresh random one to each server it starts).
KEY = bytes(range(32))

# Nothing in the tests may touch the real ~/.symphony, not even a module-scoped fixture or a child process.
os.environ["SYMPHONY_USER_DIR"] = str(Path(tempfile.mkdtemp(prefix="symphony-tests-")) / "user")


@pytest.fixture(autouse=True)
def user_dir(tmp_path, monkeypatch) -> Path:
    """A fresh per-user directory for each test (its child processes inherit it)."""
    directory = tmp_path / "user-dir"
    monkeypatch.setenv("SYMPHONY_USER_DIR", str(directory))
    return directory


class RunningServer:
    """A BridgeServer serving on a free loopback port in a background thread."""

    def __init__(self, bind="tcp://127.0.0.1:0", **kwargs):
        kwargs.setdefault("key", KEY)
        self.server = BridgeServer(bind, **kwargs)
        self.endpoint = self.server.endpoint
        self.thread = threading.Thread(target=self.server.serve, kwargs={"poll_ms": 20}, daemon=True)
        self.thread.start()

    def client(self, **kwargs) -> BridgeClient:
        kwargs.setdefault("key", KEY)
        return BridgeClient(self.endpoint, timeout_ms=kwargs.pop("timeout_ms", 20_000), **kwargs)

    def close(self):
        self.server.stop()
        self.thread.join(5)
        self.server.close()


@pytest.fixture(scope="module")
def bridge():
    running = RunningServer()
    yield running
    running.close()


@pytest.fixture
def client(bridge):
    c = bridge.client()
    yield c
    c.close()
