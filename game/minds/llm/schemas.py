"""Pydantic answer models, built per call so the schema names exactly what is allowed.

A decision's ``action`` is a ``Literal`` of the action labels the world allows at
that moment, so the JSON schema sent to the server carries an ``enum`` of them and
validation rejects anything else (an invented action, a teleport, a confession
the rules don't offer). Fact citations and reflection evidence are enumerated the
same way, so a model cannot cite what the agent does not know.
"""

from __future__ import annotations

import json
import re
from types import GenericAlias
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, create_model

_STRICT = ConfigDict(extra="forbid")
REPLY_CHARS = 300  # the longest reply to the player


def _literal(values: list[Any]) -> Any:
    """``Literal[*values]`` for values known only at run time (a type checker cannot
    follow a Literal built from a variable, so this one place is exempt)."""
    return Literal[tuple(values)]  # type: ignore[valid-type]


def _list_of(item: Any) -> Any:
    """``list[item]`` for an item type built at run time."""
    return GenericAlias(list, (item,))


def decision_model(labels: list[str], speakers: list[str] | None = None, max_lines: int = 4,
                   text_len: int = 120) -> type[BaseModel]:
    """{'action': <one allowed label>}, and when talking is possible, what is said.

    Choosing to talk and writing the conversation in the same call halves the round
    trips: the dialogue (with a memory summary for each side) is used if the chosen
    action is a talk, and ignored otherwise.
    """
    if not speakers:
        return create_model("Decision", __config__=_STRICT, action=(_literal(labels), ...))
    line = create_model("Line", __config__=_STRICT,
                        speaker=(_literal(speakers), ...),
                        text=(str, Field(min_length=1, max_length=text_len)))
    return create_model("Decision", __config__=_STRICT,
                        action=(_literal(labels), ...),
                        lines=(_list_of(line), Field(default_factory=list,
                                                 max_length=max_lines)),
                        summary_self=(str, Field(default="", max_length=text_len)),
                        summary_other=(str, Field(default="", max_length=text_len)))


def plan_model(locations: list[str], hours: list[int]) -> type[BaseModel]:
    """One optional outing for the day's free time; 'none' keeps the routine."""
    return create_model("DayPlan", __config__=_STRICT,
                        outing=(_literal([*locations, "none"]), ...),
                        hour=(_literal(hours), ...),
                        activity=(str, Field(default="errand", max_length=40)))


def conversation_model(a: str, b: str, max_lines: int = 4,
                       text_len: int = 120) -> type[BaseModel]:
    """A whole conversation plus a one-line memory summary for each side."""
    line = create_model("Line", __config__=_STRICT,
                        speaker=(_literal([a, b]), ...),
                        text=(str, Field(min_length=1, max_length=text_len)))
    return create_model("Talk", __config__=_STRICT,
                        lines=(_list_of(line), Field(min_length=2, max_length=max_lines)),
                        summary_a=(str, Field(min_length=1, max_length=text_len)),
                        summary_b=(str, Field(min_length=1, max_length=text_len)))


def reflection_model(evidence_ids: list[int]) -> type[BaseModel]:
    ev_type = _list_of(_literal(evidence_ids)) if evidence_ids else list[int]
    ev_field = Field(min_length=1, max_length=5) if evidence_ids else Field(max_length=0)
    insight = create_model("Insight", __config__=_STRICT,
                           text=(str, Field(min_length=1, max_length=120)),
                           evidence=(ev_type, ev_field),
                           importance=(int, Field(ge=1, le=10)))
    return create_model("Reflections", __config__=_STRICT,
                        insights=(_list_of(insight), Field(max_length=2)))


def importance_model(n: int) -> type[BaseModel]:
    return create_model("Importance", __config__=_STRICT,
                        scores=(list[int], Field(min_length=n, max_length=n)))


def answer_model(fact_ids: list[str]) -> type[BaseModel]:
    """An in-character reply that may cite only ``fact_ids``."""
    cited = _list_of(_literal(fact_ids)) if fact_ids else list[str]
    limit: Any = Field(max_length=len(fact_ids))
    # cited_facts first, and required (so a grammar-constrained model writes it first): a
    # streamed answer is checked before any of its reply is shown
    return create_model("Answer", __config__=_STRICT,
                        cited_facts=(cited, limit),
                        reply=(str, Field(min_length=1, max_length=REPLY_CHARS)))


def intent_model(intents: list[str]) -> type[BaseModel]:
    return create_model("Intent", __config__=_STRICT, intent=(_literal([*intents, "none"]), ...))


def json_schema(model: type[BaseModel]) -> dict[str, Any]:
    """The model's JSON schema with $refs inlined (small servers' grammars dislike $defs)."""
    schema = model.model_json_schema()
    defs = schema.pop("$defs", {})

    def inline(node: Any) -> Any:
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/$defs/"):
                return inline(defs[ref.split("/")[-1]])
            return {k: inline(v) for k, v in node.items() if k != "title"}
        if isinstance(node, list):
            return [inline(v) for v in node]
        return node

    return inline(schema)


_FENCE = re.compile(r"^```(?:json)?\s*|\s*```$", re.MULTILINE)
_DECODER = json.JSONDecoder()


def parse(model: type[BaseModel], text: str) -> BaseModel:
    """Validate a model answer: exactly one JSON object, with nothing after it (a code
    fence around it, or a few words before it, are tolerated).

    Raises ValueError with a short reason on anything unusable.
    """
    body = _FENCE.sub("", text.strip()).strip()
    start = body.find("{")
    if start < 0:
        raise ValueError("no JSON object in answer")
    try:
        data, end = _DECODER.raw_decode(body, start)
    except json.JSONDecodeError as exc:
        raise ValueError(f"malformed JSON ({exc.msg})") from None
    except (ValueError, RecursionError):  # absurd numbers, absurd nesting
        raise ValueError("malformed JSON (unreadable value)") from None
    if body[end:].strip():
        raise ValueError("text after the JSON answer")
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first.get("loc", ()))
        raise ValueError(f"invalid answer at {where or 'root'}: {first.get('type')}") from None


def canonical(answer: BaseModel) -> str:
    """A validated answer as compact JSON: what the record and cache keep. Its size is
    bounded by the schema, whatever padding the server sent."""
    return answer.model_dump_json()
