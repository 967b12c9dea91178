"""The per-user directory ``~/.symphony`` and the owner-only files in it (docs/security.md).

It holds ``secret`` (the key that robot adapters and the runtime prove to each other), ``adapters/`` (one
announce file per robot adapter) and ``logs/``. Everything is created owner-only whatever the umask, and
checked when read: a file or directory that another user owns, or that group or others may access, is
refused with the ``chmod`` that fixes it. ``SYMPHONY_USER_DIR`` points it elsewhere (tests always do).
"""
from __future__ import annotations

import errno
import os
import secrets
import stat
from pathlib import Path

from .security import SecurityError

#: Environment variable naming the per-user directory instead of ~/.symphony (the Java side also reads the
#: property symphony.user.dir).
USER_DIR_VARIABLE = "SYMPHONY_USER_DIR"
KEY_BYTES = 32


def user_dir() -> Path:
    configured = os.environ.get(USER_DIR_VARIABLE, "").strip()
    return Path(configured).expanduser().absolute() if configured else Path.home() / ".symphony"


def private_dir(path: Path) -> Path:
    """``path`` as an owner-only (0700) directory, created with its parents if missing, checked if present."""
    path = Path(path)
    try:
        path.mkdir(mode=0o700, parents=True)
        os.chmod(path, 0o700)  # mkdir's mode went through the umask
    except FileExistsError:
        pass
    check_private(path)
    return path


def check_private(path: Path) -> os.stat_result:
    """Refuses ``path`` unless the current user owns it and neither group nor others have any permission."""
    info = os.stat(path, follow_symlinks=False)
    _refuse_unless_private(path, info)
    return info


def _refuse_unless_private(path: Path, info: os.stat_result) -> None:
    if stat.S_ISLNK(info.st_mode):
        raise SecurityError(f"{path} is a symbolic link; Symphony's private files must be real files: remove it")
    kind = "directory" if stat.S_ISDIR(info.st_mode) else "file"
    if info.st_uid != os.geteuid():
        raise SecurityError(f"{path} is owned by uid {info.st_uid}, not by you (uid {os.geteuid()}): another user "
                            f"could have written it; remove it (or chown it to yourself if it is yours)")
    if info.st_mode & 0o077:
        mode = "700" if kind == "directory" else "600"
        raise SecurityError(f"{path}: {kind} mode {stat.S_IMODE(info.st_mode):03o} lets other users in; "
                            f"run 'chmod {mode} {path}'")


def read_private(path: Path) -> bytes:
    """The content of an owner-only file, checked on the open file itself (no swap between check and read)."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
    except OSError as e:
        if e.errno == errno.ELOOP:
            raise SecurityError(f"{path} is a symbolic link; Symphony's private files must be real files: "
                                f"remove it") from None
        raise
    try:
        _refuse_unless_private(path, os.fstat(fd))
        with os.fdopen(fd, "rb", closefd=False) as f:
            return f.read()
    finally:
        os.close(fd)


def _write_temp(path: Path, data: bytes) -> Path:
    path = Path(path)
    temp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
    try:
        os.fchmod(fd, 0o600)  # the umask may have taken bits away, never added: make it exactly 0600
        os.write(fd, data)
        os.fsync(fd)
    finally:
        os.close(fd)
    return temp


def write_private(path: Path, data: bytes) -> None:
    """Writes an owner-only file atomically (temp file + rename): a reader sees the old or the new content."""
    temp = _write_temp(path, data)
    try:
        os.replace(temp, Path(path))
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def create_private(path: Path, data: bytes) -> bool:
    """Creates an owner-only file atomically unless it exists (hard link: no clobbering); False if it existed."""
    temp = _write_temp(path, data)
    try:
        os.link(temp, Path(path))
        return True
    except FileExistsError:
        return False
    finally:
        temp.unlink(missing_ok=True)


def user_secret(directory: Path | None = None) -> bytes:
    """The per-user key K (32 random bytes), created by whichever side needs it first."""
    home = private_dir(directory or user_dir())
    path = home / "secret"
    create_private(path, secrets.token_hex(KEY_BYTES).encode() + b"\n")
    return parse_key(read_private(path), str(path))


def parse_key(text: bytes, source: str) -> bytes:
    """A key as it is written down: 64 hex digits (32 bytes), surrounding white space ignored."""
    value = text.strip()
    try:
        key = bytes.fromhex(value.decode("ascii"))
    except (UnicodeDecodeError, ValueError):
        key = b""
    if len(key) != KEY_BYTES:
        raise SecurityError(f"{source}: expected a key of {2 * KEY_BYTES} hex digits ({KEY_BYTES} bytes)")
    return key


def adapters_dir(directory: Path | None = None) -> Path:
    home = private_dir(directory or user_dir())
    return private_dir(home / "adapters")


def logs_dir(directory: Path | None = None) -> Path:
    home = private_dir(directory or user_dir())
    return private_dir(home / "logs")
