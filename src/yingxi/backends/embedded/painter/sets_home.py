"""A home: a modern living room, or an old house with a moon window and a folding screen."""

from __future__ import annotations

import skia

from yingxi.backends.embedded.painter.context import LayerSpec, SetContext
from yingxi.backends.embedded.painter.draw import fill, linear, polygon, rounded, stroke, vertical
from yingxi.backends.embedded.painter.palette import RGB, darken, lighten, mix
from yingxi.backends.embedded.painter.props import lantern, pool, window
from yingxi.backends.embedded.painter.sets_indoor import (
    ceiling,
    ceiling_y,
    plant,
    room,
    view_out,
    wall_foot,
)
from yingxi.backends.embedded.painter.sky import glow

_LAMP = (1.0, 0.8, 0.48)


def _books(canvas: skia.Canvas, ctx: SetContext, x0: float, x1: float, y: float) -> None:
    """A row of books standing on a shelf at world ``y``."""
    rng = ctx.rng(f"books{x0:.2f}")
    x = x0
    while x < x1:
        w = float(rng.uniform(0.012, 0.022))
        h = float(rng.uniform(0.05, 0.075))
        tone = ctx.lit((float(rng.uniform(0.3, 0.8)), float(rng.uniform(0.3, 0.7)),
                        float(rng.uniform(0.3, 0.7))))
        canvas.drawRect(skia.Rect.MakeLTRB(x, y - h, x + w, y), fill(tone))
        x += w + 0.002


def _modern_back(canvas: skia.Canvas, ctx: SetContext, wall: RGB, wood: RGB, cloth: RGB,
                 floor: RGB) -> None:
    foot = wall_foot(ctx)
    room(canvas, ctx, wall, floor, boards=True)
    ceiling(canvas, ctx, wall, lighten(wall, 0.35))
    canvas.drawRect(skia.Rect.MakeLTRB(-3, foot - 0.3, 4, foot), fill(darken(wall, 0.07)))
    canvas.drawRect(skia.Rect.MakeLTRB(-3, foot - 0.31, 4, foot - 0.295),
                    fill(lighten(wall, 0.3)))
    win = skia.Rect.MakeLTRB(0.52, foot - 0.88, 0.94, foot - 0.3)
    view_out(canvas, ctx, win, skyline=False)
    window(canvas, win, lighten(wall, 0.45), None, False, _LAMP, (2, 3))
    canvas.drawRect(skia.Rect.MakeLTRB(0.44, foot - 0.96, 1.02, foot - 0.945), fill(darken(wood,
                                                                                          0.3)))
    for x0, x1 in ((0.45, 0.56), (0.9, 1.01)):
        drape = polygon([(x0, foot - 0.95), (x1, foot - 0.95), (x1 + 0.012, foot - 0.01),
                         (x0 - 0.012, foot - 0.01)])
        canvas.drawPath(drape, linear((x0, 0), (x1, 0), [cloth, lighten(cloth, 0.15),
                                                         darken(cloth, 0.12)]))
        for k in range(1, 3):
            fx = x0 + (x1 - x0) * k / 3
            canvas.drawLine(fx, foot - 0.93, fx + 0.004, foot - 0.02,
                            stroke(darken(cloth, 0.18), 0.003, 0.6))
    shelf_y = foot - 0.62
    canvas.drawRect(skia.Rect.MakeLTRB(0.02, shelf_y, 0.34, shelf_y + 0.014), fill(wood))
    _books(canvas, ctx, 0.04, 0.2, shelf_y)
    plant(canvas, ctx, 0.27, shelf_y, 0.11)
    for x0, x1, y0, y1 in ((0.05, 0.17, foot - 0.86, foot - 0.7), (0.2, 0.3, foot - 0.84,
                                                                     foot - 0.72)):
        art = skia.Rect.MakeLTRB(x0, y0, x1, y1)
        canvas.drawRect(art, fill(darken(wood, 0.1)))
        canvas.drawRect(art.makeInset(0.008, 0.008),
                        vertical(y0, y1, [ctx.lit((0.96, 0.82, 0.62)), ctx.lit((0.45, 0.62,
                                                                                0.62))]))
    lamp_x, top = 0.3, ceiling_y(ctx)
    canvas.drawLine(lamp_x, top, lamp_x, foot - 0.92, stroke(darken(wood, 0.4), 0.004))
    shade = polygon([(lamp_x - 0.05, foot - 0.86), (lamp_x + 0.05, foot - 0.86),
                     (lamp_x + 0.025, foot - 0.93), (lamp_x - 0.025, foot - 0.93)])
    canvas.drawPath(shade, fill(darken(cloth, 0.2)))
    if ctx.light.lamps_on:
        glow(canvas, lamp_x, foot - 0.84, 0.35, _LAMP, 0.45)
        canvas.drawOval(skia.Rect.MakeLTRB(lamp_x - 0.045, foot - 0.87, lamp_x + 0.045,
                                           foot - 0.85), fill(lighten(_LAMP, 0.3)))


def _ancient_back(canvas: skia.Canvas, ctx: SetContext, wall: RGB, wood: RGB, cloth: RGB,
                  floor: RGB) -> None:
    foot = wall_foot(ctx)
    room(canvas, ctx, wall, floor, boards=True)
    ceiling(canvas, ctx, wall, wood)
    post = darken(wood, 0.15)
    for x in (-0.02, 0.45, 1.02):
        canvas.drawRect(skia.Rect.MakeLTRB(x - 0.022, -2.0, x + 0.022, foot), fill(post))
    canvas.drawRect(skia.Rect.MakeLTRB(-3, foot - 0.98, 4, foot - 0.95), fill(post))
    cx, cy, r = 0.73, foot - 0.5, 0.18
    moon = skia.Path()
    moon.addCircle(cx, cy, r)
    canvas.save()
    canvas.clipPath(moon, doAntiAlias=True)
    view_out(canvas, ctx, skia.Rect.MakeLTRB(cx - r, cy - r, cx + r, cy + r), False)
    bamboo = ctx.lit((0.35, 0.55, 0.35))
    for k in range(5):
        bx = cx - r + 0.05 + k * 0.07
        canvas.drawLine(bx, cy + r, bx + 0.01, cy - r, stroke(bamboo, 0.008))
        canvas.drawOval(skia.Rect.MakeLTRB(bx - 0.03, cy - r * 0.5 + k * 0.03, bx + 0.015,
                                           cy - r * 0.4 + k * 0.03), fill(bamboo))
    canvas.restore()
    canvas.drawCircle(cx, cy, r, stroke(wood, 0.022))
    canvas.drawCircle(cx, cy, r + 0.022, stroke(darken(wood, 0.3), 0.006))
    scroll = skia.Rect.MakeLTRB(0.12, foot - 0.9, 0.3, foot - 0.42)
    canvas.drawRect(scroll, fill(lighten(mix(wall, (1.0, 0.97, 0.9), 0.5), 0.1)))
    canvas.drawRect(scroll.makeInset(0.02, 0.04), fill(ctx.lit((0.93, 0.9, 0.8))))
    hills = skia.Path()
    hills.moveTo(0.14, foot - 0.5)
    hills.quadTo(0.19, foot - 0.72, 0.22, foot - 0.6)
    hills.quadTo(0.25, foot - 0.78, 0.28, foot - 0.5)
    hills.close()
    canvas.drawPath(hills, fill(ctx.lit((0.45, 0.5, 0.5)), 0.7))
    for y in (scroll.top(), scroll.bottom()):
        canvas.drawRRect(rounded(0.1, y - 0.008, 0.32, y + 0.008, 0.008), fill(darken(wood, 0.2)))


def home(ctx: SetContext) -> list[LayerSpec]:
    """A living room (window with curtains, sofa, lamp) or an old house (moon window, screen)."""
    wall, wood, cloth, floor = (ctx.color(i) for i in range(4))
    foot = wall_foot(ctx)
    ancient = ctx.era == "ancient"
    lamps = ctx.light.lamps_on

    def back(canvas: skia.Canvas) -> None:
        if ancient:
            _ancient_back(canvas, ctx, wall, wood, cloth, floor)
        else:
            _modern_back(canvas, ctx, wall, wood, cloth, floor)

    def furniture(canvas: skia.Canvas) -> None:
        if ancient:
            for k in range(4):
                x = -0.1 + k * 0.1
                panel = skia.Rect.MakeLTRB(x, foot - 0.5, x + 0.095, foot + 0.04)
                canvas.drawRect(panel, fill(lighten(wall, 0.12)))
                canvas.drawRect(panel, stroke(wood, 0.01))
                canvas.drawCircle(x + 0.047, foot - 0.3, 0.026, fill(mix(cloth, wall, 0.35)))
            table = skia.Rect.MakeLTRB(0.6, foot - 0.12, 0.92, foot - 0.095)
            canvas.drawRect(table, fill(wood))
            for x in (0.63, 0.89):
                canvas.drawRect(skia.Rect.MakeLTRB(x - 0.009, foot - 0.1, x + 0.009, foot + 0.05),
                                fill(darken(wood, 0.25)))
            canvas.drawOval(skia.Rect.MakeLTRB(0.7, foot - 0.17, 0.78, foot - 0.12),
                            fill(ctx.lit((0.9, 0.92, 0.88))))
            canvas.drawCircle(0.83, foot - 0.135, 0.014, fill(ctx.lit((0.9, 0.92, 0.88))))
            lantern(canvas, 1.0, foot - 0.42, 0.035, ctx.lit((0.85, 0.28, 0.22)), lamps)
        else:
            seat = foot - 0.06
            canvas.drawRRect(rounded(-0.17, seat - 0.2, 0.33, seat + 0.02, 0.04),
                             fill(darken(cloth, 0.12)))
            for x in (-0.13, 0.1):
                canvas.drawRRect(rounded(x, seat - 0.17, x + 0.2, seat - 0.04, 0.03),
                                 fill(lighten(cloth, 0.06)))
            canvas.drawRRect(rounded(-0.15, seat - 0.05, 0.31, seat + 0.07, 0.03), fill(cloth))
            for x in (-0.19, 0.3):
                canvas.drawRRect(rounded(x, seat - 0.1, x + 0.06, seat + 0.08, 0.025),
                                 fill(darken(cloth, 0.2)))
            canvas.drawRRect(rounded(0.84, foot - 0.1, 0.99, foot - 0.085, 0.004), fill(wood))
            canvas.drawRect(skia.Rect.MakeLTRB(0.86, foot - 0.09, 0.97, foot + 0.05),
                            fill(darken(wood, 0.15)))
            canvas.drawLine(0.915, foot - 0.1, 0.915, foot - 0.2, stroke(darken(wood, 0.4), 0.006))
            shade = polygon([(0.875, foot - 0.19), (0.955, foot - 0.19), (0.94, foot - 0.26),
                             (0.89, foot - 0.26)])
            canvas.drawPath(shade, fill(lighten(_LAMP, 0.3) if lamps else ctx.lit((0.95, 0.92,
                                                                                  0.86))))
            if lamps:
                glow(canvas, 0.915, foot - 0.2, 0.25, _LAMP, 0.45)
                pool(canvas, 0.915, foot + 0.06, 0.2, 0.04, _LAMP, 0.3)
        rug = skia.Path()
        rug.addOval(skia.Rect.MakeLTRB(0.08, foot + 0.1, 0.92, foot + 0.27))
        canvas.drawPath(rug, fill(mix(cloth, wall, 0.45), 0.85))
        canvas.drawPath(rug, stroke(darken(cloth, 0.1), 0.008, 0.8))

    return [(0.55, back), (0.8, furniture)]
