"""Helpers for the scaffold tests: open a created production and resolve its screenplay."""

from __future__ import annotations

from pathlib import Path

import yingxi
from yingxi.schema.screenplay import Screenplay
from yingxi.script.fountain import parse_fountain
from yingxi.stages.script import resolve


def resolved(root: Path, episode: str = "ep01") -> Screenplay:
    """The episode of the production at ``root``, parsed and resolved against its bible
    (what the ``script`` stage does before anything is voiced or painted)."""
    production = yingxi.open_production(root)
    path = production.episode_path(episode)
    screenplay = parse_fountain(path.read_text(encoding="utf-8-sig"), source=str(path))
    return resolve(screenplay, production.bible)


def tree(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` by relative path, with its bytes."""
    return {p.relative_to(root).as_posix(): p.read_bytes()
            for p in sorted(root.rglob("*")) if p.is_file()}
