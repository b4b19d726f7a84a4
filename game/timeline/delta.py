"""Deltas between plain-data snapshots, so a tree of snapshots costs little more than one.

A world snapshot is a big nested dict whose bulk (the event log, the memory streams)
only grows between two snapshots, while a few small parts change. ``diff(parent,
child)`` records only what changed; ``apply(parent, delta)`` rebuilds ``child``
exactly — same values, same types (``1`` is not ``1.0`` nor ``True``), same dict key
order — so the rebuilt snapshot packs to the same msgpack bytes as the original.

A delta is itself plain data (msgpack-able, str dict keys), a tagged list:

- ``["=", value]`` — replace with ``value``;
- ``["d", {key: delta}, [removed keys], order]`` — patch a dict; ``order`` is None
  when the child's key order is "parent's surviving keys, then new keys", else the
  child's full key list;
- ``["l", keep, [[index, delta], ...], tail]`` — keep ``parent[:keep]``, patch some
  of those indices, then append ``tail`` (an append-only list costs just its tail).

``apply`` shares unchanged sub-objects between parent and child (structural
sharing): treat every snapshot rebuilt here as read-only.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import msgpack

Delta = list[Any]

_MAX_PATCH_FRACTION = 0.5  # more changed items than this: store the whole list instead


def _pack(value: Any) -> bytes:
    return msgpack.packb(value, use_bin_type=True)


def _equal(a: Any, b: Any, strict: bool) -> bool:
    if a is b:
        return True
    if type(a) is not type(b) or a != b:
        return False
    if strict and isinstance(a, (dict, list, float)):
        return _pack(a) == _pack(b)  # catches 1 vs 1.0 inside, key order, -0.0
    return True


def _diff(a: Any, b: Any, strict: bool) -> Delta | None:
    """The delta from ``a`` to ``b``, or None if they are the same."""
    if _equal(a, b, strict):
        return None
    if type(a) is dict and type(b) is dict:
        return _diff_dict(a, b, strict)
    if type(a) is list and type(b) is list:
        return _diff_list(a, b, strict)
    return ["=", b]


def _diff_dict(a: dict[Any, Any], b: dict[Any, Any], strict: bool) -> Delta:
    changes: dict[Any, Delta] = {}
    for key, value in b.items():
        if key in a:
            sub = _diff(a[key], value, strict)
            if sub is not None:
                changes[key] = sub
        else:
            changes[key] = ["=", value]
    removed = [key for key in a if key not in b]
    expected = [key for key in a if key in b] + [key for key in b if key not in a]
    order = None if expected == list(b) else list(b)
    return ["d", changes, removed, order]


def _diff_list(a: list[Any], b: list[Any], strict: bool) -> Delta:
    keep = min(len(a), len(b))
    head_a, head_b = a[:keep], b[:keep]
    patches: list[list[Any]] = []
    if not _equal(head_a, head_b, strict):
        limit = keep * _MAX_PATCH_FRACTION
        for i in range(keep):
            sub = _diff(head_a[i], head_b[i], strict)
            if sub is not None:
                patches.append([i, sub])
                if len(patches) > limit:
                    return ["=", b]
    return ["l", keep, patches, b[keep:]]


def diff(parent: Any, child: Any) -> Delta:
    """A delta that turns ``parent`` into ``child`` exactly (see module docstring)."""
    delta = _diff(parent, child, strict=False)
    if delta is None:
        delta = ["d", {}, [], None] if type(child) is dict else ["=", child]
    # ``==`` ignores int/float/bool and key-order differences; check the bytes and
    # redo the diff with the strict (slower) comparison if anything slipped through.
    if _pack(apply(parent, delta)) != _pack(child):
        delta = _diff(parent, child, strict=True) or ["=", child]
    return delta


def apply(parent: Any, delta: Delta) -> Any:
    """Rebuild the child from ``parent`` and ``diff(parent, child)``; ``parent`` is untouched."""
    tag = delta[0]
    if tag == "=":
        return delta[1]
    if tag == "d":
        _, changes, removed, order = delta
        if type(parent) is not dict:
            raise ValueError("dict delta applied to a non-dict")
        gone = set(removed)
        out = {k: v for k, v in parent.items() if k not in gone}
        for key, sub in changes.items():
            out[key] = apply(out[key], sub) if key in out else _require_replace(sub)
        if order is not None:
            out = {key: out[key] for key in order}
        return out
    if tag == "l":
        _, keep, patches, tail = delta
        if type(parent) is not list or keep > len(parent):
            raise ValueError("list delta does not fit its parent")
        items: list[Any] = parent[:keep]
        for index, sub in patches:
            items[index] = apply(items[index], sub)
        items.extend(tail)
        return items
    raise ValueError(f"unknown delta tag {tag!r}")


def _require_replace(sub: Delta) -> Any:
    if sub[0] != "=":
        raise ValueError("patch for a key the parent does not have")
    return sub[1]


@contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cyclic GC while building many acyclic containers: with a big heap around,
    it would otherwise rescan everything several times per snapshot."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def delta_size(delta: Delta) -> int:
    """Bytes the delta takes packed — what it costs in a save file before compression."""
    return len(_pack(delta))
