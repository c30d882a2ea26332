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

from yingxi.backends.embedded.effects_dsp import (
    BLOCK,
    CONTROL_RATE,
    Audio,
    Noise,
    Signal,
    at_low_rate,
    band,
    band_noise,
    band_of,
    blips,
    filt,
    filt_into,
    impacts,
    noise_parts,
    noise_source,
    pan_gains,
    sos,
    times_curve,
    unit_inplace,
    wander,
    wander_curve,
)
from yingxi.backends.embedded.score import sub_rng

# scipy takes most of a second to import, so it is imported where sound is made: importing
# this module (to read the catalogue, say) stays instant. .effects_spots builds on this
# module, so what is needed from it is imported inside the functions too.

logger = logging.getLogger(__name__)


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


# ---------------------------------------------------------------------------- ambience beds
#
# A bed is a sum of full-length layers. Each layer is scaled and added into the bed in place
# as soon as it is made, and freed, so no more than one other layer is alive beside the bed;
# the additions and products keep the order and the operands of the written-out formula in
# each docstring, so the samples are exactly those of that formula.


def _rain(n: int, rate: int, key: str) -> Signal:
    """Steady rain: bright hiss, a duller body, dense patter and sparse droplet plinks:
    ``(hiss + 0.45 * body + 0.35 * patter) * swell + 0.7 * unit(drops)``."""
    noise, gap = noise_source(sub_rng(key, "noise"), n, rate, 0.5, 2)
    x = band_of(noise, 0, n, rate, (700.0, 9000.0), "bandpass")  # hiss
    body = band_of(noise, gap, n, rate, (200.0, 1200.0), "bandpass")
    del noise
    body *= 0.45
    x += body
    del body
    patter = np.empty((2, n))
    for c in range(2):
        patter[c] = impacts(sub_rng(key, "patter", c), n, rate, 400.0)
    unit_inplace(filt_into(sos(2, (2000.0, 10000.0), rate, "bandpass"), patter, patter))
    patter *= 0.35
    x += patter
    del patter
    times_curve(x, wander_curve(sub_rng(key, "swell"), n, rate, 0.2, 0.85, 1.15), rate)
    rng = sub_rng(key, "drops")
    count = int(rng.poisson(5.0 * n / rate))
    drops = unit_inplace(blips(n, rate, rng.integers(0, max(n, 1), count).astype(np.intp),
                               np.exp(rng.uniform(math.log(1800.0), math.log(5000.0), count)),
                               rng.uniform(0.003, 0.009, count), rng.uniform(0.2, 0.6, count),
                               rng.uniform(0.3, 1.0, count), rng.uniform(-0.8, 0.8, count),
                               0.04))
    drops *= 0.7
    x += drops
    return x


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
    come every 8.5-11.5 s, never exactly periodic, each panned a little differently:
    ``rumble * env0 + 0.7 * wash * env1 + 0.22 * fizz * env2``, the envelopes at audio rate."""
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
    x = at_low_rate(n, rate, 500.0, lambda k, r: band_noise(
        sub_rng(key, "rumble"), k, r, 300.0, "lowpass", 0.5, order=4))
    times_curve(x, env[0], rate)  # rumble * env0
    noise, gap = noise_source(sub_rng(key, "noise"), n, rate, 0.6, 2)
    wash = band_of(noise, 0, n, rate, (400.0, 2500.0), "bandpass")
    wash *= 0.7
    x += times_curve(wash, env[1], rate)
    del wash
    fizz = band_of(noise, gap, n, rate, (1800.0, 6000.0), "bandpass")
    del noise
    fizz *= 0.22
    x += times_curve(fizz, env[2], rate)
    return x


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
    """A river: the low flow, a gurgling mid band and a dense babble of rising bubbles:
    ``0.7 * flow + 0.5 * babble * gurgle + 0.6 * unit(bubbles)``."""
    noise, gap = noise_source(sub_rng(key, "noise"), n, rate, 0.55, 2)
    x = band_of(noise, 0, n, rate, (90.0, 500.0), "bandpass")  # flow
    x *= 0.7
    babble = band_of(noise, gap, n, rate, (300.0, 2500.0), "bandpass")
    del noise
    babble *= 0.5
    x += times_curve(babble, wander_curve(sub_rng(key, "gurgle"), n, rate, 5.0, 0.5, 1.0), rate)
    del babble
    bubbles = unit_inplace(at_low_rate(n, rate, 4000.0, lambda k, r: _river_bubbles(k, r, key)))
    bubbles *= 0.6
    x += bubbles
    return x


def _night(n: int, rate: int, key: str) -> Signal:
    """A night field: crickets in different places and rhythms, a far insect chorus, air:
    ``unit(crickets) + 0.12 * chorus * throb + 0.2 * air``."""
    from yingxi.backends.embedded.effects_spots import cricket_song

    rng, x = sub_rng(key, "crickets"), np.zeros((2, n))
    count = int(rng.integers(3, 6))
    # Spread across the field (not all bunched in the middle by chance), order shuffled.
    pans = rng.permutation(np.linspace(-0.7, 0.7, count) + rng.uniform(-0.1, 0.1, count))
    for i, (left, right) in enumerate(zip(*pan_gains(pans), strict=True)):
        one = cricket_song(n, rate, sub_rng(key, "cricket", i))
        x[0] += left * one
        x[1] += right * one
        del one
    unit_inplace(x)
    noise = Noise(sub_rng(key, "noise"), n, 0.8)
    chorus = band_of(noise, 0, n, rate, (5500.0, 7500.0), "bandpass")
    chorus *= 0.12
    for s in range(0, n, BLOCK):  # the chorus throbs 28 times a second
        throb: Signal = np.sin(2.0 * math.pi * 28.0 * np.arange(s, min(n, s + BLOCK)) / rate) ** 2
        chorus[:, s:s + BLOCK] *= throb
    x += chorus
    del chorus
    air = band_of(noise, 0, n, rate, 500.0, "lowpass")
    del noise
    air *= 0.2
    x += air
    return x


def _birds(n: int, rate: int, key: str) -> Signal:
    """Day or dawn birds: calls every second or so from all around (far ones duller and
    softer) over rustling leaves and faint air:
    ``0.35 * (near + lowpass(far)) + 0.05 * leaves * breeze + 0.05 * air``."""
    from yingxi.backends.embedded.effects_spots import bird_call

    rng, near, far = sub_rng(key, "calls"), np.zeros((2, n)), np.zeros((2, n))
    now = float(rng.exponential(1.0))
    while now < n / rate:
        call, at = bird_call(rng, rate), int(now * rate)
        m, distance = min(call.size, n - at), float(rng.uniform(0.0, 1.0))
        gains = np.array(pan_gains(np.asarray(rng.uniform(-0.8, 0.8)))) * (1.0 - 0.7 * distance)
        (far if distance > 0.5 else near)[:, at:at + m] += gains[:, None] * call[None, :m]
        now += float(rng.exponential(1.6)) + call.size / rate
    x = near  # the calls; air dulls far ones a little
    x += filt_into(sos(1, 5000.0, rate, "lowpass"), far, far)
    del near, far
    x *= 0.35
    noise, gap = noise_source(sub_rng(key, "noise"), n, rate, 0.5, 2)
    leaves = band_of(noise, 0, n, rate, (400.0, 3000.0), "bandpass")
    leaves *= 0.05
    x += times_curve(leaves, wander_curve(sub_rng(key, "breeze"), n, rate, 0.2, 0.3, 1.0), rate)
    del leaves
    air = band_of(noise, gap, n, rate, 400.0, "lowpass")
    del noise
    air *= 0.05
    x += air
    return x


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
    """Distant city: a low traffic hum that ebbs, a mid drone, tyre hiss and passing cars:
    ``hum * ebb + 0.08 * hiss + 0.25 * unit(cars)``."""
    def hum_layers(k: int, r: int) -> Signal:
        a, b = noise_parts(sub_rng(key, "hum"), k, r, 0.35, 2)
        return band(a, r, 180.0, "lowpass") + 0.35 * band(b, r, (180.0, 900.0), "bandpass")

    x = at_low_rate(n, rate, 900.0, hum_layers)
    times_curve(x, wander_curve(sub_rng(key, "ebb"), n, rate, 0.05, 0.85, 1.15), rate)
    hiss = band_noise(sub_rng(key, "hiss"), n, rate, (900.0, 4000.0), "bandpass", 0.6)
    hiss *= 0.08
    x += hiss
    del hiss
    cars = unit_inplace(at_low_rate(n, rate, 3500.0, lambda k, r: _whooshes(k, r, key)))
    cars *= 0.25
    x += cars
    return x


def _room(n: int, rate: int, key: str) -> Signal:
    """Quiet room tone: mostly low rumble of a building, a little mid air, nearly mono."""
    noise, gap = noise_source(sub_rng(key, "noise"), n, rate, 0.25, 3)
    low = band_of(noise, 0, n, rate, 120.0, "lowpass")
    layer = band_of(noise, gap, n, rate, (120.0, 1500.0), "bandpass", order=1)
    layer *= 0.4
    low += layer
    del layer
    layer = band_of(noise, 2 * gap, n, rate, (1500.0, 6000.0), "bandpass", order=1)
    del noise
    layer *= 0.08
    low += layer
    del layer
    return times_curve(low, wander_curve(sub_rng(key, "drift"), n, rate, 0.1, 0.93, 1.07), rate)


_BEDS: dict[str, Callable[[int, int, str], Signal]] = {
    "rain": _rain, "wind": _wind, "waves": _waves, "river": _river, "night": _night,
    "birds": _birds, "city": _city, "room": _room,
    "snow": lambda n, rate, key: _wind(n, rate, key, muffled=True),
}


def _bed_part(kind: str, n: int, rate: int, key: str) -> Audio:
    from yingxi.backends.embedded.effects_level import integrated, level_to

    x = _BEDS[kind](n, rate, key)
    filt_into(sos(2, 20.0, rate, "highpass"), x, x)
    return level_to(x, rate, AMBIENCE_LUFS, integrated, inplace=True).astype(np.float32)


def _chunked(kind: str, total: int, rate: int, key: str, join: int) -> Audio:
    """A bed made a minute at a time (so memory stays bounded), each minute fresh and at the
    target level, joined by equal-power crossfades of ``join`` samples: the parts are
    unrelated noise, so the joins keep the power and go unheard."""
    size, start, i = int(_CHUNK * rate), 0, 0
    out = np.empty((2, 0), dtype=np.float32)
    while True:
        stop = min(total, start + size)
        if total - stop < size // 4:
            stop = total  # a short remainder joins this part rather than standing alone
        part = _bed_part(kind, stop - start, rate, key if i == 0 else f"{key}/part{i}")
        if i == 0:
            if stop == total:
                return part  # one part is the whole bed
            out = np.empty((2, total), dtype=np.float32)  # made after the part: not beside it
            out[:, :stop] = part
        else:
            w = np.sin(0.5 * np.pi * np.arange(join) / join)
            out[:, start:start + join] = out[:, start:start + join] * np.sqrt(1.0 - w * w) \
                + part[:, :join] * w
            out[:, start + join:stop] = part[:, join:]
        del part  # not alive beside the next part
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
    from yingxi.backends.embedded.effects_level import cap_peak, fade_ends

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
