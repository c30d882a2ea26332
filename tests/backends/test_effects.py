"""Procedural sound effects: shape, determinism, level, smoothness and that each sounds like
what it names (judged by numbers: spectral centroid, envelope period, transient counts)."""

from __future__ import annotations

import subprocess
import sys
from functools import cache

import numpy as np
import numpy.typing as npt
import pyloudnorm
import pytest
from scipy import ndimage, signal

from yingxi.backends.embedded import effects as fx
from yingxi.backends.embedded.effects_level import loudest_momentary

RATE = 48000
Audio = npt.NDArray[np.float32]


@cache
def bed(kind: str, seconds: float = 12.0, key: str = "test") -> Audio:
    return fx.ambience(kind, seconds, RATE, key)


@cache
def one_shot(kind: str, param: str = "") -> Audio:
    params: dict[str, object] = {}
    if param:
        name, value = param.split("=")
        params[name] = value == "True" if value in ("True", "False") else value
    return fx.spot(kind, RATE, "test", **params)


SPOT_CASES = ["thunder", "thunder:near=True", "footstep:surface=wood",
              "footstep:surface=stone", "footstep:surface=grass", "footstep:surface=snow",
              "door:action=open", "door:action=close", "splash", "bell",
              "bell:variety=ferry"]


def _spot_case(case: str) -> Audio:
    kind, _, param = case.partition(":")
    return one_shot(kind, param)


def _lufs(x: Audio) -> float:
    return float(pyloudnorm.Meter(RATE).integrated_loudness(x.T.astype(np.float64)))


def _centroid(x: Audio) -> float:
    power = np.abs(np.fft.rfft(x.mean(axis=0).astype(np.float64))) ** 2
    freqs = np.fft.rfftfreq(x.shape[1], 1.0 / RATE)
    return float(np.sum(freqs * power) / np.sum(power))


def _share_below(x: Audio, hz: float) -> float:
    power = np.abs(np.fft.rfft(x.mean(axis=0).astype(np.float64))) ** 2
    freqs = np.fft.rfftfreq(x.shape[1], 1.0 / RATE)
    return float(power[freqs < hz].sum() / power.sum())


def _onsets(x: Audio, min_gap: float) -> int:
    level = ndimage.uniform_filter1d(np.abs(x).max(axis=0).astype(np.float64), RATE // 100)
    peaks, _ = signal.find_peaks(level, height=0.25 * level.max(), distance=int(min_gap * RATE))
    return int(peaks.size)


def _assert_clean_ends(x: Audio) -> None:
    edge = RATE // 1000  # the first and last millisecond
    assert float(np.abs(x[:, 0]).max()) < 1e-3
    assert float(np.abs(x[:, -1]).max()) < 1e-3
    assert float(np.abs(np.diff(x[:, :edge], axis=1)).max()) < 0.01
    assert float(np.abs(np.diff(x[:, -edge:], axis=1)).max()) < 0.01


def test_catalogue() -> None:
    expected = {"rain", "wind", "waves", "river", "night", "birds", "city", "room", "snow"}
    assert expected == fx.AMBIENCES
    assert {"thunder", "footstep", "door", "splash", "bell"} == fx.SPOTS
    assert isinstance(fx.AMBIENCES, frozenset)
    assert isinstance(fx.SPOTS, frozenset)


def test_unknown_kinds_name_the_known_ones() -> None:
    with pytest.raises(ValueError, match=r"rain.*waves"):
        fx.ambience("lava", 1.0, RATE, "k")
    with pytest.raises(ValueError, match=r"bell.*thunder"):
        fx.spot("explosion", RATE, "k")
    with pytest.raises(ValueError, match=r"grass.*wood"):
        fx.spot("footstep", RATE, "k", surface="carpet")
    with pytest.raises(ValueError, match=r"grass.*wood"):
        fx.footsteps(3, 0.5, "ice", RATE, "k")
    with pytest.raises(ValueError, match="open"):
        fx.spot("door", RATE, "k", action="slam")
    with pytest.raises(TypeError):
        fx.spot("splash", RATE, "k", colour="blue")


@pytest.mark.parametrize("kind", ["rain", "waves", "birds", "night"])
@pytest.mark.parametrize("length", [0, 1, 7, 1000, 19201, RATE * 3 + 17, 2.5])
def test_exact_length_and_shape(kind: str, length: float) -> None:
    x = fx.ambience(kind, length, RATE, "len")
    n = round(length * RATE) if isinstance(length, float) else length
    assert x.shape == (2, n)
    assert x.dtype == np.float32
    assert np.isfinite(x).all()
    assert n == 0 or float(np.abs(x).max()) <= fx.PEAK_CEILING


@pytest.mark.parametrize("kind", sorted(fx.AMBIENCES))
def test_ambience_level_smoothness_and_width(kind: str) -> None:
    x = bed(kind)
    assert _lufs(x) == pytest.approx(fx.AMBIENCE_LUFS, abs=1.0)
    assert float(np.abs(x).max()) <= fx.PEAK_CEILING
    assert float(np.abs(x.mean(axis=1)).max()) < 1e-4
    _assert_clean_ends(x)
    # Gentle width: the channels differ, but the bed is not two unrelated sounds.
    assert 0.3 < float(np.corrcoef(x[0], x[1])[0, 1]) < 0.97
    # Roughly constant level: no 3 s stretch strays far from the rest.
    thirds = [_lufs(x[:, i:i + 3 * RATE]) for i in range(0, x.shape[1] - 3 * RATE + 1,
                                                           3 * RATE)]
    assert max(thirds) - min(thirds) < (12.0 if kind == "waves" else 6.0)


def test_same_key_same_bytes_other_key_other_sound() -> None:
    a = fx.ambience("river", 2.0, RATE, "scene-1")
    assert a.tobytes() == fx.ambience("river", 2.0, RATE, "scene-1").tobytes()
    assert not np.allclose(a, fx.ambience("river", 2.0, RATE, "scene-2"))
    s = fx.spot("door", RATE, "scene-1", action="open")
    assert s.tobytes() == fx.spot("door", RATE, "scene-1", action="open").tobytes()
    other = fx.spot("door", RATE, "scene-2", action="open")
    assert s.shape != other.shape or not np.allclose(s, other)
    w = fx.footsteps(3, 0.5, "wood", RATE, "scene-1")
    assert w.tobytes() == fx.footsteps(3, 0.5, "wood", RATE, "scene-1").tobytes()
    assert not np.allclose(w, fx.footsteps(3, 0.5, "wood", RATE, "scene-2"))


@pytest.mark.parametrize("case", SPOT_CASES)
def test_spot_level_and_smoothness(case: str) -> None:
    x = _spot_case(case)
    assert x.ndim == 2 and x.shape[0] == 2 and x.shape[1] > RATE // 10
    assert x.dtype == np.float32
    assert np.isfinite(x).all()
    assert float(np.abs(x).max()) <= fx.PEAK_CEILING
    assert float(np.abs(x.mean(axis=1)).max()) < 1e-4
    _assert_clean_ends(x)
    level = loudest_momentary(x.astype(np.float64), RATE)
    assert fx.SPOT_LUFS - 1.5 < level < fx.SPOT_LUFS + 0.1


def test_thunder_is_low_and_its_length_can_be_set() -> None:
    assert _share_below(one_shot("thunder"), 200.0) > 0.7
    assert _centroid(one_shot("thunder", "near=True")) > 3 * _centroid(one_shot("thunder"))
    assert fx.spot("thunder", RATE, "t", seconds=3.5).shape == (2, int(3.5 * RATE))
    assert 3 * RATE <= one_shot("thunder").shape[1] <= 6 * RATE


def test_rain_is_brighter_than_waves_and_wind() -> None:
    rain = _centroid(bed("rain"))
    assert rain > 2500.0
    assert rain > 3 * _centroid(bed("waves"))
    assert rain > 3 * _centroid(bed("wind"))
    assert _centroid(bed("snow")) < _centroid(bed("wind"))
    assert _centroid(bed("night")) > 2500.0  # crickets, not rumble


def test_waves_swell_every_six_to_fourteen_seconds() -> None:
    x = fx.ambience("waves", 60.0, RATE, "shore")
    hop = RATE // 10
    power = (x.astype(np.float64) ** 2).mean(axis=0)
    env = np.sqrt(power[: power.size // hop * hop].reshape(-1, hop).mean(axis=1))
    env -= env.mean()
    ac = np.correlate(env, env, "full")[env.size - 1:]
    lags = np.arange(ac.size) / 10.0
    window = (lags >= 4.0) & (lags <= 20.0)
    best = int(np.argmax(ac[window]))
    assert 6.0 <= lags[window][best] <= 14.0
    assert ac[window][best] / ac[0] > 0.3  # a clear swell, not noise


def test_rain_has_sparse_droplets() -> None:
    x = bed("rain", 20.0)
    sos = signal.butter(4, (1800.0, 5000.0), "bandpass", fs=RATE, output="sos")
    band = signal.sosfilt(sos, x.mean(axis=0).astype(np.float64))
    frame = int(0.003 * RATE)
    rms = np.sqrt((band[: band.size // frame * frame] ** 2).reshape(-1, frame).mean(axis=1))
    peaks, _ = signal.find_peaks(rms / ndimage.median_filter(rms, 101), height=3.0,
                                 distance=10)
    assert 1.0 <= peaks.size / 20.0 <= 12.0


@pytest.mark.parametrize("surface", sorted(fx.SURFACES))
def test_footsteps_count_and_length(surface: str) -> None:
    walk = fx.footsteps(5, 0.6, surface, RATE, "walk")
    assert _onsets(walk, 0.35) == 5
    timed = fx.footsteps(4.0, 0.5, surface, RATE, "walk")
    assert timed.shape == (2, 4 * RATE)
    assert _onsets(timed, 0.3) == 8  # every 0.5 s while 0.15 s remain, from 0.01 s
    short = fx.footsteps(0.3, 0.5, surface, RATE, "walk")
    assert short.shape == (2, round(0.3 * RATE)) and _onsets(short, 0.3) == 1
    for x in (walk, timed):
        assert float(np.abs(x).max()) <= fx.PEAK_CEILING
        _assert_clean_ends(x)
    assert fx.footsteps(0, 0.5, surface, RATE, "walk").shape == (2, 0)


def test_loop_runs_seamlessly_into_itself() -> None:
    x = fx.ambience("rain", 10.0, RATE, "loop", loop=True)
    assert x.shape == (2, 10 * RATE)
    assert _lufs(x) == pytest.approx(fx.AMBIENCE_LUFS, abs=1.0)
    steps = np.abs(np.diff(x, axis=1)).max(axis=0)
    seam = float(np.abs(x[:, 0] - x[:, -1]).max())
    assert seam <= float(np.percentile(steps, 99.9))


def test_long_bed_is_made_in_parts_without_seams() -> None:
    x = fx.ambience("snow", 130.0, RATE, "long")
    assert x.shape == (2, 130 * RATE)
    assert _lufs(x) == pytest.approx(fx.AMBIENCE_LUFS, abs=1.0)
    # Parts join at 58-60 s and 116-118 s; the level there matches the level elsewhere.
    around = [_lufs(x[:, int(t * RATE):int((t + 4) * RATE)]) for t in (20, 57, 80, 115)]
    assert max(around) - min(around) < 4.0
    _assert_clean_ends(x)


@pytest.mark.parametrize("rate", [16000, 22050, 44100])
def test_other_sample_rates(rate: int) -> None:
    for kind in sorted(fx.AMBIENCES):
        x = fx.ambience(kind, 1.5, rate, "rate")
        assert x.shape == (2, round(1.5 * rate))
        assert np.isfinite(x).all() and float(np.abs(x).max()) <= fx.PEAK_CEILING
    for kind in sorted(fx.SPOTS):
        y = fx.spot(kind, rate, "rate")
        assert np.isfinite(y).all() and 0 < float(np.abs(y).max()) <= fx.PEAK_CEILING


def test_import_is_cheap() -> None:
    code = ("import sys; import yingxi.backends.embedded.effects; "
            "print(sorted({'scipy', 'pyloudnorm'} & set(sys.modules)))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    assert done.stdout.strip() == "[]"
