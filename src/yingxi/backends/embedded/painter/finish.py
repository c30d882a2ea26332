"""The screen-space finish of a frame: the paper it is painted on, the lens, the film.

Everything here multiplies (a rice-paper ground, a vignette, film grain and the red seal are
all darker than white), so the finish of a frame is one multiply of a precomputed image: a
few milliseconds in skia, and nothing at all for a static shot's set, whose finished plates
are made once. Grain cycles through :data:`GRAIN_FRAMES` images in a seeded order, which at
a few percent of amplitude the eye cannot tell from fresh noise. The gate weave is a
whole-pixel shift of the finished frame that wanders every few frames.
"""

from __future__ import annotations

import functools
import math
from typing import Any, NamedTuple

import numpy as np
import numpy.typing as npt
import skia

from yingxi.backends.embedded.painter.camera import RGBA, surface_over
from yingxi.backends.embedded.painter.draw import rng_for
from yingxi.schema.layout import LookName

GRAIN_FRAMES = 4
_GRAIN = 0.055        # darkest grain, as a fraction of the light
_VIGNETTE = 0.3       # light lost in the corners
_WEAVE_PX = 1.0       # gate weave amplitude at 1080 pixels wide
_WEAVE_HOLD = 3       # frames the film rests between two shifts
_SEAL_TEXT = "影戲"
_VERMILION = (0.83, 0.2, 0.14)

Frame = npt.NDArray[np.uint8]
Box = tuple[int, int, int, int]  # pixels (x0, y0, x1, y1), the end excluded


_MODULATE = skia.Paint(BlendMode=skia.BlendMode.kModulate)


class FinishImage(NamedTuple):
    """One finish image: the grey of paper, vignette and grain as one channel (a quarter of
    the bytes of RGBA for skia to read every frame, at the same cost per pixel), white under
    the seal, whose square carries its colour in an image of its own."""

    grey: skia.Image
    seal: skia.Image | None
    at: tuple[int, int]  # the seal's top-left corner (x, y)

    def multiply(self, canvas: skia.Canvas, x: int, y: int) -> None:
        """Multiply what ``canvas`` holds by this image, its top-left corner at (x, y)."""
        canvas.drawImage(self.grey, x, y, skia.SamplingOptions(), _MODULATE)
        if self.seal is not None:
            canvas.drawImage(self.seal, x + self.at[0], y + self.at[1], skia.SamplingOptions(),
                             _MODULATE)


class Finish:
    """The finish of one look at one frame size: which multiply image and which shift each
    frame gets."""

    def __init__(self, look: LookName, width: int, height: int, imperfections: bool,
                 seed: str) -> None:
        """Prepare (or reuse) the multiply images; ``seed`` orders grain and weave."""
        self.width, self.height = width, height
        self.images = _multiply_images(look, width, height, imperfections)
        rng = rng_for(seed, "film")
        self._weave = imperfections and width * _WEAVE_PX / 1080 >= 0.5
        self._phase = rng.uniform(0, 2 * math.pi, 4)
        self._order = rng.permutation(GRAIN_FRAMES * 8)

    def index(self, frame: int) -> int:
        """Which multiply image frame ``frame`` uses."""
        if len(self.images) <= 1:
            return 0
        return int(self._order[frame % len(self._order)]) % len(self.images)

    def apply(self, canvas: skia.Canvas, frame: int, box: Box | None = None,
              shift: tuple[int, int] = (0, 0)) -> None:
        """Multiply the frame on ``canvas`` (only ``box`` if given) by its finish image,
        moved by ``shift`` (the frame is painted where the gate weave puts it)."""
        if not self.images:
            return
        canvas.save()
        canvas.resetMatrix()
        if box is not None:
            canvas.clipRect(skia.Rect.MakeLTRB(*box))
        self.images[self.index(frame)].multiply(canvas, *shift)
        canvas.restore()

    def finished(self, plate: RGBA, k: int) -> RGBA:
        """A copy of ``plate`` multiplied by finish image ``k`` (a static shot's set)."""
        buffer = plate.copy()
        if self.images:
            surface = surface_over(buffer)
            self.images[k].multiply(surface.getCanvas(), 0, 0)
            del surface
        return buffer

    def offset(self, frame: int) -> tuple[int, int]:
        """The gate weave at ``frame``: whole pixels (dx, dy), mostly 0 or 1 either way."""
        if not self._weave:
            return 0, 0
        t = (frame // _WEAVE_HOLD) * _WEAVE_HOLD
        amp = self.width * _WEAVE_PX / 1080
        p = self._phase
        dx = amp * (0.7 * math.sin(t * 0.37 + p[0]) + 0.5 * math.sin(t * 0.91 + p[1]))
        dy = amp * (0.6 * math.sin(t * 0.29 + p[2]) + 0.5 * math.sin(t * 1.13 + p[3]))
        return round(dx), round(dy)


def shifted(src: Frame, dx: int, dy: int, out: Frame | None = None) -> Frame:
    """``src`` moved by (dx, dy) whole pixels, the uncovered edge repeating its neighbour."""
    if out is None:
        out = np.empty_like(src)
    copy_moved(out, src, dx, dy)
    repeat_edges(out, dx, dy)
    return out


def copy_moved(out: Frame, src: Frame, dx: int, dy: int, box: Box | None = None) -> None:
    """Copy ``src`` moved by (dx, dy) whole pixels into ``out`` (only ``box`` of ``out`` if
    given). The edge that the move uncovers is left as it was: see :func:`repeat_edges`."""
    h, w = out.shape[:2]
    x0, y0, x1, y1 = box if box is not None else (0, 0, w, h)
    sx0, sy0 = max(x0 - dx, 0), max(y0 - dy, 0)
    sx1, sy1 = min(x1 - dx, w), min(y1 - dy, h)
    if sx1 > sx0 and sy1 > sy0:
        out[sy0 + dy:sy1 + dy, sx0 + dx:sx1 + dx] = src[sy0:sy1, sx0:sx1]


def repeat_edges(out: Frame, dx: int, dy: int) -> None:
    """Fill the edge a move by (dx, dy) uncovered with the rows and columns next to it, as a
    projector's gate shows a frame that moved (nothing is painted there)."""
    h, w = out.shape[:2]
    if dy > 0:
        out[:dy] = out[dy:dy + 1]
    elif dy < 0:
        out[h + dy:] = out[h + dy - 1:h + dy]
    if dx > 0:
        out[:, :dx] = out[:, dx:dx + 1]
    elif dx < 0:
        out[:, w + dx:] = out[:, w + dx - 1:w + dx]


@functools.lru_cache(maxsize=4)
def _multiply_images(look: LookName, width: int, height: int,
                     imperfections: bool) -> tuple[FinishImage, ...]:
    """The finish images, one per grain frame; none if the finish is white. Cached: every
    shot of an episode shares them.

    Paper, vignette and grain are grey, so they are multiplied on one channel; only the
    seal's square has colour, and it is laid into the three channels afterwards.
    """
    if not imperfections and look == "flat":
        return ()
    base = np.ones((height, width), dtype=np.float32)
    if look != "flat":
        base *= _paper(look, width, height)
    if imperfections:
        base *= _vignette(width, height)
    seal = _seal(width, height) if look == "ink" else None
    count = GRAIN_FRAMES if imperfections else 1
    images = []
    rng = rng_for("grain", width, height)
    for _ in range(count):
        out = base
        if imperfections:
            noise = rng.random((height, width), dtype=np.float32)
            noise = _ndimage().gaussian_filter(noise, 0.6 * width / 1080 + 0.1)
            low, high = float(noise.min()), float(noise.max())
            noise *= _GRAIN / max(1e-6, high - low)
            noise -= 1.0 + _GRAIN * low / max(1e-6, high - low)
            out = base * -noise  # base * (1 - grain * normalised noise)
        grey = np.clip(out * 255.0 + 0.5, 0, 255).astype(np.uint8)
        stamp, at = None, (0, 0)
        if seal is not None:
            (y0, x0), factor = seal
            rows, cols = factor.shape[:2]
            region = out[y0:y0 + rows, x0:x0 + cols, None] * factor * 255.0 + 0.5
            rgba = np.empty((rows, cols, 4), dtype=np.uint8)
            rgba[..., :3] = np.clip(region, 0, 255).astype(np.uint8)
            rgba[..., 3] = 255
            stamp = skia.Image.fromarray(rgba, colorType=skia.kRGBA_8888_ColorType,
                                         alphaType=skia.kPremul_AlphaType)
            grey[y0:y0 + rows, x0:x0 + cols] = 255  # the seal's own image multiplies there
            at = (x0, y0)
        image = skia.Image.fromarray(grey, colorType=skia.kGray_8_ColorType,
                                     alphaType=skia.kOpaque_AlphaType)
        images.append(FinishImage(image, stamp, at))
    return tuple(images)


def _vignette(width: int, height: int) -> npt.NDArray[np.float32]:
    """1 in the middle, falling off smoothly towards the corners."""
    y = (np.arange(height, dtype=np.float32) + 0.5) / height * 2 - 1
    x = (np.arange(width, dtype=np.float32) + 0.5) / width * 2 - 1
    r2 = (x[None, :] ** 2) * 0.9 + (y[:, None] ** 2) * 0.55
    return np.asarray(1.0 - _VIGNETTE * np.clip(r2 - 0.2, 0, None) ** 1.3 / 1.05 ** 1.3,
                      dtype=np.float32)


def _ndimage() -> Any:
    """scipy.ndimage, imported when the finish is first made: it takes a fifth of a second,
    which a process that only needs the painter's description (a task key) should not pay."""
    from scipy import ndimage

    return ndimage


def _paper(look: LookName, width: int, height: int) -> npt.NDArray[np.float32]:
    """The paper's own texture: rice paper's mottling and fibres, or card's fine grain."""
    rng = rng_for("paper", look, width, height)
    k = width / 1080
    mottle = _smooth_noise(rng, width, height, 24 * k)
    mottle /= max(1e-6, float(np.abs(mottle).max()))
    fine = _ndimage().gaussian_filter(rng.standard_normal((height, width), dtype=np.float32),
                                      0.8 * k + 0.2)
    fine /= max(1e-6, float(np.abs(fine).max()))
    if look == "papercut":
        return np.asarray(0.975 + 0.012 * mottle + 0.013 * fine, dtype=np.float32)
    fibres = _fibres(width, height, rng)
    return np.asarray((0.965 + 0.02 * mottle + 0.012 * fine) * (1.0 - 0.07 * fibres),
                      dtype=np.float32)


def _smooth_noise(rng: np.random.Generator, width: int, height: int,
                  sigma: float) -> npt.NDArray[np.float32]:
    """Gaussian-smoothed white noise of scale ``sigma`` pixels, made at 1/8 of the size and
    enlarged: the same look as blurring at full size, for an eighth of a second less."""
    step = 8
    small = rng.standard_normal((height // step + 2, width // step + 2), dtype=np.float32)
    ndimage = _ndimage()
    small = ndimage.gaussian_filter(small, sigma / step)
    big = ndimage.zoom(small, step, order=1)[:height, :width]
    return np.asarray(big, dtype=np.float32)


def _fibres(width: int, height: int, rng: np.random.Generator) -> npt.NDArray[np.float32]:
    """Long, faint, curling fibres of rice paper (0 none .. 1 a fibre)."""
    buf = np.zeros((height, width, 4), dtype=np.uint8)
    surface = skia.Surface(buf, colorType=skia.kRGBA_8888_ColorType,
                           alphaType=skia.kPremul_AlphaType)
    canvas = surface.getCanvas()
    k = width / 1080
    paint = skia.Paint(AntiAlias=True, Style=skia.Paint.kStroke_Style, Color=0xFFFFFFFF)
    for _ in range(int(900 * (width * height) / (1080 * 1920)) + 20):
        x, y = rng.uniform(0, width), rng.uniform(0, height)
        angle, length = rng.uniform(0, 2 * math.pi), rng.uniform(20, 120) * k
        bend = rng.uniform(-0.6, 0.6)
        path = skia.Path()
        path.moveTo(x, y)
        mx = x + math.cos(angle + bend) * length / 2
        my = y + math.sin(angle + bend) * length / 2
        path.quadTo(mx, my, x + math.cos(angle) * length, y + math.sin(angle) * length)
        paint.setStrokeWidth(float(rng.uniform(0.6, 1.6)) * k)
        paint.setAlphaf(float(rng.uniform(0.25, 0.8)))
        canvas.drawPath(path, paint)
    del surface
    return np.asarray(buf[..., 3], dtype=np.float32) / 255.0


def _seal(width: int, height: int) -> tuple[tuple[int, int], npt.NDArray[np.float32]]:
    """A square vermilion seal with carved (white) characters, high on the right (clear of
    the AI label's corner and the subtitles): the accent an ink painting is signed with. Its
    top-left corner (row, column) and its (size, size, 3) multiply factor per channel."""
    from yingxi.media.fonts import cjk_face, typeface  # lazily: only the ink look needs it

    size = max(8, round(width * 0.07))
    x0, y0 = width - round(width * 0.06) - size, round(height * 0.15)
    buf = np.zeros((size, size, 4), dtype=np.uint8)
    surface = skia.Surface(buf, colorType=skia.kRGBA_8888_ColorType,
                           alphaType=skia.kPremul_AlphaType)
    canvas = surface.getCanvas()
    rng = rng_for("seal", width)
    stamp = skia.Path()
    stamp.addRRect(skia.RRect.MakeRectXY(skia.Rect.MakeLTRB(1, 1, size - 1, size - 1),
                                         size * 0.06, size * 0.06))
    canvas.drawPath(stamp, skia.Paint(AntiAlias=True, Color=0xFFFFFFFF))
    font = skia.Font(typeface(cjk_face()), size * 0.4)
    font.setEmbolden(True)
    carve = skia.Paint(AntiAlias=True, Color=0xFFFFFFFF, BlendMode=skia.BlendMode.kClear)
    for i, char in enumerate(_SEAL_TEXT):  # read top to bottom, right column first
        cx = size * (0.72 if i == 0 else 0.28)
        bounds = skia.Rect()
        font.measureText(char, skia.TextEncoding.kUTF8, bounds)
        canvas.drawString(char, cx - bounds.centerX(), size * 0.5 - bounds.centerY(), font, carve)
    del surface
    coverage = buf[..., 3].astype(np.float32) / 255.0
    # ink never takes evenly: speckle the stamp
    coverage *= np.clip(0.75 + 0.5 * rng.random((size, size), dtype=np.float32), 0, 1)
    vermilion = np.asarray(_VERMILION, dtype=np.float32)
    return (y0, x0), np.asarray(1.0 - coverage[..., None] * (1.0 - vermilion) * 0.9,
                                dtype=np.float32)
