"""Speed of the mystery on the main scenario: `simulate` start-up included, and skip-ahead.

Targets (issues 3 and 4): `hindsight simulate story/main.toml --days 14` ≤ 2 s wall time,
start-up included; skipping ahead 14 days in a game session ≤ 1 s.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from game.session import GameSession  # noqa: E402

MAIN = ROOT / "story" / "main.toml"


def time_simulate_cli(runs: int = 5) -> list[float]:
    out = []
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-m", "game", "simulate", str(MAIN), "--days", "14",
                        "--json"], cwd=ROOT, check=True, capture_output=True)
        out.append(time.perf_counter() - t0)
    return out


def time_skip(runs: int = 5) -> tuple[list[float], str]:
    times, result = [], ""
    for _ in range(runs):
        s = GameSession(MAIN)
        s.start()
        t0 = time.perf_counter()
        s.skip("days", 14)
        times.append(time.perf_counter() - t0)
        result = f"{s.status}, {s.clock_text()}, murders={len(s.rules.state['murders'])}"
    return times, result


def main() -> None:
    sim = time_simulate_cli()
    print(f"simulate main 14 days (CLI, start-up included): median {statistics.median(sim):.2f} s"
          f"  (runs: {', '.join(f'{x:.2f}' for x in sim)})  target ≤ 2 s")
    skip, result = time_skip()
    print(f"skip ahead 14 days, doing nothing: median {statistics.median(skip) * 1000:.0f} ms"
          f"  -> {result}  target ≤ 1 s")
    s = GameSession(MAIN)
    s.start()
    t0 = time.perf_counter()
    s.world.run_until(s.world.now + 14 * 1440)
    print(f"the whole town for 14 days (no stop at the murder): "
          f"{(time.perf_counter() - t0) * 1000:.0f} ms, {len(s.world.log)} events")


if __name__ == "__main__":
    main()
