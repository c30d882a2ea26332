"""Stage ``layout``: a planned shot -> exact blocking, camera and mouth shapes per frame.

Deterministic: staging comes from the scene's cast order (first to speak stands left, and
everyone keeps their side for the whole scene, so screen directions hold), the camera from
the framing, the mouths from the speech's phone timings, the blinks from a seeded generator.
"""

from __future__ import annotations

import bisect
import zlib

import numpy as np
from pydantic import Field

from yingxi.schema.base import Schema
from yingxi.schema.layout import (
    CHEST_HEIGHT_RATIO,
    FACE_HEIGHT_RATIO,
    ActorTrack,
    Camera,
    CastMember,
    SetSpec,
    ShotLayout,
    figure_height,
)
from yingxi.schema.screenplay import TimeOfDay
from yingxi.schema.shots import Expression, Framing
from yingxi.schema.speech import Speech
from yingxi.stages.base import Stage, StageContext

GROUND = 0.78          # ground line, as a fraction of the set's height
CLOSE_ZOOM = 3.1
MEDIUM_ZOOM = 2.0
PUSH_IN = 1.04         # close-ups creep in by 4 % over the shot


class LayoutInput(Schema):
    """A shot, stripped of everything that does not change its pictures (ids, line numbers),
    so that editing one line of a script does not invalidate the other shots."""

    width: int
    height: int
    fps: int
    look: str
    seed: int
    framing: Framing
    frames: int = Field(ge=1)
    speech_start: int = Field(0, ge=0)
    staging: list[str] = Field(description="the scene's cast ids, left to right")
    subjects: list[CastMember] = Field(description="who is on screen")
    speaker: str | None = None
    expressions: dict[str, Expression] = Field(default_factory=dict)
    speech: Speech | None = None
    location: SetSpec
    time_of_day: TimeOfDay


class LayoutStage(Stage[LayoutInput, ShotLayout]):
    """Block a shot."""

    name = "layout"
    version = "1"
    input_type = LayoutInput
    output_type = ShotLayout

    def label(self, inp: LayoutInput) -> str:
        return f"{inp.framing} {', '.join(c.id for c in inp.subjects)}"

    def compute(self, inp: LayoutInput, ctx: StageContext) -> ShotLayout:
        return block_shot(inp)


def block_shot(inp: LayoutInput) -> ShotLayout:
    """The layout of one shot (pure function)."""
    aspect = inp.height / inp.width
    ground_y = GROUND * aspect
    positions = stage_positions(inp.staging)
    actors = []
    for char in inp.subjects:
        x = positions.get(char.id, 0.5)
        speaking = char.id == inp.speaker and inp.speech is not None
        visemes = viseme_track(inp.speech, inp.frames, inp.fps, inp.speech_start) \
            if speaking and inp.speech else "X" * inp.frames
        facing = "front" if len(positions) < 2 else ("right" if x < 0.5 else "left")
        actors.append(ActorTrack(
            character=char.id, x=x, facing=facing,
            expression=inp.expressions.get(char.id, "neutral"), speaking=speaking,
            visemes=visemes, blinks=_blinks(inp, char.id),
        ))
    camera = _camera(inp, positions, ground_y, aspect)
    return ShotLayout(
        width=inp.width, height=inp.height, fps=inp.fps, frames=inp.frames,
        look=inp.look, seed=inp.seed, location=inp.location, time_of_day=inp.time_of_day,
        ground_y=ground_y, camera=camera, actors=actors, cast=inp.subjects,
    )


def stage_positions(staging: list[str]) -> dict[str, float]:
    """World x of each cast member's mark; the whole cast spreads across the middle."""
    n = len(staging)
    if n == 0:
        return {}
    spacing = min(0.3, 0.8 / max(1, n - 1)) if n > 1 else 0.0
    return {cid: 0.5 + (i - (n - 1) / 2) * spacing for i, cid in enumerate(staging)}


def _camera(inp: LayoutInput, positions: dict[str, float], ground_y: float,
            aspect: float) -> Camera:
    if inp.framing == "wide" or not inp.subjects:
        return Camera(framing=inp.framing, center_x=0.5, center_y=aspect / 2,
                      zoom_start=1.0, zoom_end=1.0)
    xs = [positions.get(c.id, 0.5) for c in inp.subjects]
    height = max(figure_height(c.look) for c in inp.subjects)
    face_y = ground_y - FACE_HEIGHT_RATIO * height
    if inp.framing == "close":
        zoom, zoom_end, eye_line = CLOSE_ZOOM, CLOSE_ZOOM * PUSH_IN, 1 / 3
        center_x = xs[0]
    else:
        span = max(xs) - min(xs) + 0.26
        zoom = min(MEDIUM_ZOOM, 0.98 / span)
        zoom_end, eye_line = zoom, 0.37
        center_x = sum(xs) / len(xs)
        if len(xs) == 1:  # a single in medium: frame from the chest up
            face_y = ground_y - 0.5 * (FACE_HEIGHT_RATIO + CHEST_HEIGHT_RATIO) * height
    # place the eye line: screen_y = (face_y - cy) * zoom * W + H/2 = eye_line * H
    center_y = face_y + (0.5 - eye_line) * aspect / zoom
    half_w, half_h = 0.5 / zoom, 0.5 * aspect / zoom
    center_x = min(max(center_x, half_w), 1 - half_w)
    center_y = min(max(center_y, half_h), aspect - half_h)
    return Camera(framing=inp.framing, center_x=center_x, center_y=center_y,
                  zoom_start=zoom, zoom_end=zoom_end)


def viseme_track(speech: Speech, frames: int, fps: int, start: int) -> str:
    """One mouth shape per frame: the phone sounding at the middle of each frame."""
    starts = [p.start for p in speech.phones]
    out = []
    for frame in range(frames):
        t = (frame - start + 0.5) / fps
        i = bisect.bisect_right(starts, t) - 1
        if t < 0 or i < 0 or t >= speech.phones[i].end:
            out.append("X")
        else:
            out.append(viseme(speech.phones[i].symbol))
    return "".join(out)


_VOWEL_CLASSES = (
    ("aɑæʌɐ", "A"), ("eɛəɚɜɘɤ", "E"), ("iɪyɨjʏ", "I"), ("oɔɒø", "O"), ("uʊwɯʉ", "U"),
)


def viseme(symbol: str) -> str:
    """The mouth shape (see :data:`~yingxi.schema.layout.VISEMES`) of an IPA phone."""
    s = symbol.strip("ːˑ.ˈˌ")
    if not s:
        return "X"
    if s[0] in "mbpɱ":
        return "M"
    if s[0] in "fvʋ":
        return "F"
    shapes = [shape for ch in s for chars, shape in _VOWEL_CLASSES if ch in chars]
    if not shapes:
        return "C"
    # a medial glide ("iɛ", "wo", "yɛ") is fleeting: the vowel after it shapes the mouth
    if len(shapes) > 1 and s[0] in "ijuwy":
        return shapes[1]
    return shapes[0]


def _blinks(inp: LayoutInput, char_id: str) -> list[int]:
    """Blink start frames: every 2.5-5 s, seeded by the character and the shot."""
    text = inp.speech.text if inp.speech else ""
    seed = zlib.crc32(f"{inp.seed}|{char_id}|{inp.frames}|{text}".encode())
    rng = np.random.default_rng(seed)
    blinks, t = [], float(rng.uniform(0.4, 2.2))
    while t * inp.fps < inp.frames - 3:
        blinks.append(int(t * inp.fps))
        t += float(rng.uniform(2.5, 5.0))
    return blinks
