"""The background under the actors, frame by frame, at the least cost the camera allows.

* A static camera (most shots): the set and the actors' shadows are painted once; a layer
  that moves by itself (geese crossing the sky) is painted over it every frame, and the
  pixels of whatever stands nearer are put back over it from the plate.
* A gentle push-in or pull-out, a pan or a tilt: the set is painted once, at the shot's
  largest zoom and large enough for every view of the move, and every frame picks its pixels
  from that plate (a nearest-pixel gather: a few milliseconds in numpy, where skia's CPU
  image resampling takes tens). A plate has no parallax, which is right for a pan or tilt
  (the camera turns, it does not travel).
* A big zoom change: the set is repainted every frame, except far layers that barely move.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import skia

from yingxi.backends.embedded.painter.camera import RGBA, BigPlate, View, surface_over, view_at
from yingxi.backends.embedded.painter.figures import Figure
from yingxi.backends.embedded.painter.inserts import draw_prop
from yingxi.backends.embedded.painter.palette import hex_rgb
from yingxi.backends.embedded.painter.sets import StageSet, frozen_layers, paint_set, veil_amount
from yingxi.schema.layout import PropSpec, ShotLayout

# Largest zoom ratio over a shot that the plate gather serves; beyond it pixels would be
# skipped visibly (nearest-pixel downscaling aliases), so the set is repainted instead.
GATHER_MAX_RATIO = 1.15


def paint_background(canvas: skia.Canvas, stage: StageSet, figures: list[Figure], view: View,
                     first: int = 0, origin: tuple[float, float] = (0.0, 0.0),
                     moving: bool = True, insert: PropSpec | None = None) -> None:
    """Paint the set's layers from ``first`` on, then the actors' contact shadows.

    ``origin`` shifts everything on the canvas (a plate larger than the frame); layers that
    move by themselves are left out unless ``moving``. An ``insert`` shot shows its prop in
    front of the set, which is thrown out of focus (a real blur: an insert's set is painted
    once per shot, so it can afford one).
    """
    if insert is not None:
        blur = skia.Paint(ImageFilter=skia.ImageFilters.Blur(view.width * 0.012,
                                                             view.width * 0.012))
        canvas.saveLayer(None, blur)
    paint_set(canvas, stage, view, first=first, origin=origin, moving=moving)
    canvas.save()
    canvas.setMatrix(skia.Matrix.Translate(*origin).preConcat(view.matrix()))
    for figure in figures:
        figure.shadow(canvas)
    canvas.restore()
    if insert is not None:
        canvas.restore()
        canvas.save()
        canvas.setMatrix(skia.Matrix.Translate(*origin).preConcat(view.matrix()))
        color = hex_rgb(insert.color) if insert.color else None
        draw_prop(canvas, insert.shape, insert.x, insert.y, insert.size, color, stage.light)
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
        self.moving = [i for i, layer in enumerate(stage.layers) if layer.motion is not None]
        if z0 == z1 and not cam.pans:
            self.mode = "static"
            canvas.clear(skia.ColorBLACK)
            paint_background(canvas, stage, figures, view_at(layout, 0), moving=False,
                             insert=layout.insert)
            self.plate = buffer.copy()
            if self.moving:
                self._cover = self._nearer_cover(view_at(layout, 0))
        elif max(z0, z1) / min(z0, z1) <= GATHER_MAX_RATIO:  # a pan at one zoom, too
            self.mode = "gather"
            self.plate = self._big_plate()
        else:
            self.mode = "repaint"
            self.held = frozen_layers(stage, z1 - z0)
            canvas.clear(skia.ColorBLACK)
            paint_set(canvas, stage, view_at(layout, layout.frames // 2), last=self.held)
            self.plate = buffer.copy()

    def _nearer_cover(self, view: View) -> tuple[slice, npt.NDArray[np.bool_]]:
        """Which pixels the layers in front of the first moving layer cover (those hide it),
        over the rows where anything behind them still shows."""
        self.canvas.clear(skia.ColorTRANSPARENT)
        paint_set(self.canvas, self.stage, view, first=self.moving[0] + 1, moving=False,
                  veil=False)
        covered = self.buffer[..., 3] >= 128  # thin mist lets them show through
        open_rows = np.flatnonzero(~covered.all(axis=1))
        rows = slice(int(open_rows[0]), int(open_rows[-1]) + 1) if open_rows.size else slice(0, 0)
        return rows, covered[rows]

    def _big_plate(self) -> RGBA:
        """The set painted once for the whole move (see :class:`BigPlate`)."""
        self.geometry = BigPlate.of(self.layout)
        g = self.geometry
        plate = np.zeros((*g.shape, 4), dtype=np.uint8)
        surface = surface_over(plate)
        canvas = surface.getCanvas()
        canvas.clear(skia.ColorBLACK)
        paint_background(canvas, self.stage, self.figures, g.view(), origin=(g.pad_x, g.pad_y),
                         insert=self.layout.insert)
        del surface
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
            if self.moving:
                self._move(view, frame)
        elif self.mode == "gather":
            self._gather(view)
        else:
            np.copyto(self.buffer, self.plate)
            paint_background(self.canvas, self.stage, self.figures, view, first=self.held,
                             insert=self.layout.insert)
        return view

    def _move(self, view: View, frame: int) -> None:
        """Paint the moving layers at ``frame``, then put back what stands nearer."""
        veil = veil_amount(view)
        for index in self.moving:
            layer = self.stage.layers[index]
            assert layer.motion is not None
            self.canvas.save()
            self.canvas.setMatrix(view.layer(layer.depth).matrix())
            layer.motion.draw(self.canvas, frame, self.stage.veil, veil if veil >= 0.01 else 0.0)
            self.canvas.restore()
        rows, covered = self._cover
        out = self.buffer.view(np.uint32)[rows, :, 0]
        np.copyto(out, self.plate.view(np.uint32)[rows, :, 0], where=covered)

    def _gather(self, view: View) -> None:
        ys, xs = self.geometry.indices(view)
        out = self.buffer.view(np.uint32)[..., 0]
        np.take(self._plate32[ys], xs, axis=1, out=out)
