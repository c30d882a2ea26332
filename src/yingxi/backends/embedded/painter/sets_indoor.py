"""Interiors: palace hall, office (or a scholar's study), home.

The back wall and the floor share one layer so furniture in nearer layers always stands on a
floor; the outside (sky, skyline) shows only through windows, and lamps glow after dusk.
"""

from __future__ import annotations

import skia

from yingxi.backends.embedded.painter.context import LayerSpec, SetContext
from yingxi.backends.embedded.painter.draw import fill, linear, polygon, rounded, stroke, vertical
from yingxi.backends.embedded.painter.motifs import opens_window, window_motifs
from yingxi.backends.embedded.painter.palette import RGB, darken, lighten, mix
from yingxi.backends.embedded.painter.props import lantern, window
from yingxi.backends.embedded.painter.sky import glow, sky_gradient, sun_or_moon

_LAMP = (1.0, 0.8, 0.48)


def wall_foot(ctx: SetContext) -> float:
    """World y where the back wall meets the floor."""
    return ctx.ground - 0.2


def view_out(canvas: skia.Canvas, ctx: SetContext, rect: skia.Rect, skyline: bool,
             motifs: bool = True) -> None:
    """What a window shows: the sky of the hour, the sun or moon, maybe distant towers, and
    (unless ``motifs`` is off: a row of windows shows them in one) the set's motifs."""
    light = ctx.light
    canvas.save()
    canvas.clipRect(rect, doAntiAlias=True)
    sky_gradient(canvas, light, rect.top() - 0.3, rect.bottom() + 0.05, rect)
    if not (motifs and "moon" in ctx.motifs):  # the moon motif paints its own
        sun_or_moon(canvas, light, rect.left() + rect.width() * 0.7,
                    rect.top() + rect.height() * 0.3, light.sun_size * 0.8)
    if skyline:
        rng = ctx.rng("view")
        x = rect.left()
        while x < rect.right():
            w = float(rng.uniform(0.03, 0.07))
            h = float(rng.uniform(0.1, 0.3)) * rect.height() / 0.5
            tone = mix(light.haze(ctx.palette[1], 0.4), light.horizon, 0.3)
            canvas.drawRect(skia.Rect.MakeLTRB(x, rect.bottom() - h, x + w, rect.bottom()),
                            fill(tone))
            if light.lamps_on:
                for k in range(int(h / 0.02)):
                    if rng.uniform() < 0.5:
                        wy = rect.bottom() - h + 0.01 + k * 0.02
                        lit_window = skia.Rect.MakeLTRB(x + w * 0.3, wy, x + w * 0.55, wy + 0.008)
                        canvas.drawRect(lit_window,
                                        fill(_LAMP, 0.85))
            x += w + 0.004
    else:
        hill = skia.Path()
        hill.moveTo(rect.left() - 0.1, rect.bottom())
        hill.quadTo(rect.centerX(), rect.bottom() - rect.height() * 0.45, rect.right() + 0.1,
                    rect.bottom())
        canvas.drawPath(hill, fill(light.haze((0.35, 0.55, 0.4), 0.5)))
    if motifs:
        window_motifs(canvas, ctx, rect)
    if light.weather in ("rain", "snow", "mist"):
        canvas.drawRect(rect, fill(lighten(light.horizon, 0.3), 0.35))
    canvas.restore()


def room(canvas: skia.Canvas, ctx: SetContext, wall: RGB, floor: RGB, boards: bool) -> None:
    """Back wall and floor, a skirting line, and floor joints that converge slightly."""
    foot = wall_foot(ctx)
    canvas.drawRect(skia.Rect.MakeLTRB(-3, -3, 4, foot), vertical(-0.2, foot, [darken(wall, 0.12),
                                                                               wall]))
    canvas.drawRect(skia.Rect.MakeLTRB(-3, foot, 4, foot + 4),
                    vertical(foot, ctx.ground + 0.4, [lighten(floor, 0.05), darken(floor, 0.22)]))
    canvas.drawRect(skia.Rect.MakeLTRB(-3, foot - 0.022, 4, foot), fill(darken(wall, 0.3)))
    joint = stroke(darken(floor, 0.22), 0.003, 0.7)
    if boards:
        for k in range(-12, 24):
            x = 0.5 + (k - 6) * 0.09
            canvas.drawLine(x, foot, 0.5 + (x - 0.5) * 2.2, ctx.ground + 0.6, joint)
    else:
        y, step = foot + 0.03, 0.03
        while y < ctx.ground + 0.6:
            canvas.drawLine(-3.0, y, 4.0, y, joint)
            step *= 1.35
            y += step
        for k in range(-12, 24):
            x = 0.5 + (k - 6) * 0.14
            canvas.drawLine(x, foot, 0.5 + (x - 0.5) * 2.4, ctx.ground + 0.6, joint)


def _light_pools(canvas: skia.Canvas, ctx: SetContext, spots: list[tuple[float, float]]) -> None:
    if ctx.light.lamps_on:
        for x, y in spots:
            glow(canvas, x, y, 0.3, _LAMP, 0.35)


def palace(ctx: SetContext) -> list[LayerSpec]:
    """A throne hall: lacquered columns and lattice screens, or a marble hall with arches."""
    foot = wall_foot(ctx)
    ancient = ctx.era == "ancient"
    if ancient:
        red, gold, wood, stone = (ctx.color(i) for i in range(4))
        wall, floor, pillar = darken(red, 0.25), mix(darken(wood, 0.1), stone, 0.15), red
    else:
        marble, gold, wood, red = (ctx.color(i) for i in range(4))
        stone = darken(marble, 0.1)
        wall, floor, pillar = mix(marble, wood, 0.12), lighten(marble, 0.02), marble

    def hall(canvas: skia.Canvas) -> None:
        room(canvas, ctx, wall, floor, boards=False)
        if ancient:
            for k in range(-3, 9):
                x0 = k * 0.16
                panel = skia.Rect.MakeLTRB(x0 + 0.015, foot - 0.62, x0 + 0.145, foot - 0.05)
                canvas.drawRect(panel, fill(darken(wood, 0.15)))
                pane = skia.Rect.MakeLTRB(x0 + 0.03, foot - 0.58, x0 + 0.13, foot - 0.3)
                if k == 4 and opens_window(ctx):
                    # a motif (the moon, geese...) needs a view out: this panel stands open
                    door = skia.Rect.MakeLTRB(x0 + 0.022, foot - 0.6, x0 + 0.138, foot - 0.08)
                    view_out(canvas, ctx, door, skyline=False)
                    window(canvas, door, gold, None, False, _LAMP, (1, 1))
                    continue
                window(canvas, pane, gold, darken(wood, 0.45), ctx.light.lamps_on, _LAMP, (2, 3),
                       lattice=True)
            canvas.drawRect(skia.Rect.MakeLTRB(-3, foot - 0.82, 4, foot - 0.66),
                            linear((0, foot - 0.82), (0, foot - 0.66),
                                   [ctx.lit((0.2, 0.45, 0.5)), ctx.lit((0.15, 0.3, 0.4))]))
            for k in range(-10, 30):
                canvas.drawCircle(k * 0.08, foot - 0.74, 0.022, fill(gold))
                canvas.drawCircle(k * 0.08, foot - 0.74, 0.011, fill(red))
            for k in range(-12, 26):
                bx = k * 0.06
                bracket = skia.Rect.MakeLTRB(bx + 0.008, foot - 0.66, bx + 0.052, foot - 0.63)
                canvas.drawRect(bracket, fill(darken(gold, 0.25)))
                block = skia.Rect.MakeLTRB(bx + 0.018, foot - 0.63, bx + 0.042, foot - 0.62)
                canvas.drawRect(block, fill(darken(wood, 0.3)))
            _screen(canvas, 0.33, 0.67, foot - 0.44, foot - 0.02, gold, red, wood)
            canvas.drawRect(skia.Rect.MakeLTRB(0.26, foot - 0.04, 0.74, foot + 0.02), fill(stone))
        else:
            for k in range(-2, 5):
                x = 0.05 + k * 0.3
                arch = skia.Path()
                arch.moveTo(x, foot - 0.05)
                arch.lineTo(x, foot - 0.5)
                arch.arcTo(skia.Rect.MakeLTRB(x, foot - 0.6, x + 0.18, foot - 0.42), 180, 180,
                           False)
                arch.lineTo(x + 0.18, foot - 0.05)
                arch.close()
                canvas.save()
                canvas.clipPath(arch, doAntiAlias=True)
                view_out(canvas, ctx, skia.Rect.MakeLTRB(x, foot - 0.6, x + 0.18, foot - 0.05),
                         skyline=False, motifs=k == 2)
                canvas.restore()
                canvas.drawPath(arch, stroke(gold, 0.008))
                canvas.drawLine(x + 0.09, foot - 0.6, x + 0.09, foot - 0.05, stroke(gold, 0.004))
            canvas.drawRect(skia.Rect.MakeLTRB(-3, foot - 0.78, 4, foot - 0.72), fill(gold))
            _chandelier(canvas, 0.5, foot - 0.9, gold, ctx.light.lamps_on)
        canvas.drawPath(polygon([(0.42, foot), (0.58, foot), (0.7, ctx.ground + 0.6),
                                 (0.3, ctx.ground + 0.6)]),
                        vertical(foot, ctx.ground + 0.4, [darken(red, 0.1), red]))
        canvas.drawLine(0.42, foot, 0.3, ctx.ground + 0.6, stroke(gold, 0.006))
        canvas.drawLine(0.58, foot, 0.7, ctx.ground + 0.6, stroke(gold, 0.006))

    def columns(canvas: skia.Canvas) -> None:
        col = pillar
        for x in (-0.12, 0.14, 0.86, 1.12):
            w = 0.075
            canvas.drawRect(skia.Rect.MakeLTRB(x - w, -2.0, x + w, foot + 0.06),
                            linear((x - w, 0), (x + w, 0), [darken(col, 0.25), lighten(col, 0.12),
                                                            col, darken(col, 0.35)],
                                   positions=[0.0, 0.35, 0.6, 1.0]))
            for y in (foot - 0.8, foot - 0.02):
                band = skia.Rect.MakeLTRB(x - w - 0.012, y - 0.03, x + w + 0.012, y + 0.03)
                canvas.drawRect(band, fill(gold))
            canvas.drawRRect(rounded(x - w - 0.03, foot + 0.02, x + w + 0.03, foot + 0.08, 0.01),
                             fill(darken(stone, 0.1)))
        for x in (0.27, 0.73):
            lantern(canvas, x, foot - 0.62, 0.035, mix(red, gold, 0.25), ctx.light.lamps_on)

    def sheen(canvas: skia.Canvas) -> None:
        _light_pools(canvas, ctx, [(0.27, foot + 0.1), (0.73, foot + 0.1)])

    return [(0.55, hall), (0.78, sheen), (0.85, columns)]


def office(ctx: SetContext) -> list[LayerSpec]:
    """A modern office with a window wall onto the city, or an old scholar's study."""
    wall, wood, dark, floor = (ctx.color(i) for i in range(4))
    foot = wall_foot(ctx)
    ancient = ctx.era == "ancient"
    if ancient:
        floor = mix(wood, wall, 0.35)

    def back(canvas: skia.Canvas) -> None:
        room(canvas, ctx, wall, floor, boards=ancient)
        ceiling(canvas, ctx, wall, wood if ancient else lighten(wall, 0.3))
        if ancient:
            win = skia.Rect.MakeLTRB(0.58, foot - 0.62, 0.98, foot - 0.26)
            view_out(canvas, ctx, win, skyline=False)
            window(canvas, win, wood, None, False, _LAMP, (3, 3), lattice=True)
            scroll = skia.Rect.MakeLTRB(0.15, foot - 0.78, 0.29, foot - 0.24)
            canvas.drawRect(scroll, fill(lighten(wall, 0.15)))
            for y in (scroll.top(), scroll.bottom()):
                canvas.drawRRect(rounded(0.135, y - 0.008, 0.305, y + 0.008, 0.008),
                                 fill(darken(wood, 0.2)))
            calligraphy(canvas, ctx, 0.22, foot - 0.72, 0.055, 5)
        else:
            win = skia.Rect.MakeLTRB(-0.4, foot - 0.95, 1.4, foot - 0.28)
            view_out(canvas, ctx, win, skyline=True)
            frame = lighten(dark, 0.25)
            for k in range(0, 10):
                x = -0.4 + k * 0.2
                canvas.drawLine(x, win.top(), x, win.bottom(), stroke(frame, 0.012))
            canvas.drawLine(-0.4, foot - 0.6, 1.4, foot - 0.6, stroke(frame, 0.008))
            canvas.drawRect(skia.Rect.MakeLTRB(-3, foot - 0.28, 4, foot - 0.26), fill(frame))

    def furniture(canvas: skia.Canvas) -> None:
        if ancient:
            shelf = skia.Rect.MakeLTRB(-0.2, foot - 0.62, 0.1, foot + 0.02)
            canvas.drawRect(shelf, fill(wood))
            for k in range(4):
                y = foot - 0.6 + k * 0.155
                canvas.drawRect(skia.Rect.MakeLTRB(-0.19, y, 0.09, y + 0.13),
                                fill(darken(wood, 0.45)))
                for j in range(5):
                    x = -0.18 + j * 0.055
                    canvas.drawCircle(x + 0.02, y + 0.11, 0.018, fill(ctx.lit((0.9, 0.85, 0.72))))
            desk = polygon([(0.62, foot - 0.05), (1.02, foot - 0.05), (1.0, foot - 0.02),
                            (0.64, foot - 0.02)])
            canvas.drawPath(desk, fill(darken(wood, 0.1)))
            for x in (0.65, 0.97):
                canvas.drawRect(skia.Rect.MakeLTRB(x - 0.01, foot - 0.02, x + 0.01, foot + 0.05),
                                fill(darken(wood, 0.3)))
            if ctx.light.lamps_on:
                lantern(canvas, 0.75, foot - 0.45, 0.03, ctx.lit((0.95, 0.9, 0.8)), True)
        else:
            top_y = foot - 0.06
            canvas.drawRRect(rounded(0.58, top_y, 1.1, top_y + 0.025, 0.006), fill(wood))
            canvas.drawRect(skia.Rect.MakeLTRB(0.62, top_y + 0.02, 1.06, foot + 0.07),
                            fill(darken(wood, 0.2)))
            mon = skia.Rect.MakeLTRB(0.7, top_y - 0.15, 0.92, top_y - 0.03)
            canvas.drawRRect(skia.RRect.MakeRectXY(mon, 0.006, 0.006), fill(ctx.lit((0.15, 0.16,
                                                                                     0.2))))
            canvas.drawRect(mon.makeInset(0.008, 0.008),
                            linear((mon.left(), mon.top()), (mon.right(), mon.bottom()),
                                   [ctx.lit((0.35, 0.6, 0.8)), ctx.lit((0.2, 0.3, 0.55))]))
            canvas.drawRect(skia.Rect.MakeLTRB(0.8, top_y - 0.03, 0.82, top_y), fill(dark))
            plant(canvas, ctx, 0.08, foot + 0.06, 0.32)
            if ctx.light.lamps_on:
                glow(canvas, 0.81, top_y - 0.09, 0.2, ctx.lit((0.5, 0.7, 1.0)), 0.3)

    return [(0.55, back), (0.8, furniture)]


def plant(canvas: skia.Canvas, ctx: SetContext, x: float, base: float, h: float) -> None:
    """A potted plant with fanned leaves."""
    pot = polygon([(x - h * 0.16, base - h * 0.28), (x + h * 0.16, base - h * 0.28),
                   (x + h * 0.12, base), (x - h * 0.12, base)])
    canvas.drawPath(pot, fill(ctx.lit((0.85, 0.82, 0.78))))
    leaf = ctx.lit((0.3, 0.55, 0.35))
    for k, ang in enumerate((-0.8, -0.45, -0.1, 0.2, 0.55, 0.85)):
        tip = (x + ang * h * 0.5, base - h * (0.95 - abs(ang) * 0.35))
        blade = skia.Path()
        blade.moveTo(x, base - h * 0.28)
        blade.quadTo(x + ang * h * 0.05 - h * 0.06, (base - h * 0.28 + tip[1]) / 2, *tip)
        blade.quadTo(x + ang * h * 0.05 + h * 0.06, (base - h * 0.28 + tip[1]) / 2, x,
                     base - h * 0.28)
        canvas.drawPath(blade, fill(darken(leaf, 0.15 * (k % 2))))


def _screen(canvas: skia.Canvas, x0: float, x1: float, top: float, bottom: float, gold: RGB,
            red: RGB, wood: RGB) -> None:
    """A folding screen of lacquered panels, each with a gilded roundel."""
    panels = 5
    w = (x1 - x0) / panels
    for k in range(panels):
        px = x0 + k * w
        lift = 0.04 * (1.0 - abs(k - (panels - 1) / 2) / ((panels - 1) / 2))
        rect = skia.Rect.MakeLTRB(px, top - lift, px + w, bottom)
        canvas.drawRect(rect, fill(darken(wood, 0.2) if k % 2 else darken(wood, 0.3)))
        canvas.drawRect(rect.makeInset(w * 0.1, w * 0.1), fill(mix(gold, red, 0.15)))
        cx, cy = px + w / 2, top + (bottom - top) * 0.4
        canvas.drawCircle(cx, cy, w * 0.3, fill(darken(red, 0.1)))
        canvas.drawCircle(cx, cy, w * 0.3, stroke(darken(gold, 0.35), w * 0.05))
        canvas.drawCircle(cx, cy, w * 0.12, fill(gold))


def ceiling_y(ctx: SetContext) -> float:
    """World y of the ceiling line: high enough to frame a wide shot's top."""
    return wall_foot(ctx) - 1.12


def ceiling(canvas: skia.Canvas, ctx: SetContext, wall: RGB, trim: RGB) -> None:
    """The ceiling and its cornice, so the top of a wide interior is a room, not a blank wall."""
    top = ceiling_y(ctx)
    canvas.drawRect(skia.Rect.MakeLTRB(-3, -3, 4, top), fill(lighten(wall, 0.12)))
    canvas.drawRect(skia.Rect.MakeLTRB(-3, top, 4, top + 0.03), fill(trim))
    canvas.drawRect(skia.Rect.MakeLTRB(-3, top + 0.03, 4, top + 0.04), fill(darken(wall, 0.2)))


def calligraphy(canvas: skia.Canvas, ctx: SetContext, x: float, top: float, size: float,
                count: int) -> None:
    """A column of brush-written characters: each a few seeded strokes in a square."""
    rng = ctx.rng("calligraphy")
    ink = ctx.lit((0.12, 0.11, 0.1))
    for k in range(count):
        cy = top + k * size * 1.6
        strokes = skia.Path()
        strokes.moveTo(x - size * 0.4, cy + size * float(rng.uniform(-0.3, -0.1)))
        strokes.lineTo(x + size * 0.4, cy + size * float(rng.uniform(-0.35, -0.15)))
        vx = x + size * float(rng.uniform(-0.15, 0.15))
        strokes.moveTo(vx, cy - size * 0.5)
        strokes.lineTo(vx - size * 0.05, cy + size * 0.5)
        strokes.moveTo(x - size * 0.1, cy)
        strokes.lineTo(x - size * 0.45, cy + size * 0.45)
        strokes.moveTo(x + size * 0.1, cy + size * 0.05)
        strokes.lineTo(x + size * 0.45, cy + size * float(rng.uniform(0.3, 0.5)))
        canvas.drawPath(strokes, stroke(ink, size * 0.14))


def _chandelier(canvas: skia.Canvas, x: float, y: float, gold: RGB, lit: bool) -> None:
    """A hanging arc of candle globes on a long chain."""
    canvas.drawLine(x, -1.0, x, y, stroke(darken(gold, 0.3), 0.004))
    for k in range(7):
        canvas.drawCircle(x - 0.09 + k * 0.03, y + 0.02 - abs(k - 3) * 0.01, 0.012,
                          fill(lighten(gold, 0.4) if lit else gold))
    if lit:
        glow(canvas, x, y, 0.3, _LAMP, 0.45)
