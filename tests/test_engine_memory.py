"""Memory retrieval: each weight's effect, min-max normalisation, and bounded cost."""

from __future__ import annotations

import random
from collections.abc import Iterator
from typing import Any

import pytest

import game.engine.memory as memory_mod
from game.engine.memory import QUERY_TERMS, MemoryNode, MemoryStream, RetrievalWeights
from game.engine.relevance import BM25Scorer

HOUR = 60


def _top(stream: MemoryStream, query: str, now: int, weights: RetrievalWeights) -> str:
    return stream.retrieve(query, now, k=1, weights=weights, touch=False)[0].text


def _three_way_stream() -> MemoryStream:
    """Three memories, each best on exactly one term of the score."""
    s = MemoryStream()
    s.add("observation", 0, "the baker sang loudly", 2)  # old, dull, relevant to "baker"
    s.add("observation", 5 * HOUR, "a stranger screamed at the harbour", 9)  # important
    s.add("observation", 20 * HOUR, "rain fell on the roofs", 1)  # newest
    return s


def test_default_decay_is_0995_per_hour() -> None:
    assert RetrievalWeights().decay_per_hour == 0.995
    assert MemoryStream().weights.decay_per_hour == 0.995


def test_recency_only_prefers_newest() -> None:
    s = _three_way_stream()
    assert _top(s, "baker", 21 * HOUR, RetrievalWeights(1, 0, 0)) == "rain fell on the roofs"


def test_importance_only_prefers_most_important() -> None:
    s = _three_way_stream()
    top = _top(s, "baker", 21 * HOUR, RetrievalWeights(0, 1, 0))
    assert top == "a stranger screamed at the harbour"


def test_relevance_only_prefers_lexical_match() -> None:
    s = _three_way_stream()
    assert _top(s, "baker", 21 * HOUR, RetrievalWeights(0, 0, 1)) == "the baker sang loudly"
    assert _top(s, "roofs rain", 21 * HOUR, RetrievalWeights(0, 0, 1)) == "rain fell on the roofs"


def test_full_order_follows_weights() -> None:
    s = _three_way_stream()
    texts = [n.text for n in s.retrieve("baker", 21 * HOUR, k=3,
                                        weights=RetrievalWeights(3, 2, 1), touch=False)]
    assert texts == ["rain fell on the roofs", "a stranger screamed at the harbour",
                     "the baker sang loudly"]


def test_relevance_uses_subject_and_tags() -> None:
    s = MemoryStream()
    s.add("observation", 0, "someone waved", 1, subject="mara", tags=("market",))
    s.add("observation", 0, "someone waved", 1, subject="tobin", tags=("docks",))
    w = RetrievalWeights(0, 0, 1)
    assert s.retrieve("mara", HOUR, k=1, weights=w, touch=False)[0].subject == "mara"
    assert s.retrieve("docks", HOUR, k=1, weights=w, touch=False)[0].subject == "tobin"


SCALE_TIMES = (0, 120 * HOUR, 200 * HOUR)
SCALE_WEIGHTS = RetrievalWeights(1.0, 0.5, 0.0)


def _ranking(importances: list[int]) -> list[int]:
    s = MemoryStream()
    for t, imp in zip(SCALE_TIMES, importances, strict=True):
        s.add("observation", t, f"event at {t}", imp)
    nodes = s.retrieve("nothing matches", 200 * HOUR, k=3, weights=SCALE_WEIGHTS, touch=False)
    return [n.id for n in nodes]


def _raw_ranking(importances: list[int]) -> list[int]:
    """The order an un-normalised score would give, to prove the case discriminates."""
    w = SCALE_WEIGHTS
    scores = [(w.recency * w.decay_per_hour ** ((200 * HOUR - t) / 60) + w.importance * imp, i)
              for i, (t, imp) in enumerate(zip(SCALE_TIMES, importances, strict=True))]
    return [i for _, i in sorted(scores, reverse=True)]


def test_scaling_importance_does_not_change_order() -> None:
    base = [2, 1, 1]
    tripled = [3 * i for i in base]
    assert _raw_ranking(base) != _raw_ranking(tripled)  # raw scores would flip
    assert _ranking(base) == _ranking(tripled) == [2, 0, 1]
    assert _ranking(base) == _ranking([i + 6 for i in base])


def test_recency_still_counts_long_after_the_fact() -> None:
    """Raw recency 0.995**1000 vs 0.995**1010 differ by 0.0002; normalised they span 0..1.

    Without min-max normalisation the older but slightly more important node would
    win by a mile; with it, a recency weight a little above importance's decides.
    """
    s = MemoryStream()
    s.add("observation", 0, "older and more important", 6)
    s.add("observation", 10 * HOUR, "newer and less important", 5)
    now = 1010 * HOUR
    assert _top(s, "zzz", now, RetrievalWeights(1.1, 1.0, 0)) == "newer and less important"
    assert _top(s, "zzz", now, RetrievalWeights(0.9, 1.0, 0)) == "older and more important"


def test_retrieval_touches_last_access() -> None:
    s = _three_way_stream()
    node = s.retrieve("baker", 30 * HOUR, k=1, weights=RetrievalWeights(0, 0, 1))[0]
    assert node.last_access == 30 * HOUR
    # touched memories become "recent" again for recency-only retrieval
    assert _top(s, "x", 31 * HOUR, RetrievalWeights(1, 0, 0)) == "the baker sang loudly"


WORDS = ("bread fish harbour mayor knife letter church well apples rope lantern tavern "
         "mill storm debt wedding quarrel sermon nets ledger").split()
NAMES = ("mara tobin elsie garrick wynn odo bess piet").split()


def _big_stream(n: int, seed: int = 1) -> MemoryStream:
    gen = random.Random(seed)
    s = MemoryStream()
    for i in range(n):
        text = (f"{gen.choice(NAMES)} talked about the {gen.choice(WORDS)} and the "
                f"{gen.choice(WORDS)} near the {gen.choice(WORDS)}")
        s.add("observation", i * 3, text, gen.randint(1, 10), subject=gen.choice(NAMES))
    return s


def _candidate_count(monkeypatch: pytest.MonkeyPatch, stream: MemoryStream, query: str,
                     now: int) -> int:
    """How many nodes a retrieval scored: the length of the lists it normalises."""
    seen: list[int] = []
    original = memory_mod._minmax

    def spy(values: list[float]) -> list[float]:
        seen.append(len(values))
        return original(values)

    monkeypatch.setattr(memory_mod, "_minmax", spy)
    stream.retrieve(query, now, k=6, touch=False)
    monkeypatch.setattr(memory_mod, "_minmax", original)
    assert seen, "retrieval should normalise its score terms"
    return max(seen)


def test_retrieval_candidates_are_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    query = "mara knife harbour ledger quarrel storm"
    small, big = _big_stream(1_000), _big_stream(10_000)
    c_small = _candidate_count(monkeypatch, small, query, 1_000 * 3)
    c_big = _candidate_count(monkeypatch, big, query, 10_000 * 3)
    bound = big.recent_window + big.important_window + QUERY_TERMS * big.per_term
    assert c_big <= bound
    assert c_big <= c_small + 10, (c_small, c_big)


class CountingNodes(list[MemoryNode]):
    """A stream's node list that counts the nodes read from it, one by one or in bulk."""

    reads = 0

    def __getitem__(self, key: Any) -> Any:
        found = super().__getitem__(key)
        self.reads += len(found) if isinstance(key, slice) else 1
        return found

    def __iter__(self) -> Iterator[MemoryNode]:
        self.reads += len(self)
        return super().__iter__()


class CountingPostings(dict[int, dict[str, int]]):
    """The relevance index's per-node token counts, counting lookups."""

    reads = 0

    def __getitem__(self, key: int) -> dict[str, int]:
        self.reads += 1
        return super().__getitem__(key)


def _retrieval_work(stream: MemoryStream, query: str) -> int:
    """Memory nodes and index entries one retrieval reads: its cost, counted not timed."""
    scorer = stream.scorer
    assert isinstance(scorer, BM25Scorer)
    nodes, postings = CountingNodes(stream.nodes), CountingPostings(scorer.doc_tokens)
    stream.nodes, scorer.doc_tokens = nodes, postings
    stream.retrieve(query, len(nodes) * 3, k=6, touch=False)
    return nodes.reads + postings.reads


def test_retrieval_work_does_not_grow_with_stream() -> None:
    query = "tobin lantern wedding debt"
    small, big = _big_stream(1_000), _big_stream(10_000)
    work_small, work_big = _retrieval_work(small, query), _retrieval_work(big, query)
    candidates = big.recent_window + big.important_window + QUERY_TERMS * big.per_term
    assert work_big <= 4 * candidates  # a few reads per candidate, never a scan
    assert work_big <= work_small + 10, (work_small, work_big)


def test_old_important_memory_survives_ten_thousand_dull_ones() -> None:
    s = MemoryStream()
    s.add("observation", 0, "I saw garrick hide a bloody knife", 10, subject="garrick")
    for i in range(10_000):
        s.add("observation", 1 + i, f"the weather was grey on day {i}", 1)
    top = s.retrieve("garrick", 20_000, k=3, touch=False)
    assert top[0].text == "I saw garrick hide a bloody knife"
