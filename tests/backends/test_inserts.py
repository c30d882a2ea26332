"""Insert props: every shape draws inside its box, deterministically, distinctly, takes its
colour and darkens at night."""

from __future__ import annotations

import itertools

import numpy as np
import numpy.typing as npt
import pytest

from yingxi.backends.embedded.painter.camera import new_buffer, surface_over
from yingxi.backends.embedded.painter.inserts import draw_prop
from yingxi.backends.embedded.painter.palette import RGB, Light, make_light
from yingxi.schema.bible import PROP_SHAPES, PropShape

Buffer = npt.NDArray[np.uint8]
SIDE, SIZE = 160, 110  # the prop's box is the middle SIZE x SIZE square of the buffer
LO, HI = (SIDE - SIZE) // 2, (SIDE + SIZE) // 2
DAY = make_light("day", "clear", 0.7)
NIGHT = make_light("night", "clear", 0.7)


def render(shape: PropShape, light: Light = DAY, color: RGB | None = None) -> Buffer:
    """The prop alone on a transparent buffer."""
    buf = new_buffer(SIDE, SIDE)
    surface = surface_over(buf)
    draw_prop(surface.getCanvas(), shape, SIDE / 2, SIDE / 2, SIZE, color, light)
    surface.flushAndSubmit()
    return buf


def luma(buf: Buffer) -> float:
    """Mean brightness of the (premultiplied) picture."""
    rgb = buf[..., :3].astype(np.float64)
    return float((rgb @ np.array([0.299, 0.587, 0.114])).mean())


@pytest.fixture(scope="module")
def day() -> dict[PropShape, Buffer]:
    return {shape: render(shape) for shape in PROP_SHAPES}


@pytest.mark.parametrize("shape", PROP_SHAPES)
def test_prop_fills_its_box(shape: PropShape, day: dict[PropShape, Buffer]) -> None:
    alpha = day[shape][..., 3]
    inside = alpha[LO:HI, LO:HI]
    assert (inside > 128).mean() > 0.08, "too little of the box is drawn"
    assert (inside < 8).mean() > 0.1, "a prop has an outline, not a flat block"
    # it spans the box, one way at least (a sword or a fan is thin the other way)
    ys, xs = np.nonzero(alpha > 64)
    extent = sorted(((xs.max() - xs.min() + 1) / SIZE, (ys.max() - ys.min() + 1) / SIZE))
    assert extent[1] > 0.85
    assert extent[0] > 0.55
    # a couple of pixels of anti-aliasing or blur may spill past the box, not the prop itself
    m = 3
    outside = alpha.astype(np.int64).sum() - alpha[LO - m:HI + m, LO - m:HI + m].sum()
    assert outside <= 0.01 * alpha.astype(np.int64).sum()
    # it is centred: drawn in every quarter of the box
    mid = SIDE // 2
    for rows, cols in itertools.product((slice(LO, mid), slice(mid, HI)), repeat=2):
        assert (alpha[rows, cols] > 64).any()


@pytest.mark.parametrize("shape", PROP_SHAPES)
def test_prop_is_deterministic(shape: PropShape, day: dict[PropShape, Buffer]) -> None:
    assert render(shape).tobytes() == day[shape].tobytes()


def test_shapes_differ(day: dict[PropShape, Buffer]) -> None:
    for a, b in itertools.combinations(PROP_SHAPES, 2):
        diff = np.abs(day[a].astype(np.int16) - day[b].astype(np.int16)).mean()
        assert diff > 5, f"{a} and {b} look alike"


def test_unknown_shape_falls_back_to_box(day: dict[PropShape, Buffer]) -> None:
    kite = render("kite")  # type: ignore[arg-type]
    assert kite.tobytes() == day["box"].tobytes()


@pytest.mark.parametrize("shape", PROP_SHAPES)
def test_color_changes_the_prop(shape: PropShape, day: dict[PropShape, Buffer]) -> None:
    green = render(shape, color=(0.2, 0.62, 0.35))
    changed = np.abs(green.astype(np.int16) - day[shape].astype(np.int16)).max(axis=2) > 24
    assert changed.mean() > 0.02
    # the colour shows: the green render is greener than the default one
    g_minus_r = [float((b[..., 1].astype(np.int64) - b[..., 0]).mean()) for b in (green,
                                                                                  day[shape])]
    assert g_minus_r[0] > g_minus_r[1]


@pytest.mark.parametrize("shape", PROP_SHAPES)
def test_night_is_darker(shape: PropShape, day: dict[PropShape, Buffer]) -> None:
    night = render(shape, NIGHT)
    if shape == "lantern":
        # a lit lantern is the night's light: its paper glows, but its caps and cord darken
        dark = day[shape][..., 3] > 250
        cap = night[..., :3].mean(axis=2)[dark] < day[shape][..., :3].mean(axis=2)[dark]
        assert cap.mean() > 0.2
        return
    assert luma(night) < luma(day[shape]) * 0.85
    # and bluer: moonlight, not just a dimmer day
    nb = night[..., 2].astype(np.float64).sum() / max(1.0, night[..., 0].astype(np.float64).sum())
    db = day[shape][..., 2].astype(np.float64).sum() / max(1.0, day[shape][..., 0].sum())
    assert nb > db
