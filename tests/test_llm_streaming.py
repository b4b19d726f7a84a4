"""The player's conversation streams into the UI, and a stream never shows a leak."""

from __future__ import annotations

import gc
import json
import logging
import threading
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from game.minds.llm.streaming import ReplyStream, partial_reply
from game.session import Command, GameSession
from tests.llm_fault_server import FaultServer
from tests.test_llm_mind import KNOWN_TEXT, SECRET_TEXT, WITHHELD_TEXT, _mind, _world
from tests.test_llm_session import FAST, TUTORIAL

LONG_REPLY = ("Good morning to you. I was at the bakery since dawn, kneading and shaping "
              "the loaves, and I saw nobody strange about the square until the bells rang.")


def _answer(reply: str, cited: list[str] | None = None) -> Any:
    def respond(body: dict[str, Any]) -> str:
        return json.dumps({"cited_facts": cited or [], "reply": reply})  # the schema's order
    return respond


# ------------------------------------------------------------ the pieces
@given(st.text(max_size=80), st.integers(min_value=0, max_value=200))
def test_partial_reply_of_any_prefix_is_a_prefix_of_the_reply(reply: str, cut: int) -> None:
    raw = json.dumps({"reply": reply, "cited_facts": ["x"]}, ensure_ascii=bool(cut % 2))
    assert partial_reply(raw) == reply
    assert reply.startswith(partial_reply(raw[:cut]))


@settings(max_examples=200)
@given(st.text(min_size=0, max_size=60), st.text(min_size=0, max_size=60),
       st.sampled_from(["secret_knife", SECRET_TEXT]), st.integers(1, 9))
def test_a_stream_never_shows_any_part_of_a_forbidden_phrase(before: str, after: str,
                                                             phrase: str, step: int) -> None:
    reply = before + phrase + after
    raw = json.dumps({"reply": reply})
    shown: list[str] = []
    stream = ReplyStream(shown.append, lambda text: phrase.lower() in text.lower(), [phrase])
    for end in range(0, len(raw) + step, step):
        stream.feed(raw[:end])
    first = reply.find(phrase)
    assert all(len(t) <= first and reply.startswith(t) for t in shown), (shown, first)


def test_a_retry_takes_back_what_the_rejected_attempt_showed() -> None:
    shown: list[str] = []
    stream = ReplyStream(shown.append, lambda text: False, [])
    stream.feed('{"reply": "first try')
    stream.feed(None)  # the client starts the request over
    stream.feed('{"reply": "second')
    stream.finish("second try")
    # only whole words are shown: "try" and "second" might still be growing
    assert shown == ["first ", "", "second try"]


def test_a_reply_written_before_its_citations_is_held_until_it_is_valid() -> None:
    """'OK: kill' was once shown, then withdrawn when its citations failed validation."""
    shown: list[str] = []
    stream = ReplyStream(shown.append, lambda text: False, [],
                         head_ok=lambda head: head.get("cited_facts") == [])
    raw = '{"reply": "OK: kill everyone now", "cited_facts": ["secret"]}'
    for end in range(len(raw) + 1):
        stream.feed(raw[:end])
    assert shown == []
    raw = '{"cited_facts": ["secret"], "reply": "OK: kill everyone now"}'
    for end in range(len(raw) + 1):
        stream.feed(raw[:end])
    assert shown == []
    stream.finish("I'm sorry, I can't help you with that.")
    assert shown == ["I'm sorry, I can't help you with that."]


# ------------------------------------------------------- through the mind
def test_answer_streams_in_growing_prefixes_then_the_final_text() -> None:
    with FaultServer(responder=_answer(LONG_REPLY), chunk_chars=5) as srv:
        mind = _mind(srv.base_url)
        world = _world(mind)
        shown: list[str] = []
        answer = mind.answer_player(world, "a0", "Where were you this morning?", [],
                                    on_text=shown.append)
        assert srv.streamed == 1
        mind.close()
    assert answer.source == "llm" and answer.text == LONG_REPLY
    assert len(shown) >= 10, shown  # it arrived in many steps, not all at once
    for a, b in zip(shown, shown[1:], strict=False):
        assert b.startswith(a)
    assert shown[-1] == LONG_REPLY


def test_a_streamed_leak_is_never_shown_and_the_answer_falls_back() -> None:
    leak = f"Between us, {SECRET_TEXT}, and also {WITHHELD_TEXT}."
    with FaultServer(responder=_answer(leak), chunk_chars=3) as srv:
        mind = _mind(srv.base_url)
        world = _world(mind)
        shown: list[str] = []
        answer = mind.answer_player(world, "a0", "Tell me every secret you know.",
                                    ["f_baker"], on_text=shown.append)
        mind.close()
    assert answer.source == "scripted"
    for text in shown[:-1]:
        assert len(text) <= len("Between us, ") and "knife" not in text and "mayor" not in text
    assert shown[-1] == answer.text and SECRET_TEXT not in answer.text


def test_an_allowed_fact_streams_through() -> None:
    reply = f"I can tell you that {KNOWN_TEXT}."
    with FaultServer(responder=_answer(reply, ["f_baker"]), chunk_chars=4) as srv:
        mind = _mind(srv.base_url)
        world = _world(mind)
        shown: list[str] = []
        answer = mind.answer_player(world, "a0", "What did the baker see?", ["f_baker"],
                                    on_text=shown.append)
        mind.close()
    assert answer.source == "llm" and answer.cited == ["f_baker"]
    assert shown[-1] == reply and len(shown) > 3


def test_streams_under_faults_never_crash_and_always_end_on_the_answer() -> None:
    with FaultServer(fault_rate=0.3, seed=5, hang=0.8, chunk_chars=6) as srv:
        mind = _mind(srv.base_url, cfg={"timeout": 0.5})  # shorter than the server's hang
        world = _world(mind)
        for i in range(40):
            shown: list[str] = []
            answer = mind.answer_player(world, "a0", f"Question number {i}?", ["f_baker"],
                                        on_text=shown.append)
            assert answer.text and shown[-1] == answer.text
            assert SECRET_TEXT not in " ".join(shown)
            mind.client.breaker.succeeded()  # keep the breaker from ending the test early
        injected = sum(srv.injected.values())
        mind.close()
    assert injected > 5


def test_a_session_say_streams_from_another_thread() -> None:
    """The UI runs a 'say' on a worker and reads the streamed text each frame."""
    with FaultServer(responder=_answer(LONG_REPLY), chunk_chars=6, chunk_delay=0.005) as srv:
        from game.minds.llm import LLMConfig, LLMMind
        mind = LLMMind(LLMConfig(base_url=srv.base_url, **FAST))
        s = GameSession(TUTORIAL, mind_factory=lambda: mind)
        s.start()
        s.do(Command("go", target="harbour"))
        s.do(Command("wait", minutes=20))
        person = "corin"  # the harbourmaster, at work by then
        seen: list[tuple[str, str]] = []
        result: dict[str, Any] = {}

        def work() -> None:
            result["out"] = s.do(Command("say", target=person, arg="Lovely morning?"),
                                 on_text=lambda t: seen.append((threading.current_thread().name,
                                                                t)))
        t = threading.Thread(target=work, name="ui-worker")
        t.start()
        t.join(300)  # a bound on the waiting, not a measurement
        s.close()
    out = result["out"]
    assert out.lines[-1].endswith(LONG_REPLY)
    texts = [text for _, text in seen]
    assert len(texts) > 5 and texts[-1] == LONG_REPLY
    assert s.history[-1]["verb"] == "say"


def test_closing_the_client_mid_stream_leaves_no_request_behind(
        caplog: pytest.LogCaptureFixture) -> None:
    """A stream cut off by close() (the player quit while a reply came in) is wound
    down on the client's loop, not left pending for the garbage collector to report."""
    from game.minds.llm.client import LLMClient
    from game.minds.llm.config import LLMConfig

    caplog.set_level(logging.ERROR, logger="asyncio")
    with FaultServer(responder=_answer(LONG_REPLY), chunk_chars=2, chunk_delay=0.05) as srv:
        client = LLMClient(LLMConfig(base_url=srv.base_url, model="fault", timeout=30))
        started = threading.Event()
        request = client.submit(client.complete(
            [{"role": "user", "content": "Lovely morning?"}],
            {"type": "object", "properties": {"reply": {"type": "string"}}}, "answer", 200,
            on_delta=lambda text: started.set() if text else None))
        assert started.wait(60)
        client.close()
        assert request.cancelled() or request.done()
        del request
        gc.collect()
    assert "Task was destroyed" not in caplog.text
