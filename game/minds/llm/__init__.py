"""LLM-backed minds: any OpenAI-compatible server, record/replay, faults, budget."""

from .budget import Budget
from .cache import ResponseCache, request_key
from .client import LLMClient, LLMError
from .config import LLMConfig
from .local import LocalServer, LocalServerError, llama_cpp_available
from .mind import LLMMind
from .player import PlayerAnswer
from .recorder import Recorder

__all__ = ["Budget", "LLMClient", "LLMConfig", "LLMError", "LLMMind",
           "LocalServer", "LocalServerError", "PlayerAnswer", "Recorder", "ResponseCache",
           "llama_cpp_available", "request_key"]
