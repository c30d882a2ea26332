"""What a set builder sees: the location's look, the light, the ground line, seeded randomness."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import skia

from yingxi.backends.embedded.painter.draw import rng_for
from yingxi.backends.embedded.painter.looks import LOOKS, LookStyle
from yingxi.backends.embedded.painter.palette import RGB, Light, mix

DrawFn = Callable[[skia.Canvas], None]
LayerSpec = tuple[float, DrawFn]


class Moving:
    """A layer's drawing that changes from frame to frame (wild geese crossing the sky).

    Called like any layer's drawing it paints frame 0, so a shot whose camera moves (its set
    repainted or resampled every frame) shows it holding still; the backdrop of a static shot
    paints it again for every frame with :meth:`draw`, behind whatever stands nearer.
    """

    def __call__(self, canvas: skia.Canvas) -> None:
        """Frame 0, in the layer's world units."""
        self.draw(canvas, 0, (0.0, 0.0, 0.0), 0.0)

    def draw(self, canvas: skia.Canvas, frame: int, veil: RGB, amount: float) -> None:
        """Frame ``frame``, its colours pulled ``amount`` towards the focus ``veil``."""
        raise NotImplementedError


@dataclass(frozen=True)
class SetContext:
    """What a set builder may use: the location's look, the light, and the ground line."""

    kind: str
    era: str
    palette: tuple[RGB, ...]
    light: Light
    ground: float
    aspect: float
    key: str
    motifs: tuple[str, ...] = ()
    style: LookStyle = LOOKS["flat"]

    @property
    def horizon(self) -> float:
        """World y of the horizon (outdoors) or of the wall's foot (indoors): near eye level."""
        return self.ground - 0.4

    @property
    def snowy(self) -> bool:
        """Whether snow lies on the ground and roofs."""
        return self.light.weather == "snow"

    @property
    def frosty(self) -> bool:
        """Whether white rime lies on the ground, roofs and branches (the frost motif)."""
        return "frost" in self.motifs and not self.snowy

    def rime(self, under: RGB) -> RGB | None:
        """Frost whitening the top of a roof or a tree of colour ``under``, when frosty."""
        if not self.frosty:
            return None
        return mix(under, self.light.on_set((0.9, 0.95, 1.0)), 0.7)

    def rng(self, name: str) -> np.random.Generator:
        """Seeded randomness for one part of the set."""
        return rng_for(self.key, name)

    def color(self, index: int) -> RGB:
        """Key colour ``index`` of the set's palette under the shot's light."""
        return self.light.on_set(self.palette[index % len(self.palette)])

    def lit(self, color: RGB) -> RGB:
        """Any set colour under the shot's light."""
        return self.light.on_set(color)

    def cover(self, color: RGB, amount: float = 0.75) -> RGB:
        """A surface that snow (or, more thinly, frost) would cover (ground, roofs, branches)."""
        if self.snowy:
            return mix(color, self.light.on_set((0.93, 0.95, 0.98)), amount)
        if self.frosty:
            return mix(color, self.light.on_set((0.86, 0.92, 0.98)), amount * 0.42)
        return color
