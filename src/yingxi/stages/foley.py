"""Stage ``foley``: one scene's ambience and spot effects -> a stereo effects track."""

from __future__ import annotations

import numpy as np

from yingxi.backends.protocols import Foley, FoleyRequest
from yingxi.errors import RenderError
from yingxi.media.audio import encode_wav
from yingxi.schema.artifacts import Effects
from yingxi.schema.base import Schema
from yingxi.stages.base import Stage, StageContext


class FoleyInput(Schema):
    """A scene's effects to make."""

    request: FoleyRequest
    backend: str


class FoleyStage(Stage[FoleyInput, Effects]):
    """Make the effects under one scene."""

    name = "foley"
    version = "1"
    input_type = FoleyInput
    output_type = Effects
    pooled = True
    role = "foley"

    def label(self, inp: FoleyInput) -> str:
        beds = "+".join(inp.request.ambience) or "no bed"
        return f"{beds}, {len(inp.request.spots)} spots"

    def compute(self, inp: FoleyInput, ctx: StageContext) -> Effects:
        foley: Foley = ctx.backend
        request = inp.request
        result = foley.render(request)
        samples = np.asarray(result.samples, dtype=np.float32)
        if samples.shape != (2, request.num_samples) or not np.all(np.isfinite(samples)):
            raise RenderError(f"foley backend {foley.info.name} returned audio of shape "
                              f"{samples.shape}, expected (2, {request.num_samples})")
        ref = ctx.put_bytes(encode_wav(np.clip(samples, -1.0, 1.0), request.sample_rate),
                            "audio/wav")
        return Effects(audio=ref, sample_rate=request.sample_rate,
                       num_samples=request.num_samples, loudness=result.loudness,
                       ambience=list(request.ambience),
                       spots=[spot.kind for spot in request.spots])
