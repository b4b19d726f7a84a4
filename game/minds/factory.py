"""Build the mind a game runs on from settings: scripted (default), an OpenAI-compatible
server, or the bundled local model. Replays get an LLM mind that answers only from a record.
"""

from __future__ import annotations

from typing import Any

from game.minds.scripted import ScriptedMind

BACKENDS = ("scripted", "llm", "local")
LOCAL_CALL_SECONDS = 45.0  # a small model on a busy CPU: patient, but not for minutes


def make_mind(backend: str = "scripted", *, base_url: str | None = None,
              model: str | None = None, gguf: str | None = None,
              record: dict[str, Any] | None = None,
              config: dict[str, Any] | None = None) -> Any:
    """A fresh mind. ``record`` (from a save) makes an LLM mind replay offline; ``config``
    is the saved public config, since requests are matched by a hash that includes it."""
    if backend == "scripted":
        return ScriptedMind()
    if backend not in BACKENDS:
        raise ValueError(f"unknown mind backend {backend!r}; choose one of {', '.join(BACKENDS)}")
    from game.minds.llm import LLMConfig, LLMMind, LocalServer, Recorder

    if record is not None:
        replay_config = LLMConfig.from_mapping(config or {})
        replay_config.base_url = "http://127.0.0.1:9/v1"  # never reached: answers are recorded
        return LLMMind(replay_config, recorder=Recorder("replay", record))
    if backend == "local":
        server = LocalServer(gguf).start()
        # llama-cpp-python answers one request at a time: queue them here, where the
        # wait does not count against the HTTP timeout
        local = LLMConfig(base_url=server.base_url, model="local", concurrency=1,
                          timeout=LOCAL_CALL_SECONDS, first_token_timeout=LOCAL_CALL_SECONDS,
                          call_timeout=LOCAL_CALL_SECONDS)
        return LLMMind(local, local_server=server)
    settings = LLMConfig()
    if base_url:
        settings.base_url = base_url
    if model:
        settings.model = model
    return LLMMind(settings)


def close_mind(mind: Any) -> None:
    """Release threads and any local model server a mind started (safe to repeat).

    A server is stopped at interpreter exit even without this, and ends itself when
    the game's process is gone (see ``local.py``)."""
    close = getattr(mind, "close", None)
    if close is not None:
        close()
