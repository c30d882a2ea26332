"""The background under the actors, frame by frame, at the least cost the camera allows.

* A static camera (most shots): the set and the actors' shadows are painted once.
* A gentle push-in or pull-out (the layout's close-ups creep in a few percent): the set is
  painted once, a little larger than the frame at the shot's widest zoom, and every frame
  picks its pixels from that plate (a nearest-pixel gather: a few milliseconds in numpy,
  where skia's CPU image resampling takes tens).
* A big zoom change: the set is repainted every frame, except far layers that barely move.
"""

from __future__ import annotations

import math

import numpy as np
import skia

from yingxi.backends.embedded.painter.camera import RGBA, View, surface_over, view_at
from yingxi.backends.embedded.painter.figures import Figure
from yingxi.backends.embedded.painter.sets import StageSet, frozen_layers, paint_set
from yingxi.schema.layout import ShotLayout

# Largest zoom ratio over a shot that the plate gather serves; beyond it pixels would be
# skipped visibly (nearest-pixel downscaling aliases), so the set is repainted instead.
_GATHER_MAX_RATIO = 1.15


def paint_background(canvas: skia.Canvas, stage: StageSet, figures: list[Figure], view: View,
                     first: int = 0, origin: tuple[float, float] = (0.0, 0.0)) -> None:
    """Paint the set's layers from ``first`` on, then the actors' contact shadows.

    ``origin`` shifts everything on the canvas (a plate larger than the frame).
    """
    paint_set(canvas, stage, view, first=first, origin=origin)
    canvas.save()
    canvas.setMatrix(skia.Matrix.Translate(*origin).preConcat(view.matrix()))
    for figure in figures:
        figure.shadow(canvas)
    canvas.restore()


class Backdrop:
    """Writes the background of any frame of one shot into the frame buffer."""

    def __init__(self, layout: ShotLayout, stage: StageSet, figures: list[Figure],
                 canvas: skia.Canvas, buffer: RGBA) -> None:
        """Prepare whatever the shot's camera needs (plates are painted here, once)."""
        self.layout, self.stage, self.figures = layout, stage, figures
        self.canvas, self.buffer = canvas, buffer
        cam = layout.camera
        z0, z1 = cam.zoom_start, cam.zoom_end
        self.held = 0
        if z0 == z1:
            self.mode = "static"
            canvas.clear(skia.ColorBLACK)
            paint_background(canvas, stage, figures, view_at(layout, 0))
            self.plate = buffer.copy()
        elif max(z0, z1) / min(z0, z1) <= _GATHER_MAX_RATIO:
            self.mode = "gather"
            self.plate = self._big_plate(max(z0, z1), min(z0, z1))
        else:
            self.mode = "repaint"
            self.held = frozen_layers(stage, z1 - z0)
            canvas.clear(skia.ColorBLACK)
            paint_set(canvas, stage, view_at(layout, layout.frames // 2), last=self.held)
            self.plate = buffer.copy()

    def _big_plate(self, z_max: float, z_min: float) -> RGBA:
        """The set at the largest zoom, with margins wide enough for the smallest zoom."""
        lay = self.layout
        ratio = z_max / z_min
        pad_x = math.ceil(lay.width * (ratio - 1.0) / 2.0) + 1
        pad_y = math.ceil(lay.height * (ratio - 1.0) / 2.0) + 1
        plate = np.zeros((lay.height + 2 * pad_y, lay.width + 2 * pad_x, 4), dtype=np.uint8)
        surface = surface_over(plate)
        cam = lay.camera
        view = View(cam.center_x, cam.center_y, z_max, lay.width, lay.height)
        canvas = surface.getCanvas()
        canvas.clear(skia.ColorBLACK)
        paint_background(canvas, self.stage, self.figures, view, origin=(pad_x, pad_y))
        del surface
        self.z_max, self.pad_x, self.pad_y = z_max, pad_x, pad_y
        self._plate32 = plate.view(np.uint32)[..., 0]
        return plate

    def restore(self, frame: int, box: tuple[int, int, int, int] | None = None) -> View:
        """Write frame ``frame``'s background (only ``box`` if given); return its view."""
        view = view_at(self.layout, frame)
        if self.mode == "static":
            if box is None:
                np.copyto(self.buffer, self.plate)
            else:
                x0, y0, x1, y1 = box
                np.copyto(self.buffer[y0:y1, x0:x1], self.plate[y0:y1, x0:x1])
        elif self.mode == "gather":
            self._gather(view)
        else:
            np.copyto(self.buffer, self.plate)
            paint_background(self.canvas, self.stage, self.figures, view, first=self.held)
        return view

    def _gather(self, view: View) -> None:
        # Frame pixel u shows the world point the big plate holds at (u - W/2) * r + plate
        # centre, r = z_max / zoom; at the largest zoom the mapping is exactly one to one.
        r = self.z_max / view.zoom
        w, h = view.width, view.height
        xs = np.floor((np.arange(w) + 0.5 - w / 2) * r + w / 2 + self.pad_x).astype(np.intp)
        ys = np.floor((np.arange(h) + 0.5 - h / 2) * r + h / 2 + self.pad_y).astype(np.intp)
        np.clip(xs, 0, self._plate32.shape[1] - 1, out=xs)
        np.clip(ys, 0, self._plate32.shape[0] - 1, out=ys)
        out = self.buffer.view(np.uint32)[..., 0]
        np.take(self._plate32[ys], xs, axis=1, out=out)
