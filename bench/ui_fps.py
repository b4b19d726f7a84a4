"""UI frame rate: 10 s of the town view and 10 s of skip-ahead in the main mystery.

Runs the real App loop (events, update, pygame_gui, draw, flip) capped at 60 FPS.
Headless by default (SDL dummy video driver: software rendering, no vsync); run it under
xvfb-run or a desktop with HINDSIGHT_BENCH_DISPLAY=1 to use a real window.
Skip-ahead restarts from a fresh loop whenever the loop ends, so the 10 s are all skipping.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

if not os.environ.get("HINDSIGHT_BENCH_DISPLAY"):
    os.environ["SDL_VIDEODRIVER"] = "dummy"
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")

import pygame  # noqa: E402

from game.ui import driver as d  # noqa: E402
from game.ui.app import App  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SECONDS = float(os.environ.get("HINDSIGHT_BENCH_SECONDS", "10"))


def measure(app: App, seconds: float, each=None) -> tuple[float, float, int]:
    frames, worst = 0, 0.0
    t0 = time.perf_counter()
    while time.perf_counter() - t0 < seconds:
        f0 = time.perf_counter()
        if each is not None:
            each()
        app.step()  # clock.tick(60): capped like the real game
        worst = max(worst, time.perf_counter() - f0)
        frames += 1
    return frames / (time.perf_counter() - t0), worst * 1000, frames


def main() -> int:
    story = ROOT / "story" / "main.toml"
    if not story.exists():
        print("story/main.toml missing: falling back to the tutorial")
        story = ROOT / "story" / "tutorial.toml"
    tmp = tempfile.mkdtemp(prefix="hindsight-bench-")
    size = (1280, 720) if len(sys.argv) < 2 else tuple(int(v) for v in sys.argv[1].split("x"))
    app = App(saves_dir=tmp, config_path=Path(tmp) / "settings.json", size=size)
    app.push(app.title_scene())
    app.start_game(str(story))
    driver = os.environ.get("SDL_VIDEODRIVER", "default")
    print(f"story={story.name} window={size[0]}x{size[1]} video driver={driver} "
          f"agents={len(app.session.world.agents)} locations={len(app.session.world.locations)}")
    fps, worst, n = measure(app, SECONDS)
    print(f"town view:  {fps:5.1f} FPS over {SECONDS:.0f} s ({n} frames, worst frame "
          f"{worst:.1f} ms)")

    skipped = {"days": 0, "skips": 0}

    def keep_skipping() -> None:
        top = app.top
        if top.name == "town":
            d.key(app, pygame.K_s, frames=0)
            d.key(app, pygame.K_5, frames=0)
        elif top.name == "skip" and top.phase == "done":
            skipped["skips"] += 1
            d.key(app, pygame.K_RETURN, frames=0)
        elif top.name == "end":
            d.key(app, pygame.K_r, frames=0)

    running = {"frames": 0, "time": 0.0, "worst": 0.0}
    orig_step = app.step

    def timed_step(dt=None):
        busy = app.top.name == "skip" and app.top.phase == "running"
        f0 = time.perf_counter()
        orig_step(dt)
        busy = busy and app.top.name == "skip" and app.top.phase == "running"
        if busy:
            ft = time.perf_counter() - f0
            running["frames"] += 1
            running["time"] += ft
            running["worst"] = max(running["worst"], ft)

    app.step = timed_step
    fps, worst, n = measure(app, SECONDS, keep_skipping)
    print(f"skip ahead: {fps:5.1f} FPS over {SECONDS:.0f} s ({n} frames, worst frame "
          f"{worst:.1f} ms, {skipped['skips']} whole-loop skips finished, "
          f"loop {app.session.loop}; includes screen changes town->skip->end->rewind)")
    if running["frames"]:
        print(f"  frames that began and ended with the simulation running: {running['frames']}, "
              f"{running['frames'] / running['time']:.1f} FPS "
              f"(worst {running['worst'] * 1000:.1f} ms)")
    pygame.quit()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
