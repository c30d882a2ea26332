"""The embedded painter: frames, determinism, consistency of sets and characters, faces."""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pytest

import yingxi.backends.embedded.painter as painter_module
from yingxi.backends.embedded.painter import EmbeddedPainter
from yingxi.backends.embedded.painter.camera import View, rgba_to_rgb
from yingxi.backends.protocols import Painter
from yingxi.media.encode import TAKE_SETTINGS, VideoWriter
from yingxi.schema.bible import Character, Hair, Location, Look
from yingxi.schema.layout import (
    CHEST_HEIGHT_RATIO,
    FACE_HEIGHT_RATIO,
    ActorTrack,
    Camera,
    CastMember,
    SetSpec,
    ShotLayout,
    figure_height,
)

Frame = npt.NDArray[np.uint8]
KINDS = ["mountains", "shore", "forest", "village", "palace", "office", "city", "home"]
TIMES = ["dawn", "day", "dusk", "night"]
GROUND = 1.39

LIN = Character(id="lin", name="Lin", look=Look(
    age="young", build="slim", skin="#f3cfae", hair=Hair(style="long", color="#2a1d1a"),
    palette=["#c8505a", "#f2e1c8", "#e0a040"], wardrobe="robe"))
CHEN = Character(id="chen", name="Chen", look=Look(
    age="adult", skin="#e2b48f", hair=Hair(style="short", color="#1b1716"),
    palette=["#2f4a6d", "#d8cfc0", "#b03a3a"], wardrobe="suit"))


def shot(kind: str = "village", *, w: int = 108, h: int = 192, frames: int = 3,
         framing: str = "wide", actors: list[tuple[Character, float]] | None = None,
         visemes: list[str] | None = None, blinks: list[list[int]] | None = None,
         time: str = "day", era: str = "ancient", weather: str = "clear", focus: int = 0,
         zoom_end: float | None = None, facing: list[str] | None = None,
         expression: str = "neutral", loc_id: str | None = None) -> ShotLayout:
    """A hand-made layout; cameras aimed the way the layout stage aims them."""
    cast = actors if actors is not None else [(LIN, 0.35), (CHEN, 0.65)]
    aspect = h / w
    if framing == "wide":
        cam = Camera(framing="wide", center_x=0.5, center_y=aspect / 2, zoom_start=1.0,
                     zoom_end=zoom_end or 1.0)
    elif framing == "medium":
        height = max(figure_height(c.look) for c, _ in cast)
        cam = Camera(framing="medium", center_x=sum(x for _, x in cast) / len(cast),
                     center_y=GROUND - CHEST_HEIGHT_RATIO * height, zoom_start=1.9,
                     zoom_end=zoom_end or 1.9)
    else:
        char, x = cast[focus]
        cam = Camera(framing="close", center_x=x,
                     center_y=GROUND - FACE_HEIGHT_RATIO * figure_height(char.look),
                     zoom_start=3.2, zoom_end=zoom_end or 3.2)
    tracks = [
        ActorTrack(character=c.id, x=x,
                   facing=(facing[i] if facing else ("right" if x < 0.5 else "left")),
                   expression=expression,
                   visemes=visemes[i] if visemes else "X" * frames,
                   blinks=blinks[i] if blinks else [])
        for i, (c, x) in enumerate(cast)
    ]
    location = Location(id=loc_id or f"{kind}-{era}", name=kind, kind=kind, era=era,
                        weather=weather)
    # no grain or weave: these tests compare the drawing itself, pixel for pixel
    return ShotLayout(width=w, height=h, fps=24, frames=frames, look="flat", seed=11,
                      imperfections=False,
                      location=SetSpec.of(location), time_of_day=time, ground_y=GROUND,
                      camera=cam,
                      actors=tracks, cast=[CastMember.of(c) for c, _ in cast])


def render(layout: ShotLayout) -> list[Frame]:
    """The frames' RGB (the painter gives opaque RGBA: see the shape test)."""
    return [frame[..., :3] for frame in EmbeddedPainter().paint(layout)]


def screen(layout: ShotLayout, x: float, y: float, frame: int = 0) -> tuple[int, int]:
    """Pixel (column, row) of a world point."""
    t = frame / max(1, layout.frames - 1)
    cam = layout.camera
    view = View(cam.center_x, cam.center_y, cam.zoom_at(t), layout.width, layout.height)
    u, v = view.to_screen(x, y)
    return int(u), int(v)


def head_center(layout: ShotLayout, index: int = 0) -> tuple[int, int]:
    track = layout.actors[index]
    height = figure_height(layout.character(track.character).look)
    return screen(layout, track.x, layout.ground_y - FACE_HEIGHT_RATIO * height)


def patch(frame: Frame, center: tuple[int, int], half_w: int, top: int, bottom: int) -> Frame:
    u, v = center
    return frame[v + top:v + bottom, u - half_w:u + half_w]


def test_is_a_painter_and_cheap_to_make() -> None:
    painter = EmbeddedPainter()
    assert isinstance(painter, Painter)
    assert painter.info.role == "painter" and painter.info.name == "embedded"


def test_frames_have_the_layout_shape() -> None:
    # opaque RGBA, handed to the encoder as it is; every frame a buffer of its own
    for layout in (shot(frames=4), shot(frames=4, zoom_end=3.4),
                   shot(frames=4).replace(imperfections=True)):
        frames = list(EmbeddedPainter().paint(layout))
        assert len(frames) == 4
        for frame in frames:
            assert frame.shape == (192, 108, 4)
            assert frame.dtype == np.uint8
            assert frame.flags.c_contiguous
            assert (frame[..., 3] == 255).all()
        assert len({id(f) for f in frames}) == 4
        assert not any(np.shares_memory(a, b) for a in frames for b in frames if a is not b)


def test_frames_encode_as_their_rgb_would(tmp_path: Path) -> None:
    # the encoder takes the painter's RGBA as it is: the alpha plays no part in the video
    frames = list(EmbeddedPainter().paint(shot(frames=3).replace(imperfections=True)))
    videos = []
    for name, pictures in (("rgba.mp4", frames), ("rgb.mp4", [f[..., :3].copy() for f in frames])):
        with VideoWriter(tmp_path / name, 108, 192, 24, TAKE_SETTINGS) as writer:
            for picture in pictures:
                writer.write_frame(picture)
        videos.append((tmp_path / name).read_bytes())
    assert videos[0] == videos[1]


@pytest.mark.parametrize("framing", ["wide", "medium", "close"])
def test_frames_are_byte_identical_run_after_run(framing: str) -> None:
    layout = shot(framing=framing, frames=3, visemes=["XAM", "MEO"], blinks=[[0], [1]])
    first, second = render(layout), render(layout)
    assert all(np.array_equal(a, b) for a, b in zip(first, second, strict=True))


def test_animated_weather_is_deterministic_and_moves() -> None:
    for weather in ("rain", "snow"):
        layout = shot(weather=weather, frames=3, w=216, h=384)
        first, second = render(layout), render(layout)
        assert all(np.array_equal(a, b) for a, b in zip(first, second, strict=True))
        assert not np.array_equal(first[0], first[2]), weather


def test_push_in_frames_zoom_and_repeat() -> None:
    for end in (3.2 * 1.04, 4.5):  # a gentle creep (plate gather) and a big push (repaint)
        layout = shot(framing="close", frames=3, zoom_end=end)
        first, second = render(layout), render(layout)
        assert len(first) == 3
        assert all(np.array_equal(a, b) for a, b in zip(first, second, strict=True))
        assert np.abs(first[0].astype(int) - first[2].astype(int)).mean() > 1.0


def _dominant_colors(region: Frame, count: int) -> set[tuple[int, int, int]]:
    colors, freq = np.unique(region.reshape(-1, 3), axis=0, return_counts=True)
    top = np.argsort(freq)[::-1][:count]
    return {(int(r), int(g), int(b)) for r, g, b in colors[top]}


def test_a_character_keeps_its_colours_across_shots() -> None:
    # different location, framing and position, same daylight: same costume, skin and hair
    wide = shot("village", framing="wide", actors=[(LIN, 0.3)], w=216, h=384, frames=1)
    medium = shot("home", era="modern", framing="medium", actors=[(LIN, 0.62)], w=216,
                  h=384, frames=1)
    samples = []
    for layout in (wide, medium):
        frame = render(layout)[0]
        h = figure_height(LIN.look)
        x0, y0 = screen(layout, 0.3 if layout is wide else 0.62, GROUND - 0.95 * h)
        _, y1 = screen(layout, 0.3 if layout is wide else 0.62, GROUND - 0.45 * h)
        half = (y1 - y0) // 4
        samples.append(frame[y0:y1, x0 - half:x0 + half])
    # daylight leaves the Look's colours untouched: robe, skin and hair, exactly
    look = {(0xC8, 0x50, 0x5A), (0xF3, 0xCF, 0xAE), (0x2A, 0x1D, 0x1A)}
    for sample in samples:
        assert look <= _dominant_colors(sample, 6)


def test_open_mouth_is_darker_than_closed() -> None:
    layout = shot(framing="close", actors=[(LIN, 0.5)], facing=["front"], frames=2,
                  visemes=["MA"], w=216, h=384)
    closed, opened = render(layout)
    h = figure_height(LIN.look)
    ry = 0.122 * h * layout.camera.zoom_start * layout.width
    center = head_center(layout)
    box = (int(ry * 0.35), int(ry * 0.45), int(ry * 0.95))
    m, a = patch(closed, center, *box), patch(opened, center, *box)
    assert m.shape == a.shape and m.size > 0
    assert np.abs(m.astype(int) - a.astype(int)).mean() > 8
    assert a.mean() < m.mean() - 10


def test_every_viseme_draws_a_different_mouth() -> None:
    letters = "XMAEIOUFC"
    layout = shot(framing="close", actors=[(CHEN, 0.5)], facing=["front"], frames=9,
                  visemes=[letters], w=216, h=384)
    frames = render(layout)
    h = figure_height(CHEN.look)
    ry = 0.117 * h * layout.camera.zoom_start * layout.width
    box = (int(ry * 0.4), int(ry * 0.4), int(ry * 1.0))
    mouths = [patch(f, head_center(layout), *box).astype(int) for f in frames]
    for (i, a), (j, b) in itertools.combinations(enumerate(mouths), 2):
        assert np.abs(a - b).sum() > 0, f"{letters[i]} and {letters[j]} look the same"


def test_a_blink_closes_the_eyes_for_three_frames() -> None:
    layout = shot(framing="close", actors=[(LIN, 0.5)], facing=["front"], frames=5,
                  blinks=[[1]], w=216, h=384)
    frames = render(layout)
    h = figure_height(LIN.look)
    ry = 0.122 * h * layout.camera.zoom_start * layout.width
    box = (int(ry * 0.75), int(-ry * 0.25), int(ry * 0.3))
    eyes = [patch(f, head_center(layout), *box).astype(int) for f in frames]
    open_, closed = eyes[0], eyes[2]
    assert np.abs(open_ - closed).mean() > 5
    assert closed.mean() > open_.mean()  # skin-coloured lids over dark irises
    assert np.abs(eyes[0] - eyes[4]).mean() < np.abs(open_ - closed).mean() / 4


def test_expressions_change_the_face() -> None:
    faces = []
    for expression in ("neutral", "happy", "sad", "angry", "surprised"):
        layout = shot(framing="close", actors=[(CHEN, 0.5)], facing=["front"], frames=1,
                      expression=expression, w=216, h=384)
        faces.append(patch(render(layout)[0], head_center(layout), 40, -40, 40).astype(int))
    for a, b in itertools.combinations(faces, 2):
        assert np.abs(a - b).sum() > 0


def test_a_held_shot_breathes() -> None:
    layout = shot(framing="medium", frames=40, w=216, h=384)
    frames = render(layout)
    assert not np.array_equal(frames[0], frames[20])


def test_different_locations_look_different() -> None:
    backgrounds = {kind: render(shot(kind, actors=[], frames=1, w=54, h=96))[0].astype(int)
                   for kind in KINDS}
    for a, b in itertools.combinations(KINDS, 2):
        diff = np.abs(backgrounds[a] - backgrounds[b]).mean()
        assert diff > 8, f"{a} and {b} differ by only {diff:.1f}"


def test_the_same_location_is_the_same_set_in_every_shot() -> None:
    one = render(shot("forest", actors=[(LIN, 0.3)], frames=1, w=108, h=192))[0]
    two = render(shot("forest", actors=[(CHEN, 0.7)], frames=2, visemes=["AO"], w=108,
                      h=192))[1]
    sky = slice(0, 80)  # above every head in a wide shot
    assert np.array_equal(one[sky], two[sky])
    other_seed = render(shot("forest", actors=[], frames=1, loc_id="woods"))[0]
    assert not np.array_equal(one[sky], other_seed[sky])


@pytest.mark.parametrize("era", ["ancient", "modern"])
def test_every_kind_renders_at_every_time_of_day(era: str) -> None:
    for kind, time in itertools.product(KINDS, TIMES):
        frame = render(shot(kind, era=era, time=time, frames=1, w=54, h=96))[0]
        assert frame.shape == (96, 54, 3)
        assert frame.std() > 5, f"{kind}/{time} is nearly flat"


def test_weather_renders_everywhere() -> None:
    for kind, weather in itertools.product(KINDS, ("rain", "snow", "mist")):
        frame = render(shot(kind, weather=weather, frames=1, w=54, h=96))[0]
        assert frame.shape == (96, 54, 3)


def test_night_is_darker_than_day() -> None:
    day = render(shot("mountains", time="day", frames=1))[0]
    night = render(shot("mountains", time="night", frames=1))[0]
    assert night.mean() < day.mean() - 30


def test_small_render_is_a_small_copy_of_a_big_one() -> None:
    small = render(shot("village", w=108, h=192, frames=1, framing="medium"))[0].astype(float)
    big = render(shot("village", w=432, h=768, frames=1, framing="medium"))[0].astype(float)
    shrunk = big.reshape(192, 4, 108, 4, 3).mean(axis=(1, 3))
    assert np.abs(shrunk - small).mean() < 6


def test_actor_box_never_clips_a_figure(monkeypatch: pytest.MonkeyPatch) -> None:
    # the static path only redraws a box around the actors; it must equal a full repaint
    looks = [
        Look(age=age, build=build, wardrobe=wardrobe, hair=Hair(style=style))
        for age, build, wardrobe, style in (
            ("child", "slim", "dress", "ponytail"), ("elder", "broad", "coat", "bun"),
            ("adult", "broad", "robe", "long"), ("young", "average", "jacket", "bald"),
            ("adult", "slim", "suit", "short"))
    ]
    cast = [(Character(id=f"c{i}", name=f"C{i}", look=look), 0.15 + 0.17 * i)
            for i, look in enumerate(looks)]
    layout = shot("home", actors=cast, framing="wide", frames=2, w=216, h=384,
                  facing=["left", "front", "right", "left", "front"])
    boxed = render(layout)
    monkeypatch.setattr(painter_module, "_actors_box", lambda *args: None)
    full = render(layout)
    assert all(np.array_equal(a, b) for a, b in zip(boxed, full, strict=True))


def test_rgba_to_rgb_matches_numpy_slicing() -> None:
    rng = np.random.default_rng(3)
    for shape in ((7, 12, 4), (5, 9, 4), (1, 4, 4)):
        rgba = rng.integers(0, 256, shape, dtype=np.uint8)
        rgb = rgba_to_rgb(rgba)
        assert rgb.flags.c_contiguous
        assert np.array_equal(rgb, rgba[..., :3])
