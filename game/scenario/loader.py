"""Read a story file: TOML -> pydantic models -> cross-checks, every problem at once."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path as FsPath

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from .conditions import _TAGS
from .errors import StoryProblem
from .schema import Story
from .toml_lines import MAX_KEY_PARTS, LineMap, Path, too_deep_key

MAX_STORY_BYTES = 4 * 1024 * 1024
_TOML_POS = re.compile(r"\(at line (\d+), column (\d+)\)")


@dataclass
class LoadResult:
    file: str
    story: Story | None
    errors: list[StoryProblem] = field(default_factory=list)
    warnings: list[StoryProblem] = field(default_factory=list)
    text: str = ""

    @property
    def ok(self) -> bool:
        return self.story is not None and not self.errors


PROJECT = FsPath(__file__).resolve().parents[2]
SAVE_MAGIC = b"HSAV"


def resolve_story_path(path: str | FsPath) -> FsPath:
    """Accept a file, a folder holding story.toml, a scenario id under story/, or a path
    relative to the game's own folder (so 'story/main.toml' works from anywhere)."""
    p = FsPath(path)
    if p.is_dir() and (p / "story.toml").is_file():
        return p / "story.toml"
    if not p.exists() and not p.suffix:
        for base in (FsPath("story"), PROJECT / "story"):
            if (base / f"{p.name}.toml").is_file():
                return base / f"{p.name}.toml"
    if not p.exists() and not p.is_absolute() and (PROJECT / p).is_file():
        return PROJECT / p
    return p


def load_story(path: str | FsPath) -> LoadResult:
    p = resolve_story_path(path)
    name = str(path)
    problem = _unreadable(p)
    if problem:
        return LoadResult(name, None, [StoryProblem(name, None, (), problem)])
    try:
        with p.open("rb") as f:
            raw = f.read(MAX_STORY_BYTES + 1)
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        return LoadResult(name, None, [StoryProblem(name, None, (), f"cannot read: {reason}")])
    if len(raw) > MAX_STORY_BYTES:
        return LoadResult(name, None, [StoryProblem(name, None, (), "file is larger than 4 MiB")])
    if raw.startswith(SAVE_MAGIC):
        return LoadResult(name, None, [StoryProblem(
            name, None, (), "this is a save file, not a story: load it in the game, or use "
            "`hindsight replay`")])
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return LoadResult(name, None, [StoryProblem(
            name, raw[: exc.start].count(b"\n") + 1, (), "expected UTF-8 text (a TOML story)")])
    return load_story_text(text, name)


def _unreadable(p: FsPath) -> str:
    """Why ``p`` is not a story file we may open, or ''. Never blocks (no FIFOs, devices)."""
    try:
        st = p.stat()
    except FileNotFoundError:
        return "no such story file (try a path under story/, or a story id like 'main')"
    except OSError as exc:
        return f"cannot read: {exc.strerror or type(exc).__name__}"
    import stat

    if stat.S_ISDIR(st.st_mode):
        return "is a folder, not a story file (a story folder holds story.toml)"
    if not stat.S_ISREG(st.st_mode):
        return "is not a regular file"
    return ""


def load_story_text(text: str, name: str = "<story>") -> LoadResult:
    deep = too_deep_key(text)
    if deep is not None:
        return LoadResult(name, None, [StoryProblem(
            name, deep[0], (), f"a key of {deep[1]} dotted parts: at most {MAX_KEY_PARTS} "
            "(story files never nest deeper)")], text=text)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        msg = str(exc)
        pos = _TOML_POS.search(msg)
        line = int(pos.group(1)) if pos else None
        clean = _TOML_POS.sub("", msg).strip()
        return LoadResult(name, None, [StoryProblem(name, line, (), f"invalid TOML: {clean}")],
                          text=text)
    except RecursionError:
        problem = StoryProblem(name, None, (), "invalid TOML: nested too deeply")
        return LoadResult(name, None, [problem])
    lines = LineMap(text)
    try:
        story = Story.model_validate(data)
    except ValidationError as exc:
        problems = [_problem(name, lines, err) for err in exc.errors()]
        return LoadResult(name, None, _dedupe(problems), text=text)
    except RecursionError:
        return LoadResult(name, None, [StoryProblem(name, None, (), "nested too deeply")])
    from .validate import cross_check

    errors, warnings = cross_check(story, name, lines)
    return LoadResult(name, story, errors, warnings, text=text)


def _problem(name: str, lines: LineMap, err: ErrorDetails) -> StoryProblem:
    loc = _strip_tags(tuple(err["loc"]))
    message = _explain(err)
    return StoryProblem(name, lines.line_of(loc), loc, message)


def _strip_tags(loc: Path) -> Path:
    """Drop pydantic's union tags ('fact_known' in trigger.fact_known.by) from paths."""
    out: list[str | int] = []
    for i, part in enumerate(loc):
        if isinstance(part, str) and part in _TAGS and i + 1 < len(loc):
            fields = _TAGS[part].model_fields
            names = set(fields) | {f.alias for f in fields.values() if f.alias}
            if loc[i + 1] in names:
                continue
        out.append(part)
    return tuple(out)


def _explain(err: ErrorDetails) -> str:
    kind = err["type"]
    given = err.get("input")
    if kind == "missing":
        return "required field is missing"
    if kind == "extra_forbidden":
        return "unknown field (check the spelling; see `hindsight schema`)"
    msg = err["msg"]
    if msg.startswith("Value error, "):
        msg = msg[len("Value error, "):]
    if kind.endswith("_type") or kind.startswith("literal") or kind.startswith("enum"):
        shown = repr(given)
        if len(shown) > 40:
            shown = shown[:37] + "..."
        return f"{msg[0].lower() + msg[1:]}, got {shown}"
    return msg[0].lower() + msg[1:] if msg else kind


def _dedupe(problems: list[StoryProblem]) -> list[StoryProblem]:
    seen: set[tuple] = set()
    out = []
    for p in problems:
        key = (p.line, p.path, p.message)
        if key not in seen:
            seen.add(key)
            out.append(p)
    return out
