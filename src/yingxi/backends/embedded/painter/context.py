"""What a set builder sees: the location's look, the light, the ground line, seeded randomness."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import skia

from yingxi.backends.embedded.painter.draw import rng_for
from yingxi.backends.embedded.painter.palette import RGB, Light, mix

DrawFn = Callable[[skia.Canvas], None]
LayerSpec = tuple[float, DrawFn]


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

    @property
    def horizon(self) -> float:
        """World y of the horizon (outdoors) or of the wall's foot (indoors): near eye level."""
        return self.ground - 0.4

    @property
    def snowy(self) -> bool:
        """Whether snow lies on the ground and roofs."""
        return self.light.weather == "snow"

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
        """A surface that snow would cover (ground, roofs, branches)."""
        if not self.snowy:
            return color
        return mix(color, self.light.on_set((0.93, 0.95, 0.98)), amount)
