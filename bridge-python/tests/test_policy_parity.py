"""The exported policy acts as the actor's formulas say: onnxruntime and the docs' PyTorch snippet against an
independent float64 implementation (actor_reference.py), for every preset's width and two environment shapes."""
import os
import re
from pathlib import Path

import numpy as np
import pytest

from actor_reference import HUMANOID, PENDULUM, PRESET_HIDDEN, observations, reference_actions, write_handoff
from symphony_bridge.export import export
from symphony_bridge.handoff import read_handoff
from symphony_bridge.policy import Policy

TOLERANCE = 1e-5
DEPLOY_MD = Path(__file__).resolve().parents[2] / "docs" / "deploy.md"
CASES = [(preset, shape) for preset in PRESET_HIDDEN for shape in (PENDULUM, HUMANOID)]


def make_export(directory: Path, shape: dict, h: int, seed: int, name: str = "export"):
    weights, action_max = write_handoff(directory / "handoff.json", shape, h, seed)
    export(read_handoff(str(directory / "handoff.json")), directory / name)
    return directory / name, weights, action_max


@pytest.mark.parametrize("preset, shape", CASES, ids=[f"{p}-{s['env']}" for p, s in CASES])
def test_onnxruntime_acts_as_the_formulas_on_1000_observations_at_and_beyond_the_bounds(preset, shape, tmp_path):
    seed = CASES.index((preset, shape))
    directory, weights, action_max = make_export(tmp_path, shape, PRESET_HIDDEN[preset], seed)
    observed = observations(shape, 1000, seed + 100)
    expected = reference_actions(weights, action_max, observed)
    actions = Policy.load(directory).act(observed)
    assert actions.dtype == np.float32 and actions.shape == (1000, shape["A"])
    assert np.abs(actions - expected).max() <= TOLERANCE
    # the check has teeth: the actions spread over most of ±a_max·tanh(1) and differ between observations
    assert np.abs(expected).max() > 0.5 * shape["a_max"] and expected.std() > 0.1 * shape["a_max"]


def test_one_observation_gives_the_same_action_as_in_a_batch(tmp_path):
    directory, weights, action_max = make_export(tmp_path, HUMANOID, 512, 5)
    observed = observations(HUMANOID, 8, 6)
    policy = Policy.load(directory)
    batch = policy.act(observed)
    single = np.stack([policy.act(o) for o in observed])
    assert single.shape == (8, 17)
    assert np.abs(single - batch).max() <= 1e-6
    assert np.abs(single - reference_actions(weights, action_max, observed)).max() <= TOLERANCE


def pytorch_snippet() -> str:
    """The first python block under docs/deploy.md's PyTorch heading, verbatim."""
    text = DEPLOY_MD.read_text()
    section = text[text.index("## Load the actor in PyTorch"):]
    return re.search(r"```python\n(.*?)```", section, re.S).group(1)


def test_the_docs_pytorch_snippet_rebuilds_the_actor_from_safetensors(tmp_path, monkeypatch):
    import torch  # the test venv has the CPU build (scripts/setup-python)
    directory, weights, action_max = make_export(tmp_path, HUMANOID, 512, 7, name="humanoid-policy")
    monkeypatch.chdir(tmp_path)  # the snippet loads "humanoid-policy" from the working directory
    namespace = {}
    exec(compile(pytorch_snippet(), str(DEPLOY_MD), "exec"), namespace)
    assert namespace["action"].shape == (1, 17)
    actor = namespace["load_actor"](os.fspath(directory))
    observed = observations(HUMANOID, 1000, 8)
    with torch.no_grad():
        rebuilt = actor(torch.from_numpy(observed)).numpy()
    assert np.abs(rebuilt - reference_actions(weights, action_max, observed)).max() <= TOLERANCE
    assert np.abs(rebuilt - Policy.load(directory).act(observed)).max() <= TOLERANCE
