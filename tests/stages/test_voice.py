"""The voice stage with the embedded espeak-ng speaker: real audio, real timings."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from tests.measure import median_pitch
from yingxi.backends.registry import Registry
from yingxi.media.audio import decode_wav
from yingxi.pipeline.runner import Runner
from yingxi.pipeline.store import Store
from yingxi.schema.bible import VoiceSpec
from yingxi.schema.speech import Speech
from yingxi.stages.voice import VoiceInput, VoiceStage, delivery_for, speakable


def _voice(runner: Runner, text: str, language: str = "zh", parenthetical: str | None = None,
           **spec: object) -> Speech:
    return runner.run(VoiceStage(), VoiceInput(
        text=text, language=language, voice=VoiceSpec.model_validate(spec),
        delivery=delivery_for(parenthetical), backend="espeak"))


def _audio(store: Store, speech: Speech) -> np.ndarray:
    samples, rate = decode_wav(store.read_bytes(speech.audio))
    assert rate == speech.sample_rate == 48000
    assert samples.shape == (1, speech.num_samples)
    return np.asarray(samples[0])


@pytest.mark.parametrize(("language", "text"), [
    ("zh", "今天是十五，他说过会回来的。"), ("en", "The moon rose over the quiet village."),
])
def test_speech_is_audible_with_monotonic_timings(runner: Runner, store: Store, language: str,
                                                  text: str) -> None:
    speech = _voice(runner, text, language)
    audio = _audio(store, speech)
    assert 1.0 < speech.duration < 6.0
    assert np.sqrt(np.mean(audio ** 2)) > 0.02  # not silence
    assert np.abs(audio).max() <= 0.9
    starts = [p.start for p in speech.phones]
    assert starts == sorted(starts)
    assert all(p.end > p.start and p.end <= speech.duration + 1e-6 for p in speech.phones)
    assert sum(1 for p in speech.phones if p.symbol) >= len(text) // 3
    words = [w for w in speech.words if w.text.strip()]
    assert words and all(text[w.char_start:w.char_end] == w.text for w in words)
    start, end = speech.voiced_span()
    voiced = audio[int(start * 48000):int(end * 48000)]
    assert np.sqrt(np.mean(voiced ** 2)) > np.sqrt(np.mean(audio ** 2)) * 0.9


def test_characters_sound_different(runner: Runner, store: Store) -> None:
    text = "我陪你再等一会儿。"
    high = _audio(store, _voice(runner, text, variant="f2", pitch=70))
    low = _audio(store, _voice(runner, text, variant="m3", pitch=30))
    assert median_pitch(high) > 1.3 * median_pitch(low)


def test_parentheticals_change_delivery(runner: Runner, store: Store) -> None:
    text = "今天是十五，他说过会回来的。"
    plain = _audio(store, _voice(runner, text))
    whisper = _audio(store, _voice(runner, text, parenthetical="轻声"))
    assert np.abs(whisper).max() < 0.7 * np.abs(plain).max()
    assert len(whisper) > len(plain)  # slower
    assert delivery_for("(shouting)").volume > delivery_for("whispering").volume
    assert delivery_for(None) == delivery_for("looks away")


def test_speakable_drops_inline_directions() -> None:
    assert speakable("你好（停顿）\n再见") == "你好 再见"


def test_voicing_is_deterministic(runner: Runner, tmp_path: Path) -> None:
    first = _voice(runner, "同一句话，同一个声音。")
    fresh = Runner(Store(tmp_path / "other"), Registry())
    assert _voice(fresh, "同一句话，同一个声音。") == first  # same audio hash, same timings
