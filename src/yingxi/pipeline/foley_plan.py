"""What a scene sounds like besides its voices and music: ambience beds from the location,
its weather and the time of day; spot effects from what the shots show (walks) and what the
action says (a door, thunder, a bell, oars).

Like the music, a scene's effects lie where :func:`~yingxi.pipeline.scene_sound.scene_spans`
says, running on under the next scene.
"""

from __future__ import annotations

import re
import zlib

from yingxi.backends.protocols import FoleyRequest, SpotEffect
from yingxi.pipeline.scene_sound import scene_spans
from yingxi.schema.bible import INTERIOR_KINDS, Bible, Location
from yingxi.schema.layout import ShotLayout
from yingxi.schema.screenplay import TimeOfDay
from yingxi.schema.shots import ShotList

# words of an action paragraph -> a spot effect, heard when the shot starts
_SPOT_WORDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("door", re.compile(r"\bdoors?\b|门", re.IGNORECASE)),
    ("thunder", re.compile(r"\bthunder|雷", re.IGNORECASE)),
    ("bell", re.compile(r"\bbells?\b|钟声|敲钟|钟响", re.IGNORECASE)),
    ("splash", re.compile(r"\boars?\b|\bsplash|\brow(s|ing)?\b|划桨|桨|水花|溅", re.IGNORECASE)),
)


def ambience(location: Location, time_of_day: TimeOfDay) -> list[str]:
    """The beds under a scene at ``location``: its place, its weather, its hour."""
    night = time_of_day == "night"
    if location.kind in INTERIOR_KINDS:
        beds = ["room"]
        if location.weather == "rain":
            beds.append("rain")  # heard through the window
        return beds
    beds = {
        "shore": ["waves"],
        "mountains": ["wind"],
        "forest": ["night" if night else "birds"],
        "village": ["night" if night else "birds"],
        "city": ["city"],
    }.get(location.kind, ["wind"])
    if night and location.kind in ("shore", "mountains"):
        beds.append("night")
    if time_of_day == "dawn" and location.kind in ("shore", "mountains"):
        beds.append("birds")
    weather = {"rain": "rain", "snow": "snow", "mist": None, "clear": None}[location.weather]
    if weather:
        beds.append(weather)
    return beds


def surface(location: Location) -> str:
    """What footsteps fall on at ``location``."""
    if location.weather == "snow":
        return "snow"
    return {"shore": "wood", "home": "wood", "office": "stone", "palace": "stone",
            "city": "stone", "village": "stone", "forest": "grass",
            "mountains": "grass"}[location.kind]


def foley_requests(shots: ShotList, layouts: list[ShotLayout], bible: Bible, fps: int,
                   rate: int, seed: int) -> tuple[list[int], list[FoleyRequest]]:
    """One request per scene, and the timeline frame each starts at."""
    spans = scene_spans(shots, fps)
    first_frame = {span.scene: span.first for span in spans}
    spots: dict[int, list[SpotEffect]] = {}
    total = 0
    for shot, layout in zip(shots.shots, layouts, strict=True):
        location = bible.location(shots.scenes[shot.scene].location)
        offset = (total - first_frame[shot.scene]) / fps
        found = spots.setdefault(shot.scene, [])
        if shot.kind in ("action", "establishing"):
            found.extend(SpotEffect(kind=kind, at=offset + 0.15)
                         for kind, words in _SPOT_WORDS if words.search(shot.text))
        for actor in layout.actors:
            if actor.walk is not None:
                found.append(SpotEffect(
                    kind="footsteps", at=offset + actor.walk.start / fps,
                    seconds=(actor.walk.end - actor.walk.start) / fps,
                    surface=surface(location)))
        total += shot.frames
    requests = []
    for span in spans:
        scene = shots.scenes[span.scene]
        location = bible.location(scene.location)
        requests.append(FoleyRequest(
            num_samples=(span.end - span.first) * rate // fps, sample_rate=rate,
            ambience=ambience(location, scene.time_of_day),
            spots=_deduplicated(spots.get(span.scene, [])),
            seed=zlib.crc32(f"{seed}|{location.id}|{span.scene}".encode())))
    return [span.first for span in spans], requests


def _deduplicated(spots: list[SpotEffect]) -> list[SpotEffect]:
    """The same effect twice within two seconds is one effect (a door named in two shots)."""
    kept: list[SpotEffect] = []
    for spot in sorted(spots, key=lambda s: s.at):
        if any(k.kind == spot.kind and spot.at - k.at < 2.0 and spot.kind != "footsteps"
               for k in kept):
            continue
        kept.append(spot)
    return kept
