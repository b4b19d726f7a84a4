"""Actions: the only way anything in the world changes.

The world lists the actions allowed to an agent at a moment; a mind must return
one of them. Anything else is rejected by the world, which is why no mind, not
even one driven by a language model, can break the rules of the world.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

# Built-in kinds. Rules (e.g. the mystery) may add their own kinds.
MOVE = "move"
STAY = "stay"
TALK = "talk"
TAKE = "take"
GIVE = "give"
SLEEP = "sleep"
WAIT = "wait"

# How long the built-in actions take, in game minutes: one place for each. A move
# takes the travel time; a stay or a sleep lasts until the plan or the alarm says.
TALK_MINUTES = 15  # what a talk is offered as, and a conversation's length unless its mind says
TAKE_MINUTES = 2
GIVE_MINUTES = 2
WAIT_MINUTES = 15
LONGEST_STAY_MINUTES = 60  # someone staying put decides again at least this often
SHORTEST_STAY_MINUTES = 10  # no stay or sleep is offered for less; nobody wakes for less


class InvalidAction(ValueError):
    """Raised when someone asks the world for an action it does not allow."""


@dataclass(frozen=True, slots=True)
class Action:
    kind: str
    target: str = ""  # location id for move, agent id for talk/give
    item: str = ""
    duration: int = 0  # game minutes
    activity: str = ""

    def to_state(self) -> dict[str, Any]:
        return {"kind": self.kind, "target": self.target, "item": self.item,
                "duration": self.duration, "activity": self.activity}

    def label(self) -> str:
        """A short stable name, used in prompts and logs: 'move:bakery'."""
        parts = [self.kind]
        if self.target:
            parts.append(self.target)
        if self.item:
            parts.append(self.item)
        return ":".join(parts)
