"""The environments a server holds and the operations on them (make, reset, step, pause, close).

Every environment belongs to the session that made it: another session gets ``no_such_env`` for its handle.
The operations run on the worker thread of the calling session; the table itself is guarded by a lock, and
an environment is only ever used by its own session's worker (or closed when the server stops).
"""
from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from typing import Any, Callable

import numpy as np

from . import protocol as p
from .protocol import BridgeError
from .spaces import BoxSpec, box_spec

log = logging.getLogger("symphony_bridge")

#: make(env_id, kwargs) -> an object with Gymnasium's Env surface (spaces, reset, step, close; pause if it
#: holds a robot)
Maker = Callable[[str, dict], Any]

#: Options of the trainer that allow what a make request refuses by default (named in refusals).
ALLOW_MODULE_OPTION = "--allow-module"
ENV_KWARG_OPTION = "--env-kwarg"


def make_gymnasium(env_id: str, kwargs: dict):
    """Gymnasium's ``make(id, **kwargs)`` with its failures turned into protocol errors."""
    import gymnasium as gym

    try:
        return gym.make(env_id, **kwargs)
    except (gym.error.UnregisteredEnv, gym.error.DeprecatedEnv) as e:
        raise BridgeError(p.E_UNKNOWN_ENV_ID, f"Gymnasium does not know {env_id!r}: {e}") from None
    except ModuleNotFoundError as e:
        if ":" in env_id:  # the module of a module:Name-vN id (Gymnasium does not keep e.name)
            raise BridgeError(p.E_UNKNOWN_ENV_ID, f"{env_id!r}: its module cannot be imported: {e}") from None
        raise BridgeError(p.E_MAKE_FAILED, f"gymnasium.make({env_id!r}) failed: {type(e).__name__}: {e}") from None
    except Exception as e:  # a missing extra, bad keyword arguments, a broken model file...
        raise BridgeError(p.E_MAKE_FAILED, f"gymnasium.make({env_id!r}, **{kwargs!r}) failed: "
                                           f"{type(e).__name__}: {e}") from None


@dataclass
class ServedEnv:
    handle: int
    env: Any
    spec: BoxSpec
    owner: Any  # the Session that made it
    pausable: bool
    running: bool = False  # an episode is in progress: reset done, no terminated/truncated yet


class Environments:
    """The table of served environments.

    ``single_instance``: at most one environment at a time (a robot: one robot, one connection); a second
    ``make`` gets ``busy``, unless the holder's session has been silent for ``takeover_after`` seconds (its
    client died without closing), in which case the old environment is closed and the new one made.
    """

    def __init__(self, makers: dict[str, Maker], fallback: Maker | None, max_envs: int, *,
                 single_instance: bool = False, takeover_after: float = 60.0):
        self.makers, self.fallback, self.max_envs = makers, fallback, max_envs
        self.single_instance, self.takeover_after = single_instance, takeover_after
        self._lock = threading.Lock()
        self._envs: dict[int, ServedEnv] = {}
        self._making = 0  # makes in progress: they count against the limits too
        self._next_handle = 1

    def __len__(self) -> int:
        return len(self._envs)

    def handles(self) -> list[int]:
        return list(self._envs)

    def owned_by(self, session) -> int:
        return sum(1 for served in list(self._envs.values()) if served.owner is session)

    # ---- operations (one request each; the reply frames, or BridgeError) ----------------------------------

    def make(self, session, header: dict, seq) -> list[bytes]:
        env_id = header.get("id")
        if not isinstance(env_id, str):
            raise BridgeError(p.E_BAD_FIELD, f"'id' must be a string, got {env_id!r}")
        kwargs = header.get("kwargs") or {}
        if not isinstance(kwargs, dict):
            raise BridgeError(p.E_BAD_FIELD, f"'kwargs' must be a JSON object, got {type(kwargs).__name__}")
        self._check_allowed(env_id, kwargs, header.get("allow"))
        maker = self.makers.get(env_id, self.fallback)
        if maker is None:
            raise BridgeError(p.E_UNKNOWN_ENV_ID, f"this server serves {sorted(self.makers)}, not {env_id!r}")
        self._reserve(session)
        try:
            env = maker(env_id, kwargs)
            try:
                spec = box_spec(env_id, env)
            except BridgeError:
                _close_quietly(env)
                raise
            with self._lock:
                served = ServedEnv(self._next_handle, env, spec, session, callable(getattr(env, "pause", None)))
                self._envs[served.handle] = served
                self._next_handle += 1
        finally:
            with self._lock:
                self._making -= 1
        return p.ok_reply({"env": served.handle, "spec": spec.header(), "pausable": served.pausable},
                          spec.arrays(), seq=seq)

    def reset(self, session, header: dict, seq) -> list[bytes]:
        served = self._owned(session, header)
        seed = header.get("seed")
        if seed is not None and (not isinstance(seed, int) or isinstance(seed, bool) or not 0 <= seed < 2 ** 64):
            raise BridgeError(p.E_BAD_FIELD, f"'seed' must be null or an integer in [0, 2^64), got {seed!r}")
        served.running = False
        try:
            obs, info = served.env.reset(seed=seed)
        except BridgeError:
            raise
        except Exception as e:
            raise BridgeError(p.E_ENV_FAILED, f"reset of {served.spec.env_id} failed: {type(e).__name__}: {e}") from None
        reply = self._answer(served, "reset", lambda: p.ok_reply(
            {"info": p.info_to_json(info)}, [self._observation(served, obs)], seq=seq))
        served.running = True
        return reply

    def step(self, session, header: dict, arrays: list[bytes], seq) -> list[bytes]:
        served = self._owned(session, header)
        action = p.decode_floats(arrays[0], "action", served.spec.action_size)
        if not np.isfinite(action).all():
            bad = int(np.flatnonzero(~np.isfinite(action))[0])
            raise BridgeError(p.E_ACTION_NOT_FINITE, f"action[{bad}] is {action[bad]}; every value must be finite")
        if not served.running:
            raise BridgeError(p.E_NOT_RESET, f"environment {served.handle} ({served.spec.env_id}) has no episode "
                                             f"running: reset it first (after terminated or truncated too)")
        try:
            obs, reward, terminated, truncated, info = served.env.step(action.reshape(served.spec.action_shape))
        except BridgeError:
            raise
        except Exception as e:
            served.running = False
            raise BridgeError(p.E_ENV_FAILED, f"step of {served.spec.env_id} failed: {type(e).__name__}: {e}") from None
        terminated, truncated = bool(terminated), bool(truncated)
        # the environment has stepped: from here on the client gets this step's answer or the episode ends
        served.running = False
        reply = self._answer(served, "step", lambda: p.ok_reply(
            {**p.reward_fields(float(reward)), "terminated": terminated, "truncated": truncated,
             "info": p.info_to_json(info)}, [self._observation(served, obs)], seq=seq))
        served.running = not (terminated or truncated)
        return reply

    def pause(self, session, header: dict, seq) -> list[bytes]:
        served = self._owned(session, header)
        reason = header.get("reason", "")
        if not isinstance(reason, str) or len(reason) > 200:
            raise BridgeError(p.E_BAD_FIELD, f"'reason' must be a short string, got {reason!r:.80}")
        if served.pausable:
            try:
                served.env.pause(reason)
            except BridgeError:
                raise
            except Exception as e:
                raise BridgeError(p.E_ENV_FAILED, f"pause of {served.spec.env_id} failed: {type(e).__name__}: {e}") from None
        return p.ok_reply({}, seq=seq)

    def close(self, session, header: dict, seq) -> list[bytes]:
        served = self._owned(session, header)
        with self._lock:
            self._envs.pop(served.handle, None)
        _close_quietly(served.env)
        return p.ok_reply({}, seq=seq)

    def close_all(self) -> None:
        with self._lock:
            served, self._envs = list(self._envs.values()), {}
        for s in served:
            _close_quietly(s.env)

    # ---- helpers ----------------------------------------------------------------------------------------------

    @staticmethod
    def _check_allowed(env_id: str, kwargs: dict, allow) -> None:
        """Refuses what would load code or touch files unless the authenticated client's allow-list names it."""
        match = p.ENV_ID.fullmatch(env_id)
        if match is None:
            raise BridgeError(p.E_UNKNOWN_ENV_ID, f"{env_id!r:.120} is not an environment id: expected Name-vN "
                                                  f"(e.g. Hopper-v5), ASCII letters, digits, '_', '-', '.'")
        if allow is None:
            allow = {}
        if not isinstance(allow, dict):
            raise BridgeError(p.E_BAD_FIELD, "'allow' must be an object {\"modules\": [...], \"kwargs\": [...]}")
        modules, names = allow.get("modules", []), allow.get("kwargs", [])
        for field, value in (("modules", modules), ("kwargs", names)):
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise BridgeError(p.E_BAD_FIELD, f"'allow.{field}' must be a list of strings")
        module = match.group("module")
        if module is not None and module not in modules:
            raise BridgeError(p.E_UNKNOWN_ENV_ID, f"{env_id!r} would import the Python module {module!r}, which "
                                                  f"runs its code; modules are imported only when you allow them: "
                                                  f"{ALLOW_MODULE_OPTION} {module}")
        refused = sorted(k for k in kwargs if k not in names)
        if refused:
            raise BridgeError(p.E_BAD_FIELD, f"keyword argument(s) {', '.join(map(repr, refused))} of {env_id} "
                                             f"refused: keyword arguments reach gymnasium.make only when you give "
                                             f"them yourself: {ENV_KWARG_OPTION} {refused[0]}=VALUE")

    def _reserve(self, session) -> None:
        """Counts a make in progress against the limits; for a single instance, takes over a dead holder."""
        taken = None
        with self._lock:
            if self.single_instance and (self._envs or self._making):
                holder = next(iter(self._envs.values()), None)
                if holder is None:
                    raise BridgeError(p.E_BUSY, f"{self._single_id()} is being opened by another connection: one "
                                                f"robot, one connection")
                if holder.owner is session:
                    raise BridgeError(p.E_BUSY, f"{self._single_id()} is already open on this connection (handle "
                                                f"{holder.handle}): one robot, one environment")
                silent = holder.owner.silent_for()
                if holder.owner.busy or silent < self.takeover_after:
                    raise BridgeError(p.E_BUSY, f"{self._single_id()} is open by another connection (silent for "
                                                f"{silent:.1f} s): one robot, one connection; close it there "
                                                f"first (a connection silent for {self.takeover_after:g} s is "
                                                f"taken over)")
                taken = self._envs.pop(holder.handle)
            elif len(self._envs) + self._making >= self.max_envs:
                raise BridgeError(p.E_TOO_MANY_ENVS, f"this server already holds {len(self._envs)} environments "
                                                     f"(limit {self.max_envs}); close some first")
            self._making += 1
        if taken is not None:
            log.warning("%s: taking over from a connection silent for %.0f s", taken.spec.env_id,
                        taken.owner.silent_for())
            _close_quietly(taken.env)

    def _single_id(self) -> str:
        return ", ".join(sorted(self.makers)) or "the environment"

    def _owned(self, session, header: dict) -> ServedEnv:
        handle = header.get("env")
        if not isinstance(handle, int) or isinstance(handle, bool):
            raise BridgeError(p.E_BAD_FIELD, f"'env' must be an int, got {handle!r:.80}")
        served = self._envs.get(handle)
        if served is None or served.owner is not session:  # another session's handle looks like no handle at all
            raise BridgeError(p.E_NO_SUCH_ENV, f"no environment {handle} on this server for this session (closed, "
                                               f"or the server restarted); make it again")
        return served

    @staticmethod
    def _observation(served: ServedEnv, obs) -> np.ndarray:
        flat = np.ravel(np.asarray(obs, dtype=np.float32))
        if flat.size != served.spec.observation_size:
            raise ValueError(f"the observation has {flat.size} values, the spec says {served.spec.observation_size}")
        return flat

    @staticmethod
    def _answer(served: ServedEnv, what: str, build: Callable[[], list[bytes]]) -> list[bytes]:
        """Builds a reply after the environment acted; if it cannot be encoded, the episode ends with an error."""
        try:
            return build()
        except Exception as e:
            served.running = False
            raise BridgeError(p.E_ENV_FAILED, f"the {what} of {served.spec.env_id} could not be answered "
                                              f"({type(e).__name__}: {e}); the episode is over, reset it") from None


def _close_quietly(env) -> None:
    try:
        env.close()
    except Exception:
        log.exception("closing an environment failed")
