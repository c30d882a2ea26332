"""The cut: clips in order and subtitles (the edit), and with the mixed sound the timeline,
ready to master."""

from __future__ import annotations

from pydantic import Field

from yingxi.schema.artifacts import BlobRef, Mix
from yingxi.schema.base import Document, Schema
from yingxi.schema.shots import TransitionKind


class VideoClip(Schema):
    """A take placed on the timeline."""

    shot_id: str
    take: BlobRef
    start: int = Field(ge=0, description="first frame on the timeline")
    frames: int = Field(ge=1)
    transition_in: TransitionKind = "cut"
    transition_out: TransitionKind = "cut"


class SubtitleEvent(Schema):
    """A subtitle shown from ``start`` to ``end`` seconds."""

    start: float = Field(ge=0)
    end: float = Field(ge=0)
    text: str
    speaker: str | None = None


class Edit(Schema):
    """One episode's picture edit: its clips in order and its subtitles. Everything the
    segments are made of; the sound is mixed beside them."""

    title: str
    episode: str
    width: int
    height: int
    fps: int
    frames: int = Field(ge=1)
    clips: list[VideoClip] = Field(min_length=1)
    subtitles: list[SubtitleEvent] = Field(default_factory=list)


class Timeline(Edit, Document):
    """One episode's edit and its mixed sound."""

    SCHEMA = "yingxi.Timeline/1"

    audio: BlobRef
    stems: dict[str, BlobRef] = Field(default_factory=dict,
                                      description="dialogue, music and effects as mixed")
    sample_rate: int

    @property
    def duration(self) -> float:
        """Length in seconds."""
        return self.frames / self.fps

    @classmethod
    def of(cls, edit: Edit, mix: Mix) -> Timeline:
        """The timeline of ``edit`` with the sound ``mix``."""
        return cls(**edit.model_dump(), audio=mix.audio, stems=mix.stems,
                   sample_rate=mix.sample_rate)
