"""The body below the head: neck, legs, garment by wardrobe kind, posed arms and hands.

Drawn in figure units (see :mod:`rig`). ``turn`` is -1 (facing left), 0 (front) or +1 (facing
right); a turned body narrows a little and shifts its front details towards where it looks, the
cheap 3/4 view that makes two people read as talking to each other.
"""

from __future__ import annotations

import skia

from yingxi.backends.embedded.painter.draw import (
    fill,
    intersect,
    moved,
    outline,
    polygon,
    smooth_path,
    stroke,
    subtract,
)
from yingxi.backends.embedded.painter.palette import RGB, darken, lighten
from yingxi.backends.embedded.painter.pose import Arm, Legs
from yingxi.backends.embedded.painter.rig import Rig

# Key light from the upper left: shaded parts show a darker crescent on their lower right.
_SHADE_OFFSET = (-0.014, -0.01)


def shaded(canvas: skia.Canvas, path: skia.Path, color: RGB, amount: float = 0.2,
           offset: tuple[float, float] = _SHADE_OFFSET) -> None:
    """Fill ``path`` with a crescent of form shadow on the side away from the key light."""
    canvas.drawPath(path, fill(color))
    canvas.drawPath(subtract(path, moved(path, *offset)), fill(darken(color, amount)))


def contour(canvas: skia.Canvas, rig: Rig, path: skia.Path, weight: float = 1.0) -> None:
    """A brush outline along ``path`` (the ink look only): slightly ragged, never ruled."""
    if rig.contour <= 0.0:
        return
    paint = stroke(rig.ink, rig.contour * weight, 0.85)
    paint.setPathEffect(skia.DiscretePathEffect.Make(0.012, rig.contour * 0.35, 7))
    canvas.drawPath(path, paint)


def _hem_and_waist(rig: Rig) -> tuple[float, float, float]:
    """Hem y, hem half-width and waist half-width of the outer garment."""
    sw, ww = rig.shoulder_w, rig.waist_w
    return {
        "robe": (-0.02, sw * 1.3, ww * 1.05),
        "jacket": (rig.hip_y + 0.03, sw * 0.98, sw * 0.9),
        "suit": (rig.hip_y + 0.05, sw * 0.96, sw * 0.84),
        "coat": (-0.16, sw * 1.12, sw * 0.92),
        "dress": (-0.19 if rig.age != "child" else -0.22, sw * 1.35, ww * 0.95),
    }[rig.wardrobe]


def torso_path(rig: Rig, hem_y: float, hem_w: float, waist_w: float) -> skia.Path:
    """The outline of a garment from the shoulders to its hem, symmetric about x = 0."""
    sw, ys, yw = rig.shoulder_w, rig.shoulder_y, rig.waist_y
    neck = rig.head_rx * 0.36
    path = skia.Path()
    path.moveTo(-neck, rig.neck_y - 0.006)
    path.quadTo(-sw * 0.72, ys - 0.012, -sw, ys + 0.035)
    path.cubicTo(-sw * 1.03, ys + 0.1, -waist_w, yw - 0.07, -waist_w, yw)
    path.cubicTo(-waist_w, yw + 0.05, -hem_w, hem_y - 0.1, -hem_w, hem_y)
    path.quadTo(0.0, hem_y + 0.018, hem_w, hem_y)
    path.cubicTo(hem_w, hem_y - 0.1, waist_w, yw + 0.05, waist_w, yw)
    path.cubicTo(waist_w, yw - 0.07, sw * 1.03, ys + 0.1, sw, ys + 0.035)
    path.quadTo(sw * 0.72, ys - 0.012, neck, rig.neck_y - 0.006)
    path.close()
    return path


def draw_neck(canvas: skia.Canvas, rig: Rig) -> None:
    """The neck, shaded under the chin."""
    c = rig.colors
    w = rig.head_rx * 0.34
    top = rig.head_y + rig.head_ry * 0.6
    bottom = rig.neck_y + (0.04 if rig.wardrobe == "dress" else 0.01)
    neck = polygon([(rig.head_x - w, top), (rig.head_x + w, top), (w * 1.1, bottom),
                    (-w * 1.1, bottom)])
    canvas.drawPath(neck, fill(c.skin))
    canvas.drawRect(skia.Rect.MakeLTRB(-w * 1.2, top, w * 1.2, top + (bottom - top) * 0.45),
                    fill(c.skin_shade, 0.6))


def draw_legs(canvas: skia.Canvas, rig: Rig, turn: float, stance: Legs) -> None:
    """Trousers or bare legs, and shoes (only the shoes show under a robe), standing or
    mid-stride."""
    c = rig.colors
    lw = rig.waist_w * (0.95 if rig.age != "child" else 0.9)
    top = rig.hip_y - 0.04
    if rig.wardrobe == "dress":
        for (hx, _), (ax, ay) in zip(stance.hips, stance.ankles, strict=True):
            x = hx * 0.9
            canvas.drawPath(polygon([(x - 0.018, top + 0.1), (x + 0.018, top + 0.1),
                                     (ax + 0.013, ay), (ax - 0.013, ay)]), fill(c.skin))
    elif rig.wardrobe != "robe":
        cloth = {"suit": darken(c.main, 0.12), "jacket": c.second, "coat": darken(c.second, 0.3)}
        color = cloth[rig.wardrobe]
        canvas.drawPath(polygon([(-lw, top), (lw, top), (lw * 0.9, top + 0.12),
                                 (-lw * 0.9, top + 0.12)]), fill(color))
        for (hx, _), (ax, ay) in zip(stance.hips, stance.ankles, strict=True):
            side = -1.0 if hx < 0 else 1.0
            outer, inner = hx + side * lw * 0.5, hx - side * lw * 0.5
            leg = polygon([(outer, top), (inner, top), (ax - side * 0.024, ay - 0.01),
                           (ax + side * 0.026, ay - 0.01)])
            shaded(canvas, leg, color, 0.22, (-0.012, 0.0))
    for ax, ay in stance.ankles:
        w = 0.04 if rig.age != "child" else 0.034
        x = ax * (0.9 if rig.wardrobe in ("robe", "dress") else 1.0) + turn * 0.028
        shoe = skia.Rect.MakeLTRB(x - w, ay - 0.015, x + w, ay + 0.024)
        canvas.drawRRect(skia.RRect.MakeRectXY(shoe, 0.018, 0.018), fill(c.shoes))


def _capsule(a: tuple[float, float], b: tuple[float, float], width: float) -> skia.Path:
    """The filled outline of a round-capped segment from ``a`` to ``b``."""
    line = skia.Path()
    line.moveTo(*a)
    line.lineTo(*b)
    return outline(line, width)


def draw_arm(canvas: skia.Canvas, rig: Rig, limb: Arm, sleeve_color: RGB) -> None:
    """One posed arm: sleeve (a robe's hangs wide under the forearm; a dress leaves the
    forearm bare) and hand."""
    c = rig.colors
    (sx, sy), (ex, ey), (wx, wy) = limb.shoulder, limb.elbow, limb.wrist
    k = 0.88 if rig.age == "child" else 1.0
    fx, fy = wx - ex, wy - ey
    n = max(1e-6, (fx * fx + fy * fy) ** 0.5)
    hand = (wx + fx / n * 0.018 * k, wy + fy / n * 0.018 * k)
    r = 0.021 * k
    canvas.drawOval(skia.Rect.MakeLTRB(hand[0] - r, hand[1] - r * 1.1, hand[0] + r,
                                       hand[1] + r * 1.15), fill(c.skin))
    if rig.wardrobe == "dress":
        canvas.drawPath(_capsule((ex, ey), (wx, wy), 0.034 * k), fill(c.skin))
        mid = (sx + (ex - sx) * 0.55, sy + (ey - sy) * 0.55)
        canvas.drawPath(_capsule((ex, ey), (sx, sy), 0.036 * k), fill(c.skin))
        shaded(canvas, _capsule((sx, sy), mid, 0.068 * k), sleeve_color, 0.2)
        return
    upper = _capsule((sx, sy), (ex, ey), 0.068 * k)
    lower = _capsule((ex, ey), (wx, wy), 0.058 * k)
    sleeve = skia.Op(upper, lower, skia.PathOp.kUnion_PathOp)
    if rig.wardrobe == "robe":
        # the wide sleeve hangs from the forearm, whatever the arm does
        drop = 0.075 * k
        bag = smooth_path([(ex, ey - 0.01), (wx + 0.004, wy - 0.012), (wx + 0.01, wy + drop * 0.5),
                           ((ex + wx) / 2, max(ey, wy) + drop), (ex - 0.012, ey + drop * 0.4)],
                          closed=True)
        sleeve = skia.Op(sleeve, bag, skia.PathOp.kUnion_PathOp)
        shaded(canvas, sleeve, sleeve_color, 0.2)
        cuff = _capsule((wx - fx / n * 0.02, wy - fy / n * 0.02), (wx, wy), 0.064 * k)
        canvas.drawPath(cuff, fill(c.second))
        contour(canvas, rig, sleeve, 0.8)
        return
    shaded(canvas, sleeve, sleeve_color, 0.2)
    contour(canvas, rig, sleeve, 0.8)
    if rig.wardrobe == "suit":
        canvas.drawPath(_capsule((wx - fx / n * 0.008, wy - fy / n * 0.008), (wx, wy), 0.05 * k),
                        fill(lighten(c.second, 0.6)))


def _robe(canvas: skia.Canvas, rig: Rig, body: skia.Path) -> None:
    c = rig.colors
    nk = rig.head_rx * 0.36
    yw = rig.waist_y
    band = 0.024
    # the left lapel crosses over the right: the long stroke of a "y"
    long_stroke = polygon([(nk + 0.01, rig.neck_y - 0.01), (nk + 0.01 + band, rig.neck_y),
                           (-rig.waist_w * 0.6 + band, yw), (-rig.waist_w * 0.6, yw)])
    short_stroke = polygon([(-nk - 0.01, rig.neck_y - 0.01), (-nk - 0.01 - band, rig.neck_y),
                            (0.005, rig.neck_y + 0.085), (0.02, rig.neck_y + 0.07)])
    canvas.drawPath(intersect(short_stroke, body), fill(darken(c.second, 0.08)))
    canvas.drawPath(intersect(long_stroke, body), fill(c.second))
    canvas.drawPath(intersect(body, polygon([(-1, -0.045), (1, -0.045), (1, 1), (-1, 1)])),
                    fill(c.second))
    canvas.drawRRect(skia.RRect.MakeRectXY(
        skia.Rect.MakeLTRB(-rig.waist_w * 1.1, yw - 0.028, rig.waist_w * 1.1, yw + 0.022),
        0.01, 0.01), fill(c.accent))
    for dx in (-0.012, 0.014):
        canvas.drawPath(polygon([(dx - 0.008, yw), (dx + 0.008, yw), (dx * 1.6 + 0.006, yw + 0.17),
                                 (dx * 1.6 - 0.008, yw + 0.17)]), fill(darken(c.accent, 0.12)))


def _front_details(canvas: skia.Canvas, rig: Rig, body: skia.Path) -> None:
    """Collars, lapels, ties, belts and buttons of the modern garments."""
    c = rig.colors
    nk = rig.head_rx * 0.36
    ys, yw = rig.neck_y, rig.waist_y
    if rig.wardrobe == "robe":
        _robe(canvas, rig, body)
    elif rig.wardrobe == "suit":
        shirt = lighten(c.second, 0.6)
        v_bottom = ys + 0.16
        canvas.drawPath(polygon([(-nk, ys - 0.004), (nk, ys - 0.004), (0.0, v_bottom)]),
                        fill(shirt))
        canvas.drawPath(polygon([(-0.011, ys + 0.012), (0.011, ys + 0.012), (0.016, ys + 0.12),
                                 (0.0, v_bottom + 0.012), (-0.016, ys + 0.12)]), fill(c.accent))
        lapel = darken(c.main, 0.18)
        for side in (-1.0, 1.0):
            canvas.drawPath(polygon([(side * nk, ys - 0.006), (side * (nk + 0.03), ys + 0.01),
                                     (side * 0.045, ys + 0.07), (0.0, v_bottom + 0.01)]),
                            fill(lapel))
        for by in (v_bottom + 0.03, v_bottom + 0.08):
            canvas.drawCircle(0.008, by, 0.0065, fill(darken(c.main, 0.35)))
    elif rig.wardrobe == "jacket":
        canvas.drawPath(polygon([(-nk, ys - 0.004), (nk, ys - 0.004), (0.0, ys + 0.06)]),
                        fill(lighten(c.second, 0.35)))
        canvas.drawLine(0.0, ys + 0.06, 0.0, rig.hip_y + 0.03, stroke(darken(c.main, 0.3), 0.005))
        for side in (-1.0, 1.0):
            canvas.drawPath(polygon([(side * nk, ys - 0.008), (side * (nk + 0.035), ys + 0.005),
                                     (side * 0.01, ys + 0.07)]), fill(darken(c.main, 0.12)))
            canvas.drawLine(side * 0.035, yw + 0.02, side * 0.07, yw + 0.02,
                            stroke(darken(c.main, 0.25), 0.004))
    elif rig.wardrobe == "coat":
        canvas.drawPath(polygon([(-nk, ys - 0.004), (nk, ys - 0.004), (0.0, ys + 0.07)]),
                        fill(c.second))
        for side in (-1.0, 1.0):
            canvas.drawPath(polygon([(side * (nk - 0.004), ys - 0.012),
                                     (side * (nk + 0.05), ys + 0.012),
                                     (side * 0.035, ys + 0.12), (side * 0.004, ys + 0.09)]),
                            fill(darken(c.main, 0.15)))
            for k in range(3):
                canvas.drawCircle(side * 0.028, ys + 0.15 + k * 0.07, 0.006,
                                  fill(darken(c.main, 0.4)))
        canvas.drawRect(skia.Rect.MakeLTRB(-rig.shoulder_w, yw - 0.014, rig.shoulder_w,
                                           yw + 0.014), fill(c.accent))
    elif rig.wardrobe == "dress":
        scoop = skia.Path()
        scoop.addOval(skia.Rect.MakeLTRB(-nk * 1.7, ys - 0.04, nk * 1.7, ys + 0.045))
        canvas.drawPath(intersect(scoop, body), fill(c.skin))
        canvas.drawRect(skia.Rect.MakeLTRB(-rig.shoulder_w, yw - 0.016, rig.shoulder_w, yw + 0.012),
                        fill(c.second))
        fold = stroke(darken(c.main, 0.16), 0.005, 0.7)
        for dx in (-0.06, -0.02, 0.025, 0.065):
            canvas.drawLine(dx * 0.6, yw + 0.03, dx * 1.45, -0.2, fold)
        canvas.drawPath(intersect(body, polygon([(-1, -0.225), (1, -0.225), (1, 1), (-1, 1)])),
                        fill(c.second))


def draw_torso(canvas: skia.Canvas, rig: Rig, turn: float) -> None:
    """The neck and the garment from the shoulders to the hem, with its front details."""
    c = rig.colors
    hem_y, hem_w, waist_w = _hem_and_waist(rig)
    body = torso_path(rig, hem_y, hem_w, waist_w)
    draw_neck(canvas, rig)
    canvas.save()
    canvas.translate(turn * 0.008, 0.0)
    canvas.scale(1.0 - 0.07 * abs(turn), 1.0)
    shaded(canvas, body, c.main, 0.18)
    canvas.save()
    canvas.translate(turn * 0.02, 0.0)
    _front_details(canvas, rig, body)
    canvas.restore()
    contour(canvas, rig, body)
    canvas.restore()
