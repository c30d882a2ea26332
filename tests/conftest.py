"""Shared fixtures: tiny productions written into temporary folders, stores and runners."""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Callable
from pathlib import Path

import pytest

import yingxi
from yingxi.backends.registry import Registry
from yingxi.cli import main
from yingxi.pipeline.episode import EpisodeResult
from yingxi.pipeline.runner import Runner
from yingxi.pipeline.store import Store

os.environ.setdefault("HF_HUB_OFFLINE", "1")  # nothing may reach for a model hub

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"

TINY_CONFIG = """\
title = "Tiny"
language = "zh"
seed = 1

[format]
width = 216
height = 384
fps = 24
"""

TINY_BIBLE = """\
characters:
  - id: lin
    name: 林秋
    look: {age: young, palette: ["#aa3333"]}
    voice: {variant: f2, pitch: 65}
  - id: zhou
    name: 周山
    aliases: [阿山]
    look: {build: broad, palette: ["#335577"]}
    voice: {variant: m3, pitch: 35}
locations:
  - id: yard
    name: 院子
    kind: village
    era: ancient
  - id: room
    name: 房间
    kind: home
"""

TINY_SCRIPT = """\
Title: 小戏

外景 院子 - 日

林秋站在院子里。

林秋
你来了。

周山
（笑）
我来了。

CUT TO:

内景 房间 - 夜

周山
坐吧。
"""

WriteProduction = Callable[..., Path]


@pytest.fixture
def write_production(tmp_path: Path) -> WriteProduction:
    """Write a production folder; any of its three files can be replaced."""

    def write(config: str = TINY_CONFIG, bible: str = TINY_BIBLE, script: str = TINY_SCRIPT,
              name: str = "prod") -> Path:
        root = tmp_path / name
        (root / "episodes").mkdir(parents=True)
        (root / "yingxi.toml").write_text(config, encoding="utf-8")
        (root / "bible.yaml").write_text(bible, encoding="utf-8")
        (root / "episodes" / "ep01.fountain").write_text(script, encoding="utf-8")
        return root

    return write


@pytest.fixture
def example_copy(tmp_path: Path) -> Callable[[str], Path]:
    """A private copy of a bundled example (without any store or output)."""

    def copy(name: str) -> Path:
        dst = tmp_path / name
        shutil.copytree(EXAMPLES / name, dst,
                        ignore=shutil.ignore_patterns(".yingxi", "out"))
        return dst

    return copy


@pytest.fixture
def store(tmp_path: Path) -> Store:
    """An empty store."""
    return Store(tmp_path / ".yingxi")


@pytest.fixture
def runner(store: Store) -> Runner:
    """A runner over the empty store with the installed backends."""
    return Runner(store, Registry())


@pytest.fixture(scope="session")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, EpisodeResult, float]:
    """The Mandarin example rendered once through the CLI (cold, timed), then once more
    through the library (from the cache); shared by every test that checks the delivery."""
    root = tmp_path_factory.mktemp("e2e") / "paper-lantern"
    shutil.copytree(EXAMPLES / "paper-lantern", root,
                    ignore=shutil.ignore_patterns(".yingxi", "out"))
    started = time.perf_counter()
    assert main(["render", str(root), "--preview", "-q"]) == 0
    cold = time.perf_counter() - started
    [result] = yingxi.render(root, ["ep01"], preview=True)
    return root, result, cold


@pytest.fixture(scope="session")
def ferry(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, EpisodeResult]:
    """The English example rendered once at preview size."""
    root = tmp_path_factory.mktemp("ferry") / "last-ferry"
    shutil.copytree(EXAMPLES / "last-ferry", root,
                    ignore=shutil.ignore_patterns(".yingxi", "out"))
    [result] = yingxi.render(root, preview=True)
    return root, result
