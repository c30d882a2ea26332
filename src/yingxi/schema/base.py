"""Base classes for yingxi's schema objects: frozen pydantic models with one canonical JSON.

Every object a stage consumes or produces is a :class:`Schema`. Top-level documents (a
screenplay, a shot list, a timeline...) are :class:`Document` subclasses: their JSON carries a
``schema`` tag such as ``"yingxi.ShotList/1"`` so a reader can tell what it holds and which
version wrote it, in the manner of OpenTimelineIO's ``OTIO_SCHEMA``.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any, ClassVar, Self

from pydantic import BaseModel, ConfigDict, ValidationError

from yingxi.errors import SchemaError


def canonical_json(value: Any) -> str:
    """Serialise plain JSON data canonically: sorted keys, no spaces, UTF-8 kept as is.

    Two equal values always give the same string, which is what makes cache keys stable.
    Floats are written by ``repr`` (shortest round-trip), so they are stable too.
    """
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      allow_nan=False)


def sha256_hex(data: bytes | str) -> str:
    """Return the hex sha256 of ``data`` (strings are hashed as UTF-8)."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    return hashlib.sha256(data).hexdigest()


class Schema(BaseModel):
    """A frozen, strictly validated value object.

    Edits return new values (``obj.replace(field=...)``), never mutate, so a value that went
    into a cache key can never change behind the key's back.
    """

    model_config = ConfigDict(frozen=True, extra="forbid", validate_default=True)

    def to_data(self) -> dict[str, Any]:
        """Return the JSON-compatible dict of this value."""
        return self.model_dump(mode="json")

    def canonical_json(self) -> str:
        """Return the canonical JSON text of this value."""
        return canonical_json(self.to_data())

    def replace(self, **changes: Any) -> Self:
        """Return a validated copy with ``changes`` applied."""
        return type(self).model_validate({**self.model_dump(), **changes})


class Document(Schema):
    """A top-level schema object with a versioned ``schema`` tag in its JSON."""

    SCHEMA: ClassVar[str]  # e.g. "yingxi.ShotList/1"

    def to_json_bytes(self) -> bytes:
        """Return the canonical JSON of this document, tagged with its schema."""
        data = {"schema": self.SCHEMA, **self.to_data()}
        return canonical_json(data).encode("utf-8")

    @classmethod
    def from_json_bytes(cls, raw: bytes) -> Self:
        """Parse a document written by :meth:`to_json_bytes`, checking its schema tag."""
        try:
            data = json.loads(raw)
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise SchemaError(f"not a {cls.SCHEMA} document: {exc}") from exc
        if not isinstance(data, dict):
            raise SchemaError(f"not a {cls.SCHEMA} document: top level is not an object")
        tag = data.pop("schema", None)
        if tag != cls.SCHEMA:
            raise SchemaError(f"expected a {cls.SCHEMA} document, found schema {tag!r}")
        try:
            return cls.model_validate(data)
        except ValidationError as exc:  # e.g. written by an older yingxi with the same tag
            raise SchemaError(f"not a valid {cls.SCHEMA} document: {exc}") from None
