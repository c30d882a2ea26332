"""Segments and the master made of them: each shot is finished and encoded on its own, so an
edit re-encodes only the shots it touches, and the joined master shows exactly their frames."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import numpy.typing as npt
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from yingxi.errors import LabelError, RenderError
from yingxi.media.audio import encode_wav
from yingxi.media.encode import TAKE_SETTINGS, VideoWriter, read_frames
from yingxi.media.overlay import Overlay
from yingxi.pipeline.runner import Runner
from yingxi.pipeline.store import Store
from yingxi.schema.artifacts import BlobRef, Mix, Segment
from yingxi.schema.production import LabelConfig
from yingxi.schema.shots import TransitionKind
from yingxi.schema.timeline import Edit, SubtitleEvent, Timeline, VideoClip
from yingxi.stages import segment as segment_module
from yingxi.stages.master import MasterInput, MasterStage
from yingxi.stages.segment import SegmentStage, segment_inputs, subtitle_spans, visible_label
from yingxi.stages.sound import SoundStage, sound_input

W, H, FPS, RATE = 216, 384, 24, 48000
LABELS = LabelConfig(producer="yingxi-test")
Clip = tuple[BlobRef, int, TransitionKind, TransitionKind]


def _ref(n: int) -> BlobRef:
    """A reference that only has to be distinct (for tests that compute keys only)."""
    return BlobRef(sha256=f"{n:064x}", size=1, media_type="video/mp4")


def _timeline(clips: list[Clip], subtitles: list[SubtitleEvent]) -> Edit:
    placed, start = [], 0
    for i, (take, frames, t_in, t_out) in enumerate(clips):
        placed.append(VideoClip(shot_id=f"s{i}", take=take, start=start, frames=frames,
                                transition_in=t_in, transition_out=t_out))
        start += frames
    return Edit(title="t", episode="ep01", width=W, height=H, fps=FPS, frames=start,
                clips=placed, subtitles=subtitles)


def _keys(runner: Runner, timeline: Edit) -> list[str]:
    return [runner.key(SegmentStage(), inp) for inp in segment_inputs(timeline, LABELS)]


# --- what a segment's key holds ----------------------------------------------------------------

@given(starts=st.lists(st.integers(0, 400), min_size=0, max_size=8),
       lengths=st.lists(st.integers(1, 60), min_size=8, max_size=8),
       clip_start=st.integers(0, 300), frames=st.integers(1, 120))
@settings(max_examples=80, deadline=None)
def test_subtitle_spans_show_what_the_frame_middle_falls_in(
        starts: list[int], lengths: list[int], clip_start: int, frames: int) -> None:
    # times in milliseconds, as the cut rounds them; events may overlap: the first one wins
    events = [SubtitleEvent(start=s / 100, end=(s + n) / 100, text=f"line {i}")
              for i, (s, n) in enumerate(zip(starts, lengths, strict=False))]
    spans = subtitle_spans(events, clip_start, frames, FPS)
    for i in range(frames):
        t = (clip_start + i + 0.5) / FPS
        expected = next((e.text for e in events if e.start <= t < e.end), None)
        shown = [s.text for s in spans if s.start <= i < s.end]
        assert shown == ([expected] if expected else []), (i, t)


def test_a_shot_that_only_moves_later_keeps_its_key(runner: Runner) -> None:
    subs = [SubtitleEvent(start=0.5, end=1.2, text="你来了。"),
            SubtitleEvent(start=2.125, end=3.0, text="我来了。")]
    before = _timeline([(_ref(1), 24, "cut", "cut"), (_ref(2), 48, "cut", "fade"),
                        (_ref(3), 30, "dissolve", "cut")], subs)
    # the first shot grows by 12 frames: everything after it moves half a second later
    later = [e.replace(start=round(e.start + 0.5, 3), end=round(e.end + 0.5, 3)) for e in subs]
    after = _timeline([(_ref(11), 36, "cut", "cut"), (_ref(2), 48, "cut", "fade"),
                       (_ref(3), 30, "dissolve", "cut")],
                      [later[0].replace(end=1.7), later[1]])
    one, two = _keys(runner, before), _keys(runner, after)
    assert one[0] != two[0]
    assert one[1:] == two[1:]


def test_a_subtitle_edit_changes_only_the_shots_it_shows_over(runner: Runner) -> None:
    clips: list[Clip] = [(_ref(1), 24, "cut", "cut"), (_ref(2), 24, "cut", "cut"),
                         (_ref(3), 24, "cut", "cut"), (_ref(4), 24, "cut", "cut")]
    subs = [SubtitleEvent(start=0.2, end=0.8, text="一"),
            SubtitleEvent(start=1.5, end=2.5, text="二"),   # over the join of shots 2 and 3
            SubtitleEvent(start=3.2, end=3.6, text="三")]
    base = _keys(runner, _timeline(clips, subs))
    edited = _keys(runner, _timeline(clips, [subs[0], subs[1].replace(text="二二"), subs[2]]))
    assert [a != b for a, b in zip(base, edited, strict=True)] == [False, True, True, False]
    shorter = _keys(runner, _timeline(clips, [subs[0], subs[1], subs[2].replace(end=3.4)]))
    assert [a != b for a, b in zip(base, shorter, strict=True)] == [False, False, False, True]


def test_a_dissolve_depends_on_the_shot_before_and_a_cut_does_not(runner: Runner) -> None:
    clips: list[Clip] = [(_ref(1), 30, "dissolve", "cut"), (_ref(2), 30, "cut", "fade"),
                         (_ref(3), 1, "dissolve", "cut"), (_ref(4), 30, "dissolve", "cut"),
                         (_ref(5), 30, "cut", "cut")]
    inputs = segment_inputs(_timeline(clips, []), LABELS)
    assert [len(i.lead_in) for i in inputs] == [0, 0, 1, 2, 0]
    # a one-frame dissolve is itself a mix of two shots: the next dissolve starts from both
    assert [s.take for s in inputs[3].lead_in] == [_ref(2), _ref(3)]
    assert inputs[2].lead_in[0].transition_out == "fade"  # it dissolves from the faded end
    base = _keys(runner, _timeline(clips, []))
    for changed in range(len(clips)):
        edited = list(clips)
        edited[changed] = (_ref(100 + changed), *clips[changed][1:])
        keys = _keys(runner, _timeline(edited, []))
        touched = [i for i, (a, b) in enumerate(zip(base, keys, strict=True)) if a != b]
        expected = {0: [0], 1: [1, 2, 3], 2: [2, 3], 3: [3], 4: [4]}[changed]
        assert touched == expected, changed


# --- segments and the master, encoded ---------------------------------------------------------

def _take(store: Store, tmp_path: Path, frames: int, colour: tuple[int, int, int]) -> BlobRef:
    """A take of flat ``colour`` with a bar moving across its top rows."""
    path = tmp_path / f"take-{'-'.join(map(str, colour))}-{frames}.mp4"
    with VideoWriter(path, W, H, FPS, TAKE_SETTINGS) as writer:
        for i in range(frames):
            frame = np.empty((H, W, 3), dtype=np.uint8)
            frame[...] = colour
            frame[:8, (4 * i) % W:(4 * i) % W + 8] = 255
            writer.write_frame(frame)
    return store.put_file(path, "video/mp4")


def _sound(store: Store, frames: int) -> Mix:
    t = np.arange(frames * RATE // FPS) / RATE
    tone = 0.2 * np.sin(2 * np.pi * 330 * t)
    audio = store.put_bytes(encode_wav(np.stack([tone, tone]), RATE), "audio/wav")
    return Mix(audio=audio, sample_rate=RATE, samples=t.size)


def _render(runner: Runner, edit: Edit, mix: Mix) -> tuple[list[Segment], Path]:
    segments = runner.run_many(SegmentStage(), segment_inputs(edit, LABELS))
    sound = runner.run(SoundStage(), sound_input(mix))
    timeline = Timeline.of(edit, mix)
    master = runner.run(MasterStage(), MasterInput(timeline=timeline, segments=segments,
                                                   sound=sound, labels=LABELS))
    assert master.frames == timeline.frames
    return segments, runner.store.path(master.video)


RED, GREEN, BLUE, GREY = (200, 40, 40), (40, 180, 60), (40, 60, 200), (150, 150, 150)
SUBTITLES = [SubtitleEvent(start=0.3, end=0.9, text="你来了。"),
             SubtitleEvent(start=1.4, end=1.9, text="我来了。")]


@pytest.fixture
def edit(store: Store, tmp_path: Path) -> list[Clip]:
    """Four shots: a cut, a fade in and out, a one-frame dissolve, a dissolve."""
    return [(_take(store, tmp_path, 20, RED), 20, "cut", "cut"),
            (_take(store, tmp_path, 12, GREEN), 12, "fade", "fade"),
            (_take(store, tmp_path, 3, BLUE), 1, "dissolve", "cut"),
            (_take(store, tmp_path, 18, GREY), 18, "dissolve", "cut")]


def test_the_master_shows_exactly_the_frames_of_its_segments(
        runner: Runner, store: Store, edit: list[Clip]) -> None:
    timeline = _timeline(edit, SUBTITLES)
    segments, master = _render(runner, timeline, _sound(store, 51))
    shown = list(read_frames(master))
    pieces = [f for s in segments for f in read_frames(store.path(s.video))]
    assert len(shown) == len(pieces) == timeline.frames == 51
    for i, (a, b) in enumerate(zip(shown, pieces, strict=True)):
        assert np.array_equal(a, b), f"frame {i}"

    def clean(i: int) -> npt.NDArray[np.float64]:  # mean colour where no overlay is
        patch: npt.NDArray[np.float64] = shown[i][180:200, 150:200].reshape(-1, 3).mean(axis=0)
        return patch

    assert np.allclose(clean(5), RED, atol=4)
    assert clean(20).max() < 0.5 * max(GREEN) and clean(25).max() > 0.9 * max(GREEN)  # fade
    # the one-frame shot dissolves from the faded-out green into blue (half and half), and
    # the grey shot dissolves from that mix
    green_out = np.array(GREEN) / 5  # the fade's last step: (frames - i) / (span + 1)
    mix = (np.array(BLUE) + green_out) / 2
    assert np.allclose(clean(32), mix, atol=5)
    w = 1 / 7  # the first of six dissolve frames
    assert np.allclose(clean(33), w * np.array(GREY) + (1 - w) * mix, atol=5)
    assert np.allclose(clean(45), GREY, atol=4)
    # the visible label is on every frame, from frame 0
    label = visible_label(LABELS, W, H)
    box = (slice(label.y, label.y + label.height), slice(label.x, label.x + label.width))
    for i in (0, 20, 32, 50):
        assert np.abs(shown[i][box].astype(float) - clean(i)).mean() > 20, i
    # subtitles in the lower middle while a line is on, not otherwise
    band = slice(int(0.62 * H), int(0.82 * H))

    def lit(i: int) -> int:
        return int((shown[i][band].min(axis=2) > 225).sum())

    assert lit(int(0.6 * FPS)) > 20 and lit(int(1.6 * FPS)) > 20
    assert lit(2) == 0 and lit(int(1.15 * FPS)) == 0 and lit(49) == 0


def test_changing_one_take_re_encodes_only_its_segment(
        runner: Runner, store: Store, tmp_path: Path, edit: list[Clip]) -> None:
    audio = _sound(store, 51)
    first, _ = _render(runner, _timeline(edit, SUBTITLES), audio)
    before = runner.stats.snapshot()
    changed = list(edit)
    changed[0] = (_take(store, tmp_path, 20, (220, 120, 40)), 20, "cut", "cut")
    second, master = _render(runner, _timeline(changed, SUBTITLES), audio)
    stats = runner.stats.since(before)
    assert stats.stage("segment").misses == 1 and stats.stage("segment").hits == 3
    assert stats.stage("master").misses == 1
    assert first[1:] == second[1:] and first[0] != second[0]
    assert np.allclose(next(iter(read_frames(master)))[180:200, 150:200].reshape(-1, 3)
                       .mean(axis=0), (220, 120, 40), atol=4)
    # a new take under the one-frame dissolve changes the shot that dissolves from it too
    before = runner.stats.snapshot()
    changed[2] = (_take(store, tmp_path, 3, (240, 240, 40)), 1, "dissolve", "cut")
    _render(runner, _timeline(changed, SUBTITLES), audio)
    assert runner.stats.since(before).stage("segment").misses == 2


def test_a_label_too_small_for_the_law_is_refused(
        runner: Runner, store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from yingxi.media.overlay import render_label as real

    def shrunk(cfg: LabelConfig, width: int, height: int) -> Overlay:
        label = real(cfg, width, height)
        return Overlay(x=label.x, y=label.y, rgba=label.rgba, ink_height=0.04 * W)

    monkeypatch.setattr(segment_module, "render_label", shrunk)
    timeline = _timeline([(_take(store, tmp_path, 4, RED), 4, "cut", "cut")], [])
    with pytest.raises(LabelError, match="5 %") as info:
        runner.run_many(SegmentStage(), segment_inputs(timeline, LABELS))
    assert info.value.hint and "height_ratio" in info.value.hint


def test_the_master_refuses_segments_that_do_not_match_its_timeline(
        runner: Runner, store: Store, edit: list[Clip]) -> None:
    cut, mix = _timeline(edit, []), _sound(store, 51)
    segments = runner.run_many(SegmentStage(), segment_inputs(cut, LABELS))
    sound = runner.run(SoundStage(), sound_input(mix))
    timeline = Timeline.of(cut, mix)
    with pytest.raises(RenderError, match="3 segments for 4 clips"):
        runner.run(MasterStage(), MasterInput(timeline=timeline, segments=segments[:3],
                                              sound=sound, labels=LABELS))
    swapped = [segments[1], segments[0], *segments[2:]]
    with pytest.raises(RenderError, match="the segment of shot s0 is 12 frames"):
        runner.run(MasterStage(), MasterInput(timeline=timeline, segments=swapped,
                                              sound=sound, labels=LABELS))
    short = sound.replace(samples=sound.samples - 2000)
    with pytest.raises(RenderError, match="the sound lasts"):
        runner.run(MasterStage(), MasterInput(timeline=timeline, segments=segments,
                                              sound=short, labels=LABELS))
