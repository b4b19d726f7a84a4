"""The server launcher runs its module while its parent lives, and not a moment longer.

No model needed: the launcher runs the standard library's ``http.server`` here, under
a parent process that the test then kills with SIGKILL (which no clean-up code in the
parent can catch).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import urllib.request

import pytest

from game.minds.llm.local import LAUNCHER, free_port
from tests.processes import running, stat, until

DEADLINE = 60.0  # seconds; bounds the waiting on a busy machine, is never measured

pytestmark = pytest.mark.skipif(not os.path.isdir("/proc/self"), reason="needs /proc (Linux)")

PARENT = """
import os, subprocess, sys, time
child = subprocess.Popen([sys.executable, {launcher!r}, str(os.getpid()), "http.server",
                          "{port}", "--bind", "127.0.0.1"], start_new_session=True,
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
print(child.pid, flush=True)
time.sleep(600)
"""


def _serves(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2):
            return True
    except OSError:
        return False


def test_a_launched_server_ends_when_its_parent_is_killed() -> None:
    port = free_port()
    parent = subprocess.Popen([sys.executable, "-c",
                               PARENT.format(launcher=str(LAUNCHER), port=port)],
                              stdout=subprocess.PIPE, stdin=subprocess.DEVNULL)
    child = None
    try:
        assert parent.stdout is not None
        pid = int(parent.stdout.readline())
        info = stat(pid)
        assert info is not None and info[0] == parent.pid
        child = (pid, info[2])
        assert until(lambda: _serves(port), DEADLINE)  # it runs the module, with its args
        parent.send_signal(signal.SIGKILL)
        parent.wait(DEADLINE)
        until(lambda: not running(child), DEADLINE)
        assert not running(child)
    finally:
        if parent.poll() is None:
            parent.kill()
            parent.wait()
        if child is not None and running(child):
            os.kill(child[0], signal.SIGKILL)


def test_a_server_whose_parent_died_before_it_started_ends_at_once() -> None:
    """The parent's pid is passed in, so a parent that died first is noticed too."""
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    port = free_port()
    child = subprocess.Popen([sys.executable, str(LAUNCHER), str(dead.pid), "http.server",
                              str(port), "--bind", "127.0.0.1"],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        code = child.wait(DEADLINE)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    assert code == 0 and not _serves(port)
