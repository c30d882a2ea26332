"""What every motif painter shares: its layers, the sides it may use, and where water lies."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass

from yingxi.backends.embedded.painter.context import DrawFn, SetContext
from yingxi.backends.embedded.painter.draw import height_at, rng_for
from yingxi.backends.embedded.painter.palette import Light

INTERIORS = ("palace", "office", "home")

# Which part of the frame a motif takes, and the side it prefers relative to the sun's (or
# the moon's) side: +1 the same side, -1 the opposite one.
_ROLES: dict[str, tuple[str, float]] = {
    "moon": ("sky", 1.0), "geese": ("sky", -1.0), "pagoda": ("far", -1.0), "bell": ("far", 1.0),
    "boat": ("water", -1.0), "bridge": ("water", 1.0), "willow": ("tall", -1.0),
    "bamboo": ("tall", 1.0), "lantern": ("tall", 1.0), "plum": ("top", -1.0),
    "wine": ("corner", 1.0), "lotus": ("corner", -1.0), "frost": ("none", 1.0),
}
# How badly two roles clash on the same side of the frame (a willow hides a boat behind it).
_CLASH: dict[frozenset[str], float] = {
    frozenset(("tall",)): 3.0, frozenset(("tall", "water")): 2.0,
    frozenset(("tall", "far")): 2.0, frozenset(("tall", "sky")): 1.5,
    frozenset(("tall", "top")): 2.0, frozenset(("tall", "corner")): 0.5,
    frozenset(("water",)): 1.5, frozenset(("water", "corner")): 0.3,
    frozenset(("sky",)): 2.0, frozenset(("far",)): 2.0, frozenset(("far", "sky")): 0.5,
    frozenset(("top", "sky")): 1.5, frozenset(("top", "far")): 0.3,
    frozenset(("corner",)): 2.0,
}
# Indoors: the plum vase, the bell frame and the bamboo planter stand by the wall; the wine
# and the lotus basin in front; the rest shows through the window or hangs from the ceiling.
_INDOOR_ROLES = {"plum": "tall", "bell": "tall", "bamboo": "tall", "wine": "corner",
                 "lotus": "corner"}


def _role(motif: str, kind: str) -> str:
    if kind in INTERIORS:
        return _INDOOR_ROLES.get(motif, "none")
    if motif == "lotus" and kind == "shore":
        return "water"
    if motif == "lantern" and kind in ("village", "city"):
        return "none"  # a string of lanterns across the lane
    return _ROLES[motif][0]


def choose_sides(motifs: Sequence[str], kind: str, sun: float,
                 fixed: dict[str, float]) -> dict[str, float]:
    """A side (-1 left, +1 right) for each motif: the least clashing of all assignments,
    nearest to each motif's preference, ``fixed`` ones where they are (at most four motifs:
    sixteen tries)."""
    names = list(dict.fromkeys(motifs))
    best: tuple[float, dict[str, float]] | None = None
    for bits in itertools.product((1.0, -1.0), repeat=len(names)):
        sides = {m: sun * _ROLES[m][1] * b for m, b in zip(names, bits, strict=True)}
        cost = 0.1 * sum(1 for b in bits if b < 0)
        cost += sum(100.0 for m, side in fixed.items() if sides.get(m, side) != side)
        for a, b in itertools.combinations(names, 2):
            if sides[a] == sides[b]:
                cost += _CLASH.get(frozenset((_role(a, kind), _role(b, kind))), 0.0)
        if best is None or cost < best[0] - 1e-9:
            best = (cost, sides)
    return best[1] if best is not None else {}


@dataclass(frozen=True)
class MotifLayer:
    """A recorded layer a motif adds to the set.

    ``front`` layers are framing pieces (a branch reaching in from a corner): painted last and
    fixed to the frame (depth 0 is the un-zoomed view), so every framing shows them.
    """

    depth: float
    draw: DrawFn
    front: bool = False


@dataclass(frozen=True)
class Water:
    """Open water in a set: the layer depth of its surface and the world y it spans."""

    depth: float
    top: float    # far bank (or the sea's horizon)
    near: float   # where the nearer ground starts to cover it
    made: bool    # painted by the motifs (a canal, a stream), not by the set (the sea)


@dataclass(frozen=True)
class Plan:
    """Where the motifs of one set go."""

    sides: dict[str, float]
    water: Water | None
    indoors: bool
    moon: tuple[float, float, float]  # x, y and radius of the moon motif

    def side(self, motif: str) -> float:
        """-1 (left) or +1 (right): which side of the frame ``motif`` belongs to."""
        return self.sides.get(motif, 1.0)


def sun_side(light: Light) -> float:
    """The side the sun (or moon) is on: -1 left, +1 right."""
    return -1.0 if light.sun_x < 0.5 else 1.0


_MOON_Y = {"mountains": 0.27, "shore": 0.45, "forest": 0.42, "village": 0.4, "city": 0.32}
# How far from the middle things in the sky may stand: the forest's trunks frame a narrow gap.
_SKY_REACH = {"forest": 0.14}


def moon_spot(kind: str, light: Light, ground: float, key: str) -> tuple[float, float, float]:
    """Where the moon motif hangs in an exterior's sky: x, y and radius (world units).

    At night the sky's own moon moves there (towards a side, clear of the actors' heads, and
    lower and bigger than the usual night moon); by day a pale moon rises opposite the sun.
    Among mountains it rises just clear of the peaks.
    """
    y = _MOON_Y.get(kind, 0.4) * (ground - 0.4) / 0.987
    reach = sky_reach(kind)
    if light.moon:
        offset = max(min(0.24, reach), min(reach, abs(light.sun_x - 0.5)))
        x, r = 0.5 + sun_side(light) * offset, 0.078
    else:
        x, y, r = 0.5 - sun_side(light) * min(0.27, reach), y - 0.04, 0.064
    if kind == "mountains":
        x, y = _above_peaks(x, y, r, ground - 0.4, key)
    return x, y, r


def _above_peaks(x: float, y: float, r: float, hz: float, key: str) -> tuple[float, float]:
    """Nudge a moon at (x, y) sideways or up until the far peaks leave it whole in the sky."""
    from yingxi.backends.embedded.painter.sets_outdoor import far_ridges

    (_, back), (_, front) = far_ridges(rng_for(key, "far"), hz)
    best = (x, y)
    best_y = -1.0
    for dx in (0.0, -0.06, 0.06, -0.12, 0.12):
        cx = min(0.8, max(0.2, x + dx * (1.0 if x < 0.5 else -1.0)))
        top = min(min(height_at(back, px), height_at(front, px))
                  for px in (cx - r * 1.2, cx - r * 0.6, cx, cx + r * 0.6, cx + r * 1.2))
        cy = min(y, top - r * 1.8)
        if cy >= 0.16:
            return cx, cy
        if cy > best_y:
            best, best_y = (cx, cy), cy
    return best[0], max(0.1, best_y)


def sky_reach(kind: str) -> float:
    """How far from the middle (world x) a thing in the sky may stand and still be seen."""
    return _SKY_REACH.get(kind, 0.3)


def canal_room(ctx: SetContext) -> float:
    """How far a village's houses (an old city's wall) step back to make room for a canal
    when a boat or a bridge needs water; 0 otherwise."""
    if not {"boat", "bridge"} & set(ctx.motifs):
        return 0.0
    if ctx.kind == "village" or (ctx.kind == "city" and ctx.era == "ancient"):
        return 0.07
    return 0.0


def water_for(ctx: SetContext) -> Water | None:
    """The set's water, made when a motif needs it (a canal for a boat or a bridge)."""
    hz, ground = ctx.horizon, ctx.ground
    wants = {"boat", "bridge"} & set(ctx.motifs)
    if ctx.kind == "shore":
        return Water(0.4, hz - 0.03, ground - 0.16, made=False)
    if canal_room(ctx) > 0.0:
        # the houses' (or the wall's) foot moved up to hz + 0.05 (+ 0.07 for the wall)
        top = hz + (0.07 if ctx.kind == "village" else 0.09)
        return Water(0.7, top, ground - 0.16, made=True)
    if ctx.kind == "mountains" and "bridge" in wants:
        return Water(0.8, hz + 0.16, ground - 0.17, made=True)
    if ctx.kind == "forest" and "bridge" in wants:
        return Water(0.66, hz + 0.13, ground - 0.15, made=True)
    return None


def plan_for(ctx: SetContext) -> Plan:
    """Sides for the set's motifs, its water, and its moon."""
    light = ctx.light
    if light.moon and "moon" in ctx.motifs:
        # motifs.motif_light already moved the night sky's moon: that is the motif's moon
        hz = ctx.horizon
        moon = (light.sun_x, hz - 0.06 - light.sun_height * (hz - 0.25), light.sun_size)
    else:
        moon = moon_spot(ctx.kind, light, ctx.ground, ctx.key)
    fixed = {"moon": -1.0 if moon[0] < 0.5 else 1.0}
    return Plan(sides=choose_sides(ctx.motifs, ctx.kind, sun_side(ctx.light), fixed),
                water=water_for(ctx), indoors=ctx.kind in INTERIORS, moon=moon)
