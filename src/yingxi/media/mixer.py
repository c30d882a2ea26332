"""The mix: dialogue first, music ducked under speech, effects beneath both, one loudness.

Every clip laid on a track fades in and out over a few milliseconds, so no join can click
whatever the clip's first and last samples are. The music is ducked by a side chain on the
dialogue (a look-ahead envelope: it is already down when a line starts and comes back up
smoothly after it ends). The balance is set against the dialogue's own gated loudness, so
it holds whatever the voices are; then the whole is normalised to the target loudness and
limited below the true-peak ceiling.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from yingxi.media.audio import (
    Audio,
    as_channels,
    db_to_gain,
    envelope,
    limit,
    loudness,
)
from yingxi.schema.production import AudioConfig

JOIN_FADE = 0.004        # seconds of fade at both ends of every clip on a track
DUCK_ATTACK = 0.06       # seconds the side chain looks ahead of a line
DUCK_RELEASE = 0.35      # seconds over which the music comes back after a line
# AAC encoding adds its own overshoot (about 1 dB on espeak's buzzy voices, measured):
# limit below the target so that the delivered file meets it
AAC_HEADROOM_DB = 1.2
_LOUDNESS_PASSES = 4


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


@dataclass(frozen=True)
class Mixdown:
    """The mixed sound and the stems it was made of, each at the gain it was mixed at (the
    stems add up to the mix before the limiter)."""

    mix: Audio
    dialogue: Audio
    music: Audio
    effects: Audio
    duck: npt.NDArray[np.float32]  # the music's side-chain gain, linear, per sample

    def stems(self) -> dict[str, Audio]:
        """The stems by name, as a timeline for editors carries them."""
        return {"dialogue": self.dialogue, "music": self.music, "effects": self.effects}


def mixdown(dialogue: Audio, music: Audio, effects: Audio, rate: int, config: AudioConfig,
            music_loudness: float, effects_loudness: float) -> Mixdown:
    """Balance, duck, normalise and limit three (2, n) tracks of equal length.

    ``music_loudness`` and ``effects_loudness`` are the nominal levels (LUFS) the music cues
    and the ambience beds were made at: the music goes ``config.music_db`` and the ambience
    ``config.effects_db`` below the dialogue's loudness.
    """
    speech_level = loudness(dialogue, rate)
    if not math.isfinite(speech_level):  # no dialogue at all: set the bed against the target
        speech_level = config.loudness_lufs
    speaking = envelope(dialogue, rate, attack=DUCK_ATTACK, release=DUCK_RELEASE)
    duck = np.power(10.0, config.duck_db * speaking / 20.0).astype(np.float32)
    music = music * duck * np.float32(db_to_gain(speech_level + config.music_db
                                                 - music_loudness))
    effects = effects * np.float32(db_to_gain(speech_level + config.effects_db
                                              - effects_loudness))
    total = dialogue + music + effects
    scale, mix = np.float32(1.0), total
    # the limiter takes some loudness with the peaks it catches: measure again and make it
    # up, a few times, so the delivery lands on the target and not a decibel under it
    for _ in range(_LOUDNESS_PASSES):
        current = loudness(mix, rate)
        if not math.isfinite(current) or abs(current - config.loudness_lufs) < 0.1:
            break
        scale = np.float32(scale * db_to_gain(config.loudness_lufs - current))
        mix = limit(total * scale, rate, config.true_peak_db - AAC_HEADROOM_DB)
    return Mixdown(mix=mix, dialogue=dialogue * scale, music=music * scale,
                   effects=effects * scale, duck=duck)
