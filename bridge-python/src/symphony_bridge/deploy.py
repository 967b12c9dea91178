"""python -I -m symphony_bridge.deploy EXPORT_DIR --adapter module:Class [--episodes N] [--seed S] [--dry-run]

Runs an exported policy on a robot adapter (a symphony_bridge.robot.RobotAdapter), in this process, and prints
the return of every episode. The adapter's own safety stays in charge: it clips every action to its limits, its
watchdog makes the robot safe if actions stop coming, and its emergency stop ends the episode in flight; deploy
then waits until the stop is released at the robot and goes on with the next episode. Ctrl-C (or SIGTERM) makes
the robot safe and exits with 130. The robot is made safe whenever deploy ends.

--dry-run loads everything and computes actions without sending any: the adapter is put in its safe state and
neither reset nor stepped; the policy runs on observations drawn from the adapter's observation space (or read
from --observations FILE) and deploy reports the actions, how many the adapter would clip, and the time per action.

--adapter imports nothing from the working directory: the module comes from the installed packages or from
--adapter-path DIR. Exit codes: 0 done, 2 bad input, 1 failure while running (e.g. the robot sent a NaN), 130
interrupted.
"""
from __future__ import annotations

if __name__ == "__main__":  # a command: import nothing from the working directory (see isolation.py)
    from symphony_bridge.isolation import drop_working_directory
    drop_working_directory()

import argparse
import contextlib
import json
import logging
import os
import signal
import statistics
import sys
import time
from dataclasses import dataclass
from typing import Callable

import numpy as np

from . import protocol as p
from .adapter_loading import AdapterError, load_adapter_class
from .policy import Policy, PolicyError, read_observations
from .protocol import BridgeError
from .robot import RobotAdapter

#: The episode limit when the adapter sets none: the trainer's (docs/algorithm.md §5).
DEFAULT_MAX_STEPS = 1000
ESTOP_POLL = 0.1


class OptionError(ValueError):
    """A command-line option deploy refuses before the robot is touched."""


class DeployError(Exception):
    """A failure while the policy drives the robot; the robot has been made safe."""


@dataclass(frozen=True)
class Episode:
    number: int
    ret: float
    steps: int
    end: str  # terminated, truncated, watchdog, emergency stop, step limit
    clipped: int  # action values the adapter clipped


def check_fit(policy: Policy, adapter: RobotAdapter) -> None:
    """The adapter's observation and action sizes must be the policy's."""
    wanted = {"observation": (policy.observation_size,), "action": (policy.action_size,)}
    found = {"observation": tuple(adapter.observation_space.shape), "action": tuple(adapter.action_space.shape)}
    if wanted != found:
        raise AdapterError(f"{type(adapter).__name__} has observation shape {found['observation']} and action shape "
                           f"{found['action']}; the policy ({policy.info.get('environment', '?')}) needs "
                           f"{wanted['observation']} and {wanted['action']}")


def run(policy: Policy, adapter: RobotAdapter, *, episodes: int, seed: int | None = None,
        max_steps: int | None = None, say: Callable[[str], None] = print,
        record: Callable[[dict], None] | None = None) -> list[Episode]:
    """Runs ``episodes`` episodes; episode i (from 0) resets with seed + i when a seed is given.
    ``record`` receives every step applied: episode, step, the observation acted on, action, reward."""
    limit = max_steps or adapter.max_episode_steps or DEFAULT_MAX_STEPS
    results = []
    for number in range(1, episodes + 1):
        observation = _reset(adapter, None if seed is None else seed + number - 1, say)
        episode = _episode(policy, adapter, observation, number, limit, record)
        results.append(episode)
        say(f"episode {number}/{episodes}: return {episode.ret:.3f}, {episode.steps} steps, {episode.end}"
            + (f", {episode.clipped} action values clipped by the adapter" if episode.clipped else ""))
        if episode.end == "emergency stop" and number < episodes:
            _wait_for_release(adapter, say)
    if len(results) > 1:
        returns = [e.ret for e in results]
        say(f"mean return {statistics.fmean(returns):.3f} ± {statistics.pstdev(returns):.3f} over {len(returns)} "
            f"episodes (min {min(returns):.3f}, max {max(returns):.3f})")
    return results


def _reset(adapter: RobotAdapter, seed: int | None, say) -> np.ndarray:
    while True:
        try:
            observation, _ = adapter.reset(seed=seed)
            return observation
        except BridgeError as e:
            if e.code != p.E_STOPPED:
                raise
            _wait_for_release(adapter, say)


def _episode(policy: Policy, adapter: RobotAdapter, observation, number: int, limit: int, record) -> Episode:
    ret, steps, clipped = 0.0, 0, 0
    while True:
        try:
            action = policy.act(observation)
        except PolicyError as e:
            raise DeployError(f"episode {number}, step {steps + 1}: the robot sent an observation the policy "
                              f"refuses: {e}") from None
        try:
            acted_on = observation
            observation, reward, terminated, truncated, info = adapter.step(action)
        except BridgeError as e:
            if e.code == p.E_STOPPED:
                return Episode(number, ret, steps, "emergency stop", clipped)
            raise
        if info.get("watchdog"):  # the adapter made the robot safe and applied nothing
            return Episode(number, ret, steps, "watchdog", clipped)
        steps += 1
        ret += float(reward)
        if record:
            record({"episode": number, "step": steps, "observation": np.asarray(acted_on, np.float64).tolist(),
                    "action": action.astype(np.float64).tolist(), "reward": float(reward)})
        clipped += int(info.get("clipped", 0))
        if terminated or truncated or steps >= limit:
            end = "terminated" if terminated else "truncated" if truncated else "step limit"
            return Episode(number, ret, steps, end, clipped)


def _wait_for_release(adapter: RobotAdapter, say) -> None:
    say("emergency stop: the robot is in its safe state; waiting until the stop is released at the robot "
        "(Ctrl-C quits)")
    while adapter.stopped:
        time.sleep(ESTOP_POLL)
    say("emergency stop released: continuing")


def dry_run(policy: Policy, adapter: RobotAdapter, observations: np.ndarray | None, *, count: int = 100,
            seed: int | None = None, say: Callable[[str], None] = print) -> np.ndarray:
    """Actions for sampled (or given) observations; the adapter is made safe and never reset or stepped."""
    adapter.safe_state()
    if observations is None:
        adapter.observation_space.seed(seed)
        observations = np.stack([adapter.observation_space.sample() for _ in range(count)])
        source = f"{count} observations sampled from {type(adapter).__name__}'s observation space"
    else:
        source = f"{len(observations)} given observations"
    times, actions = [], []
    for observation in observations:
        start = time.perf_counter()
        actions.append(policy.act(observation))
        times.append(time.perf_counter() - start)
    actions = np.array(actions)
    low, high = adapter.action_space.low, adapter.action_space.high
    clipped = int(np.count_nonzero((actions < low) | (actions > high)))
    say(f"dry run on {source}: nothing was sent, the robot stayed in its safe state")
    say(f"actions from {actions.min():.4f} to {actions.max():.4f}; the adapter's limits are "
        f"[{low.min():.4f}, {high.max():.4f}]; it would clip {clipped} of {actions.size} values")
    say(f"time per action {1e3 * statistics.fmean(times):.3f} ms (max {1e3 * max(times):.3f} ms); the adapter's "
        f"watchdog allows {1e3 * adapter.watchdog_timeout:.0f} ms between actions")
    return actions


def _make_safe(adapter: RobotAdapter | None) -> None:
    if adapter is None:
        return
    # a second Ctrl-C must not cut the way to the safe state
    previous = {stop: signal.signal(stop, signal.SIG_IGN) for stop in (signal.SIGINT, signal.SIGTERM)}
    try:
        adapter.safe_state()
    finally:
        adapter.close()
        for stop, handler in previous.items():
            signal.signal(stop, handler)


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise ValueError(text)
    return value


_positive.__name__ = "positive whole number"  # argparse names the type in its message


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m symphony_bridge.deploy", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("export_dir", metavar="EXPORT_DIR", help="a policy export (./symphony export)")
    parser.add_argument("--adapter", required=True, metavar="module:Class",
                        help="the RobotAdapter subclass, e.g. symphony_bridge.examples.mujoco_robot:MujocoRobot")
    parser.add_argument("--adapter-path", metavar="DIR", help="a directory of your own to import the module from")
    parser.add_argument("--adapter-kwargs", metavar="JSON", default="{}",
                        help="keyword arguments for the adapter's constructor, a JSON object (default {})")
    parser.add_argument("--episodes", type=_positive, default=1, metavar="N", help="episodes to run (default 1)")
    parser.add_argument("--seed", type=int, metavar="S",
                        help="episode i (from 0) resets with seed S+i (default: no seed)")
    parser.add_argument("--max-steps", type=_positive, metavar="N",
                        help=f"steps per episode at most (default: the adapter's limit, else {DEFAULT_MAX_STEPS})")
    parser.add_argument("--threads", type=_positive, default=1, metavar="N",
                        help="onnxruntime intra-op threads (default 1)")
    parser.add_argument("--dry-run", action="store_true", help="compute actions without sending them")
    parser.add_argument("--record", metavar="FILE",
                        help="write every step (episode, step, observation, action, reward) as a JSON line to FILE")
    parser.add_argument("--observations", metavar="FILE",
                        help="with --dry-run: observations to run the policy on (JSON array or .npy)")
    args = parser.parse_args(argv)
    # the adapter's own warnings (watchdog, emergency stop) on stderr, as the bridge commands print them
    logging.basicConfig(level=logging.INFO, stream=sys.stderr, format="%(asctime)s deploy %(levelname)s %(message)s")
    signal.signal(signal.SIGTERM, signal.default_int_handler)  # a service manager's stop: like Ctrl-C
    adapters: list[RobotAdapter] = []  # the one made, once made: it is made safe whatever happens
    try:
        _deploy(args, adapters)
        code, message = 0, None
    except (PolicyError, AdapterError, OptionError) as e:
        code, message = 2, str(e)
    except KeyboardInterrupt:
        code, message = 130, "interrupted"
    except DeployError as e:
        code, message = 1, str(e)
    except Exception as e:  # the adapter failed: say so, with the robot safe
        code, message = 1, f"the adapter failed: {type(e).__name__}: {e}"
    finally:
        for adapter in adapters:
            _make_safe(adapter)
    if message:
        safe = "; the robot was made safe" if adapters else ""
        print(f"symphony_bridge.deploy: {message}{safe}", file=sys.stderr)
    return code


def _deploy(args, adapters: list) -> None:
    try:
        kwargs = json.loads(args.adapter_kwargs)
    except ValueError as e:
        raise OptionError(f"--adapter-kwargs must be a JSON object: {e}") from None
    if not isinstance(kwargs, dict):
        raise OptionError(f"--adapter-kwargs must be a JSON object, got {args.adapter_kwargs}")
    if args.observations and not args.dry_run:
        raise OptionError("--observations goes with --dry-run only")
    if args.record and args.dry_run:
        raise OptionError("--record goes with a real run only (a dry run sends nothing)")
    if args.record and os.path.lexists(args.record):
        raise OptionError(f"--record {args.record} exists; give a new file (a recording is never overwritten)")
    observations = np.atleast_2d(read_observations(args.observations)) if args.observations else None
    policy = Policy.load(args.export_dir, threads=args.threads)
    adapter_class = load_adapter_class(args.adapter, args.adapter_path)
    try:
        adapters.append(adapter_class(**kwargs))
    except TypeError as e:
        raise AdapterError(f"{args.adapter} does not take --adapter-kwargs {args.adapter_kwargs}: {e}") from None
    adapter = adapters[0]
    check_fit(policy, adapter)
    print(f"policy {args.export_dir} ({policy.info.get('environment', '?')}, S {policy.observation_size}, "
          f"A {policy.action_size}) on {args.adapter}", flush=True)
    if args.dry_run:
        dry_run(policy, adapter, observations, seed=args.seed)
        return
    with _recording(args.record) as record:
        run(policy, adapter, episodes=args.episodes, seed=args.seed, max_steps=args.max_steps,
            say=lambda line: print(line, flush=True), record=record)


@contextlib.contextmanager
def _recording(path: str | None):
    """A JSON-lines writer for --record (a new file: an earlier recording is never overwritten), or None."""
    if path is None:
        yield None
        return
    try:
        f = open(path, "x")
    except OSError as e:
        raise OptionError(f"--record {path}: {e.strerror or e} (give a new file)") from None
    with f:
        yield lambda step: f.write(json.dumps(step) + "\n")


if __name__ == "__main__":
    sys.exit(main())
