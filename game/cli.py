"""`hindsight` command line: play, simulate, validate, schema, replay, report."""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="hindsight", description=__doc__)
    sub = parser.add_subparsers(dest="command")

    p = sub.add_parser("play", help="play the game (desktop window, or --text)")
    p.add_argument("story", nargs="?", default=None, help="story file or id (default: pick)")
    p.add_argument("--text", action="store_true", help="play in the terminal")
    p.add_argument("--commands", help="read text-mode commands from this file")
    p.add_argument("--seed", type=int)
    p.add_argument("--saves-dir")
    p.add_argument("--fullscreen", action="store_true")
    _mind_args(p)

    s = sub.add_parser("simulate", help="run the town headless and print a chronicle")
    s.add_argument("story")
    s.add_argument("--days", type=int, default=None)
    s.add_argument("--seed", type=int)
    s.add_argument("--json", action="store_true")
    s.add_argument("--watch", action="store_true", help="re-run when the file changes")
    _mind_args(s)

    v = sub.add_parser("validate", help="check story files; exit 1 on errors")
    v.add_argument("paths", nargs="+")

    sub.add_parser("schema", help="print the story-file JSON Schema")

    r = sub.add_parser("replay", help="re-run a saved timeline")
    r.add_argument("save")
    r.add_argument("--verify", action="store_true", help="check every snapshot hash")

    rep = sub.add_parser("report", help="write a simulation report for a save")
    rep.add_argument("save")
    rep.add_argument("--out", default="-")
    rep.add_argument("--format", choices=["html", "md"], default=None)

    args = parser.parse_args(argv)
    if args.command is None:
        args = parser.parse_args(["play", *(argv or [])])
    handler = {"play": cmd_play, "simulate": cmd_simulate, "validate": cmd_validate,
               "schema": cmd_schema, "replay": cmd_replay, "report": cmd_report}[args.command]
    return handler(args)


def _mind_args(parser: argparse.ArgumentParser) -> None:
    g = parser.add_argument_group("minds (default: the offline scripted minds)")
    g.add_argument("--mind", choices=["scripted", "llm", "local"], default="scripted",
                   help="llm: any OpenAI-compatible server; local: the bundled SmolLM2 model")
    g.add_argument("--base-url", help="OpenAI-compatible base URL, e.g. http://127.0.0.1:11434/v1")
    g.add_argument("--model", help="model name on that server")
    g.add_argument("--gguf", help="local: use this GGUF file instead of the bundled model")


def _mind_factory(args: argparse.Namespace):
    """The key comes from HINDSIGHT_API_KEY / OPENAI_API_KEY, never from the command line."""
    from game.minds.factory import make_mind

    if getattr(args, "mind", "scripted") == "scripted":
        return None
    mind = make_mind(args.mind, base_url=args.base_url, model=args.model, gguf=args.gguf)
    return lambda: mind


def cmd_validate(args: argparse.Namespace) -> int:
    from game.scenario.loader import load_story

    console = Console(highlight=False)
    bad = 0
    for path in args.paths:
        result = load_story(path)
        for problem in result.errors:
            console.print(f"[red]{problem}[/red]")
        for problem in result.warnings:
            console.print(f"[yellow]{problem}[/yellow]")
        if result.errors:
            bad += 1
            console.print(f"{path}: {len(result.errors)} error(s), "
                          f"{len(result.warnings)} warning(s)")
        else:
            console.print(f"[green]{path}: valid[/green] ({len(result.warnings)} warning(s))")
    return 1 if bad else 0


def cmd_schema(args: argparse.Namespace) -> int:
    from game.scenario.schema import Story

    print(json.dumps(Story.model_json_schema(), indent=2))
    return 0


def cmd_play(args: argparse.Namespace) -> int:
    story = args.story
    if args.text or args.commands:
        from game.session import GameSession
        from game.textplay import TextGame

        session = GameSession(story or "tutorial", seed=args.seed,
                              mind_factory=_mind_factory(args))
        session.start()
        if args.commands:
            game = TextGame(session, sys.stdout, saves_dir=args.saves_dir)
            lines = Path(args.commands).read_text(encoding="utf-8").splitlines()
            return game.run(lines, echo=True)
        game = TextGame(session, sys.stdout, saving=True, saves_dir=args.saves_dir)
        code = game.run(_stdin_lines())
        print(game.save("autosave"))
        return code
    try:
        from game.ui.app import run
    except ImportError as exc:  # the desktop UI is optional at import time only
        print(f"desktop UI unavailable ({exc}); use --text", file=sys.stderr)
        return 2
    return run(story=story, seed=args.seed, saves_dir=args.saves_dir,
               fullscreen=args.fullscreen)


def _stdin_lines():
    while True:
        try:
            yield input("> ")
        except EOFError:
            return


def simulate_story(path: str, days: int | None, seed: int | None,
                   progress_cb=None, mind_factory=None) -> dict:
    """Run the whole town (the player on autopilot) and return the chronicle as data."""
    from game.chronicle import chronicle, summary
    from game.session import GameSession

    session = GameSession(path, seed=seed, mind_factory=mind_factory)
    session.start()
    days = days or session.spec["mystery"]["loop_days"]
    target = session.world.now + days * 1440
    session.skip("days", days, progress=progress_cb)
    w = session.world
    # The town goes on after the victim dies: show the writer the whole span asked for.
    w.run_until(target, progress=progress_cb)
    return {
        "scenario": session.scenario_id, "seed": session.seed, "days": days,
        "digest": w.log.digest, "events": len(w.log),
        "murders": session.rules.state["murders"],
        "plots": {k: v["status"] for k, v in session.rules.state["plots"].items()},
        "chronicle": chronicle(w), "summary": summary(w), "ended": session.status,
        "mind": getattr(session.mind, "name", "scripted"),
        "mind_stats": session.mind.stats() if hasattr(session.mind, "stats") else {},
    }


def cmd_simulate(args: argparse.Namespace) -> int:
    from game.scenario.errors import StoryError

    console = Console(highlight=False, stderr=False)
    factory = _mind_factory(args)

    def once() -> int:
        try:
            if args.json:
                data = simulate_story(args.story, args.days, args.seed,
                                      mind_factory=factory)
                print(json.dumps(data, indent=1))
                return 0
            with Progress(TextColumn("simulating"), BarColumn(), TextColumn("{task.description}"),
                          TimeElapsedColumn(), console=console, transient=True) as bar:
                task = bar.add_task("", total=1.0)

                def cb(now: int, end: int) -> None:
                    bar.update(task, completed=min(1.0, now / max(end, 1)),
                               description=f"day {now // 1440 + 1}")

                data = simulate_story(args.story, args.days, args.seed, cb, factory)
        except StoryError as exc:
            for p in exc.problems:
                console.print(f"[red]{p}[/red]")
            return 1
        _print_chronicle(console, data)
        return 0

    if not args.watch:
        return once()
    from game.scenario.loader import resolve_story_path

    path = resolve_story_path(args.story)
    last = None
    try:
        while True:
            stamp = path.stat().st_mtime_ns if path.exists() else None
            if stamp != last:
                last = stamp
                console.rule(f"{path} @ {time.strftime('%H:%M:%S')}")
                once()
                console.print("[dim]watching for changes (Ctrl+C to stop)...[/dim]")
            time.sleep(0.5)
    except KeyboardInterrupt:
        return 0


def _print_chronicle(console: Console, data: dict) -> None:
    for day in data["chronicle"]:
        console.rule(f"Day {day['day']}")
        for e in day["events"]:
            style = {"murder": "bold red", "plot": "magenta", "conspire": "magenta",
                     "take": "yellow", "fact_spread": "cyan"}.get(e["kind"], "")
            console.print(f"{e['time']}  {e['text']}", style=style)
    table = Table(title=f"{data['scenario']} — seed {data['seed']}, {data['days']} days")
    for col in ("name", "alive", "talks", "facts", "memories", "location"):
        table.add_column(col)
    for row in data["summary"]:
        table.add_row(row["name"], "yes" if row["alive"] else "[red]no[/red]",
                      str(row["talks"]), str(row["facts"]), str(row["memories"]),
                      row["location"])
    console.print(table)
    console.print(f"plots: {data['plots']}")
    console.print(f"events: {data['events']}  digest: {data['digest']}")


def cmd_replay(args: argparse.Namespace) -> int:
    from game.timeline.replay import ReplayError, replay_save

    try:
        result = replay_save(args.save, verify=args.verify)
    except ReplayError as exc:
        print(f"hindsight replay: {exc}", file=sys.stderr)
        return 1
    print(result.describe())
    return 0 if result.ok else 1


def cmd_report(args: argparse.Namespace) -> int:
    from game.timeline.replay import ReplayError
    from game.timeline.report import write_report

    fmt = args.format or ("md" if str(args.out).endswith(".md") else "html")
    try:
        text = write_report(args.save, fmt)
    except ReplayError as exc:
        print(f"hindsight report: {exc}", file=sys.stderr)
        return 1
    if args.out == "-":
        print(text)
    else:
        Path(args.out).write_text(text, encoding="utf-8")
        print(f"wrote {args.out}")
    return 0
