"""Simulation speed benchmark for the engine (issue 2).

Run: .venv/bin/python bench/sim_speed.py [--quick]

Time and memory are measured in separate runs, because tracemalloc slows Python
down severalfold. "Peak MB" is the tracemalloc peak of Python allocations during
the case (world build + run), not process RSS; the process's max RSS is printed
at the end for reference.
"""

from __future__ import annotations

import argparse
import random
import resource
import statistics
import time
import tracemalloc
from collections.abc import Callable

from rich.console import Console
from rich.table import Table

from game.engine import World
from game.engine.clock import MINUTES_PER_DAY
from game.engine.memory import MemoryStream
from game.engine.synthetic import synthetic_spec
from game.minds.scripted import ScriptedMind


def build_and_run(agents: int, days: int, locations: int, seed: int = 1) -> World:
    world = World(synthetic_spec(agents, locations, seed=seed), seed=seed, mind=ScriptedMind())
    world.run_until(days * MINUTES_PER_DAY)
    return world


def timed(fn: Callable[[], object]) -> tuple[float, object]:
    t0 = time.perf_counter()
    out = fn()
    return time.perf_counter() - t0, out


def peak_mb(fn: Callable[[], object]) -> float:
    tracemalloc.start()
    try:
        fn()
        return tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()


def sim_case(agents: int, days: int, locations: int, runs: int,
             memory: bool = True) -> dict[str, float]:
    times, events = [], 0
    for _ in range(runs):
        secs, world = timed(lambda: build_and_run(agents, days, locations))
        times.append(secs)
        events = len(world.log)  # type: ignore[attr-defined]
    wall = statistics.median(times)
    return {"wall": wall, "events": events, "rate": agents * days / wall,
            "peak": peak_mb(lambda: build_and_run(agents, days, locations)) if memory
            else float("nan")}


NAMES = "Mara Tobin Elsie Garrick Wynn Odo Bess Piet Hal Ines Rook Sela".split()
PLACES = "bakery harbour chapel mill tavern square well smithy market quay".split()
VERBS = ("was arguing with", "bought bread from", "whispered to", "walked past",
         "laughed with", "avoided", "handed a letter to", "watched")
THINGS = ("a knife", "the ledger", "a lantern", "some rope", "a sealed letter", "apples",
          "the harbour fund", "a wedding ring")


def realistic_stream(n: int, seed: int = 5) -> MemoryStream:
    gen = random.Random(seed)
    stream = MemoryStream()
    for i in range(n):
        a, b = gen.sample(NAMES, 2)
        text = (f"{a} {gen.choice(VERBS)} {b} at the {gen.choice(PLACES)}"
                f"{' carrying ' + gen.choice(THINGS) if gen.random() < 0.4 else ''}")
        kind = gen.choice(("observation", "observation", "conversation", "plan"))
        stream.add(kind, i * 4, text, gen.choice((1, 1, 2, 2, 3, 4, 5, 6, 8, 10)),
                   subject=a.lower(), tags=(gen.choice(PLACES),))
    return stream


def retrieval_case(n: int, count: int) -> dict[str, float]:
    stream = realistic_stream(n)
    gen = random.Random(9)
    queries = [f"{gen.choice(PLACES)} {gen.choice(NAMES)} {gen.choice(NAMES)} "
               f"{gen.choice(('selling', 'drinking', 'praying', 'idle'))}" for _ in range(count)]
    now = n * 4
    times = []
    for q in queries:
        t0 = time.perf_counter()
        stream.retrieve(q, now, k=6)
        times.append(time.perf_counter() - t0)
        now += 1
    peak = peak_mb(lambda: stream.retrieve(queries[0], now, k=6))
    return {"wall": statistics.median(times), "p95": sorted(times)[int(0.95 * count)],
            "peak": peak}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="skip the 100x28 case")
    args = parser.parse_args()
    console = Console()
    table = Table(title="Hindsight engine speed (scripted mind)")
    for col in ("case", "wall s", "events", "agent-days/s", "peak MB*", "target", "ok"):
        table.add_column(col, justify="right" if col not in ("case", "target") else "left")

    def row(name: str, r: dict[str, float], target: str, ok: bool | None) -> None:
        peak = "-" if r["peak"] != r["peak"] else f"{r['peak']:.1f}"  # NaN: not measured
        table.add_row(name, f"{r['wall']:.3f}", f"{int(r.get('events', 0)):,}",
                      f"{r['rate']:,.0f}" if "rate" in r else "-", peak, target,
                      "-" if ok is None else ("yes" if ok else "NO"))

    r = sim_case(10, 14, 8, runs=5)
    row("10 agents x 14 days (median of 5)", r, "<= 1.0 s", r["wall"] <= 1.0)
    if not args.quick:
        r = sim_case(100, 28, 30, runs=1)
        row("100 agents x 28 days, 30 locations", r, "<= 30 s, <= 500 MB",
            r["wall"] <= 30 and r["peak"] <= 500)
    r = retrieval_case(10_000, 200)
    table.add_row("retrieval over 10,000 memories (median of 200)", f"{r['wall'] * 1e3:.2f} ms",
                  "-", "-", f"{r['peak']:.2f}", f"<= 5 ms (p95 {r['p95'] * 1e3:.2f} ms)",
                  "yes" if r["wall"] <= 0.005 else "NO")
    scaling = [(25, 14), (50, 14), (100, 14), (50, 7), (50, 28)]
    base = None
    for agents, days in scaling:
        locations = max(8, agents * 3 // 10)
        r = sim_case(agents, days, locations, runs=1, memory=False)
        per = r["wall"] / (agents * days) * 1e3
        base = base or per
        row(f"scaling: {agents} x {days} ({locations} loc)", r,
            f"{per:.2f} ms per agent-day ({per / base:.2f}x of 25x14)", None)
    console.print(table)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    console.print("* peak MB = tracemalloc peak of Python allocations, measured in a separate "
                  f"run from the timing. Process max RSS over the whole benchmark: {rss:.0f} MB.")


if __name__ == "__main__":
    main()
