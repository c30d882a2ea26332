"""Short sounds for :mod:`.effects`: spot effects, the events beds scatter, and levels.

Thunder, footsteps on four surfaces, a door, a splash and a bell, each a float64 (2, n)
buffer at an arbitrary level that starts with a few milliseconds of silence (so the fade-in
never blunts the attack) and has died away by its end; :func:`render_spot` normalises it to
:data:`~.effects.SPOT_LUFS`. Bird calls, cricket song and passing cars are the events the
night, birds and city beds scatter. The loudness meters and the finishing (fades, DC, level,
peak ceiling) serve beds and spots alike.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable

import numpy as np

from yingxi.backends.embedded.effects import (
    SPOT_LUFS,
    SPOTS,
    SURFACES,
    num_samples,
)
from yingxi.backends.embedded.effects_dsp import (
    CONTROL_RATE,
    Audio,
    Rng,
    Signal,
    at_low_rate,
    band_noise,
    blips,
    filt,
    impacts,
    pan_gains,
    scatter,
    sos,
    to_audio,
    unit,
    wander,
)
from yingxi.backends.embedded.effects_level import (
    fade_ends,
    level_to,
    loudest_momentary,
)
from yingxi.backends.embedded.score import sub_rng

logger = logging.getLogger(__name__)

ONSET = 0.004  # seconds of silence before every attack
STEP_SECONDS = 0.45  # one footstep, heel to the end of its tail


def _decay(t: Signal, start: float, tau: float, attack: float = 0.0003) -> Signal:
    """0 before ``start``, then a fast (``attack``) rise and an exponential fall."""
    u = np.maximum(t - start, 0.0)
    return np.where(t >= start, (1.0 - np.exp(-u / attack)) * np.exp(-u / tau), 0.0)


def _band(rng: Rng, m: int, rate: int, band: float | tuple[float, float], kind: str) -> Signal:
    """Mono noise through one filter, at unit RMS."""
    return unit(filt(sos(2, band, rate, kind), rng.standard_normal(m)))


def _damped(t: Signal, rate: int, start: float, freq: float, tau: float,
            drop: float = 0.0) -> Signal:
    """A sine from ``start`` dying away with ``tau``, its pitch sagging by ``drop`` (0..1)
    as it fades, the way a struck body or a thump loses tension."""
    u = np.maximum(t - start, 0.0)
    inst = freq * (1.0 - drop * (1.0 - np.exp(-u / tau))) * (t >= start)
    return np.sin(2.0 * math.pi * np.cumsum(inst) / rate) * _decay(t, start, tau, 0.0005)


def _spread(mono: Signal, pan: float, width: float, rng: Rng, rate: int) -> Signal:
    """A mono sound placed at ``pan`` with a faint decorrelated copy for a little width."""
    left, right = pan_gains(np.asarray(pan))
    echo = filt(sos(1, 3000.0, rate, "lowpass"), np.roll(mono, int(0.0007 * rate)))
    side = width * echo * float(rng.choice((-1.0, 1.0)))
    return np.stack([float(left) * (mono + side), float(right) * (mono - side)])


def _finish(x: Signal, rate: int) -> Audio:
    """High-pass (nothing below hearing), fade 2 ms in and 10 ms out, take out DC and reach
    :data:`~.effects.SPOT_LUFS`; float32 (2, n)."""
    if not x.shape[1]:
        return np.zeros((2, 0), dtype=np.float32)
    x = filt(sos(2, 20.0, rate, "highpass"), x)
    fade_ends(x, rate, 0.002, 0.01)
    return level_to(x, rate, SPOT_LUFS, loudest_momentary).astype(np.float32)


# ------------------------------------------------------------------------------- thunder


def _thunder(rate: int, key: str, seconds: float | None = None, near: bool = False) -> Signal:
    """Thunder: rolls of very low rumble; ``near`` starts with a bright crack and tearing."""
    rng = sub_rng(key, "thunder")
    secs = float(seconds) if seconds is not None else float(rng.uniform(3.0, 6.0))
    n = int(max(secs, 0.5) * rate)
    tc = np.arange(int(n * CONTROL_RATE / rate) + 2) / CONTROL_RATE
    env = np.zeros(tc.size)
    for i in range(int(rng.integers(3, 7))):  # rolls: the first at once, the rest scattered
        u = tc - ONSET - float(rng.uniform(0.0, 0.3) if i == 0 else rng.uniform(0.2, 0.6 * secs))
        rise, fall = float(rng.uniform(0.15, 0.5)), float(rng.uniform(0.5, 1.6))
        with np.errstate(over="ignore"):
            env += float(rng.uniform(0.4, 1.0)) * np.where(
                u < 0.0, np.exp(-((u / rise) ** 2)), np.exp(-u / fall))
    # The last third tapers to silence whatever the rolls were doing.
    taper = np.clip((secs - tc) / (0.35 * secs), 0.0, 1.0)
    env *= (0.5 - 0.5 * np.cos(np.pi * taper)) * np.clip((tc - ONSET) / 0.05, 0.0, 1.0)
    top = 300.0 if near else 120.0
    # The grit above the rumble is what a phone speaker can play of distant thunder.
    rumble = at_low_rate(n, rate, 4.0 * top, lambda k, r: band_noise(
        sub_rng(key, "rumble"), k, r, top, "lowpass", 0.7, order=4)
        + 0.3 * band_noise(sub_rng(key, "grit"), k, r, (top, 4.0 * top), "bandpass", 0.7))
    roll = wander(sub_rng(key, "roll"), n, rate, 8.0, 0.35, 1.0)
    x = rumble * to_audio(env, n, rate) * roll
    if near:
        t = np.arange(n) / rate
        crack = _band(sub_rng(key, "crack"), n, rate, 800.0, "highpass") * _decay(t, ONSET, 0.05)
        tear = impacts(sub_rng(key, "tear"), n, rate, 3000.0) * _decay(t, ONSET, 0.12, 0.01)
        tear = unit(filt(sos(2, (1500.0, 6000.0), rate, "bandpass"), tear))
        flash = crack + 0.6 * tear * _decay(t, ONSET, 0.12, 0.01)
        x += 1.5 * _spread(flash, float(rng.uniform(-0.4, 0.4)), 0.4, rng, rate)
    return x


# ------------------------------------------------------------------------------ footsteps


def _strike(t: Signal, at: float, surface: str, rate: int, rng: Rng) -> Signal:
    """One contact (heel or toe) of a shoe with ``surface`` at time ``at``."""
    m = t.size
    if surface == "wood":
        body = _damped(t, rate, at, float(rng.uniform(120.0, 190.0)), 0.025, 0.1)
        body += 0.6 * _damped(t, rate, at, float(rng.uniform(330.0, 480.0)), 0.015)
        tap = _band(rng, m, rate, (700.0, 3500.0), "bandpass") * _decay(t, at, 0.006)
        return body + 1.2 * tap
    if surface == "stone":
        click = 0.75 * _band(rng, m, rate, (1500.0, 7000.0), "bandpass") * _decay(t, at, 0.004)
        thud = _band(rng, m, rate, 300.0, "lowpass") * _decay(t, at, 0.01)
        grit = unit(filt(sos(2, (1500.0, 5000.0), rate, "bandpass"), impacts(rng, m, rate, 2000.0)))
        return click + 0.7 * thud + 0.15 * grit * _decay(t, at + 0.005, 0.05, 0.005)
    if surface == "grass":
        crackle = unit(filt(sos(2, (2000.0, 8000.0), rate, "bandpass"),
                            impacts(rng, m, rate, 2500.0)))
        rustle = _band(rng, m, rate, (1500.0, 7000.0), "bandpass")
        thud = _band(rng, m, rate, 200.0, "lowpass") * _decay(t, at, 0.02, 0.002)
        return (0.6 * rustle + 0.5 * crackle) * _decay(t, at, 0.1, 0.015) + 0.5 * thud
    # snow: the crunch of crystals giving way, a granular burst as the snow compresses
    crunch = unit(filt(sos(2, (400.0, 3500.0), rate, "bandpass"), impacts(rng, m, rate, 6000.0)))
    thud = _band(rng, m, rate, 150.0, "lowpass") * _decay(t, at, 0.03, 0.003)
    return crunch * _decay(t, at, 0.12, 0.03) + 0.4 * thud


def _footstep(rate: int, rng: Rng, surface: str) -> Signal:
    """One step, mono: the heel, then the ball of the foot 40-90 ms later, softer."""
    t = np.arange(int(STEP_SECONDS * rate)) / rate
    toe = ONSET + float(rng.uniform(0.04, 0.09))
    x = _strike(t, ONSET, surface, rate, rng) + float(rng.uniform(0.35, 0.65)) * _strike(
        t, toe, surface, rate, rng)
    fall = np.clip((STEP_SECONDS - t) / 0.1, 0.0, 1.0)  # the tail always ends at 0
    return x * fall


def _check_surface(surface: object) -> str:
    if surface not in SURFACES:
        raise ValueError(f"unknown surface {surface!r}; known: {', '.join(sorted(SURFACES))}")
    return str(surface)


def _one_step(rate: int, key: str, surface: str = "stone") -> Signal:
    rng = sub_rng(key, "step")
    mono = _footstep(rate, rng, _check_surface(surface))
    return _spread(mono, 0.0, 0.3, rng, rate)


# --------------------------------------------------------------------- door, splash, bell


def _creak(rate: int, rng: Rng, secs: float) -> Signal:
    """A hinge creak: stick-slip pulses, 40-160 a second and gliding, ring the door's wooden
    resonances. Slow stretches rasp; fast ones take on the creak's voiced squeal."""
    n = int(secs * rate)
    pulses_per_s = wander(rng, n, rate, 2.5, 40.0, 160.0)
    ticks = np.flatnonzero(np.diff(np.floor(np.cumsum(pulses_per_s) / rate)) > 0) + 1
    train = np.zeros(n)
    train[ticks] = rng.uniform(0.5, 1.0, ticks.size)
    body = np.zeros(n)
    for lo, hi, gain in ((400.0, 600.0, 1.0), (1000.0, 1300.0, 0.7), (2000.0, 2600.0, 0.4)):
        f = float(rng.uniform(lo, hi))
        body += gain * unit(filt(sos(1, (0.92 * f, 1.08 * f), rate, "bandpass"), train))
    ramp = np.minimum(1.0, np.minimum(np.arange(n) / (0.05 * rate), (n - np.arange(n)) /
                                      (0.12 * rate)))
    return body * ramp * wander(rng, n, rate, 4.0, 0.5, 1.0)


def _latch(t: Signal, rate: int, at: float, rng: Rng) -> Signal:
    """A metal latch: a few high damped partials, then the bolt seating a moment later."""
    x = np.zeros(t.size)
    for when, gain in ((at, 1.0), (at + float(rng.uniform(0.015, 0.03)), 0.5)):
        for lo, hi, tau in ((2100.0, 2600.0, 0.01), (3300.0, 3900.0, 0.007),
                            (5200.0, 6000.0, 0.004)):
            x += gain * _damped(t, rate, when, float(rng.uniform(lo, hi)), tau)
    return x


def _door(rate: int, key: str, action: str = "close") -> Signal:
    """A wooden door opening (latch, then creak) or closing (creak, thud, latch)."""
    if action not in ("open", "close"):
        raise ValueError(f"unknown door action {action!r}; known: close, open")
    rng = sub_rng(key, "door", action)
    creak_s = float(rng.uniform(0.7, 1.2) if action == "open" else rng.uniform(0.4, 0.8))
    secs = ONSET + creak_s + (0.25 if action == "open" else 0.7)
    t = np.arange(n := int(secs * rate)) / rate
    creak_at = ONSET + (0.12 if action == "open" else 0.0)
    x, c0, creak = np.zeros(n), int(creak_at * rate), _creak(rate, rng, creak_s)
    x[c0:c0 + creak.size] += 0.5 * creak[: n - c0]
    if action == "open":
        x += 0.6 * _latch(t, rate, ONSET, rng)
    else:
        hit = creak_at + creak_s - 0.05
        thud = (_damped(t, rate, hit, float(rng.uniform(70.0, 110.0)), 0.07, 0.2)
                + 0.8 * _band(rng, n, rate, 250.0, "lowpass") * _decay(t, hit, 0.03, 0.001)
                + 0.2 * _band(rng, n, rate, (200.0, 800.0), "bandpass") * _decay(t, hit, 0.08))
        x += 1.5 * thud + 0.5 * _latch(t, rate, hit + float(rng.uniform(0.01, 0.03)), rng)
    return _spread(x * np.clip((secs - t) / 0.08, 0.0, 1.0), float(rng.uniform(-0.2, 0.2)),
                   0.3, rng, rate)


def _splash(rate: int, key: str, size: float = 1.0) -> Signal:
    """An oar or a stone in water: a plunge, a spray of noise, bubbles, then a few drips."""
    s, rng = float(np.clip(size, 0.3, 3.0)), sub_rng(key, "splash")
    secs = 1.0 + 0.4 * s
    t = np.arange(n := int(secs * rate)) / rate
    spray = band_noise(rng, n, rate, (400.0, 5000.0), "bandpass", 0.5) * _decay(
        t, ONSET, 0.12 * s, 0.008)
    plunge = _damped(t, rate, ONSET, float(rng.uniform(150.0, 200.0)), 0.04 * s, 0.5)
    count = int(40 * s)
    at = ((ONSET + rng.exponential(0.15 * s, count)) * rate).astype(np.intp)
    freq = np.exp(rng.uniform(math.log(500.0), math.log(2500.0), count))
    bubbles = blips(n, rate, at, freq, np.clip(0.006 * np.sqrt(800.0 / freq), 0.002, 0.012),
                    rng.uniform(0.3, 0.8, count), rng.lognormal(0.0, 0.5, count),
                    rng.uniform(-0.5, 0.5, count), 0.04)
    k = int(rng.integers(3, 7))
    drops = blips(n, rate, (rng.uniform(0.25, 0.85 * secs, k) * rate).astype(np.intp),
                  rng.uniform(1500.0, 3500.0, k), rng.uniform(0.004, 0.01, k),
                  rng.uniform(0.3, 0.6, k), rng.uniform(0.1, 0.3, k), rng.uniform(-0.5, 0.5, k),
                  0.04)
    x = spray + 0.5 * plunge + 0.4 * unit(bubbles) + 0.35 * drops / max(
        float(np.max(np.abs(drops))), 1e-9)
    return x * np.clip((secs - t) / 0.15, 0.0, 1.0)


# (ratio to the strike note, level, share of the bell's decay time): a bronze bell's
# partials are not harmonics; the hum an octave down outlives the rest.
_BELL_PARTIALS = ((0.5, 0.4, 1.0), (1.0, 1.0, 0.8), (1.19, 0.45, 0.55), (1.51, 0.35, 0.4),
                  (2.0, 0.5, 0.35), (2.51, 0.25, 0.22), (2.66, 0.2, 0.2), (3.01, 0.15, 0.15),
                  (4.17, 0.1, 0.1), (5.43, 0.06, 0.07))


def _bell(rate: int, key: str, variety: str = "temple") -> Signal:
    """A struck bell: doublets of inharmonic partials that beat slowly (the warble of a
    big bronze bell). "temple" is large and low, struck by a wooden beam; "ferry" is small
    and bright, struck by a metal clapper."""
    if variety not in ("temple", "ferry"):
        raise ValueError(f"unknown bell {variety!r}; known: ferry, temple")
    rng, temple = sub_rng(key, "bell", variety), variety == "temple"
    f0 = float(rng.uniform(140.0, 200.0) if temple else rng.uniform(650.0, 900.0))
    t60 = 9.0 if temple else 3.5
    t = np.arange(n := int((t60 + ONSET) * rate)) / rate
    u = np.maximum(t - ONSET, 0.0)
    on = np.clip(u / 0.001, 0.0, 1.0) * (t >= ONSET)
    x = np.zeros((2, n))
    for ratio, level, life in _BELL_PARTIALS:
        f = ratio * f0
        if f * 1.01 > 0.45 * rate:
            continue
        beat = float(rng.uniform(0.3, 2.0))
        die = np.exp(-6.91 * u / (t60 * life))
        left, right = pan_gains(np.asarray(rng.uniform(-0.3, 0.3)))
        pair = level * die * on * 0.5 * (np.sin(2.0 * math.pi * (f - beat / 2) * u)
                                         + np.sin(2.0 * math.pi * (f + beat / 2) * u))
        x += np.stack([float(left) * pair, float(right) * pair])
    strike = (_band(rng, n, rate, 600.0, "lowpass") * _decay(t, ONSET, 0.02) if temple else
              _band(rng, n, rate, (2000.0, 8000.0), "bandpass") * _decay(t, ONSET, 0.002))
    x += 0.3 * strike
    tail: Signal = 0.5 - 0.5 * np.cos(np.pi * np.clip((t[-1] - t) / (0.25 * t60), 0.0, 1.0))
    return x * tail


# ---------------------------------------------------------------- events that beds scatter


def bird_call(rng: Rng, rate: int) -> Signal:
    """One call of a made-up bird: whistled sweeps, a trill, a warble or a few chips. Each
    note is (seconds, start Hz, end Hz, vibrato Hz, vibrato depth Hz)."""
    u = rng.uniform
    style = int(rng.integers(4))
    if style == 0:  # one to three slow whistled sweeps
        notes = [(u(0.12, 0.3), u(2000, 4500), u(2000, 4500), 0.0, 0.0)
                 for _ in range(int(rng.integers(1, 4)))]
    elif style == 1:  # a trill: the same quick downward flick, six to fifteen times
        notes = [(u(0.025, 0.045), u(4200, 5500), u(2800, 3600), 0.0, 0.0)] * int(
            rng.integers(6, 16))
    elif style == 2:  # a warble: one long note with fast vibrato
        f = u(2800, 4000)
        notes = [(u(0.4, 0.9), f, f * u(0.85, 1.15), u(15, 30), u(300, 800))]
    else:  # a few short chips
        notes = [(0.018, f, 0.8 * f, 0.0, 0.0) for f in u(4000, 6000, int(rng.integers(2, 6)))]
    gap, parts = np.zeros(int(u(0.02, 0.15) * rate)), []
    for secs, f0, f1, fm_hz, depth in notes:
        t = np.arange(max(2, int(secs * rate))) / rate
        glide = f0 + (f1 - f0) * (0.5 - 0.5 * np.cos(np.pi * t / secs))
        inst = np.minimum(glide + depth * np.sin(2.0 * math.pi * fm_hz * t), 0.42 * rate)
        phase = 2.0 * math.pi * np.cumsum(inst) / rate
        tone = np.sin(phase) + 0.15 * np.sin(2.0 * phase) * (2.0 * max(f0, f1) < 0.45 * rate)
        parts += [tone * np.sin(np.pi * t / t[-1]) ** 2, gap]
    return np.concatenate(parts)


def cricket_song(n: int, rate: int, rng: Rng) -> Signal:
    """One cricket: chirps of 2-5 pulses of a 3.8-5.2 kHz tone, sung in bouts with pauses."""
    freq = min(float(rng.uniform(3800.0, 5200.0)), 0.4 * rate)
    pulses, pulse_hz = int(rng.integers(2, 6)), float(rng.uniform(25.0, 40.0))
    period = float(rng.uniform(0.45, 1.1))
    t = np.arange(int(pulses / pulse_hz * rate)) / rate
    ph = (t * pulse_hz) % 1.0  # each pulse sounds for 60 % of its cycle
    template = np.where(ph < 0.6, np.sin(np.pi * np.minimum(ph / 0.6, 1.0)) ** 2, 0.0) * np.sin(
        2.0 * math.pi * freq * t)
    starts: list[float] = []
    now, seconds = -float(rng.uniform(0.0, period)), n / rate
    while now < seconds:
        bout_end = now + float(rng.uniform(8.0, 25.0))
        while now < min(bout_end, seconds):
            starts.append(now)
            now += period * (1.0 + 0.03 * float(rng.standard_normal()))
        now += float(rng.uniform(1.0, 6.0))  # a pause between bouts
    at = np.maximum(0, np.round(np.asarray(starts) * rate)).astype(np.intp)
    amps = rng.uniform(0.85, 1.15, at.size) * rng.uniform(0.3, 1.0)
    return scatter(n, at, amps[:, None] * template[None, :])


def car_pass(rate: int, rng: Rng) -> Signal:
    """A far car going by, (2, m) with the moment it passes in the middle: band noise that
    swells and fades over a few seconds while it crosses the field, a little brighter coming
    than going (a hint of Doppler)."""
    w = float(rng.uniform(0.7, 1.6))
    u = np.arange(-int(4 * w * rate), int(4 * w * rate)) / (rate * w)
    scale = float(rng.uniform(0.7, 1.3))
    noise = rng.standard_normal(u.size)
    bright = filt(sos(2, (500.0 * scale, 2600.0 * scale), rate, "bandpass"), noise)
    dark = filt(sos(2, (350.0 * scale, 1600.0 * scale), rate, "bandpass"), noise)
    past = 0.5 + 0.5 * np.tanh(1.5 * u)
    sig = (bright * (1.0 - past) + dark * past) * float(rng.uniform(0.3, 1.0)) / (1 + u * u) ** 1.5
    left, right = pan_gains(float(rng.choice((-0.7, 0.7))) * np.tanh(u))
    return np.stack([left * sig, right * sig])


_MAKERS: dict[str, Callable[..., Signal]] = {
    "thunder": _thunder, "footstep": _one_step, "door": _door, "splash": _splash,
    "bell": _bell,
}


def render_spot(kind: str, rate: int, key: str, **params: object) -> Audio:
    """The spot effect ``kind`` at :data:`~.effects.SPOT_LUFS`; see :func:`.effects.spot`."""
    if kind not in SPOTS:
        raise ValueError(f"unknown spot effect {kind!r}; known: {', '.join(sorted(SPOTS))}")
    return _finish(_MAKERS[kind](rate, f"{key}/spot/{kind}", **params), rate)


def render_footsteps(steps: float, pace: float, surface: str, rate: int, key: str) -> Audio:
    """A walk of footsteps at :data:`~.effects.SPOT_LUFS`; see :func:`.effects.footsteps`."""
    surface = _check_surface(surface)
    if not pace > 0:
        raise ValueError(f"pace must be positive seconds, got {pace!r}")
    step, lead = int(STEP_SECONDS * rate), 0.01
    if isinstance(steps, int | np.integer) and not isinstance(steps, bool):
        count = max(0, int(steps))
        n = int(((count - 1) * pace + lead) * rate) + step if count else 0
    else:  # every step that lands at least 0.15 s before the end; the last may be cut short
        n = num_samples(float(steps), rate)
        count = max(0, int((n / rate - lead - 0.15) // pace) + 1) if n / rate > lead + 0.15 else 0
    rng, x, latest = sub_rng(key, "walk", surface), np.zeros((2, n)), n / rate - 0.15
    drift = float(rng.uniform(-0.3, 0.3))  # the walker drifts a little across the picture
    for k in range(count):
        # Steps wander a few per cent off the beat, and one foot lands a touch later.
        late = float(np.clip(rng.normal(0.0, 0.025), -0.08, 0.08)) + (0.015 if k % 2 else 0.0)
        at = int(min(max(0.0, lead + (k + late) * pace), latest) * rate)
        foot = _footstep(rate, sub_rng(key, "step", k), surface)
        gain = 10.0 ** (float(rng.normal(0.0, 1.5)) / 20.0)
        pan = drift * (k / max(1, count - 1) - 0.5) + (0.08 if k % 2 else -0.08)
        x[:, at:at + step] += gain * _spread(foot, pan, 0.3, rng, rate)[:, : n - at]
    return _finish(x, rate)
