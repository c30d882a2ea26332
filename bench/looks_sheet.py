"""Contact sheet of the embedded painter's three looks and of the examples' cast.

    .venv/bin/python bench/looks_sheet.py [--out docs/looks.png] [--size 180]

Top: ink-wash, papercut and flat, one row each, over four locations by day and by night
(two actors on their marks, a wide shot with grain, vignette and weave as delivered). Below:
every character of the bundled examples in close-up, in five expressions and six mouth
shapes, in its production's own look.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import skia

from yingxi.backends.embedded.painter import EmbeddedPainter
from yingxi.backends.protocols import ImageArray
from yingxi.media.fonts import cjk_face, typeface
from yingxi.schema.bible import Bible, Character, Location
from yingxi.schema.layout import CastMember, SetSpec, ShotLayout
from yingxi.schema.shots import Expression
from yingxi.script.bible_io import read_bible
from yingxi.stages.layout import LayoutInput, block_shot

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ("paper-lantern", "last-ferry")
LOOKS = ("ink", "papercut", "flat")
PLACES = (("mountains", "ancient"), ("village", "ancient"), ("palace", "ancient"),
          ("city", "modern"))
EXPRESSIONS: tuple[Expression, ...] = ("neutral", "happy", "sad", "angry", "surprised")
MOUTHS = "XMAEOF"  # rest, closed, open, mid, round, lip on teeth
MOUTH_NAMES = {"X": "rest", "M": "m b p", "A": "a", "E": "e", "O": "o", "F": "f v"}


def _layout(look: str, kind: str, era: str, time: str, cast: list[Character],
            width: int, size: str = "extreme-wide", expressions: dict[str, Expression] | None
            = None, visemes: str | None = None) -> ShotLayout:
    location = Location(id=f"{kind}-sheet", name=kind, kind=kind, era=era)
    members = [CastMember.of(c) for c in cast]
    layout = block_shot(LayoutInput(
        width=width, height=width * 16 // 9, fps=24, look=look, seed=7, size=size,
        frames=1, staging=[c.id for c in cast], subjects=members,
        expressions=expressions or {}, location=SetSpec.of(location),
        time_of_day=time))
    if visemes is not None:
        layout = layout.replace(actors=[a.replace(visemes=visemes) for a in layout.actors])
    return layout


def _still(layout: ShotLayout) -> ImageArray:
    return next(iter(EmbeddedPainter().paint(layout)))


def _image(frame: ImageArray) -> skia.Image:
    """A frame (opaque RGBA as the painter gives it, or RGB) as a skia image."""
    rgba = frame if frame.shape[2] == 4 else np.dstack([frame, np.full(frame.shape[:2], 255,
                                                                        np.uint8)])
    return skia.Image.fromarray(np.ascontiguousarray(rgba), colorType=skia.kRGBA_8888_ColorType)


def _cast() -> list[tuple[Character, str]]:
    """Every character of the examples with its production's look."""
    out: list[tuple[Character, str]] = []
    for name in EXAMPLES:
        bible: Bible = read_bible(ROOT / "examples" / name / "bible.yaml")
        out += [(c, bible.style.look) for c in bible.characters]
    return out


def _portrait(character: Character, look: str, width: int, expression: Expression,
              mouth: str) -> ImageArray:
    """A close-up of one character, cropped square round the face."""
    layout = _layout(look, "home", "ancient", "day", [character], width * 2, size="close",
                     expressions={character.id: expression}, visemes=mouth)
    frame = _still(layout)
    h, w = frame.shape[:2]
    top = int(h * 0.1)
    return np.ascontiguousarray(frame[top:top + w, :])


def sheet(width: int) -> skia.Image:
    """The whole sheet."""
    pad, label = max(4, width // 30), max(18, width // 8)
    tile_h = width * 16 // 9
    cols = len(PLACES) * 2
    cast = _cast()
    face_w = (cols * (width + pad) - pad - 10 * pad) // 11
    out_w = pad + cols * (width + pad) + label * 3
    out_h = (pad + len(LOOKS) * (tile_h + pad) + label
             + len(cast) * (face_w + label + pad) + label * 2)
    surface = skia.Surface(out_w, out_h)
    canvas = surface.getCanvas()
    canvas.clear(skia.Color(30, 29, 33))
    font = skia.Font(typeface(cjk_face()), label * 0.55)
    text = skia.Paint(AntiAlias=True, Color=skia.Color(232, 230, 224))
    x0 = label * 3
    for c, (kind, _era) in enumerate(PLACES):
        for n, time in enumerate(("day", "night")):
            x = x0 + (c * 2 + n) * (width + pad)
            canvas.drawString(f"{kind} {time}", x + 2, label * 0.75, font, text)
    for r, look in enumerate(LOOKS):
        y = label + pad + r * (tile_h + pad)
        canvas.drawString(look, 6, y + tile_h / 2, font, text)
        for c, (kind, era) in enumerate(PLACES):
            for n, time in enumerate(("day", "night")):
                pair = [ch for ch, _ in cast[:2]]
                rgb = _still(_layout(look, kind, era, time, pair, width))
                canvas.drawImage(_image(rgb), x0 + (c * 2 + n) * (width + pad), y)
        print(f"{look}: {len(PLACES) * 2} sets")
    y = label + pad + len(LOOKS) * (tile_h + pad) + label
    heads = [*EXPRESSIONS, *(f"mouth {MOUTH_NAMES[m]}" for m in MOUTHS)]
    for i, title in enumerate(heads):
        canvas.drawString(title, x0 + i * (face_w + pad) + 2, y - label * 0.25,
                          skia.Font(typeface(cjk_face()), label * 0.42), text)
    for character, look in cast:
        canvas.drawString(character.name, 6, y + face_w / 2, font, text)
        tiles = [_portrait(character, look, face_w, e, "X") for e in EXPRESSIONS]
        tiles += [_portrait(character, look, face_w, "neutral", m) for m in MOUTHS]
        for i, tile in enumerate(tiles):
            canvas.drawImage(_image(tile).resize(face_w, face_w), x0 + i * (face_w + pad), y)
        y += face_w + pad + label // 2
        print(f"{character.id} ({look}): {len(tiles)} portraits")
    return surface.makeImageSnapshot()


def main() -> None:
    """Render the sheet and write it as a PNG."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", default=str(ROOT / "docs" / "looks.png"))
    parser.add_argument("--size", type=int, default=180, help="set thumbnail width in pixels")
    args = parser.parse_args()
    image = sheet(args.size)
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    image.save(args.out, skia.kPNG)
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
