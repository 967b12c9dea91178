"""Loopback by default, CURVE for anything else, owner-only key files, and the command line the Java side starts."""
import multiprocessing
import os
import subprocess
import sys

import numpy as np
import pytest

from symphony_bridge.__main__ import READY
from symphony_bridge.client import BridgeClient
from symphony_bridge.protocol import BridgeError
from symphony_bridge.security import CurveKeys, SecurityError, is_curve_key, is_loopback
from symphony_bridge.server import BridgeServer
from symphony_bridge.userdir import adapters_dir, check_private, read_private, user_secret

from conftest import KEY, RunningServer

OTHER_UID = 54321  # the tests run as root: chown shows what a file of another user looks like


@pytest.fixture
def permissive_umask():
    old = os.umask(0)
    yield
    os.umask(old)


@pytest.mark.parametrize("endpoint, loopback", [
    ("tcp://127.0.0.1:5555", True), ("tcp://127.9.9.9:1", True), ("tcp://localhost:5555", True),
    ("tcp://[::1]:5555", True), ("ipc:///tmp/x", True), ("inproc://x", True),
    ("tcp://0.0.0.0:5555", False), ("tcp://*:5555", False), ("tcp://192.168.1.20:5555", False),
    ("tcp://eth0:5555", False), ("tcp://robot.example.org:5555", False), ("udp://127.0.0.1:1", False),
    ("tcp://[::1:5555", False),
])
def test_loopback_detection(endpoint, loopback):
    assert is_loopback(endpoint) is loopback


@pytest.mark.parametrize("endpoint", ["tcp://0.0.0.0:0", "tcp://*:0", "tcp://192.0.2.1:0"])
def test_non_loopback_bind_without_keys_is_refused_before_binding(endpoint):
    with pytest.raises(SecurityError, match="CURVE"):
        BridgeServer(endpoint, key=KEY)


def test_curve_server_serves_a_client_with_its_key_and_ignores_others(tmp_path):
    keys = CurveKeys.generate()
    keys.save(tmp_path / "server.keys")
    assert CurveKeys.load(tmp_path / "server.keys") == keys
    running = RunningServer(curve=keys)
    try:
        good = running.client(server_key=keys.public, timeout_ms=10_000)
        assert good.ping()["ok"]
        handle, _, _ = good.make("InvertedPendulum-v5")
        assert good.reset(handle, seed=0).shape == (4,)
        plain = running.client(timeout_ms=500)  # no CURVE: the handshake never completes
        with pytest.raises(TimeoutError):
            plain.ping()
        wrong = running.client(server_key=CurveKeys.generate().public, timeout_ms=500)
        with pytest.raises(TimeoutError):
            wrong.ping()
        for c in (good, plain, wrong):
            c.close()
    finally:
        running.close()


@pytest.mark.parametrize("key, ok", [(CurveKeys.generate().public.decode(), True), ("short", False),
                                     ("x" * 40, True), ("#" * 40, False), ("~" * 40, False), ("é" * 40, False), (None, False)])
def test_curve_public_keys_are_40_z85_characters_that_decode(key, ok):
    assert is_curve_key(key) is ok


def serve_process(*args, cwd=None, isolated=True):
    flags = ["-I"] if isolated else []
    return subprocess.Popen([sys.executable, *flags, "-m", "symphony_bridge", "serve", *args], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=cwd)


def started(proc, key: bytes | None = None) -> str:
    """The endpoint the server prints once it listens; ``key`` is first written to its stdin (--key-stdin)."""
    if key is not None:
        proc.stdin.write(key.hex().encode() + b"\n")
        proc.stdin.flush()
    line = proc.stdout.readline().decode()
    assert line.startswith(READY + " "), line + proc.stderr.read().decode()
    return line.split()[1]


def test_serve_takes_its_key_from_stdin_prints_its_endpoint_and_exits_with_its_parent():
    proc = serve_process("--bind", "tcp://127.0.0.1:0", "--exit-with-parent", "--key-stdin")
    try:
        endpoint = started(proc, KEY)
        assert endpoint.startswith("tcp://127.0.0.1:") and not endpoint.endswith(":0")
        c = BridgeClient(endpoint, key=KEY, timeout_ms=20_000)
        assert c.authenticate()["pid"] == proc.pid
        handle, _, _ = c.make("Hopper-v5")
        c.reset(handle, seed=0)
        assert c.step(handle, np.zeros(3, np.float32))[0].shape == (11,)
        c.close()
        stranger = BridgeClient(endpoint, key=bytes(32), timeout_ms=20_000)
        with pytest.raises(BridgeError, match="cannot prove"):
            stranger.authenticate()
        stranger.close()
        proc.stdin.close()  # what the parent's death looks like from here
        assert proc.wait(10) == 0
    finally:
        proc.kill()


def test_the_key_is_not_on_the_command_line_or_in_the_environment():
    proc = serve_process("--bind", "tcp://127.0.0.1:0", "--exit-with-parent", "--key-stdin")
    try:
        started(proc, KEY)
        for visible in (f"/proc/{proc.pid}/cmdline", f"/proc/{proc.pid}/environ"):
            with open(visible, "rb") as f:
                assert KEY.hex().encode() not in f.read()
    finally:
        proc.kill()


def test_a_bad_key_on_stdin_is_refused_clearly():
    proc = serve_process("--bind", "tcp://127.0.0.1:0", "--key-stdin")
    _, err = proc.communicate(b"not a key\n", timeout=30)
    assert proc.returncode == 2 and b"key on standard input" in err and b"64 hex digits" in err


def test_serve_without_a_key_option_uses_the_per_user_key(user_dir):
    proc = serve_process("--bind", "tcp://127.0.0.1:0", "--exit-with-parent")
    try:
        endpoint = started(proc)
        c = BridgeClient(endpoint, key=user_secret(), timeout_ms=20_000)
        assert c.ping()["ok"]
        c.close()
    finally:
        proc.kill()


def test_a_module_planted_in_the_working_directory_is_not_imported(tmp_path):
    """issue 11, finding 3: a zmq.py next to the user ran inside the bridge (python -m puts the cwd on sys.path)."""
    marker = tmp_path / "planted-code-ran"
    (tmp_path / "zmq.py").write_text(f"open({str(marker)!r}, 'w').write('owned')\nraise SystemExit(3)\n")
    control = serve_process("--bind", "tcp://127.0.0.1:0", "--key-stdin", cwd=tmp_path, isolated=False)
    control.communicate(KEY.hex().encode() + b"\n", timeout=60)
    assert marker.exists(), "control: without -I the planted module does run (the test can see the attack)"
    marker.unlink()
    proc = serve_process("--bind", "tcp://127.0.0.1:0", "--key-stdin", "--exit-with-parent", cwd=tmp_path)
    try:
        c = BridgeClient(started(proc, KEY), key=KEY, timeout_ms=20_000)
        handle, _, _ = c.make("InvertedPendulum-v5")
        assert c.reset(handle, seed=0).shape == (4,)
        c.close()
        assert not marker.exists()
    finally:
        proc.kill()


def test_serve_refuses_a_public_bind_without_keys():
    proc = serve_process("--bind", "tcp://0.0.0.0:0")
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 2 and b"refusing to bind tcp://0.0.0.0:0" in err and b"CURVE" in err


def test_serve_on_a_bind_that_cannot_work_says_so_without_a_traceback():
    proc = serve_process("--bind", "tcp://[::1]")
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 2 and b"cannot listen on tcp://[::1]" in err and b"Traceback" not in err


def test_keygen_writes_a_private_key_file_whatever_the_umask(tmp_path):
    out = subprocess.run(["sh", "-c", f'umask 000 && "{sys.executable}" -I -m symphony_bridge keygen "{tmp_path / "k"}"'],
                         capture_output=True, text=True, check=True)
    keys = CurveKeys.load(tmp_path / "k")
    assert out.stdout.strip() == keys.public.decode()
    assert (tmp_path / "k").stat().st_mode & 0o777 == 0o600


def test_a_curve_key_file_readable_by_others_is_refused(tmp_path):
    CurveKeys.generate().save(tmp_path / "k")
    os.chmod(tmp_path / "k", 0o644)
    with pytest.raises(SecurityError, match=r"chmod 600"):
        CurveKeys.load(tmp_path / "k")


def test_sigterm_stops_the_server_cleanly_while_it_watches_its_parent():
    proc = serve_process("--bind", "tcp://127.0.0.1:0", "--exit-with-parent", "--key-stdin")
    try:
        started(proc, KEY)
        proc.terminate()
        assert proc.wait(10) == 0  # no abort at shutdown from the thread that watches stdin
    finally:
        proc.kill()


# ---- the per-user directory -----------------------------------------------------------------------------------

def test_the_user_directory_and_secret_are_owner_only_whatever_the_umask(user_dir, permissive_umask):
    key = user_secret()
    assert len(key) == 32 and user_secret() == key, "created once, then read"
    assert (user_dir.stat().st_mode & 0o777, (user_dir / "secret").stat().st_mode & 0o777) == (0o700, 0o600)
    assert adapters_dir().stat().st_mode & 0o777 == 0o700
    assert (user_dir / "secret").read_text().strip() == key.hex()


@pytest.mark.parametrize("mode", [0o640, 0o604, 0o660])
def test_a_secret_others_may_read_is_refused_with_the_chmod_to_run(user_dir, mode):
    user_secret()
    os.chmod(user_dir / "secret", mode)
    with pytest.raises(SecurityError) as e:
        user_secret()
    assert f"run 'chmod 600 {user_dir / 'secret'}'" in str(e.value)


def test_a_user_directory_others_may_enter_is_refused(user_dir):
    user_secret()
    os.chmod(user_dir, 0o755)
    with pytest.raises(SecurityError, match=f"chmod 700 {user_dir}"):
        user_secret()


def test_a_secret_of_another_user_is_refused(user_dir):
    user_secret()
    os.chown(user_dir / "secret", OTHER_UID, -1)
    with pytest.raises(SecurityError, match=f"owned by uid {OTHER_UID}"):
        user_secret()


def test_a_secret_that_is_a_symbolic_link_is_refused(user_dir, tmp_path):
    user_secret()
    (user_dir / "secret").unlink()
    (tmp_path / "elsewhere").write_text("00" * 32)
    os.chmod(tmp_path / "elsewhere", 0o600)
    (user_dir / "secret").symlink_to(tmp_path / "elsewhere")
    with pytest.raises(SecurityError, match="symbolic link"):
        user_secret()


def _secret_in_child(queue):
    queue.put(user_secret())


def test_processes_racing_to_create_the_secret_all_get_the_same_key(user_dir):
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    children = [context.Process(target=_secret_in_child, args=(queue,)) for _ in range(8)]
    for child in children:
        child.start()
    keys = {queue.get(timeout=30) for _ in children}
    for child in children:
        child.join(10)
    assert len(keys) == 1 and user_secret() in keys
    assert read_private(user_dir / "secret").strip() == next(iter(keys)).hex().encode()
    check_private(user_dir / "secret")
