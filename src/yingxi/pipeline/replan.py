"""Merge a fresh plan from the director with the plan file a person may have edited.

* Shot ids are stable: shots are matched to the file's by ``anchor`` (what in the script
  they cover) in script order, so inserting a line gives the new shot a new id (between its
  neighbours', ``sc01-025`` or ``sc01-020a``) and leaves every other id alone; an edited
  line keeps its shot's id.
* Fields a person edited are locked and win over the director; :func:`reconcile` reports
  the locked shots that no longer fit the script (a line gone, a speaker no longer on
  screen, a line longer than its shot).
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import Any

from yingxi.schema.bible import Bible
from yingxi.schema.shots import Shot, ShotList
from yingxi.script.shots_io import PlanEntry, PlanFile, checksums


@dataclass(frozen=True)
class PlanNote:
    """Something a person should look at after a re-plan."""

    shot_id: str
    message: str

    def __str__(self) -> str:
        return f"{self.shot_id}: {self.message}"


@dataclass(frozen=True)
class Replanned:
    """The plan to render, the file that records it, and what changed under the locks."""

    shots: ShotList
    file: PlanFile
    notes: list[PlanNote]


def reconcile(fresh: ShotList, previous: PlanFile | None, bible: Bible,
              voiced: dict[int, int] | None = None) -> Replanned:
    """Keep ids and locked fields of ``previous`` over the director's ``fresh`` plan.

    ``voiced`` gives, per dialogue index, the frames from a line's start to its last voiced
    sound, to tell when a locked duration cuts a line short.
    """
    if previous is None:
        return Replanned(fresh, _file(fresh, {}, bible), [])
    pairs = _match([e.anchor for e in previous.shots], [s.anchor for s in fresh.shots])
    ids = _ids(fresh, previous, pairs)
    notes: list[PlanNote] = []
    locks: dict[int, dict[str, Any]] = {}
    shots: list[Shot] = []
    for i, shot in enumerate(fresh.shots):
        shot = shot.replace(id=ids[i])
        if i in pairs:
            entry = previous.shots[pairs[i]]
            edited = {name: entry.value(name) for name in sorted(entry.edited())}
            if edited:
                locks[i] = edited
                shot = _apply(shot, edited, fresh.fps)
        shots.append(shot)
    shots = _chain_speech(shots)
    kept = set(pairs.values())
    for j, entry in enumerate(previous.shots):
        if j not in kept and entry.edited():
            notes.append(PlanNote(entry.id, f"removed: what it covered ({entry.covers[:40]!r}) "
                                            f"is no longer in the script; its locked "
                                            f"{', '.join(sorted(entry.edited()))} went with it"))
    plan = fresh.model_copy(update={"shots": shots})
    plan = ShotList.model_validate(plan.model_dump())
    notes.extend(_misfits(plan, locks, voiced or {}))
    return Replanned(plan, _file(plan, locks, bible), notes)


def _match(old: list[str], new: list[str]) -> dict[int, int]:
    """new index -> old index, for shots that cover the same thing (or its edited form)."""
    pairs: dict[int, int] = {}
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            pairs.update({j1 + k: i1 + k for k in range(i2 - i1)})
        elif tag == "replace":
            # an edited line: pair shots of the same kind in order (the kind is the
            # anchor's first letter: d dialogue, a action, e establishing, r reaction ...)
            olds = list(range(i1, i2))
            for j in range(j1, j2):
                same = next((i for i in olds if old[i][:2] == new[j][:2]), None)
                if same is not None:
                    pairs[j] = same
                    olds = [i for i in olds if i > same]
    return pairs


def _ids(fresh: ShotList, previous: PlanFile, pairs: dict[int, int]) -> list[str]:
    """Old ids for matched shots; new ones, between their neighbours', for the rest."""
    ids: list[str | None] = [previous.shots[pairs[i]].id if i in pairs else None
                             for i in range(len(fresh.shots))]
    used = {e.id for e in previous.shots}
    prefixes: dict[int, str] = {}
    for i, shot in enumerate(fresh.shots):
        known = ids[i]
        if known is not None and shot.scene not in prefixes:
            prefixes[shot.scene] = _split(known)[0]
    for i, shot in enumerate(fresh.shots):
        if ids[i] is not None:
            continue
        scene = shot.scene
        prev = next((ids[k] for k in range(i - 1, -1, -1)
                     if fresh.shots[k].scene == scene and ids[k]), None)
        nxt = next((ids[k] for k in range(i + 1, len(ids))
                    if fresh.shots[k].scene == scene and ids[k]), None)
        if scene not in prefixes:
            prefix = f"sc{scene + 1:02d}-"
            taken = {_split(u)[0] for u in used}
            while prefix in taken:
                prefix = prefix[:-1] + "b-"
            prefixes[scene] = prefix
        new = _between(prefixes[scene], prev, nxt, used)
        ids[i] = new
        used.add(new)
    return [i or "" for i in ids]


def _split(shot_id: str) -> tuple[str, int | None, str]:
    """``sc01-020a`` -> (``sc01-``, 20, ``a``)."""
    m = re.fullmatch(r"(.*?)(\d+)([a-z]*)", shot_id)
    if m is None:
        return shot_id + "-", None, ""
    return m.group(1), int(m.group(2)), m.group(3)


def _between(prefix: str, prev: str | None, nxt: str | None, used: set[str]) -> str:
    low = _split(prev)[1] if prev and _split(prev)[0] == prefix else 0
    high = _split(nxt)[1] if nxt and _split(nxt)[0] == prefix else None
    low = low or 0
    top = high if high is not None else low + 20
    candidates = [low + 10] if high is None else []
    candidates.append((low + top) // 2)
    for number in candidates:
        name = f"{prefix}{number:03d}"
        if low < number < top and name not in used:
            return name
    base = prev if prev else f"{prefix}{max(0, (high or 10) - 10):03d}"
    for letter in "abcdefghijklmnopqrstuvwxyz":
        if f"{base}{letter}" not in used:
            return f"{base}{letter}"
    n = 2
    while f"{base}-{n}" in used:
        n += 1
    return f"{base}-{n}"


def _apply(shot: Shot, edited: dict[str, Any], fps: int) -> Shot:
    changes = {k: v for k, v in edited.items() if k != "seconds"}
    if "seconds" in edited:
        changes["frames"] = max(1, round(float(edited["seconds"]) * fps))
    return shot.replace(**changes)


def _chain_speech(shots: list[Shot]) -> list[Shot]:
    """The rest of a line that runs over several shots starts where the shot before left it
    (a locked duration moves where the cut falls in the line)."""
    out: list[Shot] = []
    for shot in shots:
        prev = out[-1] if out else None
        if prev is not None and shot.dialogue_index is not None \
                and prev.dialogue_index == shot.dialogue_index:
            shot = shot.replace(speech_start=prev.speech_start - prev.frames)
        out.append(shot)
    return out


def _misfits(plan: ShotList, locks: dict[int, dict[str, Any]],
             voiced: dict[int, int]) -> list[PlanNote]:
    notes: list[PlanNote] = []
    for i, shot in enumerate(plan.shots):
        if i not in locks:
            continue
        scene = plan.scenes[shot.scene]
        strangers = [c for c in [*shot.subjects, shot.foreground] if c and c not in scene.cast]
        if strangers:
            notes.append(PlanNote(shot.id, f"{', '.join(strangers)} not in this scene any "
                                           "more, but locked on screen"))
        if shot.kind == "dialogue" and not shot.offscreen and shot.speaker \
                and shot.speaker not in shot.subjects and shot.speech_start >= 0:
            notes.append(PlanNote(shot.id, f"the speaker {shot.speaker} is not on screen in "
                                           "the locked framing"))
        last = voiced.get(shot.dialogue_index) if shot.dialogue_index is not None else None
        runs_on = i + 1 < len(plan.shots) and \
            plan.shots[i + 1].dialogue_index == shot.dialogue_index
        if last is not None and not runs_on and shot.speech_start + last > shot.frames:
            over = (shot.speech_start + last - shot.frames) / plan.fps
            notes.append(PlanNote(shot.id, f"its line now runs {over:.1f} s past the locked "
                                           "length: it plays on over the next shot"))
    return notes


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "…"


def _file(plan: ShotList, locks: dict[int, dict[str, Any]], bible: Bible) -> PlanFile:
    entries = []
    for i, shot in enumerate(plan.shots):
        scene = plan.scenes[shot.scene]
        entry = PlanEntry(
            id=shot.id, scene=scene.heading, line=shot.source_line,
            covers=_short(covers(shot, bible)), size=shot.size, angle=shot.angle, move=shot.move,
            coverage=shot.coverage, subjects=list(shot.subjects), foreground=shot.foreground,
            seconds=round(shot.frames / plan.fps, 3), transition_in=shot.transition_in,
            transition_out=shot.transition_out, why=shot.motivation,
            locked=sorted(locks.get(i, {})), anchor=shot.anchor)
        entries.append(entry.replace(planned=checksums(entry)))
    return PlanFile(episode=plan.episode, fps=plan.fps, shots=entries)


def covers(shot: Shot, bible: Bible) -> str:
    """What a shot covers, for people: the prop, who speaks (and whether off screen), or
    the reaction, then the words."""
    text = " ".join(shot.text.split())
    if shot.prop:
        try:
            return f"[{bible.prop(shot.prop).name}] {text}"
        except KeyError:
            return f"[{shot.prop}] {text}"
    if shot.kind == "reaction" and shot.dialogue_index is None:
        return f"(reaction) {text}"
    if shot.speaker:
        voice = " (off screen)" if shot.offscreen else ""
        return f"{character_name(bible, shot.speaker)}{voice}: {text}"
    return text


def character_name(bible: Bible, char_id: str) -> str:
    """The bible name of a character (its id if the bible no longer has it)."""
    try:
        return bible.character(char_id).name
    except KeyError:
        return char_id
