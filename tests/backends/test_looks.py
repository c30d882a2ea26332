"""The embedded painter's looks, finish and rig: a character stays itself from shot to shot,
its mouth follows the viseme track, gestures and walks move the joints, and every look and
the film finish stay deterministic."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pytest
from scipy.ndimage import binary_erosion

from yingxi.backends.embedded.painter import EmbeddedPainter
from yingxi.backends.embedded.painter.figures import Figure
from yingxi.backends.embedded.painter.finish import Finish, shifted
from yingxi.backends.embedded.painter.looks import LOOKS
from yingxi.backends.embedded.painter.passes import control_passes
from yingxi.backends.embedded.painter.sets import build_set
from yingxi.schema.bible import Character, Hair, Location, Look
from yingxi.schema.layout import VISEMES, CastMember, SetSpec, ShotLayout, figure_height
from yingxi.schema.shots import Size
from yingxi.stages.layout import LayoutInput, block_shot

Frame = npt.NDArray[np.uint8]

HERO = Character(id="hero", name="Hero", look=Look(
    build="slim", age="young", skin="#f3d2b6", hair=Hair(style="bun", color="#1c1613"),
    palette=["#b8463b", "#f1dcb2", "#e0a43a"], wardrobe="robe"))
FRIEND = Character(id="friend", name="Friend", look=Look(
    build="broad", age="adult", skin="#c98f62", hair=Hair(style="short", color="#2a1d14"),
    palette=["#2f5a72", "#d9d0b9"], wardrobe="jacket"))


def layout(kind: str, size: Size, cast: list[Character], *, look: str = "flat",
           frames: int = 1, width: int = 216, time: str = "day",
           imperfections: bool = False, walks: dict[str, str] | None = None) -> ShotLayout:
    location = Location(id=f"{kind}-t", name=kind, kind=kind)
    members = [CastMember.of(c) for c in cast]
    return block_shot(LayoutInput(
        width=width, height=width * 16 // 9, fps=24, look=look, seed=3, size=size,
        frames=frames, staging=[c.id for c in cast], subjects=members,
        location=SetSpec.of(location), time_of_day=time,
        imperfections=imperfections, walks=walks or {}))


def paint(lay: ShotLayout) -> list[Frame]:
    """The frames' RGB (the painter gives opaque RGBA)."""
    return [frame[..., :3] for frame in EmbeddedPainter().paint(lay)]


def actor_mask(lay: ShotLayout) -> tuple[Frame, npt.NDArray[np.bool_]]:
    """The first frame and the pixels of the first actor, from the mask pass (eroded, so
    antialiased edges blending into the set do not count)."""
    frame = paint(lay)[0]
    mask = next(control_passes(lay)).mask == 1
    return frame, binary_erosion(mask, iterations=2)


def histogram(frame: Frame, mask: npt.NDArray[np.bool_]) -> npt.NDArray[np.float64]:
    colors = frame[mask] // 32  # 8 levels a channel
    index = colors[:, 0].astype(int) * 64 + colors[:, 1] * 8 + colors[:, 2]
    counts = np.bincount(index, minlength=512).astype(np.float64)
    return np.asarray(counts / counts.sum(), dtype=np.float64)


@pytest.mark.parametrize("look", ["flat", "ink", "papercut"])
def test_a_character_looks_the_same_in_two_different_shots(look: str) -> None:
    # a wide shot in the mountains and a full shot in a village, at different marks
    a = layout("mountains", "extreme-wide", [HERO], look=look)
    b = layout("village", "full", [HERO], look=look, width=270)
    frame_a, mask_a = actor_mask(a)
    frame_b, mask_b = actor_mask(b)
    # colours: the same wardrobe, skin and hair, pixel for pixel inside the masks
    overlap = np.minimum(histogram(frame_a, mask_a), histogram(frame_b, mask_b)).sum()
    assert overlap > 0.85
    # proportions: the figure's box, in units of its planned height on screen
    for lay, mask in ((a, mask_a), (b, mask_b)):
        rows, cols = np.flatnonzero(mask.any(axis=1)), np.flatnonzero(mask.any(axis=0))
        planned = figure_height(HERO.look) * lay.camera.zoom_start * lay.width
        box = ((rows[-1] - rows[0]) / planned, (cols[-1] - cols[0]) / planned)
        if lay is a:
            first = box
    assert box == pytest.approx(first, abs=0.04)


def test_the_mouth_follows_the_viseme_track_frame_by_frame() -> None:
    base = layout("home", "close", [HERO], frames=len(VISEMES) * 2, width=270)
    track = "".join(letter * 2 for letter in "XAMEIOUFC")
    talking = base.replace(actors=[a.replace(visemes=track, blinks=[]) for a in base.actors])
    frames = paint(talking)
    # the same shot with one mouth shape held throughout: frame i must match exactly the
    # held-shape render of track[i], and no other shape
    held = {v: paint(talking.replace(actors=[a.replace(visemes=v * talking.frames)
                                             for a in talking.actors]))
            for v in VISEMES}
    for i, letter in enumerate(track):
        diffs = {v: int(np.abs(frames[i].astype(int) - held[v][i].astype(int)).sum())
                 for v in VISEMES}
        assert diffs[letter] == 0, (i, letter)
        assert sorted(v for v, d in diffs.items() if d == 0) == [letter]


def test_open_mouths_show_more_dark_interior_than_closed_ones() -> None:
    base = layout("home", "close", [HERO], frames=1, width=270)
    dark = {}
    for v in "XMFAEO":
        frame = paint(base.replace(actors=[a.replace(visemes=v) for a in base.actors]))[0]
        dark[v] = int((frame.sum(axis=2) < 200).sum())
    assert min(dark["A"], dark["E"], dark["O"]) > max(dark["X"], dark["M"], dark["F"])
    assert dark["A"] > dark["E"]


def _figure(lay: ShotLayout, index: int = 0) -> Figure:
    stage = build_set(lay)
    track = lay.actors[index]
    return Figure(track, lay.character(track.character), stage.light, lay.ground_y, lay.fps,
                  stage.context.style)


def test_gestures_move_the_wrists_and_nothing_else() -> None:
    lay = layout("home", "full", [HERO])
    rest = _figure(lay.replace(actors=[a.replace(gesture="rest") for a in lay.actors]))
    for gesture in ("talk", "point", "chest", "fists", "open"):
        posed = _figure(lay.replace(actors=[a.replace(gesture=gesture) for a in lay.actors]))
        before, after = rest.joints(0), posed.joints(0)
        moved = {i for i, (p, q) in enumerate(zip(before, after, strict=True)) if p != q}
        assert moved & {4, 7}, gesture  # a wrist moved
        assert not moved - {3, 4, 6, 7}, gesture  # only elbows and wrists


def test_an_entrance_walks_from_outside_the_frame_to_the_mark() -> None:
    lay = layout("village", "extreme-wide", [HERO, FRIEND], frames=72,
                 walks={"friend": "in"})
    friend = lay.actors[1]
    assert friend.walk is not None and friend.walk.direction == "in"
    half = 0.5 / lay.camera.zoom_start
    assert abs(friend.x_at(0) - lay.camera.center_x) > half  # starts off screen
    assert friend.x_at(lay.frames - 1) == pytest.approx(friend.x)
    figure = _figure(lay, 1)
    ankles = [(figure.joints(f)[10], figure.joints(f)[13]) for f in range(0, 24, 3)]
    assert len(set(ankles)) > 4  # the legs swing
    assert figure.turn_at(5) != 0.0  # and it looks where it goes
    frames = paint(lay)
    assert not np.array_equal(frames[0], frames[-1])


def test_the_finish_is_deterministic_and_only_darkens() -> None:
    lay = layout("mountains", "extreme-wide", [HERO], look="ink", frames=6,
                 imperfections=True)
    first, again = paint(lay), paint(lay)
    assert all(np.array_equal(x, y) for x, y in zip(first, again, strict=True))
    assert not np.array_equal(first[0], first[1])  # the grain lives
    clean = paint(lay.replace(imperfections=False))
    # grain and vignette only take light away (give or take the weave's shift at edges)
    assert float(np.mean(first[0])) < float(np.mean(clean[0]))


def test_gate_weave_shifts_whole_pixels_and_keeps_the_frame_size() -> None:
    finish = Finish("flat", 1080, 1920, True, "seed")
    offsets = {finish.offset(f) for f in range(96)}
    assert len(offsets) > 1
    assert all(abs(dx) <= 2 and abs(dy) <= 2 for dx, dy in offsets)
    src = np.arange(4 * 6 * 3, dtype=np.uint8).reshape(4, 6, 3)
    out = shifted(src, 1, -1)
    assert out.shape == src.shape
    assert np.array_equal(out[0:3, 1:6], src[1:4, 0:5])


def test_every_look_has_its_own_colours() -> None:
    lay = layout("mountains", "extreme-wide", [HERO])
    means = {look: np.mean(paint(lay.replace(look=look))[0], axis=(0, 1)) for look in LOOKS}
    ink = means["ink"]
    assert float(np.ptp(ink)) < float(np.ptp(means["flat"]))  # ink is nearly monochrome
    assert not np.allclose(means["papercut"], means["flat"], atol=0.5)
