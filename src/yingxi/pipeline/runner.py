"""Runs stage tasks through the store: look the key up, compute only on a miss.

This is the only place that turns a (stage, input) pair into a key. What misses becomes a
:class:`~yingxi.pipeline.tasks.Job` for an executor (see :mod:`yingxi.pipeline.executors`),
which computes and records it.
"""

from __future__ import annotations

import logging
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, TypeVar

from yingxi.backends.registry import Registry
from yingxi.errors import RenderError, YingxiError
from yingxi.pipeline.events import Event, EventSink, StageQueued, TaskFinished
from yingxi.pipeline.executors import Executor, SerialExecutor
from yingxi.pipeline.keys import task_key
from yingxi.pipeline.store import CorruptBlob, Manifest, Store
from yingxi.pipeline.tasks import Job, JobResult
from yingxi.schema.base import Document, Schema
from yingxi.stages.base import Stage

log = logging.getLogger(__name__)

InT = TypeVar("InT", bound=Schema)
OutT = TypeVar("OutT", bound=Document)


@dataclass
class StageStats:
    """What one stage cost in a run."""

    hits: int = 0
    misses: int = 0
    wall_seconds: float = 0.0  # elapsed while its tasks computed (in parallel or not)
    cpu_seconds: float = 0.0   # summed over the processes that computed them
    cost_usd: float = 0.0      # paid-API spending its tasks recorded
    # what the tasks served from the store cost when they were computed (their manifests)
    stored_cpu_seconds: float = 0.0
    stored_cost_usd: float = 0.0


@dataclass
class RunStats:
    """Per-stage statistics of a run, in the order stages first ran."""

    stages: dict[str, StageStats] = field(default_factory=dict)
    peak_worker_rss_mb: float = 0.0  # the largest peak memory of a process that ran a task

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
                cpu_seconds=now.cpu_seconds - then.cpu_seconds,
                cost_usd=now.cost_usd - then.cost_usd,
                stored_cpu_seconds=now.stored_cpu_seconds - then.stored_cpu_seconds,
                stored_cost_usd=now.stored_cost_usd - then.stored_cost_usd)
        out.peak_worker_rss_mb = self.peak_worker_rss_mb
        return out

    def snapshot(self) -> RunStats:
        """A copy of the current counts."""
        return RunStats({name: replace(s) for name, s in self.stages.items()},
                        self.peak_worker_rss_mb)

    @property
    def misses(self) -> int:
        """Tasks computed in this run."""
        return sum(s.misses for s in self.stages.values())

    @property
    def hits(self) -> int:
        """Tasks served from the store."""
        return sum(s.hits for s in self.stages.values())


class Runner:
    """Executes tasks against a store, with backends from a registry.

    Heavy stages (:attr:`Stage.pooled`) go to ``executor`` when more than one of their tasks
    must be computed; everything else runs here. Either way each task is computed at most
    once, under its lock in the store.
    """

    def __init__(self, store: Store, registry: Registry, sink: EventSink | None = None,
                 executor: Executor | None = None) -> None:
        self.store = store
        self.registry = registry
        self.sink = sink
        self.executor = executor
        self.stats = RunStats()
        self.here = SerialExecutor(registry, store)  # light tasks, and heavy ones without a pool

    def run(self, stage: Stage[InT, OutT], inp: InT) -> OutT:
        """The output of ``stage`` for ``inp``, from the store or computed now."""
        return self.run_many(stage, [inp])[0]

    def run_many(self, stage: Stage[InT, OutT], inputs: Sequence[InT]) -> list[OutT]:
        """Outputs of ``stage`` for each input, in order.

        Every task is attempted even when some fail (work that succeeded is kept in the
        store); the first failure is raised at the end.
        """
        return self.run_together((stage, inputs))[0]

    def run_together(self, *batches: Batch) -> list[list[Any]]:
        """Outputs of several stages, one list per batch: a task graph run in one go.

        A batch is ``(stage, inputs)``, or an :class:`After` whose inputs are made from the
        outputs of earlier batches once those are complete. Heavy tasks of every batch share
        the executor, so independent work runs side by side (the pictures while the music
        is made) and a batch starts as soon as what it needs is done (the mix as soon as
        the music and effects are, not when the last picture is). Every task is attempted
        even when others fail, except those whose inputs failed; the first failure (in batch
        order) is raised at the end.
        """
        run = _Graph(batches)
        remote, here = deque[Job](), deque[Job]()
        started = time.perf_counter()

        def launch() -> None:
            for index, stage, inputs in run.ready():
                plan = self._plan(stage, inputs)
                run.plans[index] = plan
                for job in plan.jobs:
                    run.by_key[job.key] = plan
                    pooled = stage.pooled and self.executor is not None
                    (remote if pooled else here).append(job)

        launch()
        while remote or here:
            for executor, queue in ((self.executor, remote), (self.here, here)):
                if executor is None or not queue:
                    continue
                in_worker = executor.name != SerialExecutor.name  # this process otherwise
                for result in executor.run(queue, self._emit):
                    self._take(run.by_key[result.key], result, in_worker, started)
                    launch()  # what the finished task completes may start another batch
        for plan in run.plans:
            if plan is not None and plan.failed:
                raise _failure(plan.stage, plan.failed, len(plan.jobs))
        return [plan.outputs if plan is not None else [] for plan in run.plans]

    def _plan(self, stage: Stage[Any, Any], inputs: Sequence[Schema]) -> _Plan:
        """Keys for ``inputs``; what the store has is served now, the rest become jobs."""
        self._emit(StageQueued(stage.name, len(inputs)))
        stats = self.stats.stage(stage.name)
        plan = _Plan(stage, [None] * len(inputs))
        for index, inp in enumerate(inputs):
            if not isinstance(inp, stage.input_type):
                raise TypeError(f"{stage.name} takes {stage.input_type.__name__}, "
                                f"not {type(inp).__name__}")
            key = self.key(stage, inp)
            if key in plan.todo:
                plan.todo[key].append(index)
                continue
            served = self._served(stage, key)
            if served is not None:
                out, manifest = served
                stats.hits += 1
                stats.stored_cpu_seconds += manifest.cpu_seconds
                stats.stored_cost_usd += manifest.cost_usd
                plan.outputs[index] = out
                self._emit(TaskFinished(stage.name, key, stage.label(inp), True, 0.0, 0.0))
                continue
            plan.todo[key] = [index]
            plan.jobs.append(Job(str(self.store.root), stage, inp, key, stage.label(inp)))
        return plan

    def _take(self, plan: _Plan, result: JobResult, pooled: bool, started: float) -> None:
        """Record one finished job of ``plan``: its output, or its failure."""
        stage, stats = plan.stage, self.stats.stage(plan.stage.name)
        plan.finished += 1
        label = next(job.label for job in plan.jobs if job.key == result.key)
        if pooled:
            self.stats.peak_worker_rss_mb = max(self.stats.peak_worker_rss_mb,
                                                result.peak_rss_mb)
        if result.error is not None:
            plan.failed.append(result)
            return
        out = self.lookup(stage, result.key)
        if out is None:
            plan.failed.append(JobResult(result.key, False, error=RenderError(
                f"{stage.name} ({label}): the output vanished from the store",
                hint="is something else deleting files in .yingxi? run the command again")))
            return
        if result.computed:
            stats.misses += 1
            stats.cpu_seconds += result.cpu_seconds
            stats.cost_usd += result.cost_usd
            # a stage's wall time: from when its first computed task started (as far as this
            # process can tell: when the result came, less the task's own time) until its
            # last one is done. Stages computed together overlap, so their wall times do not
            # add up; time spent queued behind other stages' tasks is not counted.
            now = time.perf_counter() - started
            plan.first_start = min(plan.first_start, now - result.wall_seconds)
            span = now - plan.first_start
            stats.wall_seconds += span - plan.wall_counted
            plan.wall_counted = span
        else:  # another process computed it while we waited
            stats.hits += 1
        for index in plan.todo[result.key]:
            plan.outputs[index] = out
        self._emit(TaskFinished(stage.name, result.key, label, not result.computed,
                                result.wall_seconds, result.cpu_seconds))

    def key(self, stage: Stage[InT, OutT], inp: InT) -> str:
        """The task key of ``stage`` on ``inp`` (loads the backend it names, computes nothing)."""
        backend = self._backend(stage, inp)
        info = backend.info.to_data() if backend is not None else None
        return task_key(stage.name, stage.version, info, inp.to_data())

    def lookup(self, stage: Stage[InT, OutT], key: str) -> OutT | None:
        """The stored output of task ``key``, or None when it is missing or damaged."""
        served = self._served(stage, key)
        return None if served is None else served[0]

    def _served(self, stage: Stage[InT, OutT], key: str) -> tuple[OutT, Manifest] | None:
        manifest = self.store.get_manifest(key)
        if manifest is None:
            return None
        try:
            out = stage.output_type.from_json_bytes(self.store.read_bytes(manifest.output))
        except (CorruptBlob, YingxiError):
            self.store.forget(key)
            return None
        return out, manifest  # type: ignore[return-value]

    def _backend(self, stage: Stage[Any, Any], inp: Schema) -> Any:
        if stage.role is None:
            return None
        name = stage.backend_name(inp)
        if name is None:
            return None
        return self.registry.get(stage.role, name)

    def _emit(self, event: Event) -> None:
        if self.sink is not None:
            self.sink(event)


def _failure(stage: Stage[Any, Any], failed: list[JobResult], total: int) -> YingxiError:
    """The error to raise after ``failed`` of ``total`` tasks of ``stage`` failed."""
    for result in failed:
        assert result.error is not None
        if result.traceback:
            log.debug("%s", result.traceback)
        if len(failed) > 1:
            log.error("%s", result.error)
    first = failed[0].error
    assert first is not None
    if len(failed) > 1:
        first.message += (f" (and {len(failed) - 1} more of {total} {stage.name} tasks "
                          "failed; see above)")
    return first


@dataclass(frozen=True)
class After:
    """A batch of :meth:`Runner.run_together` that needs earlier batches of the same call:
    ``inputs`` is called with their outputs (one list per batch named in ``needs``, in that
    order) once all of them are complete, and gives this batch's inputs."""

    stage: Stage[Any, Any]
    needs: tuple[int, ...]
    inputs: Callable[..., Sequence[Schema]]


Batch = tuple[Stage[Any, Any], Sequence[Schema]] | After


class _Graph:
    """The batches of one :meth:`Runner.run_together` call and how far each has got."""

    def __init__(self, batches: Sequence[Batch]) -> None:
        for index, batch in enumerate(batches):
            if isinstance(batch, After) and any(not 0 <= i < index for i in batch.needs):
                raise ValueError(f"batch {index} ({batch.stage.name}) may only need batches "
                                 "before it")
        self.batches = batches
        self.plans: list[_Plan | None] = [None] * len(batches)
        self.by_key: dict[str, _Plan] = {}  # keys name a stage, so a key has one plan

    def ready(self) -> Iterator[tuple[int, Stage[Any, Any], Sequence[Schema]]]:
        """Batches not yet planned whose needs are complete, with their inputs. A batch
        that needs a failed one is never ready (it cannot be made)."""
        for index, batch in enumerate(self.batches):
            if self.plans[index] is not None:
                continue
            if not isinstance(batch, After):
                yield index, batch[0], batch[1]
                continue
            needed = [self.plans[i] for i in batch.needs]
            if all(p is not None and p.complete and not p.failed for p in needed):
                yield index, batch.stage, batch.inputs(*(p.outputs for p in needed if p))


@dataclass
class _Plan:
    """One stage's share of a :meth:`Runner.run_together` call."""

    stage: Stage[Any, Any]
    outputs: list[Any]
    todo: dict[str, list[int]] = field(default_factory=dict)  # key -> positions
    jobs: list[Job] = field(default_factory=list)
    failed: list[JobResult] = field(default_factory=list)
    wall_counted: float = 0.0  # of the stage's wall time, what is already in its stats
    first_start: float = float("inf")
    finished: int = 0  # jobs done, with an output or failed

    @property
    def complete(self) -> bool:
        """Whether every job has finished (or there was none: all served)."""
        return self.finished == len(self.jobs)

