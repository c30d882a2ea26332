"""Sky, sun and moon, clouds, stars, mist, and the animated weather drawn over each frame."""

from __future__ import annotations

import math

import numpy as np
import skia

from yingxi.backends.embedded.painter.camera import View
from yingxi.backends.embedded.painter.context import DrawFn, SetContext
from yingxi.backends.embedded.painter.draw import fill, radial, rng_for, vertical
from yingxi.backends.embedded.painter.palette import RGB, Light, argb, darken, lighten, mix

SKY_DEPTH = 0.04


def sky_gradient(canvas: skia.Canvas, light: Light, top: float, horizon: float,
                 rect: skia.Rect, bands: int = 0) -> None:
    """Fill ``rect`` with the sky gradient running from ``top`` down to ``horizon``; with
    ``bands``, as that many flat strips of paper instead (the papercut look)."""
    colors = [light.zenith, light.mid, light.horizon]
    if bands <= 0:
        canvas.drawRect(rect, vertical(top, horizon, colors, positions=[0.0, 0.55, 1.0]))
        return
    canvas.drawRect(rect, fill(light.zenith))
    step = (horizon - top) / bands
    for i in range(bands):
        t = (i + 0.5) / bands
        color = mix(colors[0], colors[1], t / 0.55) if t < 0.55 else \
            mix(colors[1], colors[2], (t - 0.55) / 0.45)
        y0 = top + i * step
        # each strip is a torn sheet: a gentle wave along its upper edge
        edge = skia.Path()
        edge.moveTo(rect.left(), y0)
        for k in range(1, 9):
            x = rect.left() + (rect.right() - rect.left()) * k / 8
            edge.quadTo(x - (rect.right() - rect.left()) / 16, y0 - step * 0.18 * (k % 2 * 2 - 1),
                        x, y0)
        edge.lineTo(rect.right(), rect.bottom())
        edge.lineTo(rect.left(), rect.bottom())
        edge.close()
        canvas.drawPath(edge, fill(color))


def sun_or_moon(canvas: skia.Canvas, light: Light, x: float, y: float, size: float) -> None:
    """The sun with its glow, or the moon with a cool halo and a few soft maria."""
    glow_alpha = 0.35 if light.weather == "clear" else 0.18
    canvas.drawCircle(x, y, size * 7.0, radial(
        (x, y), size * 7.0, [light.sun_glow, light.sun_glow, light.sun_glow],
        alphas=[glow_alpha, glow_alpha * 0.35, 0.0], positions=[0.0, 0.3, 1.0]))
    if light.weather in ("rain", "snow"):
        return  # behind overcast, only the glow shows where it is
    disc_alpha = 0.55 if light.weather == "mist" else 1.0
    canvas.drawCircle(x, y, size, fill(light.sun, disc_alpha))
    if light.moon:
        shade = mix(light.sun, light.mid, 0.3)
        for dx, dy, r in ((-0.3, -0.2, 0.28), (0.25, 0.15, 0.2), (-0.05, 0.4, 0.14)):
            canvas.drawCircle(x + dx * size, y + dy * size, r * size,
                              fill(shade, 0.35 * disc_alpha))


def cloud(canvas: skia.Canvas, x: float, y: float, w: float, color: RGB, shade: RGB,
          alpha: float, rng: np.random.Generator) -> None:
    """A flat illustrated cloud: a row of puffs on a flat base, shaded underneath."""
    puffs = skia.Path()
    n = 4 + int(rng.integers(0, 3))
    for i in range(n):
        t = (i + 0.5) / n
        r = w * (0.16 + 0.14 * math.sin(math.pi * t)) * float(rng.uniform(0.85, 1.15))
        puffs.addCircle(x - w / 2 + t * w, y - r * 0.55, r)
    base = skia.Path()
    base.addRRect(skia.RRect.MakeRectXY(
        skia.Rect.MakeLTRB(x - w / 2 - w * 0.06, y - w * 0.1, x + w / 2 + w * 0.06, y + w * 0.06),
        w * 0.08, w * 0.08))
    body = skia.Op(puffs, base, skia.PathOp.kUnion_PathOp)
    canvas.save()
    canvas.translate(0.0, w * 0.02)
    canvas.drawPath(body, fill(shade, alpha * 0.8))
    canvas.restore()
    canvas.drawPath(body, fill(color, alpha))


def sky_layer(ctx: SetContext, clouds: int = 4) -> DrawFn:
    """The sky of an exterior: gradient, stars, sun or moon, clouds."""
    light = ctx.light
    horizon = ctx.horizon

    def draw(canvas: skia.Canvas) -> None:
        sky_gradient(canvas, light, -0.2, horizon, skia.Rect.MakeLTRB(-3, -3, 4, horizon + 2.0),
                     ctx.style.bands)
        if light.stars:
            rng = ctx.rng("stars")
            for _ in range(90):
                sx, sy = float(rng.uniform(-0.3, 1.3)), float(rng.uniform(-0.1, horizon * 0.7))
                r = float(rng.uniform(0.0012, 0.003))
                canvas.drawCircle(sx, sy, r, fill((1.0, 0.98, 0.9), float(rng.uniform(0.35, 0.9))))
        sun_y = horizon - 0.06 - light.sun_height * (horizon - 0.25)
        sun_or_moon(canvas, light, light.sun_x, sun_y, light.sun_size)
        rng = ctx.rng("clouds")
        overcast = light.weather in ("rain", "snow")
        if overcast:
            base = darken(mix(light.horizon, light.mid, 0.5), 0.12)
        elif light.moon:
            base = mix(light.mid, light.horizon, 0.5)
        else:
            base = lighten(light.horizon, 0.55)
        shade = mix(base, light.mid, 0.35)
        count = clouds + (5 if overcast else 0)
        for i in range(count):
            cx = -0.2 + 1.4 * (i + float(rng.uniform(0.1, 0.9))) / count
            cy = float(rng.uniform(0.12, horizon - 0.35))
            w = float(rng.uniform(0.22, 0.42)) * (1.4 if overcast else 1.0)
            alpha = 0.85 if not light.moon else 0.35
            cloud(canvas, cx, cy, w, base, shade, alpha, rng)
        if overcast:
            canvas.drawRect(skia.Rect.MakeLTRB(-3, -3, 4, horizon + 2.0),
                            vertical(-0.2, horizon, [light.mid, light.horizon], alphas=[0.45, 0.1]))
    return draw


def mist_layer(ctx: SetContext, y: float, thickness: float, strength: float) -> DrawFn:
    """A soft horizontal band of mist at world ``y`` (used between depth layers)."""
    color = lighten(ctx.light.horizon, 0.25)
    if ctx.light.weather == "mist":
        strength = min(0.95, strength * 1.8 + 0.2)

    def draw(canvas: skia.Canvas) -> None:
        canvas.drawRect(skia.Rect.MakeLTRB(-3, y - thickness, 4, y + thickness * 2.0),
                        vertical(y - thickness, y + thickness * 2.0, [color, color, color],
                                 alphas=[0.0, strength, strength * 0.6],
                                 positions=[0.0, 0.4, 1.0]))
    return draw


def fog_layer(ctx: SetContext) -> DrawFn:
    """Thick mist hanging over the land behind the actors (weather: mist)."""
    color = lighten(ctx.light.horizon, 0.3)
    top = ctx.horizon - 0.75

    def draw(canvas: skia.Canvas) -> None:
        canvas.drawRect(skia.Rect.MakeLTRB(-3, top, 4, ctx.ground + 2.0),
                        vertical(top, ctx.ground, [color] * 4, alphas=[0.0, 0.55, 0.6, 0.35],
                                 positions=[0.0, 0.55, 0.8, 1.0]))
    return draw


def glow(canvas: skia.Canvas, x: float, y: float, r: float, color: RGB, alpha: float) -> None:
    """A soft light pool (lamps, lanterns, lit windows at night)."""
    canvas.drawCircle(x, y, r, radial((x, y), r, [color, color], alphas=[alpha, 0.0]))


def weather_fx(light: Light, key: str) -> WeatherFx | None:
    """The animated weather of a shot, or None in clear weather or mist (mist is static)."""
    if light.weather not in ("rain", "snow"):
        return None
    return WeatherFx(light, key)


class WeatherFx:
    """Rain streaks or snow flakes in screen space, a pure function of the frame index."""

    def __init__(self, light: Light, key: str) -> None:
        """Draw the particles' starting positions, speeds and sizes from the set seed."""
        self.kind = light.weather
        rng = rng_for(key, "weather", self.kind)
        count = 170 if self.kind == "rain" else 150
        self.x = rng.uniform(0.0, 1.0, count)
        self.y = rng.uniform(0.0, 1.0, count)
        self.speed = rng.uniform(0.7, 1.3, count)
        self.size = rng.uniform(0.0, 1.0, count)
        self.phase = rng.uniform(0.0, 2 * math.pi, count)
        tone = (0.86, 0.9, 0.97) if self.kind == "rain" else (0.98, 0.98, 1.0)
        self.color = light.on_figure(tone) if light.moon else tone

    def draw(self, canvas: skia.Canvas, view: View, frame: int,
             shift: tuple[int, int] = (0, 0)) -> None:
        """Draw the particles of ``frame`` over the whole picture, moved by ``shift`` pixels
        with it (the gate weave)."""
        w = float(view.width)
        span = view.aspect + 0.1  # in frame widths; particles wrap just off screen
        canvas.save()
        canvas.resetMatrix()
        canvas.translate(*shift)
        canvas.scale(w, w)
        if self.kind == "rain":
            fall = (self.y * span + frame * 0.06 * self.speed) % span - 0.05
            x = (self.x + fall * 0.12) % 1.0
            far = self.size < 0.6
            for mask, width, length, alpha in ((far, 0.0016, 0.03, 0.3),
                                               (~far, 0.0026, 0.055, 0.42)):
                path = skia.Path()
                for xi, yi, si in zip(x[mask], fall[mask], self.speed[mask], strict=True):
                    path.moveTo(float(xi), float(yi))
                    path.lineTo(float(xi - length * 0.12 * si), float(yi - length * si))
                paint = skia.Paint(AntiAlias=True, Color=argb(self.color, alpha),
                                   Style=skia.Paint.kStroke_Style, StrokeWidth=width,
                                   StrokeCap=skia.Paint.kRound_Cap)
                canvas.drawPath(path, paint)
        else:
            fall = (self.y * span + frame * 0.0045 * self.speed) % span - 0.05
            sway = 0.018 * np.sin(frame * 0.06 * self.speed + self.phase)
            x = (self.x + sway) % 1.0
            for lo, hi, radius, alpha in ((0.0, 0.55, 0.0025, 0.6), (0.55, 0.85, 0.004, 0.8),
                                          (0.85, 1.01, 0.0062, 0.9)):
                mask = (self.size >= lo) & (self.size < hi)
                path = skia.Path()
                for xi, yi in zip(x[mask], fall[mask], strict=True):
                    path.addCircle(float(xi), float(yi), radius)
                canvas.drawPath(path, fill(self.color, alpha))
        canvas.restore()
