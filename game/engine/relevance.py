"""Pluggable relevance scorers for memory retrieval.

The default is a pure-Python BM25 over an inverted index. The index is also how
retrieval stays bounded: a query only looks at the newest postings of each query
term (see ``MemoryStream.retrieve``), never at the whole stream.
"""

from __future__ import annotations

import math
import re
from functools import lru_cache
from typing import Protocol

_TOKEN = re.compile(r"[a-z0-9']+")
STOPWORDS = frozenset(
    "a an the and or of to in on at for with by from is was were be been am are it its this that "
    "i me my you your he she him her his they them their we our as so not no do did has have had "
    "what where when who how about into out up".split()
)


def tokenize(text: str) -> list[str]:
    return list(_tokens(text))


@lru_cache(maxsize=8192)
def _tokens(text: str) -> tuple[str, ...]:
    """Cached: a town says the same few sentences over and over."""
    return tuple(w for w in _TOKEN.findall(text.lower()) if w not in STOPWORDS)


class RelevanceScorer(Protocol):
    """Scores how well a memory's text matches a query. Must be deterministic."""

    def add(self, node_id: int, tokens: list[str]) -> None: ...

    def score_recent(self, query_tokens: list[str], per_term: int) -> dict[int, float]:
        """Scores for the newest ``per_term`` nodes of each query term."""
        ...


class BM25Scorer:
    """Incremental BM25 (k1=1.2, b=0.75) over node token lists."""

    k1 = 1.2
    b = 0.75

    def __init__(self) -> None:
        self.postings: dict[str, list[int]] = {}
        self.doc_tokens: dict[int, dict[str, int]] = {}
        self.doc_len: dict[int, int] = {}
        self.total_len = 0

    def add(self, node_id: int, tokens: list[str]) -> None:
        counts = _term_counts(tuple(tokens))
        postings = self.postings
        for tok in counts:
            ids = postings.get(tok)
            if ids is None:
                postings[tok] = [node_id]
            else:
                ids.append(node_id)
        self.doc_tokens[node_id] = counts
        self.doc_len[node_id] = len(tokens)
        self.total_len += len(tokens)

    def score_recent(self, query_tokens: list[str], per_term: int) -> dict[int, float]:
        """BM25 of the newest ``per_term`` postings of each query term, term at a time.

        Nodes outside those windows score 0: relevance, like retrieval, looks only
        at a bounded slice of the index.
        """
        n_docs = len(self.doc_len)
        scores: dict[int, float] = {}
        if not n_docs:
            return scores
        avg_len = (self.total_len / n_docs) or 1.0
        k1, b = self.k1, self.b
        k1_plus, one_minus_b = k1 + 1, 1 - b  # the same floats the formula would compute
        doc_tokens, doc_len, postings = self.doc_tokens, self.doc_len, self.postings
        get = scores.get
        for tok in query_tokens:
            ids = postings.get(tok)
            if not ids:
                continue
            df = len(ids)
            idf = math.log(1.0 + (n_docs - df + 0.5) / (df + 0.5))
            for node_id in ids[-per_term:]:
                tf = doc_tokens[node_id][tok]
                norm_len = k1 * (one_minus_b + b * doc_len[node_id] / avg_len)
                scores[node_id] = get(node_id, 0.0) + idf * tf * k1_plus / (tf + norm_len)
        return scores


@lru_cache(maxsize=8192)
def _term_counts(tokens: tuple[str, ...]) -> dict[str, int]:
    """Shared between nodes with the same words, so never changed: a town repeats itself."""
    counts: dict[str, int] = {}
    for tok in tokens:
        counts[tok] = counts.get(tok, 0) + 1
    return counts
