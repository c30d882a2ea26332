"""Procedural sound effects: ambience beds and one-shot spots, made with numpy and scipy.

No samples and no downloads: every sound is filtered noise, damped or swept sines and
*grains* (short blips scattered in time), drawn from generators seeded by a string key
(:func:`~yingxi.backends.embedded.score.sub_rng`), so the same call gives the same bytes.
Output is stereo float32 (2, n), faded in and out over a few milliseconds, free of DC and
within :data:`PEAK_CEILING`. This module holds the public API, the synthesis helpers and the
beds; :mod:`.effects_spots` holds the spots, the short events beds scatter (bird calls,
crickets, passing cars) and the loudness and finishing code.

Levels are nominal, for the mixer to place an effect by one gain: a bed sits at
:data:`AMBIENCE_LUFS` integrated, a spot's loudest 400 ms at :data:`SPOT_LUFS`.
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Callable

import numpy as np
import numpy.typing as npt

from yingxi.backends.embedded.score import sub_rng

# scipy takes most of a second to import, so it is imported where sound is made: importing
# this module (to read the catalogue, say) stays instant. .effects_spots builds on this
# module, so what is needed from it is imported inside the functions too.

logger = logging.getLogger(__name__)

Audio = npt.NDArray[np.float32]
Signal = npt.NDArray[np.float64]
Rng = np.random.Generator

AMBIENCE_LUFS = -30.0
"""Integrated loudness (ITU-R BS.1770, as pyloudnorm measures it) of every ambience bed."""
SPOT_LUFS = -26.0
"""Loudness of the loudest 400 ms window (BS.1770 momentary loudness) of every spot effect.
A very percussive spot lands a little lower when its peak would pass :data:`PEAK_CEILING`."""
PEAK_CEILING = 0.9
"""No sample of any effect exceeds this magnitude."""

AMBIENCES = frozenset({"rain", "wind", "waves", "river", "night", "birds", "city", "room",
                       "snow"})
SPOTS = frozenset({"thunder", "footstep", "door", "splash", "bell"})
SURFACES = frozenset({"wood", "stone", "grass", "snow"})

CONTROL_RATE = 200  # Hz: slow envelopes are drawn at this rate and interpolated to audio rate
_BED_FADE = 0.01  # seconds at each end of a bed
_CHUNK = 60.0  # seconds of bed made at once
_JOIN = 2.0  # seconds of crossfade between parts of a long bed, and across a loop's seam


def num_samples(length: float, rate: int) -> int:
    """Samples in ``length``: an ``int`` is already a sample count, a ``float`` is seconds."""
    if isinstance(length, bool):
        raise TypeError("length must be a sample count (int) or seconds (float)")
    n = int(length) if isinstance(length, int | np.integer) else round(float(length) * rate)
    if n < 0:
        raise ValueError(f"length must not be negative, got {length!r}")
    return n


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


def unit(x: Signal) -> Signal:
    """``x`` scaled to unit RMS (silence stays silence), so layers mix by their stated gains.
    Long buffers are measured on every few samples: as exact for noise, and much cheaper."""
    flat = x.reshape(-1)[:: max(1, x.size // 400_000)]
    rms = float(np.sqrt(np.mean(flat * flat))) if x.size else 0.0
    return x * (1.0 / rms) if rms > 0 else x


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
    return unit(filt(sos(order, cutoff, rate, kind), noise))


def band_noise(rng: Rng, n: int, rate: int, cutoff: float | tuple[float, float], kind: str,
               width: float, order: int = 2) -> Signal:
    """Fresh stereo noise through one Butterworth filter, at unit RMS."""
    return band(stereo_noise(rng, n, width), rate, cutoff, kind, order)


def to_audio(curve: Signal, n: int, rate: int) -> Signal:
    """A curve sampled at :data:`CONTROL_RATE` stretched to ``n`` audio samples (last axis)."""
    pos, grid = np.arange(n) * (CONTROL_RATE / rate), np.arange(curve.shape[-1])
    rows = [np.interp(pos, grid, c) for c in np.atleast_2d(curve)]
    return np.asarray(rows[0] if curve.ndim == 1 else np.stack(rows), dtype=np.float64)


def wander(rng: Rng, n: int, rate: int, hz: float, lo: float = 0.0, hi: float = 1.0) -> Signal:
    """A smooth random curve in [lo, hi] that changes course about ``hz`` times a second:
    random knots joined by raised-cosine segments, so it never settles into a period."""
    m = int(n * CONTROL_RATE / rate) + 2
    spacing = CONTROL_RATE / hz
    knots = rng.uniform(lo, hi, int(m / spacing) + 3)
    pos = np.arange(m) / spacing
    i = pos.astype(np.intp)
    w = 0.5 - 0.5 * np.cos(np.pi * (pos - i))
    return to_audio(knots[i] * (1.0 - w) + knots[i + 1] * w, n, rate)


def pan_gains(pan: Signal) -> tuple[Signal, Signal]:
    """Constant-power (left, right) gains for pans in [-1, 1]."""
    angle = (np.asarray(pan, dtype=np.float64) + 1.0) * (math.pi / 4.0)
    return np.cos(angle), np.sin(angle)


def scatter(n: int, starts: npt.NDArray[np.intp], grains: Signal) -> Signal:
    """Grains (k, m) summed into a length-``n`` buffer at ``starts``; overhang is dropped.
    ``bincount`` does the overlap-add in C: no Python loop over grains."""
    if grains.size == 0 or n == 0:
        return np.zeros(n)
    idx = starts[:, None] + np.arange(grains.shape[1])
    keep = (idx >= 0) & (idx < n)
    return np.bincount(idx[keep], weights=grains[keep], minlength=n)[:n].astype(np.float64)


def impacts(rng: Rng, n: int, rate: int, per_second: float) -> Signal:
    """Poisson-timed single-sample clicks with exponential sizes and random signs: filtered,
    too dense to hear one by one, they are the grain of rain, gravel or crunching snow."""
    count = int(rng.poisson(per_second * n / rate)) if n else 0
    at = rng.integers(0, max(n, 1), count)
    size = rng.exponential(1.0, count) * rng.choice((-1.0, 1.0), count)
    return np.bincount(at, weights=size, minlength=n)[:n].astype(np.float64)


def blips(n: int, rate: int, starts: npt.NDArray[np.intp], freq: Signal, tau: Signal,
          rise: Signal, amp: Signal, pan: Signal, seconds: float) -> Signal:
    """Damped sine grains (droplets, bubbles) into a (2, n) buffer, one per start. Each
    glides from ``freq`` up to ``freq * (1 + rise)`` as it dies away with time constant
    ``tau``: the rising pitch makes a blip a water drop or a bubble rather than a bell."""
    m = max(1, int(seconds * rate))
    t = np.arange(m) / rate
    f = np.minimum(freq, 0.4 * rate / (1.0 + rise))[:, None]
    tc = tau[:, None]
    phase = 2.0 * math.pi * f * (t + rise[:, None] * (t - tc * (1.0 - np.exp(-t / tc))))
    # A 0.4 ms rise keeps the onset a drop, not a click; the tail is eased to exactly 0.
    grains = amp[:, None] * np.sin(phase) * np.exp(-t / tc) * (1.0 - np.exp(-t / 0.0004))
    grains *= 0.5 + 0.5 * np.cos(np.pi * t / t[-1]) if m > 1 else 1.0
    left, right = pan_gains(pan)
    return np.stack([scatter(n, starts, grains * left[:, None]),
                     scatter(n, starts, grains * right[:, None])])


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


# ---------------------------------------------------------------------------- ambience beds


def _rain(n: int, rate: int, key: str) -> Signal:
    """Steady rain: bright hiss, a duller body, dense patter and sparse droplet plinks."""
    a, b = noise_parts(sub_rng(key, "noise"), n, rate, 0.5, 2)
    hiss = band(a, rate, (700.0, 9000.0), "bandpass")
    body = band(b, rate, (200.0, 1200.0), "bandpass")
    swell = wander(sub_rng(key, "swell"), n, rate, 0.2, 0.85, 1.15)
    patter = np.stack([impacts(sub_rng(key, "patter", c), n, rate, 400.0) for c in range(2)])
    patter = unit(filt(sos(2, (2000.0, 10000.0), rate, "bandpass"), patter))
    rng = sub_rng(key, "drops")
    count = int(rng.poisson(5.0 * n / rate))
    drops = blips(n, rate, rng.integers(0, max(n, 1), count).astype(np.intp),
                  np.exp(rng.uniform(math.log(1800.0), math.log(5000.0), count)),
                  rng.uniform(0.003, 0.009, count), rng.uniform(0.2, 0.6, count),
                  rng.uniform(0.3, 1.0, count), rng.uniform(-0.8, 0.8, count), 0.04)
    return (hiss + 0.45 * body + 0.35 * patter) * swell + 0.7 * unit(drops)


def _wind(n: int, rate: int, key: str, muffled: bool = False) -> Signal:
    """Gusting wind: low roar, a mid band that swells with each gust and a faint whistle.

    The gust curve reaches one channel 0.6 s after the other, so gusts seem to travel past.
    ``muffled`` is wind heard over snow: darker and calmer. Nothing in it reaches far above
    2 kHz, so it is made at a fraction of the rate.
    """
    def layers(n: int, rate: int) -> Signal:
        rng, lag = sub_rng(key, "gust"), int(0.6 * rate)
        slow, quick = (0.04, 0.15) if muffled else (0.07, 0.35)
        gust = 0.6 * wander(rng, n + lag, rate, slow) + 0.4 * wander(rng, n + lag, rate, quick)
        gust = (0.65 if muffled else 0.25) + (0.35 if muffled else 0.75) * gust
        g = np.stack([gust[lag:], gust[:n]])
        g = g[::-1] if rng.random() < 0.5 else g
        bands = ((50.0, 250.0), (150.0, 600.0)) if muffled else ((60.0, 350.0), (250.0, 1200.0))
        a, b = noise_parts(sub_rng(key, "noise"), n, rate, 0.55, 2)
        x = band(a, rate, bands[0], "bandpass") * (0.4 + 0.6 * g)
        x += 0.9 * band(b, rate, bands[1], "bandpass") * g**2
        if muffled:
            return filt(sos(2, 700.0, rate, "lowpass"), x)
        pitch = float(rng.uniform(550.0, 850.0))
        whistle = band_noise(sub_rng(key, "whistle"), n, rate, (0.96 * pitch, 1.04 * pitch),
                             "bandpass", 0.3)
        return x + 0.25 * whistle * g**3

    return at_low_rate(n, rate, 1200.0 if muffled else 3000.0, layers)


def _waves(n: int, rate: int, key: str) -> Signal:
    """Shore waves: each swells (low rumble), breaks (a wash) and drains away (fizz). Breaks
    come every 8.5-11.5 s, never exactly periodic, each panned a little differently."""
    rng = sub_rng(key, "waves")
    m = int(n * CONTROL_RATE / rate) + 2
    tc = np.arange(m) / CONTROL_RATE
    env = np.zeros((3, 2, m))
    env[0] += 0.25  # the sea never quite falls silent between waves
    t = -float(rng.uniform(0.0, 10.0))
    while t < tc[-1] + 12.0:
        size = float(rng.uniform(0.6, 1.0))
        pan = np.array(pan_gains(np.asarray(rng.uniform(-0.35, 0.35))))[:, None]
        gains = pan * math.sqrt(2.0) * size
        u = tc - t
        for layer, (rise, fall, delay) in enumerate(((2.6, 1.8, 0.0), (0.35, 1.4, 0.0),
                                                     (0.6, 3.2, 0.5))):
            v = u - delay
            with np.errstate(over="ignore"):
                shape = np.where(v < 0.0, np.exp(-((v / rise) ** 2)), np.exp(-v / fall))
            env[layer] += gains * shape
        t += float(rng.uniform(8.5, 11.5))
    rumble = at_low_rate(n, rate, 500.0, lambda k, r: band_noise(
        sub_rng(key, "rumble"), k, r, 300.0, "lowpass", 0.5, order=4))
    a, b = noise_parts(sub_rng(key, "noise"), n, rate, 0.6, 2)
    wash = band(a, rate, (400.0, 2500.0), "bandpass")
    fizz = band(b, rate, (1800.0, 6000.0), "bandpass")
    return (rumble * to_audio(env[0], n, rate) + 0.7 * wash * to_audio(env[1], n, rate)
            + 0.22 * fizz * to_audio(env[2], n, rate))


def _river_bubbles(n: int, rate: int, key: str) -> Signal:
    rng = sub_rng(key, "bubbles")
    busy = wander(rng, n, rate, 0.3, 0.4, 1.0)
    count = int(rng.poisson(120.0 * n / rate))
    at = rng.integers(0, max(n, 1), count)
    at = at[rng.random(count) < busy[at]].astype(np.intp)
    k = at.size
    freq = np.exp(rng.uniform(math.log(300.0), math.log(1600.0), k))
    tau = np.clip(0.008 * np.sqrt(500.0 / freq), 0.003, 0.015)
    return blips(n, rate, at, freq, tau, rng.uniform(0.2, 0.7, k),
                 rng.lognormal(0.0, 0.5, k), rng.uniform(-0.6, 0.6, k), 0.045)


def _river(n: int, rate: int, key: str) -> Signal:
    """A river: the low flow, a gurgling mid band and a dense babble of rising bubbles."""
    a, b = noise_parts(sub_rng(key, "noise"), n, rate, 0.55, 2)
    flow = band(a, rate, (90.0, 500.0), "bandpass")
    babble = band(b, rate, (300.0, 2500.0), "bandpass")
    gurgle = wander(sub_rng(key, "gurgle"), n, rate, 5.0, 0.5, 1.0)
    bubbles = at_low_rate(n, rate, 4000.0, lambda k, r: _river_bubbles(k, r, key))
    return 0.7 * flow + 0.5 * babble * gurgle + 0.6 * unit(bubbles)


def _night(n: int, rate: int, key: str) -> Signal:
    """A night field: crickets in different places and rhythms, a far insect chorus, air."""
    from yingxi.backends.embedded.effects_spots import cricket_song

    rng, x = sub_rng(key, "crickets"), np.zeros((2, n))
    count = int(rng.integers(3, 6))
    # Spread across the field (not all bunched in the middle by chance), order shuffled.
    pans = rng.permutation(np.linspace(-0.7, 0.7, count) + rng.uniform(-0.1, 0.1, count))
    for i, (left, right) in enumerate(zip(*pan_gains(pans), strict=True)):
        one = cricket_song(n, rate, sub_rng(key, "cricket", i))
        x += np.stack([left * one, right * one])
    noise = stereo_noise(sub_rng(key, "noise"), n, 0.8)
    chorus = band(noise, rate, (5500.0, 7500.0), "bandpass")
    throb: Signal = np.sin(2.0 * math.pi * 28.0 * np.arange(n) / rate) ** 2
    air = band(noise, rate, 500.0, "lowpass")
    return unit(x) + 0.12 * chorus * throb + 0.2 * air


def _birds(n: int, rate: int, key: str) -> Signal:
    """Day or dawn birds: calls every second or so from all around (far ones duller and
    softer) over rustling leaves and faint air."""
    from yingxi.backends.embedded.effects_spots import bird_call

    rng, near, far = sub_rng(key, "calls"), np.zeros((2, n)), np.zeros((2, n))
    now = float(rng.exponential(1.0))
    while now < n / rate:
        call, at = bird_call(rng, rate), int(now * rate)
        m, distance = min(call.size, n - at), float(rng.uniform(0.0, 1.0))
        gains = np.array(pan_gains(np.asarray(rng.uniform(-0.8, 0.8)))) * (1.0 - 0.7 * distance)
        (far if distance > 0.5 else near)[:, at:at + m] += gains[:, None] * call[None, :m]
        now += float(rng.exponential(1.6)) + call.size / rate
    calls = near + filt(sos(1, 5000.0, rate, "lowpass"), far)  # air dulls far calls a little
    a, b = noise_parts(sub_rng(key, "noise"), n, rate, 0.5, 2)
    leaves = band(a, rate, (400.0, 3000.0), "bandpass")
    breeze = wander(sub_rng(key, "breeze"), n, rate, 0.2, 0.3, 1.0)
    air = band(b, rate, 400.0, "lowpass")
    return 0.35 * calls + 0.05 * leaves * breeze + 0.05 * air


def _whooshes(n: int, rate: int, key: str) -> Signal:
    """Far cars passing every 3-9 s, each swelling and fading as it crosses the field."""
    from yingxi.backends.embedded.effects_spots import car_pass

    rng, x = sub_rng(key, "cars"), np.zeros((2, n))
    now = float(rng.uniform(0.0, 5.0))
    while now < n / rate + 5.0:
        car = car_pass(rate, rng)
        at = int(now * rate) - car.shape[1] // 2
        lo, hi = max(0, at), min(n, at + car.shape[1])
        if hi > lo:
            x[:, lo:hi] += car[:, lo - at:hi - at]
        now += float(rng.uniform(3.0, 9.0))
    return x


def _city(n: int, rate: int, key: str) -> Signal:
    """Distant city: a low traffic hum that ebbs, a mid drone, tyre hiss and passing cars."""
    def hum_layers(k: int, r: int) -> Signal:
        a, b = noise_parts(sub_rng(key, "hum"), k, r, 0.35, 2)
        return band(a, r, 180.0, "lowpass") + 0.35 * band(b, r, (180.0, 900.0), "bandpass")

    hum = at_low_rate(n, rate, 900.0, hum_layers)
    ebb = wander(sub_rng(key, "ebb"), n, rate, 0.05, 0.85, 1.15)
    hiss = band_noise(sub_rng(key, "hiss"), n, rate, (900.0, 4000.0), "bandpass", 0.6)
    cars = at_low_rate(n, rate, 3500.0, lambda k, r: _whooshes(k, r, key))
    return hum * ebb + 0.08 * hiss + 0.25 * unit(cars)


def _room(n: int, rate: int, key: str) -> Signal:
    """Quiet room tone: mostly low rumble of a building, a little mid air, nearly mono."""
    a, b, c = noise_parts(sub_rng(key, "noise"), n, rate, 0.25, 3)
    low = band(a, rate, 120.0, "lowpass")
    low += 0.4 * band(b, rate, (120.0, 1500.0), "bandpass", order=1)
    low += 0.08 * band(c, rate, (1500.0, 6000.0), "bandpass", order=1)
    return low * wander(sub_rng(key, "drift"), n, rate, 0.1, 0.93, 1.07)


_BEDS: dict[str, Callable[[int, int, str], Signal]] = {
    "rain": _rain, "wind": _wind, "waves": _waves, "river": _river, "night": _night,
    "birds": _birds, "city": _city, "room": _room,
    "snow": lambda n, rate, key: _wind(n, rate, key, muffled=True),
}


def _bed_part(kind: str, n: int, rate: int, key: str) -> Audio:
    from yingxi.backends.embedded.effects_spots import integrated, level_to

    x = filt(sos(2, 20.0, rate, "highpass"), _BEDS[kind](n, rate, key))
    return level_to(x, rate, AMBIENCE_LUFS, integrated).astype(np.float32)


def _chunked(kind: str, total: int, rate: int, key: str, join: int) -> Audio:
    """A bed made a minute at a time (so memory stays bounded), each minute fresh and at the
    target level, joined by equal-power crossfades of ``join`` samples: the parts are
    unrelated noise, so the joins keep the power and go unheard."""
    out, size, start, i = np.empty((2, total), dtype=np.float32), int(_CHUNK * rate), 0, 0
    while True:
        stop = min(total, start + size)
        if total - stop < size // 4:
            stop = total  # a short remainder joins this part rather than standing alone
        part = _bed_part(kind, stop - start, rate, key if i == 0 else f"{key}/part{i}")
        if i == 0:
            out[:, :stop] = part
        else:
            w = np.sin(0.5 * np.pi * np.arange(join) / join)
            out[:, start:start + join] = out[:, start:start + join] * np.sqrt(1.0 - w * w) \
                + part[:, :join] * w
            out[:, start + join:stop] = part[:, join:]
        if stop == total:
            return out
        start, i = stop - join, i + 1


def ambience(kind: str, length: float, rate: int = 48000, key: str = "",
             loop: bool = False) -> Audio:
    """An ambience bed of ``kind`` (one of :data:`AMBIENCES`), float32 (2, n).

    ``length`` is a sample count when an ``int`` and seconds when a ``float``. The bed is
    fresh noise and randomly timed events throughout (nothing repeats, however long), holds
    a roughly constant level at :data:`AMBIENCE_LUFS` integrated loudness and fades over
    10 ms at both ends. With ``loop`` it has no fades instead: its end runs on seamlessly
    into its start, so it can be tiled. The same arguments always give the same samples.
    """
    from yingxi.backends.embedded.effects_spots import cap_peak, fade_ends

    if kind not in AMBIENCES:
        raise ValueError(f"unknown ambience {kind!r}; known: {', '.join(sorted(AMBIENCES))}")
    n = num_samples(length, rate)
    if n == 0:
        return np.zeros((2, 0), dtype=np.float32)
    began = time.perf_counter()
    join = min(int(_JOIN * rate), n // 4)
    out = _chunked(kind, n + (join if loop else 0), rate, f"{key}/ambience/{kind}", join)
    if not loop:
        fade_ends(out, rate, _BED_FADE, _BED_FADE)
    elif join:
        # Fold the overrun onto the start: sample n-1 then runs on into sample 0 as it did
        # into sample n, and the start fades in under it.
        w = np.sin(0.5 * np.pi * np.arange(join) / join)
        out[:, :join] = out[:, :join] * w + out[:, n:] * np.sqrt(1.0 - w * w)
        out = out[:, :n] - out[:, :n].mean(axis=1, keepdims=True)
    logger.debug("ambience %s: %.1f s in %.3f s", kind, n / rate, time.perf_counter() - began)
    cap_peak(out)
    return out


def spot(kind: str, rate: int = 48000, key: str = "", **params: object) -> Audio:
    """A one-shot effect of ``kind`` (one of :data:`SPOTS`), float32 (2, n), with its
    loudest 400 ms at :data:`SPOT_LUFS`. Parameters, all optional:

    * ``thunder``: ``seconds`` (3-6, drawn when left out), ``near`` (a crack first).
    * ``footstep``: ``surface``, one of :data:`SURFACES` (default "stone").
    * ``door``: ``action``, "open" (latch, then creak) or "close" (creak, thud, latch).
    * ``splash``: ``size``, 0.3-3 (1 is an oar stroke).
    * ``bell``: ``variety``, "temple" (large, low, long) or "ferry" (small, bright).
    """
    from yingxi.backends.embedded.effects_spots import render_spot

    return render_spot(kind, rate, key, **params)


def footsteps(steps: float, pace: float = 0.55, surface: str = "stone", rate: int = 48000,
              key: str = "") -> Audio:
    """A walk on ``surface``, a step every ``pace`` seconds with a little human unevenness:
    ``steps`` footsteps when an ``int``; when a ``float``, exactly ``steps`` seconds with a
    step wherever 0.15 s remain (the last may be cut short). Level as for :func:`spot`."""
    from yingxi.backends.embedded.effects_spots import render_footsteps

    return render_footsteps(steps, pace, surface, rate, key)
