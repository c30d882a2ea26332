"""The mix's parts: dialogue first, music ducked under speech, effects beneath both, one loudness.

Every clip laid on a track fades in and out over a few milliseconds, so no join can click
whatever the clip's first and last samples are. The music is ducked by a side chain on the
dialogue (a look-ahead envelope: it is already down when a line starts and comes back up
smoothly after it ends). The balance is set against the dialogue's own gated loudness, so
it holds whatever the voices are; then the whole is normalised to the target loudness and
limited below the true-peak ceiling.

The constants and clip fades live here; :mod:`yingxi.media.mixstream` computes the mix a few
seconds at a time, so its memory does not grow with the episode. :class:`Track` lays clips
on a whole-length array, the reference the streamed placement is tested against.
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt

from yingxi.media.audio import (
    Audio,
    as_channels,
)

JOIN_FADE = 0.004        # seconds of fade at both ends of every clip on a track
DUCK_ATTACK = 0.06       # seconds the side chain looks ahead of a line
DUCK_RELEASE = 0.35      # seconds over which the music comes back after a line
# AAC encoding adds its own overshoot (about 1 dB on espeak's buzzy voices, measured):
# limit below the target so that the delivered file meets it
AAC_HEADROOM_DB = 1.2


class Track:
    """A stereo track that clips are laid on, each with short fades at its ends."""

    def __init__(self, samples: int, rate: int) -> None:
        """An empty (silent) track ``samples`` long."""
        self.rate = rate
        self.audio: Audio = np.zeros((2, samples), dtype=np.float32)

    def place(self, clip: npt.NDArray[np.floating], at: int) -> None:
        """Add ``clip`` (mono or stereo) starting at sample ``at``; what runs past the end of
        the track is cut, with its own fade."""
        stereo = as_channels(np.asarray(clip, dtype=np.float32), 2)
        end = min(self.audio.shape[1], at + stereo.shape[1])
        if end <= at:
            return
        piece = stereo[:, : end - at] * faded(end - at, round(JOIN_FADE * self.rate))
        self.audio[:, at:end] += piece


def faded(n: int, fade: int) -> npt.NDArray[np.float32]:
    """A gain curve of ``n`` samples: raised-cosine ramps of ``fade`` samples at both ends."""
    gain = np.ones(n, dtype=np.float32)
    fade = min(fade, n // 2)
    if fade > 0:
        ramp = 0.5 - 0.5 * np.cos(np.linspace(0.0, math.pi, fade + 2, dtype=np.float32)[1:-1])
        gain[:fade] = ramp
        gain[n - fade:] = ramp[::-1]
    return gain
