"""Run a module as a server for as long as the program that started it lives.

Usage: python launcher.py PARENT_PID MODULE [ARGS...]

``LocalServer`` starts llama-cpp-python's server through this file so that the server
can never outlive the game, however the game ends. A daemon thread compares
``os.getppid()`` with PARENT_PID; once they differ, the parent is gone (the child was
handed to init or a subreaper) and the process ends at once with ``os._exit``. That
covers what the game's own clean-up cannot: SIGKILL, a crash, a signal it does not
handle. PARENT_PID is passed in rather than read at start-up, so a parent that dies
before this thread runs is still noticed.

It is run as a file, not with ``-m game...``, and imports only the standard library
before the server module: a server child must not import (or be slowed by) the game.
"""

from __future__ import annotations

import os
import runpy
import sys
import threading
import time

POLL_SECONDS = 0.25  # how soon an orphaned server notices


def watch_parent(parent: int) -> None:
    """End this process as soon as its parent is no longer ``parent``."""
    while os.getppid() == parent:
        time.sleep(POLL_SECONDS)
    os._exit(0)


def main(argv: list[str]) -> None:
    if len(argv) < 3:
        sys.exit("usage: launcher.py PARENT_PID MODULE [ARGS...]")
    parent, module = int(argv[1]), argv[2]
    # Running a file puts its folder first on sys.path; the package's modules there
    # (client, cache, ...) must not shadow anything the server imports.
    here = os.path.dirname(os.path.abspath(__file__))
    sys.path[:] = [p for p in sys.path if os.path.abspath(p or os.curdir) != here]
    threading.Thread(target=watch_parent, args=(parent,), name="parent-watch",
                     daemon=True).start()
    sys.argv = [module, *argv[3:]]
    runpy.run_module(module, run_name="__main__", alter_sys=True)


if __name__ == "__main__":
    main(sys.argv)
