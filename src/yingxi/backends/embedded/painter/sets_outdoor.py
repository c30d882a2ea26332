"""Open-air sets: mountains, shore, forest."""

from __future__ import annotations

import numpy as np
import skia

from yingxi.backends.embedded.painter.context import LayerSpec, SetContext
from yingxi.backends.embedded.painter.draw import (
    Point,
    fill,
    height_at,
    intersect,
    linear,
    polygon,
    ridge,
    smooth_path,
    stroke,
    vertical,
)
from yingxi.backends.embedded.painter.palette import RGB, darken, lighten, mix
from yingxi.backends.embedded.painter.props import bush, grass, pine, rock, round_tree
from yingxi.backends.embedded.painter.sky import SKY_DEPTH, mist_layer, sky_layer


def light_side(ctx: SetContext) -> float:
    """Which side things are lit from: towards the sun (-1 left, +1 right)."""
    return -1.0 if ctx.light.sun_x < 0.5 else 1.0


def ground_plane(canvas: skia.Canvas, ctx: SetContext, top: float, near: RGB, far: RGB,
                 name: str, wave: float = 0.012) -> skia.Path:
    """The ground the actors stand on: a gently uneven edge, lighter far, darker near."""
    rng = ctx.rng(name)
    xs = (-1.0, -0.3, 0.2, 0.55, 0.9, 1.4, 2.0)
    pts = [(x, top + float(rng.uniform(-wave, wave))) for x in xs]
    path = smooth_path(pts)
    path.lineTo(2.0, 4.0)
    path.lineTo(-1.0, 4.0)
    path.close()
    canvas.drawPath(path, vertical(top, ctx.ground + 0.35, [ctx.cover(far), ctx.cover(near)]))
    return path


def far_ridges(rng: np.random.Generator, hz: float
               ) -> tuple[tuple[skia.Path, list[Point]], tuple[skia.Path, list[Point]]]:
    """The two far ranges of the mountains: the tall hazy peaks, and the range before them."""
    back = ridge(rng, -0.8, 1.8, hz - 0.12, 0.55, hz + 3, steps=17, sharp=0.7)
    return back, ridge(rng, -0.8, 1.8, hz - 0.02, 0.34, hz + 3, steps=15, sharp=0.5)


def mountains(ctx: SetContext) -> list[LayerSpec]:
    """Layered ridges fading into the haze, mist between them, a meadow in front."""
    hz, light, side = ctx.horizon, ctx.light, light_side(ctx)
    c_far, c_mid, c_near, c_ground = (ctx.palette[i] for i in range(4))
    snow = ctx.lit((0.93, 0.95, 0.98)) if ctx.snowy else None

    def far(canvas: skia.Canvas) -> None:
        (path, _), (front_path, pts) = far_ridges(ctx.rng("far"), hz)
        canvas.drawPath(path, vertical(hz - 0.6, hz, [light.haze(c_far, 0.5),
                                                      light.haze(c_far, 0.78)]))
        path = front_path
        canvas.drawPath(path, vertical(hz - 0.36, hz + 0.05, [light.haze(c_far, 0.28),
                                                              light.haze(c_far, 0.62)]))
        if ctx.era == "ancient" and "pagoda" not in ctx.motifs:  # the motif paints a bigger one
            px = 0.18 if side > 0 else 0.8
            pagoda(canvas, px, height_at(pts, px) + 0.012, 0.1, light.haze(darken(c_far, 0.4), 0.4))

    def mid(canvas: skia.Canvas) -> None:
        rng = ctx.rng("mid")
        path, pts = ridge(rng, -0.8, 1.8, hz + 0.08, 0.26, hz + 3, steps=12, sharp=0.3)
        top = light.haze(c_mid, 0.22)
        canvas.drawPath(path, vertical(hz - 0.2, hz + 0.15, [ctx.cover(top, 0.5),
                                                             darken(top, 0.18)]))
        dark = light.haze(darken(c_mid, 0.35), 0.25)
        for i in range(26):
            x = -0.3 + i * 0.065 + float(rng.uniform(-0.02, 0.02))
            h = float(rng.uniform(0.05, 0.085))
            pine(canvas, x, height_at(pts, x) + 0.03, h, dark, darken(dark, 0.2),
                 snow or ctx.rime(dark))

    def near(canvas: skia.Canvas) -> None:
        rng = ctx.rng("near")
        path, pts = ridge(rng, -0.8, 1.8, hz + 0.22, 0.13, hz + 3, steps=10)
        col = light.haze(c_near, 0.08)
        canvas.drawPath(path, vertical(hz + 0.05, hz + 0.35, [ctx.cover(lighten(col, 0.08)),
                                                              ctx.cover(darken(col, 0.2))]))
        for i in range(9):
            x = -0.2 + i * 0.17 + float(rng.uniform(-0.05, 0.05))
            h = float(rng.uniform(0.13, 0.2))
            tone = darken(col, 0.35)
            pine(canvas, x, height_at(pts, x) + 0.04, h, tone, darken(tone, 0.25),
                 snow or ctx.rime(tone),
                 trunk=darken(tone, 0.4))

    def front(canvas: skia.Canvas) -> None:
        rng = ctx.rng("front")
        col = ctx.lit(c_ground)
        ground_plane(canvas, ctx, ctx.ground - 0.17, darken(col, 0.25), lighten(col, 0.05), "gp")
        trail = smooth_path([(0.62, ctx.ground - 0.17), (0.5, ctx.ground - 0.09),
                             (0.56, ctx.ground), (0.42, ctx.ground + 0.4)])
        canvas.drawPath(trail, stroke(ctx.cover(mix(col, (0.78, 0.68, 0.5), 0.55), 0.5), 0.05,
                                      0.55))
        for _ in range(14):
            x = float(rng.uniform(-0.2, 1.2))
            y = ctx.ground - 0.15 + float(rng.uniform(0.0, 0.5))
            grass(canvas, x, y, 0.03 + 0.03 * (y - ctx.ground + 0.15), ctx.cover(darken(col, 0.3)))
        for x in (-0.02, 1.02):
            rock(canvas, x + float(rng.uniform(-0.03, 0.03)), ctx.ground + 0.03, 0.16,
                 ctx.cover(ctx.lit((0.55, 0.55, 0.53)), 0.4), side)

    return [(SKY_DEPTH, sky_layer(ctx, clouds=3)), (0.22, far),
            (0.3, mist_layer(ctx, hz - 0.04, 0.07, 0.4)), (0.48, mid),
            (0.55, mist_layer(ctx, hz + 0.1, 0.05, 0.3)), (0.72, near), (1.0, front)]


def pagoda(canvas: skia.Canvas, x: float, base: float, h: float, color: RGB) -> None:
    """A small tiered pagoda silhouette standing on a far peak."""
    tiers = 5
    for i in range(tiers):
        w = h * (0.34 - i * 0.045)
        y0 = base - h * i / tiers * 0.85
        y1 = y0 - h * 0.17
        canvas.drawRect(skia.Rect.MakeLTRB(x - w * 0.55, y1, x + w * 0.55, y0), fill(color))
        canvas.drawPath(polygon([(x - w, y1 + h * 0.04), (x + w, y1 + h * 0.04),
                                 (x + w * 0.5, y1 - h * 0.03), (x - w * 0.5, y1 - h * 0.03)]),
                        fill(color))
    canvas.drawLine(x, base - h * 0.9, x, base - h * 1.08, stroke(color, h * 0.03))


def shore(ctx: SetContext) -> list[LayerSpec]:
    """Sea to the horizon with a glittering path under the sun, islands, a sandy beach."""
    hz, light, side = ctx.horizon - 0.03, ctx.light, light_side(ctx)
    c_sea, c_sand, c_rock, c_foam = (ctx.palette[i] for i in range(4))

    def far(canvas: skia.Canvas) -> None:
        rng = ctx.rng("islands")
        for x0, x1, amp in ((-0.5, 0.3, 0.07), (0.62, 1.5, 0.1)):
            path, _ = ridge(rng, x0, x1, hz + 0.004, amp, hz + 0.004, steps=8, sharp=0.2)
            canvas.drawPath(path, fill(light.haze(c_rock, 0.6)))
        if ctx.era == "ancient":
            junk(canvas, 0.32 if side > 0 else 0.7, hz + 0.01, 0.07, light.haze(darken(c_rock, 0.5),
                                                                              0.35))
        else:
            lx = 0.9 if side < 0 else 0.1
            canvas.drawPath(polygon([(lx - 0.012, hz - 0.01), (lx - 0.007, hz - 0.1),
                                     (lx + 0.007, hz - 0.1), (lx + 0.012, hz - 0.01)]),
                            fill(light.haze((0.93, 0.92, 0.9), 0.3)))
            canvas.drawRect(skia.Rect.MakeLTRB(lx - 0.008, hz - 0.118, lx + 0.008, hz - 0.1),
                            fill(light.sun if ctx.light.lamps_on else light.haze(c_rock, 0.4)))

    def sea(canvas: skia.Canvas) -> None:
        rng = ctx.rng("sea")
        top = mix(light.haze(c_sea, 0.0), light.horizon, 0.45)
        canvas.drawRect(skia.Rect.MakeLTRB(-3, hz, 4, hz + 3),
                        vertical(hz, ctx.ground + 0.1, [top, ctx.lit(c_sea),
                                                        darken(ctx.lit(c_sea), 0.3)],
                                 positions=[0.0, 0.35, 1.0]))
        glint = lighten(light.sun, 0.2)
        for i in range(46):
            d = (i / 46) ** 1.6
            y = hz + 0.006 + d * (ctx.ground - hz)
            w = 0.015 + 0.09 * d * float(rng.uniform(0.4, 1.0))
            x = light.sun_x + float(rng.normal(0.0, 0.02 + 0.08 * d))
            canvas.drawLine(x - w / 2, y, x + w / 2, y,
                            stroke(glint, 0.002 + 0.004 * d, 0.75 * (1.0 - d * 0.6)))
        for _ in range(40):
            d = float(rng.uniform(0.0, 1.0)) ** 1.5
            y = hz + 0.01 + d * (ctx.ground - hz)
            x = float(rng.uniform(-0.2, 1.2))
            w = 0.02 + 0.08 * d
            canvas.drawPath(smooth_path([(x - w, y), (x, y - 0.004 - 0.006 * d), (x + w, y)]),
                            stroke(lighten(ctx.lit(c_sea), 0.35), 0.0015 + 0.003 * d, 0.5))

    def beach(canvas: skia.Canvas) -> None:
        rng = ctx.rng("beach")
        top = ctx.ground - 0.15
        sand = ctx.lit(c_sand)
        wet = smooth_path([(-1.0, top - 0.01), (0.1, top + 0.012), (0.5, top - 0.012),
                           (0.9, top + 0.01), (2.0, top - 0.01)])
        foam_line = skia.Path(wet)
        wet.lineTo(2.0, 4.0)
        wet.lineTo(-1.0, 4.0)
        wet.close()
        canvas.drawPath(wet, fill(mix(darken(sand, 0.3), ctx.lit(c_sea), 0.25)))
        canvas.drawPath(foam_line, stroke(ctx.lit(c_foam), 0.012, 0.85))
        canvas.save()
        canvas.translate(0.0, 0.045)
        ground_plane(canvas, ctx, top, darken(sand, 0.12), lighten(sand, 0.06), "sand", 0.02)
        canvas.restore()
        for _ in range(18):
            x = float(rng.uniform(-0.2, 1.2))
            y = top + 0.07 + float(rng.uniform(0.0, 0.5))
            canvas.drawOval(skia.Rect.MakeLTRB(x - 0.006, y - 0.003, x + 0.006, y + 0.003),
                            fill(darken(sand, 0.25), 0.7))
        for x, w in ((-0.04, 0.2), (1.05, 0.24), (0.96, 0.1)):
            rock(canvas, x, ctx.ground + 0.06, w, ctx.lit(c_rock), side)

    return [(SKY_DEPTH, sky_layer(ctx, clouds=4)), (0.2, far), (0.4, sea),
            (0.45, mist_layer(ctx, hz, 0.05, 0.15)), (1.0, beach)]


def junk(canvas: skia.Canvas, x: float, waterline: float, h: float, color: RGB) -> None:
    """A Chinese junk under batten sails, far out at sea."""
    hull = smooth_path([(x - h * 0.6, waterline - h * 0.2), (x - h * 0.2, waterline),
                        (x + h * 0.4, waterline), (x + h * 0.7, waterline - h * 0.25)])
    hull.close()
    canvas.drawPath(hull, fill(color))
    for mx, sh in ((-0.12, 0.85), (0.22, 1.0)):
        sail = polygon([(x + mx * h, waterline - h * 0.22), (x + (mx + 0.3) * h,
                        waterline - h * 0.22), (x + (mx + 0.26) * h, waterline - h * sh),
                        (x + (mx - 0.02) * h, waterline - h * sh * 0.92)])
        canvas.drawPath(sail, fill(color, 0.9))


def forest(ctx: SetContext) -> list[LayerSpec]:
    """Layers of trees fading into the haze, shafts of light, a mossy floor."""
    hz, light, side = ctx.horizon, ctx.light, light_side(ctx)
    c_dark, c_mid, c_light, c_bark = (ctx.palette[i] for i in range(4))
    snow = ctx.lit((0.93, 0.95, 0.98)) if ctx.snowy else None

    def far(canvas: skia.Canvas) -> None:
        rng = ctx.rng("far")
        col = light.haze(c_dark, 0.55)
        canvas.drawRect(skia.Rect.MakeLTRB(-3, hz - 0.05, 4, hz + 3), fill(col))
        for i in range(40):
            x = -0.5 + i * 0.05 + float(rng.uniform(-0.015, 0.015))
            pine(canvas, x, hz, float(rng.uniform(0.22, 0.36)), col, darken(col, 0.08),
                 snow or ctx.rime(col))

    def mid(canvas: skia.Canvas) -> None:
        rng = ctx.rng("mid")
        col = light.haze(c_mid, 0.25)
        trunk = light.haze(c_bark, 0.3)
        base = hz + 0.08
        canvas.drawRect(skia.Rect.MakeLTRB(-3, base - 0.04, 4, hz + 3),
                        fill(ctx.cover(darken(col, 0.25))))
        for i in range(22):
            x = -0.4 + i * 0.085 + float(rng.uniform(-0.025, 0.025))
            h = float(rng.uniform(0.34, 0.5))
            if rng.uniform() < 0.55:
                pine(canvas, x, base, h, darken(col, 0.1), darken(col, 0.28),
                     snow or ctx.rime(col), trunk)
            else:
                round_tree(canvas, x, base, h, col, trunk, rng, side, snow or ctx.rime(col))

    def beams(canvas: skia.Canvas) -> None:
        rng = ctx.rng("beams")
        beam = lighten(light.sun_glow, 0.3)
        for i in range(5):
            x = 0.05 + i * 0.24 + float(rng.uniform(-0.06, 0.06))
            w = float(rng.uniform(0.03, 0.07))
            slant = -side * 0.35
            shape = polygon([(x, -0.2), (x + w, -0.2), (x + w * 2.2 + slant, ctx.ground),
                             (x + slant, ctx.ground)])
            canvas.drawPath(shape, vertical(-0.2, ctx.ground, [beam, beam], alphas=[0.2, 0.0]))

    def near(canvas: skia.Canvas) -> None:
        rng = ctx.rng("near")
        bark = ctx.lit(c_bark)
        leaf = ctx.lit(c_dark)
        base = ctx.ground - 0.12
        canvas.drawRect(skia.Rect.MakeLTRB(-3, base - 0.03, 4, hz + 3),
                        fill(ctx.cover(darken(ctx.lit(c_mid), 0.3))))
        for x in (-0.06, 0.2 + float(rng.uniform(-0.04, 0.04)), 0.82, 1.08):
            w = float(rng.uniform(0.045, 0.07))
            trunk = polygon([(x - w, base), (x - w * 0.7, -1.0), (x + w * 0.7, -1.0),
                             (x + w, base)])
            canvas.drawPath(trunk, linear((x - w, 0), (x + w, 0),
                                          [darken(bark, 0.35), bark, lighten(bark, 0.12)]
                                          if side > 0 else
                                          [lighten(bark, 0.12), bark, darken(bark, 0.35)]))
            bush(canvas, x + 0.05, base + 0.01, 0.08, ctx.cover(leaf, 0.4), side)
        canopy = skia.Path()
        lit = skia.Path()
        for i in range(16):
            cx = -0.3 + i * 0.1 + float(rng.uniform(-0.03, 0.03))
            cy = 0.05 + float(rng.uniform(-0.12, 0.12)) + 0.08 * abs(cx - 0.5)
            r = float(rng.uniform(0.09, 0.15))
            canopy.addCircle(cx, cy, r)
            lit.addCircle(cx - side * r * 0.25, cy - r * 0.3, r * 0.7)
        canvas.drawPath(canopy, fill(ctx.cover(darken(leaf, 0.25), 0.5)))
        canvas.drawPath(intersect(lit, canopy), fill(ctx.cover(leaf, 0.6)))

    def floor(canvas: skia.Canvas) -> None:
        rng = ctx.rng("floor")
        moss = ctx.lit(c_light)
        ground_plane(canvas, ctx, ctx.ground - 0.15, darken(moss, 0.45), darken(moss, 0.1), "fl")
        path = smooth_path([(0.44, ctx.ground - 0.15), (0.56, ctx.ground - 0.05),
                            (0.46, ctx.ground + 0.1), (0.58, ctx.ground + 0.4)])
        canvas.drawPath(path, stroke(ctx.cover(mix(moss, ctx.lit(c_bark), 0.6), 0.5), 0.07, 0.5))
        for _ in range(22):
            x = float(rng.uniform(-0.2, 1.2))
            y = ctx.ground - 0.13 + float(rng.uniform(0.0, 0.5))
            grass(canvas, x, y, 0.03 + 0.05 * (y - ctx.ground + 0.13),
                  ctx.cover(darken(moss, 0.35 + float(rng.uniform(0, 0.2)))))
        for _ in range(10):
            x = float(rng.uniform(-0.1, 1.1))
            y = ctx.ground - 0.1 + float(rng.uniform(0.0, 0.4))
            canvas.drawCircle(x, y, 0.006, fill(ctx.lit((0.97, 0.9, 0.6)), 0.9))

    layers: list[LayerSpec] = [(SKY_DEPTH, sky_layer(ctx, clouds=2)), (0.25, far),
                               (0.3, mist_layer(ctx, hz - 0.02, 0.08, 0.35)), (0.5, mid)]
    if ctx.light.weather == "clear" and not ctx.light.moon:
        layers.append((0.55, beams))
    layers += [(0.62, mist_layer(ctx, hz + 0.05, 0.05, 0.2)), (0.78, near), (1.0, floor)]
    return layers
