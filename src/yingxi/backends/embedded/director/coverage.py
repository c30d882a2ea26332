"""One scene's coverage, planned the way an editor would cut it.

* It opens on an establishing shot (a new place, or the same place after a time cut) or on a
  wide master; the establishing shot carries the scene's first paragraph or voice-over.
* Dialogue between two people is shot/reverse-shot: over-the-shoulder first, then singles.
  Everyone keeps their side of the line for the whole scene (the layout stages them from
  :attr:`SceneInfo.cast`), so screen directions never flip.
* Shot sizes climb the ladder within a beat (wide, over-the-shoulder, medium close-up,
  close-up) as lines grow charged; an action paragraph starts a new beat.
* A charged line the listener does not answer at once earns a reaction shot; a line too long
  for one shot continues over the listener's reaction.
* A prop named in an action paragraph earns an insert.
* The camera moves only with a motive: it pushes in on tension or an emotional peak, tilts
  down to find a place, pans across it under a voice-over; dialogue is static.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Literal

from yingxi.backends.embedded.director import cues
from yingxi.backends.embedded.director.timing import (
    ACTION_MAX,
    ACTION_MIN,
    ESTABLISH_SECONDS,
    INSERT_SECONDS,
    REACTION_SECONDS,
    clamp_frames,
    line_parts,
)
from yingxi.backends.protocols import LineTiming
from yingxi.schema.bible import Bible
from yingxi.schema.screenplay import Action, Dialogue, Element, Scene, Transition
from yingxi.schema.shots import (
    SIZES,
    Angle,
    Coverage,
    Expression,
    Move,
    SceneInfo,
    Shot,
    Size,
    size_rank,
)

# Dialogue coverage by level: how far up the ladder a beat has climbed.
_SINGLE_SIZES: tuple[Size, ...] = ("full", "medium", "medium-close", "close")


@dataclass
class SceneContext:
    """What a scene's coverage depends on beyond its own elements."""

    index: int
    scene: Scene
    info: SceneInfo
    bible: Bible
    fps: int
    timings: Iterator[LineTiming]
    first_dialogue: int
    establish: str | None       # why the scene needs an establishing shot, or None
    interior: bool


@dataclass
class _Beat:
    level: int = 0              # 0 master/two-shot, 1 over-shoulder, 2 MCU, 3 CU
    lines: int = 0
    last: tuple[tuple[str, ...], Size] | None = None  # the picture before: who, how big


@dataclass
class ScenePlanner:
    """Plans one scene into shots (ids are assigned later, by the episode)."""

    ctx: SceneContext
    shots: list[Shot] = field(default_factory=list)
    dialogue_index: int = 0
    beat: _Beat = field(default_factory=_Beat)

    def plan(self) -> list[Shot]:
        """Every shot of the scene, in order."""
        self.dialogue_index = self.ctx.first_dialogue
        elements = [e for e in self.ctx.scene.elements if not isinstance(e, Transition)]
        rest = self._open(elements)
        for i, element in enumerate(rest):
            following = rest[i + 1] if i + 1 < len(rest) else None
            if isinstance(element, Dialogue):
                self._line(element, following)
            elif isinstance(element, Action):
                self._action(element)
        if not self.shots:  # a heading with nothing under it still shows the place
            self._establishing(None, self.ctx.establish or "an empty scene: show the place")
        return self.shots

    # --- opening ---------------------------------------------------------------------------

    def _open(self, elements: list[Action | Dialogue]) -> list[Action | Dialogue]:
        ctx = self.ctx
        first = elements[0] if elements else None
        carried = first if isinstance(first, Action) or (
            isinstance(first, Dialogue) and cues.offscreen(first)) else None
        if ctx.establish is not None:
            self._establishing(carried, ctx.establish)
            return elements[1:] if carried is not None else elements
        if isinstance(first, Action):
            self._action(first, opening=True)
            return elements[1:]
        return elements

    def _establishing(self, carried: Action | Dialogue | None, why: str) -> None:
        ctx = self.ctx
        move: Move = "push-in" if ctx.interior else "tilt-down"
        motive = ("push-in: into the room" if ctx.interior
                  else "tilt-down: from the sky to the place")
        base = {"scene": ctx.index, "kind": "establishing", "coverage": "establishing",
                    "size": "extreme-wide", "angle": "high", "move": move,
                    "motivation": f"{why}; {motive}", "subjects": list(ctx.info.cast)}
        if isinstance(carried, Dialogue):
            self._voice(carried, base, anchor_kind="e")
            return
        if isinstance(carried, Action):
            frames = clamp_frames(cues.reading_time(carried.text), ctx.fps, ACTION_MIN,
                                  ACTION_MAX)
            self._add(Shot(id="", anchor=_anchor("e", carried.text), text=carried.text,
                           source_line=carried.line, frames=frames,
                           expressions=self._action_expressions(carried),
                           walks=self._walks(carried, base["subjects"]), **base))
            self._props(carried)
            return
        self._add(Shot(id="", anchor=_anchor("e", ctx.info.heading), text=ctx.info.heading,
                       source_line=ctx.scene.heading.line,
                       frames=clamp_frames(ESTABLISH_SECONDS, ctx.fps), **base))

    # --- dialogue ----------------------------------------------------------------------------

    def _line(self, line: Dialogue, following: Element | None) -> None:
        ctx = self.ctx
        if cues.offscreen(line):
            cast = list(ctx.info.cast)
            size: Size = "wide" if len(cast) != 1 else "full"
            move: Move = "static" if cast else "pan-right"
            why = ("voice-over: hold on who is here" if cast
                   else "voice-over: pan across the place")
            self._voice(line, {"scene": ctx.index, "kind": "dialogue", "coverage": "master",
                                   "size": size, "move": move, "motivation": why, "subjects": cast})
            return
        speaker = line.speaker or ""
        listener = self._listener(speaker)
        heat = cues.intensity(line)
        beat = self.beat
        # climb one step at a time: the audience is led in, not thrown
        wanted = max(min(3, 1 + heat), 2 if beat.lines >= 3 else 0)
        beat.level = max(beat.level, min(wanted, beat.level + 1))
        if beat.last is None and not self.shots:
            beat.level = 0  # nobody has seen the room yet: the first line plays wide
        coverage, size, subjects, foreground = self._setup(speaker, listener, beat.level)
        if beat.last == (tuple(subjects), size):  # the same picture twice is a jump cut
            size, beat.level = _tighter(size), min(3, beat.level + 1)
            coverage = "single" if coverage == "over-shoulder" else coverage
            foreground = None if coverage == "single" else foreground
            subjects = [speaker] if coverage == "single" else subjects
        angle, why_angle = _angle(line, size)
        move, why_move = _dialogue_move(line, size, heat, self.ctx.info.mood)
        why = "; ".join(w for w in (_why(coverage, size, heat), why_angle, why_move) if w)
        timing = next(ctx.timings)
        parts = line_parts(timing, ctx.fps)
        expression = cues.expression(line.parenthetical or "") or cues.expression(line.text)
        anchor = _anchor("d", f"{speaker}|{line.text}")
        previous: Shot | None = None
        for n, part in enumerate(parts):
            shot = Shot(
                id="", scene=ctx.index, anchor=anchor if n == 0 else f"{anchor}#{n + 1}",
                kind="dialogue", coverage=coverage, size=size, angle=angle, move=move,
                motivation=why, subjects=subjects, foreground=foreground, speaker=speaker,
                dialogue_index=self.dialogue_index, text=line.text,
                parenthetical=line.parenthetical,
                expressions={speaker: expression} if expression else {},
                source_line=line.line, frames=part.frames, speech_start=part.speech_start)
            if previous is not None:
                shot = self._continuation(shot, previous, listener, n)
            self._add(shot)
            previous = shot
        self.dialogue_index += 1
        beat.lines += 1
        assert previous is not None
        beat.last = (tuple(previous.subjects), previous.size)
        answered = isinstance(following, Dialogue) and following.speaker == listener
        if heat >= 2 and listener is not None and not answered and len(parts) == 1:
            self._reaction(listener, line, anchor, following)

    def _setup(self, speaker: str, listener: str | None,
               level: int) -> tuple[Coverage, Size, list[str], str | None]:
        cast = self.ctx.info.cast
        if level == 0:
            return ("master", "wide", list(cast), None) if len(cast) > 1 else \
                ("single", "full", [speaker], None)
        if level == 1 and listener is not None:
            if len(cast) == 2:
                return "over-shoulder", "medium", [speaker], listener
            pair = [c for c in cast if c in (speaker, listener)]  # staging order
            return "two-shot", "medium", pair, None
        return "single", _SINGLE_SIZES[min(level, 3)], [speaker], None

    def _listener(self, speaker: str) -> str | None:
        """Who a line is said to: the last other speaker on screen, else a neighbour."""
        cast = self.ctx.info.cast
        if speaker not in cast or len(cast) < 2:
            return None
        for shot in reversed(self.shots):
            if shot.kind == "dialogue" and shot.speaker in cast and shot.speaker != speaker \
                    and not shot.offscreen:
                return shot.speaker
        i = cast.index(speaker)
        return cast[i + 1] if i + 1 < len(cast) else cast[i - 1]

    def _continuation(self, shot: Shot, previous: Shot, listener: str | None, n: int) -> Shot:
        """The rest of a long line: over the listener's reaction, or a step tighter than the
        part before (never the picture just shown)."""
        if listener is not None and n % 2 == 1:
            return shot.replace(kind="reaction", coverage="reaction",
                                size=_at_least(shot.size, "medium-close"),
                                subjects=[listener], foreground=None, offscreen=True,
                                move="static", angle="eye-level", expressions={},
                                motivation="a long line: the rest plays on the listener")
        size = _tighter(previous.size if previous.subjects == [shot.speaker] else shot.size)
        return shot.replace(coverage="single", size=size, foreground=None,
                            subjects=[shot.speaker or ""],
                            motivation="a long line: a step closer on a pause")

    def _reaction(self, listener: str, line: Dialogue, anchor: str,
                  following: Element | None) -> None:
        feels: Expression | None = None
        if isinstance(following, Dialogue) and following.speaker == listener:
            feels = cues.expression(following.parenthetical or "")
        feels = feels or _mirror(cues.expression(line.parenthetical or "")
                                 or cues.expression(line.text))
        size = _at_least(self.beat.last[1] if self.beat.last else "medium", "medium-close")
        self._add(Shot(
            id="", scene=self.ctx.index, anchor=f"r-{anchor}", kind="reaction",
            coverage="reaction", size=size, subjects=[listener],
            motivation="reaction: how the line lands", text=line.text,
            expressions={listener: feels} if feels else {}, source_line=line.line,
            frames=clamp_frames(REACTION_SECONDS, self.ctx.fps)))
        self.beat.last = ((listener,), size)

    def _voice(self, line: Dialogue, base: dict[str, object], anchor_kind: str = "d") -> None:
        """A voiced line over a framing decided by the caller (establishing or voice-over)."""
        speaker = line.speaker or ""
        anchor = _anchor(anchor_kind, f"{speaker}|{line.text}")
        parts = line_parts(next(self.ctx.timings), self.ctx.fps)
        for n, part in enumerate(parts):
            framing = base if n == 0 else self._voice_part(n)
            self._add(Shot.model_validate({
                **base, **framing, "id": "", "anchor": anchor if n == 0 else f"{anchor}#{n + 1}",
                "speaker": speaker, "offscreen": True, "dialogue_index": self.dialogue_index,
                "text": line.text, "parenthetical": line.parenthetical,
                "source_line": line.line, "frames": part.frames,
                "speech_start": part.speech_start}))
        self.dialogue_index += 1

    def _voice_part(self, n: int) -> dict[str, object]:
        """A later part of a long voice-over: a new picture of the place for each part."""
        cast = list(self.ctx.info.cast)
        if cast:
            size = ("full", "wide")[n % 2]
            return {"kind": "dialogue", "coverage": "master", "size": size, "move": "static",
                    "angle": "eye-level", "subjects": cast,
                    "motivation": "a long voice-over: a new view on a pause"}
        size, move = (("wide", "pan-right"), ("full", "pan-left"))[n % 2]
        return {"kind": "dialogue", "coverage": "master", "size": size, "move": move,
                "angle": "eye-level", "subjects": [],
                "motivation": "a long voice-over: the pan turns back on a pause"}

    # --- action ------------------------------------------------------------------------------

    def _action(self, action: Action, opening: bool = False) -> None:
        ctx = self.ctx
        named = [c.id for c in cues.named_characters(action.text, ctx.bible)
                 if c.id in ctx.info.cast]
        subjects = named or list(ctx.info.cast)
        size: Size
        move: Move = "static"
        coverage: Coverage
        if opening or cues.movement(action.text) or len(subjects) != 1:
            coverage, size = "master", "wide"
            why = ("opening: the master shot" if opening
                   else "movement: wide enough to follow it" if cues.movement(action.text)
                   else "the group in its space")
            subjects = list(ctx.info.cast) if opening else subjects
        else:
            coverage, size, why = "single", "medium", "one person's business"
        if cues.tense(action.text) and not opening:
            move, why = "push-in", f"{why}; push-in: tension rises"
        frames = clamp_frames(cues.reading_time(action.text), ctx.fps, ACTION_MIN, ACTION_MAX)
        self._add(Shot(id="", scene=ctx.index, anchor=_anchor("a", action.text), kind="action",
                       coverage=coverage, size=size, move=move, motivation=why,
                       subjects=subjects, text=action.text, source_line=action.line,
                       expressions=self._action_expressions(action),
                       walks=self._walks(action, subjects), frames=frames))
        self.beat = _Beat()
        self._props(action)

    def _walks(self, action: Action, subjects: object) -> dict[str, Literal["in", "out"]]:
        """Entrances and exits the paragraph describes, of characters in the shot."""
        on_screen = subjects if isinstance(subjects, list) else []
        return {c: d for c, d in cues.walks(action.text, self.ctx.bible).items()
                if c in on_screen}

    def _action_expressions(self, action: Action) -> dict[str, Expression]:
        feels = cues.expression(action.text)
        if feels is None:
            return {}
        named = [c.id for c in cues.named_characters(action.text, self.ctx.bible)]
        return {c: feels for c in named if c in self.ctx.info.cast}

    def _props(self, action: Action) -> None:
        for prop in cues.named_props(action.text, self.ctx.bible)[:1]:
            self._add(Shot(
                id="", scene=self.ctx.index, anchor=f"i-{prop.id}-{_anchor('a', action.text)}",
                kind="insert", coverage="insert", size="close", prop=prop.id,
                motivation=f"insert: the {prop.name} the action names", text=action.text,
                source_line=action.line, frames=clamp_frames(INSERT_SECONDS, self.ctx.fps)))
            self.beat.last = None

    def _add(self, shot: Shot) -> None:
        self.shots.append(shot)


def _anchor(kind: str, text: str) -> str:
    """A short, stable name for what a shot covers: its kind and a digest of the words.

    Whitespace is ignored, so re-wrapping a paragraph does not make it new.
    """
    flat = "".join(text.split())
    return f"{kind}-{hashlib.sha1(flat.encode('utf-8')).hexdigest()[:10]}"


def _tighter(size: Size) -> Size:
    """One step closer on the ladder (one step wider from a close-up)."""
    i = size_rank(size)
    return SIZES[i + 1] if i + 1 < len(SIZES) else SIZES[i - 1]


def _at_least(size: Size, floor: Size) -> Size:
    return size if size_rank(size) >= size_rank(floor) else floor


def _angle(line: Dialogue, size: Size) -> tuple[Angle, str]:
    feels = cues.expression(line.parenthetical or "") or cues.expression(line.text)
    if feels == "angry":
        return "low", "low angle: the speaker dominates"
    if feels == "sad" and size in ("medium-close", "close"):
        return "high", "high angle: the speaker is vulnerable"
    return "eye-level", ""


def _dialogue_move(line: Dialogue, size: Size, heat: int, mood: str) -> tuple[Move, str]:
    if size == "close" and (heat >= 2 or cues.tense(line.text) or mood == "tense"):
        return "push-in", "push-in: the emotional peak"
    return "static", ""


def _why(coverage: Coverage, size: Size, heat: int) -> str:
    if coverage == "master":
        return "master: the first line plays wide"
    if coverage == "over-shoulder":
        return "over-the-shoulder: shot/reverse-shot"
    if coverage == "two-shot":
        return "two-shot: speaker and listener"
    return f"{size} single: " + ("the beat peaks" if heat >= 2 else "the beat tightens")


def _mirror(feels: Expression | None) -> Expression | None:
    """How a listener takes a line said with this feeling."""
    return {"angry": "surprised", "sad": "sad", "happy": "happy",
            "surprised": "surprised"}.get(feels or "")  # type: ignore[return-value]
