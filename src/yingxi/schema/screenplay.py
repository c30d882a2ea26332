"""A parsed screenplay: scenes of actions, dialogue and transitions, each with its source line."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from yingxi.schema.base import Document, Schema

TimeOfDay = Literal["dawn", "day", "dusk", "night"]


class SceneHeading(Schema):
    """A slug line such as ``EXT. RIVERBANK - DUSK`` or ``外景 江边 - 黄昏``."""

    text: str
    line: int
    setting: str = ""               # INT, EXT, INT/EXT, 内景, 外景 ... as written
    place: str = ""                 # the location part as written
    time: str = ""                  # the time part as written ("NIGHT", "夜")
    number: str | None = None       # scene number from #1A#
    location: str | None = None     # bible location id, once resolved
    time_of_day: TimeOfDay | None = None


class Action(Schema):
    """A paragraph of action (what we see)."""

    type: Literal["action"] = "action"
    text: str
    line: int


class Dialogue(Schema):
    """A character cue with its (optional) parenthetical and speech."""

    type: Literal["dialogue"] = "dialogue"
    cue: str                          # the name as written
    extension: str | None = None      # V.O., O.S., CONT'D
    parenthetical: str | None = None
    text: str
    line: int                         # line of the cue (or of the beat's parenthetical)
    speaker: str | None = None        # bible character id, once resolved
    dual: Literal["left", "right"] | None = None  # half of a dual-dialogue pair


class Transition(Schema):
    """A transition such as ``CUT TO:``, ``DISSOLVE TO:`` or ``FADE OUT.``."""

    type: Literal["transition"] = "transition"
    text: str
    line: int


Element = Annotated[Action | Dialogue | Transition, Field(discriminator="type")]


class Scene(Schema):
    """A scene: its heading and the elements that follow it."""

    heading: SceneHeading
    elements: list[Element] = Field(default_factory=list)


class Screenplay(Document):
    """A whole screenplay (one episode)."""

    SCHEMA = "yingxi.Screenplay/1"

    source: str = ""                                   # file name, for messages
    title_page: dict[str, str] = Field(default_factory=dict)
    scenes: list[Scene] = Field(default_factory=list)

    @property
    def title(self) -> str:
        """The title from the title page, or ``""``."""
        return self.title_page.get("title", "")

    def dialogue(self) -> list[Dialogue]:
        """Every dialogue block in order."""
        return [e for s in self.scenes for e in s.elements if isinstance(e, Dialogue)]
