"""The simulation core: pure Python, no pygame, openai or pydantic.

It imports the standard library and nothing else. Start with ``world.World``;
``mind.Mind`` is the seam for deciders and ``rules.WorldRule`` the one for the
game's own rules.
"""

from .actions import Action
from .events import Event, EventLog
from .memory import MemoryNode, MemoryStream, RetrievalWeights
from .mind import Conversation, Mind, Reflection, Situation
from .rules import WorldRule
from .world import InvalidAction, World

__all__ = [
    "Action", "Conversation", "Event", "EventLog", "InvalidAction", "MemoryNode",
    "MemoryStream", "Mind", "Reflection", "RetrievalWeights", "Situation", "World",
    "WorldRule",
]
