"""The mix, streamed in blocks: peak memory does not grow with the episode's length.

The mix (dialogue first, music ducked under speech, effects beneath, one loudness, true
peaks limited), computed a block of a few seconds at a time. Clips are read from their WAV
files only where they overlap the block at hand. Every per-sample quantity is computed on
the block widened by the reach of the filters that make it (the duck's look-ahead and
release, the limiter's look-ahead and release, the oversampling filter), with integer counts
or fixed-order sums, so the output is the same sample for sample whatever the block size.
Loudness (BS.1770, as pyloudnorm measures it) is accumulated over 100 ms segments with the
K-weighting filter's state carried from block to block; the gating then runs on the segment
energies, a small array.

Two things differ from the old whole-array mix, both for speed: the limiter's gain is computed on
a 1 ms control signal from the true peaks of the unlimited mix (found once, in the first
pass, and scaled for each later one), and the loudness passes take secant steps. Each pass
is one run over the blocks; the mix it makes goes straight to a WAV file, kept if the pass
lands on the target. What the stream holds at once is a few blocks, plus one number per
100 ms and per millisecond of the episode.
"""

from __future__ import annotations

import math
import wave
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from yingxi.media.audio import Audio, WavWriter, as_channels, db_to_gain
from yingxi.media.mixer import (
    AAC_HEADROOM_DB,
    DUCK_ATTACK,
    DUCK_RELEASE,
    JOIN_FADE,
    faded,
)
from yingxi.schema.production import AudioConfig

SEGMENT = 4800            # samples in 100 ms at 48 kHz: the loudness gating step
CHUNK = 48                # samples per step of the limiter's control signal (1 ms)
LIMIT_LOOKAHEAD = 5       # control steps the limiter holds its gain down around a peak
LIMIT_RELEASE = 80        # control steps of the limiter's release smoothing
OVERSAMPLE = 4            # true-peak oversampling (BS.1770 Annex 2)
OS_REACH = CHUNK          # samples the oversampling filter reaches either way (>= 10)
_LOUDNESS_PASSES = 4
_MIN_SLOPE = 0.25          # a secant step is at most 4 times the shortfall
_GATE_ABS = -70.0
# float32 rounding of the gain leaves a peak a few millionths of a dB over: not worth a pass
_PEAK_TOLERANCE = db_to_gain(0.002)


@dataclass(frozen=True)
class Clip:
    """A WAV file placed on a track: ``frames`` of it start at sample ``at``."""

    path: Path
    at: int
    frames: int
    channels: int


def open_clip(path: Path, at: int, rate: int) -> Clip:
    """A clip for the WAV at ``path`` placed at sample ``at``; its rate must be ``rate``."""
    with wave.open(str(path), "rb") as wav:
        if wav.getsampwidth() != 2:
            raise ValueError("is not 16-bit PCM WAV")
        if wav.getframerate() != rate:
            raise ValueError(f"is at {wav.getframerate()} Hz, the mix needs {rate} Hz")
        return Clip(path=path, at=at, frames=wav.getnframes(), channels=wav.getnchannels())


def render_track(clips: list[Clip], lo: int, hi: int, n: int, rate: int) -> Audio:
    """Samples ``[lo, hi)`` of a stereo track of length ``n`` the clips are laid on, each
    clip with short raised-cosine fades at its (placed) ends, so no join clicks."""
    out = np.zeros((2, hi - lo), dtype=np.float32)
    fade = round(JOIN_FADE * rate)
    for clip in clips:
        length = min(n, clip.at + clip.frames) - clip.at  # what runs past the end is cut
        a, b = max(lo, clip.at), min(hi, clip.at + length)
        if length <= 0 or b <= a:
            continue
        with wave.open(str(clip.path), "rb") as wav:
            wav.setpos(a - clip.at)
            pcm = np.frombuffer(wav.readframes(b - a), dtype="<i2")
        x = pcm.reshape(-1, clip.channels).T.astype(np.float32) / 32768.0
        gain = _fade_slice(length, fade, a - clip.at, b - a)
        out[:, a - lo:b - lo] += as_channels(x, 2) * gain
    return out


def _fade_slice(length: int, fade: int, offset: int, count: int) -> npt.NDArray[np.float32]:
    """``faded(length, fade)[offset:offset + count]`` without building the whole curve."""
    fade = min(fade, length // 2)
    gain = np.ones(count, dtype=np.float32)
    if fade > 0:
        ramp = faded(2 * fade, fade)[:fade]
        idx = np.arange(offset, offset + count)
        head = idx < fade
        gain[head] = ramp[idx[head]]
        tail = idx >= length - fade
        gain[tail] = ramp[length - 1 - idx[tail]]
    return gain


def _window_sum(values: npt.NDArray[np.int64], lo: int, before: int, after: int,
                a: int, b: int, n: int) -> npt.NDArray[np.int64]:
    """For each i in ``[a, b)``: the sum of ``values`` over ``[i - before, i + after]``, the
    positions clamped into ``[0, n)`` ('nearest' edges). ``values`` covers ``[lo, ...)`` and
    must reach every clamped position; integer sums, so exact whatever the window."""
    first, last = a - before, b + after  # the positions needed, before clamping
    left = max(0, -first)
    right = max(0, last - n)
    seg = values[max(first, 0) - lo:min(last, n) - lo]
    padded = np.concatenate([np.full(left, seg[0]), seg, np.full(right, seg[-1])])
    csum = np.concatenate([[0], np.cumsum(padded)])
    size = before + after + 1
    return np.asarray(csum[size:] - csum[:-size], dtype=np.int64)


def speaking(dialogue: Audio, lo: int, a: int, b: int, n: int, rate: int
             ) -> npt.NDArray[np.float32]:
    """The side chain of :func:`yingxi.media.audio.envelope` for samples ``[a, b)``, from the
    dialogue over ``[lo, ...)`` (it must reach ``envelope_reach(rate)`` past both ends, or
    the track's ends): activity held over the look-ahead, then smoothed over the release."""
    attack, release = max(1, int(DUCK_ATTACK * rate)), max(1, int(DUCK_RELEASE * rate))
    level = (np.abs(dialogue).max(axis=0) > 1e-3).astype(np.int64)
    hi = lo + level.size
    # the look-ahead hold (a maximum filter, clipped at the track's ends), on [pa, pb)
    pa, pb = max(0, a - release // 2), min(n, b + release - release // 2 - 1)
    held = _window_sum(level, lo, attack // 2, attack - attack // 2 - 1, pa, pb, hi)
    up = (held > 0).astype(np.int64)
    count = _window_sum(up, pa, release // 2, release - release // 2 - 1, a, b, n)
    return np.asarray(np.clip(count / release, 0.0, 1.0), dtype=np.float32)


def envelope_reach(rate: int) -> int:
    """How far beyond a block the dialogue must be read for its side chain."""
    return int(DUCK_ATTACK * rate) // 2 + int(DUCK_RELEASE * rate) // 2 + 2


class LoudnessMeter:
    """Integrated loudness (ITU-R BS.1770-4, as pyloudnorm measures it) fed block by block;
    every block but the last must be a whole number of 100 ms segments."""

    def __init__(self, rate: int, channels: int = 2) -> None:
        """A meter for ``channels`` channels at ``rate`` (48 kHz: segments of 4800)."""
        import pyloudnorm

        meter = pyloudnorm.Meter(rate)
        sections = []
        for stage in meter._filters.values():
            b, a = stage.b, stage.a
            sections.append(np.concatenate([np.asarray(b) * stage.passband_gain / a[0],
                                            np.asarray(a) / a[0]]))
        self.sos = np.stack(sections)
        self.zi = np.zeros((self.sos.shape[0], channels, 2))
        self.rate, self.segment = rate, round(0.1 * rate)
        self.energies: list[npt.NDArray[np.float64]] = []
        self.samples = 0
        self.nonzero = False

    def add(self, x: Audio) -> None:
        """Feed the next ``(channels, k)`` samples."""
        from scipy import signal  # slow to import: only when used
        if self.samples % self.segment:
            raise ValueError("only the last block may end inside a segment")
        self.nonzero = self.nonzero or bool(np.any(x))
        y, self.zi = signal.sosfilt(self.sos, x.astype(np.float64), axis=-1, zi=self.zi)
        k = y.shape[1]
        whole = k // self.segment * self.segment
        sq = np.square(y)
        parts = [sq[:, :whole].reshape(sq.shape[0], -1, self.segment).sum(axis=-1)]
        if whole < k:
            parts.append(sq[:, whole:].sum(axis=-1, keepdims=True))
        self.energies.append(np.concatenate(parts, axis=1))
        self.samples += k

    def result(self) -> float:
        """LUFS of all that was fed; -inf for silence or under 400 ms."""
        if self.samples < 4 * self.segment or not self.nonzero:
            return -math.inf
        seg = np.concatenate(self.energies, axis=1)
        duration = self.samples / self.rate
        blocks = int(np.round((duration - 0.4) / 0.1)) + 1
        padded = np.pad(seg, ((0, 0), (0, blocks + 3 - seg.shape[1]))) \
            if seg.shape[1] < blocks + 3 else seg
        z = np.zeros((padded.shape[0], blocks))
        for j in range(4):  # a gating block is four 100 ms segments
            z += padded[:, j:j + blocks]
        z /= 4 * self.segment
        levels = -0.691 + 10.0 * np.log10(np.maximum(z.sum(axis=0), 1e-300))
        gated = levels >= _GATE_ABS
        if not gated.any():
            return -math.inf
        relative = -0.691 + 10.0 * np.log10(z[:, gated].mean(axis=1).sum()) - 10.0
        gated = (levels > relative) & (levels > _GATE_ABS)
        if not gated.any():
            return -math.inf
        return float(-0.691 + 10.0 * np.log10(z[:, gated].mean(axis=1).sum()))


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
    kernel = np.hanning(2 * h + 3)[1:-1]
    kernel /= kernel.sum()
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


DEFAULT_BLOCK = 50 * SEGMENT  # 5 s at 48 kHz


@dataclass(frozen=True)
class Tracks:
    """The clips of the three tracks of an episode ``samples`` long at ``rate``."""

    dialogue: list[Clip]
    music: list[Clip]
    effects: list[Clip]
    samples: int
    rate: int


@dataclass(frozen=True)
class Settled:
    """What the loudness passes settled on: the gain before the limiter (if limited) and the
    stems' gain."""

    scale: float
    limited: bool
    loudness: float


class StreamMixer:
    """Balance, duck, normalise and limit three tracks, block by block (see the module)."""

    def __init__(self, tracks: Tracks, config: AudioConfig, music_loudness: float,
                 effects_loudness: float, block: int = DEFAULT_BLOCK) -> None:
        """``music_loudness`` and ``effects_loudness``: the nominal levels (LUFS) the cues
        and the beds were made at; ``block``: samples per block, whole 100 ms segments."""
        if block <= 0 or block % SEGMENT:
            raise ValueError(f"the block must be a positive multiple of {SEGMENT} samples")
        self.tracks, self.config, self.block = tracks, config, block
        self.n, self.rate = tracks.samples, tracks.rate
        meter = LoudnessMeter(self.rate)
        for a, b in self._blocks():
            meter.add(render_track(tracks.dialogue, a, b, self.n, self.rate))
        speech_level = meter.result()
        if not math.isfinite(speech_level):  # no dialogue: set the bed against the target
            speech_level = config.loudness_lufs
        self.music_gain = np.float32(db_to_gain(speech_level + config.music_db
                                                - music_loudness))
        self.effects_gain = np.float32(db_to_gain(speech_level + config.effects_db
                                                  - effects_loudness))
        self.ceiling_db = config.true_peak_db - AAC_HEADROOM_DB
        self.peaks: npt.NDArray[np.float64] = np.zeros(0)  # per control step, for the limiter

    def _blocks(self) -> Iterator[tuple[int, int]]:
        for a in range(0, self.n, self.block):
            yield a, min(self.n, a + self.block)

    def stems_range(self, lo: int, hi: int) -> tuple[Audio, Audio, Audio]:
        """Dialogue, ducked music and effects over ``[lo, hi)``, at their mixing gains."""
        tracks, n, rate = self.tracks, self.n, self.rate
        reach = envelope_reach(rate)
        d_lo, d_hi = max(0, lo - reach), min(n, hi + reach)
        dialogue = render_track(tracks.dialogue, d_lo, d_hi, n, rate)
        side = speaking(dialogue, d_lo, lo, hi, n, rate)
        duck = np.power(10.0, self.config.duck_db * side / 20.0).astype(np.float32)
        music = render_track(tracks.music, lo, hi, n, rate) * duck * self.music_gain
        effects = render_track(tracks.effects, lo, hi, n, rate) * self.effects_gain
        return dialogue[:, lo - d_lo:hi - d_lo], music, effects

    def _pass(self, scale: np.float32, limited: bool, post: np.float32,
              out: Path) -> tuple[float, float]:
        """Write the mix at ``scale`` (limited or not, then times ``post``) to ``out``;
        its loudness and (when limited) its true peak, linear, before ``post``. The first
        pass (unlimited) also finds the true peak of every control step for the limiter."""
        meter, peak = LoudnessMeter(self.rate), 0.0
        peaks: list[npt.NDArray[np.float64]] = []
        with WavWriter(out, 2, self.rate) as wav:
            for a, b in self._blocks():
                lo, hi = max(0, a - OS_REACH), min(self.n, b + OS_REACH)
                dialogue, music, effects = self.stems_range(lo, hi)
                total = dialogue + music + effects
                if limited:
                    y, block_peak = limit_block(total * scale, lo, a, b, self.peaks,
                                                float(scale), self.ceiling_db)
                    peak = max(peak, block_peak)
                else:
                    if self.peaks.size == 0:
                        peaks.append(step_peaks(total, lo, a, b))
                    y = (total * scale)[:, a - lo:b - lo]
                if post != 1:
                    y = y * post
                meter.add(y)
                wav.write(y)
        if peaks:
            self.peaks = np.concatenate(peaks)
        return meter.result(), peak

    def _candidate(self, scale: np.float32, limited: bool, out: Path) -> float:
        """One mix written to ``out`` and its loudness; a limited one whose true peak the
        limiter's smoothing let over the ceiling is brought down by a final gain."""
        current, peak = self._pass(scale, limited, np.float32(1.0), out)
        ceiling = db_to_gain(self.ceiling_db)
        if limited and peak > ceiling * _PEAK_TOLERANCE:
            current, _ = self._pass(scale, limited, np.float32(ceiling / peak), out)
        return current

    def run(self, mix: Path, stems: dict[str, Path]) -> Settled:
        """Write the mix to ``mix`` and the stems (``dialogue``, ``music``, ``effects``,
        each at the gain it was mixed at, clipped to [-1, 1]) to ``stems``."""
        target = self.config.loudness_lufs
        scale, limited = np.float32(1.0), False
        current = self._candidate(scale, limited, mix)
        # the limiter takes some loudness with the peaks it catches: measure again and make
        # it up, a few times, so the delivery lands on the target and not a decibel under.
        # Each pass is a full pass over the episode, so the step is scaled by how much the
        # last one gained (a secant step), which lands in two or three passes, not four
        tried = [(0.0, current)]  # (gain in dB, loudness)
        for _ in range(_LOUDNESS_PASSES):
            if not math.isfinite(current) or abs(current - target) < 0.1:
                break
            step = target - current
            if len(tried) >= 2 and tried[-1][0] != tried[-2][0]:
                slope = (tried[-1][1] - tried[-2][1]) / (tried[-1][0] - tried[-2][0])
                step /= min(1.0, max(_MIN_SLOPE, slope))
            scale, limited = np.float32(scale * db_to_gain(step)), True
            current = self._candidate(scale, limited, mix)
            tried.append((20 * math.log10(float(scale)), current))
        writers = {name: WavWriter(path, 2, self.rate) for name, path in stems.items()}
        try:
            for a, b in self._blocks():
                parts = dict(zip(("dialogue", "music", "effects"), self.stems_range(a, b),
                                 strict=True))
                for name, wav in writers.items():
                    wav.write(np.clip(parts[name] * scale, -1.0, 1.0))
        finally:
            for wav in writers.values():
                wav.close()
        return Settled(scale=float(scale), limited=limited, loudness=current)
