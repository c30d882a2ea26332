"""One task computed wherever an executor puts it: this process, a pool worker, a Ray node.

:func:`execute` is the only place that calls :meth:`Stage.compute`. It holds the task's lock
in the store while it works, so a task already running elsewhere (another worker, another
``yingxi render`` on the same production, another machine sharing the store) is waited for
and then served, never started twice; and it records the manifest only after every output
blob is in place, so a run killed at any moment leaves the task either done or not started.
"""

from __future__ import annotations

import contextlib
import logging
import resource
import time
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from yingxi.backends.registry import Registry
from yingxi.errors import RenderError, YingxiError
from yingxi.pipeline.events import Event, TaskProgress, TaskStarted
from yingxi.pipeline.store import CorruptBlob, Manifest, Store
from yingxi.schema.artifacts import BlobRef
from yingxi.schema.base import Document, Schema
from yingxi.stages.base import Stage

log = logging.getLogger(__name__)

_PROGRESS_INTERVAL = 0.25  # seconds between progress events of one task

Emit = Callable[[Event], None]


@dataclass(frozen=True)
class Job:
    """A task to compute: the stage, its input, its key, and the store it belongs to."""

    store_root: str
    stage: Stage[Any, Any]
    inp: Schema
    key: str
    label: str


@dataclass(frozen=True)
class JobResult:
    """How a job ended. ``computed`` is False when another process had finished the task
    first (the output is in the store either way); ``error`` is set when it failed."""

    key: str
    computed: bool
    wall_seconds: float = 0.0
    cpu_seconds: float = 0.0
    cost_usd: float = 0.0
    peak_rss_mb: float = 0.0
    error: YingxiError | None = None
    traceback: str | None = None


def execute(job: Job, store: Store, registry: Registry, emit: Emit) -> JobResult:
    """Compute ``job`` unless its output is (or becomes, while waiting for its lock) stored."""
    stage = job.stage
    try:
        with store.lock(job.key):
            if store.get_manifest(job.key) is not None:
                return JobResult(job.key, computed=False)
            emit(TaskStarted(stage.name, job.key, job.label))
            backend = _backend(stage, job.inp, registry)
            info = backend.info.to_data() if backend is not None else None
            ctx = _Context(store, backend, emit, stage.name, job.key)
            wall0, cpu0 = time.perf_counter(), _cpu_seconds()
            out = _compute(stage, job, ctx)
            wall, cpu = time.perf_counter() - wall0, _cpu_seconds() - cpu0
            _record(store, stage, job.key, info, out, wall, cpu, ctx.cost_usd)
    except YingxiError as exc:
        detail = None
        if isinstance(exc.__cause__, Exception) and isinstance(exc, RenderError):
            detail = "".join(traceback.format_exception(exc.__cause__))
        return JobResult(job.key, computed=False, error=exc, traceback=detail,
                         peak_rss_mb=peak_rss_mb())
    return JobResult(job.key, computed=True, wall_seconds=wall, cpu_seconds=cpu,
                     cost_usd=ctx.cost_usd, peak_rss_mb=peak_rss_mb())


def _cpu_seconds() -> float:
    """CPU time of this process and of the programs it ran and waited for (a backend may
    run a synthesiser or an encoder as a child process: that is the task's cost too)."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def peak_rss_mb() -> float:
    """This process's peak resident memory so far, in MiB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _backend(stage: Stage[Any, Any], inp: Schema, registry: Registry) -> Any:
    if stage.role is None:
        return None
    name = stage.backend_name(inp)
    return None if name is None else registry.get(stage.role, name)


def _compute(stage: Stage[Any, Any], job: Job, ctx: _Context) -> Document:
    try:
        out: Document = stage.compute(job.inp, ctx)
    except YingxiError:
        raise
    except CorruptBlob as exc:
        raise RenderError(f"{stage.name} ({job.label}): an input in the store is damaged",
                          hint="run the command again; damaged work is recomputed") from exc
    except OSError as exc:
        raise RenderError(f"{stage.name} ({job.label}): {exc.strerror or exc}",
                          file=exc.filename,
                          hint="check free disk space and the permissions of the "
                               "production folder") from exc
    except Exception as exc:
        raise RenderError(f"{stage.name} failed on {job.label}: {type(exc).__name__}: {exc}",
                          hint="this is a bug in yingxi; rerun with --debug for details"
                          ) from exc
    return out


def _record(store: Store, stage: Stage[Any, Any], key: str, info: dict[str, Any] | None,
            out: Document, wall: float, cpu: float, cost: float) -> None:
    output_ref = store.put_bytes(out.to_json_bytes(), "application/json")
    store.put_manifest(Manifest(
        key=key, stage=stage.name, stage_version=stage.version, backend=info,
        output=output_ref, files=list({r.sha256: r for r in blob_refs(out)}.values()),
        created=time.time(), wall_seconds=round(wall, 4), cpu_seconds=round(cpu, 4),
        cost_usd=round(cost, 6)))


class _Context:
    """The :class:`~yingxi.stages.base.StageContext` a computing stage gets."""

    def __init__(self, store: Store, backend: Any, emit: Emit, stage: str, key: str) -> None:
        self._store = store
        self._backend = backend
        self._emit = emit
        self._stage = stage
        self._key = key
        self._last_progress = 0.0
        self.cost_usd = 0.0

    @property
    def backend(self) -> Any:
        return self._backend

    def put_bytes(self, data: bytes, media_type: str) -> BlobRef:
        return self._store.put_bytes(data, media_type)

    def put_file(self, path: Path, media_type: str) -> BlobRef:
        return self._store.put_file(path, media_type)

    def read_bytes(self, ref: BlobRef) -> bytes:
        return self._store.read_bytes(ref)

    def path(self, ref: BlobRef) -> Path:
        return self._store.path(ref)

    @contextlib.contextmanager
    def temp_path(self, suffix: str = "") -> Iterator[Path]:
        with self._store.temp_path(suffix) as path:
            yield path

    def progress(self, done: int, total: int) -> None:
        now = time.perf_counter()
        if done < total and now - self._last_progress < _PROGRESS_INTERVAL:
            return
        self._last_progress = now
        self._emit(TaskProgress(self._stage, self._key, done, total))

    def charge(self, usd: float) -> None:
        if usd < 0:
            raise ValueError("a charge cannot be negative")
        self.cost_usd += usd


def blob_refs(value: Any) -> Iterator[BlobRef]:
    """Every BlobRef inside a schema value, so a manifest check covers all of them."""
    if isinstance(value, BlobRef):
        yield value
    elif isinstance(value, BaseModel):
        for name in type(value).model_fields:
            yield from blob_refs(getattr(value, name))
    elif isinstance(value, list | tuple):
        for item in value:
            yield from blob_refs(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from blob_refs(item)
