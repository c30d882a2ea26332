"""The embedded director: a rule-based planner with film grammar, no model needed.

Each scene is covered by :class:`~.coverage.ScenePlanner`; this module decides what spans
scenes: where an establishing shot is due (a place seen for the first time, or again after a
time cut), the transitions written in the script, and provisional shot ids (the episode
pipeline keeps the ids of an existing plan file, see :mod:`yingxi.pipeline.shotfile`).
"""

from __future__ import annotations

from yingxi.backends.embedded.director import cues
from yingxi.backends.embedded.director.coverage import SceneContext, ScenePlanner
from yingxi.backends.embedded.director.cues import offscreen
from yingxi.backends.embedded.director.timing import LEAD_IN, MAX_SHOT, MIN_SHOT
from yingxi.backends.protocols import BackendInfo, PlanRequest
from yingxi.schema.bible import INTERIOR_KINDS, Bible
from yingxi.schema.screenplay import Action, Dialogue, Scene, Transition
from yingxi.schema.shots import SceneInfo, Shot, ShotList, TransitionKind

__all__ = ["LEAD_IN", "MAX_SHOT", "MIN_SHOT", "EmbeddedDirector", "offscreen", "scene_info"]


class EmbeddedDirector:
    """Rule-based shot planner: establishing shots, shot/reverse-shot, size progression."""

    info = BackendInfo(role="planner", name="embedded", version="3.3")

    def plan(self, request: PlanRequest) -> ShotList:
        """Plan every scene of the request's screenplay."""
        timings = iter(request.lines)
        scenes: list[SceneInfo] = []
        shots: list[Shot] = []
        seen: dict[str, str] = {}   # location -> time of day it was last seen at
        previous: str | None = None
        dialogue_index = 0
        pending: TransitionKind = "cut"
        for index, scene in enumerate(request.screenplay.scenes):
            info = scene_info(index, scene, request.bible)
            scenes.append(info)
            why = _establish(info, seen, previous, pending)
            location = request.bible.location(info.location)
            planned = ScenePlanner(SceneContext(
                index=index, scene=scene, info=info, bible=request.bible, fps=request.fps,
                timings=timings, first_dialogue=dialogue_index, establish=why,
                interior=location.kind in INTERIOR_KINDS)).plan()
            dialogue_index += sum(1 for e in scene.elements if isinstance(e, Dialogue))
            planned[0] = planned[0].replace(transition_in=pending)
            pending = "cut"
            for element in scene.elements:  # a transition applies to the cut after it
                if isinstance(element, Transition):
                    pending = _transition_kind(element.text)
            if pending == "fade":
                planned[-1] = planned[-1].replace(transition_out="fade")
            shots.extend(_numbered(index, planned))
            seen[info.location] = info.time_of_day
            previous = info.location
        return ShotList(episode=request.episode, fps=request.fps, scenes=scenes, shots=shots)


def scene_info(index: int, scene: Scene, bible: Bible) -> SceneInfo:
    """A scene's place, time, mood and cast in staging order (left to right, first seen
    first): the order every shot of the scene keeps, which is what holds the 180-degree
    line."""
    cast: list[str] = []
    for element in scene.elements:
        if isinstance(element, Dialogue) and offscreen(element):
            continue  # a voice-over does not put its speaker on the set
        if isinstance(element, Dialogue) and element.speaker and element.speaker not in cast:
            cast.append(element.speaker)
        elif isinstance(element, Action):
            cast.extend(c.id for c in cues.named_characters(element.text, bible)
                        if c.id not in cast)
    heading = scene.heading
    location = bible.location(heading.location or "")
    words = " ".join(e.text for e in scene.elements if isinstance(e, Action | Dialogue))
    return SceneInfo(index=index, heading=heading.text, location=location.id,
                     time_of_day=heading.time_of_day or location.time_of_day, cast=cast,
                     mood=location.mood or cues.mood(words))


def _establish(info: SceneInfo, seen: dict[str, str], previous: str | None,
               transition: TransitionKind) -> str | None:
    """Why this scene needs an establishing shot, or None."""
    if info.location not in seen:
        return "a new place"
    if seen[info.location] != info.time_of_day:
        return "a time cut"
    if info.location == previous and transition in ("fade", "dissolve"):
        return "a time cut"
    return None


def _numbered(index: int, shots: list[Shot]) -> list[Shot]:
    """Provisional ids: sc01-010, sc01-020 ... (gaps leave room for inserted shots)."""
    return [s.replace(id=f"sc{index + 1:02d}-{(n + 1) * 10:03d}") for n, s in enumerate(shots)]


def _transition_kind(text: str) -> TransitionKind:
    upper = text.upper()
    if "DISSOLVE" in upper or "叠化" in text:
        return "dissolve"
    if "FADE" in upper or "淡" in text or "黑场" in text:
        return "fade"
    return "cut"
