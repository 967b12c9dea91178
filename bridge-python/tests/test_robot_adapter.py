"""The robot SDK's safety (clipping, watchdog, pauses, emergency stop), the example adapter, and announcing."""
import json
import logging
import os
import signal
import subprocess
import sys
import threading
import time

import numpy as np
import pytest

from symphony_bridge import PROTOCOL_VERSION
from symphony_bridge.__main__ import READY
from symphony_bridge.announce import Announcement, AnnounceError
from symphony_bridge.client import BridgeClient
from symphony_bridge.examples.mujoco_robot import ENV_ID, MujocoRobot
from symphony_bridge.protocol import BridgeError
from symphony_bridge.robot import serve_adapter
from symphony_bridge.security import CurveKeys
from symphony_bridge.userdir import user_secret


@pytest.fixture
def robot():
    r = MujocoRobot(latency=0.0, watchdog_timeout=0.4, max_episode_steps=50)  # generous: CI machines stall
    yield r
    r.close()


def test_actions_are_clipped_to_the_declared_limits(robot):
    # InvertedPendulum's actuator takes [-3, 3]; the robot declares half of it
    np.testing.assert_array_equal(robot.action_space.high, [1.5])
    robot.reset(seed=0)
    _, _, _, _, info = robot.step(np.array([2.9], np.float32))
    assert robot.sim.data.ctrl[0] == pytest.approx(1.5) and info["clipped"] == 1
    _, _, _, _, info = robot.step(np.array([-0.5], np.float32))
    assert robot.sim.data.ctrl[0] == pytest.approx(-0.5) and info["clipped"] == 0


def test_watchdog_makes_the_robot_safe_when_actions_stop_and_ends_the_episode(robot):
    robot.reset(seed=0)
    for _ in range(10):  # steady actions faster than the deadline: no trip
        robot.step(np.array([0.1], np.float32))
        time.sleep(0.03)
    assert robot.safe_states == 0 and robot.motors_on
    time.sleep(1.0)  # actions stop
    assert robot.safe_states == 1 and not robot.motors_on and robot.sim.data.ctrl[0] == 0.0
    obs, reward, terminated, truncated, info = robot.step(np.array([1.0], np.float32))
    assert (reward, terminated, truncated, info) == (0.0, False, True, {"watchdog": True})
    assert robot.sim.data.ctrl[0] == 0.0, "the late action was not applied"
    robot.reset(seed=1)
    assert robot.motors_on
    assert robot.step(np.array([0.0], np.float32))[3] is False


def test_watchdog_is_quiet_between_episodes(robot):
    robot.reset(seed=0)
    while not any(robot.step(np.array([1.5], np.float32))[2:4]):
        pass
    time.sleep(1.0)
    assert robot.safe_states == 0


def test_a_pause_holds_the_robot_quietly_and_the_next_step_goes_on(robot, caplog):
    caplog.set_level(logging.DEBUG, logger="symphony_bridge")
    robot.reset(seed=0)
    robot.step(np.array([0.4], np.float32))
    robot.pause("update")
    robot.pause("update")  # already holding: once is enough
    assert robot.paused and robot.holds == 1 and not robot.motors_on and robot.sim.data.ctrl[0] == 0.0
    time.sleep(1.0)  # more than two watchdog deadlines of silence
    assert robot.safe_states == 0, "a pause is not a fault"
    obs, reward, terminated, truncated, info = robot.step(np.array([0.3], np.float32))
    assert not truncated and "watchdog" not in info and robot.motors_on
    assert robot.sim.data.ctrl[0] == pytest.approx(0.3), "the action after the pause is applied"
    time.sleep(1.0)  # a real silence after the pause ended trips as always
    assert robot.safe_states == 1
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING and "pause" in r.getMessage()]


def test_a_pause_between_episodes_or_during_a_stop_does_nothing(robot):
    robot.pause("evaluation")
    assert robot.holds == 0 and not robot.paused
    robot.reset(seed=0)
    robot.estop()
    robot.pause("checkpoint")
    assert robot.holds == 0 and robot.safe_states == 1


@pytest.mark.parametrize("before_close, warned", [
    (lambda r: r.pause("checkpoint"), False),                                             # paused
    (lambda r: [r.step(np.array([1.5], np.float32)) for _ in range(60) if r._running], False),  # between episodes
    (lambda r: None, True),                                                               # moving
])
def test_closing_is_clean_unless_the_robot_was_moving(caplog, before_close, warned):
    robot = MujocoRobot(latency=0.0, watchdog_timeout=5.0, max_episode_steps=50)
    robot.reset(seed=0)
    robot.step(np.array([0.1], np.float32))
    before_close(robot)
    caplog.clear()
    robot.close()
    mid = [r for r in caplog.records if "closed mid-episode" in r.getMessage()]
    assert bool(mid) is warned and (robot.safe_states == 1) is warned
    assert not robot.motors_on


def test_emergency_stop_holds_until_cleared_at_the_robot(robot):
    robot.reset(seed=0)
    robot.step(np.array([1.0], np.float32))
    robot.estop()
    assert robot.safe_states == 1 and not robot.motors_on
    for call in (lambda: robot.step(np.array([1.0], np.float32)), lambda: robot.reset(seed=0)):
        with pytest.raises(BridgeError) as e:
            call()
        assert e.value.code == "emergency_stop"
    robot.clear_estop()
    robot.reset(seed=0)
    assert robot.motors_on


def test_episode_limit_truncates():
    robot = MujocoRobot(latency=0.0, max_episode_steps=8)
    robot.reset(seed=0)
    ends = [robot.step(np.zeros(1, np.float32))[2:4] for _ in range(8)]
    assert ends == [(False, False)] * 7 + [(False, True)]
    robot.close()


# ---- serving and announcing -------------------------------------------------------------------------------------

class Served:
    """serve_adapter on a thread, as an adapter process runs it."""

    def __init__(self, env_id=ENV_ID, make=None, **kwargs):
        self.stop, self.ready, self.error = threading.Event(), threading.Event(), None
        self.robots = []
        self.endpoint = None

        def default_make(kwargs):
            robot = MujocoRobot(latency=0.0, watchdog_timeout=1.0)
            self.robots.append(robot)
            return robot

        def run():
            try:
                serve_adapter(env_id, make or default_make, stop=self.stop, ready=self._ready, **kwargs)
            except Exception as e:
                self.error = e
                self.ready.set()

        self.thread = threading.Thread(target=run, daemon=True)
        self.thread.start()
        assert self.ready.wait(30)
        if self.error:
            raise self.error

    def _ready(self, endpoint):
        self.endpoint = endpoint
        self.ready.set()

    def client(self, **kwargs):
        kwargs.setdefault("key", user_secret())
        return BridgeClient(self.endpoint, timeout_ms=10_000, **kwargs)

    def close(self):
        self.stop.set()
        self.thread.join(10)


def announce_of(user_dir, env_id=ENV_ID):
    path = user_dir / "adapters" / f"{env_id}.json"
    return path, json.loads(path.read_text())


def test_adapter_is_served_to_key_holders_announced_refreshed_and_withdrawn(user_dir):
    served = Served()
    try:
        path, announce = announce_of(user_dir)
        assert announce == {"protocol": PROTOCOL_VERSION, "id": ENV_ID, "endpoint": served.endpoint,
                            "pid": os.getpid(), "host": os.uname().nodename}
        assert path.stat().st_mode & 0o777 == 0o600 and path.parent.stat().st_mode & 0o777 == 0o700
        first = path.stat().st_mtime
        time.sleep(1.3)
        assert path.stat().st_mtime > first, "refreshed while serving (the runtime's heartbeat)"

        client = served.client()
        assert client.authenticate()["ids"] == [ENV_ID] and client.server["gymnasium"] is False
        handle, spec, (_, _, low, high) = client.make(ENV_ID)
        assert spec["action_size"] == 1 and spec["max_episode_steps"] == 1000
        np.testing.assert_array_equal(high, [1.5])
        client.reset(handle, seed=0)
        assert client.step(handle, np.array([0.2], np.float32))[0].shape == (4,)
        client.pause(handle, "update")
        assert served.robots[0].holds == 1
        with pytest.raises(BridgeError) as e:
            client.make("Hopper-v5")
        assert e.value.code == "unknown_env_id"
        stranger = served.client(key=bytes(32))
        with pytest.raises(BridgeError, match="cannot prove"):
            stranger.authenticate()
        client.close()
    finally:
        served.close()
    assert not path.exists(), "withdrawn when the adapter stops"


def test_make_reply_says_the_robot_is_pausable_and_a_gymnasium_env_is_not(bridge, user_dir):
    served = Served()
    try:
        client = served.client()
        handle, _, _ = client.make(ENV_ID)
        assert client.request({"op": "close", "env": handle})[0]["ok"]
        reply, _ = client.request({"op": "make", "id": ENV_ID, "kwargs": {}})
        assert reply["pausable"] is True
        client.close()
    finally:
        served.close()
    gym = bridge.client()
    reply, _ = gym.request({"op": "make", "id": "InvertedPendulum-v5", "kwargs": {}})
    assert reply["pausable"] is False
    gym.close_env(reply["env"])
    gym.close()


def test_one_robot_one_connection(user_dir):
    served = Served(takeover_after=0.5)
    try:
        first, second = served.client(), served.client()
        handle, _, _ = first.make(ENV_ID)
        first.reset(handle, seed=0)
        with pytest.raises(BridgeError) as e:
            first.make(ENV_ID)
        assert e.value.code == "busy" and "already open on this connection" in e.value.message
        with pytest.raises(BridgeError) as e:
            second.make(ENV_ID)
        assert e.value.code == "busy" and "open by another connection" in e.value.message
        assert len(served.robots) == 1, "nothing was made for the refused requests"
        time.sleep(0.7)  # the first client died without closing: its connection is silent
        taken, _, _ = second.make(ENV_ID)
        assert second.reset(taken, seed=1).shape == (4,)
        assert len(served.robots) == 2 and served.robots[0]._closed.is_set(), "the old one was closed"
        with pytest.raises(BridgeError) as e:
            first.step(handle, np.zeros(1, np.float32))
        assert e.value.code == "no_such_env"
        first.close()
        second.close()
    finally:
        served.close()


def test_a_second_live_adapter_with_the_same_id_is_refused(user_dir):
    served = Served()
    try:
        with pytest.raises(AnnounceError, match=f"{ENV_ID} is already announced by process {os.getpid()}"):
            Served()
    finally:
        served.close()


def test_a_stale_announce_of_a_dead_adapter_is_replaced(user_dir):
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    (user_dir / "adapters").mkdir(parents=True, mode=0o700)
    os.chmod(user_dir, 0o700)
    stale = {"protocol": PROTOCOL_VERSION, "id": ENV_ID, "endpoint": "tcp://127.0.0.1:1", "pid": dead.pid,
             "host": os.uname().nodename}
    path = user_dir / "adapters" / f"{ENV_ID}.json"
    path.write_text(json.dumps(stale))
    os.chmod(path, 0o600)
    served = Served()
    try:
        assert announce_of(user_dir)[1]["pid"] == os.getpid()
    finally:
        served.close()


@pytest.mark.parametrize("env_id", ["Hopper-v5", "Hopper-v9", "Pendulum-v1", "CartPole-v0"])
def test_an_id_gymnasium_knows_is_refused_unless_allowed(user_dir, env_id):
    with pytest.raises(AnnounceError, match="would shadow Gymnasium"):
        Served(env_id)
    assert not (user_dir / "adapters" / f"{env_id}.json").exists()
    served = Served(env_id, allow_shadow=True)
    served.close()


@pytest.mark.parametrize("env_id", ["MyArm", "ns/MyArm-v0", "mod:MyArm-v0", "../x-v0", "-v0", ".hidden-v1", "Arm-v0 "])
def test_ids_that_are_not_name_vn_are_refused(env_id):
    with pytest.raises(AnnounceError, match="Name-vN"):
        Served(env_id)


def test_adapter_with_curve_keys_announces_its_public_key_and_serves_encrypted(user_dir):
    keys = CurveKeys.generate()
    served = Served(curve=keys)
    try:
        assert announce_of(user_dir)[1]["curve_key"] == keys.public.decode()
        client = served.client(server_key=keys.public)
        handle, _, _ = client.make(ENV_ID)
        assert client.reset(handle, seed=0).shape == (4,)
        client.close()
    finally:
        served.close()


def run_cli(*args):
    return subprocess.Popen([sys.executable, "-I", "-m", *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)


def test_announce_command_announces_a_remote_adapter_until_stopped(user_dir):
    key = CurveKeys.generate().public.decode()
    proc = run_cli("symphony_bridge", "announce", "RemoteArm-v2", "--endpoint", "tcp://192.0.2.5:5600",
                   "--curve-key", key)
    try:
        assert proc.stdout.readline().startswith("announced RemoteArm-v2 at tcp://192.0.2.5:5600")
        path, announce = announce_of(user_dir, "RemoteArm-v2")
        assert (announce["endpoint"], announce["curve_key"], announce["pid"]) == ("tcp://192.0.2.5:5600", key, proc.pid)
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(10) == 0 and not path.exists()
    finally:
        proc.kill()


@pytest.mark.parametrize("args, message", [
    (["--endpoint", "tcp://192.0.2.5:5600"], "must serve with CURVE"),
    (["--endpoint", "tcp://192.0.2.5:5600", "--curve-key", "x" * 39], "not a public key"),
    (["--endpoint", "tcp://192.0.2.5:5600", "--curve-key", "~" * 40], "not a public key"),
    (["--endpoint", "http://127.0.0.1:1"], "tcp://HOST:PORT"),
    (["--endpoint", "ipc:///tmp/arm"], "tcp://HOST:PORT"),
    (["--endpoint", "tcp://127.0.0.1:*"], "tcp://HOST:PORT"),
])
def test_announce_command_refuses_what_the_registry_would_refuse(user_dir, args, message):
    proc = run_cli("symphony_bridge", "announce", "RemoteArm-v2", *args)
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 2 and message in err
    assert not (user_dir / "adapters" / "RemoteArm-v2.json").exists()


def test_example_adapter_runs_from_the_command_line_announced_and_stops_on_sigterm(user_dir):
    proc = run_cli("symphony_bridge.examples.mujoco_robot", "--latency-ms", "0")
    try:
        word, endpoint = proc.stdout.readline().split()
        assert word == READY
        assert proc.stdout.readline().startswith(f"{ENV_ID} serving at {endpoint}, announced")
        path, announce = announce_of(user_dir)
        assert announce["endpoint"] == endpoint and announce["pid"] == proc.pid
        client = BridgeClient(endpoint, key=user_secret(), timeout_ms=20_000)
        handle, _, _ = client.make(ENV_ID)
        client.reset(handle, seed=0)
        client.close()
        proc.terminate()
        assert proc.wait(10) == 0 and not path.exists()
    finally:
        proc.kill()
