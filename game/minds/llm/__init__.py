"""LLM-backed minds: any OpenAI-compatible server, record/replay, faults, budget."""

from .budget import Budget, BudgetExhausted
from .cache import ResponseCache, request_key
from .client import LLMClient, LLMConfig, LLMError
from .mind import LLMMind, PlayerAnswer
from .recorder import Recorder

__all__ = ["Budget", "BudgetExhausted", "LLMClient", "LLMConfig", "LLMError", "LLMMind",
           "PlayerAnswer", "Recorder", "ResponseCache", "request_key"]
