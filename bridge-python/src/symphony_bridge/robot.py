"""Robot-adapter SDK: put a robot (or anything with a Box observation and action) behind the bridge.

Subclass RobotAdapter, implement ``_reset``, ``_step`` and ``safe_state``, and run ``serve_adapter``: it
announces the robot to this user's runtimes, which then offer it as an environment by its id, without any
Java code (docs/robots.md). The base class adds the safety the robot needs whoever drives it:

- action clipping to the declared limits (the wire carries any finite float);
- a watchdog: while an episode runs, if no action arrives within ``watchdog_timeout`` seconds (default 0.5),
  ``safe_state`` is called (from the watchdog's thread) and the episode ends: the next step reports
  ``truncated`` with ``info["watchdog"] = True`` and applies nothing;
- pauses: the runtime says when it stops stepping on purpose (learning updates, evaluation, a checkpoint);
  ``hold()`` (default: ``safe_state``) is called quietly, no fault, and the watchdog waits until the next step
  or reset, which go on normally;
- an emergency stop: ``estop()`` (any thread) calls ``safe_state`` and refuses resets and steps with the
  ``emergency_stop`` error until ``clear_estop()`` is called on the robot's side; a client cannot clear it.
"""
from __future__ import annotations

import logging
import threading
import time
from pathlib import Path
from typing import Callable

import numpy as np
from gymnasium import spaces

from . import protocol as p
from .announce import Announcement, AnnounceError, check_adapter_id
from .protocol import BridgeError
from .security import CurveKeys
from .server import BridgeServer
from .userdir import user_secret

log = logging.getLogger("symphony_bridge.robot")


class RobotAdapter:
    """Gymnasium's Env surface (spaces, reset, step, close) plus the safety hooks.

    Subclasses set ``observation_space`` and ``action_space`` (Box) in ``__init__``, before calling
    ``super().__init__``, and implement ``_reset``, ``_step`` and ``safe_state`` (``hold`` is optional).
    """

    observation_space: spaces.Box
    action_space: spaces.Box

    def __init__(self, watchdog_timeout: float = 0.5, max_episode_steps: int = 0):
        self.watchdog_timeout = watchdog_timeout
        self.max_episode_steps = max_episode_steps
        self.spec = _Spec(max_episode_steps)
        self.safe_states = 0  # how often safe_state was called for a fault (watchdog, stop, mid-episode close)
        self.holds = 0  # how often the robot held still for a pause (not a fault)
        self._lock = threading.Lock()  # the watchdog and estop run on other threads than step
        self._running = False
        self._paused = False
        self._tripped = False
        self._stopped = False
        self._steps = 0
        self._last_action = time.monotonic()
        self._last_observation = None
        self._closed = threading.Event()
        self._watchdog = threading.Thread(target=self._watch, daemon=True, name=f"{type(self).__name__}-watchdog")
        self._watchdog.start()

    # ---- hooks a robot implements ---------------------------------------------------------------------

    def _reset(self, seed: int | None) -> tuple[np.ndarray, dict]:
        """Brings the robot to a start state; returns the first observation and an info dict."""
        raise NotImplementedError

    def _step(self, action: np.ndarray) -> tuple[np.ndarray, float, bool, bool, dict]:
        """Applies a clipped action; returns observation, reward, terminated, truncated, info."""
        raise NotImplementedError

    def safe_state(self) -> None:
        """Makes the robot safe now (zero torques, brakes on...). Called from any thread; must be quick."""
        raise NotImplementedError

    def hold(self) -> None:
        """Holds the robot still while the runtime pauses on purpose; the next step or reset moves it again.
        Default: ``safe_state()``. A robot that can hold its pose (position control) may do that instead."""
        self.safe_state()

    # ---- Gymnasium surface, with the safety around it ----------------------------------------------------

    def reset(self, *, seed: int | None = None, options: dict | None = None):
        with self._lock:
            self._refuse_if_stopped()
            self._paused = False
            obs, info = self._reset(seed)
            self._running, self._tripped, self._steps = True, False, 0
            self._last_action = time.monotonic()
            self._last_observation = obs
            return obs, info

    def step(self, action):
        with self._lock:
            self._refuse_if_stopped()
            if self._tripped:  # the watchdog made the robot safe: the episode is over, apply nothing
                self._running = False
                return self._last_observation, 0.0, False, True, {"watchdog": True}
            self._paused = False  # the pause ends here: this action is applied as any other
            self._last_action = time.monotonic()
            low, high = self.action_space.low, self.action_space.high
            clipped = np.clip(np.asarray(action, dtype=self.action_space.dtype), low, high)
            obs, reward, terminated, truncated, info = self._step(clipped)
            info = dict(info, clipped=int(np.count_nonzero(clipped != np.asarray(action, dtype=clipped.dtype))))
            self._steps += 1
            if self.max_episode_steps and self._steps >= self.max_episode_steps:
                truncated = True
            self._running = not (terminated or truncated)
            self._last_observation = obs
            self._last_action = time.monotonic()  # a slow step must not count against the next action's deadline
            return obs, reward, terminated, truncated, info

    def pause(self, reason: str = "") -> None:
        """The runtime stops stepping for a while on purpose: hold still, quietly; the watchdog waits."""
        with self._lock:
            if not self._running or self._paused or self._tripped or self._stopped:
                return
            self._paused = True
            self.holds += 1
            log.debug("%s: holding for a pause (%s)", type(self).__name__, reason or "no reason given")
            self.hold()

    @property
    def paused(self) -> bool:
        return self._paused

    def estop(self) -> None:
        """Emergency stop: safe state now, and nothing moves until clear_estop()."""
        self._stopped = True
        self._make_safe("emergency stop")
        with self._lock:
            self._running = False
            self._paused = False

    def clear_estop(self) -> None:
        self._stopped = False

    @property
    def stopped(self) -> bool:
        return self._stopped

    def close(self) -> None:
        """Leaves the robot safe; a warning (and a fault counted) only if it was moving: an episode running,
        neither paused nor tripped. Closing while paused or between episodes is a clean close."""
        self._closed.set()
        with self._lock:
            moving = self._running and not self._paused and not self._tripped
            self._running = self._paused = False
        if moving:
            self._make_safe("closed mid-episode")
        else:
            self.safe_state()

    def _refuse_if_stopped(self) -> None:
        if self._stopped:
            raise BridgeError(p.E_STOPPED, f"{type(self).__name__} is in emergency stop; it must be cleared at the robot")

    def _watch(self) -> None:
        period = max(self.watchdog_timeout / 5, 0.005)
        while not self._closed.wait(period):
            if not self._lock.acquire(timeout=period):
                continue  # a step is in progress: actions are arriving
            try:
                late = self._running and not self._tripped and not self._paused and \
                    time.monotonic() - self._last_action > self.watchdog_timeout
                if late:
                    self._tripped = True
            finally:
                self._lock.release()
            if late:
                self._make_safe(f"no action for {self.watchdog_timeout} s")

    def _make_safe(self, why: str) -> None:
        log.warning("%s: safe state (%s)", type(self).__name__, why)
        self.safe_states += 1
        self.safe_state()


class _Spec:
    """The part of gymnasium's EnvSpec the server reads."""

    def __init__(self, max_episode_steps: int):
        self.max_episode_steps = max_episode_steps or None


def serve_adapter(env_id: str, make: Callable[[dict], RobotAdapter], *, bind: str = "tcp://127.0.0.1:0",
                  announce: bool = True, announce_endpoint: str | None = None, curve: CurveKeys | None = None,
                  stop: threading.Event | None = None, ready: Callable[[str], None] | None = None,
                  allow_shadow: bool = False, key: bytes | None = None, user_directory: Path | None = None,
                  takeover_after: float = 60.0) -> None:
    """Serves ``make(kwargs)`` as environment ``env_id`` until ``stop`` is set (or Ctrl-C).

    Clients must prove they hold ``key`` (default: the per-user key, ``~/.symphony/secret``). One environment
    at a time: a second make while one is open gets ``busy`` (a connection silent for ``takeover_after``
    seconds is taken over: its client died). With ``announce``, the adapter is announced to this user's
    runtimes (``adapters/<id>.json``) at ``announce_endpoint`` (default: where it listens).
    An id that Gymnasium knows (e.g. Hopper-v5) is refused unless ``allow_shadow``.
    """
    check_adapter_id(env_id)
    if not allow_shadow:
        refuse_shadowing(env_id)
    server = BridgeServer(bind, key=key or user_secret(user_directory), fallback=None, curve=curve,
                          makers={env_id: lambda _id, kwargs: make(kwargs)}, single_instance=True,
                          takeover_after=takeover_after)
    announcement = None
    try:
        if announce:
            announcement = Announcement(env_id, announce_endpoint or server.endpoint, directory=user_directory,
                                        curve_key=curve.public.decode() if curve is not None else None).publish()
        if ready:
            ready(server.endpoint)
        stop = stop or threading.Event()
        threading.Thread(target=lambda: (stop.wait(), server.stop()), daemon=True, name="adapter-stop").start()
        try:
            server.serve()
        except KeyboardInterrupt:
            pass
    finally:
        if announcement is not None:
            announcement.withdraw()
        server.close()


def refuse_shadowing(env_id: str) -> None:
    """Refuses an adapter id that Gymnasium knows (the same id, or the same name with another version)."""
    import gymnasium

    name = env_id.rsplit("-v", 1)[0]
    known = sorted(spec.id for spec in gymnasium.registry.values() if spec.id == env_id or spec.name == name)
    if known:
        raise AnnounceError(f"{env_id} would shadow Gymnasium's {', '.join(known)}: give the robot its own name "
                            f"(e.g. My{name}-v0), or pass allow_shadow=True (the runtime also refuses it unless "
                            f"its property symphony.registry.shadow names {env_id})")
