"""A MuJoCo model driven as if it were a robot, to exercise the adapter path end to end without hardware.

It has what a real robot has and a Gymnasium environment lacks: a latency on every command, action limits
of its own (tighter than the model's actuators: the SDK clips to them), a watchdog that zeroes the
motors when commands stop, and an emergency stop (SIGUSR1 presses it, SIGUSR2 releases it).
It announces itself to this user's runtimes (~/.symphony/adapters/MujocoRobot-v0.json) while it runs:

    .venv/bin/python -m symphony_bridge.examples.mujoco_robot
"""
from __future__ import annotations

import argparse
import logging
import os
import signal
import sys
import threading
import time

import gymnasium as gym
import numpy as np
from gymnasium import spaces

from symphony_bridge.__main__ import READY
from symphony_bridge.robot import RobotAdapter, serve_adapter
from symphony_bridge.security import CurveKeys, SecurityError

ENV_ID = "MujocoRobot-v0"


class MujocoRobot(RobotAdapter):
    """The MuJoCo model of a Gymnasium environment (InvertedPendulum-v5 by default) behind the robot SDK."""

    def __init__(self, model: str = "InvertedPendulum-v5", latency: float = 0.002, limit_fraction: float = 0.5,
                 watchdog_timeout: float = 0.5, max_episode_steps: int = 1000):
        self.sim = gym.make(model).unwrapped  # the bare MuJoCo env: no time limit, we count steps ourselves
        self.latency = latency
        self.observation_space = self.sim.observation_space
        # the "robot" accepts only part of the actuators' range, as a real one protects its gears
        low, high = self.sim.action_space.low, self.sim.action_space.high
        mid, half = (low + high) / 2, (high - low) / 2 * limit_fraction
        self.action_space = spaces.Box(mid - half, mid + half, dtype=np.float32)
        self.motors_on = False
        super().__init__(watchdog_timeout=watchdog_timeout, max_episode_steps=max_episode_steps)

    def _reset(self, seed):
        obs, info = self.sim.reset(seed=seed)
        self.motors_on = True
        return obs, info

    def _step(self, action):
        time.sleep(self.latency)  # the command travels to the motors
        self.motors_on = True  # after a pause's hold, the next command drives the motors again
        return self.sim.step(action)

    def safe_state(self):
        self.sim.data.ctrl[:] = 0.0  # motors off
        self.motors_on = False

    def close(self):
        super().close()
        self.sim.close()


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m symphony_bridge.examples.mujoco_robot", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--id", default=ENV_ID, help="the environment id it serves and announces (default %(default)s)")
    parser.add_argument("--bind", default="tcp://127.0.0.1:0", help="where the adapter listens (default %(default)s)")
    parser.add_argument("--no-announce", action="store_true", help="serve without announcing to the runtimes")
    parser.add_argument("--model", default="InvertedPendulum-v5",
                        help="Gymnasium MuJoCo id whose model is driven (default %(default)s)")
    parser.add_argument("--latency-ms", type=float, default=2.0, help="delay of every command (default %(default)s)")
    parser.add_argument("--watchdog-ms", type=float, default=500.0,
                        help="deadline for the next action while an episode runs (default %(default)s)")
    parser.add_argument("--max-episode-steps", type=int, default=1000, help="episode limit (default %(default)s)")
    parser.add_argument("--curve-keys", metavar="FILE", help="serve with CURVE (required for a non-loopback --bind)")
    parser.add_argument("--takeover-s", type=float, default=60.0,
                        help="a connection silent this long loses the robot to a new one (default %(default)s)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, stream=sys.stderr, format="%(asctime)s robot %(levelname)s %(message)s")

    robots = []

    def make(kwargs):
        robot = MujocoRobot(args.model, args.latency_ms / 1000, watchdog_timeout=args.watchdog_ms / 1000,
                            max_episode_steps=args.max_episode_steps)
        robots.append(robot)
        logging.getLogger(__name__).info("%s opened (make #%d)", args.id, len(robots))
        return robot

    def on_all(method):
        # off the signal handler's thread: the main thread may be inside a step, holding the robot's lock
        return lambda *_: threading.Thread(target=lambda: [getattr(r, method)() for r in robots]).start()

    def ready(endpoint):
        print(f"{READY} {endpoint}", flush=True)
        print(f"{args.id} serving at {endpoint}" + ("" if args.no_announce else ", announced to your runtimes")
              + f" (pid {os.getpid()}); SIGUSR1 presses the emergency stop, SIGUSR2 releases it", flush=True)

    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())  # a polite stop withdraws the announce
    signal.signal(signal.SIGUSR1, on_all("estop"))        # the emergency-stop button
    signal.signal(signal.SIGUSR2, on_all("clear_estop"))  # released at the robot
    try:
        curve = CurveKeys.load(args.curve_keys) if args.curve_keys else None
        serve_adapter(args.id, make, bind=args.bind, announce=not args.no_announce, stop=stop, curve=curve,
                      ready=ready, takeover_after=args.takeover_s)
    except SecurityError as e:  # AnnounceError too: a bad id, a live adapter with this id, a shadowed id
        print(f"mujoco_robot: {e}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
