"""The library's front door: open a production and render its episodes."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from yingxi.backends.registry import Registry
from yingxi.errors import ConfigError
from yingxi.pipeline.boards import StoryboardResult
from yingxi.pipeline.boards import storyboard as make_storyboard
from yingxi.pipeline.episode import Blocking, EpisodePipeline, EpisodeResult
from yingxi.pipeline.events import EventSink
from yingxi.pipeline.runner import Runner
from yingxi.pipeline.store import Store
from yingxi.script.production_io import Production, open_production

PREVIEW_SCALE = 4
STORE_DIR = ".yingxi"


def render(
    production: Path | str,
    episodes: Sequence[str] | None = None,
    *,
    out: Path | str | None = None,
    preview: bool = False,
    sink: EventSink | None = None,
    registry: Registry | None = None,
) -> list[EpisodeResult]:
    """Render ``episodes`` (default: all) of the production folder ``production``.

    Results land in ``out`` (default ``PRODUCTION/out``); work is cached in
    ``PRODUCTION/.yingxi`` so that an unchanged episode renders again in a moment. With
    ``preview`` the pictures are a quarter of the size. ``sink`` receives progress events.
    """
    root = Path(production)
    pipeline, names = _open(root, episodes, sink, registry, PREVIEW_SCALE if preview else 1)
    out_dir = _writable_folder(Path(out) if out is not None else root / "out", "output folder",
                               "choose another output folder with --out")
    return [pipeline(name, out_dir) for name in names]


def plan(
    production: Path | str,
    episodes: Sequence[str] | None = None,
    *,
    sink: EventSink | None = None,
    registry: Registry | None = None,
) -> list[Blocking]:
    """Plan ``episodes`` (default: all): write or update ``shots/EPISODE.yaml``, keeping shot
    ids and every field a person edited. Voices are made (and cached) on the way, since shot
    lengths come from them; nothing is painted."""
    pipeline, names = _open(Path(production), episodes, sink, registry, 1)
    return [pipeline.block(name) for name in names]


def storyboard(
    production: Path | str,
    episodes: Sequence[str] | None = None,
    *,
    out: Path | str | None = None,
    sink: EventSink | None = None,
    registry: Registry | None = None,
) -> list[StoryboardResult]:
    """Plan ``episodes`` and write ``EPISODE-storyboard.png`` and ``.pdf`` into ``out``
    (default ``PRODUCTION/out``): each shot's first and last frame at preview size, with its
    id, size, angle, move, cast, what it covers and its length."""
    root = Path(production)
    pipeline, names = _open(root, episodes, sink, registry, PREVIEW_SCALE)
    out_dir = _writable_folder(Path(out) if out is not None else root / "out", "output folder",
                               "choose another output folder with --out")
    return [make_storyboard(pipeline, name, out_dir) for name in names]


def _open(root: Path, episodes: Sequence[str] | None, sink: EventSink | None,
          registry: Registry | None, scale: int) -> tuple[EpisodePipeline, list[str]]:
    """The production's pipeline and the episodes asked for (all if none), checked."""
    prod = open_production(root)
    names = list(episodes) if episodes else list(prod.episodes)
    for name in names:
        prod.episode_path(name)  # an unknown episode fails before any work
    store = Store(_writable_folder(root / STORE_DIR, "store",
                                   f"remove or rename the file {STORE_DIR} in the production"))
    store.clean_tmp()
    runner = Runner(store, registry or Registry(), sink)
    return EpisodePipeline(prod, runner, scale=scale), names


def _writable_folder(path: Path, what: str, fix: str) -> Path:
    """``path`` as an existing folder we can write to; a clear error before any work if not."""
    try:
        path.mkdir(parents=True, exist_ok=True)
        probe = path / f".yingxi-write-test-{os.getpid()}"
        probe.write_bytes(b"")
        probe.unlink()
    except FileExistsError:
        raise ConfigError(f"the {what} is a file, not a folder", file=path, hint=fix) from None
    except OSError as exc:
        raise ConfigError(f"cannot write to the {what}: {exc.strerror}", file=path,
                          hint="check the path and its permissions") from None
    return path


__all__ = ["Blocking", "EpisodeResult", "Production", "StoryboardResult", "open_production",
           "plan", "render", "storyboard"]
