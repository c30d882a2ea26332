"""The head: skull and ears, hair by style, eyes with lids and blinks, brows by expression.

Everything here is drawn relative to the head centre with the head's half-width ``rx`` and
half-height ``ry`` as units, so a child's bigger head keeps the same face, only larger.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import skia

from yingxi.backends.embedded.painter.draw import (
    fill,
    intersect,
    moved,
    outline,
    polygon,
    radial,
    smooth_path,
    stroke,
    subtract,
)
from yingxi.backends.embedded.painter.palette import darken, lighten, mix
from yingxi.backends.embedded.painter.rig import Rig


@dataclass(frozen=True)
class Mood:
    """How an expression sets the eyes and brows (the mouth takes ``smile``)."""

    eye_open: float        # 1 = relaxed
    lid_inner: float       # + raises the upper lid's inner half, - lowers it (anger)
    lid_outer: float       # - droops the outer half (sadness)
    lower_lid: float       # + pushes the lower lid up (a smile reaches the eyes)
    brow_inner: float      # lift of the brow's inner end, in head half-heights
    brow_outer: float
    brow_arch: float
    smile: float           # -1 .. 1, mouth corners


MOODS: dict[str, Mood] = {
    "neutral": Mood(1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.05, 0.15),
    "happy": Mood(0.85, 0.0, 0.05, 0.45, 0.05, 0.03, 0.08, 1.0),
    "sad": Mood(0.85, 0.2, -0.45, 0.0, 0.13, -0.05, 0.0, -0.8),
    "angry": Mood(0.8, -0.6, 0.15, 0.1, -0.1, 0.07, -0.01, -0.45),
    "surprised": Mood(1.25, 0.1, 0.1, -0.1, 0.15, 0.12, 0.1, 0.0),
}


def features_x(rig: Rig, turn: float) -> float:
    """How far the face features slide towards the facing side (the 3/4 view)."""
    return turn * 0.24 * rig.head_rx


def head_path(rig: Rig, turn: float) -> skia.Path:
    """The face outline: a soft egg, the jaw leaning towards the facing side."""
    rx, ry = rig.head_rx, rig.head_ry
    j = turn * 0.08 * rx
    chin = 0.95 if rig.age != "child" else 0.9
    jaw = 0.62 if rig.age != "child" else 0.72
    pts = [(0.0, -ry), (rx * 0.78, -ry * 0.72), (rx, -ry * 0.12), (rx * 0.93 + j * 0.3, ry * 0.38),
           (rx * jaw + j, ry * 0.78), (j * 1.4, ry * chin), (-rx * jaw + j, ry * 0.78),
           (-rx * 0.93 + j * 0.3, ry * 0.38), (-rx, -ry * 0.12), (-rx * 0.78, -ry * 0.72)]
    return smooth_path(pts, closed=True)


def draw_head(canvas: skia.Canvas, rig: Rig, turn: float) -> None:
    """Ears, face, cheeks and nose (eyes, mouth, hair and brows are drawn on top)."""
    c = rig.colors
    rx, ry = rig.head_rx, rig.head_ry
    for side in (-1.0, 1.0):
        if (turn and side == turn) or rig.hair_style == "long":
            continue  # the far ear hides behind the head; long hair covers both
        ex = side * rx * (0.96 if not turn else 0.86)
        ear = skia.Rect.MakeLTRB(ex - rx * 0.17, ry * -0.12, ex + rx * 0.17, ry * 0.34)
        canvas.drawOval(ear, fill(c.skin))
        inner = skia.Rect.MakeLTRB(ex - rx * 0.08, ry * -0.04, ex + rx * 0.08, ry * 0.24)
        canvas.drawOval(inner, fill(c.skin_shade, 0.7))
    face = head_path(rig, turn)
    canvas.drawPath(face, fill(c.skin))
    canvas.drawPath(subtract(face, moved(face, -rx * 0.1, -ry * 0.05)),
                    fill(mix(c.skin, c.skin_shade, 0.5)))
    if rig.contour > 0.0:  # the ink look: a fine brush line round the face
        canvas.drawPath(face, stroke(rig.ink, rig.contour * 0.7, 0.8))
    fx = features_x(rig, turn)
    for side in (-1.0, 1.0):
        cx = fx + side * rx * 0.56 * (0.8 if side == turn else 1.0)
        r = rx * 0.2
        canvas.drawCircle(cx, ry * 0.42, r, radial((cx, ry * 0.42), r, [c.blush, c.blush],
                                                   alphas=[0.45, 0.0]))
    nose = skia.Path()
    nx = fx + turn * rx * 0.08
    if turn:
        nose.moveTo(nx + turn * rx * 0.02, ry * 0.3)
        nose.quadTo(nx + turn * rx * 0.09, ry * 0.42, nx - turn * rx * 0.01, ry * 0.45)
    else:
        nose.moveTo(-rx * 0.05, ry * 0.43)
        nose.quadTo(0.0, ry * 0.47, rx * 0.05, ry * 0.43)
    canvas.drawPath(nose, stroke(darken(c.skin, 0.32), rx * 0.045, 0.7))
    if rig.age == "elder":
        for side in (-1.0, 1.0):
            x0 = fx + side * rx * 0.3
            fold = skia.Path()
            fold.moveTo(x0, ry * 0.45)
            fold.quadTo(x0 + side * rx * 0.1, ry * 0.6, x0 + side * rx * 0.06, ry * 0.74)
            canvas.drawPath(fold, stroke(darken(c.skin, 0.25), rx * 0.025, 0.6))


def _eye_geometry(rig: Rig, side: float, turn: float) -> tuple[float, float, float]:
    """Centre x, centre y and half-width of the eye on ``side`` (-1 screen-left)."""
    rx, ry = rig.head_rx, rig.head_ry
    far = bool(turn) and side == turn
    squeeze = 0.8 if far else 1.0
    ex = features_x(rig, turn) + side * rx * 0.42 * (0.88 if turn else 1.0)
    if far:
        ex -= side * rx * 0.03
    return ex, ry * 0.1, rx * 0.21 * rig.eye_scale * squeeze


def draw_eyes(canvas: skia.Canvas, rig: Rig, turn: float, mood: Mood, openness: float) -> None:
    """Both eyes; ``openness`` 1 is fully open, 0 is a closed lid (mid-blink)."""
    c = rig.colors
    look = turn * 0.22
    for side in (-1.0, 1.0):
        ex, ey, w = _eye_geometry(rig, side, turn)
        if openness <= 0.05:
            lid = skia.Path()
            lid.moveTo(ex - w, ey)
            lid.quadTo(ex, ey + w * 0.45, ex + w, ey)
            canvas.drawPath(lid, stroke(c.line, w * 0.24))
            continue
        he = w * 1.05 * mood.eye_open * openness
        inner_k = 1.0 + mood.lid_inner
        outer_k = 1.0 + mood.lid_outer
        left_k, right_k = (inner_k, outer_k) if side > 0 else (outer_k, inner_k)
        upper = skia.Path()
        upper.moveTo(ex - w, ey)
        upper.cubicTo(ex - w * 0.6, ey - he * 1.33 * left_k, ex + w * 0.6,
                      ey - he * 1.33 * right_k, ex + w, ey)
        shape = skia.Path(upper)
        low = w * 0.62 * (1.0 - 2.2 * mood.lower_lid) * (0.7 + 0.3 * openness)
        shape.quadTo(ex, ey + low, ex - w, ey)
        shape.close()
        canvas.drawPath(shape, fill(c.sclera))
        ir = w * 0.66 * (0.9 if mood.eye_open > 1.1 else 1.0)
        ix, iy = ex + look * w, ey - w * 0.42
        parts = ((ir, radial((ix, iy + ir * 0.35), ir * 1.1, [lighten(c.eye, 0.35), c.eye]), 0.0,
                  0.0), (ir * 0.5, fill(darken(c.eye, 0.6)), 0.0, 0.0),
                 (ir * 0.3, fill(c.sclera), 0.35, -0.38), (ir * 0.13, fill(c.sclera, 0.8), -0.3,
                                                           0.35))
        for radius, paint, dx, dy in parts:
            disc = skia.Path()
            disc.addCircle(ix + dx * ir, iy + dy * ir, radius)
            canvas.drawPath(intersect(disc, shape), paint)
        canvas.drawPath(upper, stroke(c.line, w * 0.2))
        flick = skia.Path()
        ox = ex + side * w
        flick.moveTo(ox - side * w * 0.1, ey - w * 0.04)
        flick.lineTo(ox + side * w * 0.22, ey - w * 0.28 * outer_k)
        canvas.drawPath(flick, stroke(c.line, w * 0.14))


def draw_brows(canvas: skia.Canvas, rig: Rig, turn: float, mood: Mood) -> None:
    """Tapered brows, thick at the inner end; the expression tilts and lifts them."""
    ry = rig.head_ry
    for side in (-1.0, 1.0):
        ex, ey, w = _eye_geometry(rig, side, turn)
        by = ey - ry * 0.42
        inner = (ex - side * w * 1.0, by - ry * mood.brow_inner)
        outer = (ex + side * w * 1.2, by - ry * mood.brow_outer + ry * 0.03)
        mid = ((inner[0] + outer[0]) / 2, (inner[1] + outer[1]) / 2 - ry * (0.06 + mood.brow_arch))
        t_in, t_out = w * 0.34, w * 0.1
        brow = skia.Path()
        brow.moveTo(inner[0], inner[1] - t_in / 2)
        brow.quadTo(mid[0], mid[1] - t_in * 0.4, outer[0], outer[1] - t_out / 2)
        brow.lineTo(outer[0], outer[1] + t_out / 2)
        brow.quadTo(mid[0], mid[1] + t_in * 0.55, inner[0], inner[1] + t_in / 2)
        brow.close()
        canvas.drawPath(brow, fill(rig.colors.brow))


def _cap(rig: Rig, turn: float, fringe: list[tuple[float, float]]) -> skia.Path:
    """The hair over the skull: an outer dome closed by a fringe (points right to left).

    The fringe runs as arcs that bow up between its points, so the locks end in soft tips.
    """
    rx, ry = rig.head_rx, rig.head_ry
    lean = turn * rx * 0.04
    dome = smooth_path([(rx * 1.08, ry * 0.1), (rx * 1.06, -ry * 0.5),
                        (rx * 0.62 + lean, -ry * 1.02), (lean, -ry * 1.14),
                        (-rx * 0.62 + lean, -ry * 1.02), (-rx * 1.06, -ry * 0.5),
                        (-rx * 1.08, ry * 0.1)])
    pts = [(x * rx + turn * rx * 0.12 * (1.0 - abs(x)), y * ry) for x, y in reversed(fringe)]
    dome.lineTo(*pts[0])
    for (x0, y0), (x1, y1) in itertools.pairwise(pts):
        dome.quadTo((x0 + x1) / 2, min(y0, y1) - ry * 0.12, x1, y1)
    dome.close()
    return dome


_FRINGES: dict[str, list[tuple[float, float]]] = {
    # hairline points from the right temple to the left one, in (rx, ry) units
    "short": [(0.97, 0.12), (0.86, -0.3), (0.5, -0.5), (0.05, -0.36), (-0.35, -0.52),
              (-0.78, -0.3), (-0.97, 0.12)],
    "ponytail": [(0.98, 0.2), (0.82, -0.18), (0.42, -0.38), (-0.02, -0.3), (-0.4, -0.46),
                 (-0.8, -0.2), (-0.98, 0.2)],
    "long": [(0.98, 0.45), (0.86, -0.15), (0.45, -0.55), (0.06, -0.74), (-0.45, -0.52),
             (-0.86, -0.12), (-0.98, 0.45)],
    "bun": [(0.96, 0.05), (0.78, -0.42), (0.38, -0.66), (0.02, -0.74), (-0.38, -0.66),
            (-0.78, -0.42), (-0.96, 0.05)],
}


def draw_hair_back(canvas: skia.Canvas, rig: Rig, turn: float) -> None:
    """Hair behind the head and shoulders: long hair's fall, the bun, the ponytail."""
    c = rig.colors
    rx, ry = rig.head_rx, rig.head_ry
    style = rig.hair_style
    if style == "bald":
        return
    if style == "long":
        fall = smooth_path([(-rx * 1.02, -ry * 0.6), (-rx * 1.18, ry * 1.2), (-rx * 1.3, ry * 2.35),
                            (0.0, ry * 2.5), (rx * 1.3, ry * 2.35), (rx * 1.18, ry * 1.2),
                            (rx * 1.02, -ry * 0.6)], closed=True)
        canvas.drawPath(fall, fill(darken(c.hair, 0.18)))
    elif style == "bun":
        bx, by = -turn * rx * 0.25, -ry * 1.1
        canvas.drawCircle(bx, by, rx * 0.46, fill(c.hair))
        canvas.drawCircle(bx - rx * 0.12, by - rx * 0.14, rx * 0.2, fill(c.hair_light, 0.5))
        canvas.drawLine(bx - rx * 0.7, by + rx * 0.15, bx + rx * 0.7, by - rx * 0.3,
                        stroke(c.accent, rx * 0.07))
        canvas.drawCircle(bx + rx * 0.7, by - rx * 0.3, rx * 0.09, fill(lighten(c.accent, 0.3)))
    elif style == "ponytail":
        side = -turn if turn else 1.0
        root = (side * rx * 0.75, -ry * 0.55)
        tail = smooth_path([root, (side * rx * 1.35, -ry * 0.2), (side * rx * 1.35, ry * 0.8),
                            (side * rx * 1.12, ry * 1.7), (side * rx * 0.95, ry * 0.7),
                            (side * rx * 0.7, -ry * 0.2)], closed=True)
        canvas.drawPath(tail, fill(darken(c.hair, 0.08)))
        canvas.drawCircle(root[0] + side * rx * 0.12, root[1] + ry * 0.1, rx * 0.1, fill(c.accent))
    canvas.drawOval(skia.Rect.MakeLTRB(-rx * 1.1, -ry * 1.16, rx * 1.1, ry * 0.5),
                    fill(darken(c.hair, 0.1)))


def draw_hair_front(canvas: skia.Canvas, rig: Rig, turn: float) -> None:
    """The cap and fringe over the forehead, side locks for long hair, a sheen on bald heads."""
    c = rig.colors
    rx, ry = rig.head_rx, rig.head_ry
    style = rig.hair_style
    if style == "bald":
        canvas.drawArc(skia.Rect.MakeLTRB(-rx * 0.7, -ry * 0.92, rx * 0.5, -ry * 0.2), 200, 70,
                       False, stroke(lighten(c.skin, 0.35), rx * 0.08, 0.6))
        return
    cap = _cap(rig, turn, _FRINGES[style])
    canvas.drawPath(cap, fill(c.hair))
    if rig.contour > 0.0:
        canvas.drawPath(cap, stroke(rig.ink, rig.contour * 0.7, 0.8))
    sheen = skia.Path()
    sheen.addArc(skia.Rect.MakeLTRB(-rx * 0.86, -ry * 1.0, rx * 0.86, ry * 0.2), 205, 60)
    canvas.drawPath(intersect(outline(sheen, ry * 0.1), cap), fill(c.hair_light, 0.75))
    if style == "long":
        for side in (-1.0, 1.0):
            if turn and side == turn:
                continue
            x = side * rx
            lock = smooth_path([(x * 0.95, -ry * 0.3), (x * 1.12, ry * 0.8), (x * 1.2, ry * 1.9),
                                (x * 1.05, ry * 2.2), (x * 0.92, ry * 1.2), (x * 0.84, ry * 0.2)],
                               closed=True)
            canvas.drawPath(lock, fill(c.hair))
    elif style in ("short", "ponytail"):
        for side in (-1.0, 1.0):
            if turn and side == turn:
                continue
            x = side * rx
            canvas.drawPath(polygon([(x * 1.07, -ry * 0.1), (x * 0.88, -ry * 0.1),
                                     (x * 0.9, ry * 0.32), (x * 1.0, ry * 0.28)]), fill(c.hair))
