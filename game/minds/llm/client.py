"""The backend: one AsyncOpenAI client on its own event-loop thread (``loop.py``).

Faults never escape as crashes: every failure becomes an ``LLMError`` with a short
reason the mind turns into a scripted fallback. Transient faults (timeouts, 429,
5xx, dropped connections) are retried by the openai SDK itself, which backs off and
honours Retry-After. Only two things are ours: after enough consecutive connection
failures a circuit breaker stops hammering a dead backend for a while, and a server
that rejects a structured-output mode gets the next simpler one (a capability
fallback, not a retry).

The API key is held privately, never printed by ``repr``, and scrubbed from every
error text this module produces, and from every answer (``redact.py``).

Nothing a server sends is trusted: each call has a deadline (to the first streamed
chunk, and overall, the SDK's retries included) and a slow call counts as a failure
towards the breaker; an answer longer than a cap is refused; usage counts are
validated and clamped to what the request could have cost.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import json
import logging
import socket
from collections import Counter
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from typing import Any

import openai
from openai import AsyncOpenAI

from .breaker import Breaker
from .config import LLMConfig
from .loop import CLOSE_SECONDS, LoopThread
from .redact import scrub, scrub_growing, shown_url
from .usage import believable_counts, body_cap, read_completion, reply_cap

log = logging.getLogger("game.minds.llm")

MODES = ("json_schema", "json_object", "plain")
CONNECT_TIMEOUT = 5.0  # seconds; a server that will not even accept a connection is down
PROBE_TIMEOUT = 5.0  # seconds the start-up check waits for the server to answer


class LLMError(Exception):
    """A call that did not produce a usable answer; ``reason`` is short and key-free."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class TransientError(LLMError):
    pass


class Unreachable(LLMError):
    pass


class BadAnswer(LLMError):
    pass


DeltaFn = Callable[[str | None], None]  # streamed text so far; None: the attempt restarts


@dataclass
class Completion:
    text: str
    prompt_tokens: int
    completion_tokens: int


class LLMClient:
    """Chat completions with structured output, capability fallback and a breaker."""

    def __init__(self, config: LLMConfig) -> None:
        self.config = config
        self.__key = config.resolved_key()
        self.mode = config.mode if config.mode in MODES else MODES[0]
        self.http_calls = 0  # HTTP requests really sent, the SDK's retries included
        self.errors: Counter[str] = Counter()
        self.breaker = Breaker(config.breaker_threshold, config.breaker_cooldown)
        self.last_error = ""
        self._client: AsyncOpenAI | None = None
        self._loop: LoopThread | None = None
        self._sem: asyncio.Semaphore | None = None

    def __repr__(self) -> str:
        return (f"LLMClient(base_url={self.config.base_url!r}, model={self.config.model!r}, "
                f"mode={self.mode!r})")

    # --------------------------------------------------------------- plumbing
    def redact(self, text: str) -> str:
        """``text`` without the key or anything shaped like a credential."""
        return scrub(text, self.__key)

    def run(self, coro: Coroutine[Any, Any, Any], deadline: float) -> Any:
        """Run a coroutine on the client's loop from synchronous code."""
        return self.wait(self.submit(coro), deadline)

    def submit(self, coro: Coroutine[Any, Any, Any]) -> concurrent.futures.Future[Any]:
        """Start a coroutine on the client's loop and return at once."""
        if self._loop is None:
            self._loop = LoopThread()
        return self._loop.submit(coro)

    def wait(self, future: concurrent.futures.Future[Any], deadline: float) -> Any:
        """The result of a submitted coroutine; a stuck one becomes a TransientError."""
        try:
            return future.result(deadline)
        except concurrent.futures.TimeoutError:
            future.cancel()
            self._fail("timeout", "overall deadline exceeded", connection=True)
            raise TransientError("overall deadline exceeded") from None

    def close(self) -> None:
        if self._loop is None:
            return
        if self._client is not None:
            try:
                self.run(self._client.close(), CLOSE_SECONDS)
            except Exception:  # noqa: BLE001 - closing must never raise
                pass
            self._client = None
        self._loop.close()
        self._loop = None
        self._sem = None

    def _api(self) -> AsyncOpenAI:
        """The SDK client, built once (its connection pool is bound to the loop), with the
        config's deadlines and retries as they are now: the start-up probe builds it, and
        a change made after that must still count (a copy shares the pool)."""
        per_attempt = min(self.config.timeout, self.config.call_timeout)
        timeout = openai.Timeout(per_attempt, connect=min(per_attempt, CONNECT_TIMEOUT))
        retries = max(0, self.config.retries)
        if self._client is None:
            http = openai.DefaultAsyncHttpxClient(
                timeout=timeout, event_hooks={"request": [self._count_request]})
            self._client = AsyncOpenAI(base_url=self.config.base_url, api_key=self.__key,
                                       max_retries=retries, timeout=timeout, http_client=http)
        elif (self._client.timeout, self._client.max_retries) != (timeout, retries):
            self._client = self._client.with_options(timeout=timeout, max_retries=retries)
        return self._client

    async def _count_request(self, request: Any) -> None:
        self.http_calls += 1

    def semaphore(self) -> asyncio.Semaphore:
        if self._sem is None:
            self._sem = asyncio.Semaphore(max(1, self.config.concurrency))
        return self._sem

    # ----------------------------------------------------------------- status
    def available(self) -> bool:
        return self.breaker.available()

    @property
    def status(self) -> str:
        if not self.available():
            return (f"LLM backend unreachable: {self.last_error} — playing on with "
                    f"scripted minds")
        return "ok"

    def _fail(self, kind: str, reason: str, *, connection: bool) -> None:
        self.errors[kind] += 1
        self.last_error = self.redact(reason)[:200]
        if self.breaker.failed(connection=connection):
            log.warning("%s", self.status)

    def check_reachable(self, timeout: float = PROBE_TIMEOUT) -> str | None:
        """Ask the server once (``models.list``, no retries) whether it is there.

        None if it answers at all; otherwise one plain, key-free sentence for the player.
        A server that does not answer also trips the breaker, so the town goes on with
        scripted minds at once instead of waiting out timeouts decision by decision.
        """
        try:
            self.run(self._probe(timeout), timeout + CONNECT_TIMEOUT)
            return None
        except (openai.AuthenticationError, openai.PermissionDeniedError) as exc:
            problem, said = f"HTTP {exc.status_code}", "refused the API key"
        except openai.APIStatusError:
            return None  # it answered; /models may just not be served there
        except (openai.APITimeoutError, TransientError):
            problem, said = f"no answer within {timeout:g} s", "did not answer"
        except openai.APIConnectionError as exc:
            problem, said = _connection_problem(exc), "did not answer"
        except Exception as exc:  # noqa: BLE001 - a probe must never crash the game
            problem, said = f"unexpected {type(exc).__name__}", "did not answer"
        self.errors["unreachable"] += 1
        self.last_error = self.redact(problem)
        self.breaker.trip()
        return self.redact(f"The model server at {shown_url(self.config.base_url)} {said} "
                           f"({problem}); the town runs on scripted minds.")

    async def _probe(self, timeout: float) -> None:
        await self._api().with_options(timeout=timeout, max_retries=0).models.list()

    # ------------------------------------------------------------------- call
    async def complete(self, messages: list[dict[str, str]], schema: dict[str, Any],
                       name: str, max_tokens: int,
                       on_delta: DeltaFn | None = None) -> Completion:
        """One structured completion; the SDK has already retried transient faults.
        Raises LLMError.

        With ``on_delta`` the answer is streamed: it is called with the text received so
        far after every chunk, and with None when an attempt starts over."""
        for _ in MODES:  # each pass sends a simpler mode than the last, so this ends
            if not self.available():
                raise Unreachable(f"backend unreachable: {self.last_error}")
            sent = self.mode
            try:
                async with self.semaphore():  # the wait for a turn is not the server's
                    sent = self.mode  # a request ahead in the queue may have stepped it down
                    async with asyncio.timeout(self.config.call_timeout):
                        if on_delta is not None:
                            return await self._streamed(messages, schema, name, max_tokens,
                                                        sent, on_delta)
                        return await self._once(messages, schema, name, max_tokens, sent)
            except TimeoutError:  # the deadline for the first chunk, or for the whole call
                self._fail("timeout", "too slow: no complete answer in time", connection=True)
                raise TransientError("too slow") from None
            except openai.APITimeoutError:
                self._fail("timeout", "request timed out", connection=True)
                raise TransientError("timeout") from None
            except openai.APIConnectionError as exc:
                self._fail("connection", f"connection failed ({type(exc.__cause__).__name__})",
                           connection=True)
                raise Unreachable(f"connection failed: {self.last_error}") from None
            except openai.APIStatusError as exc:
                if self._downgrade(exc, sent):
                    continue
                raise self._status_error(exc) from None
            except LLMError:
                raise
            except Exception as exc:  # noqa: BLE001 - an odd body must not crash the game
                self._fail("other", f"unexpected {type(exc).__name__}", connection=False)
                raise BadAnswer(f"unexpected {type(exc).__name__}") from None
        raise LLMError("the server accepted no structured-output mode")

    def _status_error(self, exc: openai.APIStatusError) -> LLMError:
        """An HTTP error the SDK gave up on, as a key-free LLMError."""
        status = exc.status_code
        if status == 429:
            self._fail("429", "rate limited (429)", connection=False)
            return TransientError("rate limited (429)")
        self._fail(str(status), f"HTTP {status}", connection=False)
        if status < 500 and status not in (408, 409):
            return LLMError(f"HTTP {status}")
        return TransientError(f"HTTP {status}")

    def _request(self, messages: list[dict[str, str]], schema: dict[str, Any], name: str,
                 max_tokens: int, mode: str) -> dict[str, Any]:
        """Keyword arguments for one chat completion in the server's structured-output mode."""
        extra: dict[str, Any] = {}
        if mode == "json_schema":
            extra["response_format"] = {"type": "json_schema", "json_schema": {
                "name": name, "schema": schema, "strict": False}}
        elif mode == "json_object":
            extra["response_format"] = {"type": "json_object", "schema": schema}
        else:
            messages = _with_schema(messages, schema)
        kwargs: dict[str, Any] = {}
        if self.config.seed is not None:
            kwargs["seed"] = self.config.seed
        return {"model": self.config.model, "messages": messages, "max_tokens": max_tokens,
                "temperature": self.config.temperature, "extra_body": extra or None, **kwargs}

    async def _once(self, messages: list[dict[str, str]], schema: dict[str, Any], name: str,
                    max_tokens: int, mode: str) -> Completion:
        # read as a stream of bytes, so a body of any size costs no more than the cap
        async with self._api().chat.completions.with_streaming_response.create(
                **self._request(messages, schema, name, max_tokens, mode)) as raw:
            body = bytearray()
            async for piece in raw.iter_bytes():
                body += piece
                if len(body) > body_cap(max_tokens):
                    self.errors["too long"] += 1
                    raise BadAnswer("answer too long")
        self.breaker.succeeded()
        resp = read_completion(bytes(body))
        if resp is None:
            self.errors["other"] += 1
            raise BadAnswer("unreadable answer")
        if not resp.choices:
            self.errors["empty"] += 1
            raise BadAnswer("empty answer (no choices)")
        message = resp.choices[0].message
        if message.refusal:
            self.errors["refusal"] += 1
            raise BadAnswer("refusal")
        text = self._bounded(message.content or "", max_tokens)
        if not text:
            self.errors["empty"] += 1
            raise BadAnswer("empty answer")
        return self._counted(resp.usage, messages, text, max_tokens)

    async def _streamed(self, messages: list[dict[str, str]], schema: dict[str, Any],
                        name: str, max_tokens: int, mode: str,
                        on_delta: DeltaFn) -> Completion:
        """``_once`` as a stream (the player's conversation shows the reply as it comes)."""
        on_delta(None)
        request = self._request(messages, schema, name, max_tokens, mode)
        cap = reply_cap(max_tokens)
        api = self._api()  # built before the deadline starts: it is the server's
        async with asyncio.timeout(self.config.first_token_timeout):
            stream = await api.chat.completions.create(**request, stream=True)
            chunks = stream.__aiter__()
            first = await anext(chunks, None)
        parts: list[str] = []
        size = 0
        refusal, usage = "", None
        chunk = first
        while chunk is not None:
            usage = getattr(chunk, "usage", None) or usage
            delta = chunk.choices[0].delta if chunk.choices else None
            if delta is not None and getattr(delta, "refusal", None):
                refusal += str(delta.refusal)[:cap]
            if delta is not None and delta.content:
                parts.append(delta.content)
                size += len(delta.content)
                if size > cap:
                    await stream.close()
                    self.errors["too long"] += 1
                    raise BadAnswer("answer too long")
                on_delta(scrub_growing("".join(parts), self.__key))
            chunk = await anext(chunks, None)
        self.breaker.succeeded()
        if refusal:
            self.errors["refusal"] += 1
            raise BadAnswer("refusal")
        text = self.redact("".join(parts).strip())
        if not text:
            self.errors["empty"] += 1
            raise BadAnswer("empty answer")
        return self._counted(usage, request["messages"], text, max_tokens)

    def _bounded(self, raw: str, max_tokens: int) -> str:
        """The answer, key-free, if it is no longer than such a request allows."""
        if len(raw) > reply_cap(max_tokens):
            self.errors["too long"] += 1
            raise BadAnswer("answer too long")
        return self.redact(raw.strip())

    @staticmethod
    def _counted(usage: Any, messages: list[dict[str, str]], text: str,
                 max_tokens: int) -> Completion:
        return Completion(text, *believable_counts(usage, messages, text, max_tokens))

    def _downgrade(self, exc: openai.APIStatusError, sent: str) -> bool:
        """Detect 'this server does not do json_schema' (llama-cpp-python) and adapt.

        ``sent`` is the mode the failed request used: concurrent requests all fail the
        same way, and only the first may step the mode down; the rest just retry.
        """
        if self.config.mode != "auto" or exc.status_code not in (400, 404, 415, 422, 500):
            return False
        body = f"{exc.message} {exc.body}".lower()
        if sent == "json_schema" and ("json_schema" in body or "response_format" in body):
            nxt = "json_object"
        elif sent == "json_object" and ("response_format" in body or "json_object" in body):
            nxt = "plain"
        else:
            return False
        if sent != self.mode:
            return True  # another request already adapted
        log.info("LLM server rejected %s (%s); falling back to %s", self.mode,
                 self.redact(body[:300]), nxt)
        self.mode = nxt
        return True


def _with_schema(messages: list[dict[str, str]], schema: dict[str, Any]) -> list[dict[str, str]]:
    """Plain mode: the schema goes into the system message so the model can follow it."""
    note = f"\nSCHEMA: {json.dumps(schema, separators=(',', ':'))}"
    out = [dict(m) for m in messages]
    for m in out:
        if m.get("role") == "system":
            m["content"] = m["content"] + note
            return out
    return [{"role": "system", "content": note.strip()}, *out]


def _connection_problem(exc: BaseException) -> str:
    """Why a connection failed, in a few plain words (from the exception's causes)."""
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, ConnectionRefusedError):
            return "connection refused"
        if isinstance(seen, socket.gaierror):
            return "unknown host"
        seen = seen.__cause__ or seen.__context__
    return "connection failed"
