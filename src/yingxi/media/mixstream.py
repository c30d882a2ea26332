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
pass, and scaled for each later one; see :mod:`yingxi.media.limiter`), and the level the
limited mix is driven at is solved on a model instead of by trial passes: the first
(unlimited) pass also keeps its K-weighted energy per millisecond, which, times the square
of the limiter's gain there, predicts the loudness of the limited mix at any level. One
limited pass then usually lands within 0.1 LU of the target; if not, the model's error is
measured and the next pass corrects for it. Each pass is one run over the blocks; the mix
and its stems go straight to WAV files, kept if the pass lands on the target. What the
stream holds at once is a few blocks, plus one number per 100 ms and per millisecond of
the episode.
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
from yingxi.media.limiter import CHUNK, OS_REACH, limit_block, step_peaks, track_gains
from yingxi.media.mixer import (
    AAC_HEADROOM_DB,
    DUCK_ATTACK,
    DUCK_RELEASE,
    JOIN_FADE,
    faded,
)
from yingxi.schema.production import AudioConfig

SEGMENT = 4800            # samples in 100 ms at 48 kHz: the loudness gating step
_LOUDNESS_PASSES = 4
_MODEL_RANGE_DB = 24.0     # how much above the unlimited level the limited mix may be driven
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

    def __init__(self, rate: int, channels: int = 2, steps: bool = False) -> None:
        """A meter for ``channels`` channels at ``rate`` (48 kHz: segments of 4800); with
        ``steps`` it also keeps the K-weighted energy of every 1 ms control step."""
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
        self.step_energies: list[npt.NDArray[np.float64]] | None = [] if steps else None
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
        if self.step_energies is not None:
            padded = np.pad(sq, ((0, 0), (0, -k % CHUNK)))
            self.step_energies.append(padded.reshape(sq.shape[0], -1, CHUNK).sum(axis=-1))
        self.samples += k

    def result(self) -> float:
        """LUFS of all that was fed; -inf for silence or under 400 ms."""
        if not self.nonzero:
            return -math.inf
        return gated_loudness(np.concatenate(self.energies, axis=1), self.samples, self.rate)

    def steps(self) -> npt.NDArray[np.float64]:
        """The K-weighted energy of every control step fed, ``(channels, steps)``."""
        if self.step_energies is None:
            raise ValueError("this meter keeps no step energies")
        return np.concatenate(self.step_energies, axis=1)


def gated_loudness(segments: npt.NDArray[np.float64], samples: int, rate: int) -> float:
    """BS.1770 gated loudness (LUFS) of ``samples`` samples at ``rate`` from their K-weighted
    energy per channel and 100 ms segment ``(channels, segments)``; -inf for silence or
    under 400 ms."""
    segment = round(0.1 * rate)
    if samples < 4 * segment:
        return -math.inf
    duration = samples / rate
    blocks = int(np.round((duration - 0.4) / 0.1)) + 1
    padded = np.pad(segments, ((0, 0), (0, blocks + 3 - segments.shape[1]))) \
        if segments.shape[1] < blocks + 3 else segments
    z = np.zeros((padded.shape[0], blocks))
    for j in range(4):  # a gating block is four 100 ms segments
        z += padded[:, j:j + blocks]
    z /= 4 * segment
    levels = -0.691 + 10.0 * np.log10(np.maximum(z.sum(axis=0), 1e-300))
    gated = levels >= _GATE_ABS
    if not gated.any():
        return -math.inf
    relative = -0.691 + 10.0 * np.log10(z[:, gated].mean(axis=1).sum()) - 10.0
    gated = (levels > relative) & (levels > _GATE_ABS)
    if not gated.any():
        return -math.inf
    return float(-0.691 + 10.0 * np.log10(z[:, gated].mean(axis=1).sum()))


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
        # per control step, from the unlimited pass: true peaks (for the limiter) and
        # K-weighted energy per channel (for its model)
        self.peaks: npt.NDArray[np.float64] = np.zeros(0)
        self.energy: npt.NDArray[np.float64] = np.zeros((2, 0))

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

    def _pass(self, scale: np.float32, limited: bool, post: np.float32, mix: Path,
              stems: dict[str, Path]) -> tuple[float, float]:
        """Write the mix at ``scale`` (limited or not, then times ``post``) to ``mix`` and
        the stems at ``scale`` (each clipped to [-1, 1]) to ``stems``; return the mix's
        loudness and (when limited) its true peak, linear, before ``post``. The first pass
        (unlimited) also finds the true peak and the K-weighted energy of every control
        step: what the limiter and its model work from."""
        first = self.peaks.size == 0
        meter, peak = LoudnessMeter(self.rate, steps=first), 0.0
        peaks: list[npt.NDArray[np.float64]] = []
        writers = {name: WavWriter(path, 2, self.rate) for name, path in stems.items()}
        try:
            with WavWriter(mix, 2, self.rate) as wav:
                for a, b in self._blocks():
                    lo, hi = max(0, a - OS_REACH), min(self.n, b + OS_REACH)
                    parts = self.stems_range(lo, hi)
                    total = parts[0] + parts[1] + parts[2]
                    if limited:
                        y, block_peak = limit_block(total * scale, lo, a, b, self.peaks,
                                                    float(scale), self.ceiling_db)
                        peak = max(peak, block_peak)
                    else:
                        if first:
                            peaks.append(step_peaks(total, lo, a, b))
                        y = (total * scale)[:, a - lo:b - lo]
                    if post != 1:
                        y = y * post
                    meter.add(y)
                    wav.write(y)
                    for name, part in zip(("dialogue", "music", "effects"), parts,
                                          strict=True):
                        if name in writers:
                            writers[name].write(np.clip(part[:, a - lo:b - lo] * scale,
                                                        -1.0, 1.0))
        finally:
            for writer in writers.values():
                writer.close()
        if first:
            self.peaks, self.energy = np.concatenate(peaks), meter.steps()
        return meter.result(), peak

    def _candidate(self, scale: np.float32, limited: bool, mix: Path,
                   stems: dict[str, Path]) -> float:
        """One mix (and its stems) written and its loudness; a limited one whose true peak
        the limiter's smoothing let over the ceiling is brought down by a final gain."""
        current, peak = self._pass(scale, limited, np.float32(1.0), mix, stems)
        ceiling = db_to_gain(self.ceiling_db)
        if limited and peak > ceiling * _PEAK_TOLERANCE:
            current, _ = self._pass(scale, limited, np.float32(ceiling / peak), mix, stems)
        return current

    def predicted(self, scale: float) -> float:
        """The loudness the limited mix would have at ``scale``, from the unlimited mix's
        energy per control step and the limiter's gain there (the gain changes slowly
        against the K-weighting filter, so it scales each step's energy by its square)."""
        gain = track_gains(self.peaks, scale, self.ceiling_db) * scale
        energy = self.energy * np.square(gain)
        per_segment = SEGMENT // CHUNK
        steps = energy.shape[1]
        padded = np.pad(energy, ((0, 0), (0, -steps % per_segment)))
        segments = padded.reshape(energy.shape[0], -1, per_segment).sum(axis=-1)
        return gated_loudness(segments, self.n, self.rate)

    def _solve(self, target: float, start_db: float) -> float:
        """The gain (dB) at which :meth:`predicted` gives ``target``, found by bisection
        between ``start_db`` (the level that would reach it without a limiter: the limiter
        only takes loudness away) and :data:`_MODEL_RANGE_DB` above it."""
        lo, hi = start_db, start_db + _MODEL_RANGE_DB
        if self.predicted(db_to_gain(hi)) < target:
            return hi
        for _ in range(30):  # to a thousandth of a decibel
            mid = (lo + hi) / 2
            if self.predicted(db_to_gain(mid)) < target:
                lo = mid
            else:
                hi = mid
        return hi

    def run(self, mix: Path, stems: dict[str, Path]) -> Settled:
        """Write the mix to ``mix`` and the stems (``dialogue``, ``music``, ``effects``,
        each at the gain it was mixed at, clipped to [-1, 1]) to ``stems``."""
        target = self.config.loudness_lufs
        scale, limited = np.float32(1.0), False
        current = self._candidate(scale, limited, mix, stems)
        over = float(self.peaks.max(initial=0.0)) > db_to_gain(self.ceiling_db)
        # the limiter takes some loudness with the peaks it catches: drive it by what the
        # model says that costs, then by what the model got wrong, until the target is hit
        start_db, error = target - current, 0.0
        for _ in range(_LOUDNESS_PASSES):
            if not math.isfinite(current) or (abs(current - target) < 0.1
                                              and (limited or not over)):
                break
            gain_db = self._solve(target - error, start_db)
            scale, limited = np.float32(db_to_gain(gain_db)), True
            current = self._candidate(scale, limited, mix, stems)
            error = current - self.predicted(float(scale))
        return Settled(scale=float(scale), limited=limited, loudness=current)
