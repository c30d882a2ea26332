"""Audio helpers over numpy/scipy: WAV bytes, resampling, loudness, ducking and limiting.

Arrays are float32, shaped (channels, samples), in [-1, 1].
"""

from __future__ import annotations

import io
import math
import warnings
import wave
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

Audio = npt.NDArray[np.float32]

_LOUDNESS_MIN_SECONDS = 0.4  # BS.1770 gating blocks are 400 ms


def as_channels(samples: npt.NDArray[np.floating], channels: int) -> Audio:
    """``samples`` as (channels, n): mono is duplicated, (n,) becomes (1, n)."""
    x = np.asarray(samples, dtype=np.float32)
    if x.ndim == 1:
        x = x[np.newaxis, :]
    if x.shape[0] == channels:
        return x
    if x.shape[0] == 1:
        return np.repeat(x, channels, axis=0)
    if channels == 1:
        return np.asarray(x.mean(axis=0, keepdims=True), dtype=np.float32)
    raise ValueError(f"cannot map {x.shape[0]} channels to {channels}")


def encode_wav(samples: npt.NDArray[np.floating], sample_rate: int) -> bytes:
    """16-bit PCM WAV bytes of (channels, n) or (n,) float audio, with TPDF-free rounding."""
    x = as_channels(samples, samples.shape[0] if samples.ndim == 2 else 1)
    buf = io.BytesIO()
    with wave.open(buf, "wb") as wav:
        wav.setnchannels(x.shape[0])
        wav.setsampwidth(2)
        wav.setframerate(sample_rate)
        wav.writeframes(pcm16(x))
    return buf.getvalue()


def pcm16(x: Audio) -> bytes:
    """Interleaved little-endian 16-bit PCM of (channels, n) float audio, rounded as
    :func:`encode_wav` rounds (what is outside [-1, 1] is clipped)."""
    return np.clip(np.round(x.T * 32767.0), -32768, 32767).astype("<i2").tobytes()


class WavWriter:
    """A 16-bit PCM WAV file written block by block: the same bytes as :func:`encode_wav`
    of all the blocks joined, without holding them."""

    def __init__(self, path: Path, channels: int, sample_rate: int) -> None:
        """Start (truncate) the file at ``path``."""
        self._wav = wave.open(str(path), "wb")  # noqa: SIM115 - closed by close()
        self._wav.setnchannels(channels)
        self._wav.setsampwidth(2)
        self._wav.setframerate(sample_rate)

    def write(self, x: Audio) -> None:
        """Append (channels, k) samples."""
        self._wav.writeframes(pcm16(x))

    def close(self) -> None:
        """Finish the header and close the file."""
        self._wav.close()

    def __enter__(self) -> WavWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def decode_wav(data: bytes) -> tuple[Audio, int]:
    """(channels, n) float32 audio and its rate from 16-bit PCM WAV bytes."""
    with wave.open(io.BytesIO(data), "rb") as wav:
        if wav.getsampwidth() != 2:
            raise ValueError("only 16-bit PCM WAV is supported")
        channels, rate = wav.getnchannels(), wav.getframerate()
        pcm = np.frombuffer(wav.readframes(wav.getnframes()), dtype="<i2")
    x = pcm.reshape(-1, channels).T.astype(np.float32) / 32768.0
    return np.ascontiguousarray(x), rate


def resample(x: Audio, rate_in: int, rate_out: int) -> Audio:
    """``(channels, n)`` audio from ``rate_in`` to ``rate_out`` through FFmpeg's
    libswresample (already loaded with PyAV: a voice needs no scipy.signal, which takes half
    a second to import). The output is aligned with the input (no filter delay) and is
    ``ceil(n * rate_out / rate_in)`` samples long."""
    if rate_in == rate_out:
        return x
    import av

    layout = {1: "mono", 2: "stereo"}.get(x.shape[0])
    if layout is None:
        raise ValueError(f"cannot resample {x.shape[0]} channels")
    resampler = av.AudioResampler(format="fltp", layout=layout, rate=rate_out)
    frame = av.AudioFrame.from_ndarray(np.ascontiguousarray(x, dtype=np.float32),
                                       format="fltp", layout=layout)
    frame.sample_rate, frame.pts = rate_in, 0
    parts = [out.to_ndarray() for out in [*resampler.resample(frame),
                                          *resampler.resample(None)]]
    y = np.concatenate(parts, axis=1) if parts else np.zeros((x.shape[0], 0), np.float32)
    size = -(-x.shape[1] * rate_out // rate_in)
    if y.shape[1] < size:
        y = np.pad(y, ((0, 0), (0, size - y.shape[1])))
    return np.ascontiguousarray(y[:, :size], dtype=np.float32)


def loudness(x: Audio, rate: int) -> float:
    """Integrated loudness in LUFS (ITU-R BS.1770-4); -inf for silence or very short audio."""
    if x.shape[-1] < _LOUDNESS_MIN_SECONDS * rate or not np.any(x):
        return -math.inf
    return integrated_loudness(x, rate)


# pyloudnorm's channel weights (BS.1770): left, right, centre, then the surrounds
_CHANNEL_GAINS = (1.0, 1.0, 1.0, 1.41, 1.41)


def integrated_loudness(x: npt.NDArray[np.floating[Any]], rate: int) -> float:
    """The integrated loudness (LUFS) of ``(channels, n)`` audio of at least one 400 ms block:
    the very number ``pyloudnorm.Meter(rate).integrated_loudness(x.T)`` gives.

    pyloudnorm copies the whole signal to float64 and filters it into further full-length
    arrays; here one channel at a time is K-weighted, a block at a time with the filter state
    carried (the same samples as one ``lfilter`` call), and the gating is pyloudnorm's own,
    step for step. It reads pyloudnorm's filter stages (``Meter._filters``): the tests
    compare the two, so a pyloudnorm that changes them is caught.
    """
    import pyloudnorm

    meter = pyloudnorm.Meter(rate)
    stages = list(meter._filters.values())
    if any(np.size(stage.a) < 2 for stage in stages) or x.shape[0] > len(_CHANNEL_GAINS):
        return float(meter.integrated_loudness(x.T.astype(np.float64)))  # FIR: as it is
    t_g, step, n = meter.block_size, 1.0 - meter.overlap, x.shape[1]
    j_range = np.arange(0, int(np.round((n / meter.rate - t_g) / (t_g * step))) + 1)
    z = np.zeros(shape=(x.shape[0], j_range.size))
    for i in range(x.shape[0]):
        weighted = _k_weighted(stages, x[i])
        for j in j_range:
            lo = int(t_g * (j * step) * meter.rate)
            hi = int(t_g * (j * step + 1) * meter.rate)
            z[i, j] = (1.0 / (t_g * meter.rate)) * np.sum(np.square(weighted[lo:hi]))
        del weighted
    return float(_gated(z))


_BLOCK = 1 << 16  # samples filtered at a time


def _k_weighted(stages: list[Any], channel: npt.NDArray[Any]) -> npt.NDArray[np.float64]:
    """``channel`` through pyloudnorm's filter stages (``passband_gain * lfilter(b, a, x)``
    each), into one copy, a block at a time."""
    from scipy import signal  # slow to import: only when used

    out = np.array(channel, dtype=np.float64)
    for stage in stages:
        b, a, gain = stage.b, stage.a, stage.passband_gain
        zi = np.zeros(max(np.size(a), np.size(b)) - 1)
        for s in range(0, out.size, _BLOCK):
            part, zi = signal.lfilter(b, a, out[s:s + _BLOCK], zi=zi)
            np.multiply(gain, part, out=out[s:s + _BLOCK])
    return out


def _gated(z: npt.NDArray[np.float64]) -> Any:
    """pyloudnorm's BS.1770-4 gating of the block mean squares ``z`` (channels, blocks),
    computed as it computes it."""
    channels = range(z.shape[0])
    gains = _CHANNEL_GAINS
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", category=RuntimeWarning)
        levels = [-0.691 + 10.0 * np.log10(np.sum([gains[i] * z[i, j] for i in channels]))
                  for j in range(z.shape[1])]
    gated = [j for j, level in enumerate(levels) if level >= -70.0]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", category=RuntimeWarning)
        means = [np.mean([z[i, j] for j in gated]) for i in channels]
    relative = -0.691 + 10.0 * np.log10(np.sum([gains[i] * means[i] for i in channels])) - 10.0
    gated = [j for j, level in enumerate(levels) if level > relative and level > -70.0]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", category=RuntimeWarning)
        final = np.nan_to_num(np.array([np.mean([z[i, j] for j in gated]) for i in channels]))
    with np.errstate(divide="ignore"):
        return -0.691 + 10.0 * np.log10(np.sum([gains[i] * final[i] for i in channels]))


def gain_to_loudness(x: Audio, rate: int, target_lufs: float) -> Audio:
    """``x`` scaled so that its integrated loudness is ``target_lufs`` (silence stays)."""
    current = loudness(x, rate)
    if not math.isfinite(current):
        return x
    return (x * np.float32(10 ** ((target_lufs - current) / 20))).astype(np.float32)


def true_peak_db(x: Audio, oversample: int = 4) -> float:
    """Peak level in dBTP, measured on a 4x oversampled signal (BS.1770 Annex 2)."""
    from scipy import signal  # slow to import: only when used
    if not np.any(x):
        return -math.inf
    up = signal.resample_poly(x, oversample, 1, axis=-1)
    return float(20 * np.log10(np.max(np.abs(up))))


def envelope(x: Audio, rate: int, attack: float, release: float) -> npt.NDArray[np.float32]:
    """A smoothed activity curve in [0, 1] of a (mostly silent or loud) signal."""
    from scipy import ndimage  # slow to import: only when used
    level = (np.abs(x).max(axis=0) > 1e-3).astype(np.float32)
    up = ndimage.maximum_filter1d(level, size=max(1, int(attack * rate)), origin=0)
    out = ndimage.uniform_filter1d(up, size=max(1, int(release * rate)), mode="nearest")
    return np.asarray(np.clip(out, 0.0, 1.0), dtype=np.float32)


def db_to_gain(db: float) -> float:
    """Linear gain of ``db`` decibels."""
    return float(10 ** (db / 20))
