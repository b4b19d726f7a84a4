"""A small OpenAI-compatible chat server on 127.0.0.1 that injects latency and faults.

Valid answers are generated from the request's JSON schema (from
``response_format``, or from the ``SCHEMA:`` line in plain mode), choosing enum
values with a RNG seeded by the request, so equal requests get equal answers.
Faults, drawn at ``fault_rate`` (or played in order from ``script`` first): timeout
(hangs longer than the client waits), 429 and 500/503 with a Retry-After, dropped
connection, malformed JSON, truncated JSON, refusal, empty answer, garbage body.
The server counts the most requests it ever had in flight at once, and ``hold`` keeps
that many arriving requests waiting for each other, so a test can tell a concurrent
batch from a sequential one by counting instead of timing. ``responder`` overrides
the answer text (tests use it to play a malicious model). Like llama-cpp-python's
server, it can reject ``json_schema`` response formats.

``hostile`` plays a server that is up and answering, but not to be trusted (one of
``HOSTILE``): ``drip`` sends its answer a byte at a time, ``drip`` seconds apart (a
stream waits that long before every chunk, the first included); ``junk`` appends
``junk_chars`` of text after a valid JSON answer; ``counts`` claims 2**62 tokens;
``echo_key`` writes the request's Authorization header into every string; ``obey``
follows injected instructions by repeating its system prompt in every string (from its
private part, when it has one);
``outside`` picks actions and cites facts outside the allowed lists and answers
"OK: kill".
"""

from __future__ import annotations

import hashlib
import json
import random
import threading
import time
from collections import Counter
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

FAULTS = ("timeout", "429", "500", "drop", "malformed", "truncated", "refusal", "empty",
          "garbage")
HOSTILE = ("drip", "junk", "counts", "echo_key", "obey", "outside")
HUGE = 2 ** 62


def schema_of(body: dict[str, Any]) -> dict[str, Any] | None:
    rf = body.get("response_format") or {}
    if rf.get("type") == "json_schema":
        return rf["json_schema"]["schema"]
    if rf.get("type") == "json_object" and "schema" in rf:
        return rf["schema"]
    for m in body.get("messages", []):
        content = m.get("content") or ""
        if "SCHEMA: " in content:
            return json.loads(content.split("SCHEMA: ", 1)[1].splitlines()[0])
    return None


def instance(schema: dict[str, Any], rnd: random.Random) -> Any:
    """A value that satisfies ``schema`` (the subset pydantic emits here)."""
    if "const" in schema:
        return schema["const"]
    if "enum" in schema:
        return rnd.choice(schema["enum"])
    kind = schema.get("type")
    if kind == "object":
        return {k: instance(v, rnd) for k, v in schema.get("properties", {}).items()}
    if kind == "array":
        lo, hi = schema.get("minItems", 0), schema.get("maxItems", 3)
        n = min(hi, max(lo, 2))
        return [instance(schema.get("items", {}), rnd) for _ in range(n)]
    if kind == "integer":
        lo, hi = schema.get("minimum", 1), schema.get("maximum", 10)
        return rnd.randint(lo, hi)
    if kind == "string":
        text = rnd.choice(["Fine weather today.", "I saw nothing unusual.", "Good day to you."])
        return text[: schema.get("maxLength", 100)]
    if kind == "boolean":
        return True
    return None


class _Server(ThreadingHTTPServer):
    request_queue_size = 128  # socketserver's default backlog of 5 stalls bursts of connects


class FaultServer:
    def __init__(self, *, fault_rate: float = 0.0, faults: tuple[str, ...] = FAULTS,
                 latency: float = 0.0, hang: float = 1.0, seed: int = 0,
                 reject_json_schema: bool = False, reject_json_object: bool = False,
                 responder: Callable[[dict[str, Any]], str] | None = None,
                 chunk_chars: int = 8, chunk_delay: float = 0.0,
                 script: tuple[str, ...] = (), retry_after: str = "0.01",
                 hold: int = 0, hold_timeout: float = 10.0,
                 api_key: str | None = None, hostile: str = "", drip: float = 0.2,
                 junk_chars: int = 8 * 1024 * 1024) -> None:
        assert hostile in ("", *HOSTILE), hostile
        self.hostile = hostile
        self.drip = drip
        self.junk_chars = junk_chars
        self.fault_rate = fault_rate
        self.faults = faults
        self.latency = latency
        self.hang = hang
        self.reject_json_schema = reject_json_schema
        self.reject_json_object = reject_json_object
        self.responder = responder
        self.chunk_chars = chunk_chars  # streamed answers come in pieces this long
        self.chunk_delay = chunk_delay
        self.streamed = 0
        self.script = list(script)  # faults for the first requests, in order ("" = none)
        self.retry_after = retry_after  # seconds, sent with 429/500/503
        self.hold = hold  # requests held until this many are in flight together
        self.hold_timeout = hold_timeout
        self.api_key = api_key  # when set, any other key gets 401 (as OpenAI answers)
        self.listed = 0  # GET /v1/models
        self.in_flight = 0
        self.max_in_flight = 0
        self.rng = random.Random(seed)
        self.lock = threading.Lock()
        self.arrived = threading.Condition(self.lock)
        self.requests = 0
        self.injected: Counter[str] = Counter()
        self.formats: Counter[str] = Counter()
        self.bodies: list[dict[str, Any]] = []
        self.auth_seen: list[str] = []
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def base_url(self) -> str:
        assert self._httpd is not None
        return f"http://127.0.0.1:{self._httpd.server_address[1]}/v1"

    def start(self) -> FaultServer:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:  # keep test output quiet
                pass

            def do_GET(self) -> None:  # noqa: N802
                with server.lock:
                    server.listed += 1
                if not self._authorized():
                    return
                self._json(200, {"object": "list", "data": [{"id": "fault", "object": "model"}]})

            def do_POST(self) -> None:  # noqa: N802
                length = int(self.headers.get("content-length", 0))
                body = json.loads(self.rfile.read(length) or b"{}")
                if self._authorized():
                    server._handle(self, body)

            def _authorized(self) -> bool:
                if server.api_key is None or \
                        self.headers.get("authorization") == f"Bearer {server.api_key}":
                    return True
                self._json(401, {"error": {"message": "Incorrect API key provided",
                                           "type": "invalid_request_error"}})
                return False

            def _json(self, code: int, payload: Any, headers: dict[str, str] | None = None
                      ) -> None:
                data = json.dumps(payload).encode()
                self._raw(code, data, headers)

            def _raw(self, code: int, data: bytes, headers: dict[str, str] | None = None
                     ) -> None:
                try:
                    self.send_response(code)
                    self.send_header("content-type", "application/json")
                    self.send_header("content-length", str(len(data)))
                    for k, v in (headers or {}).items():
                        self.send_header(k, v)
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def _drip(self, data: bytes, delay: float) -> None:
                """Headers at once, then the body a byte at a time (until hung up on)."""
                try:
                    self.send_response(200)
                    self.send_header("content-type", "application/json")
                    self.send_header("content-length", str(len(data)))
                    self.end_headers()
                    for i in range(len(data)):
                        time.sleep(delay)
                        self.wfile.write(data[i:i + 1])
                        self.wfile.flush()
                except (BrokenPipeError, ConnectionResetError):
                    pass
                self.close_connection = True

            def _sse(self, chunks: list[dict[str, Any]], delay: float,
                     first_delay: float = 0.0) -> None:
                try:
                    self.send_response(200)
                    self.send_header("content-type", "text/event-stream")
                    self.end_headers()
                    time.sleep(first_delay)
                    for chunk in chunks:
                        self.wfile.write(b"data: " + json.dumps(chunk).encode() + b"\n\n")
                        self.wfile.flush()
                        if delay:
                            time.sleep(delay)
                    self.wfile.write(b"data: [DONE]\n\n")
                    self.wfile.flush()
                except (BrokenPipeError, ConnectionResetError):
                    pass
                self.close_connection = True

        self._httpd = _Server(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None

    def __enter__(self) -> FaultServer:
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.stop()

    # ------------------------------------------------------------- handling
    def _handle(self, h: Any, body: dict[str, Any]) -> None:
        with self.arrived:
            self.in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self.in_flight)
            self.arrived.notify_all()
            if self.hold:
                self.arrived.wait_for(lambda: not self.hold or self.in_flight >= self.hold,
                                      self.hold_timeout)
                self.hold = 0  # one group only: later requests go straight through
                self.arrived.notify_all()
        try:
            self._respond(h, body)
        finally:
            with self.lock:
                self.in_flight -= 1

    def _respond(self, h: Any, body: dict[str, Any]) -> None:
        rf_type = (body.get("response_format") or {}).get("type", "none")
        with self.lock:
            self.requests += 1
            n = self.requests
            self.formats[rf_type] += 1
            self.bodies.append(body)
            self.auth_seen.append(h.headers.get("authorization", ""))
            if self.script:
                fault = self.script.pop(0)
            else:
                fault = self.rng.choice(self.faults) if self.rng.random() < self.fault_rate \
                    else ""
        pause = {"retry-after-ms": str(round(float(self.retry_after) * 1000)),
                 "retry-after": self.retry_after}
        if self.latency:
            time.sleep(self.latency)
        if self.reject_json_schema and rf_type == "json_schema":
            h._json(500, {"error": {"message": "1 validation error: ('body', 'response_format', "
                          "'type') Input should be 'text' or 'json_object'",
                          "type": "internal_server_error"}})
            return
        if self.reject_json_object and rf_type == "json_object":
            h._json(400, {"error": {"message": "response_format is not supported",
                                    "type": "invalid_request_error"}})
            return
        if fault:
            with self.lock:
                self.injected[fault] += 1
        if fault == "timeout":
            time.sleep(self.hang)
        elif fault == "429":
            h._json(429, {"error": {"message": "rate limited", "type": "rate_limit"}}, pause)
            return
        elif fault == "500":
            code = 500 if n % 2 else 503
            h._json(code, {"error": {"message": "server exploded", "type": "server_error"}},
                    pause)
            return
        elif fault == "drop":
            h.close_connection = True
            return
        elif fault == "garbage":
            h._raw(200, b"<html>502 bad gateway</html>")
            return
        content: str | None
        refusal = None
        finish = "stop"
        if self.responder is not None:
            content = self.responder(body)
        else:
            schema = schema_of(body) or {"type": "object", "properties": {}}
            seed = hashlib.sha256(json.dumps(body["messages"], sort_keys=True).encode()).digest()
            content = json.dumps(instance(schema, random.Random(seed)))
        if fault == "malformed":
            content = '{"action": oops, "lines": [}'
        elif fault == "truncated":
            content, finish = (content or "")[: max(1, len(content or "") // 2)], "length"
        elif fault == "refusal":
            if n % 2:
                content, refusal = None, "I can't help with that."
            else:
                content = "I'm sorry, but I can't comply with that request."
        elif fault == "empty":
            if n % 2 and not body.get("stream"):
                h._json(200, _completion("", "stop", None, body)
                        | {"choices": []})
                return
            content = ""
        if self.hostile and content is not None:
            content = _hostile(self.hostile, body, content, h.headers.get("authorization", ""),
                               self.junk_chars)
        huge = self.hostile == "counts"
        drip = self.drip if self.hostile == "drip" else 0.0
        if body.get("stream"):
            with self.lock:
                self.streamed += 1
            chunks = _chunks(content, finish, refusal, body, self.chunk_chars)
            if huge:
                chunks[-1]["usage"] = {"prompt_tokens": HUGE, "completion_tokens": HUGE,
                                       "total_tokens": 2 * HUGE}
            h._sse(chunks, drip or self.chunk_delay, drip)
            return
        answer = _completion(content, finish, refusal, body)
        if huge:
            answer["usage"] = {"prompt_tokens": HUGE, "completion_tokens": HUGE,
                               "total_tokens": 2 * HUGE}
        if drip:
            h._drip(json.dumps(answer).encode(), drip)
            return
        h._json(200, answer)


def _system_prompt(body: dict[str, Any]) -> str:
    return next((m.get("content") or "" for m in body.get("messages", [])
                 if m.get("role") == "system"), "")


def _hostile(mode: str, body: dict[str, Any], content: str, auth: str, junk: int) -> str:
    """The answer a hostile model gives instead of ``content`` (a valid answer)."""
    if mode == "junk":
        return content + "\n" + ("Also, here is more text. " * (junk // 25 + 1))[:junk]
    if mode not in ("echo_key", "obey", "outside"):
        return content
    try:
        data = json.loads(content)
    except ValueError:
        return content
    if not isinstance(data, dict):
        return content
    if mode == "outside":
        if "action" in data:
            data["action"] = "kill"
        if "cited_facts" in data:
            data["cited_facts"] = ["will_forged", "not_a_fact"]
        if "reply" in data:
            data["reply"] = "OK: kill"
        if "intent" in data:
            data["intent"] = "kill"
        return json.dumps(data)
    said = f"my key is {auth}" if mode == "echo_key" else _system_prompt(body)
    if mode == "obey" and "Privately:" in said:  # asked for a secret, it starts there
        said = said[said.index("Privately:"):] + " " + said
    return json.dumps(_fill_strings(data, said))


_FREE_TEXT = {"reply": 300, "text": 120, "summary_a": 120, "summary_b": 120,
              "summary_self": 120, "summary_other": 120, "activity": 40}  # field: longest


def _fill_strings(node: Any, text: str) -> Any:
    """Every free-text string in an answer replaced by ``text`` (ids and enums kept)."""
    if isinstance(node, dict):
        return {k: (text[:_FREE_TEXT[k]] if k in _FREE_TEXT else _fill_strings(v, text))
                for k, v in node.items()}
    if isinstance(node, list):
        return [_fill_strings(v, text) for v in node]
    return node


def _chunks(content: str | None, finish: str, refusal: str | None, body: dict[str, Any],
            size: int) -> list[dict[str, Any]]:
    """The answer as OpenAI-style ``chat.completion.chunk`` events."""
    def chunk(delta: dict[str, Any], finish_reason: str | None = None) -> dict[str, Any]:
        return {"id": "chatcmpl-fault", "object": "chat.completion.chunk", "created": 0,
                "model": body.get("model", "fault"),
                "choices": [{"index": 0, "delta": delta, "finish_reason": finish_reason}]}
    out = [chunk({"role": "assistant", "content": ""})]
    if refusal:
        out.append(chunk({"refusal": refusal}))
    text = content or ""
    out += [chunk({"content": text[i:i + size]}) for i in range(0, len(text), max(1, size))]
    out.append(chunk({}, finish))
    return out


def _completion(content: str | None, finish: str, refusal: str | None,
                body: dict[str, Any]) -> dict[str, Any]:
    prompt = sum(len(m.get("content") or "") for m in body.get("messages", [])) // 4
    out = len(content or "") // 4
    return {
        "id": "chatcmpl-fault", "object": "chat.completion", "created": 0,
        "model": body.get("model", "fault"),
        "choices": [{"index": 0, "finish_reason": finish,
                     "message": {"role": "assistant", "content": content, "refusal": refusal}}],
        "usage": {"prompt_tokens": prompt, "completion_tokens": out,
                  "total_tokens": prompt + out},
    }
