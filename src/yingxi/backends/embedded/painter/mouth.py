"""Mouth shapes, one per viseme letter, bent by the expression's smile.

Open shapes (A, E, O, and the smaller C, I, U) show a dark interior so how open the mouth is
can be measured from pixels; closed ones (X, M, F) read by their lip line and teeth.
"""

from __future__ import annotations

import skia

from yingxi.backends.embedded.painter.draw import fill, intersect, stroke
from yingxi.backends.embedded.painter.face import features_x
from yingxi.backends.embedded.painter.palette import darken
from yingxi.backends.embedded.painter.rig import Rig

# letter: (width, upper-lip rise, lower-lip drop, upper teeth, lower teeth), in mouth widths
_OPEN: dict[str, tuple[float, float, float, float, float]] = {
    "A": (0.78, 0.2, 0.78, 0.13, 0.0),
    "E": (0.9, 0.13, 0.42, 0.12, 0.0),
    "I": (1.0, 0.07, 0.2, 0.1, 0.08),
    "C": (0.8, 0.1, 0.32, 0.1, 0.08),
}
# rounded shapes: (half width, half height) of the lip oval
_ROUND: dict[str, tuple[float, float]] = {"O": (0.27, 0.34), "U": (0.15, 0.17)}


def opening(letter: str) -> float:
    """How far apart the lips of viseme ``letter`` are, in mouth widths (0 when closed): the
    painter's own mouth-opening curve, read from the shapes it draws."""
    if letter in _OPEN:
        _, top, bottom, _, _ = _OPEN[letter]
        return top + bottom
    if letter in _ROUND:
        return 2.0 * _ROUND[letter][1]
    return 0.0


def _open_path(w: float, top: float, bottom: float, lift: float) -> skia.Path:
    path = skia.Path()
    path.moveTo(-w / 2, -lift)
    path.cubicTo(-w / 4, -top * 1.33, w / 4, -top * 1.33, w / 2, -lift)
    path.cubicTo(w / 4, bottom * 1.33, -w / 4, bottom * 1.33, -w / 2, -lift)
    path.close()
    return path


def mouth_center(rig: Rig, turn: float) -> tuple[float, float, float]:
    """Mouth centre (x, y) relative to the head centre, and the mouth's unit width."""
    width = rig.head_rx * (0.46 if rig.age != "child" else 0.42)
    return features_x(rig, turn) * 1.05, rig.head_ry * 0.66, width


def draw_mouth(canvas: skia.Canvas, rig: Rig, turn: float, letter: str, smile: float) -> None:
    """Draw viseme ``letter`` (see ``yingxi.schema.layout.VISEMES``)."""
    c = rig.colors
    mx, my, unit = mouth_center(rig, turn)
    canvas.save()
    canvas.translate(mx, my)
    canvas.scale(unit, unit)
    lift = smile * 0.13
    lip = stroke(c.lip, 0.07)
    line = stroke(darken(c.lip, 0.35), 0.075)
    if letter in _OPEN:
        w, top, bottom, upper, lower = _OPEN[letter]
        shape = _open_path(w, top, bottom, lift)
        canvas.drawPath(shape, fill(c.mouth))
        if letter == "A":
            tongue = skia.Path()
            tongue.addOval(skia.Rect.MakeLTRB(-w * 0.32, bottom * 0.45, w * 0.32, bottom * 1.3))
            canvas.drawPath(intersect(tongue, shape), fill(c.tongue))
        teeth = skia.Path()
        teeth.addRect(skia.Rect.MakeLTRB(-w, -top * 1.5, w, -top + upper + 0.02))
        if lower:
            teeth.addRect(skia.Rect.MakeLTRB(-w, bottom - lower, w, bottom * 1.5))
        canvas.drawPath(intersect(teeth, shape), fill(c.teeth))
        canvas.drawPath(shape, lip)
    elif letter in _ROUND:
        rw, rh = _ROUND[letter]
        oval = skia.Rect.MakeLTRB(-rw, -rh * 0.8, rw, rh * 1.2)
        canvas.drawOval(oval, fill(c.mouth))
        if letter == "O":
            hole, tongue = skia.Path(), skia.Path()
            hole.addOval(oval)
            tongue.addOval(skia.Rect.MakeLTRB(-rw * 0.7, rh * 0.4, rw * 0.7, rh * 1.5))
            canvas.drawPath(intersect(tongue, hole), fill(c.tongue))
        canvas.drawOval(oval, stroke(c.lip, 0.08 if letter == "O" else 0.12))
    elif letter == "F":
        teeth = _open_path(0.7, 0.1, 0.14, lift)
        canvas.drawPath(teeth, fill(c.teeth))
        canvas.drawPath(teeth, stroke(c.lip, 0.05))
        under = skia.Path()
        under.moveTo(-0.36, 0.04 - lift)
        under.quadTo(0.0, 0.0, 0.36, 0.04 - lift)
        under.quadTo(0.0, 0.34, -0.36, 0.04 - lift)
        under.close()
        canvas.drawPath(under, fill(c.lip))
    elif letter == "M":
        pressed = skia.Path()
        pressed.moveTo(-0.46, -lift * 0.6)
        pressed.quadTo(0.0, 0.03 + lift * 0.3, 0.46, -lift * 0.6)
        canvas.drawPath(pressed, line)
        canvas.drawOval(skia.Rect.MakeLTRB(-0.2, 0.06, 0.2, 0.2), fill(c.lip, 0.45))
    else:  # X, rest
        rest = skia.Path()
        rest.moveTo(-0.38, -lift)
        rest.quadTo(0.0, 0.1 * smile + 0.02, 0.38, -lift)
        canvas.drawPath(rest, stroke(darken(c.lip, 0.3), 0.065))
    canvas.restore()
