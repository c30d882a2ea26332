"""Loudness and finishing of the procedural effects: BS.1770 loudness (integrated, and the
loudest momentary window of a spot), levelling to a target, a gentle peak limiter, fades and
the peak cap every effect ends with. Buffers are measured and changed a block at a time,
so none needs a second full-length copy.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable

import numpy as np
import numpy.typing as npt

from yingxi.backends.embedded.effects import PEAK_CEILING
from yingxi.backends.embedded.effects_dsp import BLOCK, Signal, filt

logger = logging.getLogger(__name__)


def _k_sections(rate: int) -> Signal:
    """The BS.1770 K-weighting as second-order sections (see :func:`k_weighted`)."""
    w0, w1 = 2.0 * math.pi * 1500.0 / rate, 2.0 * math.pi * 38.0 / rate
    a, c, s = 10.0 ** 0.1, math.cos(w0), 10.0 ** 0.05 * math.sin(w0) * math.sqrt(0.5) * 2.0
    shelf = [a * (a + 1 + (a - 1) * c + s), -2 * a * (a - 1 + (a + 1) * c),
             a * (a + 1 + (a - 1) * c - s), a + 1 - (a - 1) * c + s, 2 * (a - 1 - (a + 1) * c),
             a + 1 - (a - 1) * c - s]
    c1, alpha = math.cos(w1), math.sin(w1)  # alpha = sin(w) / (2 Q) with Q = 0.5
    high = [(1 + c1) / 2, -(1 + c1), (1 + c1) / 2, 1 + alpha, -2 * c1, 1 - alpha]
    return np.asarray([[v / row[3] for v in row] for row in (shelf, high)])


def k_weighted(x: Signal, rate: int) -> Signal:
    """``x`` through the BS.1770 K-weighting (+4 dB shelf above 1.5 kHz, high-pass at 38 Hz)
    as the RBJ biquads pyloudnorm uses, so levels here agree with pyloudnorm's."""
    return filt(_k_sections(rate), x)


def _energy_sums(x: Signal, rate: int) -> Signal:
    """Running sums of the K-weighted energy of (2, n) ``x``, summed over channels, after a
    leading 0: ``concatenate([[0], cumsum(sum(k_weighted(x) ** 2, axis=0))])`` worked a
    block at a time (each block's first sum carries on from the last one, in the same order
    of additions), so no full-length K-weighted copy is made."""
    from scipy import signal

    sections, n = _k_sections(rate), x.shape[1]
    sums, zi = np.empty(n + 1), np.zeros((sections.shape[0], x.shape[0], 2))
    sums[0] = 0.0
    for s in range(0, n, BLOCK):
        e = min(n, s + BLOCK)
        weighted, zi = signal.sosfilt(sections, x[:, s:e], axis=-1, zi=zi)
        np.square(weighted, out=weighted)
        energy = np.sum(weighted, axis=0)
        if s:
            energy[0] = sums[s] + energy[0]
        np.cumsum(energy, out=sums[s + 1:e + 1])
    return sums


def integrated(x: Signal, rate: int) -> float:
    """Integrated loudness (LUFS, BS.1770-4 gating), computed exactly as pyloudnorm does but
    vectorised (pyloudnorm loops over blocks in Python and takes longer than the bed). A bed
    shorter than one 400 ms block is measured looped, which keeps its mean square."""
    if x.shape[1] <= int(0.4 * rate):
        x = np.tile(x, (1, math.ceil((int(0.4 * rate) + 1) / max(1, x.shape[1])) + 1))
    sums = _energy_sums(x, rate)
    j = np.arange(round((x.shape[1] / rate - 0.4) / 0.1) + 1)  # 400 ms blocks, 100 ms apart
    lo = (0.4 * (j * 0.25) * rate).astype(np.intp)
    hi = np.minimum((0.4 * (j * 0.25 + 1.0) * rate).astype(np.intp), x.shape[1])
    z = (sums[hi] - sums[lo]) / (0.4 * rate)
    with np.errstate(divide="ignore"):
        level = -0.691 + 10.0 * np.log10(z)
    gated = z[level >= -70.0]
    if not gated.size:
        return -math.inf
    relative = -0.691 + 10.0 * math.log10(float(np.mean(gated))) - 10.0
    gated = z[(level > relative) & (level > -70.0)]
    return -0.691 + 10.0 * math.log10(float(np.mean(gated))) if gated.size else -math.inf


def _peak(x: npt.NDArray[np.floating]) -> float:
    """``max(abs(x))`` (NaN if any sample is NaN) without an ``abs(x)`` copy; not for empty
    ``x``. Negation is exact, so this is the very same number."""
    return float(np.maximum(np.max(x), -np.min(x)))


def _limit(x: Signal, rate: int, ceiling: float, inplace: bool = False) -> Signal:
    """Pull peaks above ``ceiling`` down with a smooth 8 ms gain dip (never clipping); with
    ``inplace``, in ``x`` itself."""
    from scipy import ndimage

    most = np.empty(x.shape[-1])  # max(abs(x), axis=0), a block at a time
    for s in range(0, x.shape[-1], BLOCK):
        most[s:s + BLOCK] = np.max(np.abs(x[:, s:s + BLOCK]), axis=0)
    need = np.minimum(1.0, ceiling / np.maximum(most, 1e-12))
    del most
    size = 2 * max(1, int(0.004 * rate)) + 1
    gain = ndimage.uniform_filter1d(ndimage.minimum_filter1d(need, size, mode="nearest"), size,
                                    mode="nearest")
    if inplace:
        x *= gain
        return x
    return np.asarray(x * gain, dtype=np.float64)


def level_to(x: Signal, rate: int, target: float,
             measure: Callable[[Signal, int], float], inplace: bool = False) -> Signal:
    """``x`` at ``target`` loudness by ``measure``, every sample within :data:`PEAK_CEILING`
    (silence stays silence). With ``inplace`` the work is done in ``x`` (a float64 buffer
    nothing else needs), which is returned, rather than in copies."""
    level = measure(x, rate)
    if not math.isfinite(level):
        return np.zeros_like(x)
    if inplace:
        x *= 10.0 ** ((target - level) / 20.0)
    else:
        x = x * 10.0 ** ((target - level) / 20.0)
    if _peak(x) > PEAK_CEILING:
        # Limit a little below the ceiling, then make up the loudness the limiter took.
        x = _limit(x, rate, 0.95 * PEAK_CEILING, inplace=True)
        level = measure(x, rate)
        if math.isfinite(level):
            x *= 10.0 ** ((target - level) / 20.0)
    cap_peak(x)
    return x


def cap_peak(x: npt.NDArray[np.floating]) -> None:
    """Zero any non-finite sample and scale ``x`` under :data:`PEAK_CEILING`, in place."""
    np.nan_to_num(x, copy=False, nan=0.0, posinf=0.0, neginf=0.0)
    peak = _peak(x) if x.size else 0.0
    if peak > PEAK_CEILING * 0.999:
        logger.debug("effect peak %.3f after limiting; scaled under the ceiling", peak)
        x *= PEAK_CEILING * 0.999 / peak


def fade_ends(x: npt.NDArray[np.floating], rate: int, fade_in: float, fade_out: float) -> None:
    """Raised-cosine fades at both ends and the mean taken out, in place; the mean comes
    out in proportion to the fade ramp, so both ends stay exactly at 0."""
    n = x.shape[1]
    a, r = min(int(fade_in * rate), n // 2), min(int(fade_out * rate), n // 2)
    rise = 0.5 - 0.5 * np.cos(np.pi * np.arange(a) / max(a, 1))
    fall = 0.5 + 0.5 * np.cos(np.pi * np.arange(1, r + 1) / max(r, 1))
    x[:, :a] *= rise
    x[:, n - r:] *= fall
    dc = x.sum(axis=1, keepdims=True) / max(n - a - r + float(rise.sum() + fall.sum()), 1e-12)
    x -= dc
    x[:, :a] += dc * (1.0 - rise)
    x[:, n - r:] += dc * (1.0 - fall)


def loudest_momentary(x: Signal, rate: int) -> float:
    """Loudness (LUFS) of the loudest 400 ms window of ``x``; a shorter sound is measured as
    if padded with silence to 400 ms, so a single footstep has a level too."""
    energy = np.sum(k_weighted(x, rate) ** 2, axis=0)
    window = int(0.4 * rate)
    sums = np.concatenate([[0.0], np.cumsum(energy)])
    z = sums[-1] if energy.size <= window else float(np.max(sums[window:] - sums[:-window]))
    z /= window
    return -0.691 + 10.0 * math.log10(z) if z > 0 else -math.inf
