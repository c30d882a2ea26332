"""Insert props, part two: book, fan, sword, flower and box, plus the shared shading helpers.

Every prop is drawn in a unit box (-0.5..0.5 both ways) that :func:`inserts.draw_prop` scales
into place, so stroke widths and blurs below are fractions of the prop's size.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import skia

from yingxi.backends.embedded.painter.draw import (
    Point,
    fill,
    linear,
    polygon,
    radial,
    rounded,
    smooth_path,
    soft,
    stroke,
)
from yingxi.backends.embedded.painter.motifs_base import sun_side
from yingxi.backends.embedded.painter.palette import RGB, Light, darken, lighten, mix

INK: RGB = (0.09, 0.07, 0.07)
BRASS: RGB = (0.82, 0.62, 0.28)
SEAL: RGB = (0.78, 0.13, 0.12)


@dataclass(frozen=True)
class Shade:
    """How the shot's light falls on a prop: lit side, shadow side, highlight, contact shadow."""

    light: Light
    side: float  # the key light comes from this side: -1 left, +1 right

    @classmethod
    def of(cls, light: Light) -> Shade:
        """The shading of ``light`` (key on the sun's or moon's side)."""
        return cls(light, sun_side(light))

    @property
    def dim(self) -> bool:
        """Whether the hour is dim (night, or a dark room): deeper shadows, softer highlights."""
        return self.light.exposure < 0.95

    def base(self, color: RGB) -> RGB:
        """A prop colour under the light: key-lit like an actor, but darker than day at night."""
        return mix(self.light.on_figure(color), self.light.on_set(color), 0.6)

    def lit(self, color: RGB, k: float = 1.0) -> RGB:
        """The side facing the key light."""
        return lighten(self.base(color), 0.16 * k)

    def dark(self, color: RGB, k: float = 1.0) -> RGB:
        """The side turned away from the key light."""
        return darken(self.base(color), (0.5 if self.dim else 0.36) * k)

    @property
    def gleam(self) -> RGB:
        """Specular highlight colour: warm white by day, moon-blue at night."""
        return mix(self.light.on_figure((1.0, 1.0, 1.0)), self.light.sun_glow, 0.25)

    def across(self, color: RGB, x0: float, x1: float, k: float = 1.0) -> skia.Paint:
        """A horizontal gradient from the lit edge to the shaded edge of a shape."""
        a, b = (x1, x0) if self.side > 0 else (x0, x1)
        return linear((a, 0.0), (b, 0.0), [self.lit(color, k), self.base(color),
                                           self.dark(color, k)], positions=[0.0, 0.45, 1.0])

    def veil(self, x0: float, x1: float) -> skia.Paint:
        """A see-through shadow laid over painted decoration, deepening away from the light."""
        a, b = (x1, x0) if self.side > 0 else (x0, x1)
        return linear((a, 0.0), (b, 0.0), [(0.05, 0.04, 0.1)] * 2,
                      alphas=[0.0, 0.4 if self.dim else 0.3])

    def orb(self, color: RGB, cx: float, cy: float, r: float, k: float = 1.0) -> skia.Paint:
        """A round body lit from the key side and above."""
        return radial((cx + self.side * r * 0.35, cy - r * 0.35), r * 1.45,
                      [self.lit(color, k * 1.3), self.base(color), self.dark(color, k)],
                      positions=[0.0, 0.45, 1.0])

    def contact(self, canvas: skia.Canvas, x: float, y: float, rx: float, ry: float) -> None:
        """A soft shadow on the surface a prop stands on, pushed away from the light."""
        a = 0.3 if self.dim else 0.4
        ox = x - self.side * rx * 0.12
        canvas.drawOval(skia.Rect.MakeLTRB(ox - rx, y - ry, ox + rx, y + ry),
                        soft(fill((0.04, 0.03, 0.06), a), ry * 0.45))


def brush(a: Point, b: Point, w: float) -> skia.Path:
    """A brush stroke from ``a`` to ``b``: a pressed head, a swelling body, a lifted tail."""
    dx, dy = b[0] - a[0], b[1] - a[1]
    n = math.hypot(dx, dy) or 1.0
    nx, ny = -dy / n * w / 2, dx / n * w / 2
    pts = [a, (a[0] + dx * 0.2 + nx * 1.1, a[1] + dy * 0.2 + ny * 1.1),
           (a[0] + dx * 0.7 + nx * 0.7, a[1] + dy * 0.7 + ny * 0.7), b,
           (a[0] + dx * 0.7 - nx * 0.8, a[1] + dy * 0.7 - ny * 0.8),
           (a[0] + dx * 0.2 - nx, a[1] + dy * 0.2 - ny)]
    return smooth_path(pts, closed=True)


# Brush strokes of a character in a unit cell: heng, shu, pie, na, dian, short heng.
_STROKES: tuple[tuple[float, float, float, float], ...] = (
    (-0.38, -0.05, 0.38, -0.1), (0.0, -0.42, 0.02, 0.42), (0.12, -0.3, -0.38, 0.36),
    (-0.05, -0.05, 0.4, 0.36), (-0.06, -0.46, 0.06, -0.32), (-0.28, 0.3, 0.3, 0.26),
)


def glyph(canvas: skia.Canvas, x: float, y: float, cell: float, rng: np.random.Generator,
          ink: RGB, alpha: float = 1.0) -> None:
    """A brush-written character (a plausible jumble of strokes) centred in a ``cell`` square."""
    path = skia.Path()
    picks = rng.choice(len(_STROKES), size=int(rng.integers(3, 5)), replace=False)
    for i in sorted(int(p) for p in picks):
        x0, y0, x1, y1 = _STROKES[i]
        jx, jy = (float(v) * 0.1 for v in rng.uniform(-1.0, 1.0, 2))
        path.addPath(brush((x + (x0 + jx) * cell, y + (y0 + jy) * cell),
                           (x + (x1 + jx) * cell, y + (y1 + jy) * cell), cell * 0.16))
    canvas.drawPath(path, fill(ink, alpha))


def tassel(canvas: skia.Canvas, sh: Shade, x: float, y: float, length: float, red: RGB) -> None:
    """A knotted silk tassel hanging from (x, y)."""
    gold = sh.base(BRASS)
    canvas.drawLine(x, y, x, y + length * 0.3, stroke(sh.base(red), length * 0.05))
    canvas.drawCircle(x, y + length * 0.32, length * 0.09, sh.orb(BRASS, x, y + length * 0.32,
                                                                    length * 0.09))
    top, bottom = y + length * 0.42, y + length
    body = polygon([(x - length * 0.07, top), (x + length * 0.07, top),
                    (x + length * 0.15, bottom), (x - length * 0.15, bottom)])
    canvas.drawPath(body, sh.across(red, x - length * 0.15, x + length * 0.15))
    threads = stroke(sh.dark(red, 0.8), length * 0.012, 0.8)
    for k in range(-3, 4):
        canvas.drawLine(x + k * length * 0.018, top + length * 0.06, x + k * length * 0.04,
                        bottom - length * 0.01, threads)
    canvas.drawRect(skia.Rect.MakeLTRB(x - length * 0.08, top - length * 0.01, x + length * 0.08,
                                       top + length * 0.06), fill(gold))


# --- book --------------------------------------------------------------------------------


def _one_book(canvas: skia.Canvas, sh: Shade, cover: RGB, x0: float, y0: float, x1: float,
              y1: float, rng: np.random.Generator, title: bool) -> None:
    paper = (0.93, 0.88, 0.74)
    t = 0.035  # page block thickness, shown below and to the left
    block = polygon([(x0, y0), (x1, y0), (x1, y1 + t), (x0 - t * 0.5, y1 + t),
                     (x0 - t * 0.5, y0 + t)])
    canvas.drawPath(block, fill(sh.dark(paper, 0.5)))
    for k in range(1, 4):
        yy = y1 + t * k / 4
        canvas.drawLine(x0, yy, x1 - 0.01, yy, stroke(sh.dark(paper, 0.9), 0.003))
    canvas.drawRect(skia.Rect.MakeLTRB(x0, y0, x1, y1), sh.across(cover, x0, x1, 0.7))
    # silk corner guards at the bound (right) edge
    guard = sh.lit(lighten(cover, 0.25), 0.5)
    canvas.drawRect(skia.Rect.MakeLTRB(x1 - 0.05, y0, x1, y0 + 0.045), fill(guard))
    canvas.drawRect(skia.Rect.MakeLTRB(x1 - 0.05, y1 - 0.045, x1, y1), fill(guard))
    # stitching: holes along the spine, thread running down and wrapping round the edge
    thread = sh.lit((0.95, 0.93, 0.86), 0.3)
    sx = x1 - 0.055
    holes = [y0 + (y1 - y0) * f for f in (0.06, 0.3, 0.5, 0.7, 0.94)]
    canvas.drawLine(sx, holes[0], sx, holes[-1], stroke(thread, 0.007))
    for hy in holes:
        canvas.drawLine(sx, hy, x1 + 0.004, hy, stroke(thread, 0.007))
        canvas.drawCircle(sx, hy, 0.008, fill(sh.dark(cover, 1.2)))
    if title:
        slip = skia.Rect.MakeLTRB(x0 + 0.05, y0 + 0.06, x0 + 0.16, y0 + (y1 - y0) * 0.62)
        canvas.drawRect(slip, fill(sh.lit((0.95, 0.92, 0.84), 0.3)))
        canvas.drawRect(slip, stroke(sh.dark(paper, 0.6), 0.005))
        cell = slip.width() * 0.62
        yy = slip.top() + cell * 0.9
        while yy < slip.bottom() - cell * 0.6:
            glyph(canvas, slip.centerX(), yy, cell, rng, INK)
            yy += cell * 1.2


def book(canvas: skia.Canvas, sh: Shade, color: RGB | None) -> None:
    """Two thread-bound books, one on the other: stitched spine, title slip, page edges."""
    rng = np.random.default_rng(31)
    sh.contact(canvas, 0.0, 0.42, 0.42, 0.05)
    canvas.save()
    canvas.rotate(4.0)
    _one_book(canvas, sh, (0.5, 0.33, 0.2), -0.36, -0.2, 0.34, 0.38, rng, False)
    canvas.restore()
    canvas.save()
    canvas.rotate(-7.0)
    _one_book(canvas, sh, color or (0.2, 0.28, 0.45), -0.31, -0.39, 0.33, 0.31, rng, True)
    canvas.restore()


# --- fan ---------------------------------------------------------------------------------


def fan(canvas: skia.Canvas, sh: Shade, color: RGB | None) -> None:
    """An open folding fan: pleated paper leaf with an ink landscape, bamboo ribs, a tassel."""
    paper = color or (0.96, 0.9, 0.76)
    px, py, r_in, r_out = 0.0, 0.2, 0.19, 0.5
    a0, a1, n = math.radians(-166.0), math.radians(-14.0), 18
    angles = [a0 + (a1 - a0) * i / n for i in range(n + 1)]

    def at(a: float, r: float) -> Point:
        return (px + math.cos(a) * r, py + math.sin(a) * r)

    rib = sh.base((0.6, 0.42, 0.24))
    for a in angles[1:-1]:
        canvas.drawLine(px, py, *at(a, r_in + 0.02), stroke(rib, 0.014))
    leaf = skia.Path()
    oval_out = skia.Rect.MakeLTRB(px - r_out, py - r_out, px + r_out, py + r_out)
    oval_in = skia.Rect.MakeLTRB(px - r_in, py - r_in, px + r_in, py + r_in)
    sweep = math.degrees(a1 - a0)
    leaf.arcTo(oval_out, math.degrees(a0), sweep, True)
    leaf.arcTo(oval_in, math.degrees(a1), -sweep, False)
    leaf.close()
    canvas.drawPath(leaf, radial((px, py), r_out, [sh.base(paper), sh.lit(paper, 0.6)],
                                 positions=[0.4, 1.0]))
    canvas.save()
    canvas.clipPath(leaf, doAntiAlias=True)
    # the painted arc: a red sun over ink-wash peaks, a band of cloud
    canvas.drawCircle(0.2, -0.12, 0.06, fill(sh.base((0.86, 0.3, 0.22)), 0.9))
    for base_y, tone, peaks in ((0.02, 0.55, ((-0.5, 0.1), (-0.32, -0.2), (-0.18, -0.04),
                                              (-0.04, -0.24), (0.1, -0.02), (0.3, -0.14),
                                              (0.5, 0.05))),
                                (0.12, 0.25, ((-0.5, 0.08), (-0.38, -0.08), (-0.2, 0.04),
                                              (0.14, -0.06), (0.34, 0.06), (0.5, -0.04)))):
        pts = [(x, y + base_y) for x, y in peaks]
        path = smooth_path(pts)
        path.lineTo(0.5, 0.3)
        path.lineTo(-0.5, 0.3)
        path.close()
        ink = mix(sh.base(paper), sh.base((0.18, 0.22, 0.26)), tone)
        canvas.drawPath(path, linear((0.0, -0.2), (0.0, 0.2), [ink, sh.base(paper)]))
    for k in range(n):
        if k % 2 == 0:
            pleat = polygon([at(angles[k], r_in), at(angles[k], r_out),
                             at(angles[k + 1], r_out), at(angles[k + 1], r_in)])
            canvas.drawPath(pleat, fill(sh.dark(paper, 1.2), 0.16))
    canvas.restore()
    fold = stroke(sh.dark(paper, 0.7), 0.004, 0.7)
    for a in angles[1:-1]:
        canvas.drawLine(*at(a, r_in), *at(a, r_out), fold)
    canvas.drawPath(leaf, stroke(sh.dark(paper, 0.9), 0.006))
    guard = sh.base((0.42, 0.24, 0.13))
    for a in (a0, a1):
        canvas.drawLine(px, py, *at(a, r_out - 0.005), stroke(guard, 0.026))
    canvas.drawCircle(px, py, 0.03, sh.orb(BRASS, px, py, 0.03))
    tassel(canvas, sh, px, py + 0.03, 0.24, (0.78, 0.14, 0.14))


# --- sword -------------------------------------------------------------------------------


def sword(canvas: skia.Canvas, sh: Shade, color: RGB | None) -> None:
    """A jian in its lacquered scabbard on the diagonal, hilt up, a red tassel at the pommel."""
    lacquer = color or (0.2, 0.1, 0.09)
    red = (0.78, 0.14, 0.14)
    canvas.save()
    canvas.translate(-0.02, 0.03)
    canvas.rotate(135.0)
    # along the local x axis: pommel -0.66, grip, guard -0.38, scabbard to the chape at 0.66;
    # local +y is the upper edge once turned, the one the light falls on

    def lit_band(c: RGB, hw: float, k: float = 1.0) -> skia.Paint:
        return linear((0.0, hw), (0.0, -hw), [sh.lit(c, 1.6 * k), sh.base(c), sh.dark(c, k)],
                      positions=[0.0, 0.4, 1.0])

    def band(x0: float, x1: float, hw: float, c: RGB) -> None:
        rect = skia.RRect.MakeRectXY(skia.Rect.MakeLTRB(x0, -hw, x1, hw), hw * 0.4, hw * 0.4)
        canvas.drawRRect(rect, lit_band(c, hw))

    sheath = skia.Path()
    sheath.moveTo(-0.37, -0.042)
    sheath.lineTo(0.6, -0.033)
    sheath.quadTo(0.67, 0.0, 0.6, 0.033)
    sheath.lineTo(-0.37, 0.042)
    sheath.close()
    canvas.drawPath(sheath, lit_band(lacquer, 0.042, 1.3))
    canvas.drawLine(-0.3, 0.024, 0.55, 0.018, stroke(sh.gleam, 0.008, 0.5))
    for x0, x1 in ((-0.37, -0.29), (-0.14, -0.1), (0.12, 0.16)):
        band(x0, x1, 0.047, BRASS)
    for x in (-0.12, 0.14):
        canvas.drawCircle(x, -0.064, 0.02, stroke(sh.base(BRASS), 0.009))
    chape = skia.Path()
    chape.moveTo(0.52, -0.036)
    chape.lineTo(0.6, -0.033)
    chape.quadTo(0.67, 0.0, 0.6, 0.033)
    chape.lineTo(0.52, 0.036)
    chape.close()
    canvas.drawPath(chape, lit_band(BRASS, 0.036))
    # hilt: guard, silk-wrapped grip, pommel
    guard = skia.Path()
    guard.moveTo(-0.38, -0.09)
    guard.quadTo(-0.355, -0.03, -0.335, 0.0)
    guard.quadTo(-0.355, 0.03, -0.38, 0.09)
    guard.quadTo(-0.415, 0.0, -0.38, -0.09)
    canvas.drawPath(guard, lit_band(BRASS, 0.09))
    grip = (0.14, 0.16, 0.26)
    band(-0.62, -0.39, 0.032, grip)
    wrap = stroke(sh.dark(grip, 1.3), 0.006)
    for k in range(8):
        x = -0.61 + k * 0.028
        canvas.drawLine(x, -0.03, x + 0.022, 0.03, wrap)
    canvas.drawOval(skia.Rect.MakeLTRB(-0.675, -0.048, -0.6, 0.048), lit_band(BRASS, 0.048))
    canvas.restore()
    rad = math.radians(135.0)
    tx, ty = -0.02 - 0.67 * math.cos(rad), 0.03 - 0.67 * math.sin(rad)
    cord = skia.Path()
    cord.moveTo(tx, ty)
    cord.quadTo(tx + 0.01, ty + 0.05, tx - 0.02, ty + 0.09)
    canvas.drawPath(cord, stroke(sh.base(red), 0.012))
    tassel(canvas, sh, tx - 0.02, ty + 0.09, 0.28, red)


# --- flower ------------------------------------------------------------------------------


def _blossom(canvas: skia.Canvas, sh: Shade, x: float, y: float, r: float, petal: RGB,
             turn: float) -> None:
    path = skia.Path()
    for k in range(5):
        a = turn + k * 2 * math.pi / 5
        path.addCircle(x + math.cos(a) * r * 0.52, y + math.sin(a) * r * 0.52, r * 0.5)
    canvas.drawPath(path, sh.orb(petal, x, y, r, 0.7))
    canvas.drawPath(path, stroke(sh.dark(petal, 0.6), r * 0.04, 0.6))
    heart = sh.base(darken(petal, 0.25))
    canvas.drawCircle(x, y, r * 0.24, fill(heart))
    anther = sh.lit((0.98, 0.82, 0.3), 0.5)
    for k in range(9):
        a = turn + k * 2 * math.pi / 9
        sx, sy = x + math.cos(a) * r * 0.45, y + math.sin(a) * r * 0.45
        canvas.drawLine(x, y, sx, sy, stroke(heart, r * 0.035))
        canvas.drawCircle(sx, sy, r * 0.055, fill(anther))


_BRANCH: tuple[Point, ...] = ((-0.42, 0.47), (-0.3, 0.26), (-0.1, 0.14), (0.0, -0.08),
                              (0.2, -0.2), (0.3, -0.43))
_TWIG: tuple[Point, ...] = ((-0.1, 0.14), (0.14, 0.12), (0.36, 0.02))
_SPUR: tuple[Point, ...] = ((0.0, -0.08), (-0.2, -0.26), (-0.26, -0.4))
_FLOWERS: tuple[tuple[float, float, float], ...] = (
    (0.3, -0.4, 0.1), (0.12, -0.2, 0.12), (-0.22, -0.3, 0.1), (0.36, 0.02, 0.11),
    (-0.02, -0.02, 0.13), (0.15, 0.13, 0.09), (-0.3, 0.23, 0.1),
)
_BUDS: tuple[Point, ...] = ((-0.27, -0.43), (0.38, -0.22), (0.28, 0.13), (-0.14, 0.2),
                            (0.42, -0.04))


def flower(canvas: skia.Canvas, sh: Shade, color: RGB | None) -> None:
    """A sprig of plum blossom: an angular dark branch, open flowers and round buds."""
    petal = color or (0.97, 0.56, 0.66)
    bark = sh.base((0.26, 0.17, 0.15))
    for pts, w in ((_BRANCH, 0.055), (_TWIG, 0.03), (_SPUR, 0.026)):
        for i in range(len(pts) - 1):
            k = 1.0 - 0.5 * i / len(pts)
            canvas.drawLine(*pts[i], *pts[i + 1], stroke(bark, w * k))
    moss = stroke(sh.lit((0.4, 0.5, 0.28), 0.3), 0.012, 0.8)
    for x, y in _BRANCH[1:4]:
        canvas.drawLine(x - 0.015, y + 0.005, x + 0.01, y - 0.008, moss)
    for bx, by in _BUDS:
        canvas.drawCircle(bx, by, 0.032, sh.orb(darken(petal, 0.2), bx, by, 0.032))
        canvas.drawCircle(bx - 0.01, by + 0.03, 0.012, fill(sh.base((0.3, 0.2, 0.18))))
    for i, (x, y, r) in enumerate(_FLOWERS):
        _blossom(canvas, sh, x, y, r, petal, 0.4 + i * 1.1)


# --- box ---------------------------------------------------------------------------------


def box(canvas: skia.Canvas, sh: Shade, color: RGB | None) -> None:
    """A lidded wooden box in three-quarter view, brass corners, a ruyi-headed hasp."""
    wood = color or (0.47, 0.22, 0.13)
    lx, rx, d = -0.4, 0.26, 0.14  # front left and right edges, and the depth offset
    top, seam, foot = -0.06, 0.06, 0.34
    canvas.save()
    canvas.translate(0.0, -0.06)
    canvas.scale(1.12, 1.12)
    sh.contact(canvas, 0.04, foot + 0.02, 0.46, 0.05)
    front = skia.Rect.MakeLTRB(lx, top, rx, foot)
    lid_top = polygon([(lx, top), (rx, top), (rx + d, top - d), (lx + d, top - d)])
    right = polygon([(rx, top), (rx + d, top - d), (rx + d, foot - d), (rx, foot)])
    lit_right = sh.side > 0
    canvas.drawPath(right, fill(sh.lit(wood, 0.6) if lit_right else sh.dark(wood, 0.8)))
    canvas.drawRect(front, sh.across(wood, lx, rx, 0.5))
    canvas.drawPath(lid_top, linear((0.0, top - d), (0.0, top),
                                    [sh.lit(wood, 1.6), sh.lit(wood, 0.9)]))
    grain = stroke(darken(sh.base(wood), 0.3), 0.005, 0.5)
    for k, yy in enumerate((0.12, 0.2, 0.28)):
        g = skia.Path()
        g.moveTo(lx + 0.02, yy)
        g.cubicTo(lx + 0.2, yy - 0.03 + k * 0.01, rx - 0.3, yy + 0.03, rx - 0.02, yy - 0.01)
        canvas.drawPath(g, grain)
    edge = stroke(sh.dark(wood, 1.3), 0.008)
    canvas.drawLine(lx, seam, rx, seam, edge)
    canvas.drawLine(rx, seam, rx + d, seam - d, edge)
    canvas.drawLine(lx, top, rx, top, stroke(sh.lit(wood, 2.0), 0.006))
    # brass: corner brackets, the hasp plate and its lock pin, a side handle
    brass = sh.base(BRASS)
    corners = ((lx, top, 1, 1), (rx, top, -1, 1), (lx, foot, 1, -1), (rx, foot, -1, -1))
    for cx, cy, sx, sy in corners:
        canvas.drawPath(polygon([(cx, cy), (cx + sx * 0.07, cy), (cx, cy + sy * 0.07)]),
                        fill(brass))
    mx = (lx + rx) / 2
    plate = smooth_path([(mx - 0.06, seam - 0.01), (mx - 0.075, seam + 0.04), (mx, seam + 0.1),
                         (mx + 0.075, seam + 0.04), (mx + 0.06, seam - 0.01),
                         (mx, seam - 0.03)], closed=True)
    canvas.drawPath(plate, sh.orb(BRASS, mx, seam + 0.03, 0.07))
    canvas.drawRRect(rounded(mx - 0.022, top + 0.01, mx + 0.022, seam + 0.06, 0.012),
                     sh.orb(BRASS, mx, seam, 0.05))
    canvas.drawCircle(mx, seam + 0.045, 0.012, fill(sh.dark(BRASS, 1.2)))
    canvas.drawLine(mx - 0.01, top + 0.02, mx + 0.01, top + 0.02, stroke(sh.gleam, 0.006, 0.8))
    hx, hy = rx + d * 0.5, (top + foot) / 2 - d * 0.5
    canvas.drawOval(skia.Rect.MakeLTRB(hx - 0.025, hy - 0.01, hx + 0.025, hy + 0.06),
                    stroke(brass, 0.01))
    canvas.restore()
