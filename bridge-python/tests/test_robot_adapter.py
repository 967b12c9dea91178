"""The robot SDK's safety (clipping, watchdog, emergency stop), the example adapter, and announcing."""
import subprocess
import sys
import threading
import time

import numpy as np
import pytest
import zmq

from symphony_bridge import PROTOCOL_VERSION
from symphony_bridge import protocol as p
from symphony_bridge.__main__ import READY
from symphony_bridge.client import BridgeClient
from symphony_bridge.examples.mujoco_robot import ENV_ID, MujocoRobot
from symphony_bridge.protocol import BridgeError
from symphony_bridge.robot import Announcer, serve_adapter


@pytest.fixture
def robot():
    r = MujocoRobot(latency=0.0, watchdog_timeout=0.15, max_episode_steps=50)
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
    time.sleep(0.5)  # actions stop
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
    time.sleep(0.4)
    assert robot.safe_states == 0


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


class Registry:
    """A registry endpoint as the runtime binds it, recording the headers it receives."""

    def __init__(self):
        self.socket = zmq.Context.instance().socket(zmq.REP)
        self.socket.linger = 0
        self.socket.bind("tcp://127.0.0.1:*")
        self.endpoint = self.socket.getsockopt_string(zmq.LAST_ENDPOINT)

    def receive(self, timeout_ms=5000):
        assert self.socket.poll(timeout_ms), "nothing announced"
        header = p.decode_header(self.socket.recv())
        self.socket.send(p.encode_header({"v": PROTOCOL_VERSION, "ok": True, "ttl_ms": 3000}))
        return header

    def close(self):
        self.socket.close(linger=0)


def test_adapter_is_served_announced_repeatedly_and_withdrawn():
    registry = Registry()
    stop = threading.Event()
    ready = []
    robot = lambda kwargs: MujocoRobot(latency=0.0, watchdog_timeout=1.0)  # noqa: E731
    thread = threading.Thread(target=serve_adapter, args=(ENV_ID, robot), daemon=True,
                              kwargs={"announce_to": registry.endpoint, "stop": stop, "ready": ready.append})
    thread.start()
    try:
        first = registry.receive()
        assert first["op"] == "announce" and first["id"] == ENV_ID and first["endpoint"] == ready[0]
        assert first["v"] == PROTOCOL_VERSION
        assert registry.receive(3000)["op"] == "announce", "announces are repeated as heartbeats"

        client = BridgeClient(ready[0], timeout_ms=10_000)
        assert client.hello()["ids"] == [ENV_ID] and client.hello()["gymnasium"] is False
        handle, spec, (_, _, low, high) = client.make(ENV_ID)
        assert spec["action_size"] == 1 and spec["max_episode_steps"] == 1000
        np.testing.assert_array_equal(high, [1.5])
        client.reset(handle, seed=0)
        assert client.step(handle, np.array([0.2], np.float32))[0].shape == (4,)
        with pytest.raises(BridgeError) as e:
            client.make("Hopper-v5")
        assert e.value.code == "unknown_env_id"
        client.close()
    finally:
        stop.set()
        header = registry.receive()
        while header["op"] == "announce":
            header = registry.receive()
        thread.join(5)
        registry.close()
    assert header == {"v": PROTOCOL_VERSION, "op": "withdraw", "id": ENV_ID, "endpoint": ready[0]}


def test_announcer_waits_for_a_registry_that_is_not_there_yet():
    context = zmq.Context.instance()
    port_holder = context.socket(zmq.REP)
    port = port_holder.bind_to_random_port("tcp://127.0.0.1")
    port_holder.close(linger=0)  # a free port, nobody listening yet
    announcer = Announcer(f"tcp://127.0.0.1:{port}", "X-v0", "tcp://127.0.0.1:1", period=0.1).start()
    time.sleep(0.3)
    assert not announcer.acknowledged.is_set()
    registry = context.socket(zmq.REP)
    registry.linger = 0
    registry.bind(f"tcp://127.0.0.1:{port}")
    assert registry.poll(3000)
    registry.recv()
    registry.send(p.encode_header({"v": PROTOCOL_VERSION, "ok": True, "ttl_ms": 3000}))
    assert announcer.acknowledged.wait(3)
    registry.close(linger=0)
    announcer._request = lambda op, timeout_ms: None  # no registry left to withdraw from
    announcer.stop()


def test_example_adapter_runs_from_the_command_line_and_stops_on_sigterm():
    proc = subprocess.Popen([sys.executable, "-m", "symphony_bridge.examples.mujoco_robot", "--latency-ms", "0"],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        word, endpoint = proc.stdout.readline().split()
        assert word == READY
        client = BridgeClient(endpoint, timeout_ms=20_000)
        handle, _, _ = client.make(ENV_ID)
        client.reset(handle, seed=0)
        client.close()
        proc.terminate()
        assert proc.wait(10) == 0
    finally:
        proc.kill()


def test_adapter_with_curve_keys_announces_its_public_key_and_serves_encrypted():
    from symphony_bridge.security import CurveKeys

    keys = CurveKeys.generate()
    registry = Registry()
    stop = threading.Event()
    ready = []
    thread = threading.Thread(target=serve_adapter, args=(ENV_ID, lambda kwargs: MujocoRobot(latency=0.0)),
                              kwargs={"announce_to": registry.endpoint, "stop": stop, "ready": ready.append,
                                      "curve": keys}, daemon=True)
    thread.start()
    try:
        announce = registry.receive()
        assert announce["curve_key"] == keys.public.decode()
        client = BridgeClient(ready[0], server_key=keys.public, timeout_ms=10_000)
        handle, _, _ = client.make(ENV_ID)
        assert client.reset(handle, seed=0).shape == (4,)
        client.close()
    finally:
        stop.set()
        while registry.receive()["op"] != "withdraw":
            pass
        thread.join(5)
        registry.close()
