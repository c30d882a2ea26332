"""Keeping a production's store small and sound: ``cache gc`` and ``cache verify``.

:func:`collect_garbage` keeps exactly what the production's current plans use: it walks every
episode at every size read-only (:mod:`yingxi.pipeline.walk`), keeps the manifests of the
tasks that are current and the blobs they name, and removes every other manifest and blob,
the leftovers in ``tmp/`` and the task lock files nobody holds. It runs under the store's
session lock taken exclusively, so it never overlaps a render (renders hold it shared), and
it refuses to run when an episode cannot be walked (a broken script or a missing backend),
since it could not tell what that episode still needs.

:func:`verify_store` re-hashes every blob and checks every manifest; with ``repair`` it
removes what is damaged, so the next render recomputes it.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
import re
import shutil
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pydantic import ValidationError

from yingxi.backends.registry import Registry
from yingxi.errors import ConfigError, YingxiError
from yingxi.pipeline.episode import SHOTS_DIR, EpisodePipeline
from yingxi.pipeline.runner import Runner
from yingxi.pipeline.status import last_plans, record_path
from yingxi.pipeline.store import Manifest, Store, file_sha256
from yingxi.pipeline.walk import walk_episode
from yingxi.script.production_io import Production

log = logging.getLogger(__name__)

_HEX = re.compile(r"[0-9a-f]{64}")
BUSY = "a render is running on this production; run gc when it has finished"


@dataclass(frozen=True)
class GcResult:
    """What :func:`collect_garbage` removed (or, with ``dry_run``, would remove)."""

    dry_run: bool
    manifests_kept: int
    blobs_kept: int
    bytes_kept: int
    manifests_removed: int
    blobs_removed: int
    tmp_removed: int
    locks_removed: int
    bytes_freed: int


@dataclass(frozen=True)
class Problem:
    """Something wrong in the store."""

    path: Path
    message: str
    kind: Literal["blob", "manifest"]
    stage: str | None = None   # for a manifest that could be read
    key: str | None = None

    def __str__(self) -> str:
        what = f"{self.stage} task {self.key[:12]}" if self.stage and self.key else \
            f"{self.kind} {self.path.parent.name}/{self.path.name[:10]}…"
        return f"{what}: {self.message}"


@dataclass(frozen=True)
class VerifyResult:
    """What :func:`verify_store` checked and found."""

    blobs: int
    manifests: int
    bytes_checked: int
    problems: tuple[Problem, ...]
    repaired: bool

    @property
    def ok(self) -> bool:
        """True when nothing is wrong (or everything wrong was removed)."""
        return not self.problems or self.repaired


def collect_garbage(production: Production, store_root: Path, scales: Sequence[int], *,
                    dry_run: bool = False, registry: Registry | None = None) -> GcResult:
    """Remove every manifest and blob under ``store_root`` that no current plan of
    ``production`` uses, at any of ``scales``; see the module docstring."""
    if not (store_root / "store").is_dir():
        return GcResult(dry_run, 0, 0, 0, 0, 0, 0, 0, 0)
    store = Store(store_root)
    with _exclusive(store):
        runner = Runner(store, registry or Registry())
        live: set[str] = set()
        for scale in scales:
            pipeline = EpisodePipeline(production, runner, scale=scale)
            for episode in production.episodes:
                live |= _current_keys(pipeline, episode)
        blobs: set[str] = set()
        for key in live:
            manifest = store.peek_manifest(key)
            if manifest is not None:
                blobs.update(ref.sha256 for ref in (manifest.output, *manifest.files))
        freed = removed_manifests = removed_blobs = kept_bytes = kept_blobs = kept = 0
        # manifests first: a manifest never outlives a blob it names, even if gc is killed
        for path, name in _manifests(store):
            if name is not None and name in live:
                kept += 1
            else:
                freed += _remove(path, dry_run)
                removed_manifests += 1
        for path, sha in _blobs(store):
            if sha is not None and sha in blobs:
                kept_blobs += 1
                kept_bytes += _size(path)
            else:
                freed += _remove(path, dry_run)
                removed_blobs += 1
        tmp_removed, tmp_bytes = _clear_tmp(store, dry_run)
        locks_removed = _clear_locks(store, dry_run)
        if not dry_run:
            _prune_folders(store)
    log.info("cache gc: kept %d tasks, removed %d manifests and %d blobs", kept,
             removed_manifests, removed_blobs)
    return GcResult(dry_run=dry_run, manifests_kept=kept, blobs_kept=kept_blobs,
                    bytes_kept=kept_bytes, manifests_removed=removed_manifests,
                    blobs_removed=removed_blobs, tmp_removed=tmp_removed,
                    locks_removed=locks_removed, bytes_freed=freed + tmp_bytes)


def verify_store(store_root: Path, *, repair: bool = False) -> VerifyResult:
    """Re-hash every blob and check every manifest under ``store_root``; with ``repair``,
    remove the damaged ones (under the exclusive session lock, as gc)."""
    if not (store_root / "store").is_dir():
        return VerifyResult(0, 0, 0, (), repair)
    store = Store.reader(store_root)
    with _exclusive(store) if repair else contextlib.nullcontext():
        problems: list[Problem] = []
        sizes: dict[str, int] = {}  # intact blobs
        blob_count = checked = 0
        for path, sha in _blobs(store):
            blob_count += 1
            checked += _size(path)
            if sha is None:
                problems.append(Problem(path, "not a blob: its name is not a sha256",
                                        "blob"))
            elif file_sha256(path) != sha:
                problems.append(Problem(path, "damaged: its content does not match its hash",
                                        "blob"))
            else:
                sizes[sha] = _size(path)
        manifest_count = 0
        for path, key in _manifests(store):
            manifest_count += 1
            problems.extend(_check_manifest(path, key, sizes))
        if repair:
            for problem in problems:
                _remove(problem.path, dry_run=False)
            if problems:
                log.info("cache verify: removed %d damaged entries", len(problems))
    return VerifyResult(blobs=blob_count, manifests=manifest_count, bytes_checked=checked,
                        problems=tuple(problems), repaired=repair and bool(problems))


def _check_manifest(path: Path, key: str | None, intact: dict[str, int]) -> list[Problem]:
    if key is None:
        return [Problem(path, "not a manifest: its name is not a task key", "manifest")]
    try:
        manifest = Manifest.model_validate_json(path.read_bytes())
    except (ValidationError, ValueError):
        return [Problem(path, "unreadable: not a task manifest (cut short or overwritten)",
                        "manifest", key=key)]
    found: list[Problem] = []
    if manifest.key != key:
        found.append(Problem(path, f"names the key {manifest.key[:12]}… but is filed "
                                   f"under {key[:12]}…", "manifest", manifest.stage, key))
    for ref in (manifest.output, *manifest.files):
        what = "its output" if ref is manifest.output else f"its {ref.media_type} file"
        if ref.sha256 not in intact:
            found.append(Problem(path, f"{what} {ref.sha256[:12]}… is missing or damaged",
                                 "manifest", manifest.stage, key))
        elif intact[ref.sha256] != ref.size:
            found.append(Problem(path, f"{what} {ref.sha256[:12]}… has "
                                       f"{intact[ref.sha256]} bytes, not {ref.size}",
                                 "manifest", manifest.stage, key))
    return found


def _current_keys(pipeline: EpisodePipeline, episode: str) -> set[str]:
    """The keys of the tasks of ``episode`` that are current at the pipeline's scale, and
    of the plan the walk used (a stand-in from the last render when the current one is not
    known yet: removing it would leave the next gc no way to judge the shots)."""
    root = pipeline.runner.store.root
    try:
        walked = walk_episode(pipeline, episode, last_plans(root, episode, pipeline.scale))
    except YingxiError as exc:
        raise ConfigError(f"cannot tell which work episode {episode} still needs: "
                          f"{exc.message}", file=exc.file, line=exc.line,
                          hint=(exc.hint + "; " if exc.hint else "") +
                          "fix it and run gc again (nothing was removed)") from exc
    planned = (pipeline.production.root / SHOTS_DIR / f"{episode}.yaml").exists() or any(
        record_path(root, episode, scale).exists() for scale in (1, 2))
    if walked.plan_basis == "none" and planned:
        # its shots cannot be judged: gc would remove every picture of the episode
        raise ConfigError(f"the shot plan of episode {episode} changed and is not known yet, "
                          "so gc cannot tell which shots it still needs; nothing was removed",
                          hint=f"run `yingxi plan PRODUCTION -e {episode}` (it voices the "
                               "changed lines and re-plans, painting nothing), then gc")
    keep = {task.key for task in walked.tasks if task.stored and task.key}
    if walked.plan_basis != "none" and walked.plan_key is not None:
        keep.add(walked.plan_key)
    return keep


@contextlib.contextmanager
def _exclusive(store: Store) -> Iterator[None]:
    try:
        with store.session(exclusive=True, wait=False):
            yield
    except BlockingIOError:
        raise ConfigError(BUSY, file=store.root / Store.SESSION_LOCK,
                          hint="a render, plan or storyboard holds the store; wait for it "
                               "and run the command again") from None


def _manifests(store: Store) -> Iterator[tuple[Path, str | None]]:
    """Every manifest file and the key its name says (None for a stray file)."""
    for path in sorted(store.tasks.glob("*/*")):
        key = path.parent.name + path.name.removesuffix(".json")
        if path.is_file():
            yield path, key if path.suffix == ".json" and _HEX.fullmatch(key) else None


def _blobs(store: Store) -> Iterator[tuple[Path, str | None]]:
    """Every blob file and the hash its name says (None for a stray file)."""
    for path in sorted(store.objects.glob("*/*")):
        sha = path.parent.name + path.name
        if path.is_file():
            yield path, sha if _HEX.fullmatch(sha) else None


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except FileNotFoundError:
        return 0


def _remove(path: Path, dry_run: bool) -> int:
    """Remove a file (unless ``dry_run``); the bytes it held."""
    size = _size(path)
    if not dry_run:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
    return size


def _clear_tmp(store: Store, dry_run: bool) -> tuple[int, int]:
    """Everything in ``tmp/``: under the exclusive lock no render is writing there."""
    count = size = 0
    if not store.tmp.is_dir():
        return 0, 0
    for entry in store.tmp.iterdir():
        count += 1
        if entry.is_dir() and not entry.is_symlink():
            size += sum(_size(p) for p in entry.rglob("*") if p.is_file())
            if not dry_run:
                shutil.rmtree(entry, ignore_errors=True)
        else:
            size += _remove(entry, dry_run)
    return count, size


def _clear_locks(store: Store, dry_run: bool) -> int:
    """Task lock files nobody holds. One that is held (by a process using the store without
    a session) is left alone; it is removed while gc holds it, so no one can be waiting."""
    count = 0
    if not store.locks.is_dir():
        return 0
    for path in sorted(store.locks.glob("*.lock")):
        try:
            fd = os.open(path, os.O_RDWR)
        except OSError:
            continue
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            continue
        try:
            if not dry_run:
                path.unlink()
            count += 1
        except FileNotFoundError:
            pass
        finally:
            os.close(fd)
    return count


def _prune_folders(store: Store) -> None:
    """Remove the fan-out folders (``objects/ab``) that gc emptied."""
    for parent in (store.objects, store.tasks):
        for folder in parent.iterdir():
            if folder.is_dir():
                with contextlib.suppress(OSError):  # not empty
                    folder.rmdir()
