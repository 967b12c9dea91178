"""Loopback by default, CURVE for anything else, and the command line the Java side starts."""
import subprocess
import sys

import numpy as np
import pytest
import zmq

from symphony_bridge.__main__ import READY
from symphony_bridge.client import BridgeClient
from symphony_bridge.security import CurveKeys, SecurityError, is_loopback
from symphony_bridge.server import BridgeServer

from conftest import RunningServer


@pytest.mark.parametrize("endpoint, loopback", [
    ("tcp://127.0.0.1:5555", True), ("tcp://127.9.9.9:1", True), ("tcp://localhost:5555", True),
    ("tcp://[::1]:5555", True), ("ipc:///tmp/x", True), ("inproc://x", True),
    ("tcp://0.0.0.0:5555", False), ("tcp://*:5555", False), ("tcp://192.168.1.20:5555", False),
    ("tcp://eth0:5555", False), ("tcp://robot.example.org:5555", False), ("udp://127.0.0.1:1", False),
])
def test_loopback_detection(endpoint, loopback):
    assert is_loopback(endpoint) is loopback


@pytest.mark.parametrize("endpoint", ["tcp://0.0.0.0:0", "tcp://*:0", "tcp://192.0.2.1:0"])
def test_non_loopback_bind_without_keys_is_refused_before_binding(endpoint):
    with pytest.raises(SecurityError, match="CURVE"):
        BridgeServer(endpoint)


def test_curve_server_serves_a_client_with_its_key_and_ignores_others(tmp_path):
    keys = CurveKeys.generate()
    keys.save(tmp_path / "server.keys")
    assert CurveKeys.load(tmp_path / "server.keys") == keys
    running = RunningServer(curve=keys)
    try:
        good = BridgeClient(running.endpoint, server_key=keys.public, timeout_ms=10_000)
        assert good.hello()["ok"]
        handle, _, _ = good.make("InvertedPendulum-v5")
        assert good.reset(handle, seed=0).shape == (4,)
        plain = BridgeClient(running.endpoint, timeout_ms=500)  # no CURVE: the handshake never completes
        with pytest.raises(TimeoutError):
            plain.hello()
        wrong = BridgeClient(running.endpoint, server_key=CurveKeys.generate().public, timeout_ms=500)
        with pytest.raises(TimeoutError):
            wrong.hello()
        for c in (good, plain, wrong):
            c.close()
    finally:
        running.close()


def serve_process(*args):
    return subprocess.Popen([sys.executable, "-m", "symphony_bridge", "serve", *args], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_serve_prints_its_endpoint_serves_and_exits_with_its_parent():
    proc = serve_process("--bind", "tcp://127.0.0.1:0", "--exit-with-parent")
    try:
        word, endpoint = proc.stdout.readline().split()
        assert word == READY and endpoint.startswith("tcp://127.0.0.1:") and not endpoint.endswith(":0")
        c = BridgeClient(endpoint, timeout_ms=20_000)
        assert c.hello()["pid"] == proc.pid
        handle, _, _ = c.make("Hopper-v5")
        c.reset(handle, seed=0)
        assert c.step(handle, np.zeros(3, np.float32))[0].shape == (11,)
        c.close()
        proc.stdin.close()  # what the parent's death looks like from here
        assert proc.wait(10) == 0
    finally:
        proc.kill()


def test_serve_refuses_a_public_bind_without_keys():
    proc = serve_process("--bind", "tcp://0.0.0.0:0")
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 2 and "refusing to bind tcp://0.0.0.0:0" in err and "CURVE" in err


def test_keygen_writes_a_private_key_file(tmp_path):
    out = subprocess.run([sys.executable, "-m", "symphony_bridge", "keygen", str(tmp_path / "k")],
                         capture_output=True, text=True, check=True)
    keys = CurveKeys.load(tmp_path / "k")
    assert out.stdout.strip() == keys.public.decode()
    assert (tmp_path / "k").stat().st_mode & 0o077 == 0


def test_sigterm_stops_the_server_cleanly_while_it_watches_its_parent():
    proc = serve_process("--bind", "tcp://127.0.0.1:0", "--exit-with-parent")
    try:
        assert proc.stdout.readline().startswith(READY)
        proc.terminate()
        assert proc.wait(10) == 0  # no abort at shutdown from the thread that watches stdin
    finally:
        proc.kill()
