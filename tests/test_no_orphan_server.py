"""No llama server outlives the CLI that started it, however the CLI ends.

An orphaned llama-cpp-python server was once found running, reparented to PID 1, ten
minutes after ``hindsight simulate --mind local`` had exited. Here the real CLI runs
as a subprocess; the servers it starts are found through /proc (processes whose
parent is the CLI and whose command line names ``llama_cpp.server``), and after a
normal exit, SIGTERM, SIGINT and SIGKILL none of them may still be running.
Deadlines are generous and only bound the waiting: nothing here is timed.
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from game.minds.llm.local import SERVER_MODULE, llama_cpp_available
from tests.processes import Process, cmdline, running, stat, until

ROOT = Path(__file__).resolve().parents[1]
CLI = [sys.executable, "-m", "game", "simulate", "story/tutorial.toml", "--days", "1",
       "--mind", "local"]
SERVER_DEADLINE = 300.0  # seconds for the server to start and answer on a busy machine
RUN_DEADLINE = 1800.0  # for the CLI's whole one-day run (445 s seen at load 6 on 2 cores)
GONE_DEADLINE = 60.0  # for every server to be gone once the CLI is

pytestmark = [
    pytest.mark.llm,
    pytest.mark.skipif(not os.path.isdir("/proc/self"), reason="needs /proc (Linux)"),
    pytest.mark.skipif(not llama_cpp_available(),
                       reason="llama-cpp-python is not installed (pip install -e '.[local]')"),
]


def _servers_started_by(parent: int) -> set[Process]:
    found = set()
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        info = stat(int(entry))
        if info is not None and info[0] == parent and SERVER_MODULE in cmdline(int(entry)):
            found.add((int(entry), info[2]))
    return found


def _answers(process: Process) -> bool:
    port = re.search(r"--port (\d+)", cmdline(process[0]))
    if port is None:
        return False
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port[1]}/v1/models", timeout=2):
            return True
    except (urllib.error.URLError, OSError):
        return False


@pytest.mark.parametrize("ending", ["normal exit", signal.SIGTERM, signal.SIGINT,
                                    signal.SIGKILL],
                         ids=["exit", "sigterm", "sigint", "sigkill"])
def test_no_llama_server_outlives_the_cli(ending: str | signal.Signals,
                                          tmp_path: Path) -> None:
    log = tmp_path / "cli.log"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    servers: set[Process] = set()
    with log.open("wb") as out:
        cli = subprocess.Popen(CLI, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
                               stdin=subprocess.DEVNULL)
    try:
        def started() -> bool:
            servers.update(_servers_started_by(cli.pid))
            return bool(servers) or cli.poll() is not None

        assert until(started, SERVER_DEADLINE) and servers, log.read_text()[-2000:]
        assert until(lambda: all(_answers(s) for s in servers) or cli.poll() is not None,
                      SERVER_DEADLINE), log.read_text()[-2000:]
        if isinstance(ending, signal.Signals):
            assert cli.poll() is None, "the CLI ended before it could be signalled"
            os.kill(cli.pid, ending)
        code = cli.wait(RUN_DEADLINE)
        if ending == "normal exit":
            assert code == 0, log.read_text()[-2000:]
        until(lambda: not any(running(s) for s in servers), GONE_DEADLINE)
        survivors = [s for s in servers if running(s)]
        assert survivors == [], f"llama server(s) outlived the CLI: {survivors}"
        assert len(servers) == 1
    finally:
        if cli.poll() is None:
            cli.kill()
            cli.wait()
        for pid, _ in [s for s in servers if running(s)]:
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)


# A game whose local server is up while a call hangs on a hostile (slow-drip) server,
# and which then dies of an exception or is sent SIGTERM.
_HOSTILE_GAME = """
import sys, threading, time
from game.minds.llm import LLMConfig, LLMMind, LocalServer
from tests.llm_fault_server import FaultServer

server = LocalServer().start()
drip = FaultServer(hostile="drip", drip=5.0).start()
patient = {"timeout": 600, "first_token_timeout": 600, "call_timeout": 600}
mind = LLMMind(LLMConfig(base_url=drip.base_url, model="x", **patient), local_server=server)
threading.Thread(target=mind.interpret_free_text, args=("hello", ["a", "b"]),
                 daemon=True).start()
while drip.requests == 0:
    time.sleep(0.1)
print("calling", flush=True)
if sys.argv[1] == "exception":
    raise RuntimeError("the game broke mid-call")
time.sleep(600)
"""


@pytest.mark.parametrize("ending", ["exception", signal.SIGTERM], ids=["exception", "sigterm"])
def test_no_llama_server_outlives_a_game_stuck_on_a_hostile_server(
        ending: str | signal.Signals, tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    servers: set[Process] = set()
    log = tmp_path / "game.log"
    with log.open("wb") as err:
        game = subprocess.Popen([sys.executable, "-c", _HOSTILE_GAME, str(ending)], cwd=ROOT,
                                env=env, stdout=subprocess.PIPE, stderr=err,
                                stdin=subprocess.DEVNULL)
    try:
        assert game.stdout is not None
        line = game.stdout.readline()  # bounded: the child exits if the server cannot start
        assert line.strip() == b"calling", log.read_text()[-2000:]
        servers.update(_servers_started_by(game.pid))
        assert len(servers) == 1
        if isinstance(ending, signal.Signals):
            os.kill(game.pid, ending)
        code = game.wait(RUN_DEADLINE)
        assert code != 0
        until(lambda: not any(running(s) for s in servers), GONE_DEADLINE)
        assert [s for s in servers if running(s)] == []
    finally:
        if game.poll() is None:
            game.kill()
            game.wait()
        for pid, _ in [s for s in servers if running(s)]:
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)
