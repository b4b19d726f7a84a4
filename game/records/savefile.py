"""Hindsight save files: a small checked header, a msgpack payload, a checksum. Data only,
never a code-running format.

Layout (container version 1)::

    b"HSAV"  | container version (1 byte) | header length (uint32 BE) | header (msgpack map)
    | payload (msgpack, zlib-compressed when that pays) | sha256 of everything before (32 bytes)

The header is kept apart so a slot list can show it without touching the payload. Its
``format_version`` says how to read header and payload; older formats are migrated on
load (``MIGRATIONS``), newer ones are refused with a clear message.

Loading a file from anywhere must be safe: only a regular file is read (``files``), the
file size, the header size, the uncompressed payload size, every msgpack length, the
number of values and the depth are bounded (``bounded``), zlib output is capped while
decompressing (a zip bomb stops at the declared size), the checksum is checked before
the payload is unpacked, and the header is validated strictly. Every failure is one
``SaveError`` with a one-line message. What the payload means is ``payload``'s job.

Canonical bytes: nothing is reordered. The header is written in the model's field order
and the payload is packed in its dicts' insertion order, which msgpack keeps on load; with
a fixed zlib level, save -> load -> save therefore gives identical bytes.
"""

from __future__ import annotations

import hashlib
import os
import struct
import zlib
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import msgpack
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from game.records import bounded
from game.records.files import FileProblem, read_regular, write_atomic

MAGIC = b"HSAV"
CONTAINER_VERSION = 1
FORMAT_VERSION = 3  # 3: the story's text travels inside the payload
MAX_FILE_BYTES = 64 * 1024 * 1024
MAX_HEADER_BYTES = 512 * 1024
MAX_PAYLOAD_BYTES = 64 * 1024 * 1024  # uncompressed
MAX_THUMBNAIL_BYTES = 256 * 1024
ZLIB_LEVEL = 6
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
_PREFIX = struct.Struct(">4sBI")  # magic, container version, header length
_DIGEST = 32


class SaveError(Exception):
    """Any problem reading or writing a save; ``str()`` is a one-line message for the player."""


class SaveHeader(BaseModel):
    """The header of the current format; strict: no extra fields, no type coercion."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    format_version: int = FORMAT_VERSION
    game_version: str = Field(max_length=64)
    scenario_id: str = Field(max_length=200)
    scenario_hash: str = Field(max_length=200)
    created: str = Field(max_length=64)
    summary: str = Field(max_length=500)
    thumbnail: bytes | None = Field(default=None, max_length=MAX_THUMBNAIL_BYTES)
    payload_size: int = Field(ge=0, le=MAX_PAYLOAD_BYTES)
    payload_compressed: bool

    @field_validator("created")
    @classmethod
    def _iso(cls, value: str) -> str:
        datetime.fromisoformat(value)
        return value

    @field_validator("thumbnail")
    @classmethod
    def _png(cls, value: bytes | None) -> bytes | None:
        if value is not None and not value.startswith(PNG_MAGIC):
            raise ValueError("thumbnail is not a PNG")
        return value

    @field_validator("format_version")
    @classmethod
    def _current(cls, value: int) -> int:
        if value != FORMAT_VERSION:
            raise ValueError(f"format_version must be {FORMAT_VERSION}")
        return value


class _HeaderV1(BaseModel):
    """Format 1 (the first release): ``scenario`` not ``scenario_id``; payload always zlib."""

    model_config = ConfigDict(extra="forbid", strict=True)

    format_version: int
    game_version: str = Field(max_length=64)
    scenario: str = Field(max_length=200)
    scenario_hash: str = Field(max_length=200)
    created: str = Field(max_length=64)
    summary: str = Field(max_length=500)
    thumbnail: bytes | None = Field(default=None, max_length=MAX_THUMBNAIL_BYTES)
    payload_size: int = Field(ge=0, le=MAX_PAYLOAD_BYTES)


def _migrate_v1(header: dict[str, Any]) -> dict[str, Any]:
    """Format 1 -> 2: rename ``scenario`` and make the (always-on) compression explicit."""
    old = _HeaderV1.model_validate(header).model_dump()
    return {
        "format_version": 2, "game_version": old["game_version"],
        "scenario_id": old["scenario"], "scenario_hash": old["scenario_hash"],
        "created": old["created"], "summary": old["summary"], "thumbnail": old["thumbnail"],
        "payload_size": old["payload_size"], "payload_compressed": True,
    }


def _migrate_v2(header: dict[str, Any]) -> dict[str, Any]:
    """Format 2 -> 3: the header is unchanged; the payload gained the story (``payload``)."""
    return {**header, "format_version": 3}


MIGRATIONS = {1: _migrate_v1, 2: _migrate_v2}  # from format N to N + 1


# ------------------------------------------------------------------------- writing
def _pack(value: Any) -> bytes:
    try:
        return msgpack.packb(value, use_bin_type=True)
    except (TypeError, ValueError, OverflowError) as exc:
        raise SaveError(f"cannot save: the data is not plain data ({exc})") from None


def pack_payload(payload: dict[str, Any]) -> bytes:
    """The payload as msgpack bytes: the part of saving that must see a still game."""
    raw = _pack(payload)
    if len(raw) > MAX_PAYLOAD_BYTES:
        raise SaveError(f"cannot save: payload is {len(raw)} bytes "
                        f"(limit {MAX_PAYLOAD_BYTES})")
    return raw


def encode_packed(header_fields: dict[str, Any], raw: bytes) -> bytes:
    """The bytes of a save file around an already packed payload. Works on bytes only, so
    it may run on another thread while the game goes on (zlib lets go of the GIL)."""
    packed = zlib.compress(raw, ZLIB_LEVEL)
    compressed = len(packed) < len(raw)
    body = packed if compressed else raw
    fields = {**header_fields, "payload_size": len(raw), "payload_compressed": compressed}
    fields.setdefault("format_version", FORMAT_VERSION)
    try:
        header = SaveHeader.model_validate(fields)
    except ValidationError as exc:
        raise SaveError(f"cannot save: bad header ({_first_error(exc)})") from None
    return _frame(CONTAINER_VERSION, header.model_dump(), body)


def encode_save(header_fields: dict[str, Any], payload: dict[str, Any]) -> bytes:
    """The bytes of a save file (``write_save`` writes them atomically)."""
    return encode_packed(header_fields, pack_payload(payload))


def _frame(container: int, header: dict[str, Any], body: bytes) -> bytes:
    head = _pack(header)
    data = _PREFIX.pack(MAGIC, container, len(head)) + head + body
    if len(data) + _DIGEST > MAX_FILE_BYTES:
        raise SaveError(f"cannot save: file would exceed {MAX_FILE_BYTES} bytes")
    return data + hashlib.sha256(data).digest()


def write_save(path: str | os.PathLike[str], header_fields: dict[str, Any],
               payload: dict[str, Any]) -> None:
    """Write a save atomically: a crash at any moment leaves the old file or the new one."""
    _write_atomic(Path(path), encode_save(header_fields, payload))


def write_packed(path: str | os.PathLike[str], header_fields: dict[str, Any],
                 raw: bytes) -> None:
    """``write_save`` for a payload ``pack_payload`` already packed."""
    _write_atomic(Path(path), encode_packed(header_fields, raw))


def _write_atomic(path: Path, data: bytes) -> None:
    try:
        write_atomic(path, data)
    except FileProblem as exc:
        raise SaveError(f"{path}: {exc}") from None


def _write_v1(path: str | os.PathLike[str], header_fields: dict[str, Any],
              payload: dict[str, Any]) -> None:
    """Write a format-1 file, as the first release did. Only for making test fixtures."""
    raw = _pack(payload)
    fields = {**header_fields, "format_version": 1, "payload_size": len(raw)}
    header = _HeaderV1.model_validate(fields).model_dump()
    _write_atomic(Path(path), _frame(1, header, zlib.compress(raw, ZLIB_LEVEL)))


# ------------------------------------------------------------------------- reading
def _unpack(data: bytes | memoryview, what: str) -> Any:
    return bounded.unpack(data, what)


def _first_error(exc: ValidationError) -> str:
    err = exc.errors()[0]
    where = ".".join(str(p) for p in err.get("loc", ())) or "header"
    return f"{where}: {err.get('msg', 'invalid')}"


def _read_file(path: Path) -> bytes:
    try:
        return read_regular(path, MAX_FILE_BYTES)
    except FileProblem as exc:
        raise SaveError(f"{short_name(path)}: {exc}") from None


def short_name(path: Path) -> str:
    """A path for a one-line message: a hostile 5,000-character name is cut short."""
    text = str(path)
    return text if len(text) <= 200 else f"{text[:90]}…{text[-90:]}"


def _parse(path: Path, data: bytes) -> tuple[SaveHeader, memoryview, int]:
    """Check framing, checksum and header; return the header, the raw payload bytes and
    the format the file was written in."""
    if len(data) < 4 or data[:4] != MAGIC:
        raise SaveError(f"{short_name(path)}: not a Hindsight save (bad magic)")
    if len(data) < _PREFIX.size + _DIGEST:
        raise SaveError(f"{short_name(path)}: truncated")
    _, container, head_len = _PREFIX.unpack_from(data)
    if container > CONTAINER_VERSION:
        raise SaveError(f"{short_name(path)}: made by a newer game (container {container}; "
                        f"this game reads up to {CONTAINER_VERSION})")
    if container < 1:
        raise SaveError(f"{short_name(path)}: unknown container version {container}")
    body_end = len(data) - _DIGEST
    if head_len > MAX_HEADER_BYTES or _PREFIX.size + head_len > body_end:
        raise SaveError(f"{short_name(path)}: truncated or corrupt (header length {head_len} "
                        f"does not fit the file)")
    if hashlib.sha256(memoryview(data)[:body_end]).digest() != data[body_end:]:
        raise SaveError(f"{short_name(path)}: checksum mismatch — the file is corrupt or truncated")
    try:
        raw_header = _unpack(data[_PREFIX.size:_PREFIX.size + head_len], "header")
    except ValueError as exc:
        raise SaveError(f"{short_name(path)}: {exc}") from None
    if not isinstance(raw_header, dict):
        raise SaveError(f"{short_name(path)}: header is not a map")
    version = raw_header.get("format_version")
    if type(version) is not int:
        raise SaveError(f"{short_name(path)}: header has no format_version")
    if version > FORMAT_VERSION:
        raise SaveError(f"{short_name(path)}: made by a newer game (format {version}; "
                        f"this game reads up to {FORMAT_VERSION})")
    if version < 1:
        raise SaveError(f"{short_name(path)}: unknown format version {version}")
    written = version
    try:
        while version < FORMAT_VERSION:
            raw_header = MIGRATIONS[version](raw_header)
            version += 1
        header = SaveHeader.model_validate(raw_header)
    except ValidationError as exc:
        raise SaveError(f"{short_name(path)}: bad header ({_first_error(exc)})") from None
    return header, memoryview(data)[_PREFIX.size + head_len:body_end], written


def read_header(path: str | os.PathLike[str]) -> SaveHeader:
    """The checked header of a save, without decompressing its payload (for slot lists)."""
    p = Path(path)
    return _parse(p, _read_file(p))[0]


@dataclass(frozen=True)
class LoadedSave:
    """A checked save: its header (migrated), its payload map, and the format as written
    (the payload is migrated by ``payload``, which needs to know it)."""

    header: SaveHeader
    payload: dict[str, Any]
    written_format: int


def decode(path: Path, data: bytes) -> LoadedSave:
    """Parse save-file bytes (``path`` only names the file in error messages)."""
    header, body, written = _parse(path, data)
    if header.payload_compressed:
        inflater = zlib.decompressobj()
        try:
            raw = inflater.decompress(body, header.payload_size + 1)
        except zlib.error:
            raise SaveError(f"{short_name(path)}: payload does not decompress — the file "
                            "is corrupt") from None
        if len(raw) > header.payload_size or inflater.unconsumed_tail:
            raise SaveError(f"{short_name(path)}: payload is larger than its header says")
        if not inflater.eof or inflater.unused_data:
            raise SaveError(f"{short_name(path)}: payload is truncated or has trailing data")
    else:
        raw = bytes(body)
    if len(raw) != header.payload_size:
        raise SaveError(f"{short_name(path)}: payload size {len(raw)} does not match its header "
                        f"({header.payload_size})")
    try:
        payload = _unpack(raw, "payload")
    except ValueError as exc:
        raise SaveError(f"{short_name(path)}: {exc}") from None
    if not isinstance(payload, dict):
        raise SaveError(f"{short_name(path)}: payload is not a map")
    return LoadedSave(header, payload, written)


def decode_save(path: Path, data: bytes) -> tuple[SaveHeader, dict[str, Any]]:
    """``decode`` as a (header, payload) pair."""
    loaded = decode(path, data)
    return loaded.header, loaded.payload


def load_file(path: str | os.PathLike[str]) -> LoadedSave:
    """Read and check a save file (never blocks on a FIFO or a device: see ``files``)."""
    p = Path(path)
    return decode(p, _read_file(p))


def read_save(path: str | os.PathLike[str]) -> tuple[SaveHeader, dict[str, Any]]:
    """Load a save: its header (migrated to the current format) and its payload."""
    p = Path(path)
    return decode_save(p, _read_file(p))
