"""Motifs on the water: a canal or stream when a set has none, a sampan, an arched bridge,
and the moon's path of light on the sea."""

from __future__ import annotations

import math

import skia

from yingxi.backends.embedded.painter.context import DrawFn, SetContext
from yingxi.backends.embedded.painter.draw import (
    fill,
    linear,
    polygon,
    smooth_path,
    stroke,
    vertical,
)
from yingxi.backends.embedded.painter.motifs_base import MotifLayer, Plan, Water
from yingxi.backends.embedded.painter.palette import RGB, darken, lighten, mix
from yingxi.backends.embedded.painter.sky import glow

_LAMP = (1.0, 0.78, 0.42)
_WATER = (0.25, 0.5, 0.58)


def water_color(ctx: SetContext) -> RGB:
    """The colour of open water in this set (the sea's own on the shore)."""
    return ctx.palette[0] if ctx.kind == "shore" else _WATER


def water_layer(ctx: SetContext, water: Water) -> DrawFn:
    """A canal (stone banks) or a stream (grassy banks) across the set at ``water.top``."""
    light = ctx.light
    built = ctx.kind in ("village", "city")

    def draw(canvas: skia.Canvas) -> None:
        rng = ctx.rng("canal")
        top = water.top
        deep = ctx.lit(_WATER)
        sky = mix(light.horizon, deep, 0.35)
        canvas.drawRect(skia.Rect.MakeLTRB(-3, top, 4, top + 3),
                        vertical(top, water.near + 0.05, [darken(deep, 0.25), sky,
                                                          darken(deep, 0.15)],
                                 positions=[0.0, 0.45, 1.0]))
        # the far bank's shadow and its reflection right under it
        canvas.drawRect(skia.Rect.MakeLTRB(-3, top, 4, top + 0.03),
                        vertical(top, top + 0.03, [darken(deep, 0.5), darken(deep, 0.5)],
                                 alphas=[0.6, 0.0]))
        if built:
            stone = ctx.cover(ctx.lit((0.6, 0.58, 0.55)), 0.5)
            canvas.drawRect(skia.Rect.MakeLTRB(-3, top - 0.016, 4, top + 0.004), fill(stone))
            canvas.drawLine(-3, top + 0.004, 4, top + 0.004, stroke(darken(stone, 0.4), 0.003))
            joint = stroke(darken(stone, 0.3), 0.002, 0.6)
            for k in range(-20, 60):
                jx = k * 0.05 + (0.025 if k % 2 else 0.0)
                canvas.drawLine(jx, top - 0.016, jx, top + 0.004, joint)
            canvas.drawLine(-3, top - 0.006, 4, top - 0.006, joint)
        else:
            bank = ctx.cover(ctx.lit((0.36, 0.5, 0.3)), 0.6)
            edge = smooth_path([(-1.0, top + 0.004), (-0.2, top - 0.008), (0.4, top + 0.006),
                                (1.0, top - 0.006), (2.0, top + 0.004)])
            edge.lineTo(2.0, top - 0.05)
            edge.lineTo(-1.0, top - 0.05)
            edge.close()
            canvas.drawPath(edge, fill(bank))
            for _ in range(6):
                rx = float(rng.uniform(-0.1, 1.1))
                canvas.drawOval(skia.Rect.MakeLTRB(rx - 0.03, top - 0.012, rx + 0.03,
                                                   top + 0.012), fill(ctx.lit((0.5, 0.5, 0.48))))
        ripple = lighten(sky, 0.35)
        for _ in range(34):
            d = float(rng.uniform(0.0, 1.0))
            y = top + 0.025 + d * (water.near - top + 0.03)
            x = float(rng.uniform(-0.2, 1.2))
            w = 0.02 + 0.05 * d
            canvas.drawLine(x - w, y, x + w, y, stroke(ripple, 0.002 + 0.002 * d, 0.45))
    return draw


def moon_path(ctx: SetContext, x: float) -> DrawFn:
    """The moon's broad path of light on the sea, widening towards the beach."""
    light = ctx.light
    hz = ctx.horizon - 0.03

    def draw(canvas: skia.Canvas) -> None:
        bottom = ctx.ground - 0.1
        column = polygon([(x - 0.02, hz), (x + 0.02, hz), (x + 0.14, bottom), (x - 0.14, bottom)])
        canvas.drawPath(column, vertical(hz, bottom, [light.sun_glow] * 3,
                                         alphas=[0.45, 0.25, 0.05], positions=[0.0, 0.4, 1.0]))
        rng = ctx.rng("moon-path")
        for i in range(40):
            d = (i / 40) ** 1.3
            y = hz + 0.004 + d * (bottom - hz)
            w = 0.01 + 0.07 * d * float(rng.uniform(0.4, 1.0))
            cx = x + float(rng.normal(0.0, 0.012 + 0.05 * d))
            canvas.drawLine(cx - w / 2, y, cx + w / 2, y,
                            stroke(lighten(light.sun, 0.2), 0.002 + 0.004 * d, 0.9 - d * 0.4))
    return draw


# --- the boat ------------------------------------------------------------------------------


def fisherman(canvas: skia.Canvas, ctx: SetContext, x: float, seat: float, h: float,
              facing: float) -> tuple[float, float]:
    """A seated figure in a straw rain cape (蓑衣) and a wide conical hat (笠); returns where
    the hands hold the rod."""
    straw = ctx.cover(ctx.lit((0.62, 0.52, 0.32)), 0.5)
    cape = ctx.cover(ctx.lit((0.42, 0.36, 0.24)), 0.45)
    cape_path = skia.Path()
    cape_path.moveTo(x - h * 0.3, seat)
    cape_path.quadTo(x - h * 0.26, seat - h * 0.5, x - h * 0.02 * facing, seat - h * 0.72)
    cape_path.quadTo(x + h * 0.2, seat - h * 0.5, x + h * 0.32, seat)
    cape_path.close()
    canvas.drawPath(cape_path, fill(cape))
    fringe = skia.Path()
    for k in range(9):
        fx = x - h * 0.28 + k * h * 0.07
        fringe.moveTo(fx, seat - h * 0.25 - abs(k - 4) * h * 0.02)
        fringe.lineTo(fx - h * 0.02, seat + h * 0.03)
    canvas.drawPath(fringe, stroke(darken(cape, 0.35), h * 0.018))
    hat_y = seat - h * 0.72
    hat = polygon([(x - h * 0.34, hat_y + h * 0.05), (x + h * 0.02 * facing, hat_y - h * 0.2),
                   (x + h * 0.36, hat_y + h * 0.05)])
    canvas.drawPath(hat, fill(straw))
    canvas.drawLine(x - h * 0.34, hat_y + h * 0.05, x + h * 0.36, hat_y + h * 0.05,
                    stroke(darken(straw, 0.35), h * 0.025))
    return x + facing * h * 0.22, seat - h * 0.36


def boat(canvas: skia.Canvas, ctx: SetContext, x: float, waterline: float, length: float,
         facing: float, lamp: bool, reflection: bool = True) -> None:
    """A sampan with a woven awning and a fisherman at the bow, rod out over the water."""
    wood = ctx.cover(ctx.lit((0.36, 0.24, 0.16)), 0.4)
    mat = ctx.cover(ctx.lit((0.2, 0.18, 0.16)), 0.6)
    span, hh = length, length * 0.11
    hull = skia.Path()
    bow = (x + facing * span * 0.5, waterline - hh * 1.25)
    stern = (x - facing * span * 0.5, waterline - hh * 1.0)
    hull.moveTo(*bow)
    hull.quadTo(x + facing * span * 0.36, waterline + hh * 0.2, x + facing * span * 0.2,
                waterline + hh * 0.3)
    hull.lineTo(x - facing * span * 0.25, waterline + hh * 0.3)
    hull.quadTo(x - facing * span * 0.4, waterline + hh * 0.15, *stern)
    hull.quadTo(x, waterline - hh * 0.2, *bow)
    hull.close()
    if reflection:
        canvas.save()
        canvas.translate(0.0, 2 * waterline + hh * 0.6)
        canvas.scale(1.0, -0.55)
        canvas.translate(0.0, 0.0)
        canvas.drawPath(hull, fill(darken(wood, 0.5), 0.35))
        canvas.restore()
    canvas.drawPath(hull, linear((0.0, waterline - hh), (0.0, waterline + hh * 0.3),
                                 [lighten(wood, 0.08), darken(wood, 0.35)]))
    gunwale = skia.Path()
    gunwale.moveTo(*stern)
    gunwale.quadTo(x, waterline - hh * 0.2, *bow)
    canvas.drawPath(gunwale, stroke(lighten(wood, 0.25), hh * 0.18))
    # the arched awning of woven bamboo matting, over the middle of the boat
    a0, a1 = x - facing * span * 0.3, x + facing * span * 0.04
    lo, hi = min(a0, a1), max(a0, a1)
    deck = waterline - hh * 0.55
    awning = skia.Path()
    awning.moveTo(lo, deck)
    awning.cubicTo(lo, deck - hh * 2.6, hi, deck - hh * 2.6, hi, deck)
    awning.close()
    canvas.drawPath(awning, fill(mat))
    canvas.save()
    canvas.clipPath(awning, doAntiAlias=True)
    weave = stroke(lighten(mat, 0.22), hh * 0.12, 0.8)
    for k in range(1, 6):
        wx = lo + (hi - lo) * k / 6
        canvas.drawLine(wx, deck - hh * 3, wx, deck, weave)
    inset = (hi - lo) * 0.15
    canvas.drawOval(skia.Rect.MakeLTRB(lo + inset, deck - hh * 1.7, hi - inset, deck - hh * 1.2),
                    fill(lighten(mat, 0.12), 0.5))
    canvas.restore()
    canvas.drawPath(awning, stroke(darken(mat, 0.3), hh * 0.1))
    hx, hy = fisherman(canvas, ctx, x + facing * span * 0.2, deck + hh * 0.1, hh * 3.0, facing)
    tip = (hx + facing * span * 0.55, hy - hh * 3.2)
    rod = skia.Path()
    rod.moveTo(hx, hy)
    rod.quadTo(hx + facing * span * 0.3, hy - hh * 2.2, *tip)
    canvas.drawPath(rod, stroke(darken(wood, 0.3), hh * 0.08))
    canvas.drawLine(tip[0], tip[1], tip[0] + facing * span * 0.02, waterline + hh * 0.4,
                    stroke(lighten(ctx.light.horizon, 0.3), hh * 0.03, 0.6))
    pole_x = x - facing * span * 0.06
    canvas.drawLine(pole_x, deck - hh * 1.8, pole_x + facing * span * 0.02, waterline - hh * 4.4,
                    stroke(wood, hh * 0.1))
    if lamp:
        lx, ly = pole_x + facing * span * 0.02, waterline - hh * 3.9
        glow(canvas, lx, ly, span * 0.35, _LAMP, 0.5)
        canvas.drawRRect(skia.RRect.MakeRectXY(skia.Rect.MakeLTRB(lx - hh * 0.35, ly - hh * 0.4,
                                                                  lx + hh * 0.35, ly + hh * 0.4),
                                               hh * 0.2, hh * 0.2), fill(lighten(_LAMP, 0.3)))
        if reflection:
            canvas.drawRect(skia.Rect.MakeLTRB(lx - hh * 0.3, waterline + hh * 0.6, lx + hh * 0.3,
                                               waterline + hh * 2.4),
                            vertical(waterline + hh * 0.6, waterline + hh * 2.4, [_LAMP, _LAMP],
                                     alphas=[0.5, 0.0]))
    ripple = stroke(lighten(ctx.light.horizon, 0.2), hh * 0.08, 0.5)
    for k, w in ((0, 0.62), (1, 0.48)):
        y = waterline + hh * (0.55 + k * 0.55)
        canvas.drawLine(x - span * w, y, x + span * w * 0.8, y, ripple)


def boat_layers(ctx: SetContext, plan: Plan) -> list[MotifLayer] | None:
    """A sampan on the set's water towards one side, bow out (the boat and the rod keep clear
    of the actors); on the bridge's side it passes under the arch."""
    if plan.indoors:
        return []  # seen through the window (motifs.window_motifs)
    water = plan.water
    if water is None:
        return None
    side = plan.side("boat")
    lamp = ctx.light.lamps_on
    layers = []
    if water.made and "bridge" not in ctx.motifs:
        layers.append(MotifLayer(water.depth, water_layer(ctx, water)))
    if "bridge" in ctx.motifs and plan.side("bridge") == side:
        bx, water_y, span, _, bridge_depth = bridge_spot(ctx, water, side)
        x, y, length, depth = bx, water_y + span * 0.03, span * 0.55, bridge_depth + 0.001
    elif ctx.kind == "shore":
        x, y, length, depth = 0.5 + side * 0.3, water.top + 0.13, 0.32, 0.5
    else:
        x, y = 0.5 + side * 0.33, water.top + (water.near - water.top) * 0.6
        length, depth = 0.3, water.depth + 0.002

    def draw(canvas: skia.Canvas) -> None:
        boat(canvas, ctx, x, y, length, side, lamp)
    return [*layers, MotifLayer(depth, draw)]


# --- the bridge ----------------------------------------------------------------------------


def arch_bridge(canvas: skia.Canvas, ctx: SetContext, x: float, water_y: float, span: float,
                rise: float, reflection: bool = True) -> None:
    """A hump-backed stone bridge with a round arch whose reflection closes the circle."""
    stone = ctx.cover(ctx.lit((0.7, 0.68, 0.63)), 0.5)
    r = span * 0.26
    half = span / 2
    body = skia.Path()
    body.moveTo(x - half * 1.12, water_y + 0.004)
    body.cubicTo(x - half * 0.7, water_y - rise * 0.3, x - half * 0.45, water_y - rise,
                 x, water_y - rise)
    body.cubicTo(x + half * 0.45, water_y - rise, x + half * 0.7, water_y - rise * 0.3,
                 x + half * 1.12, water_y + 0.004)
    body.close()
    opening = skia.Path()
    opening.addCircle(x, water_y, r)
    shape = skia.Op(body, opening, skia.PathOp.kDifference_PathOp)
    if reflection:
        canvas.save()
        canvas.translate(0.0, 2 * water_y)
        canvas.scale(1.0, -1.0)
        canvas.drawPath(shape, fill(darken(stone, 0.25), 0.4))
        canvas.restore()
    canvas.drawPath(shape, vertical(water_y - rise, water_y, [lighten(stone, 0.06),
                                                              darken(stone, 0.2)]))
    canvas.save()
    canvas.clipPath(shape, doAntiAlias=True)
    joint = stroke(darken(stone, 0.35), span * 0.006, 0.7)
    for k in range(13):
        a = math.pi * (1 + k / 12)
        canvas.drawLine(x + math.cos(a) * r, water_y + math.sin(a) * r,
                        x + math.cos(a) * r * 1.28, water_y + math.sin(a) * r * 1.28, joint)
    ring = stroke(darken(stone, 0.3), span * 0.01)
    canvas.drawCircle(x, water_y, r * 1.28, ring)
    for k in range(1, 4):
        canvas.drawLine(x - span, water_y - rise * 0.25 * k, x + span, water_y - rise * 0.25 * k,
                        stroke(darken(stone, 0.2), span * 0.004, 0.5))
    canvas.restore()
    deck = skia.Path()
    deck.moveTo(x - half * 1.0, water_y - rise * 0.1)
    deck.cubicTo(x - half * 0.55, water_y - rise * 0.9, x - half * 0.3, water_y - rise * 1.02,
                 x, water_y - rise * 1.02)
    deck.cubicTo(x + half * 0.3, water_y - rise * 1.02, x + half * 0.55, water_y - rise * 0.9,
                 x + half * 1.0, water_y - rise * 0.1)
    rail_h = rise * 0.22
    rail = skia.Path(deck)
    rail.offset(0.0, -rail_h)
    canvas.drawPath(rail, stroke(lighten(stone, 0.05), span * 0.012))
    meas = skia.PathMeasure(deck, False, 1.0)
    total = meas.getLength()
    post = stroke(lighten(stone, 0.05), span * 0.012)
    for k in range(11):
        pos, _ = meas.getPosTan(total * k / 10)
        canvas.drawLine(pos.x(), pos.y(), pos.x(), pos.y() - rail_h * 1.2, post)
    canvas.drawPath(deck, stroke(darken(stone, 0.3), span * 0.01))


def bridge_spot(ctx: SetContext, water: Water, side: float
                ) -> tuple[float, float, float, float, float]:
    """Where the bridge stands: x, its waterline, span, rise, and its layer's depth."""
    if ctx.kind == "shore":
        return 0.5 + side * 0.3, water.top + 0.12, 0.42, 0.13, 0.52
    band = water.near - water.top
    return 0.5 + side * 0.34, water.top + band * 0.55, 0.46, 0.18, water.depth + 0.004


def bridge_layers(ctx: SetContext, plan: Plan) -> list[MotifLayer] | None:
    """An arched bridge over the set's water (a canal or stream is made for it)."""
    if plan.indoors or plan.water is None:
        return None
    water = plan.water
    side = plan.side("bridge")
    layers = []
    if water.made:
        layers.append(MotifLayer(water.depth, water_layer(ctx, water)))
    x, water_y, span, rise, depth = bridge_spot(ctx, water, side)

    def draw(canvas: skia.Canvas) -> None:
        if ctx.kind == "shore":  # out on the water it joins two rocky islets
            for end in (-1.0, 1.0):
                islet(canvas, ctx, x + end * span * 0.62, water_y, span * 0.3, rise * 0.55)
        arch_bridge(canvas, ctx, x, water_y, span, rise)
    return [*layers, MotifLayer(depth, draw)]


def islet(canvas: skia.Canvas, ctx: SetContext, x: float, water_y: float, half: float,
          h: float) -> None:
    """A low rocky islet with a shrub, standing in the water."""
    rock = ctx.cover(ctx.lit(ctx.palette[2 % len(ctx.palette)]), 0.5)
    body = smooth_path([(x - half, water_y + 0.004), (x - half * 0.6, water_y - h * 0.8),
                        (x + half * 0.1, water_y - h), (x + half * 0.7, water_y - h * 0.7),
                        (x + half, water_y + 0.004)])
    body.close()
    canvas.save()
    canvas.translate(0.0, 2 * water_y)
    canvas.scale(1.0, -1.0)
    canvas.drawPath(body, fill(darken(rock, 0.4), 0.35))
    canvas.restore()
    canvas.drawPath(body, vertical(water_y - h, water_y, [lighten(rock, 0.1), darken(rock, 0.3)]))
    shrub = ctx.cover(ctx.lit((0.3, 0.48, 0.3)), 0.5)
    for dx, r in ((-0.25, 0.32), (0.15, 0.42)):
        canvas.drawCircle(x + dx * half, water_y - h * 0.9, half * r, fill(shrub))


def window_water(canvas: skia.Canvas, ctx: SetContext, rect: skia.Rect, left: float,
                 w: float) -> None:
    """A strip of lake across the bottom of a window's view, with a boat on it (placed in the
    part of the window from ``left``, ``w`` wide)."""
    h = rect.height()
    top = rect.bottom() - h * 0.24
    deep = ctx.lit(_WATER)
    canvas.drawRect(skia.Rect.MakeLTRB(rect.left(), top, rect.right(), rect.bottom()),
                    vertical(top, rect.bottom(), [mix(ctx.light.horizon, deep, 0.4), deep]))
    boat(canvas, ctx, left + w * 0.62, top + h * 0.1, w * 0.42, -1.0, ctx.light.lamps_on,
         reflection=False)
