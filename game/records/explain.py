"""`hindsight validate --explain`: why each plot does or does not reach its act.

A story can validate and still never kill anyone. This runs the loop on a few seeds, with
the player left to their own routine, and watches every plot after each batch of
decisions (watching changes nothing: the same seed gives the same timeline as
`simulate`). For each plot it says when the plot started, when the means came within
reach and into a plotter's hands, when the victim was alone in the act window and could
be reached, and, when no murder came, which of these never happened.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from game.session import (
    MINUTES_PER_DAY,
    Command,
    GameSession,
    LoadResult,
    PlotProbe,
    format_hhmm,
    sightings,
)

DEFAULT_SEEDS = (1, 2, 3)

# What a plot may reach, in the order a plan reaches it; the first time of each is kept.
MILESTONES = ("active", "means_open", "holds_means", "alone", "way_in")


@dataclass
class PlotRun:
    """One plot over one seed's loop."""

    plot: str
    seen: dict[str, int] = field(default_factory=dict)  # milestone -> first world minute
    last: PlotProbe | None = None
    murder: dict[str, object] | None = None

    def watch(self, now: int, p: PlotProbe) -> None:
        reached = {"active": p.status != "dormant", "means_open": p.means_open or p.holds_means,
                   "holds_means": p.holds_means,
                   "alone": p.in_window and p.victim_alone and p.status == "active",
                   "way_in": p.in_window and p.victim_alone and p.victim_open
                   and p.holds_means and p.status == "active"}
        for key in MILESTONES:
            if reached[key] and key not in self.seen:
                self.seen[key] = now
        self.last = p


@dataclass
class SeedRun:
    seed: int
    plots: dict[str, PlotRun]
    deaths: list[str]


def explain_story(story: LoadResult, seeds: tuple[int, ...] = DEFAULT_SEEDS) -> list[str]:
    """The explanation, as lines for a terminal (deterministic for a story and seeds)."""
    assert story.story is not None
    lines: list[str] = []
    runs = [_run(story, seed) for seed in seeds]
    plots = story.story.plots
    names = {ch.id: ch.name for ch in story.story.characters}
    for plot in plots:
        victim = plot.victim or story.story.scenario.player
        act = next((s for s in plot.steps if s.kind == "act"), None)
        window = f"{act.after or '00:00'}-{act.before or '24:00'}" if act else "none"
        lines.append(f"plot {plot.id}: {names.get(plot.owner, plot.owner)} against "
                     f"{names.get(victim, victim)}, act window {window}")
        lines.append("  on paper: " + _on_paper(story, plot.id))
        killed = 0
        for run in runs:
            pr = run.plots[plot.id]
            killed += pr.murder is not None
            text = _describe(pr, names)
            if pr.murder is None and victim in run.deaths:
                text = text.split("; no murder:")[0] + "; no murder: another plot killed " \
                    "the victim first"
            lines.append(f"  seed {run.seed}: " + text)
        lines.append(f"  in short: the act is reached in {killed} of {len(runs)} seeds")
    if not plots:
        lines.append("no plots: nobody ever means harm")
    return lines


def _run(story: LoadResult, seed: int) -> SeedRun:
    session = GameSession(story, seed=seed)
    try:
        session.start()
        runs = {p.plot: PlotRun(p.plot) for p in session.plot_probes()}

        def observe() -> bool:
            now = session.world.now
            for p in session.plot_probes():
                runs[p.plot].watch(now, p)
            return False  # never stops the skip: this is only a look

        observe()
        days = int(session.spec["mystery"]["loop_days"])
        session.do(Command("skip", topic="days", minutes=days), cancel=observe)
        observe()
        for murder in session.rules.state["murders"]:
            runs[str(murder["plot"])].murder = dict(murder)
        deaths = [str(m["victim"]) for m in session.rules.state["murders"]]
        return SeedRun(seed, runs, deaths)
    finally:
        session.close()


def _on_paper(story: LoadResult, plot_id: str) -> str:
    """From the story alone: in how many moments of the act window is the victim somewhere
    a plotter may walk in."""
    assert story.story is not None
    plot = next(p for p in story.story.plots if p.id == plot_id)
    seen = sightings(story.story, plot)
    if not seen:
        return "no act step, or no victim to find"
    open_ = [s for s in seen if s.open_to]
    places = sorted({s.place for s in seen if not s.open_to})
    text = (f"by routine, the victim is somewhere a plotter may enter in {len(open_)} of "
            f"{len(seen)} moments of the act window")
    if places:
        text += f" (closed to them then: {', '.join(places)})"
    return text


def _at(t: int) -> str:
    return f"D{t // MINUTES_PER_DAY + 1} {format_hhmm(t % MINUTES_PER_DAY)}"


def _describe(pr: PlotRun, names: dict[str, str]) -> str:
    seen = pr.seen
    parts = []
    labels = {"active": "started", "means_open": "means in reach", "holds_means": "means in hand",
              "alone": "victim alone in the window", "way_in": "alone with a way in"}
    for key in MILESTONES:
        if key in seen:
            parts.append(f"{labels[key]} {_at(seen[key])}")
    if pr.murder is not None:
        m = pr.murder
        parts.append(f"murder {_at(int(str(m['t'])))} by {names.get(str(m['killer']))}")
        return "; ".join(parts)
    parts.append("no murder: " + _blocker(pr))
    return "; ".join(parts)


def _blocker(pr: PlotRun) -> str:
    """The first thing the plan waited for and never got."""
    p, seen = pr.last, pr.seen
    if p is None:
        return "never looked at"
    if p.status == "abandoned":
        return f"abandoned ({p.reason})"
    if "active" not in seen:
        if not p.trigger_holds:
            return "its trigger never held"
        return "its motive_holds condition never held"
    if p.step in ("learn_routine", "recruit"):
        return f"stuck at its {p.step} step"
    if "means_open" not in seen:
        return ("the means never lay anywhere the plotter could enter "
                "(opening hours, a private place, or held by someone else)")
    if "holds_means" not in seen:
        return "the means were in reach but never taken (the plotter was asleep or busy then)"
    if "alone" not in seen:
        return "the victim was never alone in the act window"
    if "way_in" not in seen:
        return ("the victim was alone in the window only where the plotter may not enter "
                "(closed after hours: see after_hours and key)")
    return ("the moment came but the killer did not strike before the loop ended (was the "
            "plotter asleep when the window opened? see validate's warnings)")
