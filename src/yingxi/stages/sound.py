"""Stage ``sound``: the cut's mix -> the AAC sound of the master.

It runs as soon as the mix is made, beside the painting and the shots' segments (it needs
only the mix), so on a machine with more than one core the master's sound is ready when its
picture is, and the master only copies it.
"""

from __future__ import annotations

from pydantic import Field

from yingxi.media.concat import encode_aac
from yingxi.schema.artifacts import BlobRef, Mix, SoundTrack
from yingxi.schema.base import Schema
from yingxi.stages.base import Stage, StageContext


class SoundInput(Schema):
    """The mix (16-bit PCM WAV) and how much of it lies under the picture."""

    mix: BlobRef
    samples: int = Field(ge=1)


class SoundStage(Stage[SoundInput, SoundTrack]):
    """Encode the episode's mix as AAC, a block at a time."""

    name = "sound"
    version = "2"  # 2: the fast AAC coder
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


def sound_input(mix: Mix) -> SoundInput:
    """The sound task of a mix (made as long as the picture)."""
    return SoundInput(mix=mix.audio, samples=mix.samples)
