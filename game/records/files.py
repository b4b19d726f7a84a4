"""Save files on disk: read one without blocking, write one atomically and safely.

A save path may come from a player, a shared folder or an attacker's planted files, so:
reading opens without blocking and accepts only a regular file (a FIFO, ``/dev/zero`` or
``/dev/stdin`` is refused before a byte is read); writing goes to a temporary file created
exclusively, never through a symlink (``O_EXCL|O_NOFOLLOW``, a random name in the target
folder), then renamed over the target. Temporaries a killed game left behind are removed
at the next write to that folder.
"""

from __future__ import annotations

import os
import re
import secrets
import stat
import time
from pathlib import Path

TEMP_MARK = ".tmp-"  # "<name>.tmp-<pid>[-<random>]": never ends in .hsav, never listed
STALE_SECONDS = 3600.0  # a temporary older than this is a leftover, whoever made it
_TEMP_NAME = re.compile(r"^.+\.hsav\.tmp-(\d+)(?:-[0-9a-f]+)?$")
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
_BINARY = getattr(os, "O_BINARY", 0)


class FileProblem(Exception):
    """A save file cannot be read or written; ``str()`` is one line without the path."""


def read_regular(path: Path, limit: int) -> bytes:
    """The bytes of ``path`` if it is a regular file of at most ``limit`` bytes."""
    try:
        fd = os.open(path, os.O_RDONLY | _NONBLOCK | _BINARY)
    except OSError as exc:
        raise FileProblem(f"cannot read ({exc.strerror or type(exc).__name__})") from None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise FileProblem("cannot read: not a regular file (a folder, a pipe or a device)")
        if st.st_size > limit:
            raise FileProblem(f"too large for a save ({st.st_size} bytes)")
        chunks, total = [], 0
        while total <= limit:
            chunk = os.read(fd, min(1 << 20, limit + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
    except OSError as exc:
        raise FileProblem(f"cannot read ({exc.strerror or type(exc).__name__})") from None
    finally:
        os.close(fd)
    if total > limit:
        raise FileProblem("too large for a save")
    return b"".join(chunks)


def check_target(path: Path) -> None:
    """Refuse to save over anything but a regular file (a FIFO, a folder, a device)."""
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return
    except OSError as exc:
        raise FileProblem(f"cannot write ({exc.strerror or type(exc).__name__})") from None
    if stat.S_ISLNK(st.st_mode):
        return  # the rename replaces the link itself, never what it points to
    if not stat.S_ISREG(st.st_mode):
        raise FileProblem("cannot write: it exists and is not a regular file")


def _create_temp(path: Path) -> tuple[int, Path]:
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW | _BINARY
    for _ in range(16):
        tmp = path.with_name(f"{path.name}{TEMP_MARK}{os.getpid()}-{secrets.token_hex(6)}")
        try:
            return os.open(tmp, flags, 0o600), tmp
        except FileExistsError:
            continue
    raise FileProblem("cannot write (no free temporary name)")


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path``: a crash at any moment leaves the old file or the new one."""
    tmp: Path | None = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        check_target(path)
        clean_stale_temps(path.parent)
        fd, tmp = _create_temp(path)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
        tmp = None
        _fsync_dir(path.parent)
    except OSError as exc:
        raise FileProblem(f"cannot write ({exc.strerror or exc})") from None
    finally:
        if tmp is not None:
            try:
                tmp.unlink(missing_ok=True)
            except OSError:
                pass


def _pid_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    if os.name != "posix":
        return True  # no safe probe (os.kill on Windows ends the process): go by age only
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # someone else's process
    return True


def clean_stale_temps(folder: Path, now: float | None = None) -> int:
    """Remove temporaries of saves that never finished: their writer is gone, or they are
    old. Returns how many were removed. Never follows links, never raises."""
    now = time.time() if now is None else now
    removed = 0
    try:
        names = os.listdir(folder)
    except OSError:
        return 0
    for name in names:
        m = _TEMP_NAME.match(name)
        if not m:
            continue
        p = folder / name
        try:
            st = os.lstat(p)
            if not (stat.S_ISREG(st.st_mode) or stat.S_ISLNK(st.st_mode)):
                continue
            if _pid_alive(int(m.group(1))) and now - st.st_mtime < STALE_SECONDS:
                continue
            p.unlink()
            removed += 1
        except (OSError, ValueError):
            continue
    return removed


def _fsync_dir(directory: Path) -> None:
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return  # e.g. Windows cannot open directories; the rename is still atomic there
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
