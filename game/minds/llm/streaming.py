"""Show the player an agent's reply while it streams in, without ever showing a leak.

The model streams a JSON object whose last field is ``reply``; the fields before it (the
facts it cites) are checked first, and until they are complete and allowed nothing is
shown: an answer written in another order is held whole until it is validated. So an
answer the validator would reject is never shown and then withdrawn.
``partial_reply`` digs the reply's text out of the unfinished JSON. ``ReplyStream``
passes on only a prefix that is safe for certain: whole words only, and it holds back
any tail of the text that could be the start of something the agent must not say (a
secret's id or text). A forbidden phrase therefore is complete in the buffer, and
caught, before any part of it is shown; from then on the stream shows nothing more, and
the finished answer is rejected as usual. The final, validated answer always replaces
what was shown.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

_REPLY_START = re.compile(r'"reply"\s*:\s*"')
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f", '"': '"', "\\": "\\",
            "/": "/"}


def partial_reply(raw: str) -> str:
    """The decoded text of the ``reply`` string in a (possibly unfinished) JSON object."""
    m = _REPLY_START.search(raw)
    if m is None:
        return ""
    body, out, i = raw[m.end():], [], 0
    while i < len(body):
        c = body[i]
        if c == '"':
            break
        if c != "\\":
            out.append(c)
            i += 1
            continue
        if i + 1 >= len(body):
            break  # an escape cut in half: wait for the rest
        e = body[i + 1]
        if e == "u":
            char, used = _unicode_escape(body, i)
            if not used:
                break  # cut in half (or a surrogate pair's second half still to come)
            out.append(char)
            i += used
            continue
        out.append(_ESCAPES.get(e, e))
        i += 2
    return "".join(out)


def fields_before_reply(raw: str) -> dict[str, Any] | None:
    """The complete fields written before ``reply`` in an unfinished JSON object, or None
    when the reply has not begun or what precedes it is not complete, readable JSON."""
    m = _REPLY_START.search(raw)
    if m is None:
        return None
    head = raw[:m.start()].rstrip()
    if head.endswith(","):
        head = head[:-1]
    try:
        found = json.loads(head + "}")
    except ValueError:
        return None
    return found if isinstance(found, dict) else None


def _unicode_escape(body: str, i: int) -> tuple[str, int]:
    """The character a ``\\uXXXX`` escape at ``body[i]`` stands for, joining a surrogate
    pair; ("", 0) when the escape is not complete yet (or is not valid)."""
    try:
        code = int(body[i + 2:i + 6], 16) if len(body) >= i + 6 else -1
    except ValueError:
        return "", 0
    if code < 0:
        return "", 0
    if 0xD800 <= code < 0xDC00:  # a high surrogate: the low half must follow
        if len(body) < i + 12 or body[i + 6:i + 8] != "\\u":
            return "", 0
        try:
            low = int(body[i + 8:i + 12], 16)
        except ValueError:
            return "", 0
        if 0xDC00 <= low < 0xE000:
            return chr(0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)), 12
        return "", 0
    return chr(code), 6


class ReplyStream:
    """Feeds ``on_text`` the growing, checked prefix of a streamed reply.

    ``patterns`` are the lower-case phrases ``is_unsafe`` looks for. The tail of the reply
    that could still grow into one of them is held back; everything before it is safe,
    because a phrase caught whole blocks the stream before any of it was shown.
    ``on_text`` always receives the whole text to show so far (it may shrink to "" when a
    rejected answer is retried).
    """

    def __init__(self, on_text: Callable[[str], None], is_unsafe: Callable[[str], bool],
                 patterns: list[str],
                 head_ok: Callable[[dict[str, Any]], bool] = lambda head: not head,
                 max_chars: int | None = None) -> None:
        self.on_text = on_text
        self.is_unsafe = is_unsafe
        self.head_ok = head_ok  # are the fields before the reply valid as they stand?
        self.max_chars = max_chars
        self.patterns = [p.lower() for p in patterns if p]
        self.longest = max((len(p) for p in self.patterns), default=0)
        self.shown = ""
        self.blocked = False

    def safe_length(self, reply: str) -> int:
        """How much of ``reply`` is whole words that cannot be the start of a phrase still
        being written."""
        cut = len(reply)
        while cut and reply[cut - 1].isalnum():  # a word still being written: hold it back
            cut -= 1
        reply = reply[:cut]
        low = reply.lower()
        if len(low) != len(reply):  # lower() changed lengths: hold back the longest phrase
            return max(0, len(reply) - self.longest)
        for start in range(max(0, len(low) - self.longest), len(low)):
            tail = low[start:]
            if any(p.startswith(tail) for p in self.patterns):
                return start
        return len(reply)

    def feed(self, raw: str | None) -> None:
        """Called with the raw completion text received so far; None when the request
        starts over (a retry), which takes back what was shown."""
        if raw is None:
            self.reset()
            return
        if self.blocked:
            return
        head = fields_before_reply(raw)
        if head is None:
            return  # the reply has not begun, or follows fields not yet complete
        reply = partial_reply(raw)
        if not self.head_ok(head) or self.is_unsafe(reply) or (
                self.max_chars is not None and len(reply) > self.max_chars):
            self.blocked = True  # the answer will be rejected; show nothing more of it
            return
        safe = reply[:self.safe_length(reply)]
        if len(safe) > len(self.shown):
            self.shown = safe
            self.on_text(safe)

    def reset(self) -> None:
        """A rejected answer is being retried: take back what it showed."""
        self.blocked = False
        if self.shown:
            self.shown = ""
            self.on_text("")

    def finish(self, text: str) -> None:
        """The final answer (validated, or the scripted fallback) replaces the stream."""
        self.blocked = True
        self.shown = text
        self.on_text(text)
