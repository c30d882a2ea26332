"""The embedded foley: a scene's ambience beds and spot effects, synthesised (no samples).

Beds come from :func:`.effects.ambience` at one loudness and are summed (two beds under one
scene, waves and night insects, sit a little lower each so the pair holds that loudness);
spots from :func:`.effects.spot` and :func:`.effects.footsteps` are laid on top at their
moments, a few dB under their nominal level so a door is heard without startling.
"""

from __future__ import annotations

import logging
import math

import numpy as np

from yingxi.backends.protocols import BackendInfo, FoleyAudio, FoleyRequest, SpotEffect

log = logging.getLogger(__name__)

_SPOT_DB = -4.0     # spots under their nominal level: heard, not startling
_SPOT_PARAMS: dict[str, dict[str, object]] = {
    "door": {"action": "open"}, "bell": {"variety": "temple"}, "splash": {"size": 1.0},
    "thunder": {},
}


class EmbeddedFoley:
    """Ambience and spot effects made with numpy and scipy; a pure function of the request."""

    info = BackendInfo(role="foley", name="embedded", version="1")

    def render(self, request: FoleyRequest) -> FoleyAudio:
        """Render exactly ``request.num_samples`` stereo samples of the scene's effects."""
        from yingxi.backends.embedded.effects import AMBIENCE_LUFS, ambience

        n, rate = request.num_samples, request.sample_rate
        out = np.zeros((2, n), dtype=np.float32)
        if request.ambience:
            # uncorrelated beds add in power: keep the sum at the beds' nominal loudness
            share = np.float32(1.0 / math.sqrt(len(request.ambience)))
            for kind in request.ambience:
                out += ambience(kind, n, rate, f"{request.seed}") * share
        for index, spot in enumerate(request.spots):
            sound = _spot(spot, rate, f"{request.seed}/{index}")
            at = round(spot.at * rate)
            end = min(n, at + sound.shape[1])
            if end > at:
                out[:, at:end] += sound[:, : end - at] * np.float32(10 ** (_SPOT_DB / 20))
        log.debug("foley: %s beds, %d spots, %.1f s", "+".join(request.ambience) or "no",
                  len(request.spots), n / rate)
        return FoleyAudio(samples=out, loudness=AMBIENCE_LUFS)


def _spot(spot: SpotEffect, rate: int, key: str) -> np.ndarray:
    from yingxi.backends.embedded import effects

    if spot.kind == "footsteps":
        return effects.footsteps(max(0.3, spot.seconds), pace=0.5, surface=spot.surface, rate=rate,
                         key=key)
    return effects.spot(spot.kind, rate, key, **_SPOT_PARAMS.get(spot.kind, {}))
