"""UI frame rate: 10 s of the town view and 10 s of skip-ahead in the main mystery.

Runs the real App loop (events, update, pygame_gui, draw, flip) capped at 60 FPS.
Headless by default (SDL dummy video driver: software rendering, no vsync); run it under
xvfb-run or a desktop with HINDSIGHT_BENCH_DISPLAY=1 to use a real window.
Skip-ahead rewinds whenever the loop ends and counts only the frames drawn while the
simulation runs; screen changes are reported separately.
"""

from __future__ import annotations

import os
import statistics
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

    # Skip-ahead: keep skipping to the murder night, rewinding after each death, until
    # 10 s of frames have been drawn while the simulation runs. The frames that change
    # screens (town -> skip, skip -> death screen with its autosave, rewind -> town) are
    # one-off costs of a key press, reported apart.
    running = {"frames": 0, "time": 0.0, "worst": 0.0, "slices": 0}
    changes: list[float] = []
    skips = 0
    t0 = time.perf_counter()
    while running["time"] < SECONDS and time.perf_counter() - t0 < 6 * SECONDS:
        top = app.top
        if top.name == "town":
            d.key(app, pygame.K_s, frames=0)
            d.key(app, pygame.K_5, frames=0)
        elif top.name == "skip" and top.phase == "done":
            skips += 1
            d.key(app, pygame.K_RETURN, frames=0)
        elif top.name == "end":
            d.key(app, pygame.K_r, frames=0)
        before = (app.top.name, getattr(app.top, "phase", ""))
        f0 = time.perf_counter()
        app.step()  # clock.tick(60), events, update, draw, flip, the skip's time slice
        ft = time.perf_counter() - f0
        after = (app.top.name, getattr(app.top, "phase", ""))
        if before == after == ("skip", "running"):
            running["frames"] += 1
            running["time"] += ft
            running["worst"] = max(running["worst"], ft)
        elif before != after:
            changes.append(ft)
    fps = running["frames"] / max(running["time"], 1e-9)
    print(f"skip ahead: {fps:5.1f} FPS over {running['time']:.1f} s of frames drawn while "
          f"the town simulates ({running['frames']} frames, worst {running['worst'] * 1000:.1f} "
          f"ms); {skips} skips to the murder night, loop {app.session.loop}")
    if changes:
        changes.sort()
        print(f"  screen changes: {len(changes)} frames, median "
              f"{statistics.median(changes) * 1000:.0f} ms, worst {changes[-1] * 1000:.0f} ms "
              "(skip screen opens, death screen + autosave, rewind)")
    pygame.quit()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
