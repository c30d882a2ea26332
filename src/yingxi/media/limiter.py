"""The true-peak limiter of the streamed mix, and a model of it for the whole episode.

The gain is computed on a 1 ms control signal (:data:`CHUNK` samples a step) from the true
peaks of the unlimited mix, found once: the lowest gain any sample of a step needs, held over
the look-ahead either way, smoothed by a Hann window and then by the release (each only
lowering it). :func:`limit_block` applies it to one block, exactly as it would apply to the
whole track (fixed-order sums over clamped neighbours), so the mix does not depend on the
block size. :func:`track_gains` computes the same gain for every step of the episode at once
(cumulative sums, so equal up to rounding): with the unlimited mix's energy per step it
predicts the loudness a limited mix would have, without making it.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from yingxi.media.audio import Audio, db_to_gain

CHUNK = 48                # samples per step of the limiter's control signal (1 ms)
LIMIT_LOOKAHEAD = 5       # control steps the limiter holds its gain down around a peak
LIMIT_RELEASE = 80        # control steps of the limiter's release smoothing
OVERSAMPLE = 4            # true-peak oversampling (BS.1770 Annex 2)
OS_REACH = CHUNK          # samples the oversampling filter reaches either way (>= 10)


def _oversampled_peak(x: Audio) -> npt.NDArray[np.float32]:
    """Per sample: the largest magnitude of any channel over its 4 oversampled phases."""
    from scipy import signal  # slow to import: only when used
    up = np.abs(signal.resample_poly(x, OVERSAMPLE, 1, axis=-1))
    phases = up.reshape(up.shape[0], -1, OVERSAMPLE)
    # elementwise maxima of the phases: much faster than a reduction over a short axis
    peak = np.maximum(np.maximum(phases[..., 0], phases[..., 1]),
                      np.maximum(phases[..., 2], phases[..., 3]))
    return np.asarray(peak.max(axis=0), dtype=np.float32)


def step_peaks(x: Audio, lo: int, a: int, b: int) -> npt.NDArray[np.float64]:
    """The true peak (linear) of each control step of ``[a, b)`` (``a`` a whole step),
    given the track over ``[lo, lo + x.shape[1])``, reaching :data:`OS_REACH` samples past
    ``a`` and ``b`` or the track's ends."""
    peak = _oversampled_peak(x)[a - lo:b - lo]
    steps = -(-peak.size // CHUNK)
    padded = np.pad(peak, (0, steps * CHUNK - peak.size))
    return np.asarray(padded.reshape(steps, CHUNK).max(axis=1), dtype=np.float64)


def _clamped(values: npt.NDArray[np.float64], k0: int, ks: npt.NDArray[np.int64],
             total: int) -> npt.NDArray[np.float64]:
    """``values`` (control steps from ``k0``) at steps ``ks`` clamped into ``[0, total)``."""
    return values[np.clip(ks, 0, total - 1) - k0]


def limit_block(x: Audio, lo: int, a: int, b: int, peaks: npt.NDArray[np.float64],
                scale: float, ceiling_db: float) -> tuple[Audio, float]:
    """Samples ``[a, b)`` of the look-ahead true-peak limiter run over a whole track at
    ``scale``, given the scaled track over ``[lo, lo + x.shape[1])`` (reaching
    :data:`OS_REACH` past ``a`` and ``b`` or the track's ends; ``a`` a whole control step)
    and the unscaled track's :func:`step_peaks`, all of them. Also the true peak of the
    output over ``[a, b)``, linear.

    The gain is computed on the 1 ms control signal: the lowest gain any sample of a step
    needs, held over the look-ahead either way, smoothed by a Hann window and then by the
    release (each only lowering it), and interpolated linearly between step centres (both
    ends of any interpolation are held low enough for the step between them). Each stage
    sums in a fixed order, so a sample's gain does not depend on the block it is in."""
    ceiling = db_to_gain(ceiling_db)
    total_steps = peaks.size
    # control steps needed for the gain of [a, b), widened stage by stage
    ka, kb = (a - OS_REACH) // CHUNK - 1, -(-(b + OS_REACH) // CHUNK) + 1
    r_lo, r_hi = LIMIT_RELEASE // 2, LIMIT_RELEASE - LIMIT_RELEASE // 2 - 1
    h = LIMIT_LOOKAHEAD
    k2 = np.arange(ka - r_lo, kb + r_hi + 1)  # where the smoothed gain is needed
    k1 = np.arange(k2[0] - h, k2[-1] + h + 1)  # where the held gain is needed
    k0 = max(0, k1[0] - h)
    window = peaks[k0:min(total_steps, k1[-1] + h + 1)]
    need = np.minimum(1.0, ceiling / np.maximum(window * scale, 1e-9))
    held = np.full(k1.size, 1.0)
    for t in range(-h, h + 1):  # fixed order: the same result for any block
        held = np.minimum(held, _clamped(need, k0, k1 + t, total_steps))
    kernel = _hann_kernel()
    smooth = np.zeros(k2.size)
    for t in range(-h, h + 1):
        smooth += kernel[t + h] * _clamped(held, k1[0], k2 + t, total_steps)
    g2 = np.minimum(_clamped(held, k1[0], k2, total_steps), smooth)
    ks = np.arange(ka, kb + 1)
    release = np.zeros(ks.size)
    for t in range(-r_lo, r_hi + 1):
        release += _clamped(g2, k2[0], ks + t, total_steps)
    g3 = np.minimum(_clamped(g2, k2[0], ks, total_steps), release / LIMIT_RELEASE)
    # the output with the neighbours the oversampler reaches, each with its own gain
    hi = lo + x.shape[1]
    out = x * _sample_gain(g3, ka, lo, hi, total_steps)
    out_peak = float(_oversampled_peak(out)[a - lo:b - lo].max(initial=0.0))
    return np.asarray(out[:, a - lo:b - lo], dtype=np.float32), out_peak


def _sample_gain(g3: npt.NDArray[np.float64], ka: int, a: int, b: int, total: int
                 ) -> npt.NDArray[np.float32]:
    """The gain of samples ``[a, b)``: linear between the centres of their two nearest
    control steps (``g3`` from step ``ka``)."""
    pos = (np.arange(a, b) - (CHUNK - 1) / 2) / CHUNK
    k0 = np.floor(pos).astype(np.int64)
    frac = pos - k0
    return np.asarray(_clamped(g3, ka, k0, total) * (1.0 - frac)
                      + _clamped(g3, ka, k0 + 1, total) * frac, dtype=np.float32)


def _hann_kernel() -> npt.NDArray[np.float64]:
    kernel = np.hanning(2 * LIMIT_LOOKAHEAD + 3)[1:-1]
    return np.asarray(kernel / kernel.sum(), dtype=np.float64)


def track_gains(peaks: npt.NDArray[np.float64], scale: float,
                ceiling_db: float) -> npt.NDArray[np.float64]:
    """The limiter's gain at every control step of a track whose unscaled step peaks are
    ``peaks``, run at ``scale``: what :func:`limit_block` computes, for the whole track in
    one go (a few milliseconds for an episode)."""
    n, h = peaks.size, LIMIT_LOOKAHEAD
    if n == 0:
        return np.zeros(0)
    need = np.minimum(1.0, db_to_gain(ceiling_db) / np.maximum(peaks * scale, 1e-9))
    padded = np.pad(need, h, mode="edge")  # clamped neighbours, as limit_block takes them
    held = padded[:n].copy()
    for t in range(1, 2 * h + 1):
        np.minimum(held, padded[t:t + n], out=held)
    padded = np.pad(held, h, mode="edge")
    smooth = np.zeros(n)
    for t, weight in enumerate(_hann_kernel()):
        smooth += weight * padded[t:t + n]
    g2 = np.minimum(held, smooth)
    r_lo = LIMIT_RELEASE // 2
    padded = np.pad(g2, (r_lo, LIMIT_RELEASE - r_lo - 1), mode="edge")
    sums = np.concatenate([[0.0], np.cumsum(padded)])
    release = (sums[LIMIT_RELEASE:] - sums[:-LIMIT_RELEASE]) / LIMIT_RELEASE
    return np.asarray(np.minimum(g2, release), dtype=np.float64)
