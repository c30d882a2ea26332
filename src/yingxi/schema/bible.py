"""The production bible: who the characters are, how they look and sound, and where scenes happen.

Written by people in ``bible.yaml``; validated strictly so that a typo in a field name is an
error that points at the line, not a silently ignored key.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, field_validator, model_validator

from yingxi.schema.base import Document, Schema
from yingxi.schema.screenplay import TimeOfDay

Color = Annotated[str, Field(pattern=r"^#[0-9a-fA-F]{6}$", description="a colour as #rrggbb")]
Ident = Annotated[
    str,
    Field(pattern=r"^[a-z][a-z0-9_-]*$", description="lower-case id: letters, digits, - and _"),
]
Language = Literal["zh", "en"]
LocationKind = Literal[
    "mountains", "shore", "forest", "village", "palace", "office", "city", "home",
]
# Kinds that are rooms (painted indoors, established by pushing in, chosen for INT. headings).
INTERIOR_KINDS: frozenset[LocationKind] = frozenset({"home", "office", "palace"})
# Things the embedded painter can add to any set (poems name them: 明月, 孤舟, 杨柳, 钟...).
Motif = Literal[
    "moon", "frost", "boat", "willow", "bell", "wine", "lantern", "plum", "bamboo", "geese",
    "bridge", "lotus", "pagoda",
]


class Hair(Schema):
    """Hair style and colour."""

    style: Literal["short", "long", "bun", "ponytail", "bald"] = "short"
    color: Color = "#1f1a17"


class Look(Schema):
    """How a character is drawn. The painter builds the figure from these fields only."""

    build: Literal["slim", "average", "broad"] = "average"
    age: Literal["child", "young", "adult", "elder"] = "adult"
    skin: Color = "#f0c8a0"
    hair: Hair = Field(default_factory=Hair)
    palette: list[Color] = Field(
        default_factory=lambda: ["#3b5b7a", "#d9c9a3"], min_length=1, max_length=4,
        description="wardrobe colours: main, secondary, accents",
    )
    wardrobe: Literal["robe", "jacket", "dress", "suit", "coat"] = "robe"


class VoiceSpec(Schema):
    """How a character sounds: engine, voice and delivery."""

    engine: str | None = Field(None, description="speaker backend; default from yingxi.toml")
    voice: str | None = Field(None, description="engine voice id; default from the language")
    variant: str | None = Field(None, description="engine voice variant, e.g. espeak 'f2', 'm3'")
    language: Language | None = Field(None, description="default: the production's language")
    pitch: int = Field(50, ge=0, le=100, description="0..100, 50 is the voice's own")
    rate: int = Field(160, ge=80, le=400, description="words (or syllables) per minute")


class Likeness(Schema):
    """Whether a character is invented or portrays a real person (which needs consent)."""

    kind: Literal["invented", "real_person"] = "invented"
    consent: str | None = Field(None, description="consent record id for a real person")

    @model_validator(mode="after")
    def _real_person_needs_consent(self) -> Likeness:
        if self.kind == "real_person" and not self.consent:
            raise ValueError(
                "a character with a real person's likeness needs a consent record: "
                "set likeness.consent, or use kind: invented"
            )
        return self


class Character(Schema):
    """A member of the cast."""

    id: Ident
    name: str = Field(min_length=1)
    aliases: list[str] = Field(default_factory=list, description="other cues that mean this one")
    description: str = ""
    look: Look = Field(default_factory=Look)
    voice: VoiceSpec = Field(default_factory=VoiceSpec)
    likeness: Likeness = Field(default_factory=Likeness)

    def cue_names(self) -> list[str]:
        """Every spelling a character cue may use for this character."""
        return [self.name, self.id, *self.aliases]


class Location(Schema):
    """A set. Every shot in this location paints the same set."""

    id: Ident
    name: str = Field(min_length=1)
    aliases: list[str] = Field(default_factory=list)
    kind: LocationKind
    era: Literal["ancient", "modern"] = "modern"
    time_of_day: TimeOfDay = "day"
    weather: Literal["clear", "rain", "snow", "mist"] = "clear"
    palette: list[Color] = Field(default_factory=list, max_length=4)
    mood: str | None = Field(None, description="calm, tense, sad, warm, mysterious ...")
    motifs: list[Motif] = Field(default_factory=list, max_length=4,
                                description="things painted into the set: moon, boat, willow...")

    def match_names(self) -> list[str]:
        """Every spelling a scene heading may use for this location."""
        return [self.name, self.id, *self.aliases]


PropShape = Literal["lantern", "letter", "cup", "jar", "bell", "book", "fan", "sword",
                    "flower", "box"]
PROP_SHAPES: tuple[PropShape, ...] = ("lantern", "letter", "cup", "jar", "bell", "book", "fan",
                                      "sword", "flower", "box")


class Prop(Schema):
    """A prop that action lines may name; naming it in an action line earns it an insert."""

    id: Ident
    name: str
    aliases: list[str] = Field(default_factory=list)
    description: str = ""
    shape: PropShape | None = Field(
        None, description="how the embedded painter draws it; guessed from the name if unset")
    color: Color | None = Field(None, description="its main colour, e.g. '#c8323c'")

    def match_names(self) -> list[str]:
        """Every spelling an action line may use for this prop."""
        return [n for n in (self.name, *self.aliases) if n]


Aspect = Literal["9:16", "16:9", "1:1", "4:5", "3:4"]


class Style(Schema):
    """The production's look, frame shape and frame rate."""

    look: Literal["ink", "papercut", "flat"] = Field(
        "flat", description="ink (水墨 ink-wash), papercut (剪纸) or flat (clean vector)")
    imperfections: bool = Field(
        True, description="film grain, a vignette and a slight gate weave")
    aspect: Aspect | None = Field(
        None, description="frame shape; default 9:16, or what yingxi.toml [format] says")
    fps: Literal[24, 25, 30] | None = Field(
        None, description="frames per second; default 24, or what yingxi.toml [format] says")

    @field_validator("aspect", mode="before")
    @classmethod
    def _sexagesimal(cls, value: object) -> object:
        # YAML 1.1 reads an unquoted 9:16 as the base-60 number 556; take it as meant
        if isinstance(value, int) and not isinstance(value, bool) and value >= 60:
            return f"{value // 60}:{value % 60}"
        return value

    def aspect_ratio(self) -> tuple[int, int] | None:
        """``(width, height)`` parts of the aspect, e.g. ``(9, 16)``."""
        if self.aspect is None:
            return None
        w, h = self.aspect.split(":")
        return int(w), int(h)


class Bible(Document):
    """The whole production bible."""

    SCHEMA = "yingxi.Bible/1"

    characters: list[Character] = Field(min_length=1)
    locations: list[Location] = Field(min_length=1)
    props: list[Prop] = Field(default_factory=list)
    style: Style = Field(default_factory=Style)

    @field_validator("characters", "locations", "props")
    @classmethod
    def _unique_ids(cls, items: list[Character] | list[Location] | list[Prop]) -> list:  # type: ignore[type-arg]
        seen: set[str] = set()
        for item in items:
            if item.id in seen:
                raise ValueError(f"id {item.id!r} is used twice; ids must be unique")
            seen.add(item.id)
        return items

    @model_validator(mode="after")
    def _unique_cue_names(self) -> Bible:
        owner: dict[str, str] = {}
        for char in self.characters:
            for name in char.cue_names():
                key = name.casefold()
                if owner.get(key, char.id) != char.id:
                    raise ValueError(
                        f"the name {name!r} belongs to both {owner[key]!r} and {char.id!r}; "
                        "a cue must identify one character"
                    )
                owner[key] = char.id
        return self

    def character(self, char_id: str) -> Character:
        """The character with this id (KeyError if none)."""
        for char in self.characters:
            if char.id == char_id:
                return char
        raise KeyError(char_id)

    def location(self, loc_id: str) -> Location:
        """The location with this id (KeyError if none)."""
        for loc in self.locations:
            if loc.id == loc_id:
                return loc
        raise KeyError(loc_id)

    def prop(self, prop_id: str) -> Prop:
        """The prop with this id (KeyError if none)."""
        for prop in self.props:
            if prop.id == prop_id:
                return prop
        raise KeyError(prop_id)
