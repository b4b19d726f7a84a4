"""A budget of LLM calls and tokens; when it runs out, minds play on scripted.

Checked before every network call, so spending stops at the limit (give or take
the calls already in flight), and the message says what ran out.
"""

from __future__ import annotations


class Budget:
    def __init__(self, max_calls: int | None = None, max_tokens: int | None = None) -> None:
        self.max_calls = max_calls
        self.max_tokens = max_tokens
        self.calls = 0
        self.prompt_tokens = 0
        self.completion_tokens = 0

    @property
    def tokens(self) -> int:
        return self.prompt_tokens + self.completion_tokens

    def exhausted(self) -> str | None:
        """A clear message if the budget is spent, else None."""
        if self.max_calls is not None and self.calls >= self.max_calls:
            return (f"LLM budget exhausted: {self.calls}/{self.max_calls} calls used — "
                    f"playing on with scripted minds")
        if self.max_tokens is not None and self.tokens >= self.max_tokens:
            return (f"LLM budget exhausted: {self.tokens}/{self.max_tokens} tokens used — "
                    f"playing on with scripted minds")
        return None

    def charge_call(self) -> None:
        self.calls += 1

    def charge_tokens(self, prompt: int, completion: int) -> None:
        self.prompt_tokens += prompt
        self.completion_tokens += completion
