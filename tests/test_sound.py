"""The sound of the rendered examples, measured as a platform and a viewer would: loudness and
true peak, joins without clicks, music ducked under speech, voices that differ, lips in sync
with the voice, subtitles that never run ahead of it."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pytest

from tests.measure import median_pitch
from yingxi.backends.embedded.painter.mouth import opening
from yingxi.backends.registry import Registry
from yingxi.media.audio import decode_wav, loudness, true_peak_db
from yingxi.media.encode import read_audio
from yingxi.pipeline.episode import Blocking, EpisodePipeline, EpisodeResult
from yingxi.pipeline.runner import Runner
from yingxi.pipeline.store import Store
from yingxi.schema.speech import Speech
from yingxi.script.production_io import open_production

pytestmark = pytest.mark.slow

RATE = 48000
Audio = npt.NDArray[np.float32]


@dataclass(frozen=True)
class Sound:
    """A rendered example's delivered audio, its stems and its blocking."""

    result: EpisodeResult
    blocked: Blocking
    mix: Audio
    stems: dict[str, Audio]
    fps: int

    def lines(self) -> list[tuple[int, Speech]]:
        """(first sample on the timeline, speech) of every voiced line, in order."""
        starts = self.blocked.shots.line_starts()
        return sorted(((starts[i] * RATE // self.fps, self.blocked.speeches[i])
                       for i in starts), key=lambda p: p[0])

    def voiced(self) -> list[tuple[int, int]]:
        """Timeline sample spans where a voice sounds."""
        return [(at + round(s.voiced_span()[0] * RATE), at + round(s.voiced_span()[1] * RATE))
                for at, s in self.lines()]


def _sound(root: Path, result: EpisodeResult) -> Sound:
    timeline = result.timeline
    assert timeline is not None
    store = Store(root / ".yingxi")
    mix, rate = decode_wav(store.read_bytes(timeline.audio))
    assert rate == RATE
    stems = {name: decode_wav(store.read_bytes(ref))[0] for name, ref in timeline.stems.items()}
    blocked = EpisodePipeline(open_production(root), Runner(store, Registry()),
                              scale=4).block(result.episode)
    return Sound(result, blocked, mix, stems, timeline.fps)


@pytest.fixture(scope="module", params=["paper-lantern", "last-ferry"])
def sound(request: pytest.FixtureRequest) -> Sound:
    if request.param == "paper-lantern":
        root, result, _ = request.getfixturevalue("rendered")
    else:
        root, result = request.getfixturevalue("ferry")
    return _sound(root, result)


def test_delivered_loudness_and_true_peak(sound: Sound) -> None:
    audio, rate = read_audio(sound.result.video)  # what the platform gets: AAC, decoded
    assert abs(loudness(audio, rate) - (-14.0)) <= 1.0
    assert true_peak_db(audio) <= -1.0


def test_stems_add_up_to_the_mix(sound: Sound) -> None:
    assert set(sound.stems) == {"dialogue", "music", "effects"}
    total = sum(sound.stems.values())
    # the limiter only turns peaks down: what it removes is a small part of the mix's energy
    # (speech at -14 LUFS under a -1 dBTP ceiling needs a lot of it: about 6 % with espeak,
    # 12 % with Piper, measured; a dialogue compressor before it would do that job better)
    residual = float(np.sum((total - sound.mix) ** 2) / np.sum(sound.mix ** 2))
    assert residual < 0.2
    assert loudness(sound.stems["effects"], RATE) > -60  # the beds are there


def test_no_click_at_any_join(sound: Sound) -> None:
    joins: set[int] = set()
    frame = 0
    for shot in sound.blocked.shots.shots:  # cuts, where cues and effects start and end
        joins.add(frame * RATE // sound.fps)
        frame += shot.frames
    for at, speech in sound.lines():
        joins.update((at, at + speech.num_samples))
    window = RATE // 10
    checked = 0
    for join in sorted(joins):
        if join <= window or join >= sound.mix.shape[1] - window:
            continue
        step = np.abs(np.diff(sound.mix[:, join - window:join + window], axis=1)).max(axis=0)
        around = np.concatenate([step[:window - 96], step[window + 96:]])
        # a click is a step far beyond what the sound itself does on either side
        assert step[window - 1] <= 2.0 * np.percentile(around, 99) + 1e-3, join / RATE
        checked += 1
    assert checked >= 10


def test_music_is_ducked_under_speech(sound: Sound) -> None:
    music, fps = sound.stems["music"], sound.fps
    frames = music.shape[1] * fps // RATE
    level = np.array([20 * np.log10(np.sqrt(np.mean(
        music[:, k * RATE // fps:(k + 1) * RATE // fps] ** 2)) + 1e-9) for k in range(frames)])
    under = np.zeros(frames, dtype=bool)
    near = np.zeros(frames, dtype=bool)
    settle = round(0.2 * fps)  # the side chain moves for this long at each end of a line
    for a, b in sound.voiced():
        first, last = a * fps // RATE, b * fps // RATE
        under[first + settle:last - settle] = True
        near[max(0, first - 2 * settle):last + 2 * settle] = True
    fading = np.zeros(frames, dtype=bool)  # cues fade in and out at scene changes
    frame, scene = 0, None
    for shot in sound.blocked.shots.shots:
        if shot.scene != scene:
            fading[max(0, frame - 2 * fps):frame + 2 * fps] = True
            scene = shot.scene
        frame += shot.frames
    fading[-2 * fps:] = True
    ducked, between = level[under & ~fading], level[~near & ~fading]
    assert len(ducked) > fps and len(between) > fps // 2
    assert np.median(between) - np.median(ducked) >= 10.0


def test_each_character_has_their_own_voice(sound: Sound) -> None:
    store = Store(sound.result.video.parent.parent / ".yingxi")
    pitch: dict[str, list[float]] = {}
    for shot in sound.blocked.shots.shots:
        if shot.starts_line and shot.speaker:
            speech = sound.blocked.speeches[shot.dialogue_index or 0]
            audio, _ = decode_wav(store.read_bytes(speech.audio))
            pitch.setdefault(shot.speaker, []).append(median_pitch(audio))
    assert len(pitch) >= 2
    medians = {who: float(np.median(p)) for who, p in pitch.items()}
    for a, b in itertools.combinations(medians, 2):  # at least three semitones apart
        assert abs(12 * np.log2(medians[a] / medians[b])) >= 3.0, medians


def test_lips_follow_the_voice_within_a_frame(sound: Sound) -> None:
    """Across the whole episode, the painter's mouth opening (per frame, from the viseme
    track it draws) best matches the voice's envelope at an offset of 0 or ±1 frame."""
    mouth: list[float] = []
    for shot, layout in zip(sound.blocked.shots.shots, sound.blocked.layouts, strict=True):
        speaking = [a for a in layout.actors if a.speaking]
        for i in range(shot.frames):
            mouth.append(opening(speaking[0].visemes[i]) if speaking else np.nan)
    curve = np.array(mouth)
    dialogue, fps = sound.stems["dialogue"], sound.fps
    voice = np.array([np.sqrt(np.mean(dialogue[:, k * RATE // fps:(k + 1) * RATE // fps] ** 2))
                      for k in range(len(curve))])
    seen = ~np.isnan(curve)
    assert seen.sum() > 5 * fps  # the speaker is on screen for a good part of it

    def match(lag: int) -> float:
        a, v, s = curve, voice, seen
        if lag > 0:  # the voice later than the mouth
            a, v, s = curve[:-lag], voice[lag:], seen[:-lag]
        elif lag < 0:
            a, v, s = curve[-lag:], voice[:lag], seen[-lag:]
        return float(np.corrcoef(a[s], v[s])[0, 1])

    scores = {lag: match(lag) for lag in range(-6, 7)}
    best = max(scores, key=lambda k: scores[k])
    assert abs(best) <= 1, scores
    assert scores[best] > 0.5


def test_subtitles_never_run_ahead_of_the_voice(sound: Sound) -> None:
    timeline = sound.result.timeline
    assert timeline is not None
    lines = sound.lines()
    for event in timeline.subtitles:
        # the line this subtitle belongs to: the last one starting at or before it
        owner = max((i for i, (at, _) in enumerate(lines) if at / RATE <= event.start + 2e-3),
                    default=None)
        assert owner is not None, event
        at, speech = lines[owner]
        first_word = min(w.start for w in speech.words)
        assert event.start >= at / RATE + first_word - 1e-3, event
        if owner + 1 < len(lines):
            assert event.end <= lines[owner + 1][0] / RATE + 1e-3, event
    assert len(timeline.subtitles) >= len(lines)
