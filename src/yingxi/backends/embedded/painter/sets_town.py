"""Streets: a village lane (tiled eaves or plain modern houses) and a city (towers or walls)."""

from __future__ import annotations

import numpy as np
import skia

from yingxi.backends.embedded.painter.context import LayerSpec, SetContext
from yingxi.backends.embedded.painter.draw import (
    fill,
    height_at,
    linear,
    polygon,
    ridge,
    stroke,
    vertical,
)
from yingxi.backends.embedded.painter.motifs_base import canal_room
from yingxi.backends.embedded.painter.palette import RGB, darken, lighten, mix, saturate
from yingxi.backends.embedded.painter.props import lantern, pool, round_tree, tiled_roof, window
from yingxi.backends.embedded.painter.sets_outdoor import ground_plane, light_side, pagoda
from yingxi.backends.embedded.painter.sky import SKY_DEPTH, glow, mist_layer, sky_layer

_LAMP = (1.0, 0.8, 0.45)


def _hills(ctx: SetContext, amp: float) -> LayerSpec:
    def draw(canvas: skia.Canvas) -> None:
        path, _ = ridge(ctx.rng("hills"), -0.8, 1.8, ctx.horizon + 0.02, amp, ctx.horizon + 3,
                        steps=10)
        canvas.drawPath(path, fill(ctx.light.haze(ctx.palette[2], 0.6)))
    return 0.2, draw


def paving(canvas: skia.Canvas, ctx: SetContext, top: float, stone: RGB, name: str,
           flags: bool) -> None:
    """A street surface; ``flags`` lays flagstone joints, else a kerb and plain asphalt."""
    ground_plane(canvas, ctx, top, darken(stone, 0.22), lighten(stone, 0.04), name, 0.0)
    joint = stroke(darken(stone, 0.3), 0.003, 0.0 if ctx.snowy else 0.55)
    rng = ctx.rng(name + "-joints")
    if flags:
        y, row = top + 0.02, 0
        while y < ctx.ground + 0.4:
            step = 0.025 + (y - top) * 0.12
            canvas.drawLine(-1.0, y, 2.0, y, joint)
            off = float(rng.uniform(0.0, 0.1))
            for k in range(-6, 20):
                x = -0.3 + k * (0.08 + (y - top) * 0.3) + off + (row % 2) * 0.04
                canvas.drawLine(x, y, x, y + step, joint)
            y += step
            row += 1
    else:
        kerb = top + 0.035
        canvas.drawRect(skia.Rect.MakeLTRB(-1, top, 2, kerb), fill(ctx.cover(lighten(stone, 0.12))))
        canvas.drawLine(-1.0, kerb, 2.0, kerb, stroke(darken(stone, 0.35), 0.004))
        for k in range(-4, 14):
            x = k * 0.12
            canvas.drawLine(x, kerb, x - 0.02, ctx.ground + 0.4, joint)
    if ctx.light.weather == "rain":
        for _ in range(8):
            x, y = float(rng.uniform(-0.1, 1.1)), top + float(rng.uniform(0.06, 0.5))
            canvas.drawOval(skia.Rect.MakeLTRB(x - 0.07, y - 0.008, x + 0.07, y + 0.008),
                            fill(lighten(ctx.light.horizon, 0.1), 0.35))


def _ancient_house(canvas: skia.Canvas, ctx: SetContext, x0: float, x1: float, base: float,
                   h: float, rng: np.random.Generator) -> None:
    wall, roof, wood, red = (ctx.color(i) for i in range(4))
    snow = ctx.lit((0.94, 0.95, 0.98)) if ctx.snowy else None
    w = x1 - x0
    eave = base - h * 0.72
    canvas.drawRect(skia.Rect.MakeLTRB(x0, eave - h * 0.05, x1, base),
                    vertical(eave, base, [wall, darken(wall, 0.12)]))
    # stepped "horse-head" gable walls at both ends
    for side, x in ((-1, x0), (1, x1)):
        for k in range(2):
            sx = x - side * w * (0.02 + k * 0.1)
            sy = eave - h * (0.12 + k * 0.1)
            lo, hi = min(sx, sx - side * w * 0.14), max(sx, sx - side * w * 0.14)
            canvas.drawRect(skia.Rect.MakeLTRB(lo, sy, hi, eave), fill(wall))
            canvas.drawRect(skia.Rect.MakeLTRB(lo - 0.004, sy - h * 0.035, hi + 0.004, sy),
                            fill(ctx.cover(darken(roof, 0.1))))
    tiled_roof(canvas, x0 + w * 0.12, x1 - w * 0.12, eave, h * 0.22, roof,
               snow or ctx.rime(roof))
    canvas.drawRect(skia.Rect.MakeLTRB(x0, eave, x1, eave + h * 0.05), fill(darken(wall, 0.35)))
    door_w = w * 0.2
    dx = x0 + w * float(rng.uniform(0.35, 0.5))
    canvas.drawRect(skia.Rect.MakeLTRB(dx, base - h * 0.42, dx + door_w, base), fill(wood))
    canvas.drawLine(dx + door_w / 2, base - h * 0.42, dx + door_w / 2, base,
                    stroke(darken(wood, 0.4), 0.003))
    for wx in (x0 + w * 0.12, x1 - w * 0.26):
        r = skia.Rect.MakeLTRB(wx, base - h * 0.5, wx + w * 0.14, base - h * 0.3)
        window(canvas, r, darken(wood, 0.2), darken(wall, 0.55), ctx.light.lamps_on,
               _LAMP, (2, 2), lattice=True)
    lantern(canvas, dx - w * 0.06, eave + h * 0.18, h * 0.05, red, ctx.light.lamps_on)
    lantern(canvas, dx + door_w + w * 0.06, eave + h * 0.18, h * 0.05, red, ctx.light.lamps_on)


def _modern_house(canvas: skia.Canvas, ctx: SetContext, x0: float, x1: float, base: float,
                  h: float, rng: np.random.Generator, tone: RGB) -> None:
    roof, stone, awning = ctx.color(1), ctx.color(2), ctx.color(3)
    w = x1 - x0
    top = base - h
    canvas.drawRect(skia.Rect.MakeLTRB(x0, top, x1, base), vertical(top, base, [tone, darken(tone,
                                                                                            0.1)]))
    if rng.uniform() < 0.5:
        canvas.drawPath(polygon([(x0 - 0.01, top), (x0 + w / 2, top - h * 0.25), (x1 + 0.01, top)]),
                        fill(ctx.cover(roof)))
    else:
        canvas.drawRect(skia.Rect.MakeLTRB(x0 - 0.006, top - 0.012, x1 + 0.006, top),
                        fill(ctx.cover(darken(tone, 0.3))))
    floors = max(1, round(h / 0.16))
    cols = max(2, round(w / 0.09))
    lit_rng = ctx.rng(f"lit{x0:.3f}")
    for f in range(floors):
        for k in range(cols):
            wx = x0 + w * (k + 0.25) / cols
            wy = top + h * (f + 0.22) / floors
            r = skia.Rect.MakeLTRB(wx, wy, wx + w * 0.5 / cols, wy + h * 0.42 / floors)
            if f == floors - 1 and k == cols // 2:
                continue
            lit = ctx.light.lamps_on and lit_rng.uniform() < 0.6
            window(canvas, r, lighten(tone, 0.5), mix(stone, (0.2, 0.25, 0.3), 0.6), lit, _LAMP,
                   (2, 1))
    dx = x0 + w * (cols // 2 + 0.25) / cols
    canvas.drawRect(skia.Rect.MakeLTRB(dx, base - h / floors * 0.75, dx + w * 0.5 / cols, base),
                    fill(darken(stone, 0.3)))
    aw = polygon([(dx - 0.02, base - h / floors * 0.8), (dx + w * 0.5 / cols + 0.02,
                   base - h / floors * 0.8), (dx + w * 0.5 / cols + 0.03, base - h / floors * 0.68),
                  (dx - 0.03, base - h / floors * 0.68)])
    canvas.drawPath(aw, fill(ctx.cover(awning, 0.5)))


def village(ctx: SetContext) -> list[LayerSpec]:
    """A lane between houses: whitewashed walls and tiled eaves, or plain modern houses."""
    hz, side = ctx.horizon, light_side(ctx)
    base = hz + 0.12 - canal_room(ctx)  # the houses step back from a canal

    def houses(canvas: skia.Canvas) -> None:
        rng = ctx.rng("houses")
        canvas.drawRect(skia.Rect.MakeLTRB(-3, base - 0.01, 4, hz + 3),
                        fill(ctx.cover(darken(ctx.color(2), 0.2))))
        x = -0.35 + float(rng.uniform(0.0, 0.1))
        while x < 1.35:
            w = float(rng.uniform(0.24, 0.36))
            h = float(rng.uniform(0.34, 0.44))
            if ctx.era == "ancient":
                _ancient_house(canvas, ctx, x, x + w, base, h, rng)
            else:
                tone = mix(ctx.color(0), ctx.lit(saturate(ctx.palette[3], 0.5)),
                           float(rng.uniform(0.0, 0.3)))
                _modern_house(canvas, ctx, x, x + w, base, h * 1.15, rng, tone)
            x += w + float(rng.uniform(0.01, 0.04))
        if ctx.era == "modern":
            pole = stroke(darken(ctx.color(2), 0.5), 0.008)
            for px in (0.08, 0.98):
                canvas.drawLine(px, base, px, base - 0.62, pole)
            wire = skia.Path()
            for dy in (0.58, 0.55):
                wire.moveTo(-0.5, base - dy + 0.02)
                wire.quadTo(0.53, base - dy + 0.08, 1.5, base - dy + 0.02)
            canvas.drawPath(wire, stroke(darken(ctx.color(2), 0.5), 0.002, 0.8))

    def street(canvas: skia.Canvas) -> None:
        rng = ctx.rng("street-trees")
        for x in (-0.08, 1.08):
            round_tree(canvas, x, ctx.ground - 0.1, 0.62, ctx.lit((0.36, 0.55, 0.35)),
                       ctx.lit((0.4, 0.3, 0.22)), rng, side,
                       ctx.lit((0.94, 0.95, 0.98)) if ctx.snowy
                       else ctx.rime(ctx.lit((0.36, 0.55, 0.35))))
        stone = ctx.lit((0.66, 0.64, 0.6)) if ctx.era == "ancient" else ctx.lit((0.55, 0.56, 0.6))
        paving(canvas, ctx, ctx.ground - 0.16, stone, "lane", ctx.era == "ancient")

    return [(SKY_DEPTH, sky_layer(ctx, clouds=3)), _hills(ctx, 0.12),
            (0.28, mist_layer(ctx, hz + 0.05, 0.05, 0.2)), (0.55, houses), (1.0, street)]


def _towers(canvas: skia.Canvas, ctx: SetContext, base: float, rng: np.random.Generator,
            depth: float, count: int, hmin: float, hmax: float) -> None:
    light = ctx.light
    body = light.haze(ctx.palette[0], depth)
    lit_color = mix(ctx.lit(ctx.palette[2]), light.horizon, depth * 0.5)
    glass = light.haze(ctx.palette[1], depth)
    x = -0.4
    for _ in range(count):
        w = float(rng.uniform(0.07, 0.16))
        h = float(rng.uniform(hmin, hmax))
        tone = mix(body, glass, float(rng.uniform(0.0, 0.6)))
        top = base - h
        canvas.drawRect(skia.Rect.MakeLTRB(x, top, x + w, base + 2.0),
                        linear((x, 0.0), (x + w, 0.0), [lighten(tone, 0.08), darken(tone, 0.12)]))
        if rng.uniform() < 0.3:
            canvas.drawLine(x + w / 2, top, x + w / 2, top - h * 0.15, stroke(tone, 0.003))
        cols = max(2, int(w / 0.022))
        rows = int(h / 0.028)
        on = 0.55 if light.lamps_on else 0.0
        for r in range(rows):
            for k in range(cols):
                wx = x + w * (k + 0.22) / cols
                wy = top + 0.012 + r * 0.028
                lit = rng.uniform() < on
                dim = mix(tone, light.horizon, 0.25 if depth > 0.3 else 0.15)
                color = lit_color if lit else dim
                canvas.drawRect(skia.Rect.MakeLTRB(wx, wy, wx + w * 0.5 / cols, wy + 0.014),
                                fill(color, 0.9 if lit else 0.55))
        x += w + float(rng.uniform(0.0, 0.03))
        if x > 1.45:
            break


def city(ctx: SetContext) -> list[LayerSpec]:
    """A street before a skyline (towers with lit windows) or an old walled city gate."""
    hz = ctx.horizon
    lamps = ctx.light.lamps_on

    def far(canvas: skia.Canvas) -> None:
        rng = ctx.rng("far")
        if ctx.era == "modern":
            _towers(canvas, ctx, hz + 0.05, rng, 0.55, 30, 0.25, 0.6)
        else:
            path, pts = ridge(rng, -0.8, 1.8, hz + 0.02, 0.28, hz + 3, steps=10)
            canvas.drawPath(path, fill(ctx.light.haze(ctx.palette[1], 0.6)))
            px = 0.22 if ctx.light.sun_x > 0.5 else 0.78
            if "pagoda" not in ctx.motifs:  # the motif paints a bigger one
                pagoda(canvas, px, height_at(pts, px) + 0.01, 0.2,
                       ctx.light.haze(darken(ctx.palette[1], 0.3), 0.45))
            roofs = ctx.light.haze(ctx.palette[1], 0.35)
            snow = ctx.light.haze((0.93, 0.95, 0.98), 0.3) if ctx.snowy else None
            for k in range(-4, 14):
                # rooftops of the town, peeking over the city wall in front
                x = k * 0.12 + float(rng.uniform(-0.03, 0.03))
                y = hz - 0.1 - float(rng.uniform(0.0, 0.06))
                canvas.drawRect(skia.Rect.MakeLTRB(x + 0.015, y, x + 0.095, hz + 0.1),
                                fill(mix(roofs, ctx.light.horizon, 0.35)))
                tiled_roof(canvas, x, x + 0.11, y, 0.05, roofs, snow or ctx.rime(roofs))

    def mid(canvas: skia.Canvas) -> None:
        rng = ctx.rng("mid")
        if ctx.era == "modern":
            _towers(canvas, ctx, hz + 0.16, rng, 0.15, 16, 0.3, 0.55)
        else:
            _city_wall(canvas, ctx, hz + 0.14 - canal_room(ctx), rng)  # a moat in front

    def street(canvas: skia.Canvas) -> None:
        top = ctx.ground - 0.16
        stone = ctx.lit((0.5, 0.5, 0.55)) if ctx.era == "modern" else ctx.lit((0.62, 0.58, 0.54))
        if ctx.era == "modern":
            canvas.drawRect(skia.Rect.MakeLTRB(-1, top - 0.06, 2, top), fill(ctx.lit((0.3, 0.31,
                                                                                      0.36))))
            rail = stroke(ctx.lit((0.75, 0.76, 0.8)), 0.004)
            canvas.drawLine(-1.0, top - 0.07, 2.0, top - 0.07, rail)
            for k in range(-5, 16):
                canvas.drawLine(k * 0.1, top - 0.07, k * 0.1, top, rail)
            for x in (0.1, 0.9):
                canvas.drawLine(x, top, x, top - 0.5, stroke(ctx.lit((0.25, 0.26, 0.3)), 0.008))
                canvas.drawLine(x, top - 0.5, x + 0.05, top - 0.52,
                                stroke(ctx.lit((0.25, 0.26, 0.3)), 0.007))
                head = ctx.lit((0.8, 0.8, 0.75)) if not lamps else _LAMP
                canvas.drawCircle(x + 0.055, top - 0.515, 0.012, fill(head))
                if lamps:
                    glow(canvas, x + 0.055, top - 0.515, 0.12, _LAMP, 0.5)
        paving(canvas, ctx, top, stone, "pavement", ctx.era == "ancient")
        if lamps and ctx.era == "modern":
            for x in (0.155, 0.955):
                pool(canvas, x, top + 0.12, 0.25, 0.05, _LAMP, 0.25)

    return [(SKY_DEPTH, sky_layer(ctx, clouds=2)), (0.25, far),
            (0.32, mist_layer(ctx, hz + 0.05, 0.05, 0.25)), (0.55, mid), (1.0, street)]


def _city_wall(canvas: skia.Canvas, ctx: SetContext, base: float, rng: np.random.Generator) -> None:
    brick, roof, red, gold = ctx.color(0), ctx.color(1), ctx.color(2), ctx.color(3)
    snow = ctx.lit((0.94, 0.95, 0.98)) if ctx.snowy else None
    top = base - 0.26
    canvas.drawRect(skia.Rect.MakeLTRB(-3, top, 4, hz_bottom(base)),
                    vertical(top, base, [brick, darken(brick, 0.15)]))
    for k in range(-30, 60):
        x = k * 0.04
        canvas.drawRect(skia.Rect.MakeLTRB(x, top - 0.022, x + 0.022, top), fill(brick))
    joint = stroke(darken(brick, 0.25), 0.002, 0.6)
    for r in range(1, 10):
        canvas.drawLine(-3.0, top + r * 0.025, 4.0, top + r * 0.025, joint)
    gx = 0.5 + float(rng.uniform(-0.05, 0.05))
    canvas.drawPath(_arch(gx, base, 0.09, 0.13), fill(darken(brick, 0.6)))
    tower_base = top - 0.02
    canvas.drawRect(skia.Rect.MakeLTRB(gx - 0.17, tower_base - 0.16, gx + 0.17, tower_base),
                    fill(red))
    for k in range(7):
        px = gx - 0.15 + k * 0.05
        canvas.drawRect(skia.Rect.MakeLTRB(px - 0.006, tower_base - 0.16, px + 0.006, tower_base),
                        fill(darken(red, 0.3)))
    tiled_roof(canvas, gx - 0.2, gx + 0.2, tower_base - 0.15, 0.08, roof,
               snow or ctx.rime(roof))
    tiled_roof(canvas, gx - 0.14, gx + 0.14, tower_base - 0.26, 0.07, roof,
               snow or ctx.rime(roof))
    for lx in (gx - 0.12, gx + 0.12):
        lantern(canvas, lx, tower_base - 0.08, 0.016, mix(red, gold, 0.2), ctx.light.lamps_on)


def _arch(x: float, base: float, w: float, h: float) -> skia.Path:
    path = skia.Path()
    path.moveTo(x - w / 2, base)
    path.lineTo(x - w / 2, base - h + w / 2)
    path.arcTo(skia.Rect.MakeLTRB(x - w / 2, base - h, x + w / 2, base - h + w), 180, 180, False)
    path.lineTo(x + w / 2, base)
    path.close()
    return path


def hz_bottom(base: float) -> float:
    """How far down a backdrop is filled so no parallax ever shows its lower edge."""
    return base + 3.0
