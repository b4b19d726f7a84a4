"""Which moments of an agent's day go to the model, and what it may choose there.

Routing decides how the simulation goes, so it depends only on the world and the
mind's journal, never on the network: a replay without a server routes the same way.
By default only social moments are asked (the agent at its planned place with others
to talk to, once per plan block); plots always stay with the scripted mind.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from game.engine.actions import STAY, TALK, WAIT, Action
from game.engine.mind import Situation

from . import prompts, schemas
from .journal import Journal
from .resolver import Request

if TYPE_CHECKING:
    from game.engine.world import World

ROUTES = ("social", "all")


def decision_options(world: World, s: Situation, route: str,
                     journal: Journal) -> dict[str, Action] | None:
    """The options the model may choose from, or None for a scripted decision.

    Charges the agent's quota and marks the plan block as asked when it returns options.
    """
    if len(s.allowed) < 2 or any(i.get("action") or i.get("goto") or i.get("follow")
                                 for i in s.intentions):
        return None  # plots need the scripted mind's reliability
    block = s.plan_block
    if route == "all":
        options = s.allowed
    else:
        if block is None or block.activity == "sleep" or s.location != block.location:
            return None
        talks = [a for a in s.allowed
                 if a.kind == TALK and not world.agents[a.target].controlled]
        if not talks:
            return None
        if f"{s.agent_id}|{block.start}" in journal.asked:
            return None
        options = [a for a in s.allowed if a.kind in (STAY, WAIT)] + talks
    if not journal.charge(world.now, world.day(), s.agent_id, "decide"):
        return None
    if block is not None:
        journal.ask(world.now, f"{s.agent_id}|{block.start}")
    return by_label(options)


def decision_request(world: World, s: Situation, options: dict[str, Action],
                     talk_lines: int, talk_chars: int) -> Request:
    """Choose among ``options``; when talking is one, write the dialogue in the same call."""
    talkers = [a.target for a in options.values() if a.kind == TALK]
    speakers = [s.agent_id, *talkers] if talkers and talk_lines else None
    model = schemas.decision_model(list(options), speakers, talk_lines, talk_chars)
    schema = schemas.json_schema(model)
    block = s.plan_block
    activity = block.activity if block else "nothing planned"
    msgs = prompts.decision(world, s.agent_id, s.time, s.location, activity, s.present,
                            s.memories, list(options.values()), schema)
    return Request("decide" if speakers else "choose", s.agent_id, s.time, msgs, model,
                   schema)


def by_label(actions: list[Action]) -> dict[str, Action]:
    """Actions by their label (what the model answers with); the first of equals wins."""
    out: dict[str, Action] = {}
    for action in actions:
        out.setdefault(action.label(), action)
    return out
