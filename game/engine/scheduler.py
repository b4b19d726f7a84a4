"""Each agent's one pending decision, in the order the world will take them.

This is what makes time discrete-event: the world jumps straight to the next
decision instead of ticking through idle minutes. Entries are (time, agent index,
version) in a heap, so ties break by the agent's place in the spec, never by hash
or set order. Replacing a decision schedules a newer version; the old entry stays
in the heap and is skipped when it comes up, which is cheaper than removing it.
"""

from __future__ import annotations

import heapq

from .model import Agent

Entry = tuple[int, int, int]  # (minute, agent index, version)


class DecisionQueue:
    def __init__(self, agents: list[Agent]) -> None:
        self._agents = agents  # indexed by Agent.index: the world's own list
        self._heap: list[Entry] = []

    def schedule(self, agent: Agent, t: int) -> None:
        """Replace ``agent``'s pending decision with one at minute ``t``."""
        agent.version += 1
        heapq.heappush(self._heap, (t, agent.index, agent.version))

    def drop(self, agent: Agent) -> None:
        """Forget ``agent``'s pending decision (the player has taken it over)."""
        agent.version += 1

    def next_time(self) -> int | None:
        """The minute of the earliest decision still due, or None if nobody will decide."""
        heap, agents = self._heap, self._agents
        while heap:
            t, index, version = heap[0]
            if _due(agents[index], version):
                return t
            heapq.heappop(heap)
        return None

    def pop_due(self, t: int) -> list[Agent]:
        """Take every decision due at minute ``t``, in agent index order."""
        heap, agents = self._heap, self._agents
        due: list[Agent] = []
        while heap and heap[0][0] == t:
            _, index, version = heapq.heappop(heap)
            agent = agents[index]
            if _due(agent, version):
                due.append(agent)
        return due

    def to_state(self) -> list[list[int]]:
        return [list(entry) for entry in sorted(self._heap)]

    def load_state(self, entries: list[list[int]]) -> None:
        self._heap = [(t, index, version) for t, index, version in entries]
        heapq.heapify(self._heap)


def _due(agent: Agent, version: int) -> bool:
    """Whether an entry is still the agent's decision: newest, and a mind decides for it."""
    return version == agent.version and agent.alive and not agent.controlled
