"""The implicit AI-content label of GB 45438-2025 Annex E, written and verified in MP4 files.

The label is a metadata key ``AIGC`` in ``moov/udta/meta`` (``keys`` entry with namespace
``mdta``, value in ``ilst``) whose value is a JSON object with seven fields in a fixed order.
FFmpeg drops custom keys silently unless ``-movflags use_metadata_tags`` is given, so every
master is read back here with a box walker that does not depend on FFmpeg.
"""

from __future__ import annotations

import json
import re
import struct
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from yingxi.errors import LabelError

AIGC_KEY = "AIGC"
AIGC_FIELDS = ("Label", "ContentProducer", "ProduceID", "ReservedCode1",
               "ContentPropagator", "PropagateID", "ReservedCode2")
_VALUE_CHARS = re.compile(r"^[\x21\x23-\x5b\x5d-\x7e]*$")  # Annex E, Note 1


def aigc_value(producer: str, produce_id: str) -> str:
    """The Annex E JSON for content we generated; at first write the propagator fields
    repeat the producer's (Annex E, Note 1)."""
    fields = {
        "Label": "1",
        "ContentProducer": producer,
        "ProduceID": produce_id,
        "ReservedCode1": "",
        "ContentPropagator": producer,
        "PropagateID": produce_id,
        "ReservedCode2": "",
    }
    for name, value in fields.items():
        if not _VALUE_CHARS.match(value):
            raise LabelError(f"AIGC field {name} has characters Annex E does not allow: "
                             f"{value!r}", hint="use printable ASCII without spaces, '\"', '\\'")
    return json.dumps(fields, separators=(",", ":"), ensure_ascii=True)


@dataclass(frozen=True)
class _Box:
    kind: bytes
    start: int      # offset of the box header
    body: int       # offset of the payload
    end: int


def _boxes(data: bytes, start: int, end: int) -> Iterator[_Box]:
    pos = start
    while pos + 8 <= end:
        size, kind = struct.unpack_from(">I4s", data, pos)
        header = 8
        if size == 1:
            if pos + 16 > end:
                return
            size = struct.unpack_from(">Q", data, pos + 8)[0]
            header = 16
        elif size == 0:
            size = end - pos
        if size < header or pos + size > end:
            return  # truncated or garbage: stop rather than read past the box
        yield _Box(kind, pos, pos + header, pos + size)
        pos += size


def _child(data: bytes, box: _Box, kind: bytes) -> _Box | None:
    return next((b for b in _boxes(data, box.body, box.end) if b.kind == kind), None)


def _read_top_level(path: Path) -> bytes:
    """The file's top-level boxes with ``mdat`` payloads left out (they can be gigabytes and
    never hold metadata). Raises :class:`LabelError` when the box structure is broken."""
    out = bytearray()
    file_size = path.stat().st_size
    with path.open("rb") as fh:
        pos = 0
        while pos < file_size:
            header = fh.read(8)
            if len(header) < 8:
                raise _broken(path, f"a box header at byte {pos} is cut off")
            size, kind = struct.unpack(">I4s", header)
            header_size = 8
            if size == 1:
                large = fh.read(8)
                if len(large) < 8:
                    raise _broken(path, f"the 64-bit size of a box at byte {pos} is cut off")
                size, header_size = struct.unpack(">Q", large)[0], 16
            elif size == 0:
                size = file_size - pos  # the last box runs to the end of the file
            if size < header_size or pos + size > file_size:
                raise _broken(path, f"box {kind!r} at byte {pos} has an impossible size {size}")
            payload = size - header_size
            if kind == b"mdat":
                fh.seek(payload, 1)
            else:
                body = fh.read(payload)
                out += struct.pack(">I4s", 8 + len(body), kind) + body
            pos += size
    return bytes(out)


def _broken(path: Path, detail: str) -> LabelError:
    return LabelError(f"not a valid MP4 file: {detail}", file=path,
                      hint="the file is truncated or damaged; render it again")


def read_aigc_values(path: Path) -> list[str]:
    """Every ``mdta`` ``AIGC`` value in ``moov/udta/meta`` (a compliant file has one)."""
    data = _read_top_level(path)
    values: list[str] = []
    for moov in (b for b in _boxes(data, 0, len(data)) if b.kind == b"moov"):
        udta = _child(data, moov, b"udta")
        meta = _child(data, udta, b"meta") if udta else None
        if meta is None:
            continue
        # ISO 'meta' is a full box (4 bytes version/flags); QuickTime's starts with a child
        quicktime = data[meta.body + 4:meta.body + 8] == b"hdlr"
        body = meta.body if quicktime else meta.body + 4
        meta = _Box(meta.kind, meta.start, body, meta.end)
        keys, ilst = _child(data, meta, b"keys"), _child(data, meta, b"ilst")
        if keys is None or ilst is None:
            continue
        names = _key_names(data, keys)
        for item in _boxes(data, ilst.body, ilst.end):
            index = struct.unpack(">I", item.kind)[0]
            if 1 <= index <= len(names) and names[index - 1] == ("mdta", AIGC_KEY):
                value = _child(data, item, b"data")
                if value is not None and value.end - value.body >= 8:  # type, locale, value
                    values.append(data[value.body + 8:value.end].decode("utf-8", "replace"))
    return values


def _key_names(data: bytes, keys: _Box) -> list[tuple[str, str]]:
    """The (namespace, name) entries of a ``keys`` box, never reading past the box."""
    names: list[tuple[str, str]] = []
    if keys.end - keys.body < 8:
        return names
    count = struct.unpack_from(">I", data, keys.body + 4)[0]
    pos = keys.body + 8
    while len(names) < count and pos + 8 <= keys.end:
        size, namespace = struct.unpack_from(">I4s", data, pos)
        if size < 8 or pos + size > keys.end:
            break
        names.append((namespace.decode("latin-1"),
                      data[pos + 8:pos + size].decode("utf-8", "replace")))
        pos += size
    return names


def verify_aigc(path: Path, producer: str | None = None) -> dict[str, str]:
    """Check the implicit label of an MP4; return its fields or raise :class:`LabelError`."""
    values = read_aigc_values(path)
    if not values:
        raise LabelError("the master has no AIGC metadata label in moov/udta/meta",
                         file=path,
                         hint="the muxer dropped it: masters must be written with "
                              "movflags use_metadata_tags; this file must not be delivered")
    if len(values) > 1:
        raise LabelError(f"the master has {len(values)} AIGC labels; GB 45438-2025 §6.1 "
                         "allows exactly one", file=path)
    try:
        fields = json.loads(values[0])
    except json.JSONDecodeError as exc:
        raise LabelError(f"the AIGC label is not JSON: {exc}", file=path) from None
    if not isinstance(fields, dict) or tuple(fields) != AIGC_FIELDS:
        found = list(fields) if isinstance(fields, dict) else fields
        raise LabelError(f"the AIGC label must have the fields {', '.join(AIGC_FIELDS)} "
                         f"in that order; found {found}", file=path)
    if fields["Label"] != "1":
        raise LabelError(f"AIGC Label is {fields['Label']!r}, expected \"1\"", file=path)
    if producer is not None and fields["ContentProducer"] != producer:
        raise LabelError(f"AIGC ContentProducer is {fields['ContentProducer']!r}, "
                         f"expected {producer!r}", file=path)
    if not fields["ProduceID"]:
        raise LabelError("AIGC ProduceID is empty", file=path)
    return {str(k): str(v) for k, v in fields.items()}
