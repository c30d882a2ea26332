"""Stage ``sound``: the cut's mix -> the AAC sound of the master.

It runs beside the shots' segments (it needs only the mix), so on a machine with more than
one core the master's sound is ready when its picture is, and the master only copies it.
"""

from __future__ import annotations

from pydantic import Field

from yingxi.media.concat import encode_aac
from yingxi.schema.artifacts import BlobRef, SoundTrack
from yingxi.schema.base import Schema
from yingxi.schema.timeline import Timeline
from yingxi.stages.base import Stage, StageContext


class SoundInput(Schema):
    """The mix (16-bit PCM WAV) and how much of it lies under the picture."""

    mix: BlobRef
    samples: int = Field(ge=1)


class SoundStage(Stage[SoundInput, SoundTrack]):
    """Encode the episode's mix as AAC, a block at a time."""

    name = "sound"
    version = "1"
    input_type = SoundInput
    output_type = SoundTrack
    pooled = True

    def label(self, inp: SoundInput) -> str:
        return "the mix as AAC"

    def compute(self, inp: SoundInput, ctx: StageContext) -> SoundTrack:
        with ctx.temp_path(".m4a") as path:
            rate = encode_aac(path, ctx.path(inp.mix), inp.samples)
            ref = ctx.put_file(path, "audio/mp4")
        return SoundTrack(audio=ref, sample_rate=rate, samples=inp.samples)


def sound_input(timeline: Timeline) -> SoundInput:
    """The sound task of a timeline: its mix, cut to the picture's length."""
    return SoundInput(mix=timeline.audio,
                      samples=timeline.frames * timeline.sample_rate // timeline.fps)
