"""Unpack msgpack from an untrusted file with a bound on objects and depth, not only bytes.

msgpack's own limits are per container: a few kilobytes of zlib can unfold into tens of
millions of empty arrays, each one legal, together gigabytes of Python objects. So every
container is counted as it is built (the list and map hooks run for each one), and the
unpacking stops as soon as the values made pass ``Limits.objects``: memory stays in
proportion to the limit whatever the file claims. Depth is checked on the result (the C
unpacker already refuses more than about a thousand levels, so nothing overflows first).
"""

from __future__ import annotations

import gc
from dataclasses import dataclass, field
from typing import Any

import msgpack


@dataclass(frozen=True)
class Limits:
    objects: int = 2_000_000  # values inside containers, all levels (a 300-command game: 230k)
    container_len: int = 500_000  # entries of one array or map
    text: int = 8 * 1024 * 1024  # bytes of one string or binary
    depth: int = 48  # nested containers (a real save needs about ten)


LIMITS = Limits()


class TooBig(ValueError):
    """The data holds more than the limits allow; ``str()`` says which limit."""


@dataclass
class UnpackStats:
    """What one unpack made: for tests and benches that assert bounds by counting."""

    containers: int = 0
    objects: int = 0
    depth: int = 0
    limits: Limits = field(default_factory=Limits)


def unpack(data: bytes | memoryview, what: str, limits: Limits = LIMITS,
           stats: UnpackStats | None = None) -> Any:
    """Unpack one msgpack value; ValueError (one line) when it is not valid or too big.
    ``stats``, if given, receives the counts (also when the data is refused)."""
    stats = UnpackStats(limits=limits) if stats is None else stats
    n = len(data)
    cap = min(n, limits.container_len)

    def count(container: Any) -> Any:
        stats.containers += 1
        stats.objects += len(container) * (2 if type(container) is dict else 1)
        if stats.objects > limits.objects:
            raise TooBig(f"{what} holds more than {limits.objects} values")
        return container

    # Unpacking makes many containers; with a big heap around (a running game) the
    # cyclic GC would rescan it several times over. Nothing here can form a cycle.
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        value = msgpack.unpackb(
            data, raw=False, strict_map_key=True, use_list=True,
            list_hook=count, object_hook=count,
            max_str_len=min(n, limits.text), max_bin_len=min(n, limits.text),
            max_array_len=cap, max_map_len=min(cap, n // 2), max_ext_len=0,
        )
    except TooBig as exc:
        raise ValueError(str(exc)) from None
    except ValueError as exc:
        if "exceeds max_" in str(exc):  # msgpack's own per-container limits
            raise ValueError(f"{what} is too big ({str(exc)[:80]})") from None
        raise ValueError(f"{what} is not valid msgpack ({type(exc).__name__})") from None
    except Exception as exc:  # noqa: BLE001 - any unpack failure is a corrupt file
        raise ValueError(f"{what} is not valid msgpack ({type(exc).__name__})") from None
    finally:
        if was_enabled:
            gc.enable()
    stats.depth = depth_of(value, limits.depth)
    if stats.depth > limits.depth:
        raise ValueError(f"{what} is nested more than {limits.depth} levels deep")
    return value


def depth_of(value: Any, stop: int) -> int:
    """How deeply containers nest in ``value`` (0 for a scalar); stops counting past
    ``stop``. Iterative, so a deep value cannot exhaust the interpreter's stack."""
    deepest = 0
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, level = stack.pop()
        kind = type(item)
        if kind is not list and kind is not dict:
            continue
        if level > deepest:
            deepest = level
            if deepest > stop:
                return deepest
        for child in (item.values() if kind is dict else item):
            if type(child) is list or type(child) is dict:
                stack.append((child, level + 1))
    return deepest
