"""The random policy's return on Gymnasium's Pendulum-v1, the baseline of LearningTest.

Run: .venv/bin/python runtime/src/test/python/random_pendulum.py
Printed on the development machine (gymnasium 1.x):
uniform random actions, 200 episodes: mean -1233.7 std 281.9 stderr 19.9
"""
import gymnasium as gym
import numpy as np

env = gym.make("Pendulum-v1")
rng = np.random.default_rng(0)
returns = []
for episode in range(200):
    env.reset(seed=1000 + episode)
    total, done = 0.0, False
    while not done:
        _, reward, terminated, truncated, _ = env.step(rng.uniform(-2, 2, size=1).astype(np.float32))
        total += reward
        done = terminated or truncated
    returns.append(total)
returns = np.array(returns)
print(f"uniform random actions, {len(returns)} episodes: mean {returns.mean():.1f} "
      f"std {returns.std():.1f} stderr {returns.std() / np.sqrt(len(returns)):.1f}")
