"""Runs stage tasks through the store: look the key up, compute only on a miss, record.

This is the only place that turns a (stage, input) pair into a key, and the only place that
calls :meth:`Stage.compute`.
"""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel

from yingxi.backends.registry import Registry
from yingxi.errors import RenderError, YingxiError
from yingxi.pipeline.events import (
    Event,
    EventSink,
    StageQueued,
    TaskFinished,
    TaskProgress,
    TaskStarted,
)
from yingxi.pipeline.keys import task_key
from yingxi.pipeline.store import CorruptBlob, Manifest, Store
from yingxi.schema.artifacts import BlobRef
from yingxi.schema.base import Document, Schema
from yingxi.stages.base import Stage

log = logging.getLogger(__name__)

InT = TypeVar("InT", bound=Schema)
OutT = TypeVar("OutT", bound=Document)

_PROGRESS_INTERVAL = 0.25  # seconds between progress events of one task


@dataclass
class StageStats:
    """What one stage cost in a run."""

    hits: int = 0
    misses: int = 0
    wall_seconds: float = 0.0
    cpu_seconds: float = 0.0


@dataclass
class RunStats:
    """Per-stage statistics of a run, in the order stages first ran."""

    stages: dict[str, StageStats] = field(default_factory=dict)

    def stage(self, name: str) -> StageStats:
        """Stats of ``name`` (created empty on first use)."""
        return self.stages.setdefault(name, StageStats())

    def since(self, earlier: RunStats) -> RunStats:
        """What happened after ``earlier`` (a copy taken with :meth:`snapshot`)."""
        out = RunStats()
        for name, now in self.stages.items():
            then = earlier.stages.get(name, StageStats())
            out.stages[name] = StageStats(
                hits=now.hits - then.hits, misses=now.misses - then.misses,
                wall_seconds=now.wall_seconds - then.wall_seconds,
                cpu_seconds=now.cpu_seconds - then.cpu_seconds)
        return out

    def snapshot(self) -> RunStats:
        """A copy of the current counts."""
        return RunStats({name: replace(s) for name, s in self.stages.items()})

    @property
    def misses(self) -> int:
        """Tasks computed in this run."""
        return sum(s.misses for s in self.stages.values())

    @property
    def hits(self) -> int:
        """Tasks served from the store."""
        return sum(s.hits for s in self.stages.values())


class Runner:
    """Executes tasks against a store, with backends from a registry."""

    def __init__(self, store: Store, registry: Registry, sink: EventSink | None = None) -> None:
        self.store = store
        self.registry = registry
        self.sink = sink
        self.stats = RunStats()

    def run(self, stage: Stage[InT, OutT], inp: InT) -> OutT:
        """The output of ``stage`` for ``inp``, from the store or computed now."""
        self._emit(StageQueued(stage.name, 1))
        return self._run(stage, inp)

    def run_many(self, stage: Stage[InT, OutT], inputs: Sequence[InT]) -> list[OutT]:
        """Outputs of ``stage`` for each input, in order."""
        self._emit(StageQueued(stage.name, len(inputs)))
        return [self._run(stage, inp) for inp in inputs]

    def key(self, stage: Stage[InT, OutT], inp: InT) -> str:
        """The task key of ``stage`` on ``inp`` (loads the backend it names, computes nothing)."""
        backend = self._backend(stage, inp)
        info = backend.info.to_data() if backend is not None else None
        return task_key(stage.name, stage.version, info, inp.to_data())

    def lookup(self, stage: Stage[InT, OutT], key: str) -> OutT | None:
        """The stored output of task ``key``, or None when it is missing or damaged."""
        manifest = self.store.get_manifest(key)
        if manifest is None:
            return None
        try:
            return stage.output_type.from_json_bytes(  # type: ignore[return-value]
                self.store.read_bytes(manifest.output))
        except (CorruptBlob, YingxiError):
            self.store.forget(key)
            return None

    def _run(self, stage: Stage[InT, OutT], inp: InT) -> OutT:
        if not isinstance(inp, stage.input_type):
            raise TypeError(f"{stage.name} takes {stage.input_type.__name__}, "
                            f"not {type(inp).__name__}")
        backend = self._backend(stage, inp)
        info = backend.info.to_data() if backend is not None else None
        key = task_key(stage.name, stage.version, info, inp.to_data())
        label = stage.label(inp)
        stats = self.stats.stage(stage.name)

        manifest = self.store.get_manifest(key)
        if manifest is not None:
            try:
                out = stage.output_type.from_json_bytes(self.store.read_bytes(manifest.output))
            except (CorruptBlob, YingxiError):
                self.store.forget(key)
            else:
                stats.hits += 1
                self._emit(TaskFinished(stage.name, key, label, True, 0.0, 0.0))
                return out  # type: ignore[return-value]

        self._emit(TaskStarted(stage.name, key, label))
        wall0, cpu0 = time.perf_counter(), time.process_time()
        ctx = _Context(self.store, backend, self, stage.name, key)
        try:
            out = stage.compute(inp, ctx)
        except YingxiError:
            raise
        except CorruptBlob as exc:
            raise RenderError(f"{stage.name} ({label}): an input in the store is damaged",
                              hint="run the command again; damaged work is recomputed") from exc
        except OSError as exc:
            raise RenderError(f"{stage.name} ({label}): {exc.strerror or exc}",
                              file=exc.filename,
                              hint="check free disk space and the permissions of the "
                                   "production folder") from exc
        except Exception as exc:
            raise RenderError(f"{stage.name} failed on {label}: {type(exc).__name__}: {exc}",
                              hint="this is a bug in yingxi; rerun with --debug for details"
                              ) from exc
        wall, cpu = time.perf_counter() - wall0, time.process_time() - cpu0
        self._record(stage, key, info, out, wall, cpu)
        stats.misses += 1
        stats.wall_seconds += wall
        stats.cpu_seconds += cpu
        self._emit(TaskFinished(stage.name, key, label, False, wall, cpu))
        return out

    def _backend(self, stage: Stage[Any, Any], inp: Schema) -> Any:
        if stage.role is None:
            return None
        name = stage.backend_name(inp)
        if name is None:
            return None
        return self.registry.get(stage.role, name)

    def _record(self, stage: Stage[Any, Any], key: str, info: dict[str, Any] | None,
                out: Document, wall: float, cpu: float) -> None:
        output_ref = self.store.put_bytes(out.to_json_bytes(), "application/json")
        manifest = Manifest(
            key=key, stage=stage.name, stage_version=stage.version, backend=info,
            output=output_ref, files=list({r.sha256: r for r in _blob_refs(out)}.values()),
            created=time.time(),
            wall_seconds=round(wall, 4), cpu_seconds=round(cpu, 4),
        )
        self.store.put_manifest(manifest)

    def _emit(self, event: Event) -> None:
        if self.sink is not None:
            self.sink(event)


class _Context:
    """The :class:`~yingxi.stages.base.StageContext` the runner gives a computing stage."""

    def __init__(self, store: Store, backend: Any, runner: Runner, stage: str, key: str) -> None:
        self._store = store
        self._backend = backend
        self._runner = runner
        self._stage = stage
        self._key = key
        self._last_progress = 0.0

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
        self._runner._emit(TaskProgress(self._stage, self._key, done, total))


def _blob_refs(value: Any) -> Iterator[BlobRef]:
    """Every BlobRef inside a schema value, so a manifest check covers all of them."""
    if isinstance(value, BlobRef):
        yield value
    elif isinstance(value, BaseModel):
        for name in type(value).model_fields:
            yield from _blob_refs(getattr(value, name))
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _blob_refs(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from _blob_refs(item)
