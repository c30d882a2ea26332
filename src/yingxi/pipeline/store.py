"""A content-addressed store of blobs and task manifests, inside a production's ``.yingxi/``.

Layout::

    .yingxi/store/objects/ab/cdef...   file bytes, named by their sha256
    .yingxi/store/tasks/ab/cdef....json  one manifest per finished task (key -> outputs)
    .yingxi/tmp/                        work files; renamed into place when complete
    .yingxi/locks/                      one lock file per task being computed
    .yingxi/store.lock                  shared by every render, exclusive for ``cache gc``

Every write is atomic (temp file in the same file system, fsync, rename), so a killed run
leaves either a complete entry or none. Every read checks the hash of what it returns, so a
corrupt or truncated blob is reported as missing and recomputed, never served.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import logging
import os
import shutil
import tempfile
import time
import weakref
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pydantic import Field, ValidationError

from yingxi.schema.artifacts import BlobRef
from yingxi.schema.base import Schema

log = logging.getLogger(__name__)

_CHUNK = 1 << 20


class Manifest(Schema):
    """What a finished task produced, and how it was produced."""

    key: str
    stage: str
    stage_version: str
    backend: dict[str, Any] | None = None
    output: BlobRef = Field(description="the stage's output document (JSON)")
    files: list[BlobRef] = Field(default_factory=list, description="media the output refers to")
    created: float = Field(description="unix time; informational, never part of a key")
    wall_seconds: float = 0.0
    cpu_seconds: float = 0.0
    cost_usd: float = Field(default=0.0, description="money the task spent on paid APIs")


class Store:
    """Blobs and manifests under ``root`` (usually ``PRODUCTION/.yingxi``)."""

    def __init__(self, root: Path, *, create: bool = True) -> None:
        """The store under ``root``, its folders made unless ``create`` is False (see
        :meth:`reader`)."""
        self.root = root
        self.objects = root / "store" / "objects"
        self.tasks = root / "store" / "tasks"
        self.tmp = root / "tmp"
        self.locks = root / "locks"
        if create:
            for folder in (self.objects, self.tasks, self.tmp, self.locks):
                folder.mkdir(parents=True, exist_ok=True)
        self._verified: dict[str, tuple[int, int]] = {}

    # --- blobs ---------------------------------------------------------------------------

    def blob_path(self, sha256: str) -> Path:
        """Where the blob with this hash lives (it may not exist)."""
        return self.objects / sha256[:2] / sha256[2:]

    def put_bytes(self, data: bytes, media_type: str) -> BlobRef:
        """Store ``data``; return its reference."""
        sha = hashlib.sha256(data).hexdigest()
        ref = BlobRef(sha256=sha, size=len(data), media_type=media_type)
        if not self._is_intact(ref):
            with self.temp_path() as tmp:
                tmp.write_bytes(data)
                self._fsync(tmp)
                self._publish(tmp, self.blob_path(sha))
        return ref

    def put_file(self, path: Path, media_type: str) -> BlobRef:
        """Move the finished file at ``path`` into the store; return its reference."""
        sha, size = _hash_file(path)
        ref = BlobRef(sha256=sha, size=size, media_type=media_type)
        if self._is_intact(ref):
            path.unlink()
        else:
            self._fsync(path)
            self._publish(path, self.blob_path(sha))
        return ref

    def read_bytes(self, ref: BlobRef) -> bytes:
        """The bytes of a blob, checked against its hash."""
        data = self.blob_path(ref.sha256).read_bytes()
        if len(data) != ref.size or hashlib.sha256(data).hexdigest() != ref.sha256:
            raise CorruptBlob(ref)
        return data

    def path(self, ref: BlobRef) -> Path:
        """A verified path to a blob's file, for readers that need a path (decoders)."""
        if not self._is_intact(ref):
            raise CorruptBlob(ref)
        return self.blob_path(ref.sha256)

    def _is_intact(self, ref: BlobRef) -> bool:
        """True when the blob exists with the right size and hash (hash checked once per run
        and again whenever the file changes)."""
        path = self.blob_path(ref.sha256)
        try:
            st = path.stat()
        except FileNotFoundError:
            return False
        if st.st_size != ref.size:
            return False
        stamp = (st.st_size, st.st_mtime_ns)
        if self._verified.get(ref.sha256) == stamp:
            return True
        if _hash_file(path)[0] != ref.sha256:
            log.warning("blob %s is corrupt; it will be recomputed", ref.sha256[:12])
            return False
        self._verified[ref.sha256] = stamp
        return True

    # --- manifests -------------------------------------------------------------------------

    def manifest_path(self, key: str) -> Path:
        """Where the manifest of task ``key`` lives."""
        return self.tasks / key[:2] / f"{key[2:]}.json"

    def get_manifest(self, key: str) -> Manifest | None:
        """The manifest of ``key`` if it and every blob it names are intact, else None.

        A damaged entry is removed so that the task is recomputed.
        """
        manifest, damage = self._checked_manifest(key)
        if damage is not None:
            log.warning("%s %s; the task will be recomputed", damage, key[:12])
            self.forget(key)
        return manifest

    def _checked_manifest(self, key: str) -> tuple[Manifest | None, str | None]:
        """The manifest of ``key`` if it and its blobs are intact; else None and what is
        damaged (None when there simply is no manifest)."""
        try:
            manifest = Manifest.model_validate_json(self.manifest_path(key).read_bytes())
        except FileNotFoundError:
            return None, None
        except (ValidationError, ValueError, OSError):
            return None, "unreadable manifest of task"
        if manifest.key != key or not all(
                self._is_intact(ref) for ref in (manifest.output, *manifest.files)):
            return None, "damaged outputs of task"
        return manifest, None

    def put_manifest(self, manifest: Manifest) -> None:
        """Record a finished task (atomically)."""
        with self.temp_path() as tmp:
            tmp.write_text(manifest.model_dump_json(), encoding="utf-8")
            self._fsync(tmp)
            self._publish(tmp, self.manifest_path(manifest.key))

    def forget(self, key: str) -> None:
        """Drop the manifest of ``key`` (its blobs stay until garbage collection)."""
        with contextlib.suppress(FileNotFoundError):
            self.manifest_path(key).unlink()

    # --- locks ---------------------------------------------------------------------------

    @contextlib.contextmanager
    def lock(self, key: str) -> Iterator[None]:
        """Hold the lock of task ``key`` (waiting for whoever holds it).

        An advisory ``flock`` on a file in ``locks/``: processes on this machine, or on any
        machine sharing the store over a file system that supports it (NFSv4, CephFS),
        never compute the same task at once. The kernel drops the lock of a killed process,
        so a crash never leaves a task locked.
        """
        path = self.locks / f"{key[:16]}.lock"
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            os.close(fd)  # closing releases the lock

    # --- helpers ---------------------------------------------------------------------------

    @contextlib.contextmanager
    def temp_path(self, suffix: str = "") -> Iterator[Path]:
        """A fresh path in the store's temp folder, removed afterwards if still there."""
        fd, name = tempfile.mkstemp(dir=self.tmp, suffix=suffix)
        os.close(fd)
        path = Path(name)
        path.chmod(0o644)  # mkstemp makes 0600; a store shared by a team must be readable
        try:
            yield path
        finally:
            with contextlib.suppress(FileNotFoundError):
                path.unlink()

    def clean_tmp(self, older_than: float = 24 * 3600) -> None:
        """Remove leftovers of killed runs from the temp folder."""
        cutoff = time.time() - older_than
        for entry in self.tmp.iterdir():
            with contextlib.suppress(FileNotFoundError):
                if entry.stat().st_mtime < cutoff:
                    if entry.is_dir():
                        shutil.rmtree(entry, ignore_errors=True)
                    else:
                        entry.unlink()

    @staticmethod
    def _fsync(path: Path) -> None:
        with path.open("rb") as fh:
            os.fsync(fh.fileno())

    @staticmethod
    def _publish(src: Path, dst: Path) -> None:
        dst.parent.mkdir(parents=True, exist_ok=True)
        src.replace(dst)
        with contextlib.suppress(OSError):  # make the rename itself durable
            fd = os.open(dst.parent, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)

    # --- sessions and read-only inspection (status, cache gc, cache verify) ------------------

    SESSION_LOCK = "store.lock"
    _session: weakref.finalize[[int], Store] | None = None

    @contextlib.contextmanager
    def session(self, *, exclusive: bool = False, wait: bool = True) -> Iterator[None]:
        """Hold the store's session lock (``.yingxi/store.lock``) for the ``with`` block.

        Every render holds it shared, so renders run side by side; ``cache gc`` holds it
        exclusively, so it never deletes a blob a running render has written but not yet
        named in a manifest. With ``wait=False`` a lock held the other way raises
        :class:`BlockingIOError` at once.
        """
        fd = self._session_lock(exclusive=exclusive, wait=wait)
        try:
            yield
        finally:
            os.close(fd)  # closing releases the lock

    def hold_session(self) -> None:
        """Take the shared session lock until this store object is dropped (or
        :meth:`release_session`): what a render, a plan or a storyboard does for its run."""
        if self._session is None or not self._session.alive:
            fd = self._session_lock(exclusive=False, wait=True)
            self._session = weakref.finalize(self, os.close, fd)

    def release_session(self) -> None:
        """Give back the lock :meth:`hold_session` took (nothing if none is held)."""
        if self._session is not None:
            self._session()

    def _session_lock(self, *, exclusive: bool, wait: bool) -> int:
        mode = fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH
        fd = os.open(self.root / self.SESSION_LOCK, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            try:
                fcntl.flock(fd, mode | fcntl.LOCK_NB)
            except BlockingIOError:
                if not wait:
                    raise
                log.info("waiting for another yingxi process (cache gc?) to leave the store")
                fcntl.flock(fd, mode)
        except BaseException:
            os.close(fd)
            raise
        return fd

    @classmethod
    def reader(cls, root: Path) -> Store:
        """The store under ``root`` for reading only: unlike ``Store(root)`` it creates no
        folder, and a missing store simply holds nothing."""
        return cls(root, create=False)

    def peek_manifest(self, key: str) -> Manifest | None:
        """Like :meth:`get_manifest` (the manifest of ``key`` if it and every blob it names
        are intact), but a damaged entry is left where it is: for read-only callers."""
        return self._checked_manifest(key)[0]


class CorruptBlob(Exception):  # noqa: N818 - an internal signal, not a user-facing error
    """A blob is missing or does not match its hash."""

    def __init__(self, ref: BlobRef) -> None:
        super().__init__(f"blob {ref.sha256[:12]} is missing or corrupt")
        self.ref = ref


def file_sha256(path: Path) -> str:
    """The hex sha256 of a file's bytes, read in chunks."""
    return _hash_file(path)[0]


def _hash_file(path: Path) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    with path.open("rb") as fh:
        while chunk := fh.read(_CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def dump_json(data: Any) -> bytes:
    """Pretty JSON for files people read (reports)."""
    return (json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
