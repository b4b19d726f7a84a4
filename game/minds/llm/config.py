"""Where the model lives and how patiently to talk to it, as plain data.

Kept apart from the client because saves, reports and replays need the settings
(without the key) while never talking to a server.
"""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass, field, fields
from typing import Any


@dataclass
class LLMConfig:
    """Where the model lives and how patiently to talk to it."""

    base_url: str = "http://127.0.0.1:8000/v1"
    model: str = "local"
    api_key: str | None = field(default=None, repr=False)
    timeout: float = 10.0  # seconds per HTTP attempt (between bytes, for a stream)
    first_token_timeout: float = 5.0  # seconds a streamed answer may take to begin
    call_timeout: float = 15.0  # seconds one call may take in all, the SDK's retries included
    retries: int = 2  # extra attempts after a transient fault (the SDK's max_retries)
    backoff: float = 0.5  # unused: the SDK paces its retries (kept: older callers pass it)
    backoff_max: float = 8.0  # the longest pause between attempts a batch's deadline allows
    validation_retries: int = 2  # extra attempts after an invalid answer
    temperature: float = 0.0
    seed: int | None = 0
    concurrency: int = 8
    breaker_threshold: int = 3  # consecutive connection failures that open the breaker
    breaker_cooldown: float = 30.0  # seconds of scripted play before trying again
    mode: str = "auto"  # auto | json_schema | json_object | plain

    def resolved_key(self) -> str:
        """Explicit key, else HINDSIGHT_API_KEY, else OPENAI_API_KEY; local servers need none."""
        return (self.api_key or os.environ.get("HINDSIGHT_API_KEY")
                or os.environ.get("OPENAI_API_KEY") or "no-key")

    @classmethod
    def from_mapping(cls, data: dict[str, Any]) -> LLMConfig:
        """Build from a config-file table; unknown keys are ignored (forward compatible)."""
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in known})

    def public(self) -> dict[str, Any]:
        """The config as plain data without the key (for reports and saves)."""
        data = asdict(self)
        data.pop("api_key", None)
        return data
