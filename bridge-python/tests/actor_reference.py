"""An independent float64 actor and synthetic hand-offs, for the export tests.

The forward pass is written from docs/algorithm.md §2 alone, in numpy float64, without any code of the
exporter: FeedForward = Linear → LayerNorm(ε) → Linear → ReSine → Linear; x = tanh(y/2) split into A | σ | β;
the deterministic action is a_max · tanh(|σ| · A).
"""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np

#: Hidden width of each preset (bundles/presets: S3, SE, S2 and S~2 derive h = N_rb / 1000 = 512 — S2's
#: 20,480 × 25 is S3's 10,240 × 50 — and ED fixes h = 384).
PRESET_HIDDEN = {"S3": 512, "SE": 512, "S2": 512, "S~2": 512, "ED": 384}

#: Environment shapes: Pendulum-v1 (S 3, A 1, torque ±2 → a_max 2) and Humanoid-v5 (S 348, A 17, ±0.4 → a_max 1).
PENDULUM = dict(env="Pendulum-v1", S=3, A=1, a_max=2.0, low=[-1.0, -1.0, -8.0], high=[1.0, 1.0, 8.0],
                action_low=-2.0, action_high=2.0)
HUMANOID = dict(env="Humanoid-v5", S=348, A=17, a_max=1.0, low=[-np.inf] * 348, high=[np.inf] * 348,
                action_low=-0.4, action_high=0.4)
NAMES = ("w1", "b1", "gamma", "beta", "w2", "b2", "s", "w3", "b3")


def random_weights(S: int, A: int, h: int, seed: int) -> dict[str, np.ndarray]:
    """float32 weights a bit wider than PyTorch's initial ones, so every nonlinearity is exercised."""
    rng = np.random.default_rng(seed)

    def uniform(shape, fan_in, scale=2.0):
        return (rng.uniform(-1, 1, shape) * scale / np.sqrt(fan_in)).astype(np.float32)

    return {"w1": uniform((h, S), S), "b1": uniform((h,), S),
            "gamma": (1 + 0.3 * rng.standard_normal(h)).astype(np.float32),
            "beta": (0.2 * rng.standard_normal(h)).astype(np.float32),
            "w2": uniform((h, h), h), "b2": uniform((h,), h), "s": rng.uniform(-1, 1, h).astype(np.float32),
            "w3": uniform((3 * A, h), h, 12.0), "b3": uniform((3 * A,), h)}


def reference_actions(weights: dict, action_max, observations, epsilon: float = 1e-5) -> np.ndarray:
    """a_max · tanh(|σ| · A) in float64, for observations (B, S)."""
    p = {name: np.asarray(weights[name], np.float64) for name in NAMES}
    x = np.asarray(observations, np.float64)
    y = x @ p["w1"].T + p["b1"]
    mean = y.mean(axis=1, keepdims=True)
    variance = ((y - mean) ** 2).mean(axis=1, keepdims=True)
    y = (y - mean) / np.sqrt(variance + epsilon) * p["gamma"] + p["beta"]
    y = y @ p["w2"].T + p["b2"]
    sigma = 1 / (1 + np.exp(-p["s"]))
    f = sigma * np.sin(y / sigma)
    y = f / (1 + np.exp(-1.5 * f / sigma))
    y = y @ p["w3"].T + p["b3"]
    squashed = np.tanh(y / 2)
    a = squashed.shape[1] // 3
    strength, scale = squashed[:, :a], np.abs(squashed[:, a:2 * a])
    return np.asarray(action_max, np.float64) * np.tanh(scale * strength)


def observations(shape: dict, count: int, seed: int) -> np.ndarray:
    """float32 observations: inside the bounds, exactly at them, and beyond them (up to 1,000 times)."""
    rng = np.random.default_rng(seed)
    S = shape["S"]
    low, high = np.array(shape["low"]), np.array(shape["high"])
    low, high = np.where(np.isfinite(low), low, -10.0), np.where(np.isfinite(high), high, 10.0)  # Humanoid's ±inf
    quarter = count // 4
    inside = rng.uniform(low, high, (quarter, S))
    at_bounds = np.where(rng.random((quarter, S)) < 0.5, low, high)
    beyond = at_bounds * rng.uniform(1.0, 10.0, (quarter, S))
    far = np.where(rng.random((count - 3 * quarter, S)) < 0.5, low, high) * \
        10.0 ** rng.uniform(1, 3, (count - 3 * quarter, S))
    return np.concatenate([inside, at_bounds, beyond, far]).astype(np.float32)


def policy_section(shape: dict, preset: str = "S3") -> dict:
    return {"environment": shape["env"], "run_id": "synthetic", "checkpoint_step": 5000, "evaluation_return": -1.5,
            "preset": preset,
            "observation_space": {"shape": [shape["S"]], "low": list(shape["low"]), "high": list(shape["high"])},
            "action_space": {"shape": [shape["A"]], "low": [shape["action_low"]] * shape["A"],
                             "high": [shape["action_high"]] * shape["A"]},
            "action_max": [shape["a_max"]] * shape["A"]}


def handoff_document(weights: dict, action_max, policy: dict, epsilon: float = 1e-5) -> dict:
    """The hand-off as the Java command writes it; tensor data as placeholders for ``handoff_text``."""
    S, A, h = weights["w1"].shape[1], weights["w3"].shape[0] // 3, weights["w1"].shape[0]
    return {"format": 1,
            "actor": {"observation_size": S, "action_size": A, "hidden": h, "layer_norm_epsilon": epsilon,
                      "action_max": [float(v) for v in np.asarray(action_max, np.float32)],
                      "tensors": {name: {"shape": list(weights[name].shape), "data": f"@{name}@"}
                                  for name in NAMES}},
            "policy": policy}


def handoff_text(document: dict, weights: dict) -> str:
    """JSON with each float32 written as its shortest decimal, as Java's Float.toString does."""
    text = json.dumps(document)
    for name, array in weights.items():
        values = ",".join(str(v) for v in np.asarray(array, np.float32).reshape(-1))
        text = text.replace(f'"@{name}@"', f"[{values}]")
    return text


def write_handoff(path: Path, shape: dict, h: int, seed: int, preset: str = "S3",
                  weights: dict | None = None) -> tuple[dict, np.ndarray]:
    """A synthetic hand-off for ``shape`` and hidden width ``h`` (random weights unless given); returns its
    weights and a_max."""
    weights = weights or random_weights(shape["S"], shape["A"], h, seed)
    action_max = np.full(shape["A"], shape["a_max"], np.float32)
    document = handoff_document(weights, action_max, policy_section(shape, preset))
    Path(path).write_text(handoff_text(document, weights))
    return weights, action_max
