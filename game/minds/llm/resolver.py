"""The one path every question to the model takes: record, cache, server, validation.

Replay is exact only if every request goes the same way in both runs. So each request
first claims its place in the record, in a fixed order, before anything is sent; an
answer already recorded (or cached) is used without a call; a new one is validated
against the request's schema and retried on a bad answer, and whatever ends the
request (an answer or a scripted fallback) is recorded under that place. Batches go
out concurrently on the client's loop.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from . import schemas
from .budget import Budget
from .cache import ResponseCache, request_key
from .client import BadAnswer, DeltaFn, LLMClient, LLMError
from .config import LLMConfig
from .recorder import Recorder, Slot

DEADLINE_SLACK = 10.0  # seconds on top of the worst case of a batch's retries


@dataclass
class Fallback:
    """No usable answer: the scripted mind decides, and ``reason`` is recorded."""

    reason: str


@dataclass
class Request:
    kind: str
    agent: str
    time: int
    messages: list[dict[str, str]]
    model: type[BaseModel]
    schema: dict[str, Any]
    check: Callable[[Any], str | None] | None = None
    key: str = ""
    slot: Slot | None = None
    on_delta: DeltaFn | None = None  # stream the answer (the player's conversation)


class Resolver:
    """Turns requests into validated answers or Fallbacks, in order, recording both."""

    def __init__(self, config: LLMConfig, client: LLMClient, recorder: Recorder,
                 budget: Budget, cache: ResponseCache, max_tokens: dict[str, int]) -> None:
        self.config = config
        self.client = client
        self.recorder = recorder
        self.budget = budget
        self.cache = cache
        self.max_tokens = max_tokens
        self.requests: Counter[str] = Counter()
        self.fallback_log: list[dict[str, Any]] = []
        self.invalid_answers = 0

    def resolve(self, requests: list[Request]) -> list[Any]:
        """Answers (validated models) or Fallbacks, in order; concurrent where needed."""
        results, pending = self.prepare(requests)
        if pending:
            try:
                outs = self.client.run(self.gather([requests[i] for i in pending]),
                                       self.deadline(len(pending)))
            except LLMError as exc:
                outs = [Fallback(self.client.redact(exc.reason)) for _ in pending]
            for i, res in zip(pending, outs, strict=True):
                results[i] = res
        self.finish(requests, results)
        return results

    def submit(self, requests: list[Request]) -> concurrent.futures.Future[Any]:
        """Send prepared requests now; their answers are collected later (``wait``)."""
        return self.client.submit(self.gather(requests))

    def wait(self, future: concurrent.futures.Future[Any], part: int, deadline: float) -> Any:
        """The answer at index ``part`` of a submitted batch, or a Fallback."""
        try:
            return self.client.wait(future, deadline)[part]
        except LLMError as exc:
            return Fallback(self.client.redact(exc.reason))

    def prepare(self, requests: list[Request]) -> tuple[list[Any], list[int]]:
        """Claim record slots in order; answer from record or cache where possible."""
        results: list[Any] = [None] * len(requests)
        pending: list[int] = []
        for i, r in enumerate(requests):
            self.requests[r.kind] += 1
            r.key = self.request_hash(r)
            at = request_key({"request": r.key, "time": r.time, "agent": r.agent})
            r.slot = self.recorder.reserve(at, r.kind, r.time)
            entry = r.slot.entry
            if entry is not None:
                results[i] = self._from_record(r, entry)
            elif self.recorder.mode == "replay":
                results[i] = Fallback("replay: no recorded answer for this request")
            else:
                cached = self.cache.get(r.key)
                if cached is not None and not isinstance(self._validate(r, cached), str):
                    results[i] = self._validate(r, cached)
                    self.recorder.fill(r.slot, r.kind, answer=cached)
                else:
                    pending.append(i)
        return results, pending

    def finish(self, requests: list[Request], results: list[Any]) -> None:
        """Record and log the fallbacks (answers were recorded as they arrived)."""
        for r, res in zip(requests, results, strict=True):
            if isinstance(res, Fallback):
                assert r.slot is not None
                self.recorder.fill(r.slot, r.kind, fallback=res.reason)
                self.fallback_log.append({"time": r.time, "agent": r.agent, "kind": r.kind,
                                          "reason": res.reason})

    def request_hash(self, r: Request) -> str:
        """What a request is, for the cache and the record: equal hashes, equal answers."""
        return request_key({"model": self.config.model, "kind": r.kind,
                            "messages": r.messages, "schema": r.schema,
                            "max_tokens": self.max_tokens[r.kind],
                            "temperature": self.config.temperature})

    def deadline(self, n: int) -> float:
        """Seconds a batch of ``n`` requests may take at worst before it is given up."""
        c = self.config
        per = c.call_timeout * (c.validation_retries + 1)  # each call has its own deadline
        waves = -(-n // max(1, c.concurrency))
        return per * waves + DEADLINE_SLACK

    async def gather(self, requests: list[Request]) -> list[Any]:
        outs = await asyncio.gather(*(self._call(r) for r in requests), return_exceptions=True)
        return [o if not isinstance(o, BaseException)
                else Fallback(f"internal error: {type(o).__name__}") for o in outs]

    def _from_record(self, r: Request, entry: dict[str, Any]) -> Any:
        if "answer" not in entry:
            return Fallback(str(entry.get("fallback", "fallback")))
        parsed = self._validate(r, entry["answer"])
        return Fallback(f"recorded answer invalid: {parsed}") if isinstance(parsed, str) \
            else parsed

    def _validate(self, r: Request, text: str) -> Any:
        """The parsed answer, or a short reason string if unusable."""
        try:
            parsed = schemas.parse(r.model, text)
        except ValueError as exc:
            return str(exc)
        problem = r.check(parsed) if r.check is not None else None
        return problem if problem else parsed

    async def _call(self, r: Request) -> Any:
        messages = list(r.messages)
        reason = "no answer"
        for _ in range(self.config.validation_retries + 1):
            spent = self.budget.exhausted()
            if spent:
                return self._early(r, Fallback(spent))
            if not self.client.available():
                return self._early(r, Fallback(self.client.status))
            self.budget.charge_call()
            try:
                done = await self.client.complete(messages, r.schema, r.kind,
                                                  self.max_tokens[r.kind], r.on_delta)
            except BadAnswer as exc:
                reason = exc.reason
                self.invalid_answers += 1
                continue
            except LLMError as exc:
                return self._early(r, Fallback(self.client.redact(exc.reason)))
            self.budget.charge_tokens(done.prompt_tokens, done.completion_tokens)
            parsed = self._validate(r, done.text)
            if not isinstance(parsed, str):
                kept = schemas.canonical(parsed)
                self.cache.put(r.key, kept)
                assert r.slot is not None
                self.recorder.fill(r.slot, r.kind, answer=kept)
                return parsed
            reason = parsed
            self.invalid_answers += 1
            messages = [*r.messages, {"role": "assistant", "content": done.text[:300]},
                        {"role": "user", "content": f"That answer was rejected ({reason}). "
                         "Reply again with one JSON object that matches the schema."}]
        return self._early(r, Fallback(f"invalid answer after retries: {reason}"))

    def _early(self, r: Request, fb: Fallback) -> Fallback:
        """Record a fallback the moment it is known (its answer may never be consumed)."""
        assert r.slot is not None
        self.recorder.fill(r.slot, r.kind, fallback=fb.reason)
        return fb
