"""Looking at processes through /proc (Linux): who started whom, and who still runs."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

Process = tuple[int, int]  # (pid, start time in clock ticks since boot): survives pid reuse


def stat(pid: int) -> tuple[int, str, int] | None:
    """(parent pid, state, start time) of a process, or None if there is none."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = text[text.rindex(")") + 2:].split()  # the name may hold spaces and parens
    return int(fields[1]), fields[0], int(fields[19])


def cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def running(process: Process) -> bool:
    """Still the same process, and not a zombie waiting for init to reap it."""
    now = stat(process[0])
    return now is not None and now[2] == process[1] and now[1] not in ("Z", "X")


def until(condition: Callable[[], bool], deadline: float) -> bool:
    end = time.monotonic() + deadline
    while time.monotonic() < end:
        if condition():
            return True
        time.sleep(0.2)
    return condition()
