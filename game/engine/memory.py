"""Each agent's memory stream: observations, conversations, reflections and plans.

Retrieval scores every candidate as
    w_recency * recency + w_importance * importance + w_relevance * relevance
with each term min-max normalised over the candidates (as in Generative Agents).

Why retrieval stays cheap as weeks pass: it never scans the whole stream. The
candidates are the union of (a) the newest ``recent_window`` nodes, (b) the
``important_window`` most important nodes, kept in a small sorted list as nodes
arrive, and (c) the newest ``per_term`` postings of each query term in the
inverted index. That set has a fixed upper size, so one retrieval costs the same
over 100 memories or 100,000. Old, unimportant, never-mentioned memories simply
stop being candidates, which is the forgetting the decay would produce anyway.
"""

from __future__ import annotations

import bisect
import heapq
from dataclasses import dataclass, field
from typing import Any

from .clock import MINUTES_PER_HOUR
from .relevance import BM25Scorer, RelevanceScorer, tokenize

KINDS = ("observation", "conversation", "reflection", "plan")
MIN_IMPORTANCE, MAX_IMPORTANCE = 1, 10
QUERY_TERMS = 6  # a query's first distinct terms; later ones do not count


@dataclass(slots=True)
class MemoryNode:
    id: int
    kind: str
    created: int
    last_access: int
    importance: int
    text: str
    subject: str = ""
    predicate: str = ""
    object: str = ""
    tags: tuple[str, ...] = ()
    evidence: tuple[int, ...] = ()
    valence: float = 0.0

    def to_state(self) -> list[Any]:
        return [
            self.id, self.kind, self.created, self.last_access, self.importance, self.text,
            self.subject, self.predicate, self.object, list(self.tags), list(self.evidence),
            self.valence,
        ]

    @classmethod
    def from_state(cls, s: list[Any]) -> MemoryNode:
        return cls(s[0], s[1], s[2], s[3], s[4], s[5], s[6], s[7], s[8], tuple(s[9]),
                   tuple(s[10]), s[11])


@dataclass(frozen=True, slots=True)
class RetrievalWeights:
    recency: float = 1.0
    importance: float = 1.0
    relevance: float = 1.0
    decay_per_hour: float = 0.995


@dataclass
class MemoryStream:
    weights: RetrievalWeights = field(default_factory=RetrievalWeights)
    recent_window: int = 24
    important_window: int = 24
    per_term: int = 24
    nodes: list[MemoryNode] = field(default_factory=list)
    importance_since_reflection: int = 0
    rated: int = 0  # nodes before this index have been offered to the mind's importance rater
    scorer: RelevanceScorer = field(default_factory=BM25Scorer)
    _important: list[tuple[int, int]] = field(default_factory=list)  # (-importance, -id)
    wary_of: set[str] = field(default_factory=set)  # subjects of memories with negative valence

    def __len__(self) -> int:
        return len(self.nodes)

    def add(
        self,
        kind: str,
        now: int,
        text: str,
        importance: int,
        *,
        subject: str = "",
        predicate: str = "",
        obj: str = "",
        tags: tuple[str, ...] | list[str] = (),
        evidence: tuple[int, ...] | list[int] = (),
        valence: float = 0.0,
    ) -> MemoryNode:
        if kind not in KINDS:
            raise ValueError(f"unknown memory kind {kind!r}")
        importance = clamp_importance(importance)
        node = MemoryNode(
            len(self.nodes), kind, now, now, importance, text, subject, predicate, obj,
            tuple(tags), tuple(evidence), valence,
        )
        self._index(node)
        if kind != "reflection":
            self.importance_since_reflection += importance
        return node

    def _index(self, node: MemoryNode) -> None:
        self.nodes.append(node)
        words = tokenize(node.text)
        words += [t.lower() for t in node.tags]
        if node.subject:
            words.append(node.subject.lower())
        if node.object:
            words.append(node.object.lower())
        self.scorer.add(node.id, words)
        if node.valence < 0 and node.subject:
            self.wary_of.add(node.subject)
        key, important = (-node.importance, -node.id), self._important
        if len(important) >= self.important_window and key > important[-1]:
            return  # less important than all it would compete with (keys are unique)
        bisect.insort(important, key)
        if len(important) > self.important_window:
            important.pop()

    def rescore(self, scores: dict[int, int]) -> None:
        """Replace the importance of some nodes (a mind's batched ratings, clamped 1-10)."""
        for node_id, importance in scores.items():
            self.nodes[node_id].importance = clamp_importance(importance)
        self._important = heapq.nsmallest(self.important_window,
                                          ((-n.importance, -n.id) for n in self.nodes))

    def get(self, node_id: int) -> MemoryNode:
        return self.nodes[node_id]

    def recent(self, count: int) -> list[MemoryNode]:
        return self.nodes[-count:] if count > 0 else []

    def retrieve(
        self,
        query: str,
        now: int,
        k: int = 8,
        weights: RetrievalWeights | None = None,
        *,
        touch: bool = True,
        tags: tuple[str, ...] = (),
    ) -> list[MemoryNode]:
        """The k best memories for ``query`` at time ``now``; ties go to the newer node.
        ``tags`` are matched whole (ids such as a fact's), ahead of the query's words."""
        if not self.nodes:
            return []
        w = weights or self.weights
        q = list(dict.fromkeys([t.lower() for t in tags] + tokenize(query)))[:QUERY_TERMS]
        relevance = self.scorer.score_recent(q, self.per_term)
        nodes = self.nodes
        if self.recent_window > 0:  # node ids are their places in the stream
            ids = set(range(max(0, len(nodes) - self.recent_window), len(nodes)))
        else:
            ids = {n.id for n in nodes[-self.recent_window:]}
        ids.update([-neg_id for _, neg_id in self._important])
        ids.update(relevance)
        order = sorted(ids)
        decay, get_rel = w.decay_per_hour, relevance.get
        recs, imps, rels = [], [], []
        for i in order:
            node = nodes[i]
            recs.append(decay ** ((now - node.last_access) / MINUTES_PER_HOUR))
            imps.append(float(node.importance))
            rels.append(get_rel(i, 0.0))
        wr, wi, wl = w.recency, w.importance, w.relevance
        scored = [(wr * a + wi * b + wl * c, i) for a, b, c, i
                  in zip(_minmax(recs), _minmax(imps), _minmax(rels), order, strict=True)]
        chosen = [nodes[i] for _, i in heapq.nlargest(k, scored)]
        if touch:
            for node in chosen:
                node.last_access = now
        return chosen

    def to_state(self) -> dict[str, Any]:
        state: dict[str, Any] = {
            "nodes": [n.to_state() for n in self.nodes],
            "importance_since_reflection": self.importance_since_reflection,
        }
        if self.rated:  # only minds that rate importance set it; keeps other saves unchanged
            state["rated"] = self.rated
        return state

    @classmethod
    def from_state(cls, state: dict[str, Any], weights: RetrievalWeights | None = None
                   ) -> MemoryStream:
        stream = cls(weights=weights or RetrievalWeights())
        for raw in state["nodes"]:
            stream._index(MemoryNode.from_state(raw))
        stream.importance_since_reflection = state["importance_since_reflection"]
        stream.rated = int(state.get("rated", 0))
        return stream


def clamp_importance(importance: int) -> int:
    return max(MIN_IMPORTANCE, min(MAX_IMPORTANCE, int(importance)))


def _minmax(values: list[float]) -> list[float]:
    if not values:
        return values
    lo, hi = min(values), max(values)
    if hi - lo < 1e-12:
        return [0.0 for _ in values] if hi == 0 else [1.0 for _ in values]
    span = hi - lo
    return [(v - lo) / span for v in values]
