"""python -m symphony_bridge.export HANDOFF.json --out DIR [--force]

Turns the hand-off file written by ``./symphony export`` into a policy export (docs/deploy.md):

  policy.onnx        the deterministic policy: observation float32 [batch, S] → action float32 [batch, A]
  actor.safetensors  the actor's weights (actor.w1 … actor.b3, actor.action_max)
  policy.json        the hand-off's policy section, the actor's sizes, the ONNX opset, SHA-256 and size of each file

DIR appears complete or not at all: the files are written into a temporary directory beside it, which is renamed
into place. An existing DIR is refused unless --force, which replaces only a previous export.
Exit codes: 0 done, 2 bad input (hand-off, --out), 1 failure while writing, 130 interrupted.
"""
from __future__ import annotations

if __name__ == "__main__":  # a command: import nothing from the working directory (see isolation.py)
    from symphony_bridge.isolation import drop_working_directory
    drop_working_directory()

import argparse
import hashlib
import json
import os
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

try:
    from safetensors.numpy import save as safetensors_bytes

    from .actor_onnx import IR_VERSION, OPSET, build_model
except ImportError as e:
    raise ImportError(f"symphony_bridge.export needs onnx and safetensors: pip install "
                      f"'symphony-bridge[export]' ({e})") from e

from . import __version__
from .export_format import (ACTION_MAX_TENSOR, ACTOR_SAFETENSORS, EXPORT_FILES, FORMAT, INPUT, OUTPUT,
                            POLICY_JSON, POLICY_ONNX, SAFETENSORS_PREFIX, TENSORS)
from .handoff import ActorWeights, Handoff, HandoffError, read_handoff


class OutputError(ValueError):
    """An --out the exporter refuses before writing anything."""


@dataclass(frozen=True)
class Exported:
    directory: Path
    policy: dict  # what policy.json holds


def export(handoff: Handoff, out: str | os.PathLike, *, force: bool = False) -> Exported:
    """Writes the three files of an export of ``handoff`` to ``out``, atomically."""
    out = Path(os.path.abspath(out))
    replacing = _check_out(out, force)
    contents = {POLICY_ONNX: build_model(handoff.actor).SerializeToString(),
                ACTOR_SAFETENSORS: _safetensors(handoff.actor)}
    files = {name: {"bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()} for name, data in contents.items()}
    policy = {"format": FORMAT, **handoff.policy, "actor": handoff.actor.description(),
              "onnx": {"file": POLICY_ONNX, "opset": OPSET, "ir_version": IR_VERSION, "input": INPUT,
                       "output": OUTPUT, "sha256": files[POLICY_ONNX]["sha256"]},
              "files": files, "exported_by": f"symphony_bridge {__version__}"}
    contents[POLICY_JSON] = (json.dumps(policy, indent=1) + "\n").encode()
    try:
        staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.tmp-", dir=out.parent))  # owner-only, 0700
    except OSError as e:
        raise OutputError(f"--out {out}: cannot write in {out.parent}: {e.strerror or e}") from None
    try:
        for name, data in contents.items():
            _write_durably(staging / name, data)
        _sync_directory(staging)
        _move_into_place(staging, out, replacing)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return Exported(out, policy)


def _check_out(out: Path, force: bool) -> bool:
    """Whether ``out`` holds a previous export to replace; refuses anything else that exists."""
    if not out.parent.is_dir():
        raise OutputError(f"--out {out}: the directory {out.parent} does not exist")
    if not os.path.lexists(out):
        return False
    if not force:
        raise OutputError(f"--out {out} exists; pass --force to replace a previous export, or choose another "
                          f"directory")
    if out.is_symlink() or not out.is_dir():
        raise OutputError(f"--out {out} is not a directory; --force replaces only a previous export")
    others = sorted(set(os.listdir(out)) - set(EXPORT_FILES))
    if others:
        raise OutputError(f"--out {out} holds files that are not part of an export ({', '.join(others[:5])}); "
                          f"--force replaces only a previous export")
    return True


def _safetensors(actor: ActorWeights) -> bytes:
    tensors = {SAFETENSORS_PREFIX + name: actor.tensors[name] for name in TENSORS}
    tensors[ACTION_MAX_TENSOR] = actor.action_max
    metadata = {"format": str(FORMAT), "observation_size": str(actor.observation_size),
                "action_size": str(actor.action_size), "hidden": str(actor.hidden),
                "layer_norm_epsilon": repr(actor.layer_norm_epsilon)}
    return safetensors_bytes(tensors, metadata=metadata)


def _write_durably(path: Path, data: bytes) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())


def _sync_directory(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _move_into_place(staging: Path, out: Path, replacing: bool) -> None:
    if not replacing:
        os.rename(staging, out)
    else:  # the old export steps aside, the new one takes its name, then the old one goes
        retired = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=out.parent))
        os.rename(out, retired / "export")
        try:
            os.rename(staging, out)
        except OSError:
            os.rename(retired / "export", out)
            raise
        finally:
            shutil.rmtree(retired, ignore_errors=True)
    _sync_directory(out.parent)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m symphony_bridge.export", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("handoff", metavar="HANDOFF.json", help="the hand-off file written by ./symphony export")
    parser.add_argument("--out", required=True, metavar="DIR", help="the export directory to create")
    parser.add_argument("--force", action="store_true", help="replace DIR if it holds a previous export")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    try:
        handoff = read_handoff(args.handoff)
        result = export(handoff, args.out, force=args.force)
    except (HandoffError, OutputError) as e:
        print(f"symphony_bridge.export: {e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("symphony_bridge.export: interrupted; nothing was written", file=sys.stderr)
        return 130
    except OSError as e:
        print(f"symphony_bridge.export: failed while writing {args.out}: {e}; nothing was written", file=sys.stderr)
        return 1
    files = result.policy["files"]
    print(f"exported to {result.directory} in {time.perf_counter() - start:.2f} s: "
          f"{POLICY_ONNX} {files[POLICY_ONNX]['bytes']:,} bytes (ONNX opset {OPSET}), "
          f"{ACTOR_SAFETENSORS} {files[ACTOR_SAFETENSORS]['bytes']:,} bytes, {POLICY_JSON}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
