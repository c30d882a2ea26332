"""Peak memory of composing a cue, and that the block-wise, in-place steps that keep it low
are sample for sample the whole-buffer calls they replace.

numpy reports its buffers to tracemalloc, so the peak counted here is the cue's arrays, the
same in every run. A 20 s cue peaked at 68 MB (85 MB through a SoundFont) when the reverb,
the pad, the resampled mix and the mastering each made full-length copies; worked in place
it peaks at about 28 MB (the float64 output, the mix at half rate and a few blocks), and
43 MB through a SoundFont (the float64 cue and the reverb's three FFT-length buffers).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyloudnorm
import pytest
from scipy import fft, ndimage, signal  # noqa: F401  (imported before measuring, not counted)

from tests.backends.memory_util import traced_peak_mb
from tests.backends.sf2_util import write_sf2
from yingxi.backends.embedded import composer, synth
from yingxi.backends.embedded.effects_dsp import BLOCK
from yingxi.backends.protocols import CueRequest

RATE = 48000
SECONDS = 20.0
BOUND_MB = 42.0  # 1.5 times the measured 27.7 MB
SOUNDFONT_BOUND_MB = 65.0  # 1.5 times the measured 43.1 MB




def _cue(seconds: float, soundfont: Path | None = None) -> CueRequest:
    return CueRequest(num_samples=round(seconds * RATE), mood="romantic", time_of_day="night",
                      location_kind="street", seed=6, soundfont=soundfont and str(soundfont),
                      soundfont_sha256="0" * 64 if soundfont else None)


@pytest.mark.parametrize("through_soundfont", [False, True])
def test_cue_peak_memory_is_bounded(tmp_path: Path, through_soundfont: bool) -> None:
    bank = None
    if through_soundfont:
        pytest.importorskip("tinysoundfont")
        bank = write_sf2(tmp_path / "tiny.sf2")
    embedded = composer.EmbeddedComposer()
    embedded.compose(_cue(0.5, bank))  # lazy imports and caches, outside the count
    peak = traced_peak_mb(lambda: embedded.compose(_cue(SECONDS, bank)))
    out_mb = 2 * round(SECONDS * RATE) * np.dtype(np.float64).itemsize / 1e6
    bound = SOUNDFONT_BOUND_MB if through_soundfont else BOUND_MB
    assert out_mb < peak < bound, f"a {SECONDS} s cue peaked at {peak:.1f} MB"


@pytest.mark.parametrize(("n", "m"), [(1, 50), (2, 1), (17, 3), (5000, 700), (BLOCK + 3, 9000)])
def test_reverb_is_fftconvolve_sample_for_sample(n: int, m: int) -> None:
    rng = np.random.default_rng(n + m)
    dry, send, tails = rng.standard_normal((2, n)), rng.standard_normal(n), rng.random((2, m))
    wet = np.asarray(signal.fftconvolve(send[None, :], tails, axes=1)[:, :n], dtype=np.float64)
    expected = dry + 0.37 * wet
    assert synth.add_reverb(dry, send, tails, 0.37).tobytes() == expected.tobytes()


@pytest.mark.parametrize("up", [1, 2])
@pytest.mark.parametrize("n", [17, 1000, BLOCK - 1, BLOCK + 1, 2 * BLOCK + 300])
def test_block_resampling_is_resample_poly_sample_for_sample(n: int, up: int) -> None:
    mix = np.random.default_rng(n).standard_normal((2, n))
    whole = signal.resample_poly(mix, up, 1, axis=1) if up > 1 else mix
    for num_samples in (max(1, up * n - 33), up * n, up * n + 5):
        expected = np.zeros((2, num_samples))
        keep = min(num_samples, whole.shape[1])
        expected[:, :keep] = whole[:, :keep]
        got = synth._upsampled(mix, up, num_samples)
        assert got.tobytes() == expected.tobytes()


def test_pad_folding_is_the_whole_buffer_arithmetic() -> None:
    n, rate, brightness = 2 * BLOCK + 777, 24000, 0.4
    rng = np.random.default_rng(3)
    pad, dry, send = rng.standard_normal((2, n)), rng.standard_normal((2, n)), rng.random(n)
    filtered = signal.sosfilt(synth._sos(2, 700.0 + 1800.0 * brightness, rate, "lowpass"), pad,
                              axis=1)
    filtered *= 1.0 + 0.12 * np.sin(2.0 * np.pi * 0.11 * np.arange(n) / rate)
    want_dry = dry + np.stack([0.8 * filtered[0] + 0.2 * filtered[1],
                               0.2 * filtered[0] + 0.8 * filtered[1]])
    want_send = send + 0.3 * (filtered[0] + filtered[1])
    buses = synth._Buses(n)
    buses.dry[:], buses.send[:] = dry, send
    synth._fold_pad(buses, pad, brightness, rate)
    assert buses.dry.tobytes() == want_dry.tobytes()
    assert buses.send.tobytes() == want_send.tobytes()


@pytest.mark.parametrize("seconds", [0.05, 0.41, 3.3, 9.0])
def test_loudness_is_pyloudnorms_to_the_bit(seconds: float) -> None:
    n = round(seconds * RATE)
    x = np.random.default_rng(n).standard_normal((2, n)) * 0.1
    x[:, n // 3:n // 2] *= 1e-4  # quiet enough to be gated out
    data = x.T if n > int(0.4 * RATE) else np.tile(x.T, (-(-(int(0.4 * RATE) + 1) // n) + 1, 1))
    assert composer._loudness(x, RATE) == float(pyloudnorm.Meter(RATE).integrated_loudness(data))


def test_silence_has_no_loudness() -> None:
    assert composer._loudness(np.zeros((2, RATE)), RATE) == -np.inf
