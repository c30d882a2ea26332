"""The embedded procedural painter: renders a ShotLayout in the ink, papercut or flat look,
with no GPU and no weights.

A shot is painted as a set (parallax layers recorded once and rendered once per camera state),
the actors on top (rigged figures built only from each character's Look), then animated
weather, then the finish (paper, vignette, grain, gate weave). Same layout in, byte-identical
frames out.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Iterator

import numpy as np
import skia

from yingxi.backends.embedded.painter.backdrop import Backdrop
from yingxi.backends.embedded.painter.camera import (
    View,
    new_buffer,
    rgba_to_rgb,
    surface_over,
    view_at,
)
from yingxi.backends.embedded.painter.figures import Figure
from yingxi.backends.embedded.painter.finish import Finish, finished_rgb, shifted
from yingxi.backends.embedded.painter.sets import build_set, set_key
from yingxi.backends.embedded.painter.sky import weather_fx
from yingxi.backends.protocols import BackendInfo, ImageArray
from yingxi.schema.layout import ShotLayout

__all__ = ["EmbeddedPainter"]

log = logging.getLogger(__name__)


class EmbeddedPainter:
    """The built-in painter: vector illustration drawn with skia on the CPU, in three looks."""

    info = BackendInfo(role="painter", name="embedded", version="3")

    def paint(self, layout: ShotLayout) -> Iterator[ImageArray]:
        """Yield ``layout.frames`` frames, each (height, width, 3) uint8 RGB, C-contiguous."""
        return _frames(layout)


def _frames(layout: ShotLayout) -> Iterator[ImageArray]:
    stage = build_set(layout)
    everyone = [Figure(track, layout.character(track.character), stage.light, layout.ground_y,
                       layout.fps, stage.context.style) for track in layout.actors]
    figures = [f for f in everyone if not f.foreground]
    near = Foreground([f for f in everyone if f.foreground], layout)
    fx = weather_fx(stage.light, stage.context.key)
    buffer = new_buffer(layout.width, layout.height)
    surface = surface_over(buffer)
    canvas = surface.getCanvas()
    backdrop = Backdrop(layout, stage, figures, canvas, buffer)
    log.debug("painting %s: %d frames, %dx%d, %s, %d actors, %s backdrop", layout.location.id,
              layout.frames, layout.width, layout.height, layout.time_of_day, len(figures),
              backdrop.mode)
    finish = Finish(layout.look, layout.width, layout.height, layout.imperfections,
                    set_key(layout))
    box = None
    if backdrop.mode == "static" and fx is None and not backdrop.moving:
        # Only the actors change: restore, redraw, finish and convert just the box round them.
        box = _actors_box(everyone, view_at(layout, 0))
        plates = [finished_rgb(backdrop.plate, finish, k)
                  for k in range(max(1, len(finish.images)))]
    for frame in range(layout.frames):
        view = backdrop.restore(frame, box)
        _draw_actors(canvas, figures, view, frame, box)
        near.draw(canvas, view, box)
        dx, dy = finish.offset(frame)
        if box is not None:
            finish.apply(canvas, frame, box)
            out = shifted(plates[finish.index(frame)], dx, dy)
            _paste(out, rgba_to_rgb(buffer[box[1]:box[3], box[0]:box[2]]), box[0] + dx,
                   box[1] + dy)
            yield out
            continue
        if fx is not None:
            fx.draw(canvas, view, frame)
        finish.apply(canvas, frame)
        rgb = rgba_to_rgb(buffer)
        yield rgb if dx == dy == 0 else shifted(rgb, dx, dy)
    del surface


class Foreground:
    """The near shoulder of an over-the-shoulder: dark and out of focus, in front of all.

    It neither speaks nor blinks, so under a still camera it is painted (with its blur)
    once and then laid over every frame as an image.
    """

    def __init__(self, figures: list[Figure], layout: ShotLayout) -> None:
        """Prepare the figures; nothing is painted until the first frame needs it."""
        self.figures, self.layout = figures, layout
        cam = layout.camera
        self.still = cam.zoom_start == cam.zoom_end and not cam.pans
        self._snap: tuple[skia.Image | None, tuple[int, int]] | None = None
        sigma = layout.width * 0.006
        dim = skia.ColorFilters.Matrix([0.55, 0, 0, 0, 0.02,
                                        0, 0.55, 0, 0, 0.02,
                                        0, 0, 0.6, 0, 0.04,
                                        0, 0, 0, 1, 0])
        self.paint = skia.Paint(ImageFilter=skia.ImageFilters.ColorFilter(
            dim, skia.ImageFilters.Blur(sigma, sigma)))

    def draw(self, canvas: skia.Canvas, view: View,
             box: tuple[int, int, int, int] | None) -> None:
        """Lay the foreground figures over the frame."""
        if not self.figures:
            return
        if not self.still:
            self._paint(canvas, view)
            return
        if self._snap is None:
            self._snap = self._snapshot(view)
        image, at = self._snap
        if image is None:
            return
        canvas.save()
        if box is not None:
            canvas.clipRect(skia.Rect.MakeLTRB(*box))
        canvas.resetMatrix()
        canvas.drawImage(image, *at)
        canvas.restore()

    def _snapshot(self, view: View) -> tuple[skia.Image | None, tuple[int, int]]:
        """The foreground painted once, cropped to what it covers (a shoulder fills a corner:
        drawing the whole frame every frame would cost a full-frame blend)."""
        buffer = new_buffer(view.width, view.height)
        surface = surface_over(buffer)
        self._paint(surface.getCanvas(), view)
        del surface
        rows = np.flatnonzero(buffer[..., 3].any(axis=1))
        cols = np.flatnonzero(buffer[..., 3].any(axis=0))
        if not len(rows):
            return None, (0, 0)
        crop = np.ascontiguousarray(buffer[rows[0]:rows[-1] + 1, cols[0]:cols[-1] + 1])
        image = skia.Image.fromarray(crop, colorType=skia.kRGBA_8888_ColorType,
                                     alphaType=skia.kPremul_AlphaType)
        return image, (int(cols[0]), int(rows[0]))

    def _paint(self, canvas: skia.Canvas, view: View) -> None:
        canvas.saveLayer(None, self.paint)
        canvas.setMatrix(view.matrix())
        for figure in self.figures:
            figure.draw(canvas, 0)
        canvas.restore()


def _draw_actors(canvas: skia.Canvas, figures: list[Figure], view: View, frame: int,
                 box: tuple[int, int, int, int] | None) -> None:
    canvas.save()
    if box is not None:
        canvas.clipRect(skia.Rect.MakeLTRB(*box))
    canvas.setMatrix(view.matrix())
    for figure in figures:
        figure.draw(canvas, frame)
    canvas.restore()


def _paste(out: ImageArray, patch: ImageArray, x: int, y: int) -> None:
    """Copy ``patch`` into ``out`` with its top-left corner at (x, y), clipped to ``out``."""
    h, w = out.shape[:2]
    x0, y0 = max(0, x), max(0, y)
    x1, y1 = min(w, x + patch.shape[1]), min(h, y + patch.shape[0])
    if x1 > x0 and y1 > y0:
        out[y0:y1, x0:x1] = patch[y0 - y:y1 - y, x0 - x:x1 - x]


def _actors_box(figures: list[Figure], view: View) -> tuple[int, int, int, int] | None:
    """Pixel box (x0, y0, x1, y1) holding every actor, its width a multiple of 4; None if empty.

    Drawing is clipped to it, so a generous box only costs time, never correctness.
    """
    boxes = [f.bounds() for f in figures]
    if not boxes:
        return None
    left, top = view.to_screen(min(b[0] for b in boxes), min(b[1] for b in boxes))
    right, bottom = view.to_screen(max(b[2] for b in boxes), max(b[3] for b in boxes))
    x0, y0 = max(0, math.floor(left) - 2), max(0, math.floor(top) - 2)
    x1, y1 = min(view.width, math.ceil(right) + 2), min(view.height, math.ceil(bottom) + 2)
    if x1 <= x0 or y1 <= y0:
        return None
    x1 = min(view.width, x0 + -(-(x1 - x0) // 4) * 4)
    x0 = max(0, x1 - -(-(x1 - x0) // 4) * 4)
    if (x1 - x0) % 4:
        return None
    return x0, y0, x1, y1
