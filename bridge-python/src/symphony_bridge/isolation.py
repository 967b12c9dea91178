"""Keeps a command from importing code out of the directory it happens to be started in.

``python -m`` and ``python script.py`` put the working directory (or the script's) first on ``sys.path``, so a
planted ``numpy.py`` there would run with the user's rights. The robust fix is to start Python with ``-I`` (or
``-P``), as the Java side does and docs/deploy.md shows; the commands also drop those entries themselves, first
thing, for when ``-I`` is forgotten.
"""
from __future__ import annotations

import os
import sys


def drop_working_directory() -> None:
    """Removes '' and the working directory from ``sys.path``; under -I or -P Python added neither."""
    try:
        cwd = os.path.realpath(os.getcwd())
    except OSError:  # the working directory was deleted: nothing to import from there anyway
        cwd = None
    sys.path[:] = [entry for entry in sys.path
                   if entry not in ("", ".") and (cwd is None or os.path.realpath(entry) != cwd)]
