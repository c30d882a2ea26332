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

from yingxi.backends.embedded.painter.camera import (
    RGBA,
    BigPlate,
    View,
    new_buffer,
    surface_over,
    view_at,
)
from yingxi.backends.embedded.painter.figures import Figure
from yingxi.backends.embedded.painter.finish import copy_moved
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
    if insert is None:
        _paint_back(canvas, stage, figures, view, first, origin, moving)
        return
    _out_of_focus(canvas, stage, figures, view, first, origin, moving)
    canvas.save()
    canvas.setMatrix(skia.Matrix.Translate(*origin).preConcat(view.matrix()))
    color = hex_rgb(insert.color) if insert.color else None
    draw_prop(canvas, insert.shape, insert.x, insert.y, insert.size, color, stage.light)
    canvas.restore()


def _paint_back(canvas: skia.Canvas, stage: StageSet, figures: list[Figure], view: View,
                first: int, origin: tuple[float, float], moving: bool,
                scale: float = 1.0) -> None:
    """The set's layers and the contact shadows, ``scale`` times their size."""
    paint_set(canvas, stage, view, first=first, origin=origin, moving=moving, scale=scale)
    canvas.save()
    canvas.setMatrix(skia.Matrix.Translate(*origin).preScale(scale, scale)
                     .preConcat(view.matrix()))
    for figure in figures:
        figure.shadow(canvas)
    canvas.restore()


def _out_of_focus(canvas: skia.Canvas, stage: StageSet, figures: list[Figure], view: View,
                  first: int, origin: tuple[float, float], moving: bool) -> None:
    """The background of an insert, blurred: painted and blurred at 1/:data:`_SOFT` of the
    size, then enlarged. A blur this wide leaves no detail that the small size loses, and
    it costs a fraction of one at full size (the blur itself, and the set's filters)."""
    size = canvas.getBaseLayerSize()
    k = _SOFT
    small = new_buffer(-(-size.width() // k), -(-size.height() // k))
    surface = surface_over(small)
    soft = surface.getCanvas()
    sigma = view.width * 0.012 / k
    # the layer reaches past the buffer's edges as far as the blur needs: no dark rim
    soft.saveLayer(None, skia.Paint(ImageFilter=skia.ImageFilters.Blur(sigma, sigma)))
    _paint_back(soft, stage, figures, view, first, (origin[0] / k, origin[1] / k), moving,
                scale=1 / k)
    soft.restore()
    del surface
    image = skia.Image.fromarray(small, colorType=skia.kRGBA_8888_ColorType,
                                 alphaType=skia.kPremul_AlphaType)
    canvas.save()
    canvas.resetMatrix()
    canvas.drawImageRect(image, skia.Rect.MakeWH(image.width() * k, image.height() * k),
                         skia.SamplingOptions(skia.FilterMode.kLinear))
    canvas.restore()


# An insert's background is painted at 1/4 of the size: its blur (13 pixels at 1080 wide)
# leaves nothing finer than that.
_SOFT = 4


class Backdrop:
    """Writes the background of any frame of one shot into that frame's buffer."""

    def __init__(self, layout: ShotLayout, stage: StageSet, figures: list[Figure]) -> None:
        """Prepare whatever the shot's camera needs (plates are painted here, once)."""
        self.layout, self.stage, self.figures = layout, stage, figures
        cam = layout.camera
        z0, z1 = cam.zoom_start, cam.zoom_end
        self.held = 0
        self.moving = [i for i, layer in enumerate(stage.layers) if layer.motion is not None]
        plate = new_buffer(layout.width, layout.height)
        surface = surface_over(plate)
        canvas = surface.getCanvas()
        if z0 == z1 and not cam.pans:
            self.mode = "static"
            canvas.clear(skia.ColorBLACK)
            paint_background(canvas, stage, figures, view_at(layout, 0), moving=False,
                             insert=layout.insert)
            if self.moving:
                self._cover = self._nearer_cover(view_at(layout, 0))
        elif max(z0, z1) / min(z0, z1) <= GATHER_MAX_RATIO:  # a pan at one zoom, too
            self.mode = "gather"
            plate = self._big_plate()
        else:
            self.mode = "repaint"
            self.held = frozen_layers(stage, z1 - z0)
            canvas.clear(skia.ColorBLACK)
            paint_set(canvas, stage, view_at(layout, layout.frames // 2), last=self.held)
        del surface
        self.plate = plate

    def _nearer_cover(self, view: View) -> tuple[slice, npt.NDArray[np.bool_]]:
        """Which pixels the layers in front of the first moving layer cover (those hide it),
        over the rows where anything behind them still shows."""
        buffer = new_buffer(view.width, view.height)
        surface = surface_over(buffer)
        paint_set(surface.getCanvas(), self.stage, view, first=self.moving[0] + 1,
                  moving=False, veil=False)
        del surface
        covered = buffer[..., 3] >= 128  # thin mist lets them show through
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

    def restore(self, frame: int, out: RGBA, canvas: skia.Canvas,
                shift: tuple[int, int] = (0, 0)) -> View:
        """Write frame ``frame``'s background into ``out`` (``canvas`` draws on it), moved by
        ``shift`` whole pixels, all but the edge that the move uncovers; return its view."""
        view = view_at(self.layout, frame)
        dx, dy = shift
        if self.mode == "gather":
            self._gather(view, out, shift)
            return view
        copy_moved(out, self.plate, dx, dy)
        if self.mode == "static":
            if self.moving:
                self._move(view, frame, out, canvas, shift)
        else:
            paint_background(canvas, self.stage, self.figures, view, first=self.held,
                             origin=(float(dx), float(dy)), insert=self.layout.insert)
        return view

    def _move(self, view: View, frame: int, out: RGBA, canvas: skia.Canvas,
              shift: tuple[int, int]) -> None:
        """Paint the moving layers at ``frame``, then put back what stands nearer."""
        dx, dy = shift
        veil = veil_amount(view)
        for index in self.moving:
            layer = self.stage.layers[index]
            assert layer.motion is not None
            canvas.save()
            canvas.setMatrix(skia.Matrix.Translate(dx, dy).preConcat(
                view.layer(layer.depth).matrix()))
            layer.motion.draw(canvas, frame, self.stage.veil, veil if veil >= 0.01 else 0.0)
            canvas.restore()
        rows, covered = self._cover
        h, w = out.shape[:2]
        # the covered rows and columns that stay on the frame once moved
        r0, r1 = max(rows.start, -dy), min(rows.stop, h - dy)
        c0, c1 = max(0, -dx), min(w, w - dx)
        if r1 <= r0 or c1 <= c0:
            return
        into = out.view(np.uint32)[r0 + dy:r1 + dy, c0 + dx:c1 + dx, 0]
        np.copyto(into, self.plate.view(np.uint32)[r0:r1, c0:c1, 0],
                  where=covered[r0 - rows.start:r1 - rows.start, c0:c1])

    def _gather(self, view: View, out: RGBA, shift: tuple[int, int]) -> None:
        """Frame pixels picked from the plate, nearest pixel, moved by ``shift``."""
        ys, xs = self.geometry.indices(view)
        h, w = out.shape[:2]
        dx, dy = shift
        into = out.view(np.uint32)[..., 0]
        rows, cols = self._plate32.shape
        x0, y0 = _run(xs, dx, cols), _run(ys, dy, rows)
        # At one zoom a frame pixel is a plate pixel: whole runs of the plate (a tilt, a
        # pan), copied as blocks, cost a fraction of picking pixels one by one. The edge
        # that the shift uncovers gets whatever lies there; the caller repeats its neighbour.
        if x0 is not None and y0 is not None:
            np.copyto(into, self._plate32[y0:y0 + h, x0:x0 + w])
            return
        if dy:
            ys = ys[np.clip(np.arange(h) - dy, 0, h - 1)]
        if x0 is not None:
            np.take(self._plate32[:, x0:x0 + w], ys, axis=0, out=into)
            return
        if dx:
            xs = xs[np.clip(np.arange(w) - dx, 0, w - 1)]
        np.take(self._plate32[ys], xs, axis=1, out=into)


def _run(index: npt.NDArray[np.intp], shift: int, limit: int) -> int | None:
    """Where ``index`` moved by ``shift`` starts if it counts up one by one and stays
    below ``limit``; None if it does not."""
    start = int(index[0]) - shift
    if start < 0 or start + len(index) > limit or int(index[-1] - index[0]) != len(index) - 1:
        return None
    return start if bool(np.all(np.diff(index) == 1)) else None
