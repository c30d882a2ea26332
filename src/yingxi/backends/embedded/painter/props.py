"""Reusable set pieces: trees, bushes, rocks, grass, lanterns, windows, roofs."""

from __future__ import annotations

import numpy as np
import skia

from yingxi.backends.embedded.painter.draw import fill, linear, polygon, radial, rounded, stroke
from yingxi.backends.embedded.painter.palette import RGB, darken, lighten, mix


def pine(canvas: skia.Canvas, x: float, base: float, h: float, color: RGB,
         shade: RGB, snow: RGB | None = None, trunk: RGB | None = None) -> None:
    """A conifer: three stacked soft-cornered tiers, shaded on one side."""
    if trunk is not None:
        canvas.drawRect(skia.Rect.MakeLTRB(x - h * 0.035, base - h * 0.2, x + h * 0.035, base),
                        fill(trunk))
    for i in range(3):
        top = base - h * (1.0 - i * 0.24)
        bottom = base - h * (0.12 + (2 - i) * 0.2)
        half = h * (0.2 + i * 0.06)
        tier = polygon([(x, top), (x + half, bottom), (x - half, bottom)])
        canvas.drawPath(tier, fill(color))
        canvas.drawPath(polygon([(x, top), (x + half, bottom), (x + half * 0.1, bottom)]),
                        fill(shade))
        if snow is not None:
            canvas.drawPath(polygon([(x, top), (x + half * 0.45, top + (bottom - top) * 0.45),
                                     (x, top + (bottom - top) * 0.33),
                                     (x - half * 0.45, top + (bottom - top) * 0.45)]), fill(snow))


def round_tree(canvas: skia.Canvas, x: float, base: float, h: float, leaf: RGB, trunk: RGB,
               rng: np.random.Generator, side: float, snow: RGB | None = None) -> None:
    """A broadleaf tree: trunk and a clustered crown lit from ``side`` (-1 left, +1 right)."""
    tw = h * 0.06
    trunk_path = polygon([(x - tw, base), (x - tw * 0.55, base - h * 0.55),
                          (x + tw * 0.55, base - h * 0.55), (x + tw, base)])
    canvas.drawPath(trunk_path, fill(trunk))
    crown = skia.Path()
    cy = base - h * 0.66
    for _ in range(6):
        ox = float(rng.uniform(-0.22, 0.22)) * h
        oy = float(rng.uniform(-0.2, 0.12)) * h
        crown.addCircle(x + ox, cy + oy, h * float(rng.uniform(0.16, 0.23)))
    crown.addCircle(x, cy, h * 0.25)
    canvas.drawPath(crown, fill(darken(leaf, 0.25)))
    canvas.save()
    canvas.clipPath(crown, doAntiAlias=True)
    canvas.drawCircle(x + side * h * 0.12, cy - h * 0.12, h * 0.3, fill(leaf))
    canvas.drawCircle(x + side * h * 0.2, cy - h * 0.2, h * 0.14, fill(lighten(leaf, 0.18)))
    if snow is not None:
        canvas.drawCircle(x, cy - h * 0.42, h * 0.3, fill(snow))
    canvas.restore()


def bush(canvas: skia.Canvas, x: float, base: float, w: float, color: RGB, side: float) -> None:
    """A low rounded shrub."""
    path = skia.Path()
    for dx, r in ((-0.3, 0.3), (0.0, 0.42), (0.32, 0.3)):
        path.addCircle(x + dx * w, base - r * w * 0.55, r * w)
    canvas.save()
    canvas.clipRect(skia.Rect.MakeLTRB(x - w * 2, base - w * 2, x + w * 2, base), doAntiAlias=True)
    canvas.drawPath(path, fill(darken(color, 0.2)))
    canvas.clipPath(path, doAntiAlias=True)
    canvas.drawCircle(x + side * w * 0.25, base - w * 0.55, w * 0.42, fill(color))
    canvas.restore()


def rock(canvas: skia.Canvas, x: float, base: float, w: float, color: RGB, side: float) -> None:
    """A smooth boulder with a lit face."""
    body = skia.Path()
    body.addOval(skia.Rect.MakeLTRB(x - w / 2, base - w * 0.6, x + w / 2, base + w * 0.1))
    canvas.drawPath(body, fill(darken(color, 0.15)))
    canvas.save()
    canvas.clipPath(body, doAntiAlias=True)
    canvas.drawOval(skia.Rect.MakeLTRB(x - w / 2 + side * w * 0.18, base - w * 0.75,
                                       x + w / 2 + side * w * 0.18, base - w * 0.12),
                    fill(lighten(color, 0.1)))
    canvas.restore()


def grass(canvas: skia.Canvas, x: float, base: float, h: float, color: RGB) -> None:
    """A tuft of three curved blades."""
    path = skia.Path()
    for lean in (-0.5, 0.0, 0.45):
        path.moveTo(x - h * 0.06, base)
        path.quadTo(x + lean * h * 0.3, base - h * 0.6, x + lean * h * 0.55, base - h)
        path.quadTo(x + lean * h * 0.2, base - h * 0.5, x + h * 0.06, base)
        path.close()
    canvas.drawPath(path, fill(color))


def lantern(canvas: skia.Canvas, x: float, y: float, size: float, color: RGB, lit: bool) -> None:
    """A round red paper lantern hanging from a cord, glowing when lit."""
    if lit:
        canvas.drawCircle(x, y, size * 3.2, radial((x, y), size * 3.2, [(1.0, 0.75, 0.4)] * 2,
                                                   alphas=[0.45, 0.0]))
    canvas.drawLine(x, y - size * 2.2, x, y - size, stroke((0.2, 0.15, 0.12), size * 0.08))
    body = skia.Rect.MakeLTRB(x - size * 0.8, y - size, x + size * 0.8, y + size)
    glow_c = lighten(color, 0.45) if lit else color
    canvas.drawOval(body, radial((x - size * 0.2, y - size * 0.2), size * 1.2,
                                 [glow_c, color]))
    cap = (0.25, 0.2, 0.15)
    canvas.drawRect(skia.Rect.MakeLTRB(x - size * 0.35, y - size * 1.08, x + size * 0.35,
                                       y - size * 0.85), fill(cap))
    canvas.drawRect(skia.Rect.MakeLTRB(x - size * 0.35, y + size * 0.85, x + size * 0.35,
                                       y + size * 1.08), fill(cap))
    canvas.drawLine(x, y + size * 1.05, x, y + size * 1.6, stroke((0.85, 0.65, 0.2), size * 0.12))


def window(canvas: skia.Canvas, rect: skia.Rect, frame: RGB, glass: RGB | None, lit: bool,
           lamp: RGB, bars: tuple[int, int] = (2, 2), lattice: bool = False) -> None:
    """A window: glass (dark, lamp-lit, or clear when ``glass`` is None), frame and bars."""
    if glass is None:
        canvas.save()
        canvas.clipRect(rect, doAntiAlias=True)
        w = rect.width()
        for k, a in ((0.15, 0.12), (0.55, 0.08)):
            sheen = polygon([(rect.left() + w * k, rect.bottom()),
                             (rect.left() + w * (k + 0.35), rect.top()),
                             (rect.left() + w * (k + 0.5), rect.top()),
                             (rect.left() + w * (k + 0.15), rect.bottom())])
            canvas.drawPath(sheen, fill((1.0, 1.0, 1.0), a))
        canvas.restore()
    elif lit:
        canvas.drawRect(rect, linear((rect.left(), rect.top()), (rect.left(), rect.bottom()),
                                     [lighten(lamp, 0.2), lamp]))
    else:
        canvas.drawRect(rect, linear((rect.left(), rect.top()), (rect.right(), rect.bottom()),
                                     [lighten(glass, 0.15), glass]))
        # a diagonal sheen makes dark glass read as glass
        canvas.save()
        canvas.clipRect(rect, doAntiAlias=True)
        w = rect.width()
        sheen = polygon([(rect.left() + w * 0.15, rect.bottom()), (rect.left() + w * 0.5,
                         rect.top()), (rect.left() + w * 0.7, rect.top()),
                         (rect.left() + w * 0.35, rect.bottom())])
        canvas.drawPath(sheen, fill((1.0, 1.0, 1.0), 0.1))
        canvas.restore()
    t = min(rect.width(), rect.height()) * 0.07
    bar = stroke(frame, t * 0.8)
    cols, rows = bars
    if lattice:
        cols, rows = cols * 2, rows * 2
        bar = stroke(frame, t * 0.45)
    for i in range(1, cols):
        x = rect.left() + rect.width() * i / cols
        canvas.drawLine(x, rect.top(), x, rect.bottom(), bar)
    for j in range(1, rows):
        y = rect.top() + rect.height() * j / rows
        canvas.drawLine(rect.left(), y, rect.right(), y, bar)
    canvas.drawRect(rect, stroke(frame, t))


def tiled_roof(canvas: skia.Canvas, x0: float, x1: float, eave_y: float, h: float,
               color: RGB, snow: RGB | None) -> None:
    """A Chinese tiled roof: sweeping eaves that curl up at both ends, with tile ribs."""
    over = (x1 - x0) * 0.08
    top = eave_y - h
    path = skia.Path()
    path.moveTo(x0 - over, eave_y - h * 0.28)
    path.quadTo(x0 + (x1 - x0) * 0.1, eave_y + h * 0.05, x0 + (x1 - x0) * 0.22, eave_y)
    path.lineTo(x1 - (x1 - x0) * 0.22, eave_y)
    path.quadTo(x1 - (x1 - x0) * 0.1, eave_y + h * 0.05, x1 + over, eave_y - h * 0.28)
    path.quadTo(x1 - (x1 - x0) * 0.1, top + h * 0.25, x1 - (x1 - x0) * 0.12, top)
    path.lineTo(x0 + (x1 - x0) * 0.12, top)
    path.quadTo(x0 + (x1 - x0) * 0.1, top + h * 0.25, x0 - over, eave_y - h * 0.28)
    path.close()
    canvas.drawPath(path, linear((0, top), (0, eave_y), [lighten(color, 0.12), darken(color, 0.2)]))
    canvas.save()
    canvas.clipPath(path, doAntiAlias=True)
    rib = stroke(darken(color, 0.35), h * 0.035)
    n = max(4, int((x1 - x0) / (h * 0.22)))
    for i in range(n + 1):
        x = x0 + (x1 - x0) * i / n
        canvas.drawLine(x, top, x + (x - (x0 + x1) / 2) * 0.08, eave_y + h * 0.1, rib)
    if snow is not None:
        canvas.drawRect(skia.Rect.MakeLTRB(x0 - over, top, x1 + over, top + h * 0.45), fill(snow))
    canvas.restore()
    ridge_h = h * 0.12
    canvas.drawRRect(rounded(x0 + (x1 - x0) * 0.1, top - ridge_h, x1 - (x1 - x0) * 0.1,
                             top + ridge_h * 0.3, ridge_h * 0.4), fill(darken(color, 0.3)))
    for sx in (x0 + (x1 - x0) * 0.1, x1 - (x1 - x0) * 0.1):
        canvas.drawCircle(sx, top - ridge_h * 0.6, ridge_h * 0.7, fill(darken(color, 0.3)))


def pool(canvas: skia.Canvas, x: float, y: float, rx: float, ry: float, color: RGB,
         alpha: float) -> None:
    """A flattened light pool on a floor or street."""
    canvas.save()
    canvas.translate(x, y)
    canvas.scale(1.0, ry / rx)
    canvas.drawCircle(0.0, 0.0, rx, radial((0.0, 0.0), rx, [color, color], alphas=[alpha, 0.0]))
    canvas.restore()


def warm(color: RGB) -> RGB:
    """A lamp colour pulled towards warm light."""
    return mix(color, (1.0, 0.82, 0.5), 0.5)
