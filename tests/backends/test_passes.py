"""Control passes: masks, depth and pose drawn from the same geometry as the painter's frames,
and the ``yingxi layout`` command that writes them."""

from __future__ import annotations

import inspect
import json
from collections.abc import Callable
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pytest
import skia
from click.testing import CliRunner
from scipy import ndimage

from yingxi.backends.embedded.painter import EmbeddedPainter
from yingxi.backends.embedded.painter.camera import view_at
from yingxi.backends.embedded.painter.passes import (
    OPENPOSE_COLORS,
    PassFrame,
    actor_nearness,
    control_passes,
    depth_grey,
    in_frame,
    openpose_json,
    pose_image,
)
from yingxi.backends.embedded.painter.pose import OPENPOSE_18
from yingxi.cli import cli, main
from yingxi.export.passes import write_passes
from yingxi.schema.bible import Character, Hair, Location, Look
from yingxi.schema.layout import (
    CHEST_HEIGHT_RATIO,
    FACE_HEIGHT_RATIO,
    ActorTrack,
    Camera,
    CastMember,
    PropSpec,
    SetSpec,
    ShotLayout,
    Walk,
    figure_height,
)

Mask = npt.NDArray[np.bool_]
GROUND = 1.39
W, H = 216, 384
LIN = Character(id="lin", name="Lin", look=Look(
    age="young", build="slim", skin="#f3cfae", hair=Hair(style="long", color="#2a1d1a"),
    palette=["#c8505a", "#f2e1c8", "#e0a040"], wardrobe="robe"))
CHEN = Character(id="chen", name="Chen", look=Look(
    age="adult", skin="#e2b48f", hair=Hair(style="short", color="#1b1716"),
    palette=["#2f4a6d", "#d8cfc0", "#b03a3a"], wardrobe="suit"))
CAST = {"lin": LIN, "chen": CHEN}
NOSE, NECK, R_SHOULDER, L_SHOULDER = (OPENPOSE_18.index(n) for n in (
    "nose", "neck", "r_shoulder", "l_shoulder"))
R_ANKLE, L_ANKLE, R_EAR, L_EAR = (OPENPOSE_18.index(n) for n in (
    "r_ankle", "l_ankle", "r_ear", "l_ear"))


def track(char: str, x: float, frames: int = 3, **fields: object) -> ActorTrack:
    return ActorTrack.model_validate({"character": char, "x": x, "visemes": "X" * frames,
                                      **fields})


def make(tracks: list[ActorTrack], *, frames: int = 3, framing: str = "medium",
         zoom: float = 1.9, zoom_end: float | None = None, kind: str = "village",
         insert: PropSpec | None = None, cx: float | None = None) -> ShotLayout:
    """A hand-made layout, aimed the way the layout stage aims a camera."""
    if framing == "wide":
        cx, cy = 0.5, H / W / 2
    else:
        main_x = [t.x for t in tracks if t.plane == "main"]
        if cx is None:
            cx = sum(main_x) / len(main_x) if main_x else 0.5
        cy = GROUND - CHEST_HEIGHT_RATIO * figure_height(CHEN.look)
    camera = Camera(framing=framing, center_x=cx, center_y=cy, zoom_start=zoom,
                    zoom_end=zoom if zoom_end is None else zoom_end)
    location = Location(id=f"{kind}-test", name=kind, kind=kind, era="ancient")
    cast = [CastMember.of(CAST[c]) for c in dict.fromkeys(t.character for t in tracks)]
    return ShotLayout(width=W, height=H, fps=24, frames=frames, look="flat",
                      imperfections=False, seed=5, location=SetSpec.of(location),
                      time_of_day="day", ground_y=GROUND, camera=camera, actors=tracks,
                      cast=cast, insert=insert)


def two_shot(frames: int = 3, facing: str = "front", **camera: object) -> ShotLayout:
    return make([track("lin", 0.4, frames, facing=facing),
                 track("chen", 0.6, frames, facing=facing)], frames=frames,
                **camera)  # type: ignore[arg-type]


def over_the_shoulder(frames: int = 2) -> ShotLayout:
    """Chen in the middle, Lin's near shoulder on the right, overlapping him; Lin is listed
    first, so list order and draw order differ."""
    zoom, cx = 1.9, 0.5
    cy = GROUND - CHEST_HEIGHT_RATIO * figure_height(CHEN.look)
    head_y = cy + (0.46 - 0.5) * (H / W) / zoom
    feet = head_y + FACE_HEIGHT_RATIO * figure_height(LIN.look) * 1.45
    near = track("lin", cx + 0.3 / zoom, frames, facing="left", plane="foreground", scale=1.45,
                 y=feet)
    return make([near, track("chen", cx + 0.05, frames, facing="right")], frames=frames,
                cx=cx)


def passes(layout: ShotLayout, every: int = 1) -> list[PassFrame]:
    return list(control_passes(layout, every=every))


def painted(layout: ShotLayout) -> list[npt.NDArray[np.uint8]]:
    """The frames' RGB (the painter gives opaque RGBA)."""
    return [frame[..., :3] for frame in EmbeddedPainter().paint(layout)]


def grow(mask: Mask, px: int) -> Mask:
    return np.asarray(ndimage.binary_dilation(mask, iterations=px), dtype=bool)


def shrink(mask: Mask, px: int) -> Mask:
    return np.asarray(ndimage.binary_erosion(mask, iterations=px), dtype=bool)


def feet_boxes(layout: ShotLayout, frame: int) -> Mask:
    """Where contact shadows may lie: a box round each main-plane actor's feet."""
    out = np.zeros((H, W), dtype=bool)
    view = view_at(layout, frame)
    for t in layout.actors:
        if t.plane != "main":
            continue
        h = figure_height(layout.character(t.character).look) * t.scale
        (u0, v0), (u1, v1) = (view.to_screen(t.x_at(frame) - 0.3 * h, GROUND - 0.06 * h),
                              view.to_screen(t.x_at(frame) + 0.3 * h, GROUND + 0.06 * h))
        out[max(0, int(v0)):int(v1) + 1, max(0, int(u0)):int(u1) + 1] = True
    return out


def pixel(point: tuple[float, float] | None) -> tuple[int, int]:
    assert point is not None
    return int(point[1]), int(point[0])


# --- masks ---------------------------------------------------------------------------------


@pytest.mark.parametrize("layout", [
    two_shot(),
    two_shot(facing="right", framing="wide", zoom=1.0),
    make([track("lin", 0.5, 4, walk=Walk(direction="in", start=0, end=4, from_x=0.3,
                                         to_x=0.5))], frames=4),
], ids=["medium", "wide", "walking"])
def test_masks_cover_exactly_the_figures(layout: ShotLayout) -> None:
    empty = layout.replace(actors=[], cast=[])
    frames, bare = painted(layout), painted(empty)
    for f in passes(layout):
        differs = (frames[f.frame] != bare[f.frame]).any(axis=2)
        figure = f.mask > 0
        assert figure.mean() > 0.02
        inside = shrink(figure, 2)
        assert differs[inside].mean() > 0.97
        outside = ~grow(figure, 2) & ~feet_boxes(layout, f.frame)
        assert not differs[outside].any()
        assert set(np.unique(f.mask)) == {0, *range(1, len(layout.actors) + 1)}


def test_mask_ids_follow_the_actors_list_and_nearer_actors_win() -> None:
    layout = over_the_shoulder()
    [both] = passes(layout, every=2)
    solo = [passes(layout.replace(actors=[t], cast=layout.cast))[0].mask > 0
            for t in layout.actors]
    near, far = solo  # ids 1 (Lin, foreground) and 2 (Chen)
    assert (both.mask[near] == 1).all()
    assert (both.mask[far & ~near] == 2).all()
    overlap = near & far
    assert overlap.sum() > 50, "the test layout should overlap the two actors"
    assert not ((both.mask > 0) & ~near & ~far).any()


def test_masks_are_never_blended_at_edges() -> None:
    [f] = passes(two_shot(frames=1))
    assert f.mask.dtype == np.uint8 and f.mask.shape == (H, W)
    assert set(np.unique(f.mask)) <= {0, 1, 2}


# --- depth ---------------------------------------------------------------------------------


def test_depth_is_dark_far_and_bright_near() -> None:
    layout = two_shot(framing="wide", zoom=1.0)
    [f] = passes(layout.replace(frames=1, actors=[t.replace(visemes="X")
                                                  for t in layout.actors]))
    [bare] = passes(layout.replace(frames=1, actors=[], cast=[]))
    assert f.depth.dtype == np.uint8 and f.depth.shape == (H, W)
    # the sky is the darkest: the top rows hold the frame's least depth
    assert int(np.median(f.depth[:4])) == int(f.depth.min()) < 20
    # the ground the actors stand on is the brightest of the set
    assert np.median(bare.depth[-4:]) > np.median(bare.depth[H // 3])
    # the actors stand in front of whatever is behind them, in their own grey
    figure = f.mask > 0
    assert (f.depth[figure] > bare.depth[figure]).all()
    for index in (1, 2):
        core = shrink(f.mask == index, 2)
        # (a seam between two anti-aliased parts may let a pixel of the set through)
        assert (f.depth[core] == depth_grey(actor_nearness(layout, index - 1))).mean() > 0.99
    # and nothing else changed: no contact shadow, no halo
    assert (f.depth[~grow(figure, 1)] == bare.depth[~grow(figure, 1)]).all()


def test_walking_actor_leaves_no_shadow_in_the_depth() -> None:
    walk = Walk(direction="in", start=0, end=6, from_x=0.25, to_x=0.55)
    layout = make([track("chen", 0.55, 6, walk=walk)], frames=6)
    bare = passes(layout.replace(actors=[], cast=[]))
    for f, b in zip(passes(layout), bare, strict=True):
        # under the feet, where the painter lays the walker's shadow, only the figure shows
        away = ~grow(f.mask > 0, 2) & feet_boxes(layout, f.frame)
        assert away.sum() > 100
        assert (f.depth[away] == b.depth[away]).all()


def test_a_foreground_actor_is_nearer_than_a_main_one() -> None:
    layout = over_the_shoulder()
    f = passes(layout)[0]
    near, far = shrink(f.mask == 1, 2), shrink(f.mask == 2, 2)
    assert near.any() and far.any()
    assert (f.depth[near] == 255).mean() > 0.99
    assert f.depth[near].min() > f.depth[far].max()


def test_depth_grows_with_the_feet_and_is_monotonic() -> None:
    greys = [depth_grey(n / 20) for n in range(-5, 40)]
    assert greys == sorted(greys) and greys[0] == 0 and greys[-1] == 255
    layout = make([track("lin", 0.35), track("chen", 0.65, y=GROUND + 0.08)])
    assert actor_nearness(layout, 1) > actor_nearness(layout, 0)
    f = passes(layout)[0]
    assert f.depth[shrink(f.mask == 2, 2)].min() > f.depth[shrink(f.mask == 1, 2)].max()
    assert depth_grey(actor_nearness(layout, 0)) > depth_grey(1.0)  # before the ground


def test_an_insert_prop_is_nearest() -> None:
    prop = PropSpec(id="lamp", name="lamp", shape="lantern", x=0.5, y=1.0, size=0.25)
    layout = make([], kind="shore", insert=prop, frames=2)
    f, _ = passes(layout)
    view = view_at(layout, 0)
    u, v = view.to_screen(0.5, 1.0)
    assert f.depth[int(v), int(u)] == 255
    assert (f.depth == 255).mean() > 0.02
    assert not f.mask.any() and f.pose == []
    # the glow around it is light, not the prop
    bare = passes(layout.replace(insert=None))[0]
    changed = f.depth != bare.depth
    assert (f.depth[changed] == 255).mean() > 0.9


def test_a_layer_that_moves_by_itself_moves_in_the_depth() -> None:
    layout = two_shot(frames=8, framing="wide", zoom=1.0)
    geese = Location(id="geese-test", name="hills", kind="mountains", era="ancient",
                     motifs=["geese"])
    layout = layout.replace(location=SetSpec.of(geese))
    first, *_, last = passes(layout)
    frames = painted(layout)
    away = ~grow(first.mask > 0, 3) & ~grow(last.mask > 0, 3)
    moved = (first.depth != last.depth) & away
    assert moved.sum() > 20
    assert ((frames[0] != frames[-1]).any(axis=2)[moved]).all()  # where the picture moved


def best_shift(a: npt.NDArray[np.uint8], b: npt.NDArray[np.uint8]) -> tuple[int, float]:
    """The row shift s that best maps ``b`` onto ``a`` (a[i] == b[i + s]), and how well."""
    scores = []
    for s in range(0, H // 2):
        scores.append((float((a[:H - s] == b[s:]).mean()), s))
    score, shift = max(scores)
    return shift, score


def test_the_set_depth_moves_with_the_picture_in_a_tilt() -> None:
    base = make([], frames=5, zoom=1.3)
    cam = base.camera
    layout = base.replace(camera=cam.replace(center_y_end=cam.center_y + 0.15))
    depth = passes(layout)
    frames = painted(layout)
    for f in (2, 4):
        shift, score = best_shift(depth[f].depth, depth[0].depth)
        assert score == 1.0 and shift > 0  # one plate slides up: no parallax in a tilt
        # the picture slides by the same rows: the depth's edges stay on the picture's edges
        assert best_shift(frames[f], frames[0]) == (shift, 1.0)


def test_depth_follows_a_push_in() -> None:
    layout = two_shot(frames=5, zoom=1.5, zoom_end=2.2)
    first, *_, last = passes(layout)
    assert (last.mask > 0).sum() > 1.5 * (first.mask > 0).sum()
    assert not np.array_equal(first.depth, last.depth)


# --- pose ----------------------------------------------------------------------------------


@pytest.mark.parametrize("facing", ["front", "left", "right"])
def test_keypoints_land_on_their_character(facing: str) -> None:
    layout = two_shot(facing=facing)
    for f in passes(layout):
        assert len(f.pose) == 2
        for index, points in enumerate(f.pose):
            assert len(points) == 18
            for joint in (NOSE, NECK, R_SHOULDER, L_SHOULDER):
                assert f.mask[pixel(points[joint])] == index + 1, OPENPOSE_18[joint]
            ground = view_at(layout, f.frame).to_screen(0, GROUND)[1]
            for joint in (R_ANKLE, L_ANKLE):  # just above the ground line
                foot = points[joint]
                assert foot is not None
                assert 0 < ground - foot[1] < 0.05 * (ground - pixel(points[NOSE])[0])


def test_left_and_right_are_the_figures_own() -> None:
    [f] = passes(two_shot(frames=1))
    for points in f.pose:
        r, left = points[R_SHOULDER], points[L_SHOULDER]
        assert r is not None and left is not None
        assert r[0] < left[0]  # facing the camera, the right shoulder is on screen-left
        assert points[R_EAR] is not None and points[L_EAR] is not None
    [turned] = passes(two_shot(frames=1, facing="right"))
    # a figure turned to screen-right hides the ear on that side
    assert all(p[L_EAR] is None and p[R_EAR] is not None for p in turned.pose)


def test_keypoints_follow_a_push_in() -> None:
    layout = two_shot(frames=6, zoom=1.4, zoom_end=2.1)
    frames = passes(layout)

    def spread(f: PassFrame) -> float:
        nose, ankle = f.pose[1][NOSE], f.pose[1][R_ANKLE]
        assert nose is not None and ankle is not None
        return float(np.hypot(nose[0] - ankle[0], nose[1] - ankle[1]))

    spreads = [spread(f) for f in frames]
    assert spreads == sorted(spreads)
    ratio = spreads[-1] / spreads[0]
    assert ratio == pytest.approx(2.1 / 1.4, rel=0.03)
    gap = [f.pose[1][NECK][0] - f.pose[0][NECK][0]  # type: ignore[index]
           for f in (frames[0], frames[-1])]
    assert gap[1] / gap[0] == pytest.approx(2.1 / 1.4, rel=0.03)


def test_openpose_json_marks_hidden_and_offscreen_points() -> None:
    layout = over_the_shoulder()
    f = passes(layout)[0]
    data = openpose_json(f.pose, W, H)
    assert data["version"] == 1.3 and data["canvas_width"] == W and data["canvas_height"] == H
    assert [p["person_id"] for p in data["people"]] == [[1], [2]]
    near = data["people"][0]["pose_keypoints_2d"]
    assert len(near) == 54
    triples = [near[i:i + 3] for i in range(0, 54, 3)]
    for point, (x, y, c) in zip(f.pose[0], triples, strict=True):
        if point is None:
            assert (x, y, c) == (0.0, 0.0, 0.0)
        elif in_frame(point, W, H):
            assert c == 1.0 and (x, y) == pytest.approx(point, abs=1e-3)
        else:
            assert c == 0.0 and (x, y) == pytest.approx(point, abs=1e-3)
    assert any(c == 0.0 for _, _, c in triples), "the near shoulder's body leaves the frame"
    assert any(c == 1.0 for _, _, c in triples)


def test_pose_image_uses_the_openpose_colours() -> None:
    [f] = passes(two_shot(frames=1))
    image = pose_image(f.pose, W, H)
    assert image.shape == (H, W, 3) and image.dtype == np.uint8
    for points in f.pose:
        for joint in (NOSE, NECK, R_SHOULDER, L_ANKLE):
            assert tuple(image[pixel(points[joint])]) == OPENPOSE_COLORS[joint]
    lit: Mask = np.asarray(image.any(axis=2), dtype=bool)
    assert 0.005 < lit.mean() < 0.2
    assert not lit[:, :10].any()  # nothing drawn away from the actors
    # limbs in 60 % colours, never blended (no anti-aliasing)
    colours = {tuple(c) for c in image[lit].tolist()}
    allowed = set(OPENPOSE_COLORS) | {tuple(int(v * 0.6) for v in c) for c in OPENPOSE_COLORS}
    assert colours <= allowed


def test_passes_stream_and_skip_frames() -> None:
    layout = two_shot(frames=5)
    assert inspect.isgenerator(control_passes(layout))
    frames = list(control_passes(layout, every=2))
    assert [f.frame for f in frames] == [0, 2, 4]
    full = passes(layout)
    assert np.array_equal(frames[1].mask, full[2].mask)
    assert np.array_equal(frames[2].depth, full[4].depth)
    assert frames[1].pose == full[2].pose
    with pytest.raises(ValueError, match="every"):
        next(control_passes(layout, every=0))


def test_a_look_moves_nothing() -> None:
    layout = two_shot(frames=1)
    flat = passes(layout)[0]
    for look in ("ink", "papercut"):
        other = passes(layout.replace(look=look))[0]
        assert other.pose == flat.pose
        # an ink contour thickens the edge a little, nothing more
        same = (other.mask == flat.mask).mean()
        assert same > 0.99
        assert not (shrink(flat.mask > 0, 1) & (other.mask != flat.mask)).any()


# --- files ---------------------------------------------------------------------------------


def read_png(path: Path, gray: bool = False) -> npt.NDArray[np.uint8]:
    image = skia.Image.open(str(path))
    if gray:
        return np.asarray(image.toarray(colorType=skia.kGray_8_ColorType))
    return np.asarray(image.toarray(colorType=skia.kRGBA_8888_ColorType))[..., :3]


def test_write_passes_writes_what_it_computed(tmp_path: Path) -> None:
    layout = over_the_shoulder(frames=3)
    done: list[tuple[int, int]] = []
    result = write_passes(layout, tmp_path / "shot", every=2,
                          on_frame=lambda d, t: done.append((d, t)))
    assert result.frames == (0, 2) and done == [(1, 2), (2, 2)]
    assert result.characters == ("lin", "chen")
    computed = passes(layout, every=2)
    for f in computed:
        stem = f"{f.frame:06d}"
        assert np.array_equal(read_png(result.folder / "depth" / f"{stem}.png", True), f.depth)
        assert np.array_equal(read_png(result.folder / "mask" / f"{stem}.png", True), f.mask)
        assert np.array_equal(read_png(result.folder / "pose" / f"{stem}.png"),
                              pose_image(f.pose, W, H))
        keypoints = json.loads((result.folder / "pose" / f"{stem}_keypoints.json").read_text())
        assert keypoints == json.loads(json.dumps(openpose_json(f.pose, W, H)))
    legend = json.loads(result.legend.read_text(encoding="utf-8"))
    assert legend["characters"] == {"1": "lin", "2": "chen"}
    assert (legend["width"], legend["height"], legend["fps"]) == (W, H, 24)
    assert legend["frames"] == 3 and legend["written"] == 2 and legend["every"] == 2
    assert "255" in legend["depth"]["formula"] or "near" in legend["depth"]["formula"]
    assert legend["pose"]["keypoints"] == list(OPENPOSE_18)
    # a second export replaces the frame files of the first
    write_passes(layout, tmp_path / "shot", every=3)
    assert sorted(p.name for p in (tmp_path / "shot" / "depth").iterdir()) == ["000000.png"]


@pytest.mark.slow
def test_layout_command_writes_layouts_and_passes(example_copy: Callable[[str], Path]) -> None:
    root = example_copy("paper-lantern")
    out = root / "out" / "layout" / "ep01" / "sc01-030"
    result = CliRunner().invoke(cli, ["layout", str(root), "--preview", "--passes",
                                      "--shot", "sc01-030"])
    assert result.exit_code == 0, result.output
    assert "1 shot layout" in result.output
    assert sorted(p.name for p in (root / "out" / "layout" / "ep01").iterdir()) == ["sc01-030"]
    layout = ShotLayout.from_json_bytes((out / "layout.json").read_bytes())
    assert (layout.width, layout.height) == (270, 480)
    names = {p.name for p in (out / "depth").iterdir()}
    assert names == {f"{i:06d}.png" for i in range(layout.frames)}
    assert {p.name for p in (out / "mask").iterdir()} == names
    assert {p.name for p in (out / "pose").iterdir()} == names | {
        f"{i:06d}_keypoints.json" for i in range(layout.frames)}
    legend = json.loads((out / "legend.json").read_text(encoding="utf-8"))
    assert legend["characters"] == {str(i + 1): a.character
                                    for i, a in enumerate(layout.actors)}
    mask = read_png(out / "mask" / "000000.png", True)
    assert mask.shape == (480, 270)
    assert set(np.unique(mask)) == {0, *range(1, len(layout.actors) + 1)}
    depth = read_png(out / "depth" / "000000.png", True)
    assert depth[mask > 0].mean() > depth[mask == 0].mean()
    # without --passes only the layouts, of every shot
    result = CliRunner().invoke(cli, ["layout", str(root), "--preview", "-o",
                                      str(root / "plain"), "-q"])
    assert result.exit_code == 0, result.output
    shots = sorted((root / "plain" / "ep01").iterdir())
    assert len(shots) > 5 and all(sorted(p.name for p in s.iterdir()) == ["layout.json"]
                                  for s in shots)


@pytest.mark.slow
def test_layout_command_names_unknown_shots_and_episodes(
        example_copy: Callable[[str], Path], capsys: pytest.CaptureFixture[str]) -> None:
    root = example_copy("paper-lantern")
    assert main(["layout", str(root), "--preview", "--shot", "sc09-999", "-q"]) == 1
    err = capsys.readouterr().err
    assert "no shot 'sc09-999'" in err and "sc01-030" in err and "ep01.yaml" in err
    assert not (root / "out" / "layout").exists()
    assert main(["layout", str(root), "-e", "ep99", "-q"]) == 1
    assert "no episode 'ep99'" in capsys.readouterr().err
