"""Foreground motifs: a flowering plum branch, wine and cups, lanterns."""

from __future__ import annotations

import math

import numpy as np
import skia

from yingxi.backends.embedded.painter.context import SetContext
from yingxi.backends.embedded.painter.draw import fill, linear, polygon, radial, rounded, stroke
from yingxi.backends.embedded.painter.motifs_base import MotifLayer, Plan
from yingxi.backends.embedded.painter.palette import RGB, darken, lighten, mix

_BARK = (0.22, 0.15, 0.13)


# --- lanterns ------------------------------------------------------------------------------


def lantern_tassel(canvas: skia.Canvas, x: float, y: float, size: float, red: RGB,
                   lit: bool) -> None:
    """A round red silk lantern with ribs, gilded caps and a tassel; glowing when ``lit``."""
    if lit:
        canvas.drawCircle(x, y, size * 3.6, radial((x, y), size * 3.6, [(1.0, 0.72, 0.38)] * 2,
                                                   alphas=[0.5, 0.0]))
    body = skia.Rect.MakeLTRB(x - size * 0.95, y - size, x + size * 0.95, y + size)
    hot = lighten(mix(red, (1.0, 0.7, 0.3), 0.35), 0.3) if lit else lighten(red, 0.15)
    canvas.drawOval(body, radial((x - size * 0.25, y - size * 0.2), size * 1.3,
                                 [hot, red, darken(red, 0.35)], positions=[0.0, 0.6, 1.0]))
    rib = stroke(darken(red, 0.4), size * 0.05, 0.6)
    for k in (-0.55, 0.0, 0.55):
        rib_oval = skia.Rect.MakeLTRB(x - size * 0.95 * abs(k) - size * 0.04, y - size,
                                      x + size * 0.95 * abs(k) + size * 0.04, y + size)
        if k == 0.0:
            canvas.drawLine(x, y - size, x, y + size, rib)
        else:
            canvas.drawOval(rib_oval, rib)
    gold = (0.85, 0.62, 0.22)
    for cy in (y - size * 1.02, y + size * 1.02):
        canvas.drawRRect(rounded(x - size * 0.42, cy - size * 0.13, x + size * 0.42,
                                 cy + size * 0.13, size * 0.05), fill(darken(gold, 0.2)))
    canvas.drawLine(x, y + size * 1.1, x, y + size * 1.35, stroke(gold, size * 0.1))
    tassel = polygon([(x - size * 0.12, y + size * 1.35), (x + size * 0.12, y + size * 1.35),
                      (x + size * 0.2, y + size * 1.95), (x - size * 0.2, y + size * 1.95)])
    canvas.drawPath(tassel, fill(red))


# --- plum ----------------------------------------------------------------------------------


def blossom(canvas: skia.Canvas, x: float, y: float, r: float, petal: RGB, heart: RGB,
            turn: float) -> None:
    """A five-petalled plum flower, ``r`` its radius."""
    path = skia.Path()
    for k in range(5):
        a = turn + k * 2 * math.pi / 5
        path.addCircle(x + math.cos(a) * r * 0.52, y + math.sin(a) * r * 0.52, r * 0.5)
    canvas.drawPath(path, fill(petal))
    canvas.drawPath(path, stroke(darken(petal, 0.18), r * 0.06, 0.7))
    canvas.drawCircle(x, y, r * 0.22, fill(heart))
    for k in range(7):
        a = turn + k * 2 * math.pi / 7
        sx, sy = x + math.cos(a) * r * 0.42, y + math.sin(a) * r * 0.42
        canvas.drawLine(x, y, sx, sy, stroke(heart, r * 0.04))
        canvas.drawCircle(sx, sy, r * 0.06, fill((0.95, 0.8, 0.3)))


Box = tuple[float, float, float, float]  # left, top, right, bottom (world units)


def plum_branch(canvas: skia.Canvas, ctx: SetContext, start: tuple[float, float], angle: float,
                length: float, width: float, rng: np.random.Generator, box: Box,
                depth: int = 0, flowers: list[tuple[float, float, float]] | None = None) -> None:
    """An angular plum branch (it grows in zigzags with straight spurs) that stays in ``box``.

    Blossoms are collected in ``flowers`` (x, y, size factor) for the caller to draw last.
    """
    bark = ctx.cover(ctx.lit(_BARK), 0.5)
    x, y = start
    segments = 4 if depth == 0 else 3
    step = length / segments
    flowers = flowers if flowers is not None else []
    left, top, right, bottom = box
    for k in range(segments):
        angle += float(rng.uniform(-0.45, 0.45))
        nx, ny = x + math.cos(angle) * step, y + math.sin(angle) * step
        if not (left <= nx <= right and top <= ny <= bottom):
            # turn back into the box (the branch grows along its edge)
            nx, ny = min(right, max(left, nx)), min(bottom, max(top, ny))
            angle = math.atan2(ny - y, nx - x)
        w = width * (1.0 - 0.7 * (k + 1) / segments)
        canvas.drawLine(x, y, nx, ny, stroke(bark, max(w, width * 0.25)))
        if depth < 2 and rng.uniform() < 0.7:
            twig_angle = angle + float(rng.choice([-1.0, 1.0])) * float(rng.uniform(0.5, 1.0))
            plum_branch(canvas, ctx, (nx, ny), twig_angle, length * 0.45, w * 0.6, rng, box,
                        depth + 1, flowers)
        for _ in range(int(rng.integers(0, 3))):
            t = float(rng.uniform(0.2, 0.9))
            flowers.append((x + (nx - x) * t + float(rng.normal(0, step * 0.06)),
                            y + (ny - y) * t + float(rng.normal(0, step * 0.06)),
                            float(rng.uniform(0.7, 1.1))))
        x, y = nx, ny
    flowers.append((x, y, 1.0))


def plum_spray(canvas: skia.Canvas, ctx: SetContext, start: tuple[float, float], angle: float,
               length: float, width: float, size: float, rng: np.random.Generator,
               box: Box) -> None:
    """A branch with its blossoms and buds (pink, or red plum in the snow), inside ``box``."""
    flowers: list[tuple[float, float, float]] = []
    plum_branch(canvas, ctx, start, angle, length, width, rng, box, 0, flowers)
    petal = ctx.lit((0.9, 0.2, 0.32) if ctx.snowy else (0.98, 0.62, 0.72))
    if ctx.light.moon:
        petal = lighten(petal, 0.25)
    heart = ctx.lit((0.75, 0.15, 0.25))
    for fx, fy, k in flowers:
        if rng.uniform() < 0.25:
            canvas.drawCircle(fx, fy, size * 0.35 * k, fill(darken(heart, 0.1)))
        else:
            blossom(canvas, fx, fy, size * k, petal, heart, float(rng.uniform(0, math.pi)))


def plum_layers(ctx: SetContext, plan: Plan) -> list[MotifLayer]:
    """A branch reaching in from a top corner (outdoors); a branch in a vase (indoors)."""
    side = plan.side("plum")
    if plan.indoors:
        foot = ctx.ground - 0.2
        x = 0.5 + side * 0.4

        def vase(canvas: skia.Canvas) -> None:
            plum_vase(canvas, ctx, x, foot + 0.08, 0.22, -side)
        return [MotifLayer(0.88, vase)]
    corner = (0.5 + side * 0.56, -0.02)
    # it frames every shot from its corner (a front layer), so it must keep above the top of
    # a close-up's head (a third of the frame down) and off the middle
    reach = 0.2 * ctx.aspect
    box = (-0.1, -0.1, 0.5, reach) if side < 0 else (0.5, -0.1, 1.1, reach)

    def branch(canvas: skia.Canvas) -> None:
        rng = ctx.rng("plum")
        down = math.pi / 2
        plum_spray(canvas, ctx, corner, down + side * 1.15, 0.62, 0.04, 0.024, rng, box)
        plum_spray(canvas, ctx, (corner[0], corner[1] + 0.14), down + side * 1.35, 0.36, 0.024,
                   0.021, rng, box)
    return [MotifLayer(0.0, branch, front=True)]


def plum_vase(canvas: skia.Canvas, ctx: SetContext, x: float, base: float, h: float,
              lean: float) -> None:
    """A celadon meiping vase on a stand, holding flowering plum branches."""
    rng = ctx.rng("plum-vase")
    neck = base - h
    lo, hi = sorted((x + lean * h * 0.9, x - lean * h * 0.9))
    box = (lo, base - h * 3.2, hi, base - h * 0.8)  # clear of the actors' heads beside it
    for angle, length in ((-math.pi / 2 + lean * 0.25, h * 1.8), (-math.pi / 2 + lean * 0.7,
                                                                   h * 1.2),
                          (-math.pi / 2 - lean * 0.35, h * 1.2)):
        plum_spray(canvas, ctx, (x, neck + h * 0.05), angle, length, h * 0.07, h * 0.075, rng,
                   box)
    glaze = ctx.lit((0.55, 0.72, 0.66))
    body = skia.Path()
    body.moveTo(x - h * 0.08, neck)
    body.cubicTo(x - h * 0.42, neck + h * 0.1, x - h * 0.34, base - h * 0.3, x - h * 0.18, base)
    body.lineTo(x + h * 0.18, base)
    body.cubicTo(x + h * 0.34, base - h * 0.3, x + h * 0.42, neck + h * 0.1, x + h * 0.08, neck)
    body.close()
    canvas.drawPath(body, linear((x - h * 0.35, 0.0), (x + h * 0.35, 0.0),
                                 [darken(glaze, 0.25), lighten(glaze, 0.25), glaze,
                                  darken(glaze, 0.35)], positions=[0.0, 0.35, 0.6, 1.0]))
    canvas.drawRect(skia.Rect.MakeLTRB(x - h * 0.09, neck - h * 0.04, x + h * 0.09,
                                       neck + h * 0.01),
                    fill(darken(glaze, 0.15)))
    wood = ctx.lit((0.3, 0.17, 0.12))
    canvas.drawRRect(rounded(x - h * 0.3, base, x + h * 0.3, base + h * 0.07, h * 0.02),
                     fill(wood))
    for lx in (-0.24, 0.24):
        canvas.drawRect(skia.Rect.MakeLTRB(x + lx * h - h * 0.03, base + h * 0.07,
                                           x + lx * h + h * 0.03, base + h * 0.2), fill(wood))


# --- wine ----------------------------------------------------------------------------------


def wine_jar(canvas: skia.Canvas, ctx: SetContext, x: float, base: float, h: float) -> None:
    """A pot-bellied brown-glazed wine jar, its mouth tied with red cloth, a red label."""
    glaze = ctx.lit((0.45, 0.27, 0.15))
    body = skia.Path()
    body.moveTo(x - h * 0.2, base - h * 0.78)
    body.cubicTo(x - h * 0.62, base - h * 0.7, x - h * 0.5, base - h * 0.05, x - h * 0.26, base)
    body.lineTo(x + h * 0.26, base)
    body.cubicTo(x + h * 0.5, base - h * 0.05, x + h * 0.62, base - h * 0.7, x + h * 0.2,
                 base - h * 0.78)
    body.close()
    canvas.drawPath(body, radial((x - h * 0.15, base - h * 0.5), h * 0.6,
                                 [lighten(glaze, 0.35), glaze, darken(glaze, 0.45)],
                                 positions=[0.0, 0.45, 1.0]))
    cloth = ctx.lit((0.78, 0.16, 0.12))
    cap = skia.Path()
    cap.moveTo(x - h * 0.26, base - h * 0.76)
    cap.quadTo(x - h * 0.2, base - h * 1.02, x, base - h * 1.02)
    cap.quadTo(x + h * 0.2, base - h * 1.02, x + h * 0.26, base - h * 0.76)
    cap.quadTo(x + h * 0.12, base - h * 0.66, x + h * 0.04, base - h * 0.72)
    cap.quadTo(x - h * 0.1, base - h * 0.64, x - h * 0.26, base - h * 0.76)
    cap.close()
    canvas.drawPath(cap, fill(cloth))
    canvas.drawLine(x - h * 0.2, base - h * 0.8, x + h * 0.2, base - h * 0.8,
                    stroke(darken(cloth, 0.4), h * 0.03))
    label = ctx.lit((0.86, 0.22, 0.16))
    cy = base - h * 0.42
    canvas.drawPath(polygon([(x, cy - h * 0.17), (x + h * 0.15, cy), (x, cy + h * 0.17),
                             (x - h * 0.15, cy)]), fill(label))
    ink = stroke(ctx.lit((0.1, 0.08, 0.08)), h * 0.025)
    for x0, y0, x1, y1 in ((-0.07, -0.06, -0.03, -0.02), (-0.08, 0.0, -0.04, 0.02),
                           (-0.07, 0.08, -0.03, 0.04), (-0.01, -0.07, 0.08, -0.07),
                           (0.0, -0.07, 0.0, 0.08), (0.06, -0.07, 0.06, 0.08),
                           (0.0, 0.02, 0.06, 0.02), (0.0, 0.08, 0.06, 0.08)):
        canvas.drawLine(x + x0 * h, cy + y0 * h, x + x1 * h, cy + y1 * h, ink)


def cup(canvas: skia.Canvas, x: float, base: float, r: float, color: RGB, wine: RGB) -> None:
    """A small shallow wine cup with wine in it."""
    bowl = skia.Path()
    bowl.moveTo(x - r, base - r * 0.75)
    bowl.quadTo(x - r * 0.8, base - r * 0.05, x - r * 0.3, base - r * 0.1)
    bowl.lineTo(x + r * 0.3, base - r * 0.1)
    bowl.quadTo(x + r * 0.8, base - r * 0.05, x + r, base - r * 0.75)
    bowl.close()
    canvas.drawRect(skia.Rect.MakeLTRB(x - r * 0.3, base - r * 0.15, x + r * 0.3, base),
                    fill(darken(color, 0.15)))
    canvas.drawPath(bowl, fill(color))
    canvas.drawOval(skia.Rect.MakeLTRB(x - r, base - r * 0.9, x + r, base - r * 0.6), fill(wine))
    canvas.drawOval(skia.Rect.MakeLTRB(x - r, base - r * 0.9, x + r, base - r * 0.6),
                    stroke(lighten(color, 0.2), r * 0.08))


def ewer(canvas: skia.Canvas, x: float, base: float, h: float, color: RGB, facing: float) -> None:
    """A small wine ewer with a spout and a handle."""
    body = skia.Path()
    body.moveTo(x - h * 0.08, base - h * 0.85)
    body.cubicTo(x - h * 0.45, base - h * 0.55, x - h * 0.35, base, x, base)
    body.cubicTo(x + h * 0.35, base, x + h * 0.45, base - h * 0.55, x + h * 0.08, base - h * 0.85)
    body.close()
    canvas.drawLine(x + facing * h * 0.2, base - h * 0.45, x + facing * h * 0.5, base - h * 0.8,
                    stroke(color, h * 0.07))
    handle = skia.Path()
    handle.moveTo(x - facing * h * 0.12, base - h * 0.75)
    handle.quadTo(x - facing * h * 0.55, base - h * 0.7, x - facing * h * 0.3, base - h * 0.25)
    canvas.drawPath(handle, stroke(darken(color, 0.2), h * 0.06))
    canvas.drawPath(body, linear((x - h * 0.35, 0.0), (x + h * 0.35, 0.0),
                                 [lighten(color, 0.2), color, darken(color, 0.3)]))
    canvas.drawRect(skia.Rect.MakeLTRB(x - h * 0.1, base - h * 0.95, x + h * 0.1, base - h * 0.83),
                    fill(darken(color, 0.2)))


def bottle_and_glasses(canvas: skia.Canvas, ctx: SetContext, x: float, base: float,
                       h: float) -> None:
    """The modern version: a wine bottle and two stemmed glasses."""
    glass_c = ctx.lit((0.18, 0.3, 0.2))
    bottle = skia.Path()
    bottle.addRRect(rounded(x - h * 0.13, base - h * 0.62, x + h * 0.13, base, h * 0.04))
    bottle.addRect(skia.Rect.MakeLTRB(x - h * 0.045, base - h * 0.95, x + h * 0.045,
                                      base - h * 0.6))
    canvas.drawPath(bottle, linear((x - h * 0.13, 0.0), (x + h * 0.13, 0.0),
                                   [lighten(glass_c, 0.2), glass_c, darken(glass_c, 0.4)]))
    canvas.drawRect(skia.Rect.MakeLTRB(x - h * 0.13, base - h * 0.42, x + h * 0.13, base - h * 0.2),
                    fill(ctx.lit((0.92, 0.88, 0.78))))
    red = ctx.lit((0.55, 0.08, 0.14))
    clear = ctx.lit((0.9, 0.93, 0.95))
    for gx in (x + h * 0.35, x + h * 0.62):
        canvas.drawLine(gx, base, gx, base - h * 0.22, stroke(clear, h * 0.02, 0.8))
        canvas.drawLine(gx - h * 0.08, base, gx + h * 0.08, base, stroke(clear, h * 0.02, 0.8))
        bowl = skia.Path()
        bowl.moveTo(gx - h * 0.11, base - h * 0.5)
        bowl.quadTo(gx - h * 0.11, base - h * 0.2, gx, base - h * 0.22)
        bowl.quadTo(gx + h * 0.11, base - h * 0.2, gx + h * 0.11, base - h * 0.5)
        bowl.close()
        canvas.drawPath(bowl, fill(clear, 0.35))
        canvas.save()
        canvas.clipPath(bowl, doAntiAlias=True)
        canvas.drawRect(skia.Rect.MakeLTRB(gx - h * 0.2, base - h * 0.34, gx + h * 0.2, base),
                        fill(red))
        canvas.restore()


def wine_set(canvas: skia.Canvas, ctx: SetContext, x: float, top: float, h: float,
             side: float) -> None:
    """Jar, ewer and cups (or a bottle and glasses) standing on a surface at world ``top``."""
    if ctx.era == "modern":
        bottle_and_glasses(canvas, ctx, x - side * h * 0.1, top, h)
        return
    wine_jar(canvas, ctx, x + side * h * 0.25, top, h)
    porcelain = ctx.lit((0.92, 0.92, 0.88))
    wine = ctx.lit((0.55, 0.3, 0.12))
    ewer(canvas, x - side * h * 0.35, top, h * 0.5, ctx.lit((0.55, 0.68, 0.62)), -side)
    cup(canvas, x - side * h * 0.7, top + h * 0.06, h * 0.1, porcelain, wine)
    cup(canvas, x - side * h * 0.95, top + h * 0.02, h * 0.1, porcelain, wine)


def wine_layers(ctx: SetContext, plan: Plan) -> list[MotifLayer]:
    """Wine on a low table (indoors) or a straw mat (outdoors) in a front corner."""
    side = plan.side("wine")
    x = 0.5 + side * 0.36
    ground = ctx.ground
    top = ground + 0.1

    def draw(canvas: skia.Canvas) -> None:
        if plan.indoors:
            wood = ctx.lit((0.36, 0.2, 0.13))
            canvas.drawRRect(rounded(x - 0.17, top - 0.006, x + 0.2, top + 0.022, 0.006),
                             fill(wood))
            canvas.drawRect(skia.Rect.MakeLTRB(x - 0.16, top + 0.02, x + 0.19, top + 0.03),
                            fill(darken(wood, 0.3)))
            for lx in (x - 0.14, x + 0.17):
                canvas.drawRect(skia.Rect.MakeLTRB(lx - 0.012, top + 0.02, lx + 0.012, top + 0.09),
                                fill(darken(wood, 0.2)))
        else:
            mat = ctx.cover(ctx.lit((0.78, 0.66, 0.42)), 0.5)
            path = polygon([(x - 0.19, top - 0.02), (x + 0.21, top - 0.02), (x + 0.25, top + 0.05),
                            (x - 0.23, top + 0.05)])
            canvas.drawPath(path, fill(mat))
            weave = stroke(darken(mat, 0.2), 0.002, 0.7)
            for k in range(1, 16):
                t = k / 16
                canvas.drawLine(x - 0.19 + 0.4 * t, top - 0.02, x - 0.23 + 0.48 * t, top + 0.05,
                                weave)
            top_y = top + 0.005
            wine_set(canvas, ctx, x, top_y, 0.15, side)
            return
        wine_set(canvas, ctx, x, top - 0.006, 0.15, side)
    return [MotifLayer(1.0, draw)]
