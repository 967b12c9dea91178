"""symphony_bridge.deploy: a policy export drives robot adapters, whose clipping, watchdog and emergency stop
stay in charge; Ctrl-C and failures leave the robot safe; --adapter imports nothing implicitly."""
import json
import os
import signal
import subprocess
import sys
import threading
import time

import numpy as np
import pytest

from actor_reference import PENDULUM, random_weights, reference_actions, write_handoff
from symphony_bridge.deploy import DeployError, run
from symphony_bridge.examples.mujoco_robot import MujocoRobot
from symphony_bridge.export import export
from symphony_bridge.handoff import read_handoff
from symphony_bridge.policy import Policy

#: The example robot's model, InvertedPendulum-v5: S 4, A 1; the robot accepts ±1.5 of the actuator's ±3.
ROBOT_SHAPE = dict(env="MujocoRobot-v0", S=4, A=1, a_max=3.0, low=[-np.inf] * 4, high=[np.inf] * 4,
                   action_low=-1.5, action_high=1.5)
EXAMPLE = "symphony_bridge.examples.mujoco_robot:MujocoRobot"

MARKER_ROBOT = '''
import time

import numpy as np
from gymnasium import spaces

from symphony_bridge.robot import RobotAdapter


class MarkerRobot(RobotAdapter):
    """S 4, A 1: writes every reset, step and safe state to the file `log`."""

    def __init__(self, log, nan_at=0, step_seconds=0.0):
        self.observation_space = spaces.Box(-np.inf, np.inf, (4,), np.float64)
        self.action_space = spaces.Box(-1.0, 1.0, (1,), np.float32)
        self.log, self.nan_at, self.step_seconds, self.steps = log, nan_at, step_seconds, 0
        super().__init__(watchdog_timeout=5.0, max_episode_steps=20)

    def note(self, what):
        with open(self.log, "a") as f:
            f.write(what + "\\n")

    def _reset(self, seed):
        self.note(f"reset {seed}")
        self.steps = 0
        return np.zeros(4), {}

    def _step(self, action):
        self.steps += 1
        time.sleep(self.step_seconds)
        self.note(f"step {float(action[0])!r}")
        observation = np.full(4, 0.1 * self.steps)
        if self.steps == self.nan_at:
            observation[2] = np.nan
        return observation, 1.0, False, False, {}

    def safe_state(self):
        self.note("safe")
'''


def make_export(directory, shape, seed=2):
    """An export of random weights whose actions mostly exceed the example robot's ±1.5 (a_max 3)."""
    weights = random_weights(shape["S"], shape["A"], 16, seed)
    weights["b3"][:2 * shape["A"]] += 2.5  # strength A and scaling σ near tanh(1.25) ≈ 0.85: |action| ≈ 1.8
    weights, action_max = write_handoff(directory / "handoff.json", shape, 16, seed, weights=weights)
    export(read_handoff(str(directory / "handoff.json")), directory / "export")
    return directory / "export", weights, action_max


@pytest.fixture
def robot_export(tmp_path):
    return make_export(tmp_path, ROBOT_SHAPE)


@pytest.fixture
def adapter_dir(tmp_path):
    directory = tmp_path / "adapters"
    directory.mkdir(mode=0o700)
    (directory / "marker_robot.py").write_text(MARKER_ROBOT)
    return directory


def deploy(*args, python_flags=("-I",), cwd=None, **kwargs):
    return subprocess.run([sys.executable, *python_flags, "-m", "symphony_bridge.deploy", *map(str, args)],
                          capture_output=True, text=True, timeout=120, cwd=cwd, **kwargs)


class RecordingRobot(MujocoRobot):
    """The example robot, recording the observations it gives, the actions it gets and the motor commands."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.seen, self.sent, self.applied, self.rewards = [], [], [], []

    def _reset(self, seed):
        observation, info = super()._reset(seed)
        self.seen.append(observation)
        return observation, info

    def step(self, action):
        self.sent.append(np.array(action))
        return super().step(action)

    def _step(self, action):
        result = super()._step(action)
        self.applied.append(self.sim.data.ctrl.copy())
        self.seen.append(result[0])
        self.rewards.append(result[1])
        return result


def test_deploy_drives_the_example_robot_with_the_policy_and_the_robot_clips(robot_export):
    directory, weights, action_max = robot_export
    robot = RecordingRobot(latency=0.0, max_episode_steps=200)
    lines = []
    try:
        episodes = run(Policy.load(directory), robot, episodes=3, seed=5, say=lines.append)
    finally:
        robot.close()
    steps = sum(e.steps for e in episodes)
    assert [e.number for e in episodes] == [1, 2, 3] and steps == len(robot.sent) == len(robot.applied)
    assert all(e.end in ("terminated", "truncated") for e in episodes)
    # every action is the policy's for the observation the robot had just given (reset or step)
    ends = np.cumsum([e.steps for e in episodes])
    observations_before = []
    k = 0
    for e in episodes:  # each episode: its reset observation, then one per step but the last
        observations_before += robot.seen[k:k + e.steps]
        k += e.steps + 1
    expected = reference_actions(weights, action_max, np.array(observations_before, np.float32))
    assert np.abs(np.array(robot.sent) - expected).max() <= 1e-5
    # the robot, not deploy, clipped the policy's ±3 to its own ±1.5, and the episode lines count it
    sent = np.array(robot.sent)
    assert np.abs(sent).max() > 1.5, "the test needs actions beyond the robot's limits"
    np.testing.assert_array_equal(np.array(robot.applied), np.clip(sent, -1.5, 1.5))
    assert sum(e.clipped for e in episodes) == np.count_nonzero(np.abs(sent) > 1.5)
    assert [e.ret for e in episodes] == [float(sum(robot.rewards[a - e.steps:a])) for e, a in zip(episodes, ends)]
    assert lines[0].startswith(f"episode 1/3: return {episodes[0].ret:.3f}, {episodes[0].steps} steps")
    assert lines[-1].startswith("mean return ")


class SlowPolicy:
    """The real policy, but its second action comes late."""

    def __init__(self, policy, delay):
        self.policy, self.delay, self.calls = policy, delay, 0

    def act(self, observation):
        self.calls += 1
        if self.calls == 2:
            time.sleep(self.delay)
        return self.policy.act(observation)


def test_the_adapters_watchdog_ends_the_episode_when_an_action_is_late(robot_export):
    robot = RecordingRobot(latency=0.0, watchdog_timeout=0.1)
    lines = []
    try:
        episodes = run(SlowPolicy(Policy.load(robot_export[0]), 0.5), robot, episodes=2, seed=1, say=lines.append)
    finally:
        robot.close()
    assert (episodes[0].end, episodes[0].steps) == ("watchdog", 1)
    assert robot.safe_states == 1 and len(robot.applied) == 1 + episodes[1].steps, "the late action was not applied"
    assert episodes[1].end in ("terminated", "truncated") and episodes[1].steps >= 1
    assert "1 steps, watchdog" in lines[0]


class StoppedRobot(RecordingRobot):
    """Someone presses the emergency stop during the first step, and releases it 0.3 s later."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.events = []

    def _step(self, action):
        if not self.events:
            threading.Thread(target=self.press_and_release).start()
            while not self.stopped:  # the button is pressed while this step runs
                time.sleep(0.001)
        self.events.append(("step", time.monotonic()))
        return super()._step(action)

    def press_and_release(self):
        self.events.append(("press", time.monotonic()))
        self.estop()
        time.sleep(0.3)
        self.events.append(("release", time.monotonic()))
        self.clear_estop()


def test_an_emergency_stop_ends_the_episode_and_deploy_waits_for_its_release(robot_export):
    robot = StoppedRobot(latency=0.0)
    lines = []
    try:
        episodes = run(Policy.load(robot_export[0]), robot, episodes=2, seed=3, say=lines.append)
    finally:
        robot.close()
    assert (episodes[0].end, episodes[0].steps) == ("emergency stop", 1)
    assert episodes[1].end in ("terminated", "truncated") and robot.safe_states >= 1
    kinds = [kind for kind, _ in robot.events]
    assert kinds[:3] == ["press", "step", "release"] and "press" not in kinds[3:]
    assert all(kind == "step" for kind in kinds[3:]), "nothing moved until the stop was released"
    assert lines[1].startswith("emergency stop: the robot is in its safe state; waiting until the stop is released")
    assert lines[2] == "emergency stop released: continuing" and lines[3].startswith("episode 2/2")


def test_a_nan_from_the_robot_stops_deploy_naming_the_step(robot_export):
    class NanRobot(RecordingRobot):
        def _step(self, action):
            observation, *rest = super()._step(action)
            if len(self.applied) == 2:
                observation = observation.copy()
                observation[1] = np.nan
            return (observation, *rest)

    robot = NanRobot(latency=0.0)
    try:
        with pytest.raises(DeployError, match=r"episode 1, step 3: the robot sent an observation the policy "
                                              r"refuses: observation\[1\] is nan"):
            run(Policy.load(robot_export[0]), robot, episodes=1, seed=0, say=lambda _: None)
    finally:
        robot.close()


def test_the_command_runs_the_example_robot(robot_export):
    done = deploy(robot_export[0], "--adapter", EXAMPLE, "--episodes", 2, "--seed", 0,
                  "--adapter-kwargs", json.dumps({"latency": 0}))
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == f"policy {robot_export[0]} (MujocoRobot-v0, S 4, A 1) on {EXAMPLE}"
    assert lines[1].startswith("episode 1/2: return ") and lines[2].startswith("episode 2/2: return ")


def test_the_command_runs_an_adapter_from_adapter_path_and_leaves_it_safe(robot_export, adapter_dir, tmp_path):
    log = tmp_path / "robot.log"
    done = deploy(robot_export[0], "--adapter", "marker_robot:MarkerRobot", "--adapter-path", adapter_dir,
                  "--adapter-kwargs", json.dumps({"log": str(log)}), "--episodes", 2, "--seed", 7)
    assert done.returncode == 0, done.stderr
    assert "episode 1/2: return 20.000, 20 steps, truncated" in done.stdout
    notes = log.read_text().splitlines()
    assert notes[0] == "reset 7" and notes[21] == "reset 8" and notes[-1] == "safe"
    assert len([n for n in notes if n.startswith("step")]) == 40


def test_record_writes_each_step_with_the_observation_acted_on(robot_export, tmp_path):
    directory, weights, action_max = robot_export
    record = tmp_path / "steps.jsonl"
    done = deploy(directory, "--adapter", EXAMPLE, "--episodes", 2, "--seed", 4, "--record", record,
                  "--adapter-kwargs", json.dumps({"latency": 0}))
    assert done.returncode == 0, done.stderr
    steps = [json.loads(line) for line in record.read_text().splitlines()]
    lengths = [int(line.split(", ")[1].split()[0]) for line in done.stdout.splitlines()[1:3]]
    assert [(s["episode"], s["step"]) for s in steps] == \
        [(e + 1, k + 1) for e, n in enumerate(lengths) for k in range(n)]
    observed = np.array([s["observation"] for s in steps], np.float32)
    actions = np.array([s["action"] for s in steps], np.float32)
    assert actions.tobytes() == Policy.load(directory).act(observed).tobytes()
    assert np.abs(actions - reference_actions(weights, action_max, observed)).max() <= 1e-5
    again = deploy(directory, "--adapter", EXAMPLE, "--record", record)
    assert again.returncode == 2 and "exists; give a new file" in again.stderr
    assert len(record.read_text().splitlines()) == len(steps)


def test_a_nan_observation_exits_1_with_the_robot_safe(robot_export, adapter_dir, tmp_path):
    log = tmp_path / "robot.log"
    done = deploy(robot_export[0], "--adapter", "marker_robot:MarkerRobot", "--adapter-path", adapter_dir,
                  "--adapter-kwargs", json.dumps({"log": str(log), "nan_at": 3}))
    assert done.returncode == 1
    assert ("episode 1, step 4: the robot sent an observation the policy refuses: observation[2] is nan, not "
            "finite; 1 such value(s); the robot was made safe") in done.stderr
    notes = log.read_text().splitlines()
    assert len([n for n in notes if n.startswith("step")]) == 3 and notes[-1] == "safe"


@pytest.mark.parametrize("sent", [signal.SIGINT, signal.SIGTERM])
def test_ctrl_c_makes_the_robot_safe_and_exits_130(robot_export, adapter_dir, tmp_path, sent):
    log = tmp_path / "robot.log"
    process = subprocess.Popen(
        [sys.executable, "-I", "-m", "symphony_bridge.deploy", str(robot_export[0]), "--adapter",
         "marker_robot:MarkerRobot", "--adapter-path", str(adapter_dir), "--episodes", "1000",
         "--adapter-kwargs", json.dumps({"log": str(log), "step_seconds": 0.005})],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        while not process.stdout.readline().startswith("episode 1/1000"):
            assert process.poll() is None, process.stderr.read()
        process.send_signal(sent)
        _, stderr = process.communicate(timeout=30)
    finally:
        process.kill()
    assert process.returncode == 130, stderr
    assert "symphony_bridge.deploy: interrupted; the robot was made safe" in stderr
    assert log.read_text().splitlines()[-1] == "safe"


def test_a_dry_run_sends_nothing_and_keeps_the_robot_safe(robot_export, adapter_dir, tmp_path):
    log = tmp_path / "robot.log"
    done = deploy(robot_export[0], "--adapter", "marker_robot:MarkerRobot", "--adapter-path", adapter_dir,
                  "--adapter-kwargs", json.dumps({"log": str(log)}), "--dry-run", "--seed", 1)
    assert done.returncode == 0, done.stderr
    assert set(log.read_text().splitlines()) == {"safe"}, "never reset, never stepped"
    assert "dry run on 100 observations sampled from MarkerRobot's observation space: nothing was sent" in done.stdout
    assert "the adapter's limits are [-1.0000, 1.0000]; it would clip" in done.stdout
    assert "the adapter's watchdog allows 5000 ms between actions" in done.stdout

    observed = tmp_path / "observed.json"
    observed.write_text(json.dumps([[0.0, 0.1, 0.2, 0.3], [1.0, 1.0, 1.0, 1.0]]))
    done = deploy(robot_export[0], "--adapter", "marker_robot:MarkerRobot", "--adapter-path", adapter_dir,
                  "--adapter-kwargs", json.dumps({"log": str(log)}), "--dry-run", "--observations", observed)
    assert done.returncode == 0 and "dry run on 2 given observations" in done.stdout
    assert set(log.read_text().splitlines()) == {"safe"}


def test_an_adapter_of_other_sizes_is_refused_naming_both(tmp_path, adapter_dir):
    pendulum = make_export(tmp_path, PENDULUM)[0]
    done = deploy(pendulum, "--adapter", "marker_robot:MarkerRobot", "--adapter-path", adapter_dir,
                  "--adapter-kwargs", json.dumps({"log": str(tmp_path / "log")}))
    assert done.returncode == 2
    assert ("MarkerRobot has observation shape (4,) and action shape (1,); the policy (Pendulum-v1) needs (3,) "
            "and (1,); the robot was made safe") in done.stderr


@pytest.mark.parametrize("spec", ["nope", "a:b:c", "../evil:X", ":X", "x:", "x y:Z", "x:Y()"])
def test_adapter_must_be_module_colon_class(robot_export, spec):
    done = deploy(robot_export[0], "--adapter", spec)
    assert done.returncode == 2
    assert f"--adapter must be module:Class with a module's dotted name and a class name" in done.stderr
    assert repr(spec) in done.stderr


def test_adapter_that_is_no_robot_adapter_or_bad_kwargs_is_refused(robot_export):
    done = deploy(robot_export[0], "--adapter", "os:path")
    assert done.returncode == 2 and "os has no RobotAdapter subclass named 'path'" in done.stderr
    done = deploy(robot_export[0], "--adapter", EXAMPLE, "--adapter-kwargs", "[1]")
    assert done.returncode == 2 and "--adapter-kwargs must be a JSON object" in done.stderr
    done = deploy(robot_export[0], "--adapter", EXAMPLE, "--adapter-kwargs", '{"wheels": 4}')
    assert done.returncode == 2 and "does not take --adapter-kwargs" in done.stderr


def test_nothing_is_imported_from_the_working_directory_even_without_dash_i(robot_export, tmp_path):
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    for name in ("planted_robot", "numpy", "json"):  # an adapter, a dependency, a standard module
        (cwd / f"{name}.py").write_text(f"open({str(tmp_path / name)!r} + '.ran', 'w').close()\n"
                                        + (MARKER_ROBOT if name == "planted_robot" else ""))
    done = deploy(robot_export[0], "--adapter", "planted_robot:MarkerRobot", python_flags=(), cwd=cwd)
    assert done.returncode == 2
    assert ("no module 'planted_robot' among the installed packages; the working directory is not searched: "
            "pass --adapter-path DIR") in done.stderr
    done = deploy(robot_export[0], "--adapter", EXAMPLE, "--adapter-kwargs", '{"latency": 0}', python_flags=(),
                  cwd=cwd)
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in tmp_path.glob("*.ran")) == [], "no planted module ran"


def test_an_adapter_path_others_can_write_is_refused(robot_export, adapter_dir, tmp_path):
    (adapter_dir / "marker_robot.py").write_text(f"open({str(tmp_path / 'ran')!r}, 'w').close()\n" + MARKER_ROBOT)
    os.chmod(adapter_dir, 0o777)
    done = deploy(robot_export[0], "--adapter", "marker_robot:MarkerRobot", "--adapter-path", adapter_dir)
    assert done.returncode == 2
    assert f"refusing to import adapter code: {adapter_dir} can be written by every user" in done.stderr
    os.chmod(adapter_dir, 0o700)
    os.chmod(adapter_dir / "marker_robot.py", 0o666)
    done = deploy(robot_export[0], "--adapter", "marker_robot:MarkerRobot", "--adapter-path", adapter_dir)
    assert done.returncode == 2 and "marker_robot.py can be written by every user" in done.stderr
    assert not (tmp_path / "ran").exists()
