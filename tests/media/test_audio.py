"""Audio helpers: resampling keeps pitch, level, length and timing."""

from __future__ import annotations

import numpy as np
import pytest

from yingxi.media.audio import loudness, resample


@pytest.mark.parametrize("channels", [1, 2])
def test_resampling_keeps_a_tone_in_time_and_level(channels: int) -> None:
    n = 22050 * 2 + 5
    t_in = np.arange(n) / 22050
    tone = (0.5 * np.sin(2 * np.pi * 440 * t_in)).astype(np.float32)
    y = resample(np.tile(tone, (channels, 1)), 22050, 48000)
    assert y.dtype == np.float32 and y.shape == (channels, -(-n * 48000 // 22050))
    t_out = np.arange(y.shape[1]) / 48000
    expected = 0.5 * np.sin(2 * np.pi * 440 * t_out)
    inner = slice(2000, -2000)  # the filter's reach at the ends
    error = y[:, inner] - expected[inner]
    snr = 10 * np.log10(np.sum(expected[inner] ** 2) * channels / np.sum(error ** 2))
    assert snr > 40  # no delay, no gain change
    assert np.array_equal(resample(y, 48000, 48000), y)


def test_resampling_refuses_surround() -> None:
    with pytest.raises(ValueError, match="6 channels"):
        resample(np.zeros((6, 100), np.float32), 22050, 48000)


@pytest.mark.parametrize(("channels", "seconds"), [(1, 0.5), (2, 3.0), (2, 31.7)])
def test_loudness_is_pyloudnorms_number_without_its_copies(channels: int, seconds: float
                                                           ) -> None:
    import pyloudnorm

    rng = np.random.default_rng(channels)
    x = (rng.standard_normal((channels, int(seconds * 48000) + 17)) * 0.2).astype(np.float32)
    x[:, : x.shape[1] // 3] *= 0.001  # a quiet stretch the gates drop
    expected = pyloudnorm.Meter(48000).integrated_loudness(x.T.astype(np.float64))
    assert loudness(x, 48000) == expected
    assert loudness(np.zeros((2, 48000), np.float32), 48000) == -np.inf
