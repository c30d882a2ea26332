"""End to end: the bundled Mandarin example rendered (at preview size) and checked like a
platform, a regulator and a viewer would check it."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pytest

from yingxi.backends.registry import Registry
from yingxi.media.audio import loudness, true_peak_db
from yingxi.media.encode import probe, read_audio, read_frames
from yingxi.media.labels import verify_aigc
from yingxi.media.overlay import render_label, render_subtitle
from yingxi.pipeline.episode import EpisodePipeline, EpisodeResult
from yingxi.pipeline.runner import Runner
from yingxi.pipeline.store import Store
from yingxi.schema.layout import FACE_HEIGHT_RATIO, ShotLayout, figure_height
from yingxi.schema.production import LabelConfig
from yingxi.script.production_io import open_production

pytestmark = pytest.mark.slow

Frames = list[npt.NDArray[np.uint8]]


@pytest.fixture(scope="module")
def frames(rendered: tuple[Path, EpisodeResult, float]) -> Frames:
    return list(read_frames(rendered[1].video))


def test_streams_duration_and_label_metadata(rendered: tuple[Path, EpisodeResult, float]
                                             ) -> None:
    root, result, _ = rendered
    info = probe(result.video)
    assert (info.video_codec, info.profile, info.pix_fmt) == ("h264", "High", "yuv420p")
    assert (info.width, info.height, round(info.fps)) == (270, 480, 24)
    assert (info.audio_codec, info.audio_rate, info.audio_channels) == ("aac", 48000, 2)
    planned = result.shots.duration
    assert 45 <= planned <= 75
    assert math.isclose(info.duration, planned, abs_tol=1 / 24)
    assert info.frames == result.shots.frames
    fields = json.loads(info.tags["AIGC"])
    assert fields["Label"] == "1"
    assert verify_aigc(result.video, producer="yingxi-example") == fields
    data = result.video.read_bytes()
    assert data.index(b"moov") < data.index(b"mdat")  # +faststart
    assert (root / "out" / "ep01-preview.srt").read_text(encoding="utf-8").startswith("1\n")


def test_second_render_recomputes_nothing(rendered: tuple[Path, EpisodeResult, float]) -> None:
    _, result, _ = rendered
    report = json.loads(result.report.read_text(encoding="utf-8"))
    # no timing assertion (benchmarks measure speed): nothing computed is what counts
    assert all(stage["computed"] == 0 for stage in report["stages"].values()), report
    assert report["stages"]["master"]["cached"] == 1


def _label_ink(frame: npt.NDArray[np.uint8], cfg: LabelConfig) -> int:
    label = render_label(cfg, frame.shape[1], frame.shape[0])
    glyphs = (label.rgba[..., :3].min(axis=2) > 200) & (label.rgba[..., 3] > 230)
    box = frame[label.y:label.y + label.height, label.x:label.x + label.width]
    return int(((box.min(axis=2) > 170) & glyphs).sum())


def test_visible_label_on_first_and_last_frame(frames: Frames,
                                                rendered: tuple[Path, EpisodeResult, float]
                                                ) -> None:
    cfg = open_production(rendered[0]).config.labels
    label = render_label(cfg, 270, 480)
    glyph_pixels = int(((label.rgba[..., :3].min(axis=2) > 200) & (label.rgba[..., 3] > 230)).sum())
    for index in (0, len(frames) // 2, len(frames) - 1):
        assert _label_ink(frames[index], cfg) > 0.6 * glyph_pixels, index


def test_dialogue_frames_show_their_subtitle(frames: Frames,
                                             rendered: tuple[Path, EpisodeResult, float]
                                             ) -> None:
    _, result, _ = rendered
    srt = result.subtitles.read_text(encoding="utf-8").strip().split("\n\n")
    assert len(srt) >= len([s for s in result.shots.shots if s.starts_line])
    for block in srt:
        _, times, text = block.split("\n", 2)
        start, end = (_seconds(t) for t in times.split(" --> "))
        index = int((start + end) / 2 * 24)
        sub = render_subtitle(text, 270, 480)
        fill = (sub.rgba[..., :3].min(axis=2) > 240) & (sub.rgba[..., 3] > 250)
        box = frames[index][sub.y:sub.y + sub.height, sub.x:sub.x + sub.width]
        shown = (box.min(axis=2) > 150) & fill
        assert shown.sum() > 0.5 * fill.sum(), text


def _seconds(stamp: str) -> float:
    hms, millis = stamp.split(",")
    h, m, s = (int(x) for x in hms.split(":"))
    return h * 3600 + m * 60 + s + int(millis) / 1000


def test_speech_is_heard_where_the_plan_says_and_the_mix_meets_targets(
        rendered: tuple[Path, EpisodeResult, float]) -> None:
    _, result, _ = rendered
    audio, rate = read_audio(result.video)
    mono = audio.mean(axis=0)
    start = 0
    speech_rms: list[float] = []
    quiet_rms: list[float] = []
    for shot in result.shots.shots:
        first = (start + shot.speech_start) * rate // 24
        span = mono[first:(start + shot.frames) * rate // 24]
        rms = float(np.sqrt(np.mean(span ** 2)))
        if shot.starts_line:
            speech_rms.append(rms)
        elif shot.dialogue_index is None:
            quiet_rms.append(rms)
        start += shot.frames
    assert min(speech_rms) > 2.0 * max(quiet_rms)
    assert min(speech_rms) > 10 ** (-30 / 20)
    assert abs(loudness(audio, rate) - (-14.0)) <= 1.0  # measured in the delivered AAC
    assert true_peak_db(audio) <= -1.0


def test_the_speakers_mouth_moves_while_they_speak(
        frames: Frames, rendered: tuple[Path, EpisodeResult, float]) -> None:
    root = rendered[0]
    runner = Runner(Store(root / ".yingxi"), Registry())
    blocked = EpisodePipeline(open_production(root), runner, scale=4).block("ep01")
    checked, start = 0, 0
    for shot, layout in zip(blocked.shots.shots, blocked.layouts, strict=True):
        if shot.starts_line and shot.size in ("medium-close", "close") \
                and shot.speaker in shot.subjects:
            lum = np.array([_mouth_luminance(frames[start + i], layout, i)
                            for i in range(shot.frames)])
            motion = np.abs(np.diff(lum))
            speaking = motion[shot.speech_start + 1:shot.speech_start + 36]
            silent = motion[:shot.speech_start - 1]
            assert speaking.mean() > 3 * max(silent.mean(), 0.05), shot.id
            checked += 1
        start += shot.frames
    assert checked >= 4


def _mouth_luminance(frame: npt.NDArray[np.uint8], layout: ShotLayout, index: int) -> float:
    """Mean brightness of a box around the speaker's mouth, located from the layout."""
    actor = next(a for a in layout.actors if a.speaking)
    height = figure_height(layout.character(actor.character).look)
    cam = layout.camera
    zoom = cam.zoom_at(index / max(1, layout.frames - 1))
    face_y = layout.ground_y - FACE_HEIGHT_RATIO * height

    def screen(wx: float, wy: float) -> tuple[int, int]:
        return (round((wx - cam.center_x) * zoom * layout.width + layout.width / 2),
                round((wy - cam.center_y) * zoom * layout.width + layout.height / 2))

    x0, y0 = screen(actor.x - 0.06 * height, face_y + 0.035 * height)
    x1, y1 = screen(actor.x + 0.06 * height, face_y + 0.095 * height)
    return float(frame[y0:y1, x0:x1].astype(np.float32).mean())
