"""A policy export on any computer with numpy and onnxruntime: no torch, no Java, no Gymnasium.

    from symphony_bridge.policy import Policy
    policy = Policy.load("humanoid-policy")
    action = policy.act(observation)        # (S,) → (A,), or (batch, S) → (batch, A); float32

``Policy.load`` refuses an export another user could have changed (file_trust.py) and a policy.onnx whose SHA-256
is not the one policy.json records. ``act`` checks each observation's shape and finiteness; values beyond the
observation bounds are allowed, as ``symphony eval`` allows them. onnxruntime runs on one thread unless told
otherwise: a batch-1 actor gains little from more, and the robot's own processes keep the other cores.

As a command, for scripts and cross-checks (e.g. against Java's act(EVALUATE)):

    python -I -m symphony_bridge.policy EXPORT_DIR OBSERVATIONS.json|.npy

prints the actions as JSON (one list per observation; each value the float32 exactly). Exit 2 on bad input.
"""
from __future__ import annotations

if __name__ == "__main__":  # a command: import nothing from the working directory (see isolation.py)
    from symphony_bridge.isolation import drop_working_directory
    drop_working_directory()

import argparse
import hashlib
import json
import sys
from pathlib import Path

import numpy as np

try:
    import onnxruntime
except ImportError as e:
    raise ImportError(f"symphony_bridge.policy needs onnxruntime: pip install 'symphony-bridge[deploy]' ({e})") from e

from .export_format import FORMAT, INPUT, OUTPUT, POLICY_JSON, POLICY_ONNX
from .file_trust import untrusted_reason


class PolicyError(ValueError):
    """An export or an observation the policy refuses; the message says which and why."""


class Policy:
    """The deterministic policy of an export, run by onnxruntime."""

    def __init__(self, directory: Path, info: dict, session: onnxruntime.InferenceSession):
        self.directory = directory
        self.info = info  # policy.json
        self.observation_size = int(info["actor"]["observation_size"])
        self.action_size = int(info["actor"]["action_size"])
        self.action_max = np.array(info["actor"]["action_max"], np.float32)
        self._session = session

    @classmethod
    def load(cls, export_dir, *, threads: int = 1) -> "Policy":
        directory = Path(export_dir)
        if isinstance(threads, bool) or not isinstance(threads, int) or threads < 1:
            raise PolicyError(f"threads must be a whole number of at least 1, got {threads!r}")
        if not directory.is_dir():
            raise PolicyError(f"{directory} is not a directory; expected an export holding {POLICY_JSON} and "
                              f"{POLICY_ONNX} (made by ./symphony export)")
        _refuse_untrusted(directory)
        info = _read_info(directory / POLICY_JSON)
        model = _read_verified_model(directory / POLICY_ONNX, info)
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        options.execution_mode = onnxruntime.ExecutionMode.ORT_SEQUENTIAL
        try:
            session = onnxruntime.InferenceSession(model, options, providers=["CPUExecutionProvider"])
        except Exception as e:  # onnxruntime raises its own exception types, all meaning "cannot run this file"
            raise PolicyError(f"{directory / POLICY_ONNX}: onnxruntime {onnxruntime.__version__} cannot run it: "
                              f"{e}") from None
        policy = cls(directory, info, session)
        policy._check_signature()
        return policy

    def act(self, observation) -> np.ndarray:
        """The action for one observation (S,), or actions for a batch (B, S); float32."""
        try:
            x = np.asarray(observation)
        except ValueError as e:  # ragged nested lists
            raise PolicyError(f"the observation is not an array of numbers: {e}") from None
        if x.dtype.kind not in "fiu":
            raise PolicyError(f"the observation must hold numbers, got an array of {x.dtype}")
        if x.ndim not in (1, 2) or x.shape[-1] != self.observation_size:
            raise PolicyError(f"the observation has shape {x.shape}; this policy takes ({self.observation_size},) "
                              f"or (batch, {self.observation_size})")
        with np.errstate(over="ignore"):  # beyond float32's range: infinite, refused below
            batch = np.ascontiguousarray(x, dtype=np.float32).reshape(-1, self.observation_size)
        bad = np.argwhere(~np.isfinite(batch))
        if bad.size:
            row, column = (int(i) for i in bad[0])
            where = f"[{column}]" if x.ndim == 1 else f"[{row}, {column}]"
            value = x[column] if x.ndim == 1 else x[row, column]
            limit = "" if not np.isfinite(value) else " as float32 (beyond ±3.4e38)"
            raise PolicyError(f"observation{where} is {value}, not finite{limit}; {len(bad)} such value(s)")
        actions = self._session.run([OUTPUT], {INPUT: batch})[0]
        return actions[0] if x.ndim == 1 else actions

    __call__ = act

    def _check_signature(self) -> None:
        inputs, outputs = self._session.get_inputs(), self._session.get_outputs()
        signature = [(i.name, i.shape[-1]) for i in inputs], [(o.name, o.shape[-1]) for o in outputs]
        expected = [(INPUT, self.observation_size)], [(OUTPUT, self.action_size)]
        if signature != expected:
            raise PolicyError(f"{self.directory / POLICY_ONNX} takes {signature[0]} and gives {signature[1]}; "
                              f"{POLICY_JSON} says {expected[0]} → {expected[1]}")


def _refuse_untrusted(directory: Path) -> None:
    for path in (directory, directory / POLICY_JSON, directory / POLICY_ONNX):
        try:
            reason = untrusted_reason(str(path))
        except FileNotFoundError:
            raise PolicyError(f"{path} is missing; {directory} is not a complete export") from None
        if reason:
            raise PolicyError(f"refusing the export: {reason} (another user could change what the policy does)")


def _read_info(path: Path) -> dict:
    try:
        info = json.loads(path.read_bytes())
        actor, onnx = info["actor"], info["onnx"]
        valid = (info["format"] == FORMAT and isinstance(onnx["sha256"], str)
                 and all(isinstance(actor[k], int) and actor[k] > 0 for k in ("observation_size", "action_size"))
                 and len(actor["action_max"]) == actor["action_size"])
    except (OSError, ValueError, KeyError, TypeError) as e:
        raise PolicyError(f"{path} cannot be read as an export's {POLICY_JSON}: {e}") from None
    if not valid:
        raise PolicyError(f"{path}: format {info.get('format')!r} or its actor/onnx sections are not what this "
                          f"loader reads (format {FORMAT})")
    return info


def _read_verified_model(path: Path, info: dict) -> bytes:
    """policy.onnx's bytes, once, so that the bytes checked are the bytes run."""
    try:
        model = path.read_bytes()
    except OSError as e:
        raise PolicyError(f"cannot read {path}: {e.strerror or e}") from None
    digest = hashlib.sha256(model).hexdigest()
    if digest != info["onnx"]["sha256"]:
        raise PolicyError(f"{path} has SHA-256 {digest}, {POLICY_JSON} records {info['onnx']['sha256']}: the file "
                          f"was changed or damaged after the export; export it again")
    return model


def read_observations(path: str) -> np.ndarray:
    """Observations from a JSON array (one observation or a list of them) or a .npy file."""
    try:
        if path.endswith(".npy"):
            return np.load(path, allow_pickle=False)
        with open(path, "rb") as f:
            return np.array(json.load(f), dtype=np.float64)
    except (OSError, ValueError) as e:
        raise PolicyError(f"cannot read observations from {path}: {e}") from None


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m symphony_bridge.policy", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("export_dir", metavar="EXPORT_DIR")
    parser.add_argument("observations", metavar="OBSERVATIONS",
                        help="a JSON array of observations (or one observation), or a .npy file")
    parser.add_argument("--threads", type=int, default=1, metavar="N", help="onnxruntime intra-op threads (default 1)")
    args = parser.parse_args(argv)
    try:
        policy = Policy.load(args.export_dir, threads=args.threads)
        actions = policy.act(read_observations(args.observations))
    except PolicyError as e:
        print(f"symphony_bridge.policy: {e}", file=sys.stderr)
        return 2
    json.dump(actions.astype(np.float64).tolist(), sys.stdout)  # float64 holds each float32 exactly
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
