"""Stage ``layout``: a planned shot -> exact blocking, camera and mouth shapes per frame.

Deterministic. Staging comes from the scene's cast order: everyone keeps their side of the
line for the whole scene and looks towards the others, so screen directions hold from the
wide to the close-up (the 180-degree rule). Closer shots cheat the distance between people,
never their order. The camera follows the size ladder and the vertical composition rules of
:mod:`yingxi.stages.framing`; the mouths come from the speech's phone timings; the blinks
from a seeded generator.
"""

from __future__ import annotations

import bisect
import zlib
from typing import Literal

import numpy as np
from pydantic import Field

from yingxi.schema.base import Schema
from yingxi.schema.bible import Prop, PropShape
from yingxi.schema.layout import (
    FACE_HEIGHT_RATIO,
    ActorTrack,
    Camera,
    CastMember,
    Gesture,
    PropSpec,
    SetSpec,
    ShotLayout,
    Walk,
    figure_height,
)
from yingxi.schema.screenplay import TimeOfDay
from yingxi.schema.shots import Angle, Coverage, Expression, Move, Size
from yingxi.schema.speech import Speech
from yingxi.stages import framing
from yingxi.stages.base import Stage, StageContext
from yingxi.stages.framing import Frame

GROUND = 0.78          # ground line, as a fraction of the set's height
FOREGROUND_SCALE = 1.45  # the near shoulder of an over-the-shoulder, relative to its height
Facing = Literal["left", "right", "front"]
_EMPTY_ZOOM: dict[Size, float] = {"extreme-wide": 1.0, "wide": 1.3, "full": 1.7, "medium": 2.1,
                                  "medium-close": 2.6, "close": 3.2}


class LayoutInput(Schema):
    """A shot, stripped of everything that does not change its pictures (ids, line numbers),
    so that editing one line of a script does not invalidate the other shots."""

    width: int
    height: int
    fps: int
    look: str
    seed: int
    size: Size
    angle: Angle = "eye-level"
    move: Move = "static"
    coverage: Coverage = "single"
    frames: int = Field(ge=1)
    speech_start: int = Field(0, description="frames from the shot start to its line's start; "
                                             "negative if the line began in an earlier shot")
    staging: list[str] = Field(description="the scene's cast ids, left to right")
    subjects: list[CastMember] = Field(description="who is on screen")
    foreground: CastMember | None = None
    speaker: str | None = None
    expressions: dict[str, Expression] = Field(default_factory=dict)
    walks: dict[str, Literal["in", "out"]] = Field(default_factory=dict)
    imperfections: bool = True
    speech: Speech | None = None
    location: SetSpec
    time_of_day: TimeOfDay
    insert: PropSpec | None = None


class LayoutStage(Stage[LayoutInput, ShotLayout]):
    """Block a shot."""

    name = "layout"
    version = "6"
    input_type = LayoutInput
    output_type = ShotLayout

    def label(self, inp: LayoutInput) -> str:
        return f"{inp.size} {', '.join(c.id for c in inp.subjects)}"

    def compute(self, inp: LayoutInput, ctx: StageContext) -> ShotLayout:
        return block_shot(inp)


def block_shot(inp: LayoutInput) -> ShotLayout:
    """The layout of one shot (pure function)."""
    aspect = inp.height / inp.width
    ground_y = GROUND * aspect
    positions = stage_positions(inp.staging)
    xs = _cheated(inp, positions)
    start = framing.clamp(_frame(inp, xs, ground_y, aspect), aspect)
    first, last = framing.moved(start, inp.move, aspect)
    first, last = framing.clamp(first, aspect), framing.clamp(last, aspect)
    actors = [_track(inp, char, xs[char.id], first) for char in inp.subjects]
    if inp.foreground is not None:
        actors.append(_foreground(inp, positions, first, ground_y, aspect))
    camera = Camera(framing=inp.size, center_x=first.cx, center_y=first.cy,
                    zoom_start=first.zoom, zoom_end=last.zoom,
                    center_x_end=last.cx if last.cx != first.cx else None,
                    center_y_end=last.cy if last.cy != first.cy else None, angle=inp.angle)
    cast = [*inp.subjects, *([inp.foreground] if inp.foreground is not None else [])]
    return ShotLayout(
        width=inp.width, height=inp.height, fps=inp.fps, frames=inp.frames,
        look=inp.look, imperfections=inp.imperfections, seed=inp.seed, location=inp.location,
        time_of_day=inp.time_of_day,
        ground_y=ground_y, camera=camera, actors=actors, cast=cast,
        insert=_placed_prop(inp.insert, first, aspect) if inp.insert is not None else None,
    )


def stage_positions(staging: list[str]) -> dict[str, float]:
    """World x of each cast member's mark; the whole cast spreads across the middle."""
    n = len(staging)
    if n == 0:
        return {}
    # at most 0.66 wide: a wide shot cannot zoom out past the set, and the outer faces must
    # stay clear of the platform's buttons on the right edge
    spacing = min(0.3, 0.66 / max(1, n - 1)) if n > 1 else 0.0
    return {cid: 0.5 + (i - (n - 1) / 2) * spacing for i, cid in enumerate(staging)}


def facing_of(char_id: str, staging: list[str]) -> Facing:
    """Where a character looks for the whole scene: towards the others (front if alone or in
    the middle of an odd group)."""
    if char_id not in staging or len(staging) < 2:
        return "front"
    i, middle = staging.index(char_id), (len(staging) - 1) / 2
    return "right" if i < middle else "left" if i > middle else "front"


def _cheated(inp: LayoutInput, positions: dict[str, float]) -> dict[str, float]:
    """Each subject's x for this shot: its mark, with a two-shot's gap closed up to fit the
    frame (a cheat every editor accepts, because the order is kept)."""
    xs = {c.id: positions.get(c.id, 0.5) for c in inp.subjects}
    if inp.size in ("extreme-wide", "wide") or len(xs) < 2:
        return xs
    height = max(figure_height(c.look) for c in inp.subjects)
    aspect = inp.height / inp.width
    width = 1.0 / framing.size_zoom(inp.size, height, aspect)
    gap = min(0.3, 0.46 * width)
    centre = sum(xs.values()) / len(xs)
    order = sorted(xs, key=lambda c: xs[c])
    n = len(order)
    return {c: centre + (i - (n - 1) / 2) * gap for i, c in enumerate(order)}


def _frame(inp: LayoutInput, xs: dict[str, float], ground_y: float, aspect: float) -> Frame:
    if inp.insert is not None:
        return Frame(0.5, ground_y - 0.35 * aspect / 1.6, 1.6)
    if inp.size == "extreme-wide":
        return Frame(0.5, aspect / 2, 1.0)
    if not inp.subjects:  # an empty place: closer sizes look at the ground where people stand
        zoom = _EMPTY_ZOOM[inp.size]
        return Frame(0.5, ground_y - (0.62 - 0.5) * aspect / zoom, zoom)
    height = max(figure_height(c.look) for c in inp.subjects)
    if inp.size == "wide":
        return framing.group_frame(list(xs.values()), ground_y, height, aspect)
    main = inp.subjects[0]
    facing = facing_of(main.id, inp.staging)
    if len(inp.subjects) > 1:  # a two-shot: the pair centred, a touch left of the rail
        centre = sum(xs.values()) / len(xs)
        return framing.figure_frame(inp.size, inp.angle, centre, 0.47, ground_y, height, aspect)
    if inp.foreground is not None:  # over the shoulder: the speaker on a third
        screen_x = 0.36 if facing == "right" else 0.6
    else:  # a single: lead room on the side they look to
        screen_x = {"right": 0.42, "left": 0.55, "front": 0.47}[facing]
    return framing.figure_frame(inp.size, inp.angle, xs[main.id], screen_x, ground_y,
                                figure_height(main.look), aspect)


def _track(inp: LayoutInput, char: CastMember, x: float, frame: Frame) -> ActorTrack:
    speaking = char.id == inp.speaker and inp.speech is not None
    visemes = viseme_track(inp.speech, inp.frames, inp.fps, inp.speech_start) \
        if speaking and inp.speech else "X" * inp.frames
    expression = inp.expressions.get(char.id, "neutral")
    return ActorTrack(
        character=char.id, x=x, facing=facing_of(char.id, inp.staging),
        expression=expression, speaking=speaking, visemes=visemes,
        blinks=_blinks(inp, char.id), gesture=gesture_for(expression, speaking),
        walk=_walk(inp, char, x, frame) if char.id in inp.walks else None)


_SPEAKING: dict[Expression, Gesture] = {"neutral": "talk", "happy": "open", "sad": "chest",
                                        "angry": "point", "surprised": "open"}
_LISTENING: dict[Expression, Gesture] = {"neutral": "rest", "happy": "rest", "sad": "chest",
                                         "angry": "fists", "surprised": "open"}
WALK_HEIGHTS_PER_SECOND = 0.8  # an unhurried walk covers 0.8 of one's height a second


def gesture_for(expression: Expression, speaking: bool) -> Gesture:
    """What the arms do: a speaker beats time or acts out the feeling; a listener reacts."""
    return (_SPEAKING if speaking else _LISTENING)[expression]


def _walk(inp: LayoutInput, char: CastMember, x: float, frame: Frame) -> Walk:
    """An entrance from the nearer frame edge to the mark, or an exit from the mark to it."""
    height = figure_height(char.look)
    half = 0.5 / frame.zoom + 0.3 * height  # just outside the frame, sleeves and all
    edge = frame.cx - half if x <= frame.cx else frame.cx + half
    speed = WALK_HEIGHTS_PER_SECOND * height / inp.fps  # world units per frame
    frames = max(1, round(abs(x - edge) / speed))
    if inp.walks[char.id] == "in":
        end = min(frames, inp.frames - 1)
        start_x = x + (edge - x) * end / frames
        return Walk(direction="in", start=0, end=max(1, end), from_x=start_x, to_x=x)
    start = max(0, inp.frames - frames - round(0.3 * inp.fps))
    end = min(inp.frames, start + frames)
    return Walk(direction="out", start=start, end=max(start + 1, end), from_x=x,
                to_x=x + (edge - x) * (end - start) / frames)


def _foreground(inp: LayoutInput, positions: dict[str, float], frame: Frame, ground_y: float,
                aspect: float) -> ActorTrack:
    """The listener's near shoulder, at the frame edge on their own side of the line."""
    char = inp.foreground
    assert char is not None
    main_x = positions.get(inp.subjects[0].id, 0.5) if inp.subjects else 0.5
    own_x = positions.get(char.id, 0.5)
    right = own_x >= main_x
    screen_x = 0.95 if right else 0.05
    h = figure_height(char.look) * FOREGROUND_SCALE
    # the head's centre a little below the speaker's eye line, on the frame edge
    head_screen_y = 0.46
    head_y = frame.cy + (head_screen_y - 0.5) * aspect / frame.zoom
    feet_y = head_y + FACE_HEIGHT_RATIO * h
    x = frame.cx + (screen_x - 0.5) / frame.zoom
    return ActorTrack(character=char.id, x=x, facing="left" if right else "right",
                      visemes="X" * inp.frames, plane="foreground", scale=FOREGROUND_SCALE,
                      y=feet_y)


# Words that tell how to draw a prop whose bible entry gives no shape.
_PROP_WORDS: tuple[tuple[PropShape, tuple[str, ...]], ...] = (
    ("lantern", ("lantern", "lamp", "灯")),
    ("letter", ("letter", "note", "信", "纸条", "书信")),
    ("cup", ("cup", "tea", "bowl", "杯", "茶", "碗")),
    ("jar", ("jar", "wine", "bottle", "酒", "坛", "瓶")),
    ("bell", ("bell", "钟", "铃")),
    ("book", ("book", "diary", "书", "册", "本")),
    ("fan", ("fan", "扇")),
    ("sword", ("sword", "blade", "knife", "剑", "刀")),
    ("flower", ("flower", "blossom", "rose", "花")),
)


def prop_spec(prop: Prop) -> PropSpec:
    """What the painter needs of a bible prop; its shape guessed from its names if unset."""
    shape = prop.shape
    if shape is None:
        words = " ".join([prop.id, *prop.match_names()]).casefold()
        shape = next((s for s, keys in _PROP_WORDS if any(k in words for k in keys)), "box")
    return PropSpec(id=prop.id, name=prop.name, shape=shape, color=prop.color)


def _placed_prop(prop: PropSpec, frame: Frame, aspect: float) -> PropSpec:
    """The prop in world units at the centre of the insert's first frame, a little high (the
    captions sit below it)."""
    y = frame.cy + (0.42 - 0.5) * aspect / frame.zoom
    return prop.replace(x=frame.cx, y=y, size=0.62 / frame.zoom)


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
