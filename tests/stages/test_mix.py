"""The edit's subtitles follow the voice, and the mix meets its targets."""

from __future__ import annotations

import itertools

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from yingxi.media.audio import decode_wav, encode_wav, loudness, true_peak_db
from yingxi.pipeline.edit import MAX_CHARS_CJK, MAX_CHARS_LATIN, split_subtitle, subtitle_events
from yingxi.pipeline.runner import Runner
from yingxi.pipeline.store import Store
from yingxi.schema.artifacts import Cue
from yingxi.schema.bible import VoiceSpec
from yingxi.schema.production import AudioConfig
from yingxi.schema.speech import Speech
from yingxi.stages.mix import MixInput, MixStage, PlacedCue, PlacedLine
from yingxi.stages.voice import VoiceInput, VoiceStage

FPS = 24
RATE = 48000


@given(st.text(alphabet="我们今天去山上看月亮，。！？他说过会回来的", min_size=1, max_size=80))
@settings(max_examples=60, deadline=None)
def test_chinese_chunks_are_short_and_cover_the_text(text: str) -> None:
    chunks = split_subtitle(text)
    assert all(len(display) <= MAX_CHARS_CJK for _, _, display in chunks)
    assert "".join(text[a:b] for a, b, _ in chunks) == text
    assert all(not display.startswith(("，", "。")) for _, _, display in chunks[1:])


@given(st.lists(st.sampled_from(["the", "quiet", "village", "moon,", "rose.", "over",
                                 "lantern", "river"]), min_size=1, max_size=40))
@settings(max_examples=60, deadline=None)
def test_english_chunks_never_split_a_word(words: list[str]) -> None:
    text = " ".join(words)
    chunks = split_subtitle(text)
    assert all(len(display) <= MAX_CHARS_LATIN for _, _, display in chunks)
    shown = " ".join(display for _, _, display in chunks).split()
    assert [w.rstrip(",;:") for w in shown] == [w.rstrip(",;:") for w in words]


def _speak(runner: Runner, text: str, variant: str) -> Speech:
    return runner.run(VoiceStage(), VoiceInput(text=text, language="zh",
                                               voice=VoiceSpec(variant=variant),
                                               backend="espeak"))


def _shots(runner: Runner, store: Store) -> tuple[list[int], list[PlacedLine]]:
    """Frames of each shot, and the lines placed on them."""
    texts = [("今天是十五，他说过会回来的。天快黑了，江上的风也大了。", "f2"),
             ("那我就点亮灯笼。", "m3")]
    shots, lines, offset = [], [], 0
    for i, (text, variant) in enumerate(texts):
        speech = _speak(runner, text, variant)
        frames = int((speech.duration + 0.7) * FPS)
        shots.append(frames)
        lines.append(PlacedLine(start=offset + 6, speech=speech))
        offset += frames
        if i == 0:
            shots.append(3 * FPS)  # a shot without a line
            offset += 3 * FPS
    return shots, lines


def test_subtitles_never_run_ahead_of_the_voice(runner: Runner, store: Store) -> None:
    shots, lines = _shots(runner, store)
    total = sum(shots)
    events = subtitle_events(lines, FPS, total)
    assert len(events) >= 3  # the long first line is split
    spans = []
    for line in lines:
        start, end = line.speech.voiced_span()
        spans.append((line.start / FPS + start, line.start / FPS + end))
    first_line = [e for e in events if e.start < spans[1][0] - 0.01]
    assert first_line[0].start >= spans[0][0] - 1e-3
    assert all(e.end <= spans[1][0] for e in first_line)  # gone before the next line
    assert all(e.end <= spans[0][1] + 0.4 for e in first_line)  # soon after the voice stops
    assert all(a.end <= b.start + 1e-3 for a, b in itertools.pairwise(events))


def test_the_mix_meets_loudness_and_peak_and_ducks_music(runner: Runner, store: Store) -> None:
    shots, lines = _shots(runner, store)
    total = sum(shots)
    n = total * RATE // FPS
    t = np.arange(n) / RATE
    tone = (0.3 * np.sin(2 * np.pi * 220 * t)).astype(np.float32)
    cue_ref = store.put_bytes(encode_wav(np.stack([tone, tone]), RATE), "audio/wav")
    cue = Cue(audio=cue_ref, sample_rate=RATE, num_samples=n, mode="test", tempo=60,
              instruments=["sine"])
    mixed = runner.run(MixStage(), MixInput(fps=FPS, frames=total, lines=lines,
                                            cues=[PlacedCue(start=0, cue=cue)],
                                            audio=AudioConfig()))
    assert mixed.samples == n and set(mixed.stems) == {"dialogue", "music", "effects"}
    audio, rate = decode_wav(store.read_bytes(mixed.audio))
    assert audio.shape == (2, n) and rate == RATE
    assert abs(loudness(audio, rate) - (-14.0)) <= 1.0
    assert true_peak_db(audio) <= -1.0 + 0.1
    # music alone (the quiet shot) against music under speech: the 220 Hz tone's level
    quiet_start = shots[0] * RATE // FPS
    quiet = audio[0, quiet_start + RATE // 2:quiet_start + 2 * RATE]
    speech_span = audio[0, 10 * RATE // FPS:quiet_start - RATE // 2]

    def tone_level(x: np.ndarray) -> float:
        spectrum = np.abs(np.fft.rfft(x * np.hanning(len(x))))
        bin_ = round(220 * len(x) / RATE)
        return float(spectrum[bin_ - 2:bin_ + 3].max() / len(x))

    ducked_db = 20 * np.log10(tone_level(speech_span) / tone_level(quiet))
    assert ducked_db < -9.0
