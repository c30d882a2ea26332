"""Peak memory of one call, as tracemalloc counts it (numpy reports its buffers to it)."""

from __future__ import annotations

import tracemalloc
from collections.abc import Callable


def traced_peak_mb(make: Callable[[], object]) -> float:
    """The peak of traced allocations (MB) while ``make()`` runs, above what was traced
    before; its result is dropped afterwards."""
    started = not tracemalloc.is_tracing()
    if started:
        tracemalloc.start()
    try:
        base = tracemalloc.get_traced_memory()[0]
        tracemalloc.reset_peak()
        out = make()
        peak = tracemalloc.get_traced_memory()[1] - base
    finally:
        if started:
            tracemalloc.stop()
    del out
    return peak / 1e6
