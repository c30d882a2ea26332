"""The shot plan: what the camera shows, for how long, in what order."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from yingxi.schema.base import Document, Schema
from yingxi.schema.screenplay import TimeOfDay

Framing = Literal["wide", "medium", "close"]
TransitionKind = Literal["cut", "fade", "dissolve"]
Expression = Literal["neutral", "happy", "sad", "angry", "surprised"]


class SceneInfo(Schema):
    """What the plan needs to know about a scene."""

    index: int = Field(ge=0)
    heading: str
    location: str                       # bible location id
    time_of_day: TimeOfDay
    cast: list[str] = Field(default_factory=list, description="staging order, left to right")
    mood: str = "calm"


class Shot(Schema):
    """One shot. ``frames`` is exact; ``speech_start`` is where its line begins, in frames."""

    id: str
    scene: int = Field(ge=0)
    kind: Literal["dialogue", "action"]
    framing: Framing
    subjects: list[str] = Field(default_factory=list, description="characters on screen")
    speaker: str | None = None
    dialogue_index: int | None = Field(None, ge=0,
                                       description="which dialogue block (script order) it voices")
    text: str
    parenthetical: str | None = None
    expressions: dict[str, Expression] = Field(default_factory=dict)
    source_line: int = Field(ge=1)
    frames: int = Field(ge=1)
    speech_start: int = Field(0, ge=0)
    transition_in: TransitionKind = "cut"
    transition_out: TransitionKind = "cut"


class ShotList(Document):
    """The plan of one episode."""

    SCHEMA = "yingxi.ShotList/1"

    episode: str
    fps: int
    scenes: list[SceneInfo]
    shots: list[Shot] = Field(min_length=1)

    @property
    def frames(self) -> int:
        """Total planned length in frames."""
        return sum(s.frames for s in self.shots)

    @property
    def duration(self) -> float:
        """Total planned length in seconds."""
        return self.frames / self.fps
