"""Time and peak memory of every crafted save in tests/fixtures/hostile/ through the CLI.

Each file runs in its own process, ``hindsight replay --verify`` then ``hindsight report``,
and the process's own peak RSS is read from ``os.wait4`` (not the harness's).
Targets (issue 15): under 10 s and under 400 MB each, no traceback.

    PYTHONPATH=. python bench/hostile_saves.py [folder]
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HOSTILE = ROOT / "tests" / "fixtures" / "hostile"
LIMIT_SECONDS, LIMIT_MB = 10.0, 400.0


def run(args: list[str]) -> tuple[float, float, int, str]:
    """(seconds, peak RSS in MB, exit code, stderr) of one CLI run in a fresh process."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    started = time.perf_counter()
    with tempfile.TemporaryFile() as err:
        proc = subprocess.Popen([sys.executable, "-m", "game", *args], cwd=ROOT, env=env,
                                stdout=subprocess.DEVNULL, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        text = err.read().decode("utf-8", "replace")
    return seconds, usage.ru_maxrss / 1024, proc.returncode, text


def main() -> int:
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else HOSTILE
    files = sorted(folder.glob("*.hsav"))
    worst_s, worst_mb, bad = 0.0, 0.0, []
    print(f"{'file':44} {'replay s':>8} {'MB':>6} {'report s':>8} {'MB':>6}")
    with tempfile.TemporaryDirectory() as out:
        for f in files:
            row = [f.name[:44].ljust(44)]
            for args in (["replay", "--verify", str(f)],
                         ["report", str(f), "--out", str(Path(out) / "r.html")]):
                seconds, mb, code, err = run(args)
                row += [f"{seconds:8.2f}", f"{mb:6.0f}"]
                worst_s, worst_mb = max(worst_s, seconds), max(worst_mb, mb)
                if "Traceback" in err or code not in (0, 1) or seconds > LIMIT_SECONDS \
                        or mb > LIMIT_MB:
                    bad.append(f"{f.name} {args[0]}: {seconds:.1f}s {mb:.0f}MB exit {code}")
            print(" ".join(row), flush=True)
    print(f"\n{len(files)} files; slowest {worst_s:.2f}s, largest {worst_mb:.0f} MB "
          f"(targets {LIMIT_SECONDS:.0f}s, {LIMIT_MB:.0f} MB)")
    for line in bad:
        print(f"OVER: {line}")
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())
