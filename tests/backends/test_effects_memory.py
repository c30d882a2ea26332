"""Peak memory of making an ambience bed: the largest single allocation peak of a foley task.

numpy reports its buffers to tracemalloc, so the peak counted here is the beds' arrays, the
same in every run. A 20 s "waves" bed peaked at 139 MB when every layer and envelope was a
full-length temporary; layered in place it peaks at about 43 MB (about 2.5 stereo float64
buffers: the bed, one layer being made and the float32 noise draw).
"""

from __future__ import annotations

import numpy as np
from scipy import ndimage, signal  # noqa: F401  (imported before measuring, not counted)

from tests.backends.memory_util import traced_peak_mb
from yingxi.backends.embedded import effects as fx

SECONDS = 20.0
BOUND_MB = 64.0  # 1.5 times the measured 42.6 MB




def test_waves_bed_peak_memory_is_bounded() -> None:
    fx.ambience("waves", 0.5, 48000, "warm")  # lazy imports and caches, outside the count
    peak = traced_peak_mb(lambda: fx.ambience("waves", SECONDS, 48000, "memory"))
    out_mb = 2 * round(SECONDS * 48000) * np.dtype(np.float32).itemsize / 1e6
    assert out_mb < peak < BOUND_MB, f"waves bed of {SECONDS} s peaked at {peak:.1f} MB"
