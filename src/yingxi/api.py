"""The library's front door: open a production and render its episodes."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from yingxi.backends.registry import Registry
from yingxi.errors import ConfigError
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
    out_dir = _writable_folder(Path(out) if out is not None else root / "out", "output folder",
                               "choose another output folder with --out")
    store = Store(_writable_folder(root / STORE_DIR, "store",
                                   f"remove or rename the file {STORE_DIR} in the production"))
    store.clean_tmp()
    runner = Runner(store, registry or Registry(), sink)
    pipeline = EpisodePipeline(prod, runner, scale=PREVIEW_SCALE if preview else 1)
    return [pipeline(name, out_dir) for name in names]


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


__all__ = ["EpisodeResult", "Production", "open_production", "render"]
