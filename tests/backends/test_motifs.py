"""Set motifs in the embedded painter: each one shows where expected, deterministically, and an
unsupported place is skipped without a crash."""

from __future__ import annotations

import itertools
import logging
from typing import get_args

import numpy as np
import numpy.typing as npt
import pytest

from yingxi.backends.embedded.painter import EmbeddedPainter
from yingxi.backends.embedded.painter.motifs_base import choose_sides
from yingxi.backends.embedded.painter.sets import build_set
from yingxi.schema.bible import Character, Hair, Location, Look, Motif
from yingxi.schema.layout import ActorTrack, Camera, CastMember, SetSpec, ShotLayout

Frame = npt.NDArray[np.uint8]
MOTIFS: list[str] = list(get_args(Motif))
KINDS = ["mountains", "shore", "forest", "village", "city", "palace", "office", "home"]
W, H = 144, 256
GROUND = 0.78 * H / W

POET = Character(id="poet", name="Poet", look=Look(
    age="elder", hair=Hair(style="bun", color="#d8d4cc"), palette=["#5b6b7a", "#d9cfb8"]))


def shot(kind: str, motifs: list[str], *, time: str = "day", era: str = "ancient",
         weather: str = "clear", frames: int = 1, actors: bool = True, zoom: float = 1.0,
         w: int = W, h: int = H) -> ShotLayout:
    """A wide (or zoomed) shot of one location with the given motifs."""
    aspect = h / w
    cast = [(POET, 0.5)] if actors else []
    location = Location(id=f"{kind}-{era}", name=kind, kind=kind, era=era, weather=weather,
                        motifs=motifs)
    tracks = [ActorTrack(character=c.id, x=x, facing="front", visemes="X" * frames)
              for c, x in cast]
    return ShotLayout(
        width=w, height=h, fps=24, frames=frames, look="flat", seed=5,
        imperfections=False,  # grain and weave would hide what these tests compare
        location=SetSpec.of(location), time_of_day=time, ground_y=0.78 * aspect,
        camera=Camera(framing="wide", center_x=0.5, center_y=aspect / 2, zoom_start=zoom,
                      zoom_end=zoom),
        actors=tracks, cast=[CastMember.of(c) for c, _ in cast])


def render(layout: ShotLayout) -> list[Frame]:
    return [frame[..., :3] for frame in EmbeddedPainter().paint(layout)]  # RGB of RGBA


def first(layout: ShotLayout) -> Frame:
    return render(layout)[0]


# Where each motif must show (kind, time, region as fractions of the frame: top, bottom,
# left, right); the set is seeded so the sides are fixed, the region spans both sides.
SKY, LOW, FOOT = (0.0, 0.55, 0.0, 1.0), (0.45, 0.78, 0.0, 1.0), (0.78, 1.0, 0.0, 1.0)
EXPECTED: dict[str, list[tuple[str, str, tuple[float, float, float, float]]]] = {
    "moon": [("shore", "night", SKY), ("village", "day", SKY), ("home", "night", SKY),
             ("palace", "night", (0.2, 0.6, 0.55, 0.85))],
    "frost": [("mountains", "day", FOOT), ("village", "dawn", FOOT), ("home", "night", FOOT)],
    "boat": [("shore", "day", LOW), ("village", "dusk", LOW), ("office", "day", SKY)],
    "willow": [("village", "day", (0.2, 0.78, 0.0, 1.0)), ("home", "day", SKY)],
    "bell": [("mountains", "dusk", SKY), ("village", "night", SKY),
             ("palace", "day", (0.3, 0.8, 0.0, 1.0))],
    "wine": [("forest", "day", FOOT), ("home", "night", FOOT)],
    "lantern": [("village", "night", SKY), ("mountains", "dusk", (0.3, 0.8, 0.0, 1.0)),
                ("home", "day", SKY)],
    "plum": [("village", "day", (0.0, 0.4, 0.0, 1.0)), ("office", "night", LOW)],
    "bamboo": [("forest", "day", (0.0, 0.78, 0.0, 1.0)), ("home", "night", LOW)],
    "geese": [("shore", "dusk", SKY), ("mountains", "day", SKY)],
    "bridge": [("village", "day", LOW), ("city", "night", LOW), ("shore", "day", LOW)],
    "lotus": [("shore", "day", LOW), ("village", "night", FOOT), ("office", "day", FOOT)],
    "pagoda": [("mountains", "dawn", SKY), ("shore", "night", SKY), ("forest", "day", SKY)],
}


# The least share of the region a motif must change (geese are small, a willow is not).
SHARE = {"geese": 0.002, "moon": 0.008, "pagoda": 0.008}


def region(frame: Frame, box: tuple[float, float, float, float]) -> npt.NDArray[np.int64]:
    top, bottom, left, right = box
    h, w = frame.shape[:2]
    return frame[int(top * h):int(bottom * h), int(left * w):int(right * w)].astype(np.int64)


def test_every_motif_has_expectations() -> None:
    assert sorted(EXPECTED) == sorted(MOTIFS)


@pytest.mark.parametrize("motif", MOTIFS)
def test_a_motif_changes_its_region_of_the_frame(motif: str) -> None:
    for kind, time, box in EXPECTED[motif]:
        plain = region(first(shot(kind, [], time=time)), box)
        with_motif = region(first(shot(kind, [motif], time=time)), box)
        diff = np.abs(with_motif - plain).max(axis=2)
        changed = float((diff > 24).mean())
        least = SHARE.get(motif, 0.015)
        assert changed > least, f"{motif} in {kind} at {time}: {changed:.1%} of the region"


def test_frost_whitens_the_ground() -> None:
    plain = region(first(shot("mountains", [])), FOOT)
    frosty = region(first(shot("mountains", ["frost"])), FOOT)
    assert frosty.mean() > plain.mean() + 10


def test_the_night_moon_is_bigger_than_the_plain_night_moon() -> None:
    # one moon, not two: the sky's own moon grows; count the near-white pixels of the sky
    plain = region(first(shot("village", [], time="night", actors=False)), SKY)
    moonlit = region(first(shot("village", ["moon"], time="night", actors=False)), SKY)
    bright = [int((frame.min(axis=2) > 200).sum()) for frame in (plain, moonlit)]
    assert bright[1] > bright[0] * 3


@pytest.mark.parametrize("group", [MOTIFS[i:i + 4] for i in range(0, len(MOTIFS), 4)])
def test_motifs_are_deterministic(group: list[str]) -> None:
    for kind in ("shore", "village", "home"):
        layout = shot(kind, group, time="night", frames=2)
        one, two = render(layout), render(layout)
        assert all(np.array_equal(a, b) for a, b in zip(one, two, strict=True)), kind


def test_every_motif_renders_in_every_kind_and_era() -> None:
    for motif, kind, era in itertools.product(MOTIFS, KINDS, ("ancient", "modern")):
        frame = first(shot(kind, [motif], era=era, time="dusk", w=36, h=64))
        assert frame.shape == (64, 36, 3), (motif, kind, era)


def test_crowded_sets_render_in_any_weather() -> None:
    crowds = [["moon", "frost", "bell", "boat"], ["willow", "bridge", "boat", "lotus"],
              ["plum", "bamboo", "wine", "lantern"], ["geese", "pagoda", "moon", "willow"]]
    for motifs, kind, weather in itertools.product(crowds, KINDS, ("rain", "snow", "mist")):
        frame = first(shot(kind, motifs, weather=weather, time="night", w=36, h=64))
        assert frame.std() > 3, (motifs, kind, weather)


def test_a_motif_without_a_place_is_skipped_and_logged(caplog: pytest.LogCaptureFixture
                                                      ) -> None:
    with caplog.at_level(logging.DEBUG, logger="yingxi.backends.embedded.painter.motifs"):
        for kind, motif in (("mountains", "boat"), ("palace", "bridge"), ("forest", "boat")):
            layout = shot(kind, [motif])
            assert len(build_set(layout).layers) == len(build_set(shot(kind, [])).layers)
            assert np.array_equal(first(layout), first(shot(kind, [])))
    assert sum("skipped" in r.getMessage() for r in caplog.records) >= 3


def test_the_same_location_keeps_its_motifs_in_every_shot() -> None:
    # same location and seed: the motif sits in the same place whoever stands in front
    empty = first(shot("shore", ["boat", "moon"], time="night", actors=False))
    cast = first(shot("shore", ["boat", "moon"], time="night"))
    sky = slice(0, int(H * 0.4))
    assert np.array_equal(empty[sky], cast[sky])


def test_geese_fly_in_a_still_shot_and_hold_still_in_a_moving_one() -> None:
    still = render(shot("shore", ["geese"], time="dusk", frames=12, w=216, h=384))
    sky = (0.0, 0.4, 0.0, 1.0)
    assert not np.array_equal(region(still[0], sky), region(still[11], sky))
    plain = render(shot("shore", [], time="dusk", frames=12, w=216, h=384))
    ground = (0.6, 1.0, 0.0, 1.0)  # nothing else in the frame moves
    assert np.array_equal(region(still[11], ground), region(plain[11], ground))
    layout = shot("shore", ["geese"], time="dusk", frames=3, w=216, h=384)
    layout = layout.model_copy(update={"camera": layout.camera.model_copy(
        update={"zoom_start": 1.0, "zoom_end": 1.6})})
    moving = render(layout)
    assert len(moving) == 3


def test_geese_pass_behind_what_stands_in_front_of_the_sky() -> None:
    # the forest canopy covers the top of the frame: the drifting skein never paints over it
    layout = shot("forest", ["geese"], frames=30, w=216, h=384, actors=False)
    frames = render(layout)
    plain = first(shot("forest", [], w=216, h=384, actors=False))
    canopy = (0.0, 0.08, 0.0, 1.0)
    for frame in frames[::7]:
        assert np.array_equal(region(frame, canopy), region(plain, canopy))


def test_clashing_motifs_go_to_opposite_sides() -> None:
    for sun in (-1.0, 1.0):
        sides = choose_sides(["willow", "boat", "moon", "geese"], "shore", sun, {"moon": sun})
        assert sides["willow"] != sides["boat"]
        assert sides["moon"] == sun and sides["geese"] == -sun
        indoor = choose_sides(["plum", "bell", "wine", "lotus"], "home", sun, {})
        assert indoor["plum"] != indoor["bell"] and indoor["wine"] != indoor["lotus"]
