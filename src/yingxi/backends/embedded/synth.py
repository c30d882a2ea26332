"""A small numpy/scipy synthesizer: plucked strings, bamboo flutes, a pad, soft percussion.

:func:`render` plays a :class:`~yingxi.backends.embedded.score.CuePlan` into a stereo buffer.
Instruments are rendered at half the output rate when the output rate is high (they are soft
and carry little above 10 kHz, while every cost here grows with the rate), then the mix is
resampled once. Nothing here keeps state between calls.

The long buffers (the buses, the pad, the reverb, the resampled mix) are worked in place or a
block at a time (:data:`~yingxi.backends.embedded.effects_dsp.BLOCK`), with every sample
computed exactly as one whole-buffer call would: the same operands in the same order, filter
state carried across blocks. So a cue needs about three full-length float64 rows at the
output rate, not a dozen.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from types import MappingProxyType

import numpy as np
import numpy.typing as npt
from scipy import signal

from yingxi.backends.embedded.effects_dsp import BLOCK, filt_into
from yingxi.backends.embedded.score import CuePlan, NoteEvent

Audio = npt.NDArray[np.float64]
Rng = np.random.Generator
TABLE_SIZE = 4096
LEAD_PAN = 0.12
# Input samples on either side of a block resampled on its own. resample_poly's filter reaches
# 10 input samples either way (half_len = 10 * up output samples), and upfirdn sums each
# output over the same taps in the same order wherever the block starts, so every sample kept
# from a block is exact.
RESAMPLE_MARGIN = 256


def midi_hz(midi: float) -> float:
    """Equal-tempered frequency of a MIDI note (A4 = 69 = 440 Hz)."""
    return 440.0 * math.pow(2.0, (midi - 69.0) / 12.0)


def envelope(n: int, attack: int, release: int) -> Audio:
    """Raised-cosine attack and release over ``n`` samples; exactly 0 at both ends."""
    env = np.ones(n)
    attack = min(attack, n // 2)
    release = min(release, n - attack)
    if attack > 0:
        env[:attack] = 0.5 - 0.5 * np.cos(np.pi * np.arange(attack) / attack)
    if release > 0:
        env[n - release:] = 0.5 + 0.5 * np.cos(np.pi * np.arange(1, release + 1) / release)
    return env


def pan_gains(pan: float) -> tuple[float, float]:
    """Constant-power left/right gains for ``pan`` in [-1, 1]."""
    angle = (pan + 1.0) * math.pi / 4.0
    return math.cos(angle), math.sin(angle)


def _sos(order: int, cutoff: float | tuple[float, float], rate: int, kind: str) -> Audio:
    nyquist = rate / 2.0
    if isinstance(cutoff, tuple):
        wn: float | tuple[float, float] = (cutoff[0] / nyquist, min(0.95, cutoff[1] / nyquist))
    else:
        wn = min(0.95, cutoff / nyquist)
    return np.asarray(signal.butter(order, wn, btype=kind, output="sos"), dtype=np.float64)


def _filter(sos: Audio, x: Audio, axis: int = -1) -> Audio:
    return np.asarray(signal.sosfilt(sos, x, axis=axis), dtype=np.float64)


@dataclass(frozen=True)
class PluckPreset:
    """A Karplus-Strong string."""

    t60: float  # seconds to die away by 60 dB at 220 Hz; higher strings ring shorter
    harmonics: float  # excitation cut-off, in multiples of the note's frequency
    position: float  # where along the string it is plucked (0..0.5): sets the hollow harmonics
    damping: float  # loop low-pass strength, 0.25 being the classic averaging filter at 48 kHz
    max_seconds: float
    pan: float
    send: float


@dataclass(frozen=True)
class WindPreset:
    """A blown pipe: a few harmonics, breath noise, delayed vibrato, soft attack."""

    harmonics: tuple[float, ...]
    breath: float
    vibrato_cents: float
    vibrato_hz: float
    attack: float
    pan: float
    send: float


@dataclass(frozen=True)
class HitPreset:
    """A muted drum (``block=False``) or a wooden block."""

    block: bool
    freq: float
    decay: float
    gain: float
    pan: float
    send: float


PLUCKS: MappingProxyType[str, PluckPreset] = MappingProxyType({
    "guzheng": PluckPreset(3.4, 9.0, 0.17, 0.16, 3.0, -0.3, 0.8),
    "pipa": PluckPreset(1.3, 13.0, 0.11, 0.2, 1.6, -0.2, 0.6),
    "harp": PluckPreset(2.8, 6.0, 0.4, 0.22, 2.6, -0.3, 0.8),
})
WINDS: MappingProxyType[str, WindPreset] = MappingProxyType({
    "dizi": WindPreset((1.0, 0.42, 0.22, 0.12, 0.06), 0.10, 22.0, 5.6, 0.05, 0.15, 1.0),
    "xiao": WindPreset((1.0, 0.18, 0.06), 0.16, 14.0, 4.8, 0.09, 0.15, 1.0),
    "flute": WindPreset((1.0, 0.3, 0.1, 0.04), 0.07, 18.0, 5.2, 0.07, 0.15, 1.0),
})
HITS: MappingProxyType[str, HitPreset] = MappingProxyType({
    "tanggu": HitPreset(False, 82.0, 0.26, 0.63, 0.05, 0.5),
    "frame drum": HitPreset(False, 96.0, 0.2, 0.6, 0.05, 0.5),
    "muyu": HitPreset(True, 540.0, 0.05, 0.35, 0.4, 0.8),
    "wood block": HitPreset(True, 880.0, 0.04, 0.3, 0.4, 0.8),
})


def pluck(freq: float, rate: int, preset: PluckPreset, brightness: float, rng: Rng) -> Audio:
    """One plucked note, peak 1, decaying to silence: Karplus-Strong in one ``lfilter`` call.

    The loop is a delay line, a one-zero low-pass ``(1-s) + s z^-1`` and a first-order
    all-pass that supplies the fractional delay, so high notes stay in tune; all of it is one
    rational transfer function, which lets scipy run the recursion in C.
    """
    # Equal per-second damping at any rate: s(1-s) scales with the square of the rate.
    q = min(0.25, preset.damping * (rate / 48000.0) ** 2)
    s = (1.0 - math.sqrt(1.0 - 4.0 * q)) / 2.0
    period = rate / freq
    delay = max(2, int(period - s - 0.1))
    frac = period - s - delay
    c = (1.0 - frac) / (1.0 + frac)
    t60 = preset.t60 * (220.0 / freq) ** 0.35
    g = 10.0 ** (-3.0 / (freq * t60))
    n = max(delay * 4, int(min(preset.max_seconds, 0.9 * t60) * rate))

    burst = rng.uniform(-1.0, 1.0, delay + 1)
    cutoff = min(0.4 * rate, 4500.0, brightness * preset.harmonics * freq)
    burst = _filter(_sos(3, cutoff, rate, "lowpass"), burst)
    hollow = max(1, round(preset.position * delay))
    burst = burst - np.concatenate([np.zeros(hollow), burst[:-hollow]])
    burst -= burst.mean()
    x = np.zeros(n)
    x[: burst.size] = burst

    a = np.zeros(delay + 3)
    a[0], a[1] = 1.0, c
    a[delay] -= g * (1.0 - s) * c
    a[delay + 1] -= g * ((1.0 - s) + s * c)
    a[delay + 2] -= g * s
    y = np.asarray(signal.lfilter([1.0, c], a, x), dtype=np.float64)
    y *= envelope(n, int(0.0015 * rate), int(0.04 * rate))
    peak = float(np.max(np.abs(y)))
    return y / peak if peak > 0 else y


def breath_filter(freq: float, rate: int) -> Audio:
    """Band-pass for the breath noise of a wind note at ``freq``."""
    return _sos(1, (0.9 * freq, min(6.0 * freq, 0.45 * rate)), rate, "bandpass")


def wind(freq: float, rate: int, n: int, preset: WindPreset, rng: Rng,
         bend: tuple[float, float, float] | None = None, breath: Audio | None = None) -> Audio:
    """One blown note of ``n`` samples (release included), roughly peak 1.

    ``bend`` = (start frequency, hold seconds, glide seconds) sounds a grace note or a scoop
    inside the same breath, as dizi and xiao players do, instead of a second attack.
    ``breath`` is :func:`breath_filter` for this note, passed in so callers can reuse it.
    """
    t = np.arange(n) / rate
    phase0 = rng.uniform(0.0, 2.0 * math.pi)
    wobble = np.sin(2.0 * math.pi * preset.vibrato_hz * t + phase0)
    cents = preset.vibrato_cents * np.clip((t - 0.25) / 0.35, 0.0, 1.0) * wobble
    if bend is not None:
        start, hold, glide = bend
        w = np.clip((t - hold) / glide, 0.0, 1.0)
        cents += 1200.0 * math.log2(start / freq) * (1.0 - w * w * (3.0 - 2.0 * w))
    phase = (2.0 * math.pi / rate) * np.cumsum(freq * 2.0 ** (cents / 1200.0))
    tone = np.zeros(n)
    total = 0.0
    for h, amp in enumerate(preset.harmonics, start=1):
        if h * freq < 0.45 * rate:
            tone += amp * np.sin(h * phase)
            total += amp
    tone /= max(total, 1e-9)
    sos = breath if breath is not None else breath_filter(freq, rate)
    noise = _filter(sos, rng.standard_normal(n))
    noise *= preset.breath / max(float(np.std(noise)), 1e-9)
    noise *= 1.0 + 2.5 * np.exp(-t / 0.04)  # the chiff of the first puff
    env = envelope(n, int(preset.attack * rate), int(0.09 * rate))
    return env * (1.0 + 0.04 * wobble) * (tone + noise)


def saw_table(harmonics: int) -> Audio:
    """One cycle of a soft band-limited sawtooth (harmonics fall faster than 1/h)."""
    x = np.arange(TABLE_SIZE) / TABLE_SIZE
    table = np.zeros(TABLE_SIZE)
    for h in range(1, harmonics + 1):
        table += np.sin(2.0 * math.pi * h * x) / h**1.3
    return table / float(np.max(np.abs(table)))


def hit(rate: int, preset: HitPreset, freq: float, rng: Rng) -> Audio:
    """One percussion stroke at ``freq``, peak 1: a pitch-dropping drum or a wood block.

    The block's modes sit a fifth and an octave above its note, like a tuned temple block,
    so it stays inside the cue's mode instead of clanging across it.
    """
    n = int((preset.decay * 6.0 + 0.03) * rate)
    t = np.arange(n) / rate
    if preset.block:
        y = np.zeros(n)
        for ratio, amp, life in ((1.0, 1.0, 1.0), (1.5, 0.4, 0.7), (2.0, 0.2, 0.45)):
            f = freq * ratio * (1.0 + 0.002 * rng.standard_normal())
            if f < 0.45 * rate:
                y += amp * np.sin(2.0 * math.pi * f * t + rng.uniform(0, 0.3)) * np.exp(
                    -t / (preset.decay * life))
        attack = int(0.0007 * rate)
    else:
        sweep = freq * (1.0 + 0.4 * np.exp(-t / 0.02))
        y = np.sin(2.0 * math.pi * np.cumsum(sweep) / rate) * np.exp(-t / preset.decay)
        thump = _filter(_sos(2, 900.0, rate, "lowpass"), rng.standard_normal(n))
        y += 0.25 * thump / max(float(np.std(thump)), 1e-9) * np.exp(-t / 0.012)
        attack = int(0.0015 * rate)
    y *= envelope(n, attack, int(0.02 * rate))
    return np.asarray(y / float(np.max(np.abs(y))), dtype=np.float64)


def reverb_tails(rate: int, seconds: float, rng: Rng) -> Audio:
    """Two decorrelated decaying-noise impulse responses (left, right), unit energy each."""
    m = int(seconds * rate)
    t = np.arange(m) / rate
    tails = rng.standard_normal((2, m)) * np.exp(-6.91 * t / seconds)
    tails = _filter(_sos(2, min(5000.0, 0.45 * rate), rate, "lowpass"), tails, axis=1)
    tails *= envelope(m, int(0.01 * rate), 0)
    tails = np.concatenate([np.zeros((2, int(0.02 * rate))), tails], axis=1)  # pre-delay
    energy = np.sqrt(np.sum(tails**2, axis=1, keepdims=True))
    return np.asarray(tails / energy, dtype=np.float64)


class _Buses:
    """The dry stereo mix and the mono reverb send of one render."""

    def __init__(self, n: int) -> None:
        self.dry = np.zeros((2, n))
        self.send = np.zeros(n)

    def add(self, sig: Audio, start: int, pan: float, send: float) -> None:
        n = self.send.size
        if start >= n or start + sig.size <= 0:
            return
        if start < 0:
            sig, start = sig[-start:], 0
        sig = sig[: n - start]
        left, right = pan_gains(pan)
        self.dry[0, start:start + sig.size] += left * sig
        self.dry[1, start:start + sig.size] += right * sig
        self.send[start:start + sig.size] += send * sig

    def take_send(self) -> Audio:
        """The send, handed over: the buses keep no reference, so the taker can free it."""
        send, self.send = self.send, np.zeros(0)
        return send


def _pluck_strikes(notes: list[NoteEvent], spb: float,
                   rng: Rng) -> list[tuple[float, str, int, float, float, float]]:
    """Expand plucked notes (grace notes, tremolo) into strokes, each damped at the next
    stroke on the same string: (time, instrument, midi, velocity, end, pan)."""
    strikes: list[tuple[float, str, int, float, float, float]] = []
    for note in notes:
        t0 = max(0.0, note.start * spb + (rng.normal(0.0, 0.004) if note.role != "lead" else 0))
        end = t0 + note.length * spb
        pan = LEAD_PAN if note.role == "lead" else PLUCKS[note.instrument].pan
        if note.grace is not None:
            strikes.append((max(0.0, t0 - 0.07), note.instrument, note.grace,
                            0.6 * note.velocity, t0, pan))
        if note.tremolo:
            step = 1.0 / 12.0
            count = max(1, int(0.7 * note.length * spb / step))
            for i in range(count):
                v = note.velocity * (1.0 if i == 0 else 0.7 + 0.1 * rng.random())
                strikes.append((t0 + i * step, note.instrument, note.midi, v,
                                end if i == count - 1 else t0 + (i + 1) * step, pan))
        else:
            strikes.append((t0, note.instrument, note.midi, note.velocity, end, pan))
    strikes.sort()
    # Lead and accompaniment are two players (told apart by where they sit), each with
    # their own strings: only a player's own next stroke on a string damps it.
    next_on: dict[tuple[str, int, float], float] = {}
    damped: list[tuple[float, str, int, float, float, float]] = []
    for t, inst, midi, v, end, pan in reversed(strikes):
        damped.append((t, inst, midi, v, min(end, next_on.get((inst, midi, pan), end)), pan))
        next_on[(inst, midi, pan)] = t
    damped.reverse()
    return damped


def render(plan: CuePlan, num_samples: int, rate: int, rng: Rng) -> Audio:
    """Play ``plan`` into a float64 array of shape (2, num_samples), before mastering."""
    up = 2 if rate >= 32000 and rate % 2 == 0 else 1
    inner = rate // up
    buses = _Buses(-(-num_samples // up) + 16)
    # One instrument family at a time, each in a function of its own, so what it kept (its
    # tone caches, its last note) is gone before the next full-length step.
    _play_plucks(buses, plan, inner, rng)
    _play_winds(buses, plan, inner, rng)
    _fold_pad(buses, _pad(plan, buses.send.size, inner, rng), plan.brightness, inner)
    _play_hits(buses, plan, inner, rng)
    mix = buses.dry
    add_reverb(mix, buses.take_send(), reverb_tails(inner, 1.2 + 2.5 * plan.reverb, rng),
               plan.reverb)
    del buses
    filt_into(_sos(2, 35.0, inner, "highpass"), mix, mix)
    return _upsampled(mix, up, num_samples)


def _play_plucks(buses: _Buses, plan: CuePlan, inner: int, rng: Rng) -> None:
    spb = plan.seconds_per_beat
    tones: dict[tuple[str, int, bool], Audio] = {}
    release = int(0.08 * inner)
    plucked = [nt for nt in plan.notes if nt.instrument in PLUCKS]
    for t, inst, midi, v, end, pan in _pluck_strikes(plucked, spb, rng):
        key = (inst, midi, v > 0.7)
        if key not in tones:
            bright = (0.7 + 0.6 * plan.brightness) * (1.15 if key[2] else 1.0)
            tones[key] = pluck(midi_hz(midi), inner, PLUCKS[inst], bright, rng)
        tone = tones[key]
        length = min(tone.size, int((end - t) * inner) + release)
        sig = tone[:length] * (0.6 * v**1.2)
        if length < tone.size:
            sig = sig * envelope(length, 0, release)
        buses.add(sig, round(t * inner), pan, PLUCKS[inst].send)


def _play_winds(buses: _Buses, plan: CuePlan, inner: int, rng: Rng) -> None:
    spb = plan.seconds_per_beat
    breaths: dict[int, Audio] = {}
    for note in plan.notes:
        if note.instrument not in WINDS:
            continue
        preset = WINDS[note.instrument]
        dur = max(0.12, note.length * spb * 0.94 - 0.03)  # a breath between tongued notes
        bend = None
        if note.grace is not None:
            bend = (midi_hz(note.grace), 0.06, 0.035)
        elif note.slide:
            bend = (midi_hz(note.midi - 2), 0.0, 0.09)
        if note.midi not in breaths:
            breaths[note.midi] = breath_filter(midi_hz(note.midi), inner)
        sig = wind(midi_hz(note.midi), inner, int((dur + 0.09) * inner), preset, rng, bend,
                   breaths[note.midi])
        buses.add(sig * (0.28 * note.velocity**1.2), round(note.start * spb * inner),
                  preset.pan, preset.send)


def _pad(plan: CuePlan, n: int, inner: int, rng: Rng) -> Audio:
    """The (2, n) pad, its detuned voices left and right, before filtering."""
    spb = plan.seconds_per_beat
    pad = np.zeros((2, n))
    tables: dict[int, Audio] = {}
    for chord in plan.chords:
        dur = chord.length * spb
        m = int((dur + 1.2) * inner)
        env = envelope(m, int(min(1.0, 0.4 * dur) * inner), int(1.4 * inner)) * chord.velocity
        start = round(chord.start * spb * inner)
        if start >= n:
            continue
        m = min(m, n - start)
        steps = np.arange(m)
        for midi in chord.midis:
            f = midi_hz(midi)
            harmonics = max(1, min(14, int(0.45 * inner / f)))
            if harmonics not in tables:
                tables[harmonics] = saw_table(harmonics)
            table = tables[harmonics]
            for cents, side in ((-7.0, 0), (7.0, 1)):
                inc = f * 2.0 ** (cents / 1200.0) / inner
                idx = ((rng.random() + inc * steps) * TABLE_SIZE).astype(np.intp) % TABLE_SIZE
                pad[side, start:start + m] += 0.07 * table[idx] * env[:m]
    return pad


def _play_hits(buses: _Buses, plan: CuePlan, inner: int, rng: Rng) -> None:
    spb = plan.seconds_per_beat
    strokes: dict[str, list[Audio]] = {}
    for h in plan.hits:
        drum = HITS[h.instrument]
        if h.instrument not in strokes:
            # Tune to the nearest tonic or fifth, so the drums belong to the key.
            fifth = plan.mode.semitones(plan.mode.half_cadence())
            tuned = min((plan.tonic + 12 * o + i for o in range(-5, 4) for i in (0, fifth)),
                        key=lambda m: abs(midi_hz(m) - drum.freq))
            strokes[h.instrument] = [hit(inner, drum, midi_hz(tuned), rng) for _ in range(3)]
        sig = strokes[h.instrument][int(rng.integers(3))] * (drum.gain * h.velocity)
        buses.add(sig, round(h.start * spb * inner), drum.pan, drum.send)


def _fold_pad(buses: _Buses, pad: Audio, brightness: float, rate: int) -> None:
    """Low-pass the (2, n) pad, give it its slow swell and fold it into the buses, in ``pad``
    itself and a block at a time."""
    filt_into(_sos(2, 700.0 + 1800.0 * brightness, rate, "lowpass"), pad, pad)
    n, speed = pad.shape[1], 2.0 * math.pi * 0.11
    for s in range(0, n, BLOCK):
        e = min(n, s + BLOCK)
        swell = np.sin(speed * np.arange(s, e) / rate)
        swell *= 0.12
        swell += 1.0
        left, right = pad[0, s:e], pad[1, s:e]
        left *= swell
        right *= swell
        # Detuned voices sit left and right; fold a little back so the pad is wide, not split.
        fold = 0.8 * left
        fold += 0.2 * right
        buses.dry[0, s:e] += fold
        np.multiply(0.2, left, out=fold)
        fold += 0.8 * right
        buses.dry[1, s:e] += fold
        np.add(left, right, out=fold)
        fold *= 0.3
        buses.send[s:e] += fold


def add_reverb(dry: Audio, send: Audio, tails: Audio, amount: float) -> Audio:
    """``dry + amount * fftconvolve(send[None, :], tails, axes=1)[:, :n]``, into (2, n)
    ``dry`` itself, which is returned.

    The calls ``fftconvolve`` makes (the same FFT length, ``rfftn`` of each input, their
    product, ``irfftn``), one channel at a time, so the same samples without the (2, n) wet
    copy and its spectra. ``send`` is let go once transformed: a caller that passes its only
    reference frees it early.
    """
    n, m = dry.shape[1], tails.shape[1]
    if n < 2 or m < 2:  # fftconvolve multiplies along a length-1 axis instead
        dry += amount * np.asarray(signal.fftconvolve(send[None, :], tails, axes=1)[:, :n],
                                   dtype=np.float64)
        return dry
    from scipy import fft

    size = fft.next_fast_len(n + m - 1, True)
    spectrum = fft.rfftn(send[None, :], [size], axes=[1])
    del send
    for c in range(2):
        product = fft.rfftn(tails[c:c + 1], [size], axes=[1])
        np.multiply(spectrum, product, out=product)
        wet = fft.irfftn(product, [size], axes=[1])[0, :n]
        del product
        wet *= amount
        dry[c] += wet
        del wet
    return dry


def _upsampled(mix: Audio, up: int, num_samples: int) -> Audio:
    """The first ``num_samples`` of ``resample_poly(mix, up, 1, axis=1)`` (zero-padded if it
    is shorter), resampled a block at a time straight into the result."""
    out = np.zeros((2, num_samples))
    n = mix.shape[1]
    if up == 1:
        keep = min(num_samples, n)
        out[:, :keep] = mix[:, :keep]
        return out
    for s in range(0, n, BLOCK):
        e = min(n, s + BLOCK)
        a, b = up * s, min(num_samples, up * e)
        if a >= b:
            break
        lo, hi = max(0, s - RESAMPLE_MARGIN), min(n, e + RESAMPLE_MARGIN)
        part = signal.resample_poly(mix[:, lo:hi], up, 1, axis=1)
        out[:, a:b] = part[:, a - up * lo:b - up * lo]
    return out
