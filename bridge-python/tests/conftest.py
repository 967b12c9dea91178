import threading

import pytest

from symphony_bridge.client import BridgeClient
from symphony_bridge.server import BridgeServer


class RunningServer:
    """A BridgeServer serving on a free loopback port in a background thread."""

    def __init__(self, **kwargs):
        self.server = BridgeServer("tcp://127.0.0.1:0", **kwargs)
        self.endpoint = self.server.endpoint
        self.thread = threading.Thread(target=self.server.serve, kwargs={"poll_ms": 20}, daemon=True)
        self.thread.start()

    def client(self, **kwargs) -> BridgeClient:
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
