"""Stage ``mix``: the lines, music cues and effects placed on the timeline -> the episode's
sound.

Lines are placed on the timeline on their own, not inside shots, so a line can run on over
the next shot (an L-cut onto a listener's reaction). The mix puts dialogue first, ducks the
music under speech, normalises loudness and limits true peaks. It needs no picture, so it
runs beside the painting and the segments (see :mod:`yingxi.pipeline.edit` for where
everything falls).
"""

from __future__ import annotations

import contextlib
from pathlib import Path

from pydantic import Field

from yingxi.errors import RenderError
from yingxi.media.mixstream import DEFAULT_BLOCK, Clip, Settled, StreamMixer, Tracks, open_clip
from yingxi.schema.artifacts import BlobRef, Cue, Effects, Mix
from yingxi.schema.base import Schema
from yingxi.schema.production import AudioConfig
from yingxi.schema.speech import Speech
from yingxi.stages.base import Stage, StageContext
from yingxi.stages.music import CUE_LOUDNESS

SAMPLE_RATE = 48000


class PlacedLine(Schema):
    """A voiced line placed on the timeline, independent of the cuts (a line may run on over
    the next shot, as over a listener's reaction)."""

    start: int = Field(ge=0, description="frame where the line's audio starts")
    speech: Speech


class PlacedCue(Schema):
    """A music cue placed at a frame."""

    start: int = Field(ge=0)
    cue: Cue


class PlacedEffects(Schema):
    """A scene's effects track placed at a frame."""

    start: int = Field(ge=0)
    effects: Effects


class MixInput(Schema):
    """Everything the episode's sound is made of, placed on a timeline ``frames`` long."""

    fps: int
    frames: int = Field(ge=1)
    lines: list[PlacedLine] = Field(default_factory=list, description="in timeline order")
    cues: list[PlacedCue] = Field(default_factory=list)
    effects: list[PlacedEffects] = Field(default_factory=list)
    audio: AudioConfig


class MixStage(Stage[MixInput, Mix]):
    """Mix the episode's sound."""

    name = "mix"
    version = "1"
    input_type = MixInput
    output_type = Mix
    pooled = True

    def label(self, inp: MixInput) -> str:
        return f"{len(inp.lines)} lines, {len(inp.cues)} cues ({inp.frames} frames)"

    def compute(self, inp: MixInput, ctx: StageContext) -> Mix:
        with contextlib.ExitStack() as files:
            # the mix and its stems go straight to work files, a block at a time
            mix_path = files.enter_context(ctx.temp_path(".wav"))
            stem_paths = {name: files.enter_context(ctx.temp_path(".wav"))
                          for name in ("dialogue", "music", "effects")}
            mix(inp, ctx, mix_path, stem_paths)
            ref = ctx.put_file(mix_path, "audio/wav")
            stems = {name: ctx.put_file(path, "audio/wav")
                     for name, path in stem_paths.items()}
        return Mix(audio=ref, stems=stems, sample_rate=SAMPLE_RATE,
                   samples=inp.frames * SAMPLE_RATE // inp.fps)


def mix(inp: MixInput, ctx: StageContext, mix_path: Path, stem_paths: dict[str, Path],
        block: int = DEFAULT_BLOCK) -> Settled:
    """Dialogue over ducked music and effects, loudness-normalised and peak-limited, (2, n)
    at 48 kHz, written to ``mix_path`` and the stems to ``stem_paths``; every clip joins its
    track with short fades (see :mod:`yingxi.media.mixstream`). Streamed in blocks of
    ``block`` samples: the memory it takes does not grow with the episode."""
    n = inp.frames * SAMPLE_RATE // inp.fps
    levels = {bed.effects.loudness for bed in inp.effects}
    if len(levels) > 1:
        raise RenderError(f"effects tracks made at different levels {sorted(levels)} LUFS",
                          hint="one foley backend per production")
    tracks = Tracks(
        dialogue=[_clip(ctx, line.speech.audio, line.start * SAMPLE_RATE // inp.fps,
                        f"the line {line.speech.text[:20]!r}") for line in inp.lines],
        music=[_clip(ctx, placed.cue.audio, placed.start * SAMPLE_RATE // inp.fps,
                     "a music cue") for placed in inp.cues],
        effects=[_clip(ctx, bed.effects.audio, bed.start * SAMPLE_RATE // inp.fps,
                       "an effects track") for bed in inp.effects],
        samples=n, rate=SAMPLE_RATE)
    mixer = StreamMixer(tracks, inp.audio, music_loudness=CUE_LOUDNESS,
                        effects_loudness=levels.pop() if levels else CUE_LOUDNESS,
                        block=block)
    return mixer.run(mix_path, stem_paths)


def _clip(ctx: StageContext, ref: BlobRef, at: int, what: str) -> Clip:
    try:
        return open_clip(ctx.path(ref), at, SAMPLE_RATE)
    except ValueError as exc:
        raise RenderError(f"{what} {exc}") from exc
