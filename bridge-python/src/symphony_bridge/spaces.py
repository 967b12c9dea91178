"""What the bridge needs to know of an environment's spaces: flat Box observation and action."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .protocol import BridgeError, E_UNSUPPORTED_SPACE


@dataclass(frozen=True)
class BoxSpec:
    """The flat float32 view of an environment that travels in a ``make`` reply."""

    env_id: str
    observation_low: np.ndarray
    observation_high: np.ndarray
    action_low: np.ndarray
    action_high: np.ndarray
    action_shape: tuple
    max_episode_steps: int

    @property
    def observation_size(self) -> int:
        return self.observation_low.size

    @property
    def action_size(self) -> int:
        return self.action_low.size

    def header(self) -> dict:
        return {"id": self.env_id, "observation_size": self.observation_size, "action_size": self.action_size,
                "max_episode_steps": self.max_episode_steps}

    def arrays(self):
        return self.observation_low, self.observation_high, self.action_low, self.action_high


def box_spec(env_id: str, env) -> BoxSpec:
    """Reads the spaces of ``env``; refuses anything but Box observation and Box action with finite action bounds."""
    from gymnasium import spaces

    obs, act = env.observation_space, env.action_space
    for what, space in (("observation", obs), ("action", act)):
        if not isinstance(space, spaces.Box):
            raise BridgeError(E_UNSUPPORTED_SPACE, f"{env_id}: {what} space is {type(space).__name__} ({space}); "
                                                   f"the bridge serves Box observation and Box action spaces only")
    a_low = np.asarray(act.low, dtype=np.float32).reshape(-1)
    a_high = np.asarray(act.high, dtype=np.float32).reshape(-1)
    if not (np.all(np.isfinite(a_low)) and np.all(np.isfinite(a_high)) and np.all(a_low < a_high)):
        raise BridgeError(E_UNSUPPORTED_SPACE, f"{env_id}: action bounds must be finite with low < high, "
                                               f"got {act.low}..{act.high}")
    spec = getattr(env, "spec", None)
    limit = getattr(spec, "max_episode_steps", None) if spec is not None else None
    return BoxSpec(env_id,
                   np.asarray(obs.low, dtype=np.float32).reshape(-1), np.asarray(obs.high, dtype=np.float32).reshape(-1),
                   a_low, a_high, tuple(act.shape), int(limit or 0))
