"""The hooks through which other packages extend the world's rules.

The mystery (plots, murder, the law) lives outside the engine, yet has to offer
actions, carry them out and watch what happens. It does so by subclassing
``WorldRule``. Every hook has a do-nothing default, so a rule overrides only
what it needs and the world calls each hook directly, without probing for it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .actions import Action
    from .events import Event
    from .model import Agent
    from .world import World


class WorldRule:
    """An extension of the world's rules (the mystery is one)."""

    name: str = "rule"  # the key of this rule's state in a snapshot; unique per world

    def allowed_actions(self, world: World, agent: Agent) -> list[Action]:
        """Actions of this rule's kinds that ``agent`` may take now, offered to its mind."""
        return []

    def permits(self, world: World, agent: Agent, action: Action) -> bool:
        """Whether an action from outside any mind (the player's) is legal though not offered."""
        return False

    def apply(self, world: World, agent: Agent, action: Action) -> int | None:
        """Carry out an action of this rule's kinds: its duration in minutes, or None if the
        kind is not this rule's."""
        return None

    def on_event(self, world: World, event: Event) -> None:
        """Called after every event is logged and perceived."""

    def before_decisions(self, world: World, agents: list[Agent]) -> None:
        """Called before each batch of decisions, with the agents about to decide."""

    def on_day_start(self, world: World, day: int) -> None:
        """Called once for each midnight the clock passes, before anyone decides."""

    def to_state(self) -> Any:
        """This rule's state as plain data for a snapshot; None when it has none."""
        return None

    def load_state(self, state: Any) -> None:
        """Take back what ``to_state`` gave (a copy: the rule may keep it)."""
