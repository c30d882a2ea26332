"""The embedded procedural painter: renders a ShotLayout in the ink, papercut or flat look,
with no GPU and no weights.

A shot is painted as a set (parallax layers recorded once and rendered once per camera state),
the actors on top (rigged figures built only from each character's Look), then animated
weather, then the finish (paper, vignette, grain, gate weave). Same layout in, byte-identical
frames out.

Frames leave as the RGBA buffers they are painted in (the encoder converts RGBA as cheaply
as RGB), each painted where the gate weave puts it, so nothing is copied or converted after
the last brush stroke. Under a still camera only the box round the actors is painted per
frame; the rest is the set, finished once.
"""

from __future__ import annotations

import functools
import logging
import math
from collections.abc import Iterator

import numpy as np
import skia

from yingxi.backends.embedded.painter.backdrop import Backdrop
from yingxi.backends.embedded.painter.camera import (
    RGBA,
    View,
    new_buffer,
    surface_over,
    view_at,
)
from yingxi.backends.embedded.painter.draw import record
from yingxi.backends.embedded.painter.figures import Figure
from yingxi.backends.embedded.painter.finish import Box, Finish, copy_moved, repeat_edges
from yingxi.backends.embedded.painter.sets import build_set, set_key
from yingxi.backends.embedded.painter.sky import weather_fx
from yingxi.backends.protocols import BackendInfo, ImageArray
from yingxi.schema.layout import ShotLayout

__all__ = ["EmbeddedPainter"]

log = logging.getLogger(__name__)


class EmbeddedPainter:
    """The built-in painter: vector illustration drawn with skia on the CPU, in three looks."""

    info = BackendInfo(role="painter", name="embedded", version="4")

    def paint(self, layout: ShotLayout) -> Iterator[ImageArray]:
        """Yield ``layout.frames`` frames, each a new (height, width, 4) uint8 RGBA array,
        C-contiguous and opaque (alpha 255): the encoder takes it as it is."""
        return _frames(layout)


def _frames(layout: ShotLayout) -> Iterator[ImageArray]:
    stage = build_set(layout)
    everyone = [Figure(track, layout.character(track.character), stage.light, layout.ground_y,
                       layout.fps, stage.context.style) for track in layout.actors]
    figures = [f for f in everyone if not f.foreground]
    near = Foreground([f for f in everyone if f.foreground], layout)
    fx = weather_fx(stage.light, stage.context.key)
    backdrop = Backdrop(layout, stage, figures)
    log.debug("painting %s: %d frames, %dx%d, %s, %d actors, %s backdrop", layout.location.id,
              layout.frames, layout.width, layout.height, layout.time_of_day, len(figures),
              backdrop.mode)
    finish = Finish(layout.look, layout.width, layout.height, layout.imperfections,
                    set_key(layout))
    width, height = layout.width, layout.height
    held = backdrop.mode == "static" and fx is None and not backdrop.moving
    if held:
        # Only the actors change: the set and the foreground are finished once (one plate
        # per grain image), and a frame is that plate with the box round the actors
        # painted and finished afresh.
        ground = backdrop.plate.copy()
        surface = surface_over(ground)
        near.draw(surface.getCanvas(), view_at(layout, 0), None, (0, 0))
        del surface
        plates = [finish.finished(ground, k) for k in range(max(1, len(finish.images)))]
        del ground
    # Every frame is a new buffer, painted where the gate weave puts it (the shift is in
    # every copy and every matrix), so that it leaves as it is: no conversion, no copy.
    for frame in range(layout.frames):
        dx, dy = finish.offset(frame)
        out = np.empty((height, width, 4), dtype=np.uint8)
        region: Box | None = None
        actors: skia.Picture | None = None
        if held:
            plate = plates[finish.index(frame)]
            view = view_at(layout, frame)
            # the actors recorded first: the picture's bounds are the box to repaint
            actors = record(functools.partial(_draw_figures, figures=figures, frame=frame),
                            bounded=True)
            region = _actors_box(actors, view, (dx, dy))
            if region is not None and (region[2] <= region[0] or region[3] <= region[1]):
                copy_moved(out, plate, dx, dy)  # no actor on screen: the plate as it is
                repeat_edges(out, dx, dy)
                yield out
                continue
            _fill(out, plate, backdrop.plate, dx, dy, region)
        surface = surface_over(out)
        canvas = surface.getCanvas()
        if not held:
            view = backdrop.restore(frame, out, canvas, (dx, dy))
        canvas.save()
        if region is not None:
            canvas.clipRect(skia.Rect.MakeLTRB(*region))
        canvas.setMatrix(skia.Matrix.Translate(dx, dy).preConcat(view.matrix()))
        if actors is not None:
            canvas.drawPicture(actors)
        else:
            _draw_figures(canvas, figures, frame)
        canvas.restore()
        near.draw(canvas, view, region, (dx, dy))
        if fx is not None:
            fx.draw(canvas, view, frame, (dx, dy))
        finish.apply(canvas, frame, region, (dx, dy))
        del canvas, surface
        repeat_edges(out, dx, dy)
        yield out


def _draw_figures(canvas: skia.Canvas, figures: list[Figure], frame: int) -> None:
    """The actors at ``frame``, in world units."""
    for figure in figures:
        figure.draw(canvas, frame)


def _actors_box(actors: skia.Picture, view: View, shift: tuple[int, int]) -> Box | None:
    """The pixel box (x0, y0, x1, y1) that the recorded ``actors`` cover under ``view``,
    moved by ``shift`` and kept to the frame (empty if they are off it). None: the whole
    frame.

    Drawing is clipped to it, so a generous box only costs time, never correctness: the
    picture's bounds are the R-tree's, which allow for strokes, blurs and antialiasing.
    """
    area = actors.cullRect()
    if area.isEmpty():
        return 0, 0, 0, 0
    left, top = view.to_screen(area.left(), area.top())
    right, bottom = view.to_screen(area.right(), area.bottom())
    dx, dy = shift
    x0 = min(view.width, max(0, math.floor(left) - 2 + dx))
    y0 = min(view.height, max(0, math.floor(top) - 2 + dy))
    x1 = max(x0, min(view.width, math.ceil(right) + 2 + dx))
    y1 = max(y0, min(view.height, math.ceil(bottom) + 2 + dy))
    return x0, y0, x1, y1


def _fill(out: RGBA, finished: RGBA, raw: RGBA, dx: int, dy: int, region: Box | None) -> None:
    """A held shot's background, moved by (dx, dy): the finished plate round ``region``
    and the plate itself inside it, where the actors are painted and finished afresh."""
    if region is None:
        copy_moved(out, raw, dx, dy)
        return
    height, width = out.shape[:2]
    x0, y0, x1, y1 = region
    for strip in ((0, 0, width, y0), (0, y1, width, height), (0, y0, x0, y1),
                  (x1, y0, width, y1)):
        if strip[2] > strip[0] and strip[3] > strip[1]:
            copy_moved(out, finished, dx, dy, strip)
    copy_moved(out, raw, dx, dy, region)


class Foreground:
    """The near shoulder of an over-the-shoulder: dark and out of focus, in front of all.

    It is painted at half resolution, where its blur costs a quarter as much (a blur of
    several pixels leaves no detail that the half size loses), and enlarged. It neither
    speaks nor blinks, so under a still camera that happens once and the result is laid
    over every frame as an image.
    """

    def __init__(self, figures: list[Figure], layout: ShotLayout) -> None:
        """Prepare the figures; nothing is painted until the first frame needs it."""
        self.figures, self.layout = figures, layout
        cam = layout.camera
        self.still = cam.zoom_start == cam.zoom_end and not cam.pans
        self._snap: tuple[skia.Image | None, tuple[int, int]] | None = None
        self._picture: skia.Picture | None = None  # frame 0: it never moves by itself
        self.sigma = layout.width * 0.006
        dim = skia.ColorFilters.Matrix([0.55, 0, 0, 0, 0.02,
                                        0, 0.55, 0, 0, 0.02,
                                        0, 0, 0.6, 0, 0.04,
                                        0, 0, 0, 1, 0])
        half = self.sigma / _FOREGROUND_SCALE
        self.paint = skia.Paint(ImageFilter=skia.ImageFilters.ColorFilter(
            dim, skia.ImageFilters.Blur(half, half)))

    def draw(self, canvas: skia.Canvas, view: View, region: Box | None,
             shift: tuple[int, int]) -> None:
        """Lay the foreground figures over the frame (only ``region`` if given), moved by
        ``shift`` pixels."""
        if not self.figures:
            return
        dx, dy = shift
        if not self.still:
            small, (x0, y0) = self._small(view)
            _enlarge(canvas, _image(small), x0 + dx, y0 + dy)
            return
        if self._snap is None:
            self._snap = self._snapshot(view)
        image, (x, y) = self._snap
        if image is None:
            return
        canvas.save()
        if region is not None:
            canvas.clipRect(skia.Rect.MakeLTRB(*region))
        canvas.resetMatrix()
        canvas.drawImage(image, x + dx, y + dy)
        canvas.restore()

    def _snapshot(self, view: View) -> tuple[skia.Image | None, tuple[int, int]]:
        """The foreground painted once at full size, cropped to what it covers in the frame
        (a shoulder fills a corner: a whole frame every frame would cost a full-frame blend).
        """
        k = _FOREGROUND_SCALE
        pixels, (x0, y0) = self._small(view)
        small = _image(pixels)
        # the small pixels that show on the frame and are not blank, one more each side
        # for the bilinear enlargement's reach
        alpha = pixels[..., 3]
        rows, cols = np.flatnonzero(alpha.any(axis=1)), np.flatnonzero(alpha.any(axis=0))
        if not len(rows):
            return None, (0, 0)
        r0 = max(int(rows[0]) - 1, -y0 // k, 0)
        c0 = max(int(cols[0]) - 1, -x0 // k, 0)
        r1 = min(int(rows[-1]) + 2, -(-(view.height - y0) // k), alpha.shape[0])
        c1 = min(int(cols[-1]) + 2, -(-(view.width - x0) // k), alpha.shape[1])
        if r1 <= r0 or c1 <= c0:
            return None, (0, 0)
        buffer = new_buffer((c1 - c0) * k, (r1 - r0) * k)
        surface = surface_over(buffer)
        _enlarge(surface.getCanvas(), small, -c0 * k, -r0 * k)
        del surface
        at = (x0 + c0 * k, y0 + r0 * k)
        # what falls off the frame is cut away, so that the image starts on it
        cut_x, cut_y = max(0, -at[0]), max(0, -at[1])
        crop = np.ascontiguousarray(buffer[cut_y:view.height - at[1], cut_x:view.width - at[0]])
        return _image(crop), (at[0] + cut_x, at[1] + cut_y)

    def _small(self, view: View) -> tuple[RGBA, tuple[int, int]]:
        """The blurred, dimmed figures at 1/:data:`_FOREGROUND_SCALE` size, and the frame
        pixel where the image's top-left corner goes once enlarged.

        It covers what the figures draw and the reach of the blur, within the frame widened
        by that reach: what lies just off the frame still blurs into its edge.
        """
        k = _FOREGROUND_SCALE
        reach = math.ceil(3 * self.sigma)
        if self._picture is None:
            self._picture = record(self._draw, bounded=True)  # its cull rect: what it covers
        area = self._picture.cullRect()
        left, top = view.to_screen(area.left(), area.top())
        right, bottom = view.to_screen(area.right(), area.bottom())
        x0 = max(-2 * reach, math.floor(left) - reach) // k * k
        y0 = max(-2 * reach, math.floor(top) - reach) // k * k
        x1 = min(view.width + 2 * reach, math.ceil(right) + reach)
        y1 = min(view.height + 2 * reach, math.ceil(bottom) + reach)
        pixels = new_buffer(max(1, -(-(x1 - x0) // k)), max(1, -(-(y1 - y0) // k)))
        surface = surface_over(pixels)
        canvas = surface.getCanvas()
        canvas.saveLayer(None, self.paint)
        canvas.setMatrix(skia.Matrix.Scale(1 / k, 1 / k).preTranslate(-x0, -y0)
                         .preConcat(view.matrix()))
        canvas.drawPicture(self._picture)
        canvas.restore()
        del surface
        return pixels, (x0, y0)

    def _draw(self, canvas: skia.Canvas) -> None:
        for figure in self.figures:
            figure.draw(canvas, 0)


# The foreground is painted at 1/2 size: enough for a blur of 6 pixels (at 1080 wide).
_FOREGROUND_SCALE = 2


def _image(pixels: RGBA) -> skia.Image:
    """A skia image of premultiplied RGBA pixels (a copy)."""
    return skia.Image.fromarray(pixels, colorType=skia.kRGBA_8888_ColorType,
                                alphaType=skia.kPremul_AlphaType)


def _enlarge(canvas: skia.Canvas, small: skia.Image, x: int, y: int) -> None:
    """Draw ``small`` enlarged :data:`_FOREGROUND_SCALE` times, bilinear, its top-left
    corner at frame pixel (x, y)."""
    k = _FOREGROUND_SCALE
    canvas.save()
    canvas.resetMatrix()
    canvas.drawImageRect(small, skia.Rect.MakeXYWH(x, y, small.width() * k, small.height() * k),
                         skia.SamplingOptions(skia.FilterMode.kLinear))
    canvas.restore()
