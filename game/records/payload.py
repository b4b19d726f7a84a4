"""What a save's payload holds, checked in full before anything uses it.

The container (``savefile``) vouches for the bytes; this module vouches for the meaning.
Every field has a type and a bound (``SavePayload``), so a malformed or hostile save is
one line of refusal, never an exception from deep inside a replay.

A save is self-contained: it carries its story's text, zlib-compressed, and the hash of
that text is checked against the header. A path stored in a save is never opened. Saves
of formats 1 and 2 held a path instead: their story is looked up among the stories
shipped with the game, by hash, then by scenario id, never by the path as given.
"""

from __future__ import annotations

import zlib
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

import game
from game.records.savefile import LoadedSave, SaveError, SaveHeader
from game.session import MINUTES_PER_DAY, story_hash

MAX_STORY_BYTES = 4 * 1024 * 1024  # the loader's limit for a story file
MAX_HISTORY = 1500  # player commands: a long game is a few hundred
REWIND_SLACK = 20  # rewinds allowed beyond one per other command (see SavePayload)
MAX_REPLAY_DAYS = 90  # game days a history may simulate, all branches together
MAX_REPLAY_MINUTES = MAX_REPLAY_DAYS * MINUTES_PER_DAY
STORY_ZLIB_LEVEL = 9
SHIPPED_STORIES = Path(game.__file__).resolve().parent.parent / "story"

Name = Annotated[str, Field(max_length=200)]
Scalar = Annotated[str, Field(max_length=2000)] | int | float | bool | None


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class HistoryEntry(_Strict):
    """One recorded player command (``Command.to_state``)."""

    verb: str = Field(min_length=1, max_length=32)
    target: Name = ""
    topic: Name = ""
    arg: str = Field(default="", max_length=2000)
    minutes: int = Field(default=0, ge=-10**9, le=10**9)
    extra: list[dict[Annotated[str, Field(max_length=32)], Name]] = Field(
        default_factory=list, max_length=6)

    @field_validator("extra")
    @classmethod
    def _small_entries(cls, value: list[dict[str, str]]) -> list[dict[str, str]]:
        if any(len(entry) > 8 for entry in value):
            raise ValueError("an accusation entry has too many fields")
        return value


class LLMRecordEntry(_Strict):
    """One recorded model answer, or the scripted fallback taken instead."""

    key: Name
    n: int = Field(ge=0, le=10**6)
    kind: str = Field(max_length=64)
    answer: str | None = Field(default=None, max_length=256 * 1024)
    fallback: str | None = Field(default=None, max_length=2000)

    @model_validator(mode="after")
    def _one_outcome(self) -> LLMRecordEntry:
        if (self.answer is None) == (self.fallback is None):
            raise ValueError("needs exactly one of answer and fallback")
        return self


class LLMRecord(_Strict):
    version: Literal[1]
    entries: list[LLMRecordEntry] = Field(max_length=200_000)


class MindConfig(BaseModel):
    """The model settings a save keeps (never the key): the request hashes of recorded
    answers include them. Unknown settings are kept if plain (a newer game's knobs)."""

    model_config = ConfigDict(extra="allow", strict=True, frozen=True)

    base_url: str | None = Field(default=None, max_length=2000)
    model: str | None = Field(default=None, max_length=200)
    timeout: float | None = Field(default=None, ge=0, le=3600)
    retries: int | None = Field(default=None, ge=0, le=100)
    backoff: float | None = Field(default=None, ge=0, le=3600)
    backoff_max: float | None = Field(default=None, ge=0, le=3600)
    validation_retries: int | None = Field(default=None, ge=0, le=100)
    temperature: float | None = Field(default=None, ge=0, le=10)
    seed: int | None = None
    concurrency: int | None = Field(default=None, ge=1, le=256)
    breaker_threshold: int | None = Field(default=None, ge=1, le=10_000)
    breaker_cooldown: float | None = Field(default=None, ge=0, le=86_400)
    mode: Literal["auto", "json_schema", "json_object", "plain"] | None = None

    @model_validator(mode="after")
    def _plain_extras(self) -> MindConfig:
        extras = self.model_extra or {}
        if len(extras) > 32:
            raise ValueError("too many settings")
        for key, value in extras.items():
            if len(key) > 64 or not (value is None or type(value) in (int, float, bool)
                                     or (type(value) is str and len(value) <= 2000)):
                raise ValueError(f"setting {key[:64]!r} is not a plain value")
        return self

    def as_mapping(self) -> dict[str, Any]:
        return self.model_dump(exclude_unset=True)


class SavePayload(_Strict):
    """Everything a replay needs, typed. ``tree`` and ``notebook`` are kept as plain maps
    (the timeline checks the tree itself when ``--verify`` compares it)."""

    story_zlib: bytes = Field(max_length=MAX_STORY_BYTES)
    story_size: int = Field(ge=1, le=MAX_STORY_BYTES)
    seed: int
    mind: str = Field(default="scripted", max_length=64)
    history: list[HistoryEntry] = Field(max_length=MAX_HISTORY)
    tree: dict[str, Any] = Field(default_factory=dict)
    notebook: dict[str, Any] = Field(default_factory=dict)
    llm_record: LLMRecord | None = None
    mind_config: MindConfig = Field(default_factory=MindConfig)
    mind_stats: dict[Annotated[str, Field(max_length=64)],
                     Scalar | dict[Annotated[str, Field(max_length=64)], Scalar]] = Field(
        default_factory=dict, max_length=64)

    @field_validator("llm_record", mode="before")
    @classmethod
    def _none_when_empty(cls, value: Any) -> Any:
        return None if value == [] else value  # saves before format 3 wrote [] for none

    @model_validator(mode="after")
    def _rewinds_follow_play(self) -> SavePayload:
        # Replay cost must follow real play: a rewind restores a whole world, so a history
        # of little but rewinds (20,000 in a 21 KB file) is not a game anyone played.
        rewinds = sum(1 for e in self.history if e.verb == "rewind")
        if rewinds > len(self.history) - rewinds + REWIND_SLACK:
            raise ValueError(f"{rewinds} of {len(self.history)} commands are rewinds")
        return self

    def story_text(self) -> str:
        """The embedded story, decompressed no further than its stated size."""
        inflater = zlib.decompressobj()
        try:
            raw = inflater.decompress(self.story_zlib, self.story_size + 1)
        except zlib.error:
            raise ValueError("the story inside the save does not decompress") from None
        if len(raw) != self.story_size or not inflater.eof or inflater.unused_data:
            raise ValueError("the story inside the save is not the size it claims")
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError:
            raise ValueError("the story inside the save is not UTF-8 text") from None

    def entries(self) -> list[dict[str, Any]]:
        """The history as the plain command states ``Command.from_state`` takes."""
        return [e.model_dump() for e in self.history]

    def record(self) -> dict[str, Any] | None:
        if self.llm_record is None:
            return None
        return {"version": 1, "entries": [e.model_dump(exclude_none=True)
                                          for e in self.llm_record.entries]}


def forward_minutes(times: list[tuple[int | None, int]]) -> int:
    """Game minutes a timeline simulated: each node's time after its parent's. ``times``
    holds (parent's time or None, node's time) for every node."""
    return sum(max(0, t - p) for p, t in times if p is not None)


def check_fits(history: list[Any], simulated: int) -> None:
    """Refuse to write a save that could not be loaded again (SaveError, one line)."""
    if len(history) > MAX_HISTORY:
        raise SaveError(f"cannot save: this timeline has {len(history)} commands, more than "
                        f"a save may replay ({MAX_HISTORY})")
    if simulated > MAX_REPLAY_MINUTES:
        raise SaveError(f"cannot save: this timeline simulates more than {MAX_REPLAY_DAYS} "
                        "days, more than a save may replay")


def embed_story(text: str) -> dict[str, Any]:
    """The payload fields that carry a story's text."""
    raw = text.encode("utf-8")
    return {"story_zlib": zlib.compress(raw, STORY_ZLIB_LEVEL), "story_size": len(raw)}


def _first_error(exc: ValidationError) -> str:
    err = exc.errors()[0]
    where = ".".join(str(p) for p in err.get("loc", ())) or "payload"
    return f"{where}: {err.get('msg', 'invalid')}"


def check_payload(name: str, loaded: LoadedSave) -> SavePayload:
    """The typed payload of a loaded save, migrated from older formats; SaveError (one
    line) if any field is wrong or the embedded story is not the one the header names."""
    raw = loaded.payload
    if loaded.written_format < 3:
        raw = migrate_payload(name, loaded.header, raw)
    try:
        payload = SavePayload.model_validate(raw)
        text = payload.story_text()
    except ValidationError as exc:
        raise SaveError(f"{name}: bad payload ({_first_error(exc)})") from None
    except ValueError as exc:
        raise SaveError(f"{name}: {exc}") from None
    if loaded.written_format >= 3 and story_hash(text) != loaded.header.scenario_hash:
        raise SaveError(f"{name}: the story inside the save does not match its header "
                        "(hash differs)")
    return payload


def migrate_payload(name: str, header: SaveHeader, raw: dict[str, Any]) -> dict[str, Any]:
    """Formats 1-2 -> 3: replace the story path with the text of a shipped story."""
    text = find_shipped_story(header.scenario_hash, header.scenario_id)
    if text is None:
        raise SaveError(f"{name}: this older save names a story that is not shipped with "
                        f"the game ({header.scenario_id!r}); it cannot be loaded")
    out = {k: v for k, v in raw.items() if k != "story"}
    out.update(embed_story(text))
    return out


def _shipped_files() -> list[Path]:
    try:
        files = sorted(p for p in SHIPPED_STORIES.iterdir() if p.suffix == ".toml")
    except OSError:
        return []
    return [p for p in files if p.is_file() and not p.is_symlink()]


def _read_story(path: Path) -> str | None:
    try:
        if path.stat().st_size > MAX_STORY_BYTES:
            return None
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def find_shipped_story(content_hash: str, scenario_id: str) -> str | None:
    """The text of the shipped story with this hash, else the one named ``scenario_id``
    (a replay of it then says the story changed). Only files in the game's story folder."""
    by_id = None
    for path in _shipped_files():
        text = _read_story(path)
        if text is None:
            continue
        if story_hash(text) == content_hash:
            return text
        if path.stem == scenario_id:
            by_id = text
    return by_id


def shipped_story_path(content_hash: str) -> Path | None:
    """The shipped story file whose text has this hash (the desktop offers it for a new
    game after a load); None for a story that came only inside a save."""
    for path in _shipped_files():
        text = _read_story(path)
        if text is not None and story_hash(text) == content_hash:
            return path
    return None
