"""The library's front door: open a production and render its episodes."""

from __future__ import annotations

import logging
import os
from collections.abc import Sequence
from pathlib import Path

from yingxi.backends.registry import Registry
from yingxi.errors import BackendUnavailable, ConfigError, EpisodesFailed, YingxiError
from yingxi.pipeline.boards import StoryboardResult
from yingxi.pipeline.boards import storyboard as make_storyboard
from yingxi.pipeline.episode import Blocking, EpisodePipeline, EpisodeResult
from yingxi.pipeline.events import EventSink
from yingxi.pipeline.executors import ExecutorName, make_executor
from yingxi.pipeline.gc import GcResult, VerifyResult, collect_garbage, verify_store
from yingxi.pipeline.runner import Runner
from yingxi.pipeline.status import EpisodeStatus, episode_status
from yingxi.pipeline.store import Store
from yingxi.script.production_io import Production, open_production

log = logging.getLogger(__name__)

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
    executor: ExecutorName = "process",
    jobs: int | None = None,
    address: str | None = None,
) -> list[EpisodeResult]:
    """Render ``episodes`` (default: all) of the production folder ``production``.

    Results land in ``out`` (default ``PRODUCTION/out``); work is cached in
    ``PRODUCTION/.yingxi`` so that an unchanged episode renders again in a moment. With
    ``preview`` the pictures are a quarter of the size. ``sink`` receives progress events.

    Heavy tasks run on ``executor``: ``"process"`` (a pool of ``jobs`` processes, default
    one per core), ``"serial"`` (this process) or ``"ray"`` (the Ray cluster at ``address``,
    or a local one). With ``"process"``, a script calling this must do so under ``if
    __name__ == "__main__":``, as for any process pool. Every episode is attempted: if some
    fail, :class:`EpisodesFailed` is raised at the end, carrying the results of those that
    were delivered. A single episode's error, and a production-wide one (config, missing
    backend), are raised as they are.
    """
    root = Path(production)
    pipeline, names = _open(root, episodes, sink, registry, PREVIEW_SCALE if preview else 1)
    out_dir = _writable_folder(Path(out) if out is not None else root / "out", "output folder",
                               "choose another output folder with --out")
    results: list[EpisodeResult] = []
    failures: dict[str, YingxiError] = {}
    runner = pipeline.runner
    runner.executor = make_executor(executor, runner.registry, workers=jobs, address=address,
                                    store=runner.store)
    try:
        for name in names:
            try:
                results.append(pipeline(name, out_dir))
            except (ConfigError, BackendUnavailable):
                raise  # the production itself is wrong: every episode would fail alike
            except YingxiError as exc:  # keep going: the other episodes still render
                if len(names) == 1:
                    raise
                log.warning("episode %s failed; rendering the others", name)
                failures[name] = exc
    finally:
        runner.executor.close()
        runner.executor = None
    if failures:
        raise EpisodesFailed(results, failures)
    return results


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


def status(
    production: Path | str,
    episodes: Sequence[str] | None = None,
    *,
    preview: bool = False,
    registry: Registry | None = None,
) -> list[EpisodeStatus]:
    """Which tasks of ``episodes`` (default: all) a render would serve from the store
    (current), redo because an input changed (stale, with the reasons) or do for the first
    time (missing), at full size or with ``preview`` at preview size.

    Strictly read-only: nothing is computed that is not stored (the screenplay is parsed in
    memory), nothing is written, no backend synthesises anything.
    """
    root = Path(production)
    prod = open_production(root)
    names = _episode_names(prod, episodes)
    runner = Runner(Store.reader(root / STORE_DIR), registry or Registry())
    pipeline = EpisodePipeline(prod, runner, scale=PREVIEW_SCALE if preview else 1)
    return [episode_status(pipeline, name) for name in names]


def cache_gc(production: Path | str, *, dry_run: bool = False,
             registry: Registry | None = None) -> GcResult:
    """Remove from the production's store every task and file that no current plan of any
    episode uses, at full and at preview size (``dry_run``: only count them). Fails with a
    :class:`ConfigError` while a render is running on the production."""
    root = Path(production)
    prod = open_production(root)
    return collect_garbage(prod, root / STORE_DIR, (1, PREVIEW_SCALE), dry_run=dry_run,
                           registry=registry)


def cache_verify(production: Path | str, *, repair: bool = False) -> VerifyResult:
    """Re-hash every file in the production's store and check every task manifest; with
    ``repair`` remove what is damaged, so that the next render recomputes it."""
    root = Path(production)
    if not root.is_dir():
        raise ConfigError("production folder not found", file=root,
                          hint="give the folder that holds yingxi.toml")
    return verify_store(root / STORE_DIR, repair=repair)


def _open(root: Path, episodes: Sequence[str] | None, sink: EventSink | None,
          registry: Registry | None, scale: int) -> tuple[EpisodePipeline, list[str]]:
    """The production's pipeline and the episodes asked for (all if none), checked."""
    prod = open_production(root)
    names = _episode_names(prod, episodes)
    store = Store(_writable_folder(root / STORE_DIR, "store",
                                   f"remove or rename the file {STORE_DIR} in the production"))
    store.hold_session()  # shared with other renders; keeps `cache gc` out until we finish
    store.clean_tmp()
    runner = Runner(store, registry or Registry(), sink)
    return EpisodePipeline(prod, runner, scale=scale), names


def _episode_names(prod: Production, episodes: Sequence[str] | None) -> list[str]:
    """The episodes asked for (all if none); an unknown one fails before any work."""
    names = list(episodes) if episodes else list(prod.episodes)
    for name in names:
        prod.episode_path(name)
    return names


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


__all__ = ["Blocking", "EpisodeResult", "EpisodeStatus", "EpisodesFailed", "GcResult",
           "Production", "StoryboardResult", "VerifyResult", "cache_gc", "cache_verify",
           "open_production", "plan", "render", "status", "storyboard"]
