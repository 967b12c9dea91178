"""Gymnasium in-process, without the bridge: the reference the Java bridge tests compare against.

stdin: JSON {"id", "kwargs", "resets": [seed or null, ...], "actions": base64 float32 LE (steps x action_size)}
stdout: JSON {"observation_size", "action_low", "action_high", "max_episode_steps",
              "resets": [base64 obs...], "steps": [{"reward", "terminated", "truncated", "obs"}...]}
The actions are stepped after the last reset, stopping at the first terminated or truncated.
Java longs arrive as unsigned values (as the bridge sends them).
"""
import base64
import json
import sys

import gymnasium as gym
import numpy as np


def b64(array):
    return base64.b64encode(np.asarray(array, dtype="<f4").tobytes()).decode()


request = json.load(sys.stdin)
env = gym.make(request["id"], **request.get("kwargs", {}))
out = {"observation_size": int(np.prod(env.observation_space.shape)),
       "action_low": env.action_space.low.tolist(), "action_high": env.action_space.high.tolist(),
       "max_episode_steps": env.spec.max_episode_steps or 0, "resets": [], "steps": []}
for seed in request.get("resets", []):
    obs, _ = env.reset(seed=seed)
    out["resets"].append(b64(obs))
actions = np.frombuffer(base64.b64decode(request.get("actions", "")), dtype="<f4")
if actions.size:
    actions = actions.reshape(-1, env.action_space.shape[0])
    for action in actions:
        obs, reward, terminated, truncated, _ = env.step(action)
        out["steps"].append({"reward": float(reward), "terminated": bool(terminated), "truncated": bool(truncated),
                             "obs": b64(obs)})
        if terminated or truncated:
            break
json.dump(out, sys.stdout)
