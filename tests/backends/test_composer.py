"""The embedded composer: shape, loudness, determinism, smoothness and that it is music."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pyloudnorm
import pytest

from yingxi.backends.embedded.composer import EmbeddedComposer, resolve_mood
from yingxi.backends.embedded.score import MODES
from yingxi.backends.protocols import Composer, CueAudio, CueRequest

RATE = 48000


def _cue(seconds: float = 20.0, **fields: object) -> CueRequest:
    return CueRequest.model_validate({"num_samples": int(seconds * RATE), **fields})


@pytest.fixture(scope="module")
def composer() -> EmbeddedComposer:
    return EmbeddedComposer()


@pytest.fixture(scope="module")
def calm(composer: EmbeddedComposer) -> CueAudio:
    return composer.compose(_cue(mood="calm", era="ancient", location_kind="mountains", seed=4))


@pytest.fixture(scope="module")
def tense(composer: EmbeddedComposer) -> CueAudio:
    return composer.compose(_cue(mood="tense", time_of_day="night", location_kind="palace",
                                 era="ancient", seed=4))


def _loudness(x: npt.NDArray[np.float32]) -> float:
    return float(pyloudnorm.Meter(RATE).integrated_loudness(x.T.astype(np.float64)))


def test_is_a_composer(composer: EmbeddedComposer) -> None:
    assert isinstance(composer, Composer)
    assert composer.info.role == "composer"
    assert composer.info.name == "embedded"


@pytest.mark.parametrize("num_samples", [1, 7, 1000, 12000, 19201, 48000 * 3 + 17])
def test_exact_length_shape_and_range(composer: EmbeddedComposer, num_samples: int) -> None:
    cue = composer.compose(CueRequest(num_samples=num_samples, mood="joyful", seed=2))
    assert cue.samples.shape == (2, num_samples)
    assert cue.samples.dtype == np.float32
    assert np.isfinite(cue.samples).all()
    assert float(np.max(np.abs(cue.samples))) <= 0.9


@pytest.mark.parametrize("mood", ["calm", "tense", "sad", "joyful", "mysterious"])
def test_loudness_is_minus_20_lufs(composer: EmbeddedComposer, mood: str) -> None:
    cue = composer.compose(_cue(mood=mood, time_of_day="dusk", seed=11))
    assert _loudness(cue.samples) == pytest.approx(-20.0, abs=1.0)
    assert float(np.max(np.abs(cue.samples))) <= 0.9


def test_short_cue_is_measured_without_crashing(composer: EmbeddedComposer) -> None:
    cue = composer.compose(CueRequest(num_samples=int(0.3 * RATE), mood="warm"))
    assert cue.samples.shape == (2, int(0.3 * RATE))
    assert float(np.max(np.abs(cue.samples))) > 0.01


def test_same_request_gives_identical_bytes(composer: EmbeddedComposer) -> None:
    request = _cue(6.0, mood="romantic", seed=9)
    first = composer.compose(request)
    again = EmbeddedComposer().compose(request)
    assert first.samples.tobytes() == again.samples.tobytes()
    assert (first.mode, first.tempo, first.instruments) == (again.mode, again.tempo,
                                                            again.instruments)


def test_another_seed_gives_other_music(composer: EmbeddedComposer) -> None:
    one = composer.compose(_cue(6.0, mood="romantic", seed=9)).samples
    two = composer.compose(_cue(6.0, mood="romantic", seed=10)).samples
    assert not np.array_equal(one, two)
    assert float(np.abs(one - two).mean()) > 0.1 * float(np.abs(one).mean())


def test_moods_choose_mode_tempo_and_instruments(calm: CueAudio, tense: CueAudio) -> None:
    assert (calm.mode, calm.tempo) != (tense.mode, tense.tempo)
    assert tense.tempo > calm.tempo + 10
    assert calm.mode.endswith("pentatonic")
    assert "pad" in calm.instruments
    assert {"tanggu", "muyu"} <= set(tense.instruments)  # tension gets soft drums
    assert not {"tanggu", "muyu"} & set(calm.instruments)


def test_modern_city_uses_a_western_mode(composer: EmbeddedComposer) -> None:
    plan = composer.plan(_cue(mood="sad", era="modern", location_kind="office"))
    assert not plan.mode.name.endswith("pentatonic")
    assert plan.mode in MODES.values()
    assert plan.mood == "sad"


@pytest.mark.parametrize(("text", "mood"), [
    ("calm", "calm"), ("Tense standoff", "tense"), ("funeral", "sad"), ("悲伤", "sad"),
    ("eerie", "mysterious"), ("festive", "joyful"), ("longing", "romantic"),
    ("亲情", "warm"), ("", "calm"), ("qwerty", "calm")])
def test_free_mood_text(text: str, mood: str) -> None:
    assert resolve_mood(text) == mood


@pytest.mark.parametrize("name", ["calm", "tense"])
def test_no_clicks(request: pytest.FixtureRequest, name: str) -> None:
    cue: CueAudio = request.getfixturevalue(name)
    assert float(np.max(np.abs(np.diff(cue.samples, axis=1)))) < 0.2


def test_fades_in_and_out(calm: CueAudio) -> None:
    ten_ms = RATE // 100
    assert float(np.max(np.abs(calm.samples[:, :ten_ms]))) < 1e-3
    assert float(np.max(np.abs(calm.samples[:, -ten_ms:]))) < 1e-3
    assert calm.samples[:, -1].tolist() == [0.0, 0.0]


@pytest.mark.parametrize("name", ["calm", "tense"])
def test_never_silent_between_notes(request: pytest.FixtureRequest, name: str) -> None:
    cue: CueAudio = request.getfixturevalue(name)
    middle = cue.samples[:, 2 * RATE: -2 * RATE]
    windows = middle[:, : middle.shape[1] // (2 * RATE) * 2 * RATE].reshape(2, -1, 2 * RATE)
    rms_db = 20 * np.log10(np.sqrt(np.mean(windows.astype(np.float64) ** 2, axis=(0, 2))))
    assert rms_db.min() > -40.0  # the cue sits near -20; the pad keeps it from dropping out


def test_stereo_is_not_mono(calm: CueAudio) -> None:
    left, right = calm.samples.astype(np.float64)
    correlation = float(np.corrcoef(left, right)[0, 1])
    assert 0.3 < correlation < 0.995


def test_energy_sits_on_the_mode(composer: EmbeddedComposer) -> None:
    request = _cue(mood="calm", era="ancient", location_kind="village", seed=1)
    plan = composer.plan(request)
    mono = composer.compose(request).samples.astype(np.float64).mean(axis=0)
    power = np.abs(np.fft.rfft(mono * np.hanning(mono.size))) ** 2
    freqs = np.fft.rfftfreq(mono.size, 1.0 / RATE)
    band = (freqs > 100) & (freqs < 2000)
    pitch_class = (np.round(12 * np.log2(freqs[band] / 440.0)).astype(int) + 9) % 12  # 0 = C
    chroma = np.bincount(pitch_class, weights=power[band], minlength=12)
    on_mode = sorted(plan.mode.pitch_classes(plan.tonic))
    assert plan.mode.name.endswith("pentatonic")
    assert chroma[on_mode].sum() / chroma.sum() > 0.8  # 5 of 12 classes would be 0.42


def test_melody_is_tonal_stepwise_and_varied(composer: EmbeddedComposer) -> None:
    plan = composer.plan(_cue(60.0, mood="warm", era="ancient", location_kind="village", seed=3))
    lead = [n for n in plan.notes if n.role == "lead"]
    pitch_classes = plan.mode.pitch_classes(plan.tonic)
    assert all(n.midi % 12 in pitch_classes for n in plan.notes)
    assert lead[-1].midi % 12 == plan.tonic % 12  # the last phrase comes home
    steps = np.abs(np.diff([n.midi for n in lead]))
    assert np.median(steps) <= 3  # stepwise, not random leaps
    assert len({n.instrument for n in lead}) == 2  # a second section hands the tune over
    # Phrases repeat their motif but the cue is not one loop: bars differ across the cue.
    bars: dict[int, list[tuple[float, int]]] = {}
    for note in lead:
        bars.setdefault(int(note.start // 4), []).append((note.start % 4, note.midi))
    assert len({tuple(b) for b in bars.values()}) > 0.6 * len(bars)
