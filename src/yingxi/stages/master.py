"""Stage ``master``: timeline -> the delivered MP4, labeled as the law requires.

One pass decodes the takes in order, applies transitions, burns in subtitles and the visible
``AI生成`` label (every frame, from frame 0), and encodes H.264 High / yuv420p with AAC 48 kHz
stereo, ``+faststart``, and the GB 45438-2025 ``AIGC`` metadata key. The file is then read
back: wrong streams, a wrong length or a missing label fail the stage, so an unlabeled
master is never delivered.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import numpy.typing as npt

from yingxi.errors import LabelError, RenderError
from yingxi.export.srt import to_srt
from yingxi.media.audio import decode_wav
from yingxi.media.encode import MASTER_SETTINGS, VideoWriter, probe, read_frames
from yingxi.media.labels import aigc_value, verify_aigc
from yingxi.media.overlay import Overlay, composite, render_label, render_subtitle
from yingxi.schema.artifacts import Master
from yingxi.schema.base import Schema, sha256_hex
from yingxi.schema.production import LabelConfig
from yingxi.schema.timeline import SubtitleEvent, Timeline, VideoClip
from yingxi.stages.base import Stage, StageContext

Frame = npt.NDArray[np.uint8]
TRANSITION_SECONDS = 0.5
MIN_LABEL_RATIO = 0.05  # GB 45438-2025 §5.4: text height >= 5 % of the short side
MOVFLAGS = "use_metadata_tags+faststart"  # without use_metadata_tags FFmpeg drops AIGC


class MasterInput(Schema):
    """The edit and how to label it."""

    timeline: Timeline
    labels: LabelConfig


class MasterStage(Stage[MasterInput, Master]):
    """Render, label and verify the delivered episode."""

    name = "master"
    version = "1"
    input_type = MasterInput
    output_type = Master

    def label(self, inp: MasterInput) -> str:
        return f"{inp.timeline.episode} ({inp.timeline.frames} frames)"

    def compute(self, inp: MasterInput, ctx: StageContext) -> Master:
        tl = inp.timeline
        # Same edit, same ID: derived from the content, so re-renders are reproducible.
        produce_id = f"{_ascii_id(tl.episode)}-{sha256_hex(inp.canonical_json())[:20]}"
        aigc = aigc_value(inp.labels.producer, produce_id)
        audio, rate = decode_wav(ctx.read_bytes(tl.audio))
        samples_per_frame = rate // tl.fps
        if audio.shape[1] < tl.frames * samples_per_frame:
            raise RenderError("the mixed sound is shorter than the picture")
        label = render_label(inp.labels, tl.width, tl.height)
        if label.ink_height < MIN_LABEL_RATIO * min(tl.width, tl.height):
            raise LabelError(f"the visible label's glyphs are {label.ink_height:.1f} px tall, "
                             f"below 5 % of the frame's short side",
                             hint="raise [labels] height_ratio in yingxi.toml")
        subtitles = _SubtitleTrack(tl.subtitles, tl.width, tl.height)
        with ctx.temp_path(".mp4") as path:
            metadata = {"AIGC": aigc, "title": tl.title, "comment": "AI生成 / AI-generated"}
            with VideoWriter(path, tl.width, tl.height, tl.fps, MASTER_SETTINGS,
                             audio_rate=rate, metadata=metadata, movflags=MOVFLAGS) as out:
                for index, frame in enumerate(self._frames(tl, ctx)):
                    t = (index + 0.5) / tl.fps
                    overlay = subtitles.at(t)
                    if overlay is not None:
                        composite(frame, overlay)
                    composite(frame, label)
                    out.write_frame(frame)
                    start = index * samples_per_frame
                    out.write_audio(audio[:, start:start + samples_per_frame])
                    ctx.progress(index + 1, tl.frames)
            _verify(path, tl, inp.labels)
            video = ctx.put_file(path, "video/mp4")
        srt = ctx.put_bytes(to_srt(tl.subtitles).encode("utf-8"), "application/x-subrip")
        return Master(video=video, subtitles=srt, duration=tl.duration, frames=tl.frames,
                      produce_id=produce_id, aigc=aigc)

    def _frames(self, tl: Timeline, ctx: StageContext) -> Iterator[Frame]:
        previous_last: Frame | None = None
        for clip in tl.clips:
            last: Frame | None = None
            for i, frame in enumerate(_clip_frames(clip, ctx)):
                frame = _transition(frame, clip, i, tl.fps, previous_last)
                last = frame.copy() if i == clip.frames - 1 else last
                yield frame
            previous_last = last


def _clip_frames(clip: VideoClip, ctx: StageContext) -> Iterator[Frame]:
    """Exactly ``clip.frames`` writable frames of the take."""
    count = 0
    for frame in read_frames(ctx.path(clip.take)):
        if count == clip.frames:
            break
        yield frame.copy()  # a private, writable copy: overlays draw into it
        count += 1
    if count != clip.frames:
        raise RenderError(f"take of shot {clip.shot_id} has {count} frames, "
                          f"the timeline needs {clip.frames}",
                          hint="re-render: the take in the store does not match the plan")


def _transition(frame: Frame, clip: VideoClip, i: int, fps: int,
                previous_last: Frame | None) -> Frame:
    span = max(1, min(round(TRANSITION_SECONDS * fps), clip.frames // 3))
    if clip.transition_in == "fade" and i < span:
        frame = _scale(frame, (i + 1) / (span + 1))
    elif clip.transition_in == "dissolve" and i < span and previous_last is not None:
        w = (i + 1) / (span + 1)
        frame = (frame * w + previous_last * (1 - w) + 0.5).astype(np.uint8)
    if clip.transition_out == "fade" and i >= clip.frames - span:
        frame = _scale(frame, (clip.frames - i) / (span + 1))
    return frame


def _scale(frame: Frame, k: float) -> Frame:
    return (frame.astype(np.float32) * k + 0.5).astype(np.uint8)


class _SubtitleTrack:
    """Subtitle rasters, made once per event when first shown."""

    def __init__(self, events: list[SubtitleEvent], width: int, height: int) -> None:
        self.events = events
        self.width, self.height = width, height
        self._cache: dict[int, Overlay] = {}

    def at(self, t: float) -> Overlay | None:
        for i, event in enumerate(self.events):
            if event.start <= t < event.end:
                if i not in self._cache:
                    self._cache = {i: render_subtitle(event.text, self.width, self.height)}
                return self._cache[i]
        return None


def _verify(path: Path, tl: Timeline, labels: LabelConfig) -> None:
    """Read the master back; raise if anything a platform or regulator checks is off."""
    info = probe(path)
    problems = []
    if info.video_codec != "h264" or info.profile != "High" or info.pix_fmt != "yuv420p":
        problems.append(f"video is {info.video_codec} {info.profile} {info.pix_fmt}")
    if (info.width, info.height) != (tl.width, tl.height) or round(info.fps) != tl.fps:
        problems.append(f"video is {info.width}x{info.height} at {info.fps} fps")
    if info.frames != tl.frames:
        problems.append(f"video has {info.frames} frames, the timeline {tl.frames}")
    if info.audio_codec != "aac" or info.audio_rate != 48000 or info.audio_channels != 2:
        problems.append(f"audio is {info.audio_codec} {info.audio_rate} Hz "
                        f"{info.audio_channels} ch")
    if not math.isclose(info.duration, tl.duration, abs_tol=1 / tl.fps):
        problems.append(f"duration {info.duration:.3f}s, planned {tl.duration:.3f}s")
    if problems:
        raise RenderError("the master does not match its timeline: " + "; ".join(problems))
    verify_aigc(path, producer=labels.producer)  # raises LabelError: never deliver unlabeled


def _ascii_id(text: str) -> str:
    cleaned = "".join(ch if ch.isascii() and (ch.isalnum() or ch in "-_") else "-"
                      for ch in text)
    return cleaned.strip("-") or "episode"
