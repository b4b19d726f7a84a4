"""`hindsight` command line: play, simulate, validate, schema, replay, report.

Start-up problems (a missing story, a save given as a story, a mind that cannot start, a bad
option) are one line on stderr and exit status 2. Whatever ends the program (a normal exit,
Ctrl+C, SIGTERM, an error) closes the session, so no model server outlives it.
"""

from __future__ import annotations

import argparse
import json
import logging
import signal
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NoReturn

from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from game.session import (
    MAX_SEED,
    MINUTES_PER_DAY,
    GameSession,
    LoadResult,
    MindFactory,
    MindUnavailable,
    load_story,
    open_mind,
    plural,
    resolve_story_path,
)

USAGE_ERROR = 2
DEFAULT_STORY = "tutorial"
MAX_EXPLAIN_SEEDS = 50


class Parser(argparse.ArgumentParser):
    """argparse, but a bad option is one line, not a usage block."""

    def error(self, message: str) -> NoReturn:
        self.exit(USAGE_ERROR, f"{self.prog}: {message} (see {self.prog} --help)\n")


class StartupError(Exception):
    """One line for stderr; the program exits with status 2."""


def main(argv: list[str] | None = None) -> int:
    _log_to_file()
    args = _parser().parse_args(argv)
    if args.command is None:
        args = _parser().parse_args(["play", *(argv or [])])
    handler = {"play": cmd_play, "simulate": cmd_simulate, "validate": cmd_validate,
               "schema": cmd_schema, "replay": cmd_replay, "report": cmd_report}[args.command]
    previous = signal.signal(signal.SIGTERM, _terminate)
    try:
        return handler(args)
    except StartupError as exc:
        print(f"hindsight: {exc}", file=sys.stderr)
        return USAGE_ERROR
    except KeyboardInterrupt:
        print("\nhindsight: interrupted", file=sys.stderr)
        return 130
    finally:
        signal.signal(signal.SIGTERM, previous)


def _log_to_file() -> None:
    """Warnings and tracebacks go to the game's log file, never to the player's terminal."""
    from game.records.paths import log_path

    root = logging.getLogger()
    if root.handlers:
        return  # a test harness or an embedding program chose already
    try:
        path = log_path()
        path.parent.mkdir(parents=True, exist_ok=True)
        handler: logging.Handler = logging.FileHandler(path, encoding="utf-8")
    except OSError:
        handler = logging.NullHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(levelname)s %(message)s"))
    root.addHandler(handler)
    root.setLevel(logging.INFO)


def _terminate(signum: int, frame: Any) -> None:
    """SIGTERM unwinds like an exception, so every ``finally`` (closing minds) runs."""
    raise SystemExit(128 + signum)


def _parser() -> Parser:
    parser = Parser(prog="hindsight", description=__doc__)
    sub = parser.add_subparsers(dest="command", parser_class=Parser)

    p = sub.add_parser("play", help="play the game (desktop window, or --text)")
    p.add_argument("story", nargs="?", default=None, help="story file or id (default: pick)")
    p.add_argument("--text", action="store_true", help="play in the terminal")
    p.add_argument("--commands", help="read text-mode commands from this file")
    p.add_argument("--seed", type=_seed)
    p.add_argument("--saves-dir")
    p.add_argument("--fullscreen", action="store_true")
    _mind_args(p)

    s = sub.add_parser("simulate", help="run the town headless and print a chronicle")
    s.add_argument("story")
    s.add_argument("--days", type=int, default=None)
    s.add_argument("--seed", type=_seed)
    s.add_argument("--json", action="store_true")
    s.add_argument("--watch", action="store_true", help="re-run when the file changes")
    _mind_args(s)

    v = sub.add_parser("validate", help="check story files; exit 1 on errors")
    v.add_argument("paths", nargs="+")
    v.add_argument("--explain", action="store_true",
                   help="run the loop on a few seeds and say why each plot does or does not "
                        "reach its act")
    v.add_argument("--seeds", type=int, default=3, help="--explain: how many seeds (1, 2, ...)")

    sub.add_parser("schema", help="print the story-file JSON Schema")

    r = sub.add_parser("replay", help="re-run a saved timeline")
    r.add_argument("save")
    r.add_argument("--verify", action="store_true", help="check every snapshot hash")

    rep = sub.add_parser("report", help="write a simulation report for a save")
    rep.add_argument("save")
    rep.add_argument("--out", default="-")
    rep.add_argument("--format", choices=["html", "md"], default=None)
    return parser


def _seed(text: str) -> int:
    """A seed a save can store: 0 to 2^63-1, as in a story's [scenario] seed."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if not 0 <= value <= MAX_SEED:
        raise argparse.ArgumentTypeError(f"a seed runs from 0 to {MAX_SEED}, got {text[:30]}")
    return value


def _mind_args(parser: argparse.ArgumentParser) -> None:
    g = parser.add_argument_group("minds (default: the offline scripted minds)")
    g.add_argument("--mind", choices=["scripted", "llm", "local"], default="scripted",
                   help="llm: any OpenAI-compatible server; local: the bundled SmolLM2 model")
    g.add_argument("--base-url", help="OpenAI-compatible base URL, e.g. http://127.0.0.1:11434/v1")
    g.add_argument("--model", help="model name on that server")
    g.add_argument("--gguf", help="local: use this GGUF file instead of the bundled model")


def _mind_factory(args: argparse.Namespace) -> MindFactory | None:
    """The key comes from HINDSIGHT_API_KEY / OPENAI_API_KEY, never from the command line."""
    try:
        return open_mind(args.mind, base_url=args.base_url, model=args.model, gguf=args.gguf)
    except MindUnavailable as exc:
        raise StartupError(str(exc)) from None


def _story(path: str) -> LoadResult:
    """A story that loads, or a StartupError naming the first problem (file:line: path)."""
    result = load_story(path)
    if not result.ok:
        first = result.errors[0] if result.errors else f"{path}: cannot be used"
        more = f" (and {len(result.errors) - 1} more: hindsight validate {path})" \
            if len(result.errors) > 1 else ""
        raise StartupError(f"{first}{more}")
    return result


def _session(story: str, seed: int | None, factory: MindFactory | None) -> GameSession:
    session = GameSession(_story(story), seed=seed, mind_factory=factory)
    try:
        session.start()
    except BaseException:
        session.close()
        raise
    return session


# --------------------------------------------------------------------- play
def cmd_play(args: argparse.Namespace) -> int:
    story = args.story
    if args.text or args.commands:
        from game.textplay import TextGame

        lines: list[str] | None = None
        if args.commands:
            try:
                lines = Path(args.commands).read_text(encoding="utf-8").splitlines()
            except (OSError, UnicodeDecodeError) as exc:
                raise StartupError(f"{args.commands}: cannot read the command file "
                                   f"({getattr(exc, 'strerror', None) or exc})") from None
        _story(story or DEFAULT_STORY)  # a bad story fails before a model server starts
        session = _session(story or DEFAULT_STORY, args.seed, _mind_factory(args))
        game = TextGame(session, sys.stdout, saving=lines is None,
                        saves_dir=args.saves_dir)
        try:
            if lines is not None:
                return game.run(lines, echo=True)
            code = game.run(_stdin_lines())
            print(game.save("autosave"))
            return code
        finally:
            game.s.close()
    if story is not None:
        _story(story)
    try:
        from game.ui.app import run
    except ImportError as exc:  # the desktop UI is optional at import time only
        raise StartupError(f"the desktop game cannot start ({exc}); try --text") from None
    return run(story=story, seed=args.seed, saves_dir=args.saves_dir,
               fullscreen=args.fullscreen)


def _stdin_lines() -> Iterator[str]:
    while True:
        try:
            yield input("> ")
        except (EOFError, KeyboardInterrupt):
            print()
            return


# --------------------------------------------------------------------- simulate
def cmd_simulate(args: argparse.Namespace) -> int:
    from game.records.simulate import simulate_story

    console = Console(highlight=False, soft_wrap=True)
    _story(args.story)
    if args.days is not None and args.days < 1:
        raise StartupError("--days must be at least 1")
    factory = _mind_factory(args)

    def once() -> int:
        result = load_story(args.story)
        if not result.ok:
            for p in result.errors:
                console.print(escape(str(p)), style="red")
            return 1
        if args.json:
            data = simulate_story(args.story, args.days, args.seed, mind_factory=factory)
            print(json.dumps(data, indent=1))
            return 0
        with Progress(TextColumn("simulating"), BarColumn(), TextColumn("{task.description}"),
                      TimeElapsedColumn(), console=console, transient=True) as bar:
            task = bar.add_task("", total=1.0)

            def progress(now: int, end: int) -> None:
                bar.update(task, completed=min(1.0, now / max(end, 1)),
                           description=f"day {now // MINUTES_PER_DAY + 1}")

            data = simulate_story(args.story, args.days, args.seed, progress, factory)
        if data.get("notice"):
            console.print(escape(data["notice"]), style="yellow")
        _print_chronicle(console, data)
        return 0

    try:
        if not args.watch:
            return once()
        path = resolve_story_path(args.story)
        last = None
        while True:
            stamp = path.stat().st_mtime_ns if path.exists() else None
            if stamp != last:
                last = stamp
                console.rule(f"{escape(str(path))} @ {time.strftime('%H:%M:%S')}")
                once()
                console.print("[dim]watching for changes (Ctrl+C to stop)...[/dim]")
            time.sleep(0.5)
    except KeyboardInterrupt:
        return 0
    finally:
        if factory is not None:
            from game.session import close_mind

            close_mind(factory())


def _print_chronicle(console: Console, data: dict[str, Any]) -> None:
    for day in data["chronicle"]:
        console.rule(f"Day {day['day']}")
        for e in day["events"]:
            style = {"murder": "bold red", "plot": "magenta", "conspire": "magenta",
                     "take": "yellow", "fact_spread": "cyan"}.get(e["kind"], "")
            console.print(f"{e['time']}  {escape(e['text'])}", style=style)
    table = Table(title=escape(f"{data['scenario']} — seed {data['seed']}, {data['days']} days"))
    for col in ("name", "alive", "talks", "facts", "memories", "location"):
        table.add_column(col)
    for row in data["summary"]:
        table.add_row(escape(row["name"]), "yes" if row["alive"] else "[red]no[/red]",
                      str(row["talks"]), str(row["facts"]), str(row["memories"]),
                      escape(row["location"]))
    console.print(table)
    if data.get("travels"):
        console.rule("How news travelled")
        for trip in data["travels"]:
            console.print(escape(f"“{trip['text']}” {trip['story']}"))
    console.print(escape(f"plots: {data['plots']}"))
    console.print(f"events: {data['events']}  digest: {data['digest']}")


# --------------------------------------------------------------------- writers and records
def cmd_validate(args: argparse.Namespace) -> int:
    console = Console(highlight=False, soft_wrap=True)
    bad = 0
    for path in args.paths:
        result = load_story(path)
        for problem in result.errors:
            console.print(escape(str(problem)), style="red")
        for problem in result.warnings:
            console.print(escape(str(problem)), style="yellow")
        if result.errors:
            bad += 1
            console.print(escape(f"{path}: {plural(len(result.errors), 'error')}, "
                                 f"{plural(len(result.warnings), 'warning')}"))
        else:
            console.print(f"[green]{escape(path)}: valid[/green] "
                          f"({plural(len(result.warnings), 'warning')})")
            if args.explain:
                from game.records.explain import explain_story

                if not 1 <= args.seeds <= MAX_EXPLAIN_SEEDS:
                    raise StartupError(f"--seeds takes 1 to {MAX_EXPLAIN_SEEDS}")
                for line in explain_story(result, tuple(range(1, args.seeds + 1))):
                    console.print(escape(line))
    return 1 if bad else 0


def cmd_schema(args: argparse.Namespace) -> int:
    from game.session import story_schema

    print(json.dumps(story_schema(), indent=2))
    return 0


def cmd_replay(args: argparse.Namespace) -> int:
    from game.records.replay import ReplayError, replay_save

    try:
        result = replay_save(args.save, verify=args.verify)
    except ReplayError as exc:
        print(f"hindsight replay: {exc}", file=sys.stderr)
        return 1
    try:
        print(result.describe())
    finally:
        if result.session is not None:
            result.session.close()
    return 0 if result.ok else 1


def cmd_report(args: argparse.Namespace) -> int:
    from game.records.replay import ReplayError
    from game.records.report import write_report

    fmt = args.format or ("md" if str(args.out).endswith(".md") else "html")
    try:
        text = write_report(args.save, fmt)
    except ReplayError as exc:
        print(f"hindsight report: {exc}", file=sys.stderr)
        return 1
    if args.out == "-":
        print(text)
    else:
        try:
            Path(args.out).write_text(text, encoding="utf-8")
        except OSError as exc:
            raise StartupError(f"{args.out}: cannot write ({exc.strerror})") from None
        print(f"wrote {args.out}")
    return 0
