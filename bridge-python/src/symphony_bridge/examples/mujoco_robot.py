"""A MuJoCo model driven as if it were a robot, to exercise the adapter path end to end without hardware.

It has what a real robot has and a Gymnasium environment lacks: a latency on every command, action limits
of its own (tighter than the model's actuators: the SDK clips to them), a watchdog that zeroes the
motors when commands stop, and an emergency stop (SIGUSR1 presses it, SIGUSR2 releases it).
Run it with a runtime listening for adapters:

    python -m symphony_bridge.examples.mujoco_robot --announce tcp://127.0.0.1:5599
"""
from __future__ import annotations

import argparse
import logging
import signal
import sys
import threading
import time

import gymnasium as gym
import numpy as np
from gymnasium import spaces

from symphony_bridge.__main__ import READY
from symphony_bridge.robot import RobotAdapter, serve_adapter
from symphony_bridge.security import CurveKeys

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
    parser.add_argument("--bind", default="tcp://127.0.0.1:0", help="where the adapter listens (default %(default)s)")
    parser.add_argument("--announce", metavar="REGISTRY", help="the runtime's registry, e.g. tcp://127.0.0.1:5599")
    parser.add_argument("--model", default="InvertedPendulum-v5", help="Gymnasium MuJoCo id whose model is driven")
    parser.add_argument("--latency-ms", type=float, default=2.0, help="delay of every command (default %(default)s)")
    parser.add_argument("--watchdog-ms", type=float, default=500.0, help="deadline for the next action")
    parser.add_argument("--max-episode-steps", type=int, default=1000)
    parser.add_argument("--curve-keys", metavar="FILE", help="serve with CURVE (required for a non-loopback --bind)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, stream=sys.stderr, format="%(asctime)s robot %(levelname)s %(message)s")

    robots = []

    def make(kwargs):
        robot = MujocoRobot(args.model, args.latency_ms / 1000, watchdog_timeout=args.watchdog_ms / 1000,
                            max_episode_steps=args.max_episode_steps)
        robots.append(robot)
        return robot

    def on_all(method):
        # off the signal handler's thread: the main thread may be inside a step, holding the robot's lock
        return lambda *_: threading.Thread(target=lambda: [getattr(r, method)() for r in robots]).start()

    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())  # a polite stop withdraws from the registry
    signal.signal(signal.SIGUSR1, on_all("estop"))        # the emergency-stop button
    signal.signal(signal.SIGUSR2, on_all("clear_estop"))  # released at the robot
    curve = CurveKeys.load(args.curve_keys) if args.curve_keys else None
    serve_adapter(ENV_ID, make, bind=args.bind, announce_to=args.announce, stop=stop, curve=curve,
                  ready=lambda endpoint: print(f"{READY} {endpoint}", flush=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
