"""Robot-adapter SDK: put a robot (or anything with a Box observation and action) behind the bridge.

Subclass RobotAdapter, implement ``_reset``, ``_step`` and ``safe_state``, and run ``serve_adapter`` with
``announce_to`` the runtime's registry: the runtime then shows the robot as an Environment service, without
any Java code. The base class adds the safety the robot needs whoever drives it:

- action clipping to the declared limits (the wire carries any finite float);
- a watchdog: while an episode runs, if no action arrives within ``watchdog_timeout`` seconds, ``safe_state``
  is called (from the watchdog's thread) and the episode ends: the next step reports ``truncated`` with
  ``info["watchdog"] = True`` and applies nothing;
- an emergency stop: ``estop()`` (any thread) calls ``safe_state`` and refuses resets and steps with the
  ``emergency_stop`` error until ``clear_estop()`` is called on the robot's side; a client cannot clear it.
"""
from __future__ import annotations

import logging
import threading
import time
from typing import Callable

import numpy as np
import zmq
from gymnasium import spaces

from . import PROTOCOL_VERSION
from . import protocol as p
from .protocol import BridgeError
from .security import CurveKeys
from .server import BridgeServer

log = logging.getLogger("symphony_bridge.robot")


class RobotAdapter:
    """Gymnasium's Env surface (spaces, reset, step, close) plus the safety hooks.

    Subclasses set ``observation_space`` and ``action_space`` (Box) in ``__init__``, before calling
    ``super().__init__``, and implement the three hooks below.
    """

    observation_space: spaces.Box
    action_space: spaces.Box

    def __init__(self, watchdog_timeout: float = 0.5, max_episode_steps: int = 0):
        self.watchdog_timeout = watchdog_timeout
        self.max_episode_steps = max_episode_steps
        self.spec = _Spec(max_episode_steps)
        self.safe_states = 0  # how often safe_state was called, for logs and tests
        self._lock = threading.Lock()  # the watchdog and estop run on other threads than step
        self._running = False
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

    # ---- Gymnasium surface, with the safety around it ----------------------------------------------------

    def reset(self, *, seed: int | None = None, options: dict | None = None):
        with self._lock:
            self._refuse_if_stopped()
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

    def estop(self) -> None:
        """Emergency stop: safe state now, and nothing moves until clear_estop()."""
        self._stopped = True
        self._make_safe("emergency stop")
        with self._lock:
            self._running = False

    def clear_estop(self) -> None:
        self._stopped = False

    @property
    def stopped(self) -> bool:
        return self._stopped

    def close(self) -> None:
        self._closed.set()
        if self._running:
            self._make_safe("closed mid-episode")
            self._running = False

    def _refuse_if_stopped(self) -> None:
        if self._stopped:
            raise BridgeError(p.E_STOPPED, f"{type(self).__name__} is in emergency stop; it must be cleared at the robot")

    def _watch(self) -> None:
        period = max(self.watchdog_timeout / 5, 0.005)
        while not self._closed.wait(period):
            if not self._lock.acquire(timeout=period):
                continue  # a step is in progress: actions are arriving
            try:
                late = self._running and not self._tripped and \
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


class Announcer:
    """Keeps an adapter registered with a runtime's registry: announce every ``period``, withdraw at stop.

    A missing registry is not an error: announcing goes on until the runtime appears.
    """

    def __init__(self, registry: str, env_id: str, endpoint: str, *, period: float = 1.0,
                 server_key: bytes | None = None):
        self.registry, self.env_id, self.endpoint, self.period = registry, env_id, endpoint, period
        self.server_key = server_key  # our CURVE public key, told to the runtime so it can connect to us
        self.acknowledged = threading.Event()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True, name=f"announce-{env_id}")

    def start(self) -> "Announcer":
        self._thread.start()
        return self

    def _request(self, op: str, timeout_ms: int) -> dict | None:
        socket = zmq.Context.instance().socket(zmq.REQ)  # a fresh socket per request: a lost reply never blocks us
        socket.linger = 0
        try:
            socket.connect(self.registry)  # the registry is loopback only (PROTOCOL.md): no CURVE here
            header = {"v": PROTOCOL_VERSION, "op": op, "id": self.env_id, "endpoint": self.endpoint}
            if self.server_key is not None:
                header["curve_key"] = self.server_key.decode()
            socket.send(p.encode_header(header))
            if not socket.poll(timeout_ms):
                return None
            return p.decode_header(socket.recv())
        finally:
            socket.close(linger=0)

    def _run(self) -> None:
        while not self._stop.is_set():
            reply = self._request("announce", int(self.period * 1000))
            if reply is not None and reply.get("ok"):
                self.acknowledged.set()
            elif reply is not None:
                log.error("the registry refused %s: %s", self.env_id, reply.get("error"))
            self._stop.wait(self.period)

    def stop(self) -> None:
        """Stops announcing and tells the registry at once that the adapter is gone."""
        self._stop.set()
        self._thread.join(self.period + 2)
        self._request("withdraw", 1000)


def serve_adapter(env_id: str, make: Callable[[dict], RobotAdapter], *, bind: str = "tcp://127.0.0.1:0",
                  announce_to: str | None = None, curve: CurveKeys | None = None,
                  stop: threading.Event | None = None, ready: Callable[[str], None] | None = None) -> None:
    """Serves ``make(kwargs)`` as environment ``env_id`` until ``stop`` is set (or Ctrl-C), announced if asked."""
    server = BridgeServer(bind, makers={env_id: lambda _id, kwargs: make(kwargs)}, fallback=None, curve=curve)
    if ready:
        ready(server.endpoint)
    announcer = None
    if announce_to:
        announcer = Announcer(announce_to, env_id, server.endpoint,
                              server_key=curve.public if curve is not None else None).start()
    stop = stop or threading.Event()
    watcher = threading.Thread(target=lambda: (stop.wait(), server.stop()), daemon=True)
    watcher.start()
    try:
        server.serve()
    except KeyboardInterrupt:
        pass
    finally:
        if announcer:
            announcer.stop()
        server.close()
