"""One Protocol per capability. A backend implements one method; stages call only these.

Requests are schema values (hashable into cache keys); results are plain dataclasses holding
arrays, because they never leave the process that made them: stages store them.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

import numpy as np
import numpy.typing as npt
from pydantic import Field

from yingxi.schema.base import Schema
from yingxi.schema.bible import Bible, VoiceSpec
from yingxi.schema.layout import ShotLayout
from yingxi.schema.screenplay import Screenplay, TimeOfDay
from yingxi.schema.shots import ShotList
from yingxi.schema.speech import Phone, Word

FloatArray = npt.NDArray[np.float32]
ImageArray = npt.NDArray[np.uint8]


class BackendInfo(Schema):
    """Identity of a backend; all of it goes into the cache key of what it produces."""

    role: str
    name: str
    version: str
    model: str | None = None


# --- speaker -----------------------------------------------------------------------------

class Delivery(Schema):
    """How a line is said, from its parenthetical: multipliers on the voice's own settings."""

    volume: float = Field(1.0, gt=0, le=2)
    rate: float = Field(1.0, gt=0.3, le=2)
    pitch: int = Field(0, ge=-40, le=40, description="added to the voice's pitch (0..100)")


class SpeechRequest(Schema):
    """A line to speak."""

    text: str = Field(min_length=1)
    language: str
    voice: VoiceSpec
    delivery: Delivery = Field(default_factory=Delivery)


@dataclass(frozen=True)
class SpeechAudio:
    """Mono float32 audio in [-1, 1] with phone and word timings (seconds)."""

    samples: FloatArray
    sample_rate: int
    phones: list[Phone]
    words: list[Word]
    voice: str


@runtime_checkable
class Speaker(Protocol):
    """Text to speech with timings."""

    info: BackendInfo

    def speak(self, request: SpeechRequest) -> SpeechAudio:
        """Speak one line."""
        ...


# --- painter -----------------------------------------------------------------------------

@runtime_checkable
class Painter(Protocol):
    """Renders a shot layout to frames."""

    info: BackendInfo

    def paint(self, layout: ShotLayout) -> Iterator[ImageArray]:
        """Yield the shot's frames in order, each a new C-contiguous uint8 array, either
        (height, width, 3) RGB or (height, width, 4) RGBA whose alpha is ignored (a painter
        that draws into RGBA buffers hands them on as they are, unconverted)."""
        ...


# --- composer ----------------------------------------------------------------------------

class CueRequest(Schema):
    """A music cue to compose for one scene."""

    num_samples: int = Field(ge=1)
    sample_rate: int = 48000
    mood: str = "calm"
    time_of_day: TimeOfDay = "day"
    location_kind: str = "home"
    era: str = "modern"
    seed: int = 0
    soundfont: str | None = Field(None, description="a General MIDI .sf2 to play the cue "
                                                    "through; None: the built-in synth")
    soundfont_sha256: str | None = Field(None, description="the .sf2's content hash: a "
                                                           "changed bank is new music")


@dataclass(frozen=True)
class CueAudio:
    """Stereo float32 audio, shape (2, num_samples), and what was chosen."""

    samples: FloatArray
    mode: str
    tempo: float
    instruments: list[str] = field(default_factory=list)


@runtime_checkable
class Composer(Protocol):
    """Scores a scene."""

    info: BackendInfo

    def compose(self, request: CueRequest) -> CueAudio:
        """Compose and render one cue of exactly ``request.num_samples`` samples."""
        ...


# --- foley -------------------------------------------------------------------------------

class SpotEffect(Schema):
    """One sound at a moment: a door, thunder, a bell, a splash, or footsteps for a while."""

    kind: str = Field(description="door, thunder, bell, splash, footsteps")
    at: float = Field(ge=0, description="seconds from the start of the request")
    seconds: float = Field(0.0, ge=0, description="how long it goes on (footsteps)")
    surface: str = Field("stone", description="what footsteps fall on")


class FoleyRequest(Schema):
    """The effects under one scene: ambience beds throughout, spot effects at moments."""

    num_samples: int = Field(ge=1)
    sample_rate: int = 48000
    ambience: list[str] = Field(default_factory=list, description="beds, e.g. waves, wind")
    spots: list[SpotEffect] = Field(default_factory=list)
    seed: int = 0


@dataclass(frozen=True)
class FoleyAudio:
    """Stereo float32 audio, shape (2, num_samples); the beds sit at ``loudness`` LUFS and
    the spots at their own level above them."""

    samples: FloatArray
    loudness: float


@runtime_checkable
class Foley(Protocol):
    """Makes the sound effects of a scene."""

    info: BackendInfo

    def render(self, request: FoleyRequest) -> FoleyAudio:
        """Render exactly ``request.num_samples`` samples of effects."""
        ...


# --- planner -----------------------------------------------------------------------------

class LineTiming(Schema):
    """How long a voiced line lasts and when its voice starts and stops (seconds)."""

    duration: float = Field(gt=0)
    voiced_start: float = Field(ge=0)
    voiced_end: float = Field(ge=0)
    breaks: list[float] = Field(default_factory=list,
                                description="pauses between words (seconds into the line) "
                                            "where a long line may be cut")


class PlanRequest(Schema):
    """What a director needs: the script, the cast, and how long each line takes to say."""

    episode: str
    screenplay: Screenplay
    bible: Bible
    fps: int
    lines: list[LineTiming] = Field(description="one per dialogue block, in script order")


@runtime_checkable
class Planner(Protocol):
    """Turns a screenplay into shots."""

    info: BackendInfo

    def plan(self, request: PlanRequest) -> ShotList:
        """Plan one episode."""
        ...


ROLES: dict[str, type] = {
    "speaker": Speaker,
    "painter": Painter,
    "composer": Composer,
    "foley": Foley,
    "planner": Planner,
}
