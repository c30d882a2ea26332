"""Stage ``master``: timeline and its finished segments -> the delivered MP4, labeled as the
law requires.

The picture comes from the ``segment`` stage: every shot already carries its transitions,
subtitles and the visible ``AI生成`` label (every frame, from frame 0), encoded H.264 High /
yuv420p with the master's settings. This stage joins them by stream copy, without decoding a
pixel, so after an edit only the touched shots are encoded again. It copies in the sound the
``sound`` stage encoded (AAC 48 kHz stereo) and adds ``+faststart`` and the GB 45438-2025
``AIGC`` metadata key. The file is
then read back: wrong streams, a wrong length or a missing label fail the stage, so an
unlabeled master is never delivered.
"""

from __future__ import annotations

import math
from pathlib import Path

from yingxi.errors import RenderError
from yingxi.export.srt import to_srt
from yingxi.media.concat import concat_mp4
from yingxi.media.encode import probe
from yingxi.media.labels import aigc_value, verify_aigc
from yingxi.schema.artifacts import Master, Segment, SoundTrack
from yingxi.schema.base import Schema, sha256_hex
from yingxi.schema.production import LabelConfig
from yingxi.schema.timeline import Timeline
from yingxi.stages.base import Stage, StageContext

MOVFLAGS = "use_metadata_tags+faststart"  # without use_metadata_tags FFmpeg drops AIGC


class MasterInput(Schema):
    """The edit, its finished shots (one segment per clip, in order) and how to label it."""

    timeline: Timeline
    segments: list[Segment]
    sound: SoundTrack
    labels: LabelConfig


class MasterStage(Stage[MasterInput, Master]):
    """Join, label and verify the delivered episode."""

    name = "master"
    version = "3"
    input_type = MasterInput
    output_type = Master

    def label(self, inp: MasterInput) -> str:
        return f"{inp.timeline.episode} ({inp.timeline.frames} frames)"

    def compute(self, inp: MasterInput, ctx: StageContext) -> Master:
        tl = inp.timeline
        _check_segments(inp)
        # Same edit, same ID: derived from the content, so re-renders are reproducible.
        produce_id = f"{_ascii_id(tl.episode)}-{sha256_hex(inp.canonical_json())[:20]}"
        aigc = aigc_value(inp.labels.producer, produce_id)
        if inp.sound.samples != tl.frames * (inp.sound.sample_rate // tl.fps):
            raise RenderError(f"the sound lasts {inp.sound.samples} samples, the picture "
                              f"{tl.frames} frames", hint="this is a bug in yingxi: the "
                              "sound is encoded for the timeline's length")
        with ctx.temp_path(".mp4") as path:
            metadata = {"AIGC": aigc, "title": tl.title, "comment": "AI生成 / AI-generated"}
            concat_mp4(path, [ctx.path(s.video) for s in inp.segments], tl.fps,
                       sound=ctx.path(inp.sound.audio), metadata=metadata,
                       movflags=MOVFLAGS, progress=ctx.progress)
            _verify(path, tl, inp.labels)
            video = ctx.put_file(path, "video/mp4")
        srt = ctx.put_bytes(to_srt(tl.subtitles).encode("utf-8"), "application/x-subrip")
        return Master(video=video, subtitles=srt, duration=tl.duration, frames=tl.frames,
                      produce_id=produce_id, aigc=aigc)


def _check_segments(inp: MasterInput) -> None:
    """Every clip has its segment, the size, rate and length the timeline expects."""
    tl = inp.timeline
    if len(inp.segments) != len(tl.clips):
        raise RenderError(f"{len(inp.segments)} segments for {len(tl.clips)} clips",
                          hint="this is a bug in yingxi: one segment per clip")
    for clip, seg in zip(tl.clips, inp.segments, strict=True):
        if (seg.width, seg.height, seg.fps, seg.frames) != (tl.width, tl.height, tl.fps,
                                                            clip.frames):
            raise RenderError(f"the segment of shot {clip.shot_id} is {seg.frames} frames "
                              f"at {seg.width}x{seg.height} and {seg.fps} fps, the timeline "
                              f"needs {clip.frames} at {tl.width}x{tl.height} and {tl.fps}",
                              hint="this is a bug in yingxi: segments follow the timeline")


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
