"""symphony_bridge.policy: what Policy.load and act refuse, and the command that prints actions."""
import json
import os
import subprocess
import sys

import numpy as np
import pytest

from actor_reference import PENDULUM, observations, reference_actions, write_handoff
from symphony_bridge.export import export
from symphony_bridge.handoff import read_handoff
from symphony_bridge.policy import Policy, PolicyError


@pytest.fixture
def pendulum(tmp_path):
    """A Pendulum-size export (S 3, A 1, h 16) and its weights."""
    weights, action_max = write_handoff(tmp_path / "handoff.json", PENDULUM, 16, seed=4)
    export(read_handoff(str(tmp_path / "handoff.json")), tmp_path / "export")
    return tmp_path / "export", weights, action_max


@pytest.mark.parametrize("observation, message", [
    (np.zeros(4), r"the observation has shape \(4,\); this policy takes \(3,\) or \(batch, 3\)"),
    (np.zeros((2, 2)), r"shape \(2, 2\)"),
    (np.zeros((1, 1, 3)), r"shape \(1, 1, 3\)"),
    (5.0, r"shape \(\)"),
    (["a", "b", "c"], "must hold numbers"),
    ([[1.0, 2.0, 3.0], [1.0]], "not an array of numbers"),
    ([0.0, float("nan"), 0.0], r"observation\[1\] is nan, not finite; 1 such value"),
    ([[0.0, 0.0, 0.0], [0.0, 0.0, -np.inf]], r"observation\[1, 2\] is -inf, not finite"),
    ([0.0, 1e39, 0.0], r"observation\[1\] is 1e\+39, not finite as float32 \(beyond ±3.4e38\)"),
])
def test_a_bad_observation_is_refused_with_what_is_wrong(pendulum, observation, message):
    policy = Policy.load(pendulum[0])
    with pytest.raises(PolicyError, match=message):
        policy.act(observation)


def test_observations_beyond_the_bounds_are_used_and_actions_are_float32(pendulum):
    directory, weights, action_max = pendulum
    policy = Policy.load(directory)
    beyond = np.array([5.0, -5.0, 80.0])  # Pendulum's bounds are ±1, ±1, ±8
    action = policy.act(beyond)
    assert action.dtype == np.float32 and action.shape == (1,)
    assert abs(action[0] - reference_actions(weights, action_max, beyond[None])[0, 0]) <= 1e-5
    assert policy.act(np.zeros((0, 3))).shape == (0, 1)
    assert (policy.observation_size, policy.action_size, policy.action_max.tolist()) == (3, 1, [2.0])


def test_a_tampered_policy_onnx_is_refused_by_its_sha256(pendulum):
    directory = pendulum[0]
    model = bytearray((directory / "policy.onnx").read_bytes())
    model[-10] ^= 1  # one bit of a weight
    (directory / "policy.onnx").write_bytes(bytes(model))
    with pytest.raises(PolicyError, match=r"policy.onnx has SHA-256 [0-9a-f]{64}, policy.json records [0-9a-f]{64}: "
                                          r"the file was changed or damaged after the export"):
        Policy.load(directory)


@pytest.mark.parametrize("missing", ["policy.json", "policy.onnx"])
def test_an_incomplete_export_is_refused(pendulum, missing):
    (pendulum[0] / missing).unlink()
    with pytest.raises(PolicyError, match=f"{missing} is missing; .* is not a complete export"):
        Policy.load(pendulum[0])


def test_policy_json_of_another_format_or_damaged_is_refused(pendulum):
    path = pendulum[0] / "policy.json"
    info = json.loads(path.read_text())
    path.write_text(json.dumps(dict(info, format=2)))
    with pytest.raises(PolicyError, match="format 2 .* not what this loader reads"):
        Policy.load(pendulum[0])
    path.write_text("{")
    with pytest.raises(PolicyError, match="cannot be read as an export's policy.json"):
        Policy.load(pendulum[0])
    with pytest.raises(PolicyError, match="is not a directory"):
        Policy.load(pendulum[0] / "nothing")


@pytest.mark.parametrize("target", ["", "policy.json", "policy.onnx"])
def test_an_export_others_can_write_is_refused(pendulum, target):
    path = pendulum[0] / target
    os.chmod(path, os.stat(path).st_mode | 0o002)
    with pytest.raises(PolicyError, match=f"refusing the export: {path} can be written by every user; "
                                          f"run: chmod o-w {path}"):
        Policy.load(pendulum[0])


def test_threads_must_be_positive(pendulum):
    with pytest.raises(PolicyError, match="threads must be a whole number of at least 1, got 0"):
        Policy.load(pendulum[0], threads=0)
    assert Policy.load(pendulum[0], threads=2).act(np.zeros(3)).shape == (1,)


def test_loading_and_acting_imports_neither_torch_nor_gymnasium_nor_onnx(pendulum):
    code = ("import sys, numpy\nfrom symphony_bridge.policy import Policy\n"
            f"Policy.load({str(pendulum[0])!r}).act(numpy.zeros(3))\n"
            "print(sorted({m.split('.')[0] for m in sys.modules} & "
            "{'torch', 'gymnasium', 'mujoco', 'onnx', 'safetensors', 'zmq'}))")
    done = subprocess.run([sys.executable, "-I", "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_the_command_prints_each_action_exactly_and_refuses_bad_input(pendulum, tmp_path):
    directory, weights, action_max = pendulum
    observed = observations(PENDULUM, 20, 1)
    (tmp_path / "obs.json").write_text(json.dumps(observed.astype(float).tolist()))
    np.save(tmp_path / "obs.npy", observed)
    expected = Policy.load(directory).act(observed)
    for name in ("obs.json", "obs.npy"):
        done = subprocess.run([sys.executable, "-I", "-m", "symphony_bridge.policy", str(directory),
                               str(tmp_path / name)], capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, done.stderr
        printed = np.array(json.loads(done.stdout), dtype=np.float32)
        assert printed.tobytes() == expected.tobytes(), "every float32 survives the JSON"
    (tmp_path / "bad.json").write_text(json.dumps([[0.0, float("nan"), 0.0]]))
    done = subprocess.run([sys.executable, "-I", "-m", "symphony_bridge.policy", str(directory),
                           str(tmp_path / "bad.json")], capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and "observation[0, 1] is nan" in done.stderr
