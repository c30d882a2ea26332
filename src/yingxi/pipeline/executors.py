"""Where tasks run: in this process, in a local process pool, or on a Ray cluster.

An executor takes jobs (:class:`~yingxi.pipeline.tasks.Job`) from a queue and yields their
results as they finish; the caller may add jobs to the queue while it consumes results (a
task whose inputs were only just computed), and they run in the same go. Every executor runs
the same :func:`~yingxi.pipeline.tasks.execute` against the same store, so they produce the
same bytes; they differ only in where the work happens. Workers write straight into the
store (it is a folder: for Ray beyond one machine, a shared file system mounted at the same
path everywhere) and return only small results.
"""

from __future__ import annotations

import ctypes
import functools
import logging
import sys
import threading
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any, Literal, Protocol

from yingxi.backends.registry import Registry
from yingxi.errors import BackendUnavailable, ConfigError, RenderError
from yingxi.pipeline.events import Event
from yingxi.pipeline.forkserver import default_workers, start_forkserver
from yingxi.pipeline.store import Store
from yingxi.pipeline.tasks import Emit, Job, JobResult, execute

log = logging.getLogger(__name__)

ExecutorName = Literal["serial", "process", "ray"]
EXECUTORS: tuple[ExecutorName, ...] = ("serial", "process", "ray")


Jobs = deque[Job]


class Executor(Protocol):
    """Runs jobs and yields their results in the order they finish."""

    name: str
    workers: int

    def run(self, jobs: Jobs, emit: Emit) -> Iterator[JobResult]:
        """Run the jobs of ``jobs``, taking them from the left, until it is empty and every
        result is yielded; jobs appended while a result is consumed run too. ``emit``
        receives their progress events (in this process)."""
        ...

    def close(self) -> None:
        """Stop the workers (idempotent)."""
        ...


def make_executor(name: ExecutorName, registry: Registry, *, workers: int | None = None,
                  address: str | None = None, store: Store | None = None) -> Executor:
    """The executor called ``name``; ``workers`` defaults to the cores available. A serial
    one shares ``store`` (and what it has verified) with the caller."""
    count = workers if workers is not None else default_workers()
    if count < 1:
        raise ConfigError(f"--jobs must be at least 1, not {count}")
    if name == "serial" or (name == "process" and count == 1):
        return SerialExecutor(registry, store)
    if name == "process":
        return ProcessExecutor(registry, count)
    if name == "ray":
        return RayExecutor(registry, address=address, workers=workers)
    raise ConfigError(f"unknown executor {name!r}; choose one of {', '.join(EXECUTORS)}")


class SerialExecutor:
    """Runs every job here, one after the other, with this process's loaded backends."""

    name = "serial"
    workers = 1

    def __init__(self, registry: Registry, store: Store | None = None) -> None:
        """Jobs use ``registry``'s backends (loaded once, here) and ``store`` if they name
        its folder (sharing what it has already verified)."""
        self.registry = registry
        self._stores: dict[str, Store] = {str(store.root): store} if store else {}

    def run(self, jobs: Jobs, emit: Emit) -> Iterator[JobResult]:
        """Compute the jobs in order."""
        while jobs:
            job = jobs.popleft()
            result = execute(job, _store(self._stores, job.store_root), self.registry, emit)
            if job.stage.pooled:  # a heavy task, made here for want of a pool
                release_memory()
            yield result

    def close(self) -> None:
        """Nothing to stop."""


@functools.cache
def _malloc_trim() -> Callable[[int], int] | None:
    """glibc's ``malloc_trim``; None where the C library has none (musl, macOS)."""
    try:
        trim: Callable[[int], int] | None = getattr(ctypes.CDLL(None), "malloc_trim", None)
    except (OSError, TypeError):  # no C library to load by that name (Windows)
        return None
    return trim


_FFT_PLANS = 16  # scipy.fft keeps the plans of the last 16 lengths of each kind of transform


def release_memory() -> None:
    """Give back what a finished heavy task leaves behind, so that a process that runs task
    after task (a pool worker lives for the whole render) starts each one as small as the
    first, and its peak does not grow with the number of scenes it has made.

    Two things outlive a task. scipy.fft caches the plan of every transform length it was
    asked for, the 16 most recent, several MB each for a scene-long convolution (the reverb
    of a cue): a few tiny transforms push them out (a plan is a pure function of its length,
    so the next task computes the same bytes). And glibc keeps the heap the task's arrays
    grew to: ``malloc_trim`` hands the free pages back to the system.
    """
    fft = sys.modules.get("scipy.fft")
    if fft is not None:  # imported: a task may have used it
        import numpy as np

        for n in range(1, _FFT_PLANS + 1):
            fft.irfft(fft.rfft(np.zeros(n)), n)
            fft.ifft(fft.fft(np.zeros(n, dtype=np.complex128)))
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


def _store(stores: dict[str, Store], root: str) -> Store:
    """The store at ``root`` (a path string, as jobs carry it), opened once per process."""
    store = stores.get(root)
    if store is None:
        store = stores[root] = Store(Path(root))
    return store


# --- local process pool ----------------------------------------------------------------------

class _Worker:
    """What one pool process keeps between jobs: its registry (backends load once per
    worker, not once per task), its stores, and the queue its progress events go back on."""

    registry: Registry | None = None
    events: Any = None
    stores: dict[str, Store] = {}  # noqa: RUF012 - one per worker process, by design


def _init_worker(registry: Registry, events: Any) -> None:
    _Worker.registry, _Worker.events, _Worker.stores = registry, events, {}


def _warm_up() -> None:
    """Nothing: submitted once per worker so that the pool starts before it is needed."""


def _pool_job(job: Job) -> JobResult:
    assert _Worker.registry is not None, "worker not initialised"
    try:
        return execute(job, _store(_Worker.stores, job.store_root), _Worker.registry,
                       _Worker.events.put)
    finally:
        release_memory()


class ProcessExecutor:
    """A pool of worker processes on this machine, started once per run and reused.

    Workers are forked from a small server process that has already imported yingxi, so
    starting them costs milliseconds, and they inherit nothing of the parent's threads.
    Progress events come back on a queue and are forwarded to the caller's sink.
    """

    name = "process"

    def __init__(self, registry: Registry, workers: int) -> None:
        """Start ``workers`` processes (in the background: this returns at once)."""
        self.workers = workers
        # workers fork from a server that has imported the pipeline and the media
        # libraries once, instead of importing them again in every worker
        context = start_forkserver()
        self._events: Any = context.Queue()
        self._pool = ProcessPoolExecutor(workers, mp_context=context,
                                         initializer=_init_worker,
                                         initargs=(registry, self._events))
        self._emit: Emit | None = None
        self._drain = threading.Thread(target=self._forward, name="yingxi-events", daemon=True)
        self._drain.start()
        self._closed = False
        # start the workers now, from a thread (the first start waits for the fork server to
        # import the heavy libraries, a second or so): by the time the first heavy task
        # comes, after parsing and planning here, they are ready
        self._warming = threading.Thread(target=self._warm, name="yingxi-warm", daemon=True)
        self._warming.start()

    def _warm(self) -> None:
        for _ in range(self.workers):
            try:
                self._pool.submit(_warm_up)
            except RuntimeError:  # closed before it started: nothing to warm
                return

    def _forward(self) -> None:
        while True:
            event: Event | None = self._events.get()
            if event is None:
                return
            emit = self._emit
            if emit is not None:
                emit(event)

    def run(self, jobs: Jobs, emit: Emit) -> Iterator[JobResult]:
        """Submit the queued jobs; yield results as workers finish them."""
        self._emit = emit
        pending: dict[Future[JobResult], Job] = {}
        while True:
            try:
                while jobs:
                    job = jobs.popleft()
                    pending[self._pool.submit(_pool_job, job)] = job
            except BrokenProcessPool as exc:
                raise _pool_died(exc) from exc
            if not pending:
                return
            done, _ = wait(pending, return_when=FIRST_COMPLETED)
            for future in done:
                job = pending.pop(future)
                try:
                    yield future.result()
                except BrokenProcessPool as exc:
                    yield JobResult(job.key, computed=False, error=_pool_died(exc))

    def close(self) -> None:
        """Stop the workers and the event thread."""
        if self._closed:
            return
        self._closed = True
        self._warming.join()
        self._pool.shutdown(wait=True, cancel_futures=True)
        self._events.put(None)
        self._drain.join(timeout=5)
        self._events.close()


def _pool_died(exc: BaseException) -> RenderError:
    return RenderError(f"a worker process died ({exc})",
                       hint="it may have run out of memory: render with fewer --jobs")


# --- Ray -------------------------------------------------------------------------------------

def _ray_job(job: Job, registry: Registry) -> JobResult:
    """A job on a Ray worker (a long-lived process: its registry is kept between tasks)."""
    if _Worker.registry is None:
        _Worker.registry, _Worker.stores = registry, {}
    store = _store(_Worker.stores, job.store_root)
    # Progress of remote tasks is not streamed back; the stage bars advance per finished task.
    try:
        return execute(job, store, _Worker.registry, lambda event: None)
    finally:
        release_memory()


class RayExecutor:
    """Tasks on a Ray cluster (``address``), or on a local Ray started for this run.

    Every node must see the production folder at the same path (a shared file system): the
    workers read inputs from the store and write outputs into it, as local workers do.
    """

    name = "ray"

    def __init__(self, registry: Registry, *, address: str | None = None,
                 workers: int | None = None) -> None:
        """Connect to ``address`` (e.g. ``ray://head:10001`` or ``auto``) or start Ray here
        with ``workers`` CPUs."""
        try:
            import ray
        except ImportError:
            raise BackendUnavailable("the Ray executor needs the ray package",
                                     hint="pip install 'yingxi[ray]'") from None
        self._ray = ray
        self._started = False
        if not ray.is_initialized():
            options: dict[str, Any] = {"include_dashboard": False, "log_to_driver": False,
                                       "configure_logging": False}
            if address is None:
                options["num_cpus"] = workers or default_workers()
            try:
                ray.init(address=address, **options)
            except (ConnectionError, RuntimeError, ValueError) as exc:
                raise ConfigError(f"cannot connect to the Ray cluster at {address}: {exc}",
                                  hint="check --address (ray://HOST:10001, or auto on a "
                                       "cluster node) and that the cluster is up") from None
            self._started = True
        self.workers = int(ray.cluster_resources().get("CPU", 1))  # type: ignore[no-untyped-call]
        self._registry = ray.put(registry)
        # no retries: a task's lock and atomic writes make a rerun of the command the retry
        self._remote = ray.remote(num_cpus=1, max_retries=0)(_ray_job)

    def run(self, jobs: Jobs, emit: Emit) -> Iterator[JobResult]:
        """Submit the queued jobs to the cluster; yield results as they finish."""
        ray = self._ray
        pending: dict[Any, Job] = {}
        while True:
            while jobs:
                job = jobs.popleft()
                pending[self._remote.remote(job, self._registry)] = job
            if not pending:
                return
            done, _ = ray.wait(list(pending), num_returns=1)
            for ref in done:
                job = pending.pop(ref)
                try:
                    yield ray.get(ref)
                except ray.exceptions.RayError as exc:
                    yield JobResult(job.key, computed=False, error=RenderError(
                        f"{job.stage.name} ({job.label}) failed on the Ray cluster: "
                        f"{type(exc).__name__}",
                        hint="see the Ray worker logs; a worker may have run out of memory"))

    def close(self) -> None:
        """Shut Ray down if this executor started it."""
        if self._started:
            self._started = False
            self._ray.shutdown()

