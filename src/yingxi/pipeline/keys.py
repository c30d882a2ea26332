"""Task keys: sha256 over the canonical JSON of everything that decides a task's output.

That is the stage's name and version, the backend's identity (name, version, model) and the
task's input value. Inputs that are stored files appear as :class:`~yingxi.schema.BlobRef`
values, i.e. by the hash of their content, so a key covers its inputs' bytes without
reading them. Nothing else goes in: no paths, no timestamps, no object identities.
"""

from __future__ import annotations

from typing import Any

from yingxi.schema.base import canonical_json, sha256_hex

KEY_FORMAT = 1  # bump to invalidate every stored task at once


def task_key(stage: str, version: str, backend: dict[str, Any] | None,
             input_data: dict[str, Any]) -> str:
    """The cache key of one task."""
    material = {
        "key_format": KEY_FORMAT,
        "stage": stage,
        "version": version,
        "backend": backend,
        "input": input_data,
    }
    return sha256_hex(canonical_json(material))
