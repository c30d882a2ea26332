"""Small drawing helpers over skia: paints, gradients, smooth paths, seeded randomness.

Every size here is in world units (a wide shot is 1.0 wide); the camera matrix turns them into
pixels, which is what makes a 270x480 render a faithful small copy of a 1080x1920 one.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence

import numpy as np
import skia

from yingxi.backends.embedded.painter.palette import RGB, argb

Point = tuple[float, float]

# Pictures are recorded over a generous area so parallax and panning never reach their edge.
WORLD_BOUNDS = skia.Rect.MakeLTRB(-3.0, -3.0, 4.0, 5.0)


def rng_for(*parts: object) -> np.random.Generator:
    """A generator seeded from the given parts only (never from global state or time)."""
    digest = hashlib.sha256("\x1f".join(str(p) for p in parts).encode("utf-8")).digest()
    return np.random.Generator(np.random.PCG64(int.from_bytes(digest[:16], "little")))


def fill(color: RGB, alpha: float = 1.0) -> skia.Paint:
    """An anti-aliased solid fill."""
    return skia.Paint(AntiAlias=True, Color=argb(color, alpha))


def stroke(color: RGB, width: float, alpha: float = 1.0) -> skia.Paint:
    """An anti-aliased stroke with round caps and joins."""
    return skia.Paint(
        AntiAlias=True, Color=argb(color, alpha), Style=skia.Paint.kStroke_Style,
        StrokeWidth=width, StrokeCap=skia.Paint.kRound_Cap, StrokeJoin=skia.Paint.kRound_Join,
    )


def linear(p0: Point, p1: Point, colors: Sequence[RGB], alphas: Sequence[float] | None = None,
           positions: Sequence[float] | None = None) -> skia.Paint:
    """A dithered linear-gradient fill (dithering hides 8-bit banding in soft skies)."""
    alphas = alphas if alphas is not None else [1.0] * len(colors)
    packed = [argb(c, a) for c, a in zip(colors, alphas, strict=True)]
    shader = skia.GradientShader.MakeLinear(
        [skia.Point(*p0), skia.Point(*p1)], packed,
        list(positions) if positions is not None else None,
    )
    return skia.Paint(AntiAlias=True, Shader=shader, Dither=True)


def vertical(y0: float, y1: float, colors: Sequence[RGB],
             alphas: Sequence[float] | None = None,
             positions: Sequence[float] | None = None) -> skia.Paint:
    """A vertical gradient from world y0 (first colour) to y1 (last colour)."""
    return linear((0.0, y0), (0.0, y1), colors, alphas, positions)


def radial(center: Point, radius: float, colors: Sequence[RGB],
           alphas: Sequence[float] | None = None,
           positions: Sequence[float] | None = None) -> skia.Paint:
    """A dithered radial-gradient fill, for glows and soft light pools."""
    alphas = alphas if alphas is not None else [1.0] * len(colors)
    shader = skia.GradientShader.MakeRadial(
        skia.Point(*center), radius,
        [argb(c, a) for c, a in zip(colors, alphas, strict=True)],
        list(positions) if positions is not None else None,
    )
    return skia.Paint(AntiAlias=True, Shader=shader, Dither=True)


def soft(paint: skia.Paint, sigma: float) -> skia.Paint:
    """The same paint with a gaussian edge of ``sigma`` world units."""
    paint.setMaskFilter(skia.MaskFilter.MakeBlur(skia.kNormal_BlurStyle, sigma))
    return paint


def smooth_path(points: Sequence[Point], closed: bool = False) -> skia.Path:
    """A Catmull-Rom curve through ``points`` as cubic Béziers (soft, organic outlines)."""
    path = skia.Path()
    n = len(points)
    if n < 2:
        return path
    path.moveTo(*points[0])
    count = n if closed else n - 1
    for i in range(count):
        p0 = points[(i - 1) % n] if closed or i > 0 else points[i]
        p1 = points[i]
        p2 = points[(i + 1) % n]
        p3 = points[(i + 2) % n] if closed or i + 2 < n else p2
        c1 = (p1[0] + (p2[0] - p0[0]) / 6.0, p1[1] + (p2[1] - p0[1]) / 6.0)
        c2 = (p2[0] - (p3[0] - p1[0]) / 6.0, p2[1] - (p3[1] - p1[1]) / 6.0)
        path.cubicTo(c1[0], c1[1], c2[0], c2[1], p2[0], p2[1])
    if closed:
        path.close()
    return path


def polygon(points: Sequence[Point]) -> skia.Path:
    """A closed straight-edged path."""
    path = skia.Path()
    path.moveTo(*points[0])
    for p in points[1:]:
        path.lineTo(*p)
    path.close()
    return path


def ridge(rng: np.random.Generator, x0: float, x1: float, base: float, amp: float,
          bottom: float, steps: int = 14, sharp: float = 0.0) -> tuple[skia.Path, list[Point]]:
    """A hill or mountain silhouette: a smooth random skyline filled down to ``bottom``.

    ``sharp`` in 0..1 pulls alternate points up, turning rolling hills into peaks. Returns the
    path and the skyline points (to stand things on the ridge).
    """
    xs = np.linspace(x0, x1, steps)
    phase = rng.uniform(0, 2 * np.pi, 3)
    freq = rng.uniform(0.8, 1.6, 3)
    ys = base - amp * (0.55 + 0.3 * np.sin(xs * 2 * np.pi * freq[0] + phase[0])
                       + 0.2 * np.sin(xs * 5.1 * freq[1] + phase[1])
                       + 0.12 * np.sin(xs * 11.3 * freq[2] + phase[2]))
    ys = ys - amp * sharp * rng.uniform(0.2, 0.7, steps) * (np.arange(steps) % 2)
    pts = [(float(x), float(y)) for x, y in zip(xs, ys, strict=True)]
    path = smooth_path(pts)
    path.lineTo(x1, bottom)
    path.lineTo(x0, bottom)
    path.close()
    return path, pts


def height_at(points: Sequence[Point], x: float) -> float:
    """The skyline's y at world ``x`` (linear between the ridge's points)."""
    xs = [p[0] for p in points]
    ys = [p[1] for p in points]
    return float(np.interp(x, xs, ys))


def intersect(a: skia.Path, b: skia.Path) -> skia.Path:
    """The overlap of two paths.

    Used instead of clipping when recording figures: an anti-aliased clip costs a coverage
    mask on every playback, a path op costs once when the shot starts.
    """
    return skia.Op(a, b, skia.PathOp.kIntersect_PathOp)


def subtract(a: skia.Path, b: skia.Path) -> skia.Path:
    """``a`` with ``b`` cut away."""
    return skia.Op(a, b, skia.PathOp.kDifference_PathOp)


def moved(path: skia.Path, dx: float, dy: float) -> skia.Path:
    """A translated copy of ``path``."""
    out = skia.Path(path)
    out.offset(dx, dy)
    return out


def outline(path: skia.Path, width: float) -> skia.Path:
    """The filled area a round-capped stroke of ``path`` would cover."""
    out = skia.Path()
    stroke_paint = skia.Paint(Style=skia.Paint.kStroke_Style, StrokeWidth=width,
                              StrokeCap=skia.Paint.kRound_Cap, StrokeJoin=skia.Paint.kRound_Join)
    stroke_paint.getFillPath(path, out, None, 16.0)
    return out


def record(draw: Callable[[skia.Canvas], None], bounded: bool = False) -> skia.Picture:
    """Record drawing commands once so a set can be replayed at any camera.

    A ``bounded`` picture indexes its operations in an R-tree, which trims its cull rect to
    what it really draws, strokes and blurs included (a hill's band, not the whole world):
    a layer drawn through a filter then needs an offscreen layer that size, not one the size
    of the frame, and the actors of a frame tell the box they need repainted.
    """
    recorder = skia.PictureRecorder()
    if bounded:
        canvas = recorder.beginRecording(WORLD_BOUNDS, skia.RTreeFactory()())
    else:
        canvas = recorder.beginRecording(WORLD_BOUNDS)
    draw(canvas)
    return recorder.finishRecordingAsPicture()


def rounded(x0: float, y0: float, x1: float, y1: float, r: float) -> skia.RRect:
    """A rounded rectangle from its edges."""
    return skia.RRect.MakeRectXY(skia.Rect.MakeLTRB(x0, y0, x1, y1), r, r)
