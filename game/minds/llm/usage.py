"""How much a model's answer may be: its length and the token counts a server claims.

A server's numbers are not trusted. A reply longer than its request's ``max_tokens``
could produce is refused before it is parsed or recorded (an 8 MB tail once made a save
exceed its own size limit), and token counts are validated and clamped to what the
request could have cost (``prompt_tokens = 2**62`` once overflowed the counters, and
every later save failed).
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

CHARS_PER_TOKEN_MAX = 16  # no tokenizer makes tokens longer than this, on average
REPLY_SLACK = 512  # characters of JSON and white space an answer may add to its tokens
PROMPT_TOKENS_SLACK = 256  # chat-template tokens a server may add to a prompt
BYTES_PER_CHAR_MAX = 6  # a character JSON-escaped as \\uXXXX
ENVELOPE_BYTES = 16 * 1024  # ids, usage, logprobs: what surrounds the answer in a body
CHARS_PER_TOKEN = 4  # the usual average, for an estimate when a server sends no counts


class _Usage(BaseModel):
    """A server's token counts, as far as they are believable (whole, not negative)."""

    model_config = ConfigDict(strict=True)
    prompt_tokens: int = Field(default=0, ge=0)
    completion_tokens: int = Field(default=0, ge=0)


def reply_cap(max_tokens: int) -> int:
    """The longest answer (in characters) a request of ``max_tokens`` is allowed."""
    return max(1, max_tokens) * CHARS_PER_TOKEN_MAX + REPLY_SLACK


def body_cap(max_tokens: int) -> int:
    """The largest response body (bytes) worth reading for a request of ``max_tokens``."""
    return reply_cap(max_tokens) * BYTES_PER_CHAR_MAX + ENVELOPE_BYTES


class _Message(BaseModel):
    content: str | None = None
    refusal: str | None = None

    @field_validator("content", "refusal", mode="before")
    @classmethod
    def _text_or_nothing(cls, value: Any) -> Any:
        return value if isinstance(value, str) else None


class _Choice(BaseModel):
    message: _Message = Field(default_factory=_Message)


class Answered(BaseModel):
    """The parts of a chat completion the game reads (anything else is ignored)."""

    choices: list[_Choice] = Field(default_factory=list)
    usage: dict[str, Any] | None = None

    @field_validator("usage", mode="before")
    @classmethod
    def _map_or_nothing(cls, value: Any) -> Any:
        return value if isinstance(value, dict) else None


def read_completion(body: bytes) -> Answered | None:
    """A chat completion body, or None if it is not one."""
    try:
        return Answered.model_validate_json(body)
    except ValidationError:
        return None


def believable_counts(usage: Any, messages: list[dict[str, str]], text: str,
                      max_tokens: int) -> tuple[int, int]:
    """(prompt, completion) tokens: the server's own numbers when they are whole and not
    negative, clamped to what the request could have cost; an estimate when it sent
    none, or nonsense."""
    prompt_chars = sum(len(m.get("content") or "") for m in messages)
    counts = _Usage(prompt_tokens=prompt_chars // CHARS_PER_TOKEN,
                    completion_tokens=len(text) // CHARS_PER_TOKEN + 1)
    if isinstance(usage, BaseModel):
        usage = usage.model_dump()
    if isinstance(usage, dict):
        try:
            counts = _Usage(prompt_tokens=usage.get("prompt_tokens", 0),
                            completion_tokens=usage.get("completion_tokens", 0))
        except ValidationError:
            pass
    return (min(counts.prompt_tokens, prompt_chars + PROMPT_TOKENS_SLACK),
            min(counts.completion_tokens, max(1, max_tokens)))
