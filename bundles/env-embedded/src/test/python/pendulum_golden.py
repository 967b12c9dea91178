"""Writes the golden numbers the Java Pendulum is tested against, using Gymnasium and numpy themselves.

Run from the repository root (rewrites the fixtures next to the Java tests):
    .venv/bin/python bundles/env-embedded/src/test/python/pendulum_golden.py

Fixtures (src/test/resources/pendulum/):
  trajectories.json  episodes started from set states (env.unwrapped.state = ...) under fixed action
                     sequences, including actions outside +-2 and an episode past the 200-step limit.
  seeded_resets.json first observations of reset(seed=s) and of the unseeded resets that follow it,
                     with the exact float64 state, and numpy's SeedSequence/PCG64 words for the same seeds.
"""
import json
import math
import pathlib

import gymnasium as gym
import numpy as np

OUT = pathlib.Path(__file__).resolve().parents[1] / "resources" / "pendulum"


def f32(x):
    return [float(v) for v in np.asarray(x, dtype=np.float32)]


def trajectory(name, g, theta, theta_dot, actions):
    env = gym.make("Pendulum-v1", g=g) if g is not None else gym.make("Pendulum-v1")
    env.reset(seed=0)
    env.unwrapped.state = np.array([theta, theta_dot], dtype=np.float64)
    steps = []
    for u in actions:
        obs, reward, terminated, truncated, _ = env.step(np.array([u], dtype=np.float32))
        steps.append({"observation": f32(obs), "reward": float(reward),
                      "terminated": bool(terminated), "truncated": bool(truncated)})
    env.close()
    return {"name": name, "g": g, "theta": theta, "thetaDot": theta_dot,
            "actions": f32(actions), "steps": steps}


def trajectories():
    rng = np.random.default_rng(20261125)
    # Torques drawn from [-5, 5]: about 60 % of them lie outside the +-2 bound and are clipped.
    wide = rng.uniform(-5.0, 5.0, size=210).astype(np.float32)
    return [
        # 210 steps: the 200th step is truncated; Gymnasium's TimeLimit lets the 10 steps after it run.
        trajectory("wide-torques-past-limit", None, 0.3, -0.5, wide),
        trajectory("hanging-still", None, math.pi, 0.0, np.zeros(20, dtype=np.float32)),
        trajectory("upright-full-torque", None, 0.0, 0.0, np.full(60, 2.0, dtype=np.float32)),
        # Angles far outside [-pi, pi] exercise the reward's angle normalisation; speed hits the +-8 clip.
        trajectory("wound-up-fast", None, 7.5, 7.9, np.full(40, 10.0, dtype=np.float32)),
        trajectory("negative-wound", None, -9.0, -7.99, np.full(40, -3.0, dtype=np.float32)),
        trajectory("low-gravity", 1.62, 2.0, 1.0, wide[:50]),
        trajectory("heavy-gravity", 24.79, -1.0, 0.5, wide[50:100]),
    ]


def seeded_resets():
    seeds = [0, 1, 7, 42, 123, 2**31 - 1, 2**32, 2**63 - 1, 2**63, 2**64 - 1]
    cases = []
    for seed in seeds:
        env = gym.make("Pendulum-v1")
        first = env.reset(seed=seed)[0]
        state = [float(v) for v in env.unwrapped.state]
        continued = [f32(env.reset()[0]) for _ in range(2)]
        env.close()
        sequence = np.random.SeedSequence(seed)
        bits = np.random.PCG64(seed)
        cases.append({
            # Java longs are signed: seeds >= 2^63 appear there as negative numbers.
            "seed": str(seed),
            "javaSeed": str(seed - 2**64 if seed >= 2**63 else seed),
            "pool": [int(w) for w in sequence.pool],
            "pcg64State": [str(w) for w in sequence.generate_state(4, np.uint64)],
            "raw": [str(int(w)) for w in bits.random_raw(3)],
            "state": state,
            "observation": f32(first),
            "continued": continued,
        })
    return cases


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    meta = {"gymnasium": gym.__version__, "numpy": np.__version__}
    (OUT / "trajectories.json").write_text(json.dumps({"generator": meta, "cases": trajectories()}) + "\n")
    (OUT / "seeded_resets.json").write_text(json.dumps({"generator": meta, "cases": seeded_resets()}, indent=1) + "\n")


if __name__ == "__main__":
    main()
