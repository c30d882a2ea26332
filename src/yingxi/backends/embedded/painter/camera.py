"""The camera: world-to-screen mapping, parallax per depth layer, and the frame buffer.

The layout stage aims the camera with ``screen = (p - center) * zoom * width + frame centre``;
:class:`View` is exactly that mapping, so figures land where the layout planned them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import skia

from yingxi.schema.layout import ShotLayout

RGBA = npt.NDArray[np.uint8]


@dataclass(frozen=True)
class View:
    """One camera state: centre in world units, zoom, and the frame size in pixels."""

    center_x: float
    center_y: float
    zoom: float
    width: int
    height: int

    @property
    def aspect(self) -> float:
        """Frame height over width: the world height a wide shot shows."""
        return self.height / self.width

    def matrix(self) -> skia.Matrix:
        """The world-to-pixel matrix."""
        k = self.zoom * self.width
        return skia.Matrix.MakeAll(k, 0.0, self.width / 2 - self.center_x * k,
                                   0.0, k, self.height / 2 - self.center_y * k,
                                   0.0, 0.0, 1.0)

    def to_screen(self, x: float, y: float) -> tuple[float, float]:
        """Where a world point lands on the frame, in pixels."""
        k = self.zoom * self.width
        return ((x - self.center_x) * k + self.width / 2, (y - self.center_y) * k + self.height / 2)

    def layer(self, depth: float) -> View:
        """The view of a background layer at parallax ``depth`` (0 = sky, 1 = actors' plane).

        Far layers follow the camera's zoom and pan only partly, as a real dolly would show
        them, so a close shot still frames the same hills instead of a blown-up smear.
        """
        base_x, base_y = 0.5, self.aspect / 2
        return View(
            center_x=base_x + (self.center_x - base_x) * depth,
            center_y=base_y + (self.center_y - base_y) * depth,
            zoom=1.0 + (self.zoom - 1.0) * depth,
            width=self.width, height=self.height,
        )


def view_at(layout: ShotLayout, frame: int) -> View:
    """The camera of ``layout`` at ``frame`` (zoom linear, pans eased, over the shot)."""
    t = frame / max(1, layout.frames - 1)
    cam = layout.camera
    cx, cy = cam.center_at(t)
    return View(cx, cy, cam.zoom_at(t), layout.width, layout.height)


@dataclass(frozen=True)
class BigPlate:
    """Where a shot's camera move finds its pixels: one plate painted at the move's largest
    zoom, centred between its ends, with margins for the smallest zoom and the travel.

    Frame pixel u shows world x = (u - W/2) / (zoom W) + cx, which the plate holds at
    (x - plate_cx) z_max W + W/2 + pad; at the largest zoom it is one to one.
    """

    center_x: float
    center_y: float
    zoom: float
    pad_x: int
    pad_y: int
    width: int
    height: int

    @classmethod
    def of(cls, layout: ShotLayout) -> BigPlate:
        """The plate for ``layout``'s camera move."""
        cam = layout.camera
        z_max, z_min = max(cam.zoom_start, cam.zoom_end), min(cam.zoom_start, cam.zoom_end)
        ratio = z_max / z_min
        (x0, y0), (x1, y1) = cam.center_at(0.0), cam.center_at(1.0)
        k = z_max * layout.width
        pad_x = math.ceil(layout.width * (ratio - 1.0) / 2.0 + abs(x1 - x0) / 2 * k) + 1
        pad_y = math.ceil(layout.height * (ratio - 1.0) / 2.0 + abs(y1 - y0) / 2 * k) + 1
        return cls((x0 + x1) / 2, (y0 + y1) / 2, z_max, pad_x, pad_y, layout.width,
                   layout.height)

    @property
    def shape(self) -> tuple[int, int]:
        """(rows, columns) of the plate."""
        return self.height + 2 * self.pad_y, self.width + 2 * self.pad_x

    def view(self) -> View:
        """The camera the plate is painted with (paint at ``origin=(pad_x, pad_y)``)."""
        return View(self.center_x, self.center_y, self.zoom, self.width, self.height)

    def indices(self, view: View) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.intp]]:
        """Plate rows and columns of every frame row and column under ``view`` (nearest
        pixel: a few milliseconds in numpy, where skia's resampling takes tens)."""
        r = self.zoom / view.zoom
        w, h = view.width, view.height
        k = self.zoom * w
        off_x = (view.center_x - self.center_x) * k + w / 2 + self.pad_x
        off_y = (view.center_y - self.center_y) * k + h / 2 + self.pad_y
        xs = np.floor((np.arange(w) + 0.5 - w / 2) * r + off_x).astype(np.intp)
        ys = np.floor((np.arange(h) + 0.5 - h / 2) * r + off_y).astype(np.intp)
        rows, cols = self.shape
        np.clip(xs, 0, cols - 1, out=xs)
        np.clip(ys, 0, rows - 1, out=ys)
        return ys, xs


def new_buffer(width: int, height: int) -> RGBA:
    """A zeroed RGBA frame buffer."""
    return np.zeros((height, width, 4), dtype=np.uint8)


def surface_over(buffer: RGBA) -> skia.Surface:
    """A skia raster surface drawing straight into ``buffer`` (kept alive by the caller)."""
    return skia.Surface(buffer, colorType=skia.kRGBA_8888_ColorType,
                        alphaType=skia.kPremul_AlphaType)


def rgba_to_rgb(buffer: RGBA) -> RGBA:
    """Drop alpha into a new C-contiguous (H, W, 3) array.

    A plain ``buffer[..., :3].copy()`` walks bytes one by one (~10 ms at 1080x1920); packing
    four RGBA pixels into three 32-bit words does the same in about a quarter of the time.
    """
    height, width = buffer.shape[:2]
    count = height * width
    if count % 4 or not np.little_endian:
        return np.ascontiguousarray(buffer[..., :3])
    # A sub-rectangle of a frame is made contiguous first: a row-by-row memcpy is cheaper
    # than running the ufuncs below over short strided rows.
    px = np.ascontiguousarray(buffer).reshape(-1).view(np.uint32).reshape(-1, 4)
    out = np.empty((count // 4, 3), dtype=np.uint32)
    tmp = np.empty(count // 4, dtype=np.uint32)
    np.bitwise_and(px[:, 0], 0x00FFFFFF, out=out[:, 0])
    np.left_shift(px[:, 1], 24, out=tmp)
    np.bitwise_or(out[:, 0], tmp, out=out[:, 0])
    np.right_shift(px[:, 1], 8, out=tmp)
    np.bitwise_and(tmp, 0xFFFF, out=tmp)
    np.left_shift(px[:, 2], 16, out=out[:, 1])
    np.bitwise_or(out[:, 1], tmp, out=out[:, 1])
    np.right_shift(px[:, 2], 16, out=tmp)
    np.bitwise_and(tmp, 0xFF, out=tmp)
    np.left_shift(px[:, 3], 8, out=out[:, 2])
    np.bitwise_or(out[:, 2], tmp, out=out[:, 2])
    return out.view(np.uint8).reshape(height, width, 3)
