"""Shot layouts: the exact, frame-by-frame blocking of a shot, independent of the look.

World coordinates: x runs 0..1 across the set as a wide shot frames it; y runs 0..H/W down;
the camera maps a world point to the screen by ``(p - center) * zoom * width + frame centre``.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from yingxi.schema.base import Document, Schema
from yingxi.schema.bible import Character, Color, Location, LocationKind, Look, Motif, PropShape
from yingxi.schema.screenplay import TimeOfDay
from yingxi.schema.shots import Angle, Expression, Size

# Mouth shapes, one letter per frame:
#   X rest   M closed (m b p)   A open (a)   E mid (e ə)   I wide (i y)
#   O round (o)   U small round (u w)   F lip on teeth (f v)   C consonant, teeth apart
VISEMES = "XMAEIOUFC"

# What the arms do: hang at rest, beat along with speech, point, a hand on the chest, fists,
# or both hands open (surprise, delight).
Gesture = Literal["rest", "talk", "point", "chest", "fists", "open"]
LookName = Literal["ink", "papercut", "flat"]


class CastMember(Schema):
    """What a picture backend may know of a character: who it is and how it looks.

    Not its voice, aliases or consent records: editing those must not repaint a shot.
    """

    id: str
    look: Look
    description: str = ""

    @classmethod
    def of(cls, character: Character) -> CastMember:
        """The picture-relevant part of a bible character."""
        return cls(id=character.id, look=character.look, description=character.description)


class SetSpec(Schema):
    """What a picture backend may know of a location (not its aliases or musical mood)."""

    id: str
    name: str
    kind: LocationKind
    era: Literal["ancient", "modern"]
    weather: Literal["clear", "rain", "snow", "mist"]
    palette: list[Color] = Field(default_factory=list)
    motifs: list[Motif] = Field(default_factory=list)

    @classmethod
    def of(cls, location: Location) -> SetSpec:
        """The picture-relevant part of a bible location."""
        return cls(id=location.id, name=location.name, kind=location.kind, era=location.era,
                   weather=location.weather, palette=location.palette,
                   motifs=location.motifs)


class Camera(Schema):
    """A camera that may push in or pull out, and pan or tilt, over the shot.

    Zoom changes linearly (a dolly at constant speed); a pan or tilt eases in and out, as a
    head would be swung by hand. ``angle`` tells the painter how the camera looks at the
    actors: from below (``low``), from above (``high``) or level.
    """

    framing: Size
    center_x: float
    center_y: float
    zoom_start: float = Field(gt=0)
    zoom_end: float = Field(gt=0)
    center_x_end: float | None = None
    center_y_end: float | None = None
    angle: Angle = "eye-level"

    def zoom_at(self, t: float) -> float:
        """Zoom at shot fraction ``t`` in [0, 1]."""
        return self.zoom_start + (self.zoom_end - self.zoom_start) * t

    def center_at(self, t: float) -> tuple[float, float]:
        """Centre (world x, y) at shot fraction ``t`` in [0, 1]."""
        ease = t * t * (3.0 - 2.0 * t)
        x_end = self.center_x if self.center_x_end is None else self.center_x_end
        y_end = self.center_y if self.center_y_end is None else self.center_y_end
        return (self.center_x + (x_end - self.center_x) * ease,
                self.center_y + (y_end - self.center_y) * ease)

    @property
    def pans(self) -> bool:
        """Whether the centre moves during the shot."""
        return ((self.center_x_end is not None and self.center_x_end != self.center_x)
                or (self.center_y_end is not None and self.center_y_end != self.center_y))


def _settle(t: float, cruise: float = 0.75) -> float:
    """Distance covered at time ``t`` (both 0..1) at full pace until ``cruise``, then braking
    evenly to a stop: continuous in position and speed."""
    total = cruise + (1.0 - cruise) / 2.0
    if t <= cruise:
        return t / total
    d = t - cruise
    return (cruise + d - d * d / (2.0 * (1.0 - cruise))) / total


class Walk(Schema):
    """An entrance or an exit: the actor walks from ``from_x`` to ``to_x`` between two frames
    (before ``start`` it stands at ``from_x``, after ``end`` at ``to_x``)."""

    direction: Literal["in", "out"]
    start: int = Field(ge=0)
    end: int = Field(ge=1)
    from_x: float
    to_x: float

    def x_at(self, frame: int) -> float:
        """World x of the feet at ``frame``: steady pace, easing only into the stop."""
        t = min(1.0, max(0.0, (frame - self.start) / max(1, self.end - self.start)))
        # an entrance slows to a stop on the mark; an exit starts from standing
        p = _settle(t) if self.direction == "in" else 1.0 - _settle(1.0 - t)
        return self.from_x + (self.to_x - self.from_x) * p

    def walking(self, frame: int) -> bool:
        """Whether the legs are moving at ``frame``."""
        return self.start <= frame < self.end


class ActorTrack(Schema):
    """One character on screen for the whole shot.

    A ``foreground`` actor is the near shoulder of an over-the-shoulder shot: nearer the
    lens than the set's ground line (``y``), larger (``scale``), seen from behind and out of
    focus; it neither speaks nor blinks.
    """

    character: str
    x: float = Field(description="world x of the feet")
    facing: Literal["left", "right", "front"] = "front"
    expression: Expression = "neutral"
    speaking: bool = False
    visemes: str = Field(description="one mouth shape letter per frame, see VISEMES")
    blinks: list[int] = Field(default_factory=list, description="frames where a blink starts")
    plane: Literal["main", "foreground"] = "main"
    scale: float = Field(1.0, gt=0, description="size relative to the character's height")
    y: float | None = Field(None, description="world y of the feet; None: the ground line")
    gesture: Gesture = "rest"
    walk: Walk | None = Field(None, description="an entrance or exit during the shot")

    def x_at(self, frame: int) -> float:
        """World x of the feet at ``frame``."""
        return self.x if self.walk is None else self.walk.x_at(frame)


class PropSpec(Schema):
    """The prop an insert shot shows, big, in front of the set."""

    id: str
    name: str
    shape: PropShape
    color: Color | None = None
    x: float = Field(0.5, description="world x of its centre")
    y: float = Field(0.5, description="world y of its centre")
    size: float = Field(0.3, gt=0, description="world size of the box it fills")


class ShotLayout(Document):
    """Everything a picture backend needs to render one shot."""

    SCHEMA = "yingxi.ShotLayout/3"

    width: int
    height: int
    fps: int
    frames: int = Field(ge=1)
    look: LookName
    imperfections: bool = Field(True, description="film grain, vignette and gate weave")
    seed: int
    location: SetSpec
    time_of_day: TimeOfDay
    ground_y: float = Field(description="world y of the ground line (feet)")
    camera: Camera
    actors: list[ActorTrack] = Field(default_factory=list)
    cast: list[CastMember] = Field(default_factory=list, description="the looks of the actors")
    insert: PropSpec | None = Field(None, description="the prop an insert shot shows")

    @model_validator(mode="after")
    def _tracks_match(self) -> ShotLayout:
        ids = {c.id for c in self.cast}
        for actor in self.actors:
            if len(actor.visemes) != self.frames:
                raise ValueError(f"viseme track of {actor.character} has {len(actor.visemes)} "
                                 f"frames, the shot has {self.frames}")
            if bad := set(actor.visemes) - set(VISEMES):
                raise ValueError(f"unknown mouth shapes {sorted(bad)}; use {VISEMES}")
            if actor.character not in ids:
                raise ValueError(f"actor {actor.character} has no look in cast")
        return self

    def still(self, frame: int) -> ShotLayout:
        """A one-frame layout showing frame ``frame`` of this shot (for storyboards and
        thumbnails: any painter renders it, and only that frame is painted)."""
        frame = min(max(0, frame), self.frames - 1)
        t = frame / max(1, self.frames - 1)
        cx, cy = self.camera.center_at(t)
        zoom = self.camera.zoom_at(t)
        camera = self.camera.replace(center_x=cx, center_y=cy, zoom_start=zoom, zoom_end=zoom,
                                     center_x_end=None, center_y_end=None)
        actors = [a.replace(visemes=a.visemes[frame], blinks=[]) for a in self.actors]
        return self.replace(frames=1, camera=camera, actors=actors)

    def character(self, char_id: str) -> CastMember:
        """The look of an actor."""
        return next(c for c in self.cast if c.id == char_id)


# Figure proportions shared by the layout stage (to aim the camera) and painters (to draw).
_AGE_HEIGHT = {"child": 0.36, "young": 0.53, "adult": 0.55, "elder": 0.51}
_BUILD_HEIGHT = {"slim": 1.01, "average": 1.0, "broad": 0.99}
FACE_HEIGHT_RATIO = 0.87   # centre of the head above the feet, as a fraction of the height
CHEST_HEIGHT_RATIO = 0.66  # middle of the chest above the feet


def figure_height(look: Look) -> float:
    """Standing height of a character with this look, in world units (a wide shot is 1.0
    wide)."""
    return _AGE_HEIGHT[look.age] * _BUILD_HEIGHT[look.build]
