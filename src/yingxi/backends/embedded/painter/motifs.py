"""Set motifs: the things a poem names (明月, 霜, 孤舟, 杨柳, 钟, 酒...), painted into any set.

A Location may list up to four motifs; each becomes one or more recorded layers inserted among
the set's own layers by depth (hills hide what stands behind them, the actors stand in front of
everything), drawn from the set's seed and light like the rest of the set. Per location kind
(outdoors: mountains, shore, forest, village, city; indoors: palace, office, home):

moon
    Outdoors a large full moon with a halo ring. At night the sky's own moon becomes it
    (bigger, a little lower, moved off the actors' heads; among mountains just above the
    peaks) and on the shore lays a broad path of light on the sea; by day a pale moon rises
    opposite the sun; behind rain or snow it is veiled. Indoors it hangs in the window (one
    window of a row), pale by day; the ancient palace opens a lattice panel as a door to the sky.
frost
    A cold tint on the light; outdoors rime whitens the ground, grass, bushes and the tops of
    trees and roofs, and ice crystals glitter on the ground. Indoors the window panes frost at
    the corners and, at night or dawn, a pale wash of moonlight lies on the floor below the
    window (疑是地上霜). Skipped in snow, which already whitens everything.
boat
    A sampan with a woven awning, a fisherman in straw hat and cape, rod out, a lamp after dusk:
    on the sea (shore), on a canal before the houses (village) or the moat (ancient city), on
    the stream a bridge motif makes (mountains, forest); skipped where there is no water
    (mountains and forest without a bridge, the modern city). Indoors on a strip of lake in the
    window.
willow
    A big weeping willow at one edge, its strands stopping above the actors' heads; two small
    ones on a canal's far bank. Indoors, strands hanging into the window view.
bell
    A bell pavilion (red pillars, tiled roof, the bell and its striker log) on a knoll
    (mountains, above the forest's trees) or a headland (shore); a tall bell tower above the
    roofs (village) or the city wall. Indoors a bronze bell in a lacquered frame (old rooms), a
    pavilion in the window (modern rooms).
wine
    A wine jar, a ewer and cups on a straw mat (outdoors) or a low table (indoors) in a front
    corner; modern sets get a bottle and glasses.
lantern
    Red silk lanterns, glowing after dusk: a string across the lane (village, city), a lantern
    post at one edge (mountains, shore, forest), hanging from the ceiling (indoors).
plum
    A flowering plum branch reaching in from a top corner, fixed to the frame so every framing
    shows it, above the actors' heads (red plum in the snow). Indoors a branch in a tall vase.
bamboo
    A grove on one side behind the actors and a few thick culms framing that edge of every
    shot. Indoors a planter of bamboo by the wall, and culms in the window view.
geese
    A V of wild geese high in the sky; when the camera holds still they drift across it and
    beat their wings, passing behind whatever stands nearer. Indoors a small V in the window.
bridge
    An arched stone bridge whose reflection closes the circle: between two rocky islets
    (shore), over the canal (village) or the moat (ancient city), over a stream (mountains,
    forest). Skipped in the modern city and indoors (no water to cross).
lotus
    Pads, raised leaves and flowers on the water by the beach (shore), in a pond with a rim of
    stones in a front corner (other exteriors), in a blue-and-white basin (indoors).
pagoda
    A tall seven-storey pagoda on a hill at one side (above the forest's trees, behind the city
    wall), replacing the small ones of old mountains and cities; in the window view indoors.

Motifs that would hide each other (a willow before a boat, two things in the sky) go to
opposite sides; the sides follow the sun. Everything is recorded once per set; only the geese
move (in static shots: see backdrop.Backdrop), costing a few small paths and a masked copy per
frame.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable, Sequence
from dataclasses import replace

import skia

from yingxi.backends.embedded.painter import (
    motifs_front,
    motifs_land,
    motifs_lotus,
    motifs_plants,
    motifs_water,
)
from yingxi.backends.embedded.painter.context import LayerSpec, SetContext
from yingxi.backends.embedded.painter.draw import fill, radial, stroke, vertical
from yingxi.backends.embedded.painter.motifs_base import (
    INTERIORS,
    MotifLayer,
    Plan,
    moon_spot,
    plan_for,
)
from yingxi.backends.embedded.painter.palette import Light, darken, lighten, mix

log = logging.getLogger(__name__)

# A motif painter: its layers; [] when it shows only through windows; None when it has no
# place in this set (it is skipped).
Builder = Callable[[SetContext, Plan], list[MotifLayer] | None]


def motif_light(light: Light, kind: str, motifs: Sequence[str], ground: float,
                key: str) -> Light:
    """The shot's light as the motifs change it: a bigger, lower moon; a cold frosty tint."""
    if "moon" in motifs and light.moon and kind not in INTERIORS:
        x, y, r = moon_spot(kind, light, ground, key)
        horizon = ground - 0.4
        height = (horizon - 0.06 - y) / (horizon - 0.25)
        light = replace(light, sun_x=x, sun_height=height, sun_size=r)
    if "frost" in motifs and light.weather != "snow":
        cold = (0.78, 0.88, 1.0)
        light = replace(light, tint=mix(light.tint, cold, 0.55),
                        tint_amount=min(0.85, light.tint_amount + 0.3),
                        horizon=mix(light.horizon, lighten(cold, 0.4), 0.3),
                        mid=mix(light.mid, cold, 0.12))
    return light


def add_motifs(ctx: SetContext, specs: list[LayerSpec]) -> list[LayerSpec]:
    """The set's layers with the motifs' layers inserted by depth (framing pieces last)."""
    if not ctx.motifs:
        return specs
    plan = plan_for(ctx)
    out = list(specs)
    front: list[LayerSpec] = []
    for motif in dict.fromkeys(ctx.motifs):
        builder = _BUILDERS.get(motif)
        made = builder(ctx, plan) if builder is not None else None
        if made is None:
            log.debug("motif %s has no place in a %s %s set: skipped", motif, ctx.era, ctx.kind)
            continue
        for layer in made:
            if layer.front:
                front.append((layer.depth, layer.draw))
                continue
            at = len(out)
            while at > 0 and out[at - 1][0] > layer.depth:
                at -= 1
            out.insert(at, (layer.depth, layer.draw))
    return out + front


def window_motifs(canvas: skia.Canvas, ctx: SetContext, rect: skia.Rect) -> None:
    """What the motifs add to a window's view (called by the interiors, clipped to ``rect``).

    Only the part of the window inside the frame counts, and a window wall is treated as a
    window about as wide as it is tall, so the motifs keep their size.
    """
    if not ctx.motifs:
        return
    motifs = set(ctx.motifs)
    light = ctx.light
    left, right = max(rect.left(), 0.03), min(rect.right(), 0.97)
    h = rect.height()
    w = min(right - left, h * 0.9)
    if w <= 0.02:
        return
    top, bottom = rect.top(), rect.bottom()
    if "moon" in motifs:
        narrow = w < h * 0.5
        r = min(w * (0.3 if narrow else 0.2), h * 0.15)
        moon_disc(canvas, light, right - w * (0.5 if narrow else 0.4), top + h * 0.27, r,
                  pale=not light.moon)
    if "geese" in motifs:
        motifs_land.geese(canvas, ctx, left + w * 0.45, top + h * 0.5, w * 0.6, -1.0, count=7)
    if "pagoda" in motifs:
        motifs_land.pagoda(canvas, left + w * 0.36, bottom - h * 0.17, min(h * 0.6, w * 1.2),
                           light.haze(darken(ctx.palette[2 % len(ctx.palette)], 0.5), 0.35),
                           light.lamps_on)
    if "bell" in motifs and ctx.era == "modern":
        motifs_land.pavilion(canvas, ctx, left + w * 0.3, bottom - h * 0.16,
                             min(w * 0.5, h * 0.45), 0.3)
    if "boat" in motifs:
        motifs_water.window_water(canvas, ctx, rect, left, w)
    if "bamboo" in motifs:
        motifs_plants.window_bamboo(canvas, ctx, skia.Rect.MakeLTRB(right - w, top, right, bottom))
    if "willow" in motifs:
        motifs_plants.window_willow(canvas, ctx, skia.Rect.MakeLTRB(left, top, left + w, bottom))
    if "frost" in motifs:
        frosted_corners(canvas, ctx, skia.Rect.MakeLTRB(left, top, right, bottom))


def opens_window(ctx: SetContext) -> bool:
    """Whether a windowless room (the ancient palace) should open a panel for its motifs."""
    return bool({"moon", "geese", "pagoda", "boat", "willow", "bamboo"} & set(ctx.motifs))


# --- the sky -------------------------------------------------------------------------------


def moon_disc(canvas: skia.Canvas, light: Light, x: float, y: float, r: float,
              pale: bool, alpha: float = 1.0) -> None:
    """A full moon with a soft halo ring and a few maria; ``pale`` for a moon in a day sky."""
    glow_c = light.sun_glow if light.moon else lighten(light.horizon, 0.4)
    halo = 0.16 if pale else 0.3
    canvas.drawCircle(x, y, r * 3.2, radial(
        (x, y), r * 3.2, [glow_c] * 4, alphas=[halo * alpha, halo * alpha, halo * 0.3 * alpha,
                                                0.0], positions=[0.0, 0.34, 0.5, 1.0]))
    if pale:
        # a day moon: chalk white on blue; a touch of cream in a dawn or dusk sky
        disc = mix((1.0, 1.0, 0.98), light.sun_glow, 0.05 if light.sun_height > 0.5 else 0.15)
        disc_alpha = alpha
    else:
        disc, disc_alpha = light.sun, alpha
    canvas.drawCircle(x, y, r, fill(disc, disc_alpha))
    shade = mix(disc, light.mid if light.moon else (0.55, 0.62, 0.75), 0.35)
    for dx, dy, rr in ((-0.3, -0.2, 0.28), (0.25, 0.15, 0.2), (-0.05, 0.4, 0.14),
                       (0.32, -0.32, 0.1)):
        canvas.drawCircle(x + dx * r, y + dy * r, rr * r, fill(shade, 0.3 * disc_alpha))
    canvas.drawCircle(x, y, r, stroke(lighten(disc, 0.5), r * 0.05, 0.5 * disc_alpha))


def _moon(ctx: SetContext, plan: Plan) -> list[MotifLayer] | None:
    if plan.indoors:
        return []  # through the window
    light = ctx.light
    x, y, r = plan.moon

    def draw(canvas: skia.Canvas) -> None:
        overcast = light.weather in ("rain", "snow")
        if light.moon:
            # the sky already drew the (enlarged) moon and its glow: add a wide halo ring
            ring = radial((x, y), r * 4.0, [light.sun_glow] * 4,
                          alphas=[0.0, 0.0, 0.22, 0.0], positions=[0.0, 0.3, 0.4, 1.0])
            canvas.drawCircle(x, y, r * 4.0, ring)
            # drawn again over the sky's thin night clouds: the named moon stays bright
            moon_disc(canvas, light, x, y, r, pale=False, alpha=0.55 if overcast else 1.0)
        else:
            moon_disc(canvas, light, x, y, r, pale=True, alpha=0.6 if overcast else 1.0)

    layers = [MotifLayer(0.045, draw)]
    if ctx.kind == "shore" and light.moon:
        layers.append(MotifLayer(0.41, motifs_water.moon_path(ctx, x)))
    return layers


def _geese(ctx: SetContext, plan: Plan) -> list[MotifLayer] | None:
    if plan.indoors:
        return []  # through the window
    side = plan.side("geese")
    x = 0.5 + side * 0.14
    y = {"mountains": 0.14, "forest": 0.4, "city": 0.2}.get(ctx.kind, 0.24)

    return [MotifLayer(0.05, motifs_land.Skein(ctx, x, y, 0.5, -side))]


# --- frost ---------------------------------------------------------------------------------


def frosted_corners(canvas: skia.Canvas, ctx: SetContext, rect: skia.Rect) -> None:
    """Feathery ice crystals growing in from a window's corners."""
    rng = ctx.rng("frost-window")
    ice = lighten(ctx.lit((0.9, 0.95, 1.0)), 0.3)
    size = min(rect.width(), rect.height())
    for cx, cy, sx, sy in ((rect.left(), rect.bottom(), 1, -1), (rect.right(), rect.bottom(), -1,
                                                                  -1),
                           (rect.left(), rect.top(), 1, 1), (rect.right(), rect.top(), -1, 1)):
        canvas.drawCircle(cx, cy, size * 0.45, radial((cx, cy), size * 0.45, [ice, ice],
                                                      alphas=[0.55, 0.0]))
        path = skia.Path()
        for _ in range(7):
            ang = float(rng.uniform(0.1, 1.45))
            length = size * float(rng.uniform(0.15, 0.32))
            ex, ey = cx + sx * math.cos(ang) * length, cy + sy * math.sin(ang) * length
            path.moveTo(cx, cy)
            path.lineTo(ex, ey)
            for k in range(1, 4):
                t = k / 4
                bx, by = cx + (ex - cx) * t, cy + (ey - cy) * t
                twig = length * 0.22 * (1 - t)
                for turn in (-0.7, 0.7):
                    a2 = ang + turn
                    path.moveTo(bx, by)
                    path.lineTo(bx + sx * math.cos(a2) * twig, by + sy * math.sin(a2) * twig)
        canvas.drawPath(path, stroke(ice, size * 0.008, 0.75))


# Where each room's window is (world x), so moonlight falls on the floor below it.
_WINDOW_X = {("home", "ancient"): 0.73, ("home", "modern"): 0.73, ("office", "ancient"): 0.78,
             ("palace", "ancient"): 0.72}


def _frost(ctx: SetContext, plan: Plan) -> list[MotifLayer] | None:
    if ctx.snowy:
        return None  # snow already whitens everything
    rime = lighten(ctx.lit((0.88, 0.94, 1.0)), 0.2)
    ground = ctx.ground
    if plan.indoors:
        if not (ctx.light.moon or ctx.light.sun_height < 0.2):
            return []  # by day only the cold light and the frosted window panes
        foot = ground - 0.2
        x = _WINDOW_X.get((ctx.kind, ctx.era), 0.5) - 0.2

        def floor(canvas: skia.Canvas) -> None:
            # 疑是地上霜: a cold white wash of moonlight across the floor
            patch = skia.Path()
            patch.moveTo(x - 0.16, foot + 0.01)
            patch.lineTo(x + 0.24, foot + 0.01)
            patch.lineTo(x + 0.5, ground + 0.3)
            patch.lineTo(x - 0.32, ground + 0.3)
            patch.close()
            canvas.drawPath(patch, vertical(foot, ground + 0.3, [rime, rime], alphas=[0.45, 0.12]))
            rng = ctx.rng("frost-floor")
            for _ in range(60):
                t = float(rng.uniform(0.0, 1.0))
                y = foot + 0.02 + t * (ground + 0.28 - foot)
                half = 0.2 + t * 0.41
                px = x + 0.04 + float(rng.uniform(-half, half)) + t * 0.05
                canvas.drawCircle(px, y, 0.0025 + 0.002 * t, fill(lighten(rime, 0.4), 0.7))
        return [MotifLayer(0.79, floor)]

    def crystals(canvas: skia.Canvas) -> None:
        rng = ctx.rng("frost")
        top = ground - 0.17
        for _ in range(260):
            d = float(rng.uniform(0.0, 1.0)) ** 1.4
            y = top + 0.01 + d * 0.45
            x = float(rng.uniform(-0.3, 1.3))
            size = 0.002 + 0.005 * d
            if rng.uniform() < 0.25:
                # a little six-armed crystal catching the light
                star = skia.Path()
                for k in range(3):
                    a = math.pi * k / 3
                    star.moveTo(x - math.cos(a) * size * 1.6, y - math.sin(a) * size * 0.8)
                    star.lineTo(x + math.cos(a) * size * 1.6, y + math.sin(a) * size * 0.8)
                canvas.drawPath(star, stroke(lighten(rime, 0.5), size * 0.35, 0.85))
            else:
                canvas.drawOval(skia.Rect.MakeLTRB(x - size * 2.5, y - size * 0.5, x + size * 2.5,
                                                   y + size * 0.5), fill(rime, 0.45))
    return [MotifLayer(1.0, crystals)]


# --- lanterns ------------------------------------------------------------------------------


def _lanterns(ctx: SetContext, plan: Plan) -> list[MotifLayer] | None:
    light = ctx.light
    red = ctx.lit((0.86, 0.16, 0.12))
    lit = light.lamps_on
    cord = ctx.lit((0.22, 0.16, 0.12))
    if plan.indoors:
        foot = ctx.ground - 0.2

        def hanging(canvas: skia.Canvas) -> None:
            for x, drop, size in ((0.08, 0.56, 0.05), (0.92, 0.56, 0.05), (0.24, 0.7, 0.04),
                                  (0.76, 0.7, 0.04)):
                y = foot - drop
                canvas.drawLine(x, -1.5, x, y - size * 2.2, stroke(cord, size * 0.08))
                motifs_front.lantern_tassel(canvas, x, y, size, red, lit)
        return [MotifLayer(0.86, hanging)]
    if ctx.kind in ("village", "city"):
        def string(canvas: skia.Canvas) -> None:
            y0 = 0.5
            rope = skia.Path()
            rope.moveTo(-0.5, y0 - 0.05)
            rope.quadTo(0.5, y0 + 0.12, 1.5, y0 - 0.05)
            canvas.drawPath(rope, stroke(cord, 0.004))
            for k in range(6):
                x = -0.05 + k * 0.22
                t = (x + 0.5) / 2.0
                y = (1 - t) ** 2 * (y0 - 0.05) + 2 * t * (1 - t) * (y0 + 0.12) \
                    + t ** 2 * (y0 - 0.05)
                size = 0.036
                canvas.drawLine(x, y, x, y + size * 0.6, stroke(cord, 0.003))
                motifs_front.lantern_tassel(canvas, x, y + size * 1.7, size, red, lit)
        return [MotifLayer(0.85, string)]
    side = plan.side("lantern")
    x = 0.5 + side * 0.43

    def post(canvas: skia.Canvas) -> None:
        wood = ctx.cover(ctx.lit((0.32, 0.22, 0.15)), 0.3)
        base = ctx.ground - 0.06
        top = base - 0.62
        canvas.drawRect(skia.Rect.MakeLTRB(x - 0.011, top, x + 0.011, base), fill(wood))
        arm_end = x - side * 0.13
        canvas.drawLine(x, top + 0.02, arm_end - side * 0.01, top + 0.02, stroke(wood, 0.012))
        canvas.drawLine(x, top + 0.09, x - side * 0.06, top + 0.025, stroke(wood, 0.006))
        canvas.drawCircle(x, top, 0.014, fill(darken(wood, 0.2)))
        for lx, drop, size in ((arm_end, 0.12, 0.04), (x - side * 0.045, 0.1, 0.028)):
            canvas.drawLine(lx, top + 0.02, lx, top + drop - size, stroke(cord, 0.003))
            motifs_front.lantern_tassel(canvas, lx, top + drop + size * 0.6, size, red, lit)
    return [MotifLayer(1.0, post)]


def _lotus(ctx: SetContext, plan: Plan) -> list[MotifLayer] | None:
    if plan.indoors:
        return motifs_lotus.basin_layers(ctx, plan)
    return motifs_lotus.lotus_layers(ctx, plan)


_BUILDERS: dict[str, Builder] = {
    "moon": _moon, "frost": _frost, "lantern": _lanterns, "geese": _geese,
    "boat": motifs_water.boat_layers, "bridge": motifs_water.bridge_layers,
    "lotus": _lotus, "willow": motifs_plants.willow_layers,
    "bamboo": motifs_plants.bamboo_layers, "pagoda": motifs_land.pagoda_layers,
    "bell": motifs_land.bell_layers, "plum": motifs_front.plum_layers,
    "wine": motifs_front.wine_layers,
}

__all__ = ["add_motifs", "motif_light", "opens_window", "window_motifs"]
