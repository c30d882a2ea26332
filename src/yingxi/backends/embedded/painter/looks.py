"""The three looks: ink-wash (水墨), papercut (剪纸) and flat.

A look never changes what is drawn or where (the layout and the control passes stay exact);
it changes how: the colours (one colour matrix, applied to set layers by skia and to figure
colours in Python, so both agree), the edges of each parallax layer (an ink rim that bleeds
into the paper, or the drop shadow of a cut paper sheet), brush contours on the figures, and
the screen-space finish (paper, vignette, grain, seal: :mod:`finish`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

import skia

from yingxi.backends.embedded.painter.palette import RGB, argb
from yingxi.schema.layout import LookName

_LUMA = (0.299, 0.587, 0.114)


class LayerPaint(NamedTuple):
    """How one parallax layer is drawn: through ``paint`` (None: straight onto the canvas),
    then ``mask`` drawn over it with kDstIn (None: no mask). The mask fades the layer out
    between world rows ``fade`` (top, bottom): above them it keeps the layer whole, below
    them it leaves nothing, so only that band needs masking."""

    paint: skia.Paint | None
    mask: skia.Paint | None
    fade: tuple[float, float] | None


@dataclass(frozen=True)
class LookStyle:
    """How one look treats colour, edges and figures."""

    name: LookName
    set_saturation: float = 1.0    # 1 keeps the set's colours, 0 is pure ink
    figure_saturation: float = 1.0
    contrast: float = 1.0
    paper: RGB = (1.0, 1.0, 1.0)   # the ground colours are multiplied by
    contour: float = 0.0           # figure outline width, figure units (0: none)
    ink: RGB = (0.1, 0.1, 0.12)    # colour of contours and rims
    rim: float = 0.0               # ink rim on layer edges, world units (0: none)
    mist: bool = False             # far layers dissolve into mist at their feet
    cut_shadow: float = 0.0        # papercut: opacity of each sheet's drop shadow
    bands: int = 0                 # sky gradients cut into this many flat bands (0: smooth)
    sky_lift: float = 0.0          # the sky fades towards blank paper (ink leaves it empty)

    def matrix(self, saturation: float, lift: float = 0.0) -> list[float]:
        """A skia 4x5 colour matrix: saturation, contrast about mid grey, a lift towards
        white (``lift`` 1 is blank paper), then the paper's tint."""
        s, k = saturation, self.contrast * (1.0 - lift)
        rows: list[float] = []
        for c in range(3):
            row = [(1.0 - s) * _LUMA[j] + (s if j == c else 0.0) for j in range(3)]
            scale = k * self.paper[c]
            offset = (0.5 - 0.5 * self.contrast) * (1.0 - lift) + lift
            rows += [v * scale for v in row] + [0.0, offset * self.paper[c]]
        return [*rows, 0.0, 0.0, 0.0, 1.0, 0.0]

    def on_figure(self, color: RGB) -> RGB:
        """A figure colour in this look (the same arithmetic as the set's colour matrix)."""
        return _apply(self.matrix(self.figure_saturation), color)

    @property
    def identity(self) -> bool:
        """Whether colours pass unchanged."""
        return (self.set_saturation == 1.0 and self.contrast == 1.0
                and self.paper == (1.0, 1.0, 1.0))

    def set_paint(self) -> skia.Paint | None:
        """The paint the whole set is drawn through (one colour pass, not one per layer)."""
        if self.identity:
            return None
        return skia.Paint(ColorFilter=skia.ColorFilters.Matrix(self.matrix(self.set_saturation)))

    def layer_paint(self, depth: float, outdoors: bool, horizon: float) -> LayerPaint:
        """The paint one parallax layer is drawn through, and a mask drawn over it (kDstIn)
        that thins its foot into mist, with the rows it fades over; either may be None.

        Each costs a pass over the frame when a plate is painted, so only the layers that
        show the effect get one: ink rims on the landforms between sky and ground, paper
        shadows under the sheets in front of the sky."""
        color = None
        if self.sky_lift and depth <= 0.05:
            k = 1.0 - self.sky_lift
            color = skia.ColorFilters.Matrix([k, 0, 0, 0, self.sky_lift, 0, k, 0, 0,
                                              self.sky_lift, 0, 0, k, 0, self.sky_lift,
                                              0, 0, 0, 1, 0])
        filt: skia.ImageFilter | None = None
        if self.rim > 0.0 and 0.1 < depth <= 0.7:
            filt = _ink_rim(self.rim, self.ink)
        if self.cut_shadow > 0.0 and 0.1 < depth <= 0.9:
            r = 0.005 * (0.5 + depth)
            filt = skia.ImageFilters.DropShadow(r * 0.6, r, r, r, argb((0.1, 0.06, 0.04),
                                                                      self.cut_shadow))
        paint = None
        if color is not None or filt is not None:
            paint = skia.Paint(ColorFilter=color) if color is not None else skia.Paint()
            if filt is not None:
                paint.setImageFilter(filt)
        if self.mist and outdoors and 0.05 < depth < 0.62:
            # the feet of far hills fade into the paper: bands of mist between the washes
            top, bottom = horizon - 0.1 + depth * 0.12, horizon + 0.02 + depth * 0.18
            shader = skia.GradientShader.MakeLinear(
                [skia.Point(0.0, top), skia.Point(0.0, bottom)],
                [argb((0, 0, 0), 1.0), argb((0, 0, 0), 0.0)])
            mask = skia.Paint(Shader=shader, BlendMode=skia.BlendMode.kDstIn)
            return LayerPaint(paint, mask, (top, bottom))
        return LayerPaint(paint, None, None)


def _ink_rim(r: float, ink: RGB) -> skia.ImageFilter:
    """The layer with a dark rim just inside its upper edges: ink pooling where a wash dries.

    Sizes are in world units: skia maps a layer's filter through the camera matrix."""
    # the layer minus itself moved down a little: a line along its upper edges, where a
    # brush lays the ridge of a hill or a roof (a morphological erode is ~40x slower on a CPU)
    below = skia.ImageFilters.Offset(r * 0.4, r, None)
    rim = skia.ImageFilters.Xfermode(skia.BlendMode.kDstOut, None, below)
    inked = skia.ImageFilters.ColorFilter(skia.ColorFilters.Matrix([
        0, 0, 0, 0, ink[0], 0, 0, 0, 0, ink[1], 0, 0, 0, 0, ink[2], 0, 0, 0, 0.5, 0]), rim)
    return skia.ImageFilters.Merge([None, inked])


def _apply(m: list[float], color: RGB) -> RGB:
    out = []
    for c in range(3):
        row = m[c * 5: c * 5 + 5]
        value = row[0] * color[0] + row[1] * color[1] + row[2] * color[2] + row[4]
        out.append(min(1.0, max(0.0, value)))
    return out[0], out[1], out[2]


LOOKS: dict[str, LookStyle] = {
    "flat": LookStyle(name="flat"),
    "ink": LookStyle(name="ink", set_saturation=0.22, figure_saturation=0.62, contrast=1.08,
                     paper=(0.97, 0.94, 0.87), contour=0.0045, ink=(0.09, 0.08, 0.08),
                     rim=0.0035, mist=True, sky_lift=0.6),
    "papercut": LookStyle(name="papercut", set_saturation=1.08, figure_saturation=1.05,
                          paper=(1.0, 0.98, 0.95), cut_shadow=0.6, bands=6),
}


def look_style(name: str) -> LookStyle:
    """The style of a look by name."""
    return LOOKS[name]
