"""Motif plants: a weeping willow and bamboo (a grove behind the actors, stalks at the edge)."""

from __future__ import annotations

import math

import numpy as np
import skia

from yingxi.backends.embedded.painter.context import SetContext
from yingxi.backends.embedded.painter.draw import fill, stroke
from yingxi.backends.embedded.painter.motifs_base import MotifLayer, Plan
from yingxi.backends.embedded.painter.palette import RGB, darken, lighten

# --- willow --------------------------------------------------------------------------------


# Where the actors stand in a wide shot (world x): willow strands end above their heads.
_ACTORS = (0.27, 0.73)


def _limb(fork: tuple[float, float], end: tuple[float, float], rise: float, t: float
          ) -> tuple[float, float]:
    """A point ``t`` along a limb that rises from ``fork`` and arches over to ``end``."""
    cx, cy = (fork[0] + end[0]) / 2, min(fork[1], end[1]) - rise
    u = 1 - t
    return (u * u * fork[0] + 2 * u * t * cx + t * t * end[0],
            u * u * fork[1] + 2 * u * t * cy + t * t * end[1])


def willow(canvas: skia.Canvas, ctx: SetContext, x: float, base: float, h: float, lean: float,
           rng: np.random.Generator, haze: float = 0.0, clear: bool = True) -> None:
    """A weeping willow: a gnarled leaning trunk, limbs arching over like a fountain, and
    from them curtains of long leafy strands.

    ``lean`` is the side the crown leans to (towards the frame's middle). With ``clear`` no
    strand hangs down into the actors' heads (they end above the heads in the middle).
    """
    light = ctx.light
    bark = ctx.cover(light.haze((0.28, 0.22, 0.17), haze), 0.3)
    leaf = ctx.cover(light.haze((0.56, 0.7, 0.34), haze), 0.35)
    dark = ctx.cover(light.haze((0.29, 0.45, 0.23), haze), 0.3)
    fork = (x + lean * h * 0.06, base - h * 0.42)
    trunk = skia.Path()
    trunk.moveTo(x - h * 0.055, base)
    trunk.cubicTo(x - h * 0.01, base - h * 0.12, x - h * 0.06 + lean * h * 0.05, base - h * 0.3,
                  fork[0] - h * 0.03, fork[1])
    trunk.lineTo(fork[0] + h * 0.03, fork[1])
    trunk.cubicTo(x + h * 0.05 + lean * h * 0.04, base - h * 0.3, x + h * 0.01, base - h * 0.12,
                  x + h * 0.06, base)
    trunk.close()
    canvas.drawPath(trunk, fill(bark))
    canvas.drawLine(x - h * 0.01, base - h * 0.05, fork[0] - h * 0.005, fork[1] + h * 0.05,
                    stroke(darken(bark, 0.4), h * 0.008, 0.7))
    limbs = []
    for k in range(6):
        reach = (-0.25 + k * 0.11 + float(rng.uniform(-0.03, 0.03))) * h
        end = (fork[0] + lean * (reach + h * 0.12), base - h * float(rng.uniform(0.6, 0.74)))
        limbs.append((end, h * float(rng.uniform(0.2, 0.3))))
    branch = skia.Path()
    for end, rise in limbs:
        pts = [_limb(fork, end, rise, t / 8) for t in range(9)]
        branch.moveTo(*pts[0])
        for p in pts[1:]:
            branch.lineTo(*p)
    canvas.drawPath(branch, stroke(bark, h * 0.01))
    lo, hi = _ACTORS
    head_y = ctx.ground - 0.66
    strands: list[tuple[float, float, float, float]] = []
    for end, rise in limbs:
        for _ in range(44):
            t = float(rng.uniform(0.08, 1.0))
            ax, ay = _limb(fork, end, rise, t)
            length = h * (0.12 + 0.55 * t) * float(rng.uniform(0.45, 1.1))
            ex = ax + lean * h * 0.02 * t + float(rng.normal(0.0, 0.008)) * h
            ey = ay + length
            if clear and lo < ex < hi and ey > head_y:
                ey = max(ay + h * 0.04, head_y - float(rng.uniform(0.0, 0.1)))
            strands.append((ax, ay, ex, ey))
    # plain strokes for the mass of the strands, short dashes (leaves) only on the highlights:
    # a dashed stroke is re-dashed at every playback, and the willow is replayed per frame in
    # shots whose camera pushes in
    for tone, width, alpha, share, leafy in ((dark, 0.0062, 0.95, 1.0, False),
                                             (leaf, 0.0042, 0.95, 0.6, False),
                                             (lighten(leaf, 0.3), 0.0032, 0.9, 0.22, True)):
        path = skia.Path()
        for i, (ax, ay, ex, ey) in enumerate(strands):
            if (i * 0.618) % 1.0 > share:
                continue
            path.moveTo(ax, ay)
            path.quadTo(ax + (ex - ax) * 0.15, ay + (ey - ay) * 0.5, ex, ey)
        paint = stroke(tone, width * h, alpha)
        if leafy:
            paint.setPathEffect(skia.DashPathEffect.Make([width * h * 2.4, width * h * 1.4],
                                                         float(rng.uniform(0, width * h))))
        canvas.drawPath(path, paint)


def willow_layers(ctx: SetContext, plan: Plan) -> list[MotifLayer]:
    """A big weeping willow at one edge, smaller ones on a canal's far bank (windows: see
    motifs)."""
    if plan.indoors:
        return []
    side = plan.side("willow")
    x = 0.5 + side * 0.46
    base = ctx.ground - 0.09
    water = plan.water

    def near(canvas: skia.Canvas) -> None:
        willow(canvas, ctx, x, base, 1.08, -side, ctx.rng("willow"))

    layers = [MotifLayer(1.0, near)]
    if water is not None and water.made:
        def far(canvas: skia.Canvas) -> None:
            for k, dx in enumerate((0.12, 0.3)):
                willow(canvas, ctx, 0.5 - side * dx, water.top, 0.3 - 0.05 * k, side,
                       ctx.rng(f"willow-far{k}"), haze=0.3, clear=False)
        layers.append(MotifLayer(water.depth + 0.005, far))
    return layers


def window_willow(canvas: skia.Canvas, ctx: SetContext, rect: skia.Rect) -> None:
    """Willow strands hanging into the top of a window's view."""
    rng = ctx.rng("willow-window")
    w, h = rect.width(), rect.height()
    leaf = ctx.lit((0.5, 0.68, 0.28))
    for tone, count in ((darken(leaf, 0.3), 14), (leaf, 16)):
        path = skia.Path()
        for _ in range(count):
            x = rect.left() + w * float(rng.uniform(-0.05, 0.55))
            length = h * float(rng.uniform(0.35, 0.85))
            path.moveTo(x, rect.top() - 0.01)
            path.quadTo(x + w * 0.04, rect.top() + length * 0.4, x + w * 0.02,
                        rect.top() + length)
        paint = stroke(tone, w * 0.018)
        paint.setPathEffect(skia.DashPathEffect.Make([w * 0.03, w * 0.012], 0.0))
        canvas.drawPath(path, paint)


# --- bamboo --------------------------------------------------------------------------------

_CULM = (0.48, 0.64, 0.3)
_LEAF = (0.26, 0.47, 0.22)


def bamboo_stalk(canvas: skia.Canvas, x: float, base: float, top: float, width: float,
                 bend: float, color: RGB, node: float) -> list[tuple[float, float]]:
    """A segmented culm from ``base`` up to ``top``; returns its node points (bottom up)."""
    path = skia.Path()
    path.moveTo(x, base)
    path.quadTo(x + bend * 0.5, (base + top) / 2, x + bend, top)
    paint = stroke(color, width)
    paint.setStrokeCap(skia.Paint.kButt_Cap)
    canvas.drawPath(path, paint)
    shine = stroke(lighten(color, 0.25), width * 0.25, 0.75)
    shine.setStrokeCap(skia.Paint.kButt_Cap)
    canvas.save()
    canvas.translate(-width * 0.2, 0.0)
    canvas.drawPath(path, shine)
    canvas.restore()
    nodes = []
    count = max(3, int((base - top) / node))
    ring = stroke(darken(color, 0.5), width * 0.2)
    ring.setStrokeCap(skia.Paint.kButt_Cap)
    pale = stroke(lighten(color, 0.35), width * 0.12)
    pale.setStrokeCap(skia.Paint.kButt_Cap)
    for k in range(1, count + 1):
        t = k / (count + 0.4)
        nx, ny = x + bend * t, base + (top - base) * t
        canvas.drawLine(nx - width * 0.56, ny, nx + width * 0.56, ny, ring)
        canvas.drawLine(nx - width * 0.5, ny + width * 0.22, nx + width * 0.5, ny + width * 0.22,
                        pale)
        nodes.append((nx, ny))
    return nodes


def leaf_spray(canvas: skia.Canvas, x: float, y: float, size: float, direction: float,
               color: RGB, rng: np.random.Generator, alpha: float = 1.0) -> None:
    """A spray of narrow bamboo leaves drooping from a node, fanned towards ``direction``."""
    count = int(rng.integers(3, 6))
    twig_end = (x + direction * size * 0.25, y + size * 0.05)
    canvas.drawLine(x, y, *twig_end, stroke(darken(color, 0.2), size * 0.025, alpha))
    for k in range(count):
        ang = math.radians(float(rng.uniform(5, 55)) + k * 9.0)
        length = size * float(rng.uniform(0.7, 1.05))
        ox, oy = twig_end if k % 2 else (x + direction * size * 0.1, y + size * 0.02)
        tx = ox + direction * math.cos(ang) * length
        ty = oy + math.sin(ang) * length * 0.85
        nx, ny = -(ty - oy), (tx - ox)
        norm = math.hypot(nx, ny) or 1.0
        wx, wy = nx / norm * length * 0.11, ny / norm * length * 0.11
        leaf = skia.Path()
        leaf.moveTo(ox, oy)
        leaf.cubicTo(ox + (tx - ox) * 0.3 + wx, oy + (ty - oy) * 0.3 + wy,
                     ox + (tx - ox) * 0.7 + wx * 0.6, oy + (ty - oy) * 0.7 + wy * 0.6, tx, ty)
        leaf.cubicTo(ox + (tx - ox) * 0.7 - wx * 0.3, oy + (ty - oy) * 0.7 - wy * 0.3,
                     ox + (tx - ox) * 0.3 - wx * 0.4, oy + (ty - oy) * 0.3 - wy * 0.4, ox, oy)
        leaf.close()
        canvas.drawPath(leaf, fill(darken(color, float(rng.uniform(0.0, 0.3))), alpha))


def bamboo_grove(canvas: skia.Canvas, ctx: SetContext, x0: float, x1: float, base: float,
                 haze: float, rng: np.random.Generator) -> None:
    """A stand of slender culms with leafy crowns between world x ``x0`` and ``x1``."""
    light = ctx.light
    culm = ctx.cover(light.haze(_CULM, haze), 0.3)
    leaf = ctx.cover(light.haze(_LEAF, haze), 0.4)
    count = int((x1 - x0) / 0.022)
    stalks = []
    for k in range(count):
        x = x0 + (k + float(rng.uniform(0.0, 0.8))) * (x1 - x0) / count
        top = base - float(rng.uniform(0.55, 0.95))
        stalks.append((x, top, float(rng.uniform(-0.03, 0.03))))
    for x, top, bend in stalks:  # leaves behind the culms first
        for t in np.linspace(0.05, 0.6, 4):
            leaf_spray(canvas, x + bend * (1 - t), top + (base - top) * t, 0.06,
                       1.0 if rng.uniform() < 0.5 else -1.0, darken(leaf, 0.2), rng)
    for x, top, bend in stalks:
        bamboo_stalk(canvas, x, base + 0.02, top, float(rng.uniform(0.006, 0.01)), bend,
                     darken(culm, float(rng.uniform(0.0, 0.2))), 0.06)
    for x, top, bend in stalks[::2]:
        for t in np.linspace(0.1, 0.5, 3):
            leaf_spray(canvas, x + bend * (1 - t), top + (base - top) * t, 0.055,
                       1.0 if rng.uniform() < 0.5 else -1.0, leaf, rng)


def bamboo_near(canvas: skia.Canvas, ctx: SetContext, x: float, base: float, top: float,
                side: float, rng: np.random.Generator, scale: float = 1.0) -> None:
    """Three or four thick culms at a frame edge, leaves reaching into the frame."""
    culm = ctx.cover(ctx.lit(_CULM), 0.3)
    leaf = ctx.cover(ctx.lit(_LEAF), 0.4)
    for k in range(4):
        sx = x + side * (k * 0.05 - 0.05) * scale + float(rng.uniform(-0.01, 0.01)) * scale
        width = float(rng.uniform(0.028, 0.036)) * (1.0 - 0.15 * k) * scale
        nodes = bamboo_stalk(canvas, sx, base + 0.012 * k * scale, top, width,
                             -side * float(rng.uniform(0.02, 0.07)) * scale,
                             darken(culm, 0.08 * k), 0.12 * scale)
        for nx, ny in nodes[1:]:
            if ny > base - (base - top) * 0.3 or rng.uniform() < 0.2:
                continue
            leaf_spray(canvas, nx, ny, 0.12 * scale, -side, leaf, rng)
            if rng.uniform() < 0.4:
                leaf_spray(canvas, nx, ny, 0.09 * scale, side, darken(leaf, 0.15), rng)


def bamboo_planter(canvas: skia.Canvas, ctx: SetContext, x: float, base: float,
                   side: float) -> None:
    """Indoors: a few culms in a long glazed planter by the wall."""
    bamboo_near(canvas, ctx, x, base - 0.06, base - 0.85, side, ctx.rng("bamboo-pot"), 0.7)
    glaze = ctx.lit((0.3, 0.42, 0.5))
    pot = skia.Path()
    pot.moveTo(x - 0.12, base - 0.1)
    pot.lineTo(x + 0.12, base - 0.1)
    pot.lineTo(x + 0.1, base)
    pot.lineTo(x - 0.1, base)
    pot.close()
    canvas.drawPath(pot, fill(glaze))
    canvas.drawRect(skia.Rect.MakeLTRB(x - 0.125, base - 0.11, x + 0.125, base - 0.09),
                    fill(lighten(glaze, 0.2)))


def bamboo_layers(ctx: SetContext, plan: Plan) -> list[MotifLayer]:
    """A grove on one side behind the actors and a few tall culms at that frame edge (near the
    camera: they frame every shot, like the plum branch)."""
    side = plan.side("bamboo")
    if plan.indoors:
        # a planter by the wall (the window view shows bamboo too: motifs.window_motifs)
        foot = ctx.ground - 0.2

        def planter(canvas: skia.Canvas) -> None:
            bamboo_planter(canvas, ctx, 0.5 + side * 0.4, foot + 0.08, side)
        return [MotifLayer(0.88, planter)]
    hz, ground = ctx.horizon, ctx.ground
    depth, base = {
        "mountains": (0.5, hz + 0.16), "forest": (0.52, hz + 0.1), "village": (0.56, hz + 0.13),
        "city": (0.56, hz + 0.16), "shore": (1.0, ground - 0.12),
    }[ctx.kind]
    lo, hi = sorted((0.5 + side * 0.2, 0.5 + side * 0.8))

    def grove(canvas: skia.Canvas) -> None:
        bamboo_grove(canvas, ctx, lo, hi, base, 0.3 if depth < 1.0 else 0.05,
                     ctx.rng("bamboo-grove"))

    def near(canvas: skia.Canvas) -> None:
        # close to the camera, framing the shot's edge in every framing (a front layer)
        bamboo_near(canvas, ctx, 0.5 + side * 0.47, ctx.aspect + 0.1, -0.4, side,
                    ctx.rng("bamboo"))
    return [MotifLayer(depth, grove), MotifLayer(0.0, near, front=True)]


def window_bamboo(canvas: skia.Canvas, ctx: SetContext, rect: skia.Rect) -> None:
    """A few culms and leaf sprays in front of a window's view."""
    rng = ctx.rng("bamboo-window")
    w, h = rect.width(), rect.height()
    culm, leaf = ctx.lit(_CULM), ctx.lit(_LEAF)
    for k in range(3):
        x = rect.right() - w * (0.1 + k * 0.14)
        nodes = bamboo_stalk(canvas, x, rect.bottom() + 0.02, rect.top() - 0.05, w * 0.035,
                             w * 0.02, darken(culm, 0.1 * k), h * 0.2)
        for nx, ny in nodes[1::2]:
            leaf_spray(canvas, nx, ny, w * 0.2, -1.0, leaf, rng)
