"""Stage ``music``: one scene's mood and length -> a music cue through a composer backend."""

from __future__ import annotations

import numpy as np

from yingxi.backends.protocols import Composer, CueRequest
from yingxi.errors import RenderError
from yingxi.media.audio import encode_wav, gain_to_loudness
from yingxi.schema.artifacts import Cue
from yingxi.schema.base import Schema
from yingxi.stages.base import Stage, StageContext

CUE_LOUDNESS = -20.0  # LUFS of every stored cue
_PEAK = 0.95


class MusicInput(Schema):
    """A cue to compose."""

    request: CueRequest
    backend: str


class MusicStage(Stage[MusicInput, Cue]):
    """Score one scene."""

    name = "music"
    version = "2"
    input_type = MusicInput
    output_type = Cue
    pooled = True
    role = "composer"

    def label(self, inp: MusicInput) -> str:
        seconds = inp.request.num_samples / inp.request.sample_rate
        return f"{inp.request.mood} {seconds:.1f}s"

    def compute(self, inp: MusicInput, ctx: StageContext) -> Cue:
        composer: Composer = ctx.backend
        request = inp.request
        result = composer.compose(request)
        samples = np.asarray(result.samples, dtype=np.float32)
        if samples.shape != (2, request.num_samples) or not np.all(np.isfinite(samples)):
            raise RenderError(f"composer {composer.info.name} returned audio of shape "
                              f"{samples.shape}, expected (2, {request.num_samples})")
        # every cue leaves this stage at one loudness, whatever the composer delivered, so the
        # mixer can set music against dialogue with a single number
        samples = gain_to_loudness(samples, request.sample_rate, CUE_LOUDNESS)
        peak = float(np.max(np.abs(samples))) if samples.size else 0.0
        if peak > _PEAK:  # a very dynamic cue: keep it clean rather than exactly on target
            samples = (samples * (_PEAK / peak)).astype(np.float32)
        ref = ctx.put_bytes(encode_wav(samples, request.sample_rate), "audio/wav")
        return Cue(audio=ref, sample_rate=request.sample_rate, num_samples=request.num_samples,
                   mode=result.mode, tempo=result.tempo, instruments=list(result.instruments))
