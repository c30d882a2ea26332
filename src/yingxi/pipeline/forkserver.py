"""The server the local process pool forks its workers from, started as early as possible.

Starting it costs a second or so (it imports the pipeline and the media libraries once, so
that workers forked from it need not), and a render's first heavy task waits for it. The
command line starts it before importing anything heavy itself, so the two imports overlap.
This module imports nothing of yingxi, so that calling it first costs nothing.
"""

from __future__ import annotations

import multiprocessing
import os
from multiprocessing import forkserver

# modules every worker needs: imported once, in the server, before it forks any worker.
# Not scipy.signal: it takes half a second, and only the sound stages need it (a worker
# imports it when it first makes sound), so the first voice and picture need not wait for it.
PRELOAD = ["yingxi.pipeline.executors", "yingxi.pipeline.episode", "yingxi.stages.segment",
           "yingxi.stages.sound", "av", "skia", "scipy.ndimage"]


def default_workers() -> int:
    """The cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def start_forkserver() -> multiprocessing.context.BaseContext:
    """Start the fork server (if it is not running yet) and return its context. Returns
    at once: the server imports :data:`PRELOAD` in the background."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(PRELOAD)
    forkserver.ensure_running()
    return context
