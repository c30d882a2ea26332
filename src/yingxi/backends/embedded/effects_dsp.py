"""The signal building blocks of the procedural effects: filters, noise, envelopes, grains.

Long buffers are worked on a block at a time, so a step needs no second full-length array
(a bed of a few minutes stays at a few tens of MB), with every sample computed exactly as one
whole-buffer call would: the same operands in the same order, filter state carried across
blocks. scipy is imported where a filter is made, not when this module is.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator

import numpy as np
import numpy.typing as npt

Audio = npt.NDArray[np.float32]
Signal = npt.NDArray[np.float64]
Rng = np.random.Generator

CONTROL_RATE = 200  # Hz: slow envelopes are drawn at this rate and interpolated to audio rate
# Long buffers are worked on this many samples at a time, so a step needs no second
# full-length array. A power of two: a block starts at a multiple of any SIMD width, so every
# sample takes the same path through numpy's vector loops as in one whole-buffer call.
BLOCK = 1 << 16
_GRAINS = 64  # grains made and scattered at once (64 rows: a whole number of SIMD widths)


def sos(order: int, cutoff: float | tuple[float, float], rate: int, kind: str) -> Signal:
    """A Butterworth filter as second-order sections, its edges kept below Nyquist."""
    from scipy import signal

    hi = min(cutoff[1] if isinstance(cutoff, tuple) else cutoff, 0.45 * rate) / (rate / 2)
    if not isinstance(cutoff, tuple):
        return np.asarray(signal.butter(order, hi, btype=kind, output="sos"), dtype=np.float64)
    lo = cutoff[0] / (rate / 2)
    wn = (lo if lo < hi else 0.8 * hi, hi)  # a band pushed past Nyquist keeps some width
    return np.asarray(signal.butter(order, wn, btype=kind, output="sos"), dtype=np.float64)


def filt(sections: Signal, x: Signal) -> Signal:
    """``x`` filtered along its last axis."""
    from scipy import signal

    return np.asarray(signal.sosfilt(sections, x, axis=-1), dtype=np.float64)


def filt_into(sections: Signal, x: Signal, out: Signal) -> Signal:
    """``x`` filtered along its last axis into ``out`` (which may be ``x`` itself, or any
    buffer of its shape), a block at a time with the filter's state carried across: the
    same samples as :func:`filt` without a second full-length buffer."""
    from scipy import signal

    zi = np.zeros((sections.shape[0], *x.shape[:-1], 2))
    for s in range(0, x.shape[-1], BLOCK):
        out[..., s:s + BLOCK], zi = signal.sosfilt(sections, x[..., s:s + BLOCK], axis=-1,
                                                    zi=zi)
    return out


def _rms(x: Signal) -> float:
    """RMS of every few samples of ``x`` (in C order), read in place even from a view."""
    if not x.size:
        return 0.0
    step = max(1, x.size // 400_000)
    if x.flags.c_contiguous:
        flat = x.reshape(-1)[::step]
    else:  # the same samples in the same order, without the copy reshape(-1) would make
        rows = x.reshape(-1, x.shape[-1])
        flat = np.concatenate([row[-(r * row.size) % step::step] for r, row in enumerate(rows)])
    return float(np.sqrt(np.mean(flat * flat)))


def unit(x: Signal) -> Signal:
    """``x`` scaled to unit RMS (silence stays silence), so layers mix by their stated gains.
    Long buffers are measured on every few samples: as exact for noise, and much cheaper."""
    rms = _rms(x)
    return x * (1.0 / rms) if rms > 0 else x


def unit_inplace(x: Signal) -> Signal:
    """:func:`unit` done in ``x`` itself (for a buffer nothing else holds); returns ``x``."""
    rms = _rms(x)
    if rms > 0:
        x *= 1.0 / rms
    return x


def stereo_noise(rng: Rng, n: int, width: float) -> Signal:
    """White noise (2, n) as mid plus ``width`` times an independent side: 0 is mono, 1 is
    two unrelated channels. A little width places a bed around the listener, not inside."""
    draw = rng.standard_normal((2, n), dtype=np.float32)  # float32 draws twice as fast
    draw[1] *= width / math.sqrt(1.0 + width * width)
    out = np.empty((2, n))
    np.multiply(draw[0], 1.0 / math.sqrt(1.0 + width * width), out=out[0])
    np.subtract(out[0], draw[1], out=out[1])
    out[0] += draw[1]
    return out


class Noise:
    """:func:`stereo_noise` of length ``n`` kept as its float32 draw (half the memory) and
    widened to float64 a block at a time: :meth:`block` gives exactly the samples
    ``stereo_noise(rng, n, width)[:, start:stop]`` would hold."""

    def __init__(self, rng: Rng, n: int, width: float) -> None:
        self.draw = rng.standard_normal((2, n), dtype=np.float32)
        self.draw[1] *= width / math.sqrt(1.0 + width * width)
        self.mid = 1.0 / math.sqrt(1.0 + width * width)

    def block(self, start: int, stop: int) -> Signal:
        out = np.empty((2, stop - start))
        side = self.draw[1, start:stop]
        np.multiply(self.draw[0, start:stop], self.mid, out=out[0])
        np.subtract(out[0], side, out=out[1])
        out[0] += side
        return out


def noise_source(rng: Rng, n: int, rate: int, width: float, parts: int) -> tuple[Noise, int]:
    """The draw :func:`noise_parts` cuts its parts from, and the gap between parts: part
    ``i`` starts at sample ``i * gap``."""
    gap = int(0.1 * rate) + 1
    return Noise(rng, n + (parts - 1) * gap, width), gap


def band_of(noise: Noise, start: int, n: int, rate: int, cutoff: float | tuple[float, float],
             kind: str, order: int = 2) -> Signal:
    """:func:`band` of ``noise`` from sample ``start`` on, ``n`` samples, filtered as it is
    widened block by block: the full-length float64 noise never exists."""
    from scipy import signal

    sections, out = sos(order, cutoff, rate, kind), np.empty((2, n))
    zi = np.zeros((sections.shape[0], 2, 2))
    for s in range(0, n, BLOCK):
        e = min(n, s + BLOCK)
        out[:, s:e], zi = signal.sosfilt(sections, noise.block(start + s, start + e), axis=-1,
                                         zi=zi)
    return unit_inplace(out)


def noise_parts(rng: Rng, n: int, rate: int, width: float, parts: int) -> list[Signal]:
    """``parts`` stereo white noises of length ``n`` cut 0.1 s apart from one draw: as good
    as independent once filtered, for less. (Layers must not share one noise: where two bands
    meet, the filters are half a cycle apart and the layers would cancel in a notch.)"""
    gap = int(0.1 * rate) + 1
    whole = stereo_noise(rng, n + (parts - 1) * gap, width)
    return [whole[:, i * gap:i * gap + n] for i in range(parts)]


def band(noise: Signal, rate: int, cutoff: float | tuple[float, float], kind: str,
         order: int = 2) -> Signal:
    """``noise`` through one Butterworth filter, at unit RMS."""
    return unit_inplace(filt(sos(order, cutoff, rate, kind), noise))


def band_noise(rng: Rng, n: int, rate: int, cutoff: float | tuple[float, float], kind: str,
               width: float, order: int = 2) -> Signal:
    """Fresh stereo noise through one Butterworth filter, at unit RMS."""
    return band_of(Noise(rng, n, width), 0, n, rate, cutoff, kind, order)


def _curve_blocks(curve: Signal, n: int, rate: int) -> Iterator[tuple[int, int, Signal]]:
    """(start, stop, samples) of ``curve`` (at :data:`CONTROL_RATE`) stretched to ``n`` audio
    samples, a block at a time."""
    grid, rows = np.arange(curve.shape[-1]), np.atleast_2d(curve)
    for s in range(0, n, BLOCK):
        e = min(n, s + BLOCK)
        pos = np.arange(s, e) * (CONTROL_RATE / rate)
        if curve.ndim == 1:
            yield s, e, np.interp(pos, grid, curve)
        else:
            yield s, e, np.stack([np.interp(pos, grid, c) for c in rows])


def to_audio(curve: Signal, n: int, rate: int) -> Signal:
    """A curve sampled at :data:`CONTROL_RATE` stretched to ``n`` audio samples (last axis)."""
    out = np.empty((*curve.shape[:-1], n))
    for s, e, block in _curve_blocks(curve, n, rate):
        out[..., s:e] = block
    return out


def times_curve(x: Signal, curve: Signal, rate: int) -> Signal:
    """``x *= to_audio(curve, n, rate)`` in place, without the full-length curve."""
    for s, e, block in _curve_blocks(curve, x.shape[-1], rate):
        x[..., s:e] *= block
    return x


def wander_curve(rng: Rng, n: int, rate: int, hz: float, lo: float = 0.0,
                 hi: float = 1.0) -> Signal:
    """:func:`wander` at :data:`CONTROL_RATE`, before it is stretched to audio rate."""
    m = int(n * CONTROL_RATE / rate) + 2
    spacing = CONTROL_RATE / hz
    knots = rng.uniform(lo, hi, int(m / spacing) + 3)
    pos = np.arange(m) / spacing
    i = pos.astype(np.intp)
    w = 0.5 - 0.5 * np.cos(np.pi * (pos - i))
    curve: Signal = knots[i] * (1.0 - w) + knots[i + 1] * w
    return curve


def wander(rng: Rng, n: int, rate: int, hz: float, lo: float = 0.0, hi: float = 1.0) -> Signal:
    """A smooth random curve in [lo, hi] that changes course about ``hz`` times a second:
    random knots joined by raised-cosine segments, so it never settles into a period."""
    return to_audio(wander_curve(rng, n, rate, hz, lo, hi), n, rate)


def pan_gains(pan: Signal) -> tuple[Signal, Signal]:
    """Constant-power (left, right) gains for pans in [-1, 1]."""
    angle = (np.asarray(pan, dtype=np.float64) + 1.0) * (math.pi / 4.0)
    return np.cos(angle), np.sin(angle)


def _scatter_add(out: Signal, starts: npt.NDArray[np.intp], grains: Signal) -> None:
    """Grains (k, m) added into ``out`` at ``starts``, grain after grain, sample after sample
    (``add.at`` adds in order, as ``bincount`` does); overhang is dropped."""
    idx = starts[:, None] + np.arange(grains.shape[1])
    keep = (idx >= 0) & (idx < out.size)
    np.add.at(out, idx[keep], grains[keep])


def scatter(n: int, starts: npt.NDArray[np.intp], grains: Signal) -> Signal:
    """Grains (k, m) summed into a length-``n`` buffer at ``starts``; overhang is dropped.
    ``add.at`` does the overlap-add in C, a few grains at a time (the index arrays stay
    small): no Python loop over single grains."""
    out = np.zeros(n)
    if grains.size == 0 or n == 0:
        return out
    for g in range(0, grains.shape[0], _GRAINS):
        _scatter_add(out, starts[g:g + _GRAINS], grains[g:g + _GRAINS])
    return out


def impacts(rng: Rng, n: int, rate: int, per_second: float) -> Signal:
    """Poisson-timed single-sample clicks with exponential sizes and random signs: filtered,
    too dense to hear one by one, they are the grain of rain, gravel or crunching snow."""
    count = int(rng.poisson(per_second * n / rate)) if n else 0
    at = rng.integers(0, max(n, 1), count)
    size = rng.exponential(1.0, count) * rng.choice((-1.0, 1.0), count)
    # (bincount gives float64 n long, no copy needed, but an int array when it is empty)
    return np.asarray(np.bincount(at, weights=size, minlength=n)[:n], dtype=np.float64)


def blips(n: int, rate: int, starts: npt.NDArray[np.intp], freq: Signal, tau: Signal,
          rise: Signal, amp: Signal, pan: Signal, seconds: float) -> Signal:
    """Damped sine grains (droplets, bubbles) into a (2, n) buffer, one per start. Each
    glides from ``freq`` up to ``freq * (1 + rise)`` as it dies away with time constant
    ``tau``: the rising pitch makes a blip a water drop or a bubble rather than a bell."""
    m = max(1, int(seconds * rate))
    t = np.arange(m) / rate
    f_all = np.minimum(freq, 0.4 * rate / (1.0 + rise))
    # A 0.4 ms rise keeps the onset a drop, not a click; the tail is eased to exactly 0.
    onset = 1.0 - np.exp(-t / 0.0004)
    ease = 0.5 + 0.5 * np.cos(np.pi * t / t[-1]) if m > 1 else 1.0
    left, right = pan_gains(pan)
    out = np.zeros((2, n))
    if n == 0:
        return out
    for g in range(0, starts.size, _GRAINS):  # a few grains at a time: small temporaries
        at = slice(g, g + _GRAINS)
        f, tc = f_all[at, None], tau[at, None]
        phase = 2.0 * math.pi * f * (t + rise[at, None] * (t - tc * (1.0 - np.exp(-t / tc))))
        grains = amp[at, None] * np.sin(phase) * np.exp(-t / tc) * onset
        grains *= ease
        _scatter_add(out[0], starts[at], grains * left[at, None])
        _scatter_add(out[1], starts[at], grains * right[at, None])
    return out


def at_low_rate(n: int, rate: int, top_hz: float, make: Callable[[int, int], Signal]) -> Signal:
    """A layer with nothing above ``top_hz``, made at an integer fraction of ``rate`` (so its
    filters and grains cost less) and resampled back to (2, n)."""
    from scipy import signal

    d = max(1, int(rate / (2.5 * top_hz)))
    while d > 1 and rate % d:
        d -= 1
    if d == 1:
        return make(n, rate)
    up = signal.resample_poly(make(-(-n // d) + 8, rate // d), d, 1, axis=-1)
    return np.asarray(up[:, :n], dtype=np.float64)
