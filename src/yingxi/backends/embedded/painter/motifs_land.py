"""Motifs built or flying: a pagoda, a bell (pavilion, tower, or frame indoors), wild geese."""

from __future__ import annotations

import math

import skia

from yingxi.backends.embedded.painter.context import Moving, SetContext
from yingxi.backends.embedded.painter.draw import (
    fill,
    linear,
    polygon,
    smooth_path,
    stroke,
    vertical,
)
from yingxi.backends.embedded.painter.motifs_base import (
    MotifLayer,
    Plan,
    canal_room,
    sky_reach,
)
from yingxi.backends.embedded.painter.palette import RGB, darken, lighten, mix
from yingxi.backends.embedded.painter.props import tiled_roof
from yingxi.backends.embedded.painter.sky import glow

_LAMP = (1.0, 0.8, 0.45)
# The palette colour each exterior paints its far hills with.
_HILL_COLOR = {"mountains": 0, "shore": 2, "forest": 0, "village": 2, "city": 1}


def _hill_color(ctx: SetContext) -> RGB:
    return ctx.palette[_HILL_COLOR.get(ctx.kind, 0) % len(ctx.palette)]


def knoll(canvas: skia.Canvas, x: float, top: float, half: float, color: RGB) -> None:
    """A rounded hill whose crown is at (x, top), filled far down."""
    pts = [(x - half * 2.2, top + half * 1.1), (x - half * 0.9, top + half * 0.22),
           (x - half * 0.2, top + 0.004), (x + half * 0.25, top),
           (x + half * 0.95, top + half * 0.25), (x + half * 2.2, top + half * 1.15)]
    path = smooth_path(pts)
    path.lineTo(x + half * 2.2, top + 3.0)
    path.lineTo(x - half * 2.2, top + 3.0)
    path.close()
    canvas.drawPath(path, fill(color))


# --- pagoda --------------------------------------------------------------------------------


def pagoda(canvas: skia.Canvas, x: float, base: float, h: float, color: RGB,
           lamps: bool = False) -> None:
    """A seven-storey pagoda with upturned eaves and a ringed spire, as one silhouette."""
    tiers = 7
    body = h * 0.8
    step = body / tiers
    canvas.drawRect(skia.Rect.MakeLTRB(x - h * 0.17, base - h * 0.035, x + h * 0.17, base),
                    fill(color))
    door = darken(color, 0.45)
    for i in range(tiers):
        w = h * (0.115 - i * 0.0105)
        y0 = base - h * 0.035 - i * step
        y1 = y0 - step
        canvas.drawRect(skia.Rect.MakeLTRB(x - w, y1 + step * 0.3, x + w, y0), fill(color))
        ew, ey, lift = w * 1.75, y1 + step * 0.42, step * 0.32
        eave = skia.Path()
        eave.moveTo(x - ew, ey - lift)
        eave.quadTo(x - ew * 0.75, ey, x - ew * 0.45, ey + step * 0.04)
        eave.lineTo(x + ew * 0.45, ey + step * 0.04)
        eave.quadTo(x + ew * 0.75, ey, x + ew, ey - lift)
        eave.quadTo(x + ew * 0.6, ey - step * 0.2, x + w * 0.55, y1 + step * 0.05)
        eave.lineTo(x - w * 0.55, y1 + step * 0.05)
        eave.quadTo(x - ew * 0.6, ey - step * 0.2, x - ew, ey - lift)
        eave.close()
        canvas.drawPath(eave, fill(color))
        dw, dt = w * 0.28, y1 + step * 0.55
        opening = skia.RRect.MakeRectXY(skia.Rect.MakeLTRB(x - dw, dt, x + dw, y0 - step * 0.02),
                                        dw, dw)
        canvas.drawRRect(opening, fill(_LAMP if lamps and i % 2 == 0 else door,
                                       0.85 if lamps and i % 2 == 0 else 1.0))
    top = base - h * 0.035 - body + step * 0.05
    canvas.drawLine(x, top, x, base - h, stroke(color, h * 0.014))
    for k in range(4):
        ry = top - h * 0.035 - k * h * 0.03
        rw = h * (0.028 - k * 0.004)
        canvas.drawOval(skia.Rect.MakeLTRB(x - rw, ry - h * 0.006, x + rw, ry + h * 0.006),
                        fill(color))
    canvas.drawCircle(x, base - h, h * 0.014, fill(color))


def pagoda_layers(ctx: SetContext, plan: Plan) -> list[MotifLayer]:
    """A tall pagoda on a hill at one side of the far distance (window views: see motifs)."""
    if plan.indoors:
        return []  # on the hill of the window view (motifs.window_motifs)
    light, hz = ctx.light, ctx.horizon
    x = 0.5 + plan.side("pagoda") * sky_reach(ctx.kind)
    c = _hill_color(ctx)
    hill = light.haze(c, 0.5)
    tower = light.haze(darken(c, 0.6), 0.28)
    depth, top, h, half = {
        "mountains": (0.23, hz - 0.21, 0.32, 0.16),
        "shore": (0.21, hz - 0.12, 0.3, 0.15),
        "forest": (0.24, hz - 0.33, 0.3, 0.2),
        "village": (0.21, hz - 0.2, 0.36, 0.18),
        "city": (0.26, hz - 0.04, 0.44, 0.0),
    }[ctx.kind]

    def draw(canvas: skia.Canvas) -> None:
        if half > 0.0:
            knoll(canvas, x, top, half, hill)
            rng = ctx.rng("pagoda-trees")
            for k in range(7):
                tx = x + (k - 3) * half * 0.32 + float(rng.uniform(-0.01, 0.01))
                if abs(tx - x) < half * 0.25:
                    continue
                ty = top + abs(tx - x) ** 2 / half * 0.25 + 0.01
                r = half * float(rng.uniform(0.1, 0.16))
                canvas.drawCircle(tx, ty - r * 0.6, r, fill(mix(hill, tower, 0.35)))
        pagoda(canvas, x, top + 0.008, h, tower, light.lamps_on)
    return [MotifLayer(depth, draw)]


# --- the bell ------------------------------------------------------------------------------


def bell_shape(canvas: skia.Canvas, x: float, top: float, h: float, bronze: RGB,
               bosses: bool = True) -> None:
    """A Chinese bronze temple bell: domed crown, gently flaring body, banded, with bosses."""
    w_top, w_bot = h * 0.3, h * 0.4
    body = skia.Path()
    body.moveTo(x - w_top, top + h * 0.14)
    body.quadTo(x - w_top, top, x, top)
    body.quadTo(x + w_top, top, x + w_top, top + h * 0.14)
    body.cubicTo(x + w_top * 1.02, top + h * 0.6, x + w_bot * 0.92, top + h * 0.85, x + w_bot,
                 top + h)
    body.lineTo(x - w_bot, top + h)
    body.cubicTo(x - w_bot * 0.92, top + h * 0.85, x - w_top * 1.02, top + h * 0.6, x - w_top,
                 top + h * 0.14)
    body.close()
    canvas.drawPath(body, linear((x - w_bot, 0.0), (x + w_bot, 0.0),
                                 [darken(bronze, 0.45), lighten(bronze, 0.25), bronze,
                                  darken(bronze, 0.5)], positions=[0.0, 0.32, 0.55, 1.0]))
    canvas.save()
    canvas.clipPath(body, doAntiAlias=True)
    band = stroke(darken(bronze, 0.4), h * 0.025)
    for t in (0.2, 0.55, 0.88):
        canvas.drawLine(x - h, top + h * t, x + h, top + h * t, band)
    canvas.drawLine(x, top + h * 0.55, x, top + h * 0.88, band)
    if bosses:
        for row in range(2):
            for col in range(-2, 3):
                canvas.drawCircle(x + col * w_top * 0.36, top + h * (0.29 + row * 0.13),
                                  h * 0.025, fill(lighten(bronze, 0.15)))
    canvas.restore()
    canvas.drawRRect(skia.RRect.MakeRectXY(skia.Rect.MakeLTRB(x - h * 0.07, top - h * 0.1,
                                                              x + h * 0.07, top + h * 0.01),
                                           h * 0.04, h * 0.04), fill(darken(bronze, 0.3)))


def pavilion(canvas: skia.Canvas, ctx: SetContext, x: float, base: float, w: float,
             haze: float) -> None:
    """An open bell pavilion: platform, red pillars, tiled roof, the bell and its striker."""
    light = ctx.light
    stone = light.haze((0.66, 0.63, 0.58), haze)
    pillar = light.haze((0.6, 0.17, 0.13), haze)
    roof = light.haze((0.27, 0.29, 0.33), haze)
    bronze = light.haze((0.5, 0.4, 0.22), haze * 0.8)
    wood = light.haze((0.45, 0.32, 0.2), haze)
    snow = light.haze((0.93, 0.95, 0.98), haze) if ctx.snowy else None
    h = w * 0.95
    canvas.drawRect(skia.Rect.MakeLTRB(x - w * 0.56, base - h * 0.08, x + w * 0.56, base),
                    fill(stone))
    canvas.drawRect(skia.Rect.MakeLTRB(x - w * 0.6, base - h * 0.1, x + w * 0.6, base - h * 0.07),
                    fill(lighten(stone, 0.1)))
    beam_y = base - h * 0.66
    for px in (-0.42, 0.42):
        canvas.drawRect(skia.Rect.MakeLTRB(x + px * w - w * 0.035, beam_y, x + px * w + w * 0.035,
                                           base - h * 0.09), fill(pillar))
    canvas.drawRect(skia.Rect.MakeLTRB(x - w * 0.48, beam_y - h * 0.02, x + w * 0.48,
                                       beam_y + h * 0.05), fill(darken(pillar, 0.3)))
    bell_h = h * 0.34
    canvas.drawLine(x, beam_y + h * 0.04, x, beam_y + h * 0.09, stroke(darken(bronze, 0.5),
                                                                        w * 0.02))
    bell_shape(canvas, x - w * 0.06, beam_y + h * 0.09, bell_h, bronze, bosses=w > 0.12)
    log_y = beam_y + h * 0.09 + bell_h * 0.45
    rope = stroke(darken(wood, 0.3), w * 0.008)
    for rx in (0.16, 0.33):
        canvas.drawLine(x + rx * w, beam_y + h * 0.04, x + rx * w, log_y, rope)
    canvas.drawRRect(skia.RRect.MakeRectXY(skia.Rect.MakeLTRB(x + w * 0.1, log_y - w * 0.024,
                                                              x + w * 0.38, log_y + w * 0.024),
                                           w * 0.024, w * 0.024), fill(wood))
    tiled_roof(canvas, x - w * 0.55, x + w * 0.55, beam_y + h * 0.01, h * 0.34, roof, snow)


def bell_tower(canvas: skia.Canvas, ctx: SetContext, x: float, base: float, h: float) -> None:
    """A drum-and-bell tower: a battered brick base with an arched gate, an open bell storey
    and double eaves."""
    light = ctx.light
    brick = light.haze((0.62, 0.52, 0.44), 0.2)
    pillar = light.haze((0.62, 0.18, 0.14), 0.15)
    roof = light.haze((0.26, 0.28, 0.33), 0.15)
    bronze = light.haze((0.55, 0.43, 0.22), 0.1)
    snow = light.haze((0.93, 0.95, 0.98), 0.1) if ctx.snowy else None
    w = h * 0.38
    floor = base - h * 0.42
    canvas.drawPath(polygon([(x - w * 0.6, base), (x - w * 0.52, floor), (x + w * 0.52, floor),
                             (x + w * 0.6, base)]), vertical(floor, base, [brick,
                                                                          darken(brick, 0.15)]))
    joint = stroke(darken(brick, 0.3), h * 0.004, 0.5)
    for k in range(1, 7):
        y = floor + (base - floor) * k / 7
        canvas.drawLine(x - w * 0.6, y, x + w * 0.6, y, joint)
    gate = skia.Path()
    gw, gh = w * 0.24, h * 0.2
    gate.addRRect(skia.RRect.MakeRectXY(skia.Rect.MakeLTRB(x - gw, base - gh, x + gw, base + gw),
                                        gw, gw))
    canvas.drawPath(gate, fill(darken(brick, 0.65)))
    canvas.drawRect(skia.Rect.MakeLTRB(x - w * 0.55, floor - h * 0.02, x + w * 0.55, floor),
                    fill(darken(brick, 0.2)))
    beam = floor - h * 0.26
    for px in (-0.4, 0.4):
        canvas.drawRect(skia.Rect.MakeLTRB(x + px * w - w * 0.035, beam, x + px * w + w * 0.035,
                                           floor - h * 0.02), fill(pillar))
    railing = stroke(darken(pillar, 0.2), h * 0.006)
    canvas.drawLine(x - w * 0.44, floor - h * 0.06, x + w * 0.44, floor - h * 0.06, railing)
    for k in range(9):
        px = x - w * 0.44 + k * w * 0.11
        canvas.drawLine(px, floor - h * 0.06, px, floor - h * 0.02, railing)
    bell_shape(canvas, x, beam + h * 0.035, h * 0.15, bronze, bosses=True)
    canvas.drawLine(x, beam, x, beam + h * 0.04, stroke(darken(bronze, 0.5), h * 0.008))
    tiled_roof(canvas, x - w * 0.62, x + w * 0.62, beam + h * 0.02, h * 0.09, roof, snow)
    canvas.drawRect(skia.Rect.MakeLTRB(x - w * 0.34, beam - h * 0.16, x + w * 0.34,
                                       beam - h * 0.06),
                    fill(darken(pillar, 0.15)))
    tiled_roof(canvas, x - w * 0.46, x + w * 0.46, beam - h * 0.13, h * 0.1, roof, snow)
    if light.lamps_on:
        glow(canvas, x, beam + h * 0.12, h * 0.2, _LAMP, 0.35)


def bell_frame(canvas: skia.Canvas, ctx: SetContext, x: float, base: float, h: float) -> None:
    """A bronze bell hanging in a lacquered wooden frame, standing on the floor."""
    wood = ctx.lit((0.42, 0.16, 0.1))
    gold = ctx.lit((0.85, 0.65, 0.3))
    bronze = ctx.lit((0.56, 0.46, 0.26))
    half = h * 0.33
    for px in (-half, half):
        canvas.drawRect(skia.Rect.MakeLTRB(x + px - h * 0.025, base - h, x + px + h * 0.025, base),
                        linear((x + px - h * 0.025, 0.0), (x + px + h * 0.025, 0.0),
                               [lighten(wood, 0.15), darken(wood, 0.3)]))
        canvas.drawRRect(skia.RRect.MakeRectXY(skia.Rect.MakeLTRB(
            x + px - h * 0.07, base - h * 0.05, x + px + h * 0.07, base), h * 0.015, h * 0.015),
            fill(darken(wood, 0.2)))
    top = skia.Path()
    top.moveTo(x - half * 1.35, base - h * 1.06)
    top.quadTo(x - half * 1.1, base - h * 0.98, x - half, base - h * 0.98)
    top.lineTo(x + half, base - h * 0.98)
    top.quadTo(x + half * 1.1, base - h * 0.98, x + half * 1.35, base - h * 1.06)
    top.lineTo(x + half * 1.3, base - h * 0.93)
    top.lineTo(x - half * 1.3, base - h * 0.93)
    top.close()
    canvas.drawPath(top, fill(wood))
    canvas.drawLine(x - half, base - h * 0.955, x + half, base - h * 0.955, stroke(gold, h * 0.01))
    canvas.drawLine(x, base - h * 0.93, x, base - h * 0.86, stroke(darken(bronze, 0.5), h * 0.015))
    bell_shape(canvas, x, base - h * 0.86, h * 0.52, bronze)
    mallet = stroke(darken(wood, 0.1), h * 0.018)
    canvas.drawLine(x + half * 0.7, base - h * 0.35, x + half * 1.15, base - h * 0.05, mallet)
    canvas.drawCircle(x + half * 0.7, base - h * 0.35, h * 0.025, fill(darken(wood, 0.1)))


def bell_layers(ctx: SetContext, plan: Plan) -> list[MotifLayer]:
    """A bell pavilion or tower outdoors; a bell in its frame in old rooms."""
    side = plan.side("bell")
    hz = ctx.horizon
    if plan.indoors:
        if ctx.era == "modern":
            return []  # the window view shows a pavilion (motifs.window_motifs)
        foot = ctx.ground - 0.2
        h = 0.5 if ctx.kind == "palace" else 0.38
        x = 0.5 + side * (0.37 if ctx.kind == "palace" else 0.4)

        def frame(canvas: skia.Canvas) -> None:
            bell_frame(canvas, ctx, x, foot + 0.07, h)
        return [MotifLayer(0.88, frame)]
    light = ctx.light
    if ctx.kind in ("village", "city"):
        # a tall tower behind the roofs (the wall), its bell storey above them
        x = 0.5 + side * 0.3
        depth = 0.56 if ctx.kind == "city" and ctx.era == "modern" else 0.5
        base = hz + (0.16 if ctx.kind == "city" else 0.12) - canal_room(ctx)

        def tower(canvas: skia.Canvas) -> None:
            bell_tower(canvas, ctx, x, base, 0.98)
        return [MotifLayer(depth, tower)]
    x = 0.5 + side * sky_reach(ctx.kind)
    depth, top, w, haze, half = {
        "mountains": (0.5, hz - 0.1, 0.22, 0.2, 0.17),
        "shore": (0.3, hz - 0.13, 0.2, 0.3, 0.2),
        "forest": (0.24, hz - 0.32, 0.24, 0.35, 0.2),
    }[ctx.kind]
    hill_c = light.haze(darken(_hill_color(ctx), 0.15), haze + 0.1)

    def place(canvas: skia.Canvas) -> None:
        knoll(canvas, x, top, half, hill_c)
        pavilion(canvas, ctx, x, top + 0.01, w, haze)
    return [MotifLayer(depth, place)]


# --- geese ---------------------------------------------------------------------------------


def goose(canvas: skia.Canvas, x: float, y: float, s: float, heading: float, flap: float,
          color: RGB) -> None:
    """One wild goose in flight, ``s`` its wingspan; ``flap`` -1 (wings down) .. 1 (up)."""
    paint = fill(color)
    body = skia.Path()
    body.moveTo(x + heading * s * 0.42, y - s * 0.03)
    body.quadTo(x + heading * s * 0.2, y - s * 0.06, x, y - s * 0.045)
    body.quadTo(x - heading * s * 0.22, y - s * 0.04, x - heading * s * 0.32, y + s * 0.0)
    body.quadTo(x - heading * s * 0.1, y + s * 0.05, x + heading * s * 0.18, y + s * 0.02)
    body.close()
    canvas.drawPath(body, paint)
    canvas.drawCircle(x + heading * s * 0.43, y - s * 0.035, s * 0.035, paint)
    tip_y = y - s * 0.42 * flap
    for k, (reach, back) in enumerate(((0.5, 0.1), (0.36, 0.18))):
        wing = skia.Path()
        wing.moveTo(x + heading * s * 0.1, y - s * 0.03)
        wing.quadTo(x + heading * s * 0.02, tip_y * 0.5 + y * 0.5 - s * 0.06,
                    x - heading * s * back, y + (tip_y - y) * (1.0 if k == 0 else 0.75)
                    - s * reach * 0.1)
        wing.quadTo(x - heading * s * 0.04, (tip_y + y) * 0.5, x - heading * s * 0.12, y)
        wing.close()
        canvas.drawPath(wing, fill(color, 1.0 if k == 0 else 0.75))


# Geese drift this far (world units) per frame, and beat their wings this fast (radians).
_DRIFT = 0.0011
_BEAT = 0.32


class Skein(Moving):
    """A skein of wild geese in a V (人字), led by the bird nearest ``heading``, drifting
    across the sky with beating wings (both pure functions of the frame index)."""

    def __init__(self, ctx: SetContext, x: float, y: float, span: float, heading: float,
                 count: int = 9) -> None:
        """Place the birds from the set's seed."""
        light = ctx.light
        if light.moon:
            self.color = lighten(light.mid, 0.25)
        else:
            self.color = darken(mix(light.zenith, light.mid, 0.5), 0.78)
        rng = ctx.rng("geese")
        self.heading = heading
        size = span * 0.11
        apex = (x + heading * span * 0.5, y)
        self.birds: list[tuple[float, float, float, float]] = []
        for i in range(count):
            arm = (i + 1) // 2
            up = -1.0 if i % 2 else 1.0
            gx = apex[0] - heading * arm * span * 0.13 + float(rng.uniform(-0.01, 0.01)) * span
            gy = apex[1] - up * arm * span * (0.085 if up > 0 else 0.06) \
                + float(rng.uniform(-0.01, 0.01)) * span
            phase = float(rng.uniform(0.0, 2 * math.pi))
            self.birds.append((gx, gy, size * float(rng.uniform(0.9, 1.05)), phase))

    def draw(self, canvas: skia.Canvas, frame: int, veil: RGB, amount: float) -> None:
        """The skein at ``frame``."""
        color = mix(self.color, veil, amount)
        drift = self.heading * _DRIFT * frame
        for gx, gy, size, phase in self.birds:
            flap = 0.2 + 0.8 * math.sin(_BEAT * frame + phase)
            goose(canvas, gx + drift, gy - flap * size * 0.04, size, self.heading, flap, color)


def geese(canvas: skia.Canvas, ctx: SetContext, x: float, y: float, span: float,
          heading: float, count: int = 9) -> None:
    """A still skein of geese (seen through a window)."""
    Skein(ctx, x, y, span, heading, count)(canvas)
