"""The Mind protocol: the thin seam between the world and whatever decides.

Modelled on Concordia's small language-model interface: the world hands a mind a
``Situation`` (everything the agent may know right now, plus the allowed
actions) and takes back one of those actions. Decisions that fall due at the
same moment arrive together in one ``decide`` call, so an LLM mind can answer
them concurrently.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from .actions import TALK_MINUTES, Action
from .memory import MemoryNode
from .model import PlanBlock

if TYPE_CHECKING:
    from .world import World


@dataclass
class Situation:
    """What an agent knows at a decision point.

    ``memories`` are retrieved on first access, not up front: retrieval is the
    costliest part of a decision, and a mind that has no use for it (the scripted
    mind walking alone to work) should not pay for it.
    """

    agent_id: str
    time: int
    location: str
    present: list[str]
    allowed: list[Action]
    plan_block: PlanBlock | None
    intentions: list[dict] = field(default_factory=list)
    recall: Callable[[], list[MemoryNode]] | None = None
    _memories: list[MemoryNode] | None = None

    @property
    def memories(self) -> list[MemoryNode]:
        if self._memories is None:
            self._memories = self.recall() if self.recall is not None else []
        return self._memories


@dataclass
class Conversation:
    lines: list[tuple[str, str]]  # (speaker id, text)
    summary_a: str
    summary_b: str
    duration: int = TALK_MINUTES


@dataclass
class Reflection:
    text: str
    evidence: list[int]
    importance: int = 6
    subject: str = ""


class Mind(Protocol):
    """Decides for every non-player agent. Implementations live in game/minds."""

    name: str

    def decide(self, world: World, situations: list[Situation]) -> list[Action]:
        """One allowed action per situation, in the same order."""
        ...

    def converse(self, world: World, speaker: str, listener: str,
                 shared: list[str], received: list[str]) -> Conversation:
        """Lines of a conversation in which facts ``shared``/``received`` were exchanged."""
        ...

    def reflect(self, world: World, agent_id: str, recent: list[MemoryNode]) -> list[Reflection]:
        ...

    def plan_day(self, world: World, agent_id: str, day: int) -> list[PlanBlock]:
        ...

    # Optional: ``rate_importance(world, {agent_id: [memory text, ...]}) -> {agent_id:
    # [1-10, ...]}``. A mind that has it re-rates, every midnight and in one batch for the
    # whole town, what each agent saw and heard (see ``World._rate_importance``); an
    # answer of the wrong length is ignored.
