"""Whether another local user could have changed a file that decides what a robot does.

A policy or an adapter module that someone else can rewrite hands them the robot. A path is trusted when it is
owned by the user running the command (or root) and nobody else can write it: not the world, and not a group,
unless that group is the owner's private group (the user is its only member, as with the usual umask 002).
"""
from __future__ import annotations

import grp
import os
import pwd
import stat


def untrusted_reason(path: str) -> str | None:
    """None if ``path`` is trusted; otherwise why not, with the command that fixes it."""
    info = os.stat(path)
    me = os.getuid()
    if info.st_uid not in (me, 0):
        return f"{path} belongs to another user (uid {info.st_uid}); copy it or have it owned by you or root"
    if info.st_mode & stat.S_IWOTH:
        return f"{path} can be written by every user; run: chmod o-w {path}"
    if info.st_mode & stat.S_IWGRP and not _private_group(info.st_gid, info.st_uid):
        return f"{path} can be written by the members of its group; run: chmod g-w {path}"
    return None


def _private_group(gid: int, owner: int) -> bool:
    try:
        group, user = grp.getgrgid(gid), pwd.getpwuid(owner)
    except KeyError:
        return False
    others = [u.pw_name for u in pwd.getpwall() if u.pw_gid == gid and u.pw_uid != owner]
    return (group.gr_name == user.pw_name and not others
            and all(member == user.pw_name for member in group.gr_mem))
