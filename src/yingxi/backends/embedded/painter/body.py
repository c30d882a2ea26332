"""The body below the head: neck, legs, garment by wardrobe kind, arms and hands.

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
    polygon,
    smooth_path,
    stroke,
    subtract,
)
from yingxi.backends.embedded.painter.palette import RGB, darken, lighten
from yingxi.backends.embedded.painter.rig import Rig

# Key light from the upper left: shaded parts show a darker crescent on their lower right.
_SHADE_OFFSET = (-0.014, -0.01)


def shaded(canvas: skia.Canvas, path: skia.Path, color: RGB, amount: float = 0.2,
           offset: tuple[float, float] = _SHADE_OFFSET) -> None:
    """Fill ``path`` with a crescent of form shadow on the side away from the key light."""
    canvas.drawPath(path, fill(color))
    canvas.drawPath(subtract(path, moved(path, *offset)), fill(darken(color, amount)))


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


def draw_legs(canvas: skia.Canvas, rig: Rig, turn: float) -> None:
    """Trousers or bare legs, and shoes (only shoe tips show under a robe)."""
    c = rig.colors
    lw = rig.waist_w * (0.95 if rig.age != "child" else 0.9)
    top = rig.hip_y - 0.04
    if rig.wardrobe == "dress":
        for side in (-1.0, 1.0):
            x = side * lw * 0.45
            canvas.drawPath(polygon([(x - 0.018, top + 0.1), (x + 0.018, top + 0.1),
                                     (x + 0.013, -0.03), (x - 0.013, -0.03)]), fill(c.skin))
    elif rig.wardrobe != "robe":
        cloth = {"suit": darken(c.main, 0.12), "jacket": c.second, "coat": darken(c.second, 0.3)}
        trousers = polygon([(-lw, top), (-lw * 0.86, -0.03), (-0.014, -0.03), (-0.008, top + 0.11),
                            (0.008, top + 0.11), (0.014, -0.03), (lw * 0.86, -0.03), (lw, top)])
        shaded(canvas, trousers, cloth[rig.wardrobe], 0.22, (-0.012, 0.0))
    for side in (-1.0, 1.0):
        x = side * lw * (0.45 if rig.wardrobe in ("robe", "dress") else 0.5) + turn * 0.018
        w = 0.04 if rig.age != "child" else 0.034
        shoe = skia.Rect.MakeLTRB(x - w + turn * 0.01, -0.035, x + w + turn * 0.01, 0.004)
        canvas.drawRRect(skia.RRect.MakeRectXY(shoe, 0.018, 0.018), fill(c.shoes))


def _sleeve(rig: Rig, side: float) -> tuple[skia.Path, skia.Path | None, float, float]:
    """A sleeve path, its cuff band (robes), and where the hand goes (x, y)."""
    sw, ys = rig.shoulder_w, rig.shoulder_y
    wrist_y = rig.hip_y + (0.0 if rig.age != "child" else 0.02)
    if rig.wardrobe == "robe":
        top_x = side * (sw - 0.012)
        hand_x = side * (sw + 0.032)
        bottom = wrist_y + 0.03
        path = smooth_path([(top_x - side * 0.032, ys + 0.03), (top_x + side * 0.02, ys + 0.028),
                            (hand_x + side * 0.045, wrist_y - 0.12),
                            (hand_x + side * 0.062, bottom - 0.01),
                            (hand_x, bottom + 0.006), (hand_x - side * 0.058, bottom - 0.014),
                            (hand_x - side * 0.04, wrist_y - 0.1)], closed=True)
        cuff = intersect(path, polygon([(-1, bottom - 0.035), (1, bottom - 0.02), (1, 1),
                                        (-1, 1)]))
        return path, cuff, hand_x, wrist_y + 0.03
    end_y = -0.6 if rig.wardrobe == "dress" else wrist_y - 0.005
    top_x = side * (sw - 0.014)
    hand_x = side * (sw + 0.026)
    frac = (end_y - ys) / (wrist_y - ys)
    end_x = top_x + (hand_x - top_x) * frac
    path = skia.Path()
    path.addCircle(top_x, ys + 0.06, 0.034)
    path.addPath(polygon([(top_x - 0.033, ys + 0.06), (top_x + 0.034, ys + 0.06),
                          (end_x + 0.023, end_y), (end_x - 0.023, end_y)]))
    path = intersect(path, polygon([(-1, -2), (1, -2), (1, 1), (-1, 1)]))
    return path, None, hand_x, wrist_y + 0.012


def draw_arm(canvas: skia.Canvas, rig: Rig, side: float, sleeve_color: RGB) -> None:
    """One arm: sleeve (with a bare forearm under a dress's short sleeve) and hand."""
    c = rig.colors
    path, cuff, hand_x, hand_y = _sleeve(rig, side)
    if rig.wardrobe == "dress":
        top_x = side * (rig.shoulder_w - 0.012)
        canvas.drawPath(polygon([(top_x - 0.017, -0.62), (top_x + 0.017, -0.62),
                                 (hand_x + 0.014, hand_y - 0.01), (hand_x - 0.014, hand_y - 0.01)]),
                        fill(c.skin))
    r = 0.021 if rig.age != "child" else 0.019
    canvas.drawOval(skia.Rect.MakeLTRB(hand_x - r, hand_y - r * 1.1, hand_x + r, hand_y + r * 1.15),
                    fill(c.skin))
    shaded(canvas, path, sleeve_color, 0.2)
    if cuff is not None:
        canvas.drawPath(cuff, fill(c.second))


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


def draw_body(canvas: skia.Canvas, rig: Rig, turn: float) -> None:
    """Everything from the feet to the neck, in figure units, back to front."""
    c = rig.colors
    hem_y, hem_w, waist_w = _hem_and_waist(rig)
    body = torso_path(rig, hem_y, hem_w, waist_w)
    sleeve = c.main
    draw_legs(canvas, rig, turn)
    far = turn if turn else 0.0
    if far:
        canvas.save()
        canvas.translate(-far * 0.03, 0.0)
        draw_arm(canvas, rig, far, darken(sleeve, 0.1))
        canvas.restore()
    draw_neck(canvas, rig)
    canvas.save()
    canvas.translate(turn * 0.008, 0.0)
    canvas.scale(1.0 - 0.07 * abs(turn), 1.0)
    shaded(canvas, body, c.main, 0.18)
    canvas.save()
    canvas.translate(turn * 0.02, 0.0)
    _front_details(canvas, rig, body)
    canvas.restore()
    canvas.restore()
    for side in (-1.0, 1.0):
        if side == far:
            continue
        canvas.save()
        canvas.translate(side * -0.006 * abs(turn), 0.0)
        draw_arm(canvas, rig, side, sleeve)
        canvas.restore()
