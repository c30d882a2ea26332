"""The embedded director: a rule-based planner that needs no model.

One shot per dialogue line or action paragraph. A scene opens wide; dialogue alternates a
medium two-shot with close singles on the speaker; an action beat is wide unless it names a
single character. Durations come from the voice timings (a short lead-in and tail around each
line) and from reading time for action. Transitions in the script become shot transitions.
"""

from __future__ import annotations

import math
import re

from yingxi.backends.protocols import BackendInfo, LineTiming, PlanRequest
from yingxi.schema.bible import Bible, Character
from yingxi.schema.screenplay import Action, Dialogue, Scene, Transition
from yingxi.schema.shots import Expression, Framing, SceneInfo, Shot, ShotList, TransitionKind

LEAD_IN = 0.25        # seconds of picture before a line starts
TAIL = 0.45           # after the voice stops: a breath before the cut
MIN_SHOT = 1.5
ACTION_MIN, ACTION_MAX = 2.0, 5.0

_EXPRESSIONS: tuple[tuple[Expression, tuple[str, ...]], ...] = (
    ("happy", ("smil", "laugh", "grin", "happy", "笑", "高兴", "开心", "欣喜")),
    ("sad", ("cry", "sad", "tear", "sob", "sigh", "哭", "泪", "悲", "难过", "叹", "哽咽")),
    ("angry", ("angry", "shout", "furious", "glare", "怒", "喊", "吼", "瞪")),
    ("surprised", ("surprise", "gasp", "shock", "startle", "惊", "愣", "诧异")),
)
_OFFSCREEN = frozenset({"VO", "OS", "OC", "OFF", "OFFSCREEN", "VOICEOVER", "画外音", "画外",
                        "旁白", "内心", "内心独白"})
_MOODS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("tense", ("tense", "danger", "run", "fear", "紧张", "危险", "害怕", "急", "逃")),
    ("sad", ("sad", "cry", "tear", "farewell", "哭", "泪", "离别", "悲", "叹")),
    ("warm", ("warm", "smile", "laugh", "温暖", "笑", "灯", "茶")),
    ("mysterious", ("mysterious", "shadow", "secret", "神秘", "影子", "秘密", "雾")),
)


class EmbeddedDirector:
    """Rule-based shot planner."""

    info = BackendInfo(role="planner", name="embedded", version="2")

    def plan(self, request: PlanRequest) -> ShotList:
        """Plan every scene of the request's screenplay."""
        timings = iter(request.lines)
        scenes: list[SceneInfo] = []
        shots: list[Shot] = []
        pending: TransitionKind = "cut"
        dialogue_index = 0
        for index, scene in enumerate(request.screenplay.scenes):
            info = _scene_info(index, scene, request.bible)
            scenes.append(info)
            count = 0
            lines_in_scene = 0
            for element in scene.elements:
                if isinstance(element, Transition):
                    pending = _transition_kind(element.text)
                    if pending == "fade" and shots:
                        shots[-1] = shots[-1].replace(transition_out="fade")
                    continue
                shot_id = f"sc{index + 1:02d}-{(count + 1) * 10:04d}"
                if isinstance(element, Dialogue):
                    shot = _dialogue_shot(shot_id, info, element, next(timings),
                                          lines_in_scene, count == 0, request.fps,
                                          dialogue_index)
                    lines_in_scene += 1
                    dialogue_index += 1
                else:
                    shot = _action_shot(shot_id, info, element, request.bible, count == 0,
                                        request.fps)
                shots.append(shot.replace(transition_in=pending))
                pending = "cut"
                count += 1
        return ShotList(episode=request.episode, fps=request.fps, scenes=scenes, shots=shots)


def offscreen(line: Dialogue) -> bool:
    """Whether a line is heard but its speaker not seen: (V.O.), (O.S.), (O.C.), (画外音)."""
    marks = (re.sub(r"[\s.'’-]", "", part).upper() for part in (line.extension or "").split(","))
    return any(mark in _OFFSCREEN for mark in marks)


def _scene_info(index: int, scene: Scene, bible: Bible) -> SceneInfo:
    cast: list[str] = []
    for element in scene.elements:
        if isinstance(element, Dialogue) and offscreen(element):
            continue  # a voice-over does not put its speaker on the set
        if isinstance(element, Dialogue) and element.speaker and element.speaker not in cast:
            cast.append(element.speaker)
        elif isinstance(element, Action):
            cast.extend(c.id for c in _named(element.text, bible) if c.id not in cast)
    heading = scene.heading
    location = bible.location(heading.location or "")
    words = " ".join(e.text for e in scene.elements if isinstance(e, Action | Dialogue))
    return SceneInfo(index=index, heading=heading.text, location=location.id,
                     time_of_day=heading.time_of_day or location.time_of_day, cast=cast,
                     mood=location.mood or _mood(words))


def _dialogue_shot(shot_id: str, scene: SceneInfo, line: Dialogue, timing: LineTiming,
                   nth: int, opens_scene: bool, fps: int, dialogue_index: int) -> Shot:
    speaker = line.speaker or ""
    framing: Framing
    if offscreen(line):  # the voice is heard over whoever (or whatever) is in the scene
        framing, subjects = ("wide" if opens_scene or len(scene.cast) != 1 else "medium",
                             list(scene.cast))
    elif opens_scene:
        framing, subjects = "wide", scene.cast
    elif len(scene.cast) < 2:
        framing, subjects = ("medium" if nth % 2 == 0 else "close"), [speaker]
    elif nth % 3 == 0:
        framing, subjects = "medium", scene.cast[:3]
    else:
        framing, subjects = "close", [speaker]
    lead = round(LEAD_IN * fps)
    frames = max(lead + math.ceil(max(timing.duration, timing.voiced_end + TAIL) * fps),
                 math.ceil(MIN_SHOT * fps))
    expression = _expression(line.parenthetical or "") or _expression(line.text)
    shown = subjects if offscreen(line) else subjects or [speaker]
    return Shot(
        id=shot_id, scene=scene.index, kind="dialogue", framing=framing, subjects=shown,
        speaker=speaker, dialogue_index=dialogue_index, text=line.text,
        parenthetical=line.parenthetical,
        expressions={speaker: expression} if expression and speaker in shown else {},
        source_line=line.line, frames=frames, speech_start=lead,
    )


def _action_shot(shot_id: str, scene: SceneInfo, action: Action, bible: Bible,
                 opens_scene: bool, fps: int) -> Shot:
    named = [c.id for c in _named(action.text, bible)]
    subjects = [c for c in scene.cast if c in named] or scene.cast
    framing: Framing = "wide" if opens_scene or len(subjects) != 1 else "medium"
    expression = _expression(action.text)
    seconds = min(ACTION_MAX, max(ACTION_MIN, _reading_time(action.text)))
    return Shot(
        id=shot_id, scene=scene.index, kind="action", framing=framing, subjects=subjects,
        text=action.text, expressions=dict.fromkeys(named, expression) if expression else {},
        source_line=action.line, frames=math.ceil(seconds * fps),
    )


def _named(text: str, bible: Bible) -> list[Character]:
    """Characters an action line mentions, in order of mention."""
    found: list[tuple[int, Character]] = []
    lowered = text.casefold()
    for char in bible.characters:
        positions = [lowered.find(n.casefold()) for n in char.cue_names() if n]
        positions = [p for p in positions if p >= 0]
        if positions:
            found.append((min(positions), char))
    return [c for _, c in sorted(found, key=lambda item: item[0])]


def _reading_time(text: str) -> float:
    cjk = len(re.findall(r"[\u3400-\u9fff]", text))
    words = len(re.findall(r"[A-Za-z']+", text))
    return 0.8 + 0.2 * cjk + 0.3 * words


def _expression(text: str) -> Expression | None:
    lowered = text.casefold()
    for expression, words in _EXPRESSIONS:
        if any(w in lowered for w in words):
            return expression
    return None


def _mood(text: str) -> str:
    lowered = text.casefold()
    for mood, words in _MOODS:
        if any(w in lowered for w in words):
            return mood
    return "calm"


def _transition_kind(text: str) -> TransitionKind:
    upper = text.upper()
    if "DISSOLVE" in upper or "叠化" in text:
        return "dissolve"
    if "FADE" in upper or "淡" in text or "黑场" in text:
        return "fade"
    return "cut"
