"""Colours and light: hex parsing, mixing, and how the time of day and weather tint a shot.

Colours are plain ``(r, g, b)`` float tuples in 0..1 so they can be mixed arithmetically; they
become skia's packed ARGB ints only at the moment a paint is made.
"""

from __future__ import annotations

import colorsys
from dataclasses import dataclass, replace

RGB = tuple[float, float, float]


def hex_rgb(value: str) -> RGB:
    """Parse ``#rrggbb`` into an RGB float tuple."""
    text = value.lstrip("#")
    return (int(text[0:2], 16) / 255.0, int(text[2:4], 16) / 255.0, int(text[4:6], 16) / 255.0)


def argb(color: RGB, alpha: float = 1.0) -> int:
    """Pack a colour and alpha into skia's 0xAARRGGBB int."""
    r, g, b = (max(0, min(255, round(c * 255.0))) for c in color)
    a = max(0, min(255, round(alpha * 255.0)))
    return (a << 24) | (r << 16) | (g << 8) | b


def mix(a: RGB, b: RGB, t: float) -> RGB:
    """Linear blend from ``a`` (t=0) to ``b`` (t=1)."""
    return (a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t, a[2] + (b[2] - a[2]) * t)


def scale(color: RGB, k: float) -> RGB:
    """Multiply brightness, clamped to the displayable range."""
    return (min(1.0, color[0] * k), min(1.0, color[1] * k), min(1.0, color[2] * k))


def lighten(color: RGB, t: float) -> RGB:
    """Blend towards white."""
    return mix(color, (1.0, 1.0, 1.0), t)


def darken(color: RGB, t: float) -> RGB:
    """Blend towards a deep, slightly cool shadow rather than pure black (reads as shade)."""
    return mix(color, (color[0] * 0.25, color[1] * 0.25, color[2] * 0.32 + 0.02), t)


def luma(color: RGB) -> float:
    """Perceived brightness (Rec. 601 weights)."""
    return 0.299 * color[0] + 0.587 * color[1] + 0.114 * color[2]


def saturate(color: RGB, k: float) -> RGB:
    """Scale saturation by ``k`` (k < 1 greys the colour out)."""
    h, lum, s = colorsys.rgb_to_hls(*color)
    return colorsys.hls_to_rgb(h, lum, max(0.0, min(1.0, s * k)))


def shift_hue(color: RGB, turns: float) -> RGB:
    """Rotate the hue by a fraction of the colour wheel."""
    h, lum, s = colorsys.rgb_to_hls(*color)
    return colorsys.hls_to_rgb((h + turns) % 1.0, lum, s)


@dataclass(frozen=True)
class Light:
    """The light of a shot: sky gradient, sun or moon, and the tint it casts on everything."""

    zenith: RGB
    mid: RGB
    horizon: RGB
    sun: RGB
    sun_glow: RGB
    sun_height: float      # 0 = on the horizon, 1 = top of the sky
    sun_x: float           # world x of the sun or moon
    sun_size: float        # radius in world units
    moon: bool
    stars: bool
    tint: RGB              # colour of the light falling on the set
    tint_amount: float
    exposure: float        # overall brightness of the set
    figure_exposure: float  # actors are key-lit, so darken less than the set
    lamps_on: bool         # windows, lanterns and lamps glow
    weather: str

    def on_set(self, color: RGB) -> RGB:
        """A set colour as this light shows it."""
        return self._apply(color, self.tint_amount, self.exposure)

    def on_figure(self, color: RGB) -> RGB:
        """A figure colour as this light shows it (softer than the set, keeps identity)."""
        return self._apply(color, self.tint_amount * 0.4, self.figure_exposure)

    def haze(self, color: RGB, depth: float) -> RGB:
        """Aerial perspective: far things fade towards the horizon colour."""
        return mix(self.on_set(color), self.horizon, depth)

    def indoors(self) -> Light:
        """The same hour seen inside: daylight softened, lamps warm the room after dusk."""
        if self.lamps_on:
            return replace(self, tint=(1.0, 0.82, 0.6), tint_amount=0.3,
                           exposure=0.84, figure_exposure=0.95)
        return replace(self, tint_amount=self.tint_amount * 0.6,
                       exposure=min(1.0, self.exposure * 1.02))

    def _apply(self, color: RGB, amount: float, exposure: float) -> RGB:
        tinted = (color[0] * self.tint[0], color[1] * self.tint[1], color[2] * self.tint[2])
        return scale(mix(color, tinted, amount), exposure)


_SKIES: dict[str, tuple[str, str, str, str, str]] = {
    # zenith, mid, horizon, sun, glow
    "dawn": ("#6f7fb8", "#e3a9a6", "#ffd7a8", "#fff1cf", "#ffc98f"),
    "day": ("#4f9be0", "#93c8f0", "#e4f1fa", "#fffbe8", "#fff3c4"),
    "dusk": ("#2f2f6e", "#b35a78", "#f7a050", "#ffd27a", "#ff9a4d"),
    "night": ("#070f26", "#14264d", "#2c4674", "#f4f1df", "#9fb4e8"),
}

_TINTS: dict[str, tuple[str, float, float, float]] = {
    # tint colour, amount, set exposure, figure exposure
    "dawn": ("#ffd6c0", 0.45, 0.97, 1.0),
    "day": ("#ffffff", 0.0, 1.0, 1.0),
    "dusk": ("#ffb27c", 0.5, 0.88, 0.96),
    "night": ("#8aa0e0", 0.75, 0.6, 0.9),
}


def make_light(time_of_day: str, weather: str, sun_x: float) -> Light:
    """The light for a time of day and weather; ``sun_x`` comes from the set's seed."""
    zen, mid, hor, sun, glow = (hex_rgb(c) for c in _SKIES[time_of_day])
    del sun  # the disc keeps its own colour whatever the weather
    tint_hex, amount, exposure, fig_exposure = _TINTS[time_of_day]
    tint = hex_rgb(tint_hex)
    if weather in ("rain", "snow", "mist"):
        # Overcast: the sky loses colour and contrast; the light flattens.
        grey = {"rain": 0.25, "snow": 0.15, "mist": 0.1}[weather]
        lift = {"rain": 0.0, "snow": 0.25, "mist": 0.3}[weather]
        zen, mid, hor = (lighten(saturate(mix(c, (luma(c),) * 3, grey), 0.55), lift)
                         for c in (zen, mid, hor))
        exposure *= 0.92 if weather == "rain" else 1.0
    heights = {"dawn": 0.12, "day": 0.8, "dusk": 0.1, "night": 0.7}
    sizes = {"dawn": 0.05, "day": 0.045, "dusk": 0.065, "night": 0.035}
    return Light(
        zenith=zen, mid=mid, horizon=hor, sun=hex_rgb(_SKIES[time_of_day][3]), sun_glow=glow,
        sun_height=heights[time_of_day], sun_x=sun_x, sun_size=sizes[time_of_day],
        moon=time_of_day == "night", stars=time_of_day == "night" and weather == "clear",
        tint=tint, tint_amount=amount, exposure=exposure, figure_exposure=fig_exposure,
        lamps_on=time_of_day in ("dusk", "night"), weather=weather,
    )


# Key colours of each set, in the order a Location's palette overrides them.
_SET_PALETTES: dict[tuple[str, str], tuple[str, ...]] = {
    ("mountains", "any"): ("#6f8fa6", "#4d7a72", "#2f5a50", "#93ad6e"),
    ("shore", "any"): ("#2b8db3", "#ead7ac", "#5f7680", "#f0efe6"),
    ("forest", "any"): ("#2c5a4b", "#4f8a5b", "#93c27a", "#6b4d38"),
    ("village", "ancient"): ("#efe8da", "#474d57", "#8b5a3a", "#c23b2e"),
    ("village", "modern"): ("#e9d6bd", "#b9684a", "#7a8b99", "#4f8f86"),
    ("palace", "ancient"): ("#a83029", "#d9a441", "#3d2a24", "#e6d6b5"),
    ("palace", "modern"): ("#efe9df", "#c8a45a", "#6b5b53", "#7d2f3a"),
    ("office", "ancient"): ("#e8dcc6", "#7a5237", "#3f4a45", "#b8453a"),
    ("office", "modern"): ("#dde3e8", "#56677a", "#3b8f8c", "#c6b39a"),
    ("city", "ancient"): ("#8a7b6a", "#4a4448", "#b3402f", "#f2c25a"),
    ("city", "modern"): ("#435372", "#6d7f9e", "#ffd36b", "#8d8f9c"),
    ("home", "ancient"): ("#eadfca", "#8a5a3a", "#5d7f6e", "#b9916a"),
    ("home", "modern"): ("#ecdcc8", "#8c6a50", "#5c8a8c", "#cda67f"),
}


def set_palette(kind: str, era: str, override: list[str]) -> list[RGB]:
    """Four key colours for a set: the kind's defaults, with the location's palette first."""
    base = _SET_PALETTES.get((kind, era)) or _SET_PALETTES[(kind, "any")]
    colors = [hex_rgb(c) for c in base]
    for i, value in enumerate(override[:4]):
        colors[i] = hex_rgb(value)
    return colors
