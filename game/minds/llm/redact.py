"""Credentials out of model text before anyone sees it.

A hostile or broken server can echo the request's ``Authorization`` header, or a model
can repeat a key it was shown. Whatever the model writes is scrubbed of the configured
key and of anything shaped like a bearer token or an ``sk-`` key before it is shown,
recorded, cached, logged or saved. While an answer streams, an unfinished token at the
end is held back, so not even its first characters reach the screen.
"""

from __future__ import annotations

import re
import urllib.parse

MASK = "***"
_TOKEN_CHARS = r"[A-Za-z0-9._~+/=-]"
_CREDENTIAL = re.compile(rf"(?i)\bbearer\s+{_TOKEN_CHARS}+|\bsk-{_TOKEN_CHARS}{{4,}}")
_UNFINISHED = re.compile(rf"(?i)(?:\bb(?:e(?:a(?:r(?:e(?:r\s*)?)?)?)?)?|\bsk?-?"
                         rf"{_TOKEN_CHARS}*)$")
MIN_KEY = 4  # a shorter "key" is no secret (and masking it would garble words)


def scrub(text: str, key: str = "") -> str:
    """``text`` with the key, bearer tokens and sk- keys masked."""
    if key and len(key) >= MIN_KEY and key != "no-key":
        text = text.replace(key, MASK)
    return _CREDENTIAL.sub(MASK, text)


def scrub_growing(text: str, key: str = "") -> str:
    """``scrub`` for text still arriving: also drop a tail that may become a credential
    (the start of the key, 'Bearer' or 'sk-' with what follows so far)."""
    text = scrub(text, key)
    if key and len(key) >= MIN_KEY and key != "no-key":
        for n in range(min(len(key) - 1, len(text)), 0, -1):
            if text.endswith(key[:n]):
                text = text[:-n]
                break
    m = _UNFINISHED.search(text)
    if m and m.group(0) and _could_be_credential(m.group(0)):
        text = text[:m.start()]
    return text


def _could_be_credential(tail: str) -> bool:
    low = tail.lower()
    return "bearer".startswith(low.rstrip()) or low.startswith("bearer") or \
        low.startswith("sk-") or low in ("s", "sk")


def shown_url(url: str) -> str:
    """The URL without any user:password part."""
    parts = urllib.parse.urlsplit(url)
    if parts.username is None and parts.password is None:
        return url
    host = parts.hostname or ""
    netloc = f"{host}:{parts.port}" if parts.port else host
    return urllib.parse.urlunsplit(parts._replace(netloc=netloc))
