"""The in-process half of the bridge benchmark: the same steps as the Java half, without the bridge.

argv: env id, actions file (raw little-endian float32, steps x action_size), episode seed base, repeats.
Episode k is reset with seed base + k; the actions are taken in order, resetting when an episode ends,
exactly as BridgeBenchmark does, so both sides do the same simulation work. Prints one JSON line with
the best and median seconds of the step loop (resets included, as on the Java side) and the CPU
seconds of the best run.
"""
import json
import statistics
import sys
import time

import gymnasium as gym
import numpy as np

env_id, actions_file, seed_base, repeats = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
env = gym.make(env_id)
actions = np.fromfile(actions_file, dtype="<f4").reshape(-1, env.action_space.shape[0])
times, cpu = [], []
for _ in range(repeats):
    episode = 0
    env.reset(seed=seed_base + episode)
    start, start_cpu = time.perf_counter(), time.process_time()
    for action in actions:
        _, _, terminated, truncated, _ = env.step(action)
        if terminated or truncated:
            episode += 1
            env.reset(seed=seed_base + episode)
    times.append(time.perf_counter() - start)
    cpu.append(time.process_time() - start_cpu)
print(json.dumps({"best_s": min(times), "median_s": statistics.median(times), "cpu_s": cpu[times.index(min(times))],
                  "episodes": episode}))
