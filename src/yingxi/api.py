"""The library's front door: open a production and render its episodes."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from yingxi.backends.registry import Registry
from yingxi.pipeline.episode import EpisodePipeline, EpisodeResult
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
    prod = open_production(root)
    names = list(episodes) if episodes else list(prod.episodes)
    for name in names:
        prod.episode_path(name)  # an unknown episode fails before any work
    store = Store(root / STORE_DIR)
    store.clean_tmp()
    runner = Runner(store, registry or Registry(), sink)
    pipeline = EpisodePipeline(prod, runner, scale=PREVIEW_SCALE if preview else 1)
    out_dir = Path(out) if out is not None else root / "out"
    return [pipeline(name, out_dir) for name in names]


__all__ = ["EpisodeResult", "Production", "open_production", "render"]
