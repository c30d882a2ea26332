"""References to stored files and the media artifacts stages hand to each other."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from yingxi.schema.base import Document, Schema

Sha256 = Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]


class BlobRef(Schema):
    """A file in the content-addressed store, named by the sha256 of its bytes."""

    sha256: Sha256
    size: int = Field(ge=0)
    media_type: str


class Take(Document):
    """One rendered candidate of a shot: a video clip without sound, labels or subtitles."""

    SCHEMA = "yingxi.Take/1"

    video: BlobRef
    width: int
    height: int
    fps: int
    frames: int = Field(ge=1)
    painter: str


class Effects(Document):
    """The sound effects under one scene: stereo audio whose beds sit at ``loudness``."""

    SCHEMA = "yingxi.Effects/1"

    audio: BlobRef
    sample_rate: int
    num_samples: int
    loudness: float
    ambience: list[str]
    spots: list[str]


class Cue(Document):
    """A music cue under one scene: stereo audio at the production's sample rate."""

    SCHEMA = "yingxi.Cue/1"

    audio: BlobRef
    sample_rate: int
    num_samples: int
    mode: str
    tempo: float
    instruments: list[str]


class Master(Document):
    """A delivered episode: the labeled MP4 and what was verified about it."""

    SCHEMA = "yingxi.Master/1"

    video: BlobRef
    subtitles: BlobRef
    duration: float
    frames: int
    produce_id: str
    aigc: str


class Segment(Document):
    """One shot of a master, finished (transitions, subtitles, the visible label) and encoded
    with the master's settings, video only, ready to be joined to the others by stream copy."""

    SCHEMA = "yingxi.Segment/1"

    video: BlobRef
    width: int
    height: int
    fps: int
    frames: int = Field(ge=1)


class Mix(Document):
    """An episode's sound: dialogue over ducked music and effects, loudness-normalised and
    peak-limited (16-bit PCM WAV), and its stems as they were mixed."""

    SCHEMA = "yingxi.Mix/1"

    audio: BlobRef
    stems: dict[str, BlobRef] = Field(default_factory=dict,
                                      description="dialogue, music and effects as mixed")
    sample_rate: int
    samples: int = Field(ge=1)


class SoundTrack(Document):
    """The episode's mix encoded as AAC (in an MP4 file, with the encoder's priming
    recorded), ready to be copied under the joined picture."""

    SCHEMA = "yingxi.SoundTrack/1"

    audio: BlobRef
    sample_rate: int
    samples: int = Field(ge=1)
