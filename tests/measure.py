"""Measurements shared by the sound tests."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt


def median_pitch(audio: npt.NDArray[np.floating], rate: int = 48000) -> float:
    """Median fundamental frequency (Hz) of a voice: the first strong autocorrelation peak
    of its audible 40 ms frames (mono, or channels averaged)."""
    x = audio.mean(axis=0) if audio.ndim == 2 else audio
    size = rate // 25
    lo, hi = rate // 400, rate // 60
    pitches = []
    for i in range(0, len(x) - size, size):
        frame = x[i:i + size]
        if np.sqrt(np.mean(frame ** 2)) < 0.05:
            continue
        corr = np.correlate(frame, frame, "full")[size - 1:]
        corr = corr[lo:hi] / corr[0]
        peaks = [j for j in range(1, len(corr) - 1)
                 if corr[j] > 0.5 and corr[j - 1] < corr[j] >= corr[j + 1]]
        if peaks:
            pitches.append(rate / (lo + peaks[0]))
    return float(np.median(pitches))
