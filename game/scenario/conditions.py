"""The condition vocabulary of story files, as pydantic models.

A condition is a TOML inline table with exactly one of the keys below (plus its
parameters). It is data: the mystery layer interprets it; nothing is evaluated
as code.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal, get_args

from pydantic import BaseModel, BeforeValidator, ConfigDict, Discriminator, Field, Tag


class _Cond(BaseModel):
    model_config = ConfigDict(extra="forbid")


class FactKnown(_Cond):
    fact_known: str = Field(description="fact id")
    by: str = Field(description="character id, or 'player'")


class DayAtLeast(_Cond):
    day_at_least: int = Field(ge=1, description="1 is the first day of the loop")


class TimeBetween(_Cond):
    time_between: tuple[str, str] = Field(description="time of day window, e.g. ['20:00', '04:00']")


class ItemHeld(_Cond):
    item_held: str = Field(description="item id")
    by: str = Field(description="character id, 'player', or 'anyone'")


class AgentAt(_Cond):
    agent_at: str = Field(description="character id or 'player'")
    location: str


class Alive(_Cond):
    alive: str = Field(description="character id or 'player'")


class Watched(_Cond):
    watched: str = Field(description="character id being watched by the law")


class Suspected(_Cond):
    suspected: str = Field(description="character id who knows the law has its eye on them")


class Affinity(_Cond):
    affinity_below: float = Field(ge=-1, le=1)
    of: str
    toward: str


class PlotStatus(_Cond):
    plot: str
    status: Literal["dormant", "active", "abandoned", "done"]


class Accused(_Cond):
    accused: list[str] = Field(description="characters whose guilt was proven")


class MurderHappened(_Cond):
    murder_happened: bool


class ClueFound(_Cond):
    clue_found: str


class ItemAt(_Cond):
    item_at: str = Field(description="item id: it lies (not carried) at the location")
    location: str


class PlotStepDone(_Cond):
    plot_step: str = Field(description="plot id")
    done: Literal["acquire", "learn_routine", "recruit", "act", "clean", "return", "hide",
                  "go", "alibi"] = Field(description="a step kind: that step is done")


class DeathsAtLeast(_Cond):
    deaths_at_least: int = Field(ge=1, description="the player has died this many times "
                                 "(in earlier loops)")


class Remembers(_Cond):
    remembers: str = Field(description="a clue or fact id the player's notebook holds from an "
                           "earlier loop")


class All(_Cond):
    all: list[Condition]


class AnyOf(_Cond):
    any: list[Condition]


class Not(_Cond):
    not_: Condition = Field(alias="not")
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


# Each condition model under the key that names it in a story file. Spelled out (not
# built in a loop) so that a type checker can read the union.
_TAGGED = (
    Annotated[FactKnown, Tag("fact_known")] | Annotated[DayAtLeast, Tag("day_at_least")]
    | Annotated[TimeBetween, Tag("time_between")] | Annotated[ItemHeld, Tag("item_held")]
    | Annotated[AgentAt, Tag("agent_at")] | Annotated[Alive, Tag("alive")]
    | Annotated[Watched, Tag("watched")] | Annotated[Suspected, Tag("suspected")]
    | Annotated[Affinity, Tag("affinity_below")]
    | Annotated[PlotStatus, Tag("plot")] | Annotated[Accused, Tag("accused")]
    | Annotated[MurderHappened, Tag("murder_happened")]
    | Annotated[ClueFound, Tag("clue_found")] | Annotated[ItemAt, Tag("item_at")]
    | Annotated[PlotStepDone, Tag("plot_step")]
    | Annotated[DeathsAtLeast, Tag("deaths_at_least")]
    | Annotated[Remembers, Tag("remembers")] | Annotated[All, Tag("all")]
    | Annotated[AnyOf, Tag("any")] | Annotated[Not, Tag("not")]
)
_TAGS: dict[str, type[_Cond]] = {
    get_args(member)[1].tag: get_args(member)[0] for member in get_args(_TAGGED)
}


def _tag(value: Any) -> str | None:
    if isinstance(value, BaseModel):
        for key, cls in _TAGS.items():
            if isinstance(value, cls):
                return key
        return None
    if isinstance(value, dict):
        for key in _TAGS:
            if key in value:
                return key
    return None


def _one_key(value: Any) -> Any:
    """Two condition keys in one table is a common slip: say so, not 'unknown field'."""
    if isinstance(value, dict):
        keys = [k for k in value if k in _TAGS]
        if len(keys) > 1:
            raise ValueError(
                f"a condition takes exactly one key, got {', '.join(keys)}: combine "
                "conditions with all = [...] or any = [...]")
    return value


Condition = Annotated[
    _TAGGED,
    Discriminator(
        _tag,
        custom_error_type="condition",
        custom_error_message="expected a condition: a table with one of the keys "
        + ", ".join(_TAGS),
    ),
    BeforeValidator(_one_key),
]

for _cls in (All, AnyOf, Not):
    _cls.model_rebuild()


def condition_refs(cond: BaseModel) -> list[tuple[str, str, str]]:
    """(kind, id, field) for every id a condition mentions, for cross-checks."""
    out: list[tuple[str, str, str]] = []
    if isinstance(cond, FactKnown):
        out += [("fact", cond.fact_known, "fact_known"), ("agent", cond.by, "by")]
    elif isinstance(cond, ItemHeld):
        out.append(("item", cond.item_held, "item_held"))
        if cond.by != "anyone":
            out.append(("agent", cond.by, "by"))
    elif isinstance(cond, AgentAt):
        out += [("agent", cond.agent_at, "agent_at"), ("location", cond.location, "location")]
    elif isinstance(cond, Alive):
        out.append(("agent", cond.alive, "alive"))
    elif isinstance(cond, Watched):
        out.append(("agent", cond.watched, "watched"))
    elif isinstance(cond, Suspected):
        out.append(("agent", cond.suspected, "suspected"))
    elif isinstance(cond, Affinity):
        out += [("agent", cond.of, "of"), ("agent", cond.toward, "toward")]
    elif isinstance(cond, PlotStatus):
        out.append(("plot", cond.plot, "plot"))
    elif isinstance(cond, Accused):
        out += [("agent", a, "accused") for a in cond.accused]
    elif isinstance(cond, ClueFound):
        out.append(("clue", cond.clue_found, "clue_found"))
    elif isinstance(cond, ItemAt):
        out += [("item", cond.item_at, "item_at"), ("location", cond.location, "location")]
    elif isinstance(cond, PlotStepDone):
        out.append(("plot", cond.plot_step, "plot_step"))
    elif isinstance(cond, Remembers):
        out.append(("clue_or_fact", cond.remembers, "remembers"))
    elif isinstance(cond, All):
        for c in cond.all:
            out += condition_refs(c)
    elif isinstance(cond, AnyOf):
        for c in cond.any:
            out += condition_refs(c)
    elif isinstance(cond, Not):
        out += condition_refs(cond.not_)
    return out


def condition_to_data(cond: BaseModel) -> dict[str, Any]:
    """Plain dict the mystery layer evaluates (keys as written in the story file)."""
    return cond.model_dump(by_alias=True, mode="json")
