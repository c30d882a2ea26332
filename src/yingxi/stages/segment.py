"""Stage ``segment``: one shot of the timeline -> its finished, labeled picture, encoded.

A segment is a clip exactly as the master shows it: the take's frames with the clip's fades
or dissolve, the subtitles over it and the visible ``AI生成`` label on every frame, encoded
with the master's settings. Every segment starts with an IDR frame and all share one codec
configuration, so the master joins them by stream copy (:mod:`yingxi.media.concat`) and an
edit re-encodes only the shots it touches.

A segment's input holds only what decides its pixels. Subtitles are given as frame ranges
counted from the clip's first frame, not as seconds on the episode's clock, so a shot that
merely moves later in the episode (a line before it grew longer) keeps its key.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Protocol

import av
import numpy as np
import numpy.typing as npt
from av.video.reformatter import Colorspace
from pydantic import Field

from yingxi.errors import LabelError, RenderError
from yingxi.media.encode import MASTER_SETTINGS, VideoWriter, read_frames
from yingxi.media.overlay import Overlay, composite, render_label, render_subtitle
from yingxi.schema.artifacts import BlobRef, Segment
from yingxi.schema.base import Schema
from yingxi.schema.production import LabelConfig
from yingxi.schema.shots import TransitionKind
from yingxi.schema.timeline import Edit, SubtitleEvent, VideoClip
from yingxi.stages.base import Stage, StageContext

Frame = npt.NDArray[np.uint8]
TRANSITION_SECONDS = 0.5
MIN_LABEL_RATIO = 0.05  # GB 45438-2025 §5.4: text height >= 5 % of the short side


class SegmentSource(Schema):
    """A take as one clip of the timeline uses it."""

    take: BlobRef
    frames: int = Field(ge=1, description="the first frames of the take the clip shows")
    transition_in: TransitionKind = "cut"
    transition_out: TransitionKind = "cut"

    @classmethod
    def of(cls, clip: VideoClip) -> SegmentSource:
        """The part of ``clip`` that decides its pixels."""
        return cls(take=clip.take, frames=clip.frames, transition_in=clip.transition_in,
                   transition_out=clip.transition_out)


class SegmentSubtitle(Schema):
    """A subtitle over frames ``start`` to ``end`` (exclusive) of one segment."""

    start: int = Field(ge=0)
    end: int = Field(ge=1)
    text: str


class SegmentInput(Schema):
    """One clip and everything drawn over it."""

    clip: SegmentSource
    lead_in: list[SegmentSource] = Field(
        default_factory=list,
        description="for a dissolve: the clips before this one, earliest first, whose last "
                    "frame the dissolve starts from (more than one only when a one-frame "
                    "clip that itself dissolves comes before)")
    subtitles: list[SegmentSubtitle] = Field(default_factory=list)
    labels: LabelConfig
    width: int
    height: int
    fps: int


class SegmentStage(Stage[SegmentInput, Segment]):
    """Composite and encode one shot of the master."""

    name = "segment"
    version = "1"
    input_type = SegmentInput
    output_type = Segment
    pooled = True

    def label(self, inp: SegmentInput) -> str:
        return f"{inp.clip.frames} frames"

    def compute(self, inp: SegmentInput, ctx: StageContext) -> Segment:
        clip = inp.clip
        label = visible_label(inp.labels, inp.width, inp.height)
        subtitles = _Subtitles(inp.subtitles, inp.width, inp.height)
        before = _lead_in_frame(inp.lead_in, inp.fps, ctx) if inp.lead_in else None
        with ctx.temp_path(".mp4") as path:
            with VideoWriter(path, inp.width, inp.height, inp.fps, MASTER_SETTINGS) as out:
                for i, frame in enumerate(_clip_frames(ctx.path(clip.take), clip.frames)):
                    frame = transition(frame, clip, i, inp.fps, before)
                    overlay = subtitles.at(i)
                    if overlay is not None:
                        composite(frame, overlay)
                    composite(frame, label)
                    out.write_frame(frame)  # a fresh array each time: the writer keeps it
                    ctx.progress(i + 1, clip.frames)
            video = ctx.put_file(path, "video/mp4")
        return Segment(video=video, width=inp.width, height=inp.height, fps=inp.fps,
                       frames=clip.frames)


def segment_inputs(timeline: Edit, labels: LabelConfig) -> list[SegmentInput]:
    """The segment of every clip of the edit ``timeline``, in order."""
    clips = timeline.clips
    inputs = []
    for index, clip in enumerate(clips):
        lead_in: list[SegmentSource] = []
        if clip.transition_in == "dissolve" and index > 0:
            first = index - 1
            # a one-frame clip that dissolves in is itself a mix with the clip before it
            while first > 0 and _needs_previous(clips[first], clips[first].frames - 1,
                                                timeline.fps):
                first -= 1
            lead_in = [SegmentSource.of(c) for c in clips[first:index]]
        inputs.append(SegmentInput(
            clip=SegmentSource.of(clip), lead_in=lead_in,
            subtitles=subtitle_spans(timeline.subtitles, clip.start, clip.frames,
                                     timeline.fps),
            labels=labels, width=timeline.width, height=timeline.height, fps=timeline.fps))
    return inputs


def subtitle_spans(events: list[SubtitleEvent], start: int, frames: int,
                   fps: int) -> list[SegmentSubtitle]:
    """Which subtitle shows on each frame of a clip starting at timeline frame ``start``,
    as runs of frames counted from the clip's start.

    A frame shows the first event that holds the middle of the frame, ``(n + 0.5) / fps``
    seconds for timeline frame ``n``: the rule the master always used, so subtitles stay on
    the same frames.
    """
    first_t, last_t = start / fps, (start + frames) / fps
    near = [e for e in events if e.start <= last_t and e.end >= first_t]
    spans: list[SegmentSubtitle] = []
    for i in range(frames):
        t = (start + i + 0.5) / fps
        text = next((e.text for e in near if e.start <= t < e.end), None)
        if text is None:
            continue
        if spans and spans[-1].end == i and spans[-1].text == text:
            spans[-1] = spans[-1].replace(end=i + 1)
        else:
            spans.append(SegmentSubtitle(start=i, end=i + 1, text=text))
    return spans


def visible_label(labels: LabelConfig, width: int, height: int) -> Overlay:
    """The visible AI label for a ``width`` x ``height`` frame, checked against the law."""
    label = render_label(labels, width, height)
    if label.ink_height < MIN_LABEL_RATIO * min(width, height):
        raise LabelError(f"the visible label's glyphs are {label.ink_height:.1f} px tall, "
                         f"below 5 % of the frame's short side",
                         hint="raise [labels] height_ratio in yingxi.toml")
    return label


class _Fades(Protocol):
    """What a transition needs to know about a clip."""

    @property
    def frames(self) -> int: ...

    @property
    def transition_in(self) -> TransitionKind: ...

    @property
    def transition_out(self) -> TransitionKind: ...


def _span(clip: _Fades, fps: int) -> int:
    """Frames a transition lasts at each end of ``clip``."""
    return max(1, min(round(TRANSITION_SECONDS * fps), clip.frames // 3))


def _needs_previous(clip: _Fades, i: int, fps: int) -> bool:
    """Whether frame ``i`` of ``clip`` mixes in the last frame of the clip before."""
    return clip.transition_in == "dissolve" and i < _span(clip, fps)


def transition(frame: Frame, clip: _Fades, i: int, fps: int, before: Frame | None) -> Frame:
    """Frame ``i`` of ``clip`` with its fades applied; a dissolve mixes in ``before``, the
    last frame of the clip before (none for the first clip: it then shows as a cut)."""
    span = _span(clip, fps)
    if clip.transition_in == "fade" and i < span:
        frame = _scale(frame, (i + 1) / (span + 1))
    elif clip.transition_in == "dissolve" and i < span and before is not None:
        w = (i + 1) / (span + 1)
        frame = (frame * w + before * (1 - w) + 0.5).astype(np.uint8)
    if clip.transition_out == "fade" and i >= clip.frames - span:
        frame = _scale(frame, (clip.frames - i) / (span + 1))
    return frame


def _scale(frame: Frame, k: float) -> Frame:
    return (frame.astype(np.float32) * k + 0.5).astype(np.uint8)


def _clip_frames(path: Path, frames: int) -> Iterator[Frame]:
    """Exactly ``frames`` writable frames of the take at ``path``."""
    count = 0
    for frame in read_frames(path):
        if count == frames:
            break
        yield frame.copy()  # a private, writable copy: overlays draw into it
        count += 1
    if count != frames:
        raise RenderError(f"a take has {count} frames, the timeline needs {frames}",
                          hint="re-render: the take in the store does not match the plan")


def _lead_in_frame(chain: list[SegmentSource], fps: int, ctx: StageContext) -> Frame:
    """The last frame of the last clip of ``chain`` as the master shows it, without
    overlays: the picture a dissolve into the next clip starts from."""
    first, *rest = chain  # the first needs no frame before it (or has none: the episode's first)
    before = _last_frame(first, fps, None, ctx)
    for source in rest:
        before = _last_frame(source, fps, before, ctx)
    return before


def _last_frame(source: SegmentSource, fps: int, before: Frame | None,
                ctx: StageContext) -> Frame:
    last = _frame_at(ctx.path(source.take), source.frames - 1)
    return transition(last, source, source.frames - 1, fps, before)


def _frame_at(path: Path, index: int) -> Frame:
    """Frame ``index`` of the video at ``path`` as RGB, as :func:`read_frames` gives it, but
    converting only that frame (conversion to RGB costs more than decoding)."""
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        stream.thread_type = "AUTO"
        for i, frame in enumerate(container.decode(stream)):
            if i == index:
                rgb = frame.to_ndarray(format="rgb24", src_colorspace=Colorspace.ITU709,
                                       dst_colorspace=Colorspace.ITU709)
                return np.array(rgb, dtype=np.uint8)  # a private copy: PyAV may reuse it
    raise RenderError(f"a take has fewer than {index + 1} frames, the timeline needs "
                      f"{index + 1}",
                      hint="re-render: the take in the store does not match the plan")


class _Subtitles:
    """Subtitle rasters of one segment, each made once, when first shown."""

    def __init__(self, spans: list[SegmentSubtitle], width: int, height: int) -> None:
        self.spans = spans
        self.width, self.height = width, height
        self._cache: dict[str, Overlay] = {}

    def at(self, i: int) -> Overlay | None:
        for span in self.spans:
            if span.start <= i < span.end:
                if span.text not in self._cache:
                    self._cache[span.text] = render_subtitle(span.text, self.width,
                                                             self.height)
                return self._cache[span.text]
        return None
