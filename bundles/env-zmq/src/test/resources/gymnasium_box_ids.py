"""Lists, one per line, the ids of the installed Gymnasium that the bridge serves out of the box: the MuJoCo v5
family and the classic-control tasks, made here in-process, kept when both spaces are Box and the action bounds
are finite. Independent of the bridge code: the Java test compares it with GymnasiumEnvironmentFactory.IDS."""
import warnings

import gymnasium as gym
import numpy as np
from gymnasium import spaces

warnings.simplefilter("ignore")
for env_id, spec in sorted(gym.registry.items()):
    entry = str(spec.entry_point)
    mujoco_v5 = entry.startswith("gymnasium.envs.mujoco") and spec.version == 5
    if not (mujoco_v5 or entry.startswith("gymnasium.envs.classic_control")):
        continue
    env = gym.make(env_id)
    box = isinstance(env.observation_space, spaces.Box) and isinstance(env.action_space, spaces.Box)
    if box and np.all(np.isfinite(env.action_space.low)) and np.all(np.isfinite(env.action_space.high)):
        print(env_id)
    env.close()
