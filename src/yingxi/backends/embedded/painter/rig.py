"""A character's rig: proportions and colours derived from its Look, and nothing else.

Figure units: the origin is between the feet, y points down, and 1.0 is the standing height
(so the head centre is at ``-FACE_HEIGHT_RATIO``). The painter scales by ``figure_height`` when
it places the figure in the world, which keeps the layout stage's camera aim exact.
"""

from __future__ import annotations

from dataclasses import dataclass

from yingxi.backends.embedded.painter.looks import LookStyle, look_style
from yingxi.backends.embedded.painter.palette import (
    RGB,
    Light,
    darken,
    hex_rgb,
    lighten,
    luma,
    mix,
    shift_hue,
)
from yingxi.schema.layout import (
    CHEST_HEIGHT_RATIO,
    FACE_HEIGHT_RATIO,
    CastMember,
    figure_height,
)

_HEAD_RY = {"child": 0.142, "young": 0.122, "adult": 0.117, "elder": 0.117}
_SHOULDER = {"slim": 0.104, "average": 0.118, "broad": 0.136}
_WAIST = {"slim": 0.072, "average": 0.086, "broad": 0.108}


@dataclass(frozen=True)
class Colors:
    """A figure's colours under the shot's light."""

    skin: RGB
    skin_shade: RGB
    blush: RGB
    lip: RGB
    hair: RGB
    hair_light: RGB
    brow: RGB
    main: RGB
    second: RGB
    accent: RGB
    trim: RGB
    shoes: RGB
    line: RGB
    eye: RGB
    sclera: RGB
    mouth: RGB
    teeth: RGB
    tongue: RGB


@dataclass(frozen=True)
class Rig:
    """Proportions (figure units) and colours of one character."""

    height: float          # world units
    head_x: float          # head centre, x (a stoop pushes it forward)
    head_y: float          # head centre, y (always -FACE_HEIGHT_RATIO)
    head_rx: float
    head_ry: float
    neck_y: float          # where the neck meets the shoulders
    shoulder_y: float
    shoulder_w: float      # half width
    waist_w: float
    chest_y: float
    waist_y: float
    hip_y: float
    eye_scale: float
    stoop: float
    age: str
    build: str
    wardrobe: str
    hair_style: str
    colors: Colors
    contour: float = 0.0   # brush outline width (the ink look), 0 for none
    ink: RGB = (0.1, 0.1, 0.12)


def _palette(character: CastMember) -> tuple[RGB, RGB, RGB]:
    """Main, secondary and accent wardrobe colours; missing ones derived from the main one."""
    cols = [hex_rgb(c) for c in character.look.palette]
    main = cols[0]
    second = cols[1] if len(cols) > 1 else (lighten(main, 0.55) if luma(main) < 0.5
                                             else darken(main, 0.45))
    accent = cols[2] if len(cols) > 2 else shift_hue(mix(main, second, 0.3), 0.08)
    return main, second, accent


def build_rig(character: CastMember, light: Light, style: LookStyle | None = None) -> Rig:
    """The rig of ``character`` under ``light``, coloured in ``style`` (default flat)."""
    look = character.look
    style = style or look_style("flat")
    ry = _HEAD_RY[look.age]
    rx = ry * (0.9 if look.age == "child" else 0.84)
    neck = 0.035 if look.age != "child" else 0.018
    neck_y = -FACE_HEIGHT_RATIO + ry * 0.82 + neck
    shoulder_w = _SHOULDER[look.build] * (0.86 if look.age == "child" else 1.0)
    main, second, accent = _palette(character)

    def on(color: RGB) -> RGB:
        return style.on_figure(light.on_figure(color))
    skin = hex_rgb(look.skin)
    hair = hex_rgb(look.hair.color)
    line = darken(mix(skin, hair, 0.5), 0.72)
    colors = Colors(
        skin=on(skin),
        skin_shade=on(mix(darken(skin, 0.2), (0.85, 0.45, 0.45), 0.15)),
        blush=on(mix(skin, (0.98, 0.45, 0.45), 0.55)),
        lip=on(mix(darken(skin, 0.25), (0.8, 0.3, 0.3), 0.45)),
        hair=on(hair),
        hair_light=on(lighten(hair, 0.22 if luma(hair) < 0.4 else 0.3)),
        brow=on(darken(hair, 0.25) if luma(hair) > 0.25 else hair),
        main=on(main), second=on(second), accent=on(accent),
        trim=on(mix(second, accent, 0.35)),
        shoes=on(darken(mix(main, (0.25, 0.2, 0.18), 0.7), 0.3)),
        line=on(line),
        eye=on((0.2, 0.13, 0.1)),
        sclera=on((0.99, 0.98, 0.96)),
        mouth=on((0.36, 0.1, 0.13)),
        teeth=on((0.98, 0.97, 0.95)),
        tongue=on((0.86, 0.42, 0.45)),
    )
    return Rig(
        height=figure_height(character.look),
        head_x=0.0, head_y=-FACE_HEIGHT_RATIO, head_rx=rx, head_ry=ry,
        neck_y=neck_y, shoulder_y=neck_y + 0.012, shoulder_w=shoulder_w,
        waist_w=_WAIST[look.build] * (0.9 if look.age == "child" else 1.0),
        chest_y=-CHEST_HEIGHT_RATIO,
        waist_y=-0.5 if look.age != "child" else -0.48,
        hip_y=-0.43 if look.age != "child" else -0.4,
        eye_scale=1.22 if look.age == "child" else (1.06 if look.age == "young" else 1.0),
        stoop=0.02 if look.age == "elder" else 0.0,
        age=look.age, build=look.build, wardrobe=look.wardrobe, hair_style=look.hair.style,
        colors=colors, contour=style.contour, ink=style.ink,
    )
