"""Insert shots: one prop drawn big (the letter in a hand, the lantern being lit).

:func:`draw_prop` draws a prop centred in a square box in front of whatever the caller has
already painted (usually the shot's set, blurred). Each shape is drawn in a unit box
(-0.5..0.5 both ways) that is scaled into place, shaded by the shot's :class:`Light`: a lit and
a shadow side, a highlight, and a soft shadow that separates it from the blurred set.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import skia

from yingxi.backends.embedded.painter import inserts_more as more
from yingxi.backends.embedded.painter.draw import (
    fill,
    linear,
    polygon,
    radial,
    rounded,
    smooth_path,
    soft,
    stroke,
)
from yingxi.backends.embedded.painter.inserts_more import BRASS, INK, SEAL, Shade, brush, glyph
from yingxi.backends.embedded.painter.palette import RGB, Light, darken, lighten, mix
from yingxi.schema.bible import PropShape

DrawShape = Callable[[skia.Canvas, Shade, RGB | None], None]


# --- lantern -----------------------------------------------------------------------------


def _lantern(canvas: skia.Canvas, sh: Shade, color: RGB | None) -> None:
    """A round red paper lantern: ribbed, gilded caps, a tassel, glowing from within."""
    red = color or (0.86, 0.14, 0.12)
    flame = (1.0, 0.78, 0.36)
    glow = 0.55 if sh.light.lamps_on else 0.25
    canvas.drawCircle(0.0, -0.06, 0.5, radial((0.0, -0.06), 0.5, [flame, flame],
                                               alphas=[glow, 0.0]))
    canvas.drawLine(0.0, -0.5, 0.0, -0.34, stroke(sh.base((0.35, 0.1, 0.08)), 0.014))
    body = skia.Rect.MakeLTRB(-0.37, -0.32, 0.37, 0.2)
    # the lantern is its own light: its paper keeps its colour at night, hot in the middle
    paper = mix(sh.base(red), red, 0.6 if sh.light.lamps_on else 0.2)
    hot = lighten(mix(red, flame, 0.7), 0.35)
    canvas.drawOval(body, radial((-sh.side * 0.04, -0.04), 0.42,
                                 [hot, mix(red, flame, 0.3), paper, darken(paper, 0.45)],
                                 positions=[0.0, 0.3, 0.72, 1.0]))
    canvas.save()
    canvas.clipRect(body, doAntiAlias=True)
    rib = stroke(darken(paper, 0.45), 0.007, 0.7)
    for k in (0.22, 0.48, 0.72, 0.9):
        canvas.drawOval(skia.Rect.MakeLTRB(-0.37 * k, -0.32, 0.37 * k, 0.2), rib)
    canvas.drawLine(0.0, -0.32, 0.0, 0.2, rib)
    canvas.restore()
    # a gold roundel with a lucky character on the front
    canvas.drawCircle(0.0, -0.06, 0.11, fill(mix(sh.base(BRASS), lighten(BRASS, 0.4), 0.5)))
    canvas.drawCircle(0.0, -0.06, 0.11, stroke(sh.base((0.6, 0.3, 0.08)), 0.008))
    glyph(canvas, 0.0, -0.06, 0.14, np.random.default_rng(8), (0.45, 0.08, 0.05))
    canvas.drawOval(skia.Rect.MakeLTRB(0.1 * sh.side - 0.04, -0.29, 0.22 * sh.side + 0.04, -0.16),
                    soft(fill(sh.gleam, 0.35), 0.02))
    for top, bot in ((-0.36, -0.29), (0.17, 0.24)):
        cap = rounded(-0.14, top, 0.14, bot, 0.015)
        canvas.drawRRect(cap, sh.across((0.18, 0.1, 0.07), -0.14, 0.14))
        canvas.drawLine(-0.13, (top + bot) / 2, 0.13, (top + bot) / 2,
                        stroke(sh.base(BRASS), 0.012))
    more.tassel(canvas, sh, 0.0, 0.24, 0.25, red)


# --- letter ------------------------------------------------------------------------------


def _letter(canvas: skia.Canvas, sh: Shade, color: RGB | None) -> None:
    """A folded letter on its envelope: columns of brush writing and a red seal."""
    paper = color or (0.96, 0.92, 0.8)
    rng = np.random.default_rng(17)
    sh.contact(canvas, 0.0, 0.42, 0.42, 0.05)
    canvas.save()
    canvas.rotate(9.0)
    env = skia.Rect.MakeLTRB(0.02, -0.4, 0.3, 0.38)
    canvas.drawRect(env, sh.across((0.86, 0.74, 0.55), env.left(), env.right(), 0.6))
    strip = skia.Rect.MakeLTRB(0.11, -0.3, 0.21, 0.22)
    canvas.drawRect(strip, fill(sh.base(SEAL)))
    for k in range(4):
        glyph(canvas, 0.16, -0.24 + k * 0.1, 0.075, rng, INK)
    canvas.restore()
    canvas.save()
    canvas.rotate(-6.0)
    x0, x1, y0, y1, fold = -0.36, 0.16, -0.4, 0.36, -0.1
    canvas.drawRect(skia.Rect.MakeLTRB(fold, y0, x1, y1), sh.across(paper, fold, x1, 0.5))
    canvas.drawPath(polygon([(x0, y0 + 0.012), (fold, y0), (fold, y1), (x0, y1 + 0.014)]),
                    linear((x0, 0.0), (fold, 0.0), [sh.base(paper), sh.dark(paper, 0.45)]))
    canvas.drawLine(fold, y0, fold, y1, stroke(sh.dark(paper, 0.6), 0.005))
    # writing runs in columns from the right
    cell = 0.055
    col = x1 - 0.06
    while col > x0 + 0.04:
        yy, end = y0 + 0.07, y1 - (0.18 if col < -0.2 else 0.06)
        while yy < end:
            glyph(canvas, col, yy, cell, rng, INK, 0.9)
            yy += cell * 1.25
        col -= cell * 1.45
    # a square red seal, its characters left white
    sx, sy = x0 + 0.1, y1 - 0.1
    canvas.drawRRect(rounded(sx - 0.05, sy - 0.05, sx + 0.05, sy + 0.05, 0.008),
                     fill(sh.base(SEAL), 0.92))
    cut = stroke(sh.base(paper), 0.01)
    for ax, ay, bx, by in ((-0.03, -0.025, 0.03, -0.025), (0.0, -0.035, 0.0, 0.035),
                           (-0.03, 0.01, 0.03, 0.01), (-0.025, 0.032, 0.025, 0.032)):
        canvas.drawLine(sx + ax, sy + ay, sx + bx, sy + by, cut)
    canvas.restore()


# --- cup ---------------------------------------------------------------------------------


def _cup(canvas: skia.Canvas, sh: Shade, color: RGB | None) -> None:
    """A porcelain tea cup on its saucer: blue-and-white band, tea inside, a wisp of steam."""
    glaze = color or (0.95, 0.95, 0.91)
    blue = (0.16, 0.27, 0.58)
    tea = (0.72, 0.55, 0.22)
    sh.contact(canvas, 0.0, 0.4, 0.46, 0.06)
    canvas.drawOval(skia.Rect.MakeLTRB(-0.45, 0.22, 0.45, 0.42), fill(sh.dark(glaze, 0.7)))
    canvas.drawOval(skia.Rect.MakeLTRB(-0.45, 0.2, 0.45, 0.38), sh.across(glaze, -0.45, 0.45, 0.5))
    canvas.drawOval(skia.Rect.MakeLTRB(-0.3, 0.24, 0.3, 0.34), fill(sh.dark(glaze, 0.35)))
    body = skia.Path()
    body.moveTo(-0.32, -0.08)
    body.cubicTo(-0.32, 0.12, -0.22, 0.24, -0.13, 0.26)
    body.lineTo(0.13, 0.26)
    body.cubicTo(0.22, 0.24, 0.32, 0.12, 0.32, -0.08)
    body.close()
    canvas.drawPath(polygon([(-0.13, 0.24), (0.13, 0.24), (0.15, 0.31), (-0.15, 0.31)]),
                    sh.across(glaze, -0.15, 0.15, 1.4))
    canvas.drawPath(body, sh.across(glaze, -0.32, 0.32))
    canvas.save()
    canvas.clipPath(body, doAntiAlias=True)
    ink = sh.base(blue)
    canvas.drawRect(skia.Rect.MakeLTRB(-0.4, -0.03, 0.4, -0.01), fill(ink))
    canvas.drawRect(skia.Rect.MakeLTRB(-0.4, 0.19, 0.4, 0.21), fill(ink))
    scroll = skia.Path()
    for k in range(-3, 4):
        x = k * 0.11
        scroll.moveTo(x - 0.05, 0.1)
        scroll.cubicTo(x - 0.03, 0.02, x + 0.05, 0.03, x + 0.03, 0.1)
        scroll.cubicTo(x + 0.02, 0.14, x - 0.02, 0.13, x, 0.1)
    canvas.drawPath(scroll, stroke(ink, 0.012))
    canvas.drawRect(skia.Rect.MakeLTRB(-0.4, -0.1, 0.4, 0.3), sh.veil(-0.32, 0.32))
    canvas.drawPath(smooth_path([(0.23 * sh.side, -0.05), (0.25 * sh.side, 0.05),
                                 (0.17 * sh.side, 0.17)]),
                    soft(stroke(sh.gleam, 0.022, 0.5), 0.006))
    canvas.restore()
    canvas.drawOval(skia.Rect.MakeLTRB(-0.32, -0.14, 0.32, -0.02), fill(sh.lit(glaze, 0.6)))
    canvas.drawOval(skia.Rect.MakeLTRB(-0.29, -0.125, 0.29, -0.035),
                    linear((0.0, -0.125), (0.0, -0.035), [sh.dark(tea, 0.7), sh.base(tea)]))
    canvas.drawOval(skia.Rect.MakeLTRB(0.06 * sh.side - 0.06, -0.1, 0.06 * sh.side + 0.06,
                                       -0.075), fill(sh.gleam, 0.4))
    steam = skia.Path()
    for ox, h in ((-0.09, 0.36), (0.04, 0.42), (0.13, 0.3)):
        steam.moveTo(ox, -0.09)
        steam.cubicTo(ox - 0.08, -0.09 - h * 0.35, ox + 0.08, -0.09 - h * 0.6, ox - 0.02,
                      -0.09 - h)
    wisp = linear((0.0, -0.1), (0.0, -0.5), [sh.gleam, sh.gleam], alphas=[0.55, 0.0])
    wisp.setStyle(skia.Paint.kStroke_Style)
    wisp.setStrokeWidth(0.022)
    wisp.setStrokeCap(skia.Paint.kRound_Cap)
    canvas.drawPath(steam, soft(wisp, 0.006))


# --- jar ---------------------------------------------------------------------------------


def _jar(canvas: skia.Canvas, sh: Shade, color: RGB | None) -> None:
    """A pot-bellied wine jar: brown glaze over buff clay, a red cloth tied over its mouth."""
    glaze = color or (0.42, 0.24, 0.13)
    clay = (0.78, 0.64, 0.46)
    cloth = (0.8, 0.15, 0.12)
    sh.contact(canvas, 0.0, 0.42, 0.38, 0.05)
    body = skia.Path()
    body.moveTo(-0.15, -0.27)
    body.cubicTo(-0.52, -0.22, -0.46, 0.32, -0.22, 0.42)
    body.lineTo(0.22, 0.42)
    body.cubicTo(0.46, 0.32, 0.52, -0.22, 0.15, -0.27)
    body.close()
    canvas.drawPath(body, sh.orb(clay, 0.0, 0.0, 0.42))
    canvas.save()
    canvas.clipPath(body, doAntiAlias=True)
    drip = smooth_path([(-0.5, 0.26), (-0.3, 0.3), (-0.18, 0.25), (-0.05, 0.32), (0.1, 0.27),
                        (0.28, 0.31), (0.5, 0.25)])
    drip.lineTo(0.5, -0.5)
    drip.lineTo(-0.5, -0.5)
    drip.close()
    canvas.drawPath(drip, sh.orb(glaze, 0.0, -0.02, 0.4))
    canvas.drawPath(smooth_path([(0.24 * sh.side, -0.14), (0.3 * sh.side, 0.0),
                                 (0.27 * sh.side, 0.16)]), soft(stroke(sh.gleam, 0.03, 0.45),
                                                                0.008))
    canvas.restore()
    # the label: a red diamond of paper with the character for wine
    lx, ly = 0.0, 0.06
    canvas.drawPath(polygon([(lx, ly - 0.16), (lx + 0.15, ly), (lx, ly + 0.16), (lx - 0.15, ly)]),
                    fill(sh.base((0.85, 0.2, 0.15))))
    water = brush((lx - 0.085, ly - 0.06), (lx - 0.055, ly - 0.03), 0.024)
    water.addPath(brush((lx - 0.095, ly), (lx - 0.06, ly + 0.02), 0.024))
    water.addPath(brush((lx - 0.1, ly + 0.08), (lx - 0.055, ly + 0.03), 0.022))
    canvas.drawPath(water, fill(sh.base(INK)))
    you = stroke(sh.base(INK), 0.018)
    for ax, ay, bx, by in ((-0.03, -0.07, 0.08, -0.07), (-0.02, -0.04, -0.02, 0.08),
                           (0.07, -0.04, 0.07, 0.08), (-0.02, -0.04, 0.07, -0.04),
                           (-0.02, 0.03, 0.07, 0.03), (-0.02, 0.08, 0.07, 0.08),
                           (0.01, -0.07, 0.0, -0.01), (0.04, -0.07, 0.05, -0.01)):
        canvas.drawLine(lx + ax, ly + ay, lx + bx, ly + by, you)
    # the cloth cap, gathered under a cord
    cap = skia.Path()
    cap.moveTo(-0.2, -0.24)
    cap.cubicTo(-0.22, -0.4, -0.12, -0.46, 0.0, -0.46)
    cap.cubicTo(0.12, -0.46, 0.22, -0.4, 0.2, -0.24)
    cap.quadTo(0.14, -0.2, 0.08, -0.23)
    cap.quadTo(0.0, -0.19, -0.08, -0.23)
    cap.quadTo(-0.14, -0.2, -0.2, -0.24)
    cap.close()
    canvas.drawPath(cap, sh.orb(cloth, 0.0, -0.36, 0.16))
    fold = stroke(sh.dark(cloth, 0.8), 0.008, 0.8)
    for ax, bx in ((-0.12, -0.15), (-0.03, -0.04), (0.07, 0.09), (0.14, 0.17)):
        canvas.drawLine(ax, -0.32, bx, -0.23, fold)
    cord = stroke(sh.base((0.62, 0.5, 0.32)), 0.014)
    canvas.drawLine(-0.165, -0.32, 0.165, -0.32, cord)
    knot = skia.Path()
    knot.moveTo(0.05, -0.32)
    knot.quadTo(0.09, -0.26, 0.07, -0.2)
    knot.moveTo(0.05, -0.32)
    knot.quadTo(0.0, -0.25, 0.02, -0.19)
    canvas.drawPath(knot, cord)


# --- bell --------------------------------------------------------------------------------


def _bell(canvas: skia.Canvas, sh: Shade, color: RGB | None) -> None:
    """A bronze temple bell: hanging loop, banded panels, rows of bosses, a lotus striking seat."""
    bronze = color or (0.6, 0.44, 0.22)
    patina = (0.33, 0.55, 0.47)
    canvas.drawLine(0.0, -0.5, 0.0, -0.44, stroke(sh.base((0.5, 0.4, 0.26)), 0.02))
    loop = skia.Path()
    loop.moveTo(-0.08, -0.34)
    loop.cubicTo(-0.1, -0.47, 0.1, -0.47, 0.08, -0.34)
    canvas.drawPath(loop, stroke(sh.dark(bronze, 0.5), 0.045))
    canvas.drawPath(loop, stroke(sh.lit(bronze, 0.8), 0.014, 0.8))
    crown = skia.Path()
    crown.moveTo(-0.2, -0.28)
    crown.quadTo(-0.18, -0.36, 0.0, -0.37)
    crown.quadTo(0.18, -0.36, 0.2, -0.28)
    crown.close()
    canvas.drawPath(crown, sh.across(bronze, -0.2, 0.2))
    body = skia.Path()
    body.moveTo(-0.21, -0.29)
    body.cubicTo(-0.22, 0.0, -0.24, 0.2, -0.31, 0.33)
    body.lineTo(0.31, 0.33)
    body.cubicTo(0.24, 0.2, 0.22, 0.0, 0.21, -0.29)
    body.close()
    canvas.drawPath(body, sh.across(bronze, -0.28, 0.28))
    canvas.save()
    canvas.clipPath(body, doAntiAlias=True)
    canvas.drawRect(skia.Rect.MakeLTRB(-0.4, 0.12, 0.4, 0.4),
                    linear((0.0, 0.12), (0.0, 0.34), [patina, patina], alphas=[0.0, 0.35]))
    rim = sh.dark(bronze, 0.8)
    hi = sh.lit(bronze, 1.2)
    for y in (-0.22, 0.04, 0.22, 0.29):
        canvas.drawLine(-0.4, y, 0.4, y, stroke(rim, 0.016))
        canvas.drawLine(-0.4, y - 0.011, 0.4, y - 0.011, stroke(hi, 0.005, 0.8))
    for x in (-0.07, 0.07):
        canvas.drawLine(x, -0.22, x, 0.04, stroke(rim, 0.014))
    for px in (-0.145, 0.145):
        for row in range(3):
            for colm in range(2):
                bx, by = px + (colm - 0.5) * 0.05, -0.17 + row * 0.075
                canvas.drawCircle(bx, by, 0.017, fill(sh.dark(bronze, 0.9)))
                canvas.drawCircle(bx + sh.side * 0.004, by - 0.004, 0.012,
                                  sh.orb(bronze, bx, by, 0.014, 1.5))
    seat = (0.0, 0.13)
    for k in range(8):
        a = k * math.pi / 4
        canvas.drawCircle(seat[0] + math.cos(a) * 0.035, seat[1] + math.sin(a) * 0.035, 0.022,
                          stroke(rim, 0.007))
    canvas.drawCircle(*seat, 0.025, sh.orb(bronze, seat[0], seat[1], 0.025, 1.4))
    canvas.drawLine(0.14 * sh.side, -0.26, 0.17 * sh.side, 0.28, soft(stroke(sh.gleam, 0.028,
                                                                              0.4), 0.01))
    canvas.restore()
    canvas.drawOval(skia.Rect.MakeLTRB(-0.31, 0.3, 0.31, 0.37), fill(sh.dark(bronze, 1.5)))
    canvas.drawOval(skia.Rect.MakeLTRB(-0.31, 0.3, 0.31, 0.37), stroke(rim, 0.012))


_SHAPES: dict[str, DrawShape] = {
    "lantern": _lantern, "letter": _letter, "cup": _cup, "jar": _jar, "bell": _bell,
    "book": more.book, "fan": more.fan, "sword": more.sword, "flower": more.flower,
    "box": more.box,
}


def draw_prop(canvas: skia.Canvas, shape: PropShape, cx: float, cy: float, size: float,
              color: RGB | None, light: Light) -> None:
    """Draw the prop centred at (cx, cy), filling about a size x size box, in canvas units.

    ``color`` overrides the prop's main colour (lantern paper, jar glaze, book cover...); an
    unknown shape draws the box.
    """
    draw = _SHAPES.get(shape, more.box)
    canvas.save()
    canvas.translate(cx, cy)
    canvas.scale(size, size)
    draw(canvas, Shade.of(light), color)
    canvas.restore()
