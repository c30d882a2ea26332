"""Spoken lines: audio plus the phone and word timings that drive mouths and subtitles."""

from __future__ import annotations

from pydantic import Field

from yingxi.schema.artifacts import BlobRef
from yingxi.schema.base import Document, Schema


class Phone(Schema):
    """One phone (IPA symbol) with its time span in seconds from the start of the line.

    An empty symbol is a pause.
    """

    start: float = Field(ge=0)
    end: float = Field(ge=0)
    symbol: str


class Word(Schema):
    """One word (a character, for Chinese) with its time span and its span in the text."""

    start: float = Field(ge=0)
    end: float = Field(ge=0)
    text: str
    char_start: int = Field(ge=0)
    char_end: int = Field(ge=0)


class Speech(Document):
    """A voiced line: mono audio in the store and its timings."""

    SCHEMA = "yingxi.Speech/1"

    text: str
    language: str
    voice: str
    audio: BlobRef
    sample_rate: int
    num_samples: int
    phones: list[Phone]
    words: list[Word]

    @property
    def duration(self) -> float:
        """Length of the audio in seconds."""
        return self.num_samples / self.sample_rate

    def voiced_span(self) -> tuple[float, float]:
        """First and last moment a (non-pause) phone sounds, in seconds."""
        voiced = [p for p in self.phones if p.symbol]
        if not voiced:
            return (0.0, self.duration)
        return (voiced[0].start, voiced[-1].end)
