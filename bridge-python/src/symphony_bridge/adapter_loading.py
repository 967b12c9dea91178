"""Finds the RobotAdapter class that ``--adapter module:Class`` names, without importing code implicitly.

Modules come from the installed packages, or from a directory the user names with ``--adapter-path DIR``, which
must be theirs and closed to other users' writes (file_trust.py). The working directory is never searched.
"""
from __future__ import annotations

import importlib
import importlib.util
import os
import re
import sys

from .file_trust import untrusted_reason
from .isolation import drop_working_directory
from .robot import RobotAdapter

_SPEC = re.compile(r"([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*):([A-Za-z_]\w*)", re.ASCII)
EXAMPLE = "symphony_bridge.examples.mujoco_robot:MujocoRobot"


class AdapterError(ValueError):
    """An --adapter or --adapter-path that cannot be used; the message says why and what to pass."""


def load_adapter_class(spec: str, adapter_path: str | None = None) -> type[RobotAdapter]:
    """The class ``spec`` names. For the command line: changes ``sys.path`` (see the module's doc)."""
    match = _SPEC.fullmatch(spec)
    if not match:
        raise AdapterError(f"--adapter must be module:Class with a module's dotted name and a class name, e.g. "
                           f"{EXAMPLE}; got {spec!r}")
    module_name, class_name = match.groups()
    drop_working_directory()
    if adapter_path is not None:
        _add_adapter_path(adapter_path)
    try:
        found = importlib.util.find_spec(module_name)
    except ImportError:  # a parent package is missing
        found = None
    if found is None:
        where = f"in --adapter-path {adapter_path} or " if adapter_path else ""
        raise AdapterError(f"no module {module_name!r} {where}among the installed packages; the working directory "
                           f"is not searched: pass --adapter-path DIR for a module of your own")
    if adapter_path is not None and found.origin and _inside(found.origin, adapter_path):
        _refuse_untrusted(found.origin)
    try:
        module = importlib.import_module(module_name)
    except Exception as e:  # the adapter's own code failed: report it as the cause
        raise AdapterError(f"importing {module_name} failed: {type(e).__name__}: {e}") from e
    cls = getattr(module, class_name, None)
    if not (isinstance(cls, type) and issubclass(cls, RobotAdapter)):
        raise AdapterError(f"{module_name} has no RobotAdapter subclass named {class_name!r} "
                           f"(an adapter subclasses symphony_bridge.robot.RobotAdapter, see docs/robots.md)")
    return cls


def _add_adapter_path(path: str) -> None:
    if not os.path.isdir(path):
        raise AdapterError(f"--adapter-path {path} is not a directory")
    _refuse_untrusted(path)
    sys.path.insert(0, os.path.realpath(path))


def _refuse_untrusted(path: str) -> None:
    reason = untrusted_reason(path)
    if reason:
        raise AdapterError(f"refusing to import adapter code: {reason} (another user could run code as you)")


def _inside(path: str, directory: str) -> bool:
    return os.path.realpath(path).startswith(os.path.realpath(directory) + os.sep)
