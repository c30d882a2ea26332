"""The shot plan: what the camera shows, how, for how long, in what order.

A :class:`Shot` speaks the language of a camera report: a size on the ladder from an
extreme wide to a close-up, an angle, a camera move with the reason for it, the coverage it
belongs to (establishing, over-the-shoulder, single, reaction, insert ...), who is on screen
and who stands in the foreground. The plan is also a file the creator owns
(``shots/EPISODE.yaml``, see :mod:`yingxi.script.shots_io`); the fields a person may edit are
listed in :data:`EDITABLE`.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from yingxi.schema.base import Document, Schema
from yingxi.schema.screenplay import TimeOfDay

# The shot-size ladder, widest first. "full" shows a figure head to toe, "medium" to the
# thighs, "medium-close" to the belt, "close" head and shoulders.
Size = Literal["extreme-wide", "wide", "full", "medium", "medium-close", "close"]
SIZES: tuple[Size, ...] = ("extreme-wide", "wide", "full", "medium", "medium-close", "close")
Angle = Literal["eye-level", "high", "low"]
ANGLES: tuple[Angle, ...] = ("eye-level", "high", "low")
Move = Literal["static", "push-in", "pull-out", "pan-left", "pan-right", "tilt-down", "tilt-up"]
MOVES: tuple[Move, ...] = ("static", "push-in", "pull-out", "pan-left", "pan-right",
                           "tilt-down", "tilt-up")
Coverage = Literal["establishing", "master", "two-shot", "over-shoulder", "single", "reaction",
                   "insert"]
COVERAGES: tuple[Coverage, ...] = ("establishing", "master", "two-shot", "over-shoulder",
                                   "single", "reaction", "insert")
TransitionKind = Literal["cut", "fade", "dissolve"]
TRANSITIONS: tuple[TransitionKind, ...] = ("cut", "fade", "dissolve")
Expression = Literal["neutral", "happy", "sad", "angry", "surprised"]

# What a person may change in shots/EPISODE.yaml; everything else follows from the script.
EDITABLE: tuple[str, ...] = ("size", "angle", "move", "coverage", "subjects", "foreground",
                             "seconds", "transition_in", "transition_out")


def size_rank(size: Size) -> int:
    """Position on the ladder: 0 for extreme-wide, up to 5 for a close-up."""
    return SIZES.index(size)


class SceneInfo(Schema):
    """What the plan needs to know about a scene."""

    index: int = Field(ge=0)
    heading: str
    location: str                       # bible location id
    time_of_day: TimeOfDay
    cast: list[str] = Field(default_factory=list,
                            description="staging order, left to right as the camera sees them "
                                        "from its side of the line for the whole scene")
    mood: str = "calm"


class Shot(Schema):
    """One shot. ``frames`` is exact.

    ``speech_start`` is where the shot's line begins, in frames from the shot's first frame;
    it is negative when the line began in the shot before (a long line cut on a breath, the
    second part covered by a reaction or a tighter size).
    """

    id: str
    scene: int = Field(ge=0)
    anchor: str = Field(description="what in the script the shot covers, stable across edits")
    kind: Literal["establishing", "dialogue", "reaction", "action", "insert"]
    coverage: Coverage
    size: Size
    angle: Angle = "eye-level"
    move: Move = "static"
    motivation: str = Field("", description="why this size, angle or move")
    subjects: list[str] = Field(default_factory=list, description="characters on screen")
    foreground: str | None = Field(None, description="whose shoulder frames an over-the-shoulder")
    prop: str | None = Field(None, description="the bible prop an insert shows")
    speaker: str | None = None
    offscreen: bool = Field(False, description="the speaker is heard, not seen (V.O., or the "
                                               "rest of a line over someone's reaction)")
    dialogue_index: int | None = Field(None, ge=0,
                                       description="which dialogue block (script order) it voices")
    text: str
    parenthetical: str | None = None
    expressions: dict[str, Expression] = Field(default_factory=dict)
    walks: dict[str, Literal["in", "out"]] = Field(
        default_factory=dict, description="who walks into or out of the shot")
    source_line: int = Field(ge=1)
    frames: int = Field(ge=1)
    speech_start: int = 0
    transition_in: TransitionKind = "cut"
    transition_out: TransitionKind = "cut"

    @property
    def starts_line(self) -> bool:
        """Whether the shot's line begins in this shot (its voice is placed from here)."""
        return self.dialogue_index is not None and self.speech_start >= 0


class ShotList(Document):
    """The plan of one episode."""

    SCHEMA = "yingxi.ShotList/2"

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

    def line_starts(self) -> dict[int, int]:
        """Frame (from the episode start) where each dialogue block's voice starts."""
        starts: dict[int, int] = {}
        offset = 0
        for shot in self.shots:
            if shot.dialogue_index is not None and shot.dialogue_index not in starts:
                starts[shot.dialogue_index] = offset + shot.speech_start
            offset += shot.frames
        return starts
