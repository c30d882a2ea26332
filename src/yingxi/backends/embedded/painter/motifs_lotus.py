"""The lotus motif: pads and flowers on the water, in a pond, or in a porcelain basin."""

from __future__ import annotations

import math

import numpy as np
import skia

from yingxi.backends.embedded.painter.context import SetContext
from yingxi.backends.embedded.painter.draw import fill, linear, polygon, stroke, vertical
from yingxi.backends.embedded.painter.motifs_base import MotifLayer, Plan
from yingxi.backends.embedded.painter.palette import RGB, darken, lighten, mix

_WATER = (0.25, 0.5, 0.58)


def lotus_flower(canvas: skia.Canvas, x: float, y: float, size: float, pink: RGB,
                 open_: bool = True) -> None:
    """A lotus blossom seen from the side: pointed petals in a cup, white at the base."""
    base = lighten(pink, 0.6)
    angles = (-62, -38, -14, 14, 38, 62) if open_ else (-14, 0, 14)
    for k, deg in enumerate(angles):
        a = math.radians(deg - 90)
        length = size * (0.9 if abs(deg) > 30 else 1.0)
        tx, ty = x + math.cos(a) * length, y + math.sin(a) * length
        nx, ny = -math.sin(a) * size * 0.28, math.cos(a) * size * 0.28
        petal = skia.Path()
        petal.moveTo(x, y)
        petal.cubicTo(x + nx, y + ny - size * 0.1, tx + nx * 0.6, ty + ny * 0.6, tx, ty)
        petal.cubicTo(tx - nx * 0.6, ty - ny * 0.6, x - nx, y - ny - size * 0.1, x, y)
        petal.close()
        canvas.drawPath(petal, linear((x, y), (tx, ty), [base, pink if k % 2 else
                                                         darken(pink, 0.1)]))
    if open_:
        canvas.drawOval(skia.Rect.MakeLTRB(x - size * 0.16, y - size * 0.3, x + size * 0.16,
                                           y - size * 0.12), fill((0.95, 0.8, 0.3)))


def lotus_patch(canvas: skia.Canvas, ctx: SetContext, x0: float, x1: float, y0: float,
                y1: float, rng: np.random.Generator, flowers: int = 2, size: float = 0.0) -> None:
    """Floating pads, a few raised leaves on stems, and lotus flowers between ``x0``..``x1``;
    ``size`` is a flower's height (default: from the width)."""
    green = ctx.cover(ctx.lit((0.33, 0.56, 0.3)), 0.4)
    pink = ctx.lit((0.95, 0.42, 0.6))
    if ctx.light.moon:
        pink = lighten(pink, 0.25)  # pale petals catch the moonlight
    stem = ctx.lit((0.3, 0.45, 0.25))
    size = size or (x1 - x0) * 0.12
    pads = []
    for _ in range(10):
        px = float(rng.uniform(x0, x1))
        py = float(rng.uniform(y0, y1))
        pads.append((py, px))
    pads.sort()
    for py, px in pads:
        rx = size * (0.6 + 0.7 * (py - y0) / max(1e-6, y1 - y0)) * float(rng.uniform(0.8, 1.2))
        ry = rx * 0.32
        pad = skia.Path()
        pad.addOval(skia.Rect.MakeLTRB(px - rx, py - ry, px + rx, py + ry))
        notch = polygon([(px, py), (px + rx * 1.2, py + ry * 0.2), (px + rx * 1.2, py + ry * 1.2)])
        shape = skia.Op(pad, notch, skia.PathOp.kDifference_PathOp)
        canvas.drawPath(shape, fill(darken(green, float(rng.uniform(0.0, 0.25)))))
        canvas.drawOval(skia.Rect.MakeLTRB(px - rx * 0.85, py - ry * 0.9, px + rx * 0.7,
                                           py + ry * 0.2), fill(lighten(green, 0.12), 0.6))
    for k in range(3):
        lx = x0 + (x1 - x0) * (0.2 + 0.3 * k) + float(rng.uniform(-0.02, 0.02))
        ly = y0 + (y1 - y0) * 0.4
        top = ly - size * float(rng.uniform(1.3, 2.2))
        canvas.drawLine(lx, ly, lx, top, stroke(stem, size * 0.06))
        leaf = skia.Path()
        r = size * 0.75
        leaf.moveTo(lx - r, top - r * 0.25)
        leaf.quadTo(lx, top + r * 0.35, lx + r, top - r * 0.25)
        leaf.quadTo(lx, top - r * 0.05, lx - r, top - r * 0.25)
        canvas.drawPath(leaf, fill(darken(green, 0.1)))
        canvas.drawPath(leaf, stroke(darken(green, 0.35), size * 0.03))
    for k in range(flowers + 1):
        fx = x0 + (x1 - x0) * (0.33 + 0.38 * k) + float(rng.uniform(-0.02, 0.02))
        fy = y0 + (y1 - y0) * 0.5
        top = fy - size * float(rng.uniform(1.6, 2.4))
        canvas.drawLine(fx, fy, fx + size * 0.05, top, stroke(stem, size * 0.05))
        lotus_flower(canvas, fx + size * 0.05, top, size * (0.85 if k < flowers else 0.55), pink,
                     open_=k < flowers)


def pond(canvas: skia.Canvas, ctx: SetContext, x: float, y: float, rx: float, ry: float) -> None:
    """A round pond with a rim of stones, its water catching the sky."""
    light = ctx.light
    stone = ctx.cover(ctx.lit((0.6, 0.58, 0.54)), 0.5)
    rim = skia.Rect.MakeLTRB(x - rx * 1.06, y - ry * 1.12, x + rx * 1.06, y + ry * 1.12)
    canvas.drawOval(rim, fill(darken(stone, 0.1)))
    water = skia.Rect.MakeLTRB(x - rx, y - ry, x + rx, y + ry)
    deep = ctx.lit(_WATER)
    canvas.drawOval(water, vertical(y - ry, y + ry, [darken(deep, 0.3),
                                                     mix(lighten(light.horizon, 0.2), deep, 0.4)]))
    rng = ctx.rng("pond-stones")
    for k in range(16):
        a = math.pi * 2 * k / 16
        sx, sy = x + math.cos(a) * rx * 1.03, y + math.sin(a) * ry * 1.06
        r = rx * float(rng.uniform(0.07, 0.11))
        canvas.drawOval(skia.Rect.MakeLTRB(sx - r, sy - r * 0.55, sx + r, sy + r * 0.55),
                        fill(lighten(stone, float(rng.uniform(0.0, 0.15)))))


def lotus_layers(ctx: SetContext, plan: Plan) -> list[MotifLayer]:
    """Lotus on the sea by the beach, or in a pond at a front corner (outdoors)."""
    side = plan.side("lotus")
    if ctx.kind == "shore" and plan.water is not None:
        water = plan.water
        lo, hi = sorted((0.5 + side * 0.24, 0.5 + side * 0.62))

        def patch(canvas: skia.Canvas) -> None:
            lotus_patch(canvas, ctx, lo, hi, water.near - 0.08, water.near - 0.015,
                        ctx.rng("lotus"), size=0.055)
        return [MotifLayer(0.6, patch)]
    x, y = 0.5 + side * 0.35, ctx.ground + 0.21
    rx, ry = 0.27, 0.085

    def draw(canvas: skia.Canvas) -> None:
        pond(canvas, ctx, x, y, rx, ry)
        canvas.save()
        clip = skia.Path()
        clip.addOval(skia.Rect.MakeLTRB(x - rx, y - ry - 0.5, x + rx, y + ry))
        lotus_patch(canvas, ctx, x - rx * 0.75, x + rx * 0.7, y - ry * 0.5, y + ry * 0.6,
                    ctx.rng("lotus"), size=rx * 0.27)
        canvas.restore()
    return [MotifLayer(1.0, draw)]


def lotus_basin(canvas: skia.Canvas, ctx: SetContext, x: float, base: float, w: float) -> None:
    """A blue-and-white porcelain basin with lotus leaves and flowers rising from it."""
    rim_y = base - w * 0.42
    lotus_patch(canvas, ctx, x - w * 0.4, x + w * 0.4, rim_y - w * 0.02, rim_y + w * 0.02,
                ctx.rng("lotus-basin"), flowers=2, size=w * 0.22)
    white = ctx.lit((0.93, 0.94, 0.95))
    blue = ctx.lit((0.18, 0.3, 0.62))
    body = skia.Path()
    body.moveTo(x - w * 0.5, rim_y)
    body.cubicTo(x - w * 0.52, base - w * 0.12, x - w * 0.35, base, x - w * 0.28, base)
    body.lineTo(x + w * 0.28, base)
    body.cubicTo(x + w * 0.35, base, x + w * 0.52, base - w * 0.12, x + w * 0.5, rim_y)
    body.close()
    canvas.drawPath(body, linear((x - w * 0.5, 0.0), (x + w * 0.5, 0.0),
                                 [darken(white, 0.15), white, darken(white, 0.25)]))
    canvas.save()
    canvas.clipPath(body, doAntiAlias=True)
    canvas.drawLine(x - w, rim_y + w * 0.05, x + w, rim_y + w * 0.05, stroke(blue, w * 0.025))
    canvas.drawLine(x - w, base - w * 0.06, x + w, base - w * 0.06, stroke(blue, w * 0.02))
    for k in range(-3, 4):
        cx = x + k * w * 0.15
        swirl = skia.Path()
        swirl.moveTo(cx - w * 0.05, rim_y + w * 0.22)
        swirl.quadTo(cx, rim_y + w * 0.1, cx + w * 0.05, rim_y + w * 0.22)
        swirl.quadTo(cx, rim_y + w * 0.3, cx - w * 0.03, rim_y + w * 0.2)
        canvas.drawPath(swirl, stroke(blue, w * 0.015))
    canvas.restore()
    canvas.drawOval(skia.Rect.MakeLTRB(x - w * 0.5, rim_y - w * 0.03, x + w * 0.5,
                                       rim_y + w * 0.03),
                    stroke(lighten(white, 0.3), w * 0.015))


def basin_layers(ctx: SetContext, plan: Plan) -> list[MotifLayer]:
    """The indoor lotus: a basin in a front corner."""
    side = plan.side("lotus")
    x = 0.5 + side * 0.33

    def draw(canvas: skia.Canvas) -> None:
        lotus_basin(canvas, ctx, x, ctx.ground + 0.22, 0.3)
    return [MotifLayer(1.0, draw)]


