"""Helpers for the status, cache gc and cache verify tests: the tiny production rendered
once at preview size, and copies of it that a test may change."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import yingxi
from tests.conftest import TINY_BIBLE, TINY_CONFIG, TINY_SCRIPT
from yingxi.pipeline.episode import EpisodeResult
from yingxi.pipeline.store import Manifest, Store

STORE = ".yingxi"


def write_tiny(root: Path, script: str = TINY_SCRIPT) -> Path:
    """The tiny production of tests/conftest.py at ``root``."""
    (root / "episodes").mkdir(parents=True)
    (root / "yingxi.toml").write_text(TINY_CONFIG, encoding="utf-8")
    (root / "bible.yaml").write_text(TINY_BIBLE, encoding="utf-8")
    (root / "episodes" / "ep01.fountain").write_text(script, encoding="utf-8")
    return root


def render(root: Path) -> EpisodeResult:
    """Render ep01 at preview size in this process (quick, and no pool to start)."""
    [result] = yingxi.render(root, preview=True, executor="serial")
    return result


def computed(result: EpisodeResult) -> dict[str, int]:
    """Tasks computed per stage, from the episode's report."""
    stages = json.loads(result.report.read_text(encoding="utf-8"))["stages"]
    return {name: int(s["computed"]) for name, s in stages.items()}


def copy_of(rendered: Path, dst: Path) -> Path:
    """A private copy of a rendered production, store included."""
    shutil.copytree(rendered, dst)
    return dst


def edit_script(root: Path, old: str, new: str) -> None:
    """Replace ``old`` by ``new`` in ep01's screenplay."""
    path = root / "episodes" / "ep01.fountain"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def tree(root: Path) -> dict[str, tuple[int, int]]:
    """Every file and folder under ``root``: size and modification time, to show that
    something wrote nothing."""
    return {str(p.relative_to(root)): (p.stat().st_size if p.is_file() else -1,
                                       p.stat().st_mtime_ns)
            for p in sorted(root.rglob("*"))}


def manifests(root: Path) -> dict[str, Manifest]:
    """Every task manifest in the production's store, by key."""
    tasks = root / STORE / "store" / "tasks"
    found = {}
    for path in tasks.glob("*/*.json"):
        manifest = Manifest.model_validate_json(path.read_bytes())
        found[manifest.key] = manifest
    return found


def blob_path(root: Path, sha256: str) -> Path:
    """Where a blob of the production's store lives."""
    return Store.reader(root / STORE).blob_path(sha256)
