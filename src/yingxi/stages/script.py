"""Stage ``script``: parse the Fountain text and resolve it against the bible.

Every character cue must name a bible character (by name, id or alias) and every scene
heading a bible location; the time of day comes from the heading (DAY, NIGHT, 夜, 黄昏...),
or carries over for CONTINUOUS / LATER, or falls back to the location's own.
"""

from __future__ import annotations

import difflib

from pydantic import Field

from yingxi.errors import ScriptError
from yingxi.schema.base import Schema
from yingxi.schema.bible import Bible
from yingxi.schema.screenplay import (
    Action,
    Dialogue,
    Scene,
    SceneHeading,
    Screenplay,
    TimeOfDay,
)
from yingxi.script.fountain import parse_fountain, time_of_day
from yingxi.stages.base import Stage, StageContext


class ScriptInput(Schema):
    """The screenplay text (as read) and the bible to resolve it against."""

    source: str = Field(description="file name, for messages")
    text: str
    bible: Bible


class ScriptStage(Stage[ScriptInput, Screenplay]):
    """Fountain text + bible -> a resolved :class:`Screenplay`."""

    name = "script"
    version = "2"
    input_type = ScriptInput
    output_type = Screenplay

    def label(self, inp: ScriptInput) -> str:
        return inp.source

    def compute(self, inp: ScriptInput, ctx: StageContext) -> Screenplay:
        return interpret(parse_fountain(inp.text, source=inp.source), inp.bible)


def interpret(screenplay: Screenplay, bible: Bible) -> Screenplay:
    """Check that ``screenplay`` can be filmed with ``bible`` and resolve it against it."""
    if not any(isinstance(e, Action | Dialogue) for s in screenplay.scenes
               for e in s.elements):
        raise ScriptError("there is nothing to film: no action or dialogue under the "
                          "scene headings", file=screenplay.source,
                          line=screenplay.scenes[0].heading.line,
                          hint="write what we see (action) or what is said (a character "
                               "cue with dialogue) under a scene heading")
    return resolve(screenplay, bible)


def resolve(screenplay: Screenplay, bible: Bible) -> Screenplay:
    """Attach bible ids to cues and headings; raise :class:`ScriptError` on unknown names."""
    scenes: list[Scene] = []
    previous: TimeOfDay | None = None
    for scene in screenplay.scenes:
        heading = _resolve_heading(scene.heading, bible, previous, screenplay.source)
        previous = heading.time_of_day
        elements = [
            e.replace(speaker=_resolve_cue(e, bible, screenplay.source))
            if isinstance(e, Dialogue) else e
            for e in scene.elements
        ]
        scenes.append(Scene(heading=heading, elements=elements))
    return screenplay.replace(scenes=scenes)


def _resolve_cue(dialogue: Dialogue, bible: Bible, source: str) -> str:
    wanted = dialogue.cue.casefold()
    for char in bible.characters:
        if any(name.casefold() == wanted for name in char.cue_names()):
            return char.id
    names = [c.name for c in bible.characters]
    every = {n: c for c in bible.characters for n in c.cue_names()}
    close = difflib.get_close_matches(dialogue.cue, list(every), n=1, cutoff=0.5)
    guess = f"did you mean {every[close[0]].name!r}? " if close else ""
    raise ScriptError(
        f"unknown character cue {dialogue.cue!r}", file=source, line=dialogue.line,
        hint=f"{guess}known characters: {', '.join(names)}. Fix the cue, add the name to "
             "a character's aliases, or add the character to bible.yaml. (If the line is "
             "action, end it with 。 or start it with !)")


def _resolve_heading(heading: SceneHeading, bible: Bible, previous: TimeOfDay | None,
                     source: str) -> SceneHeading:
    place = heading.place.casefold()
    location = None
    for loc in bible.locations:
        if any(name.casefold() == place for name in loc.match_names()):
            location = loc
            break
    if location is None:  # "RIVERBANK NEAR THE MILL" still finds RIVERBANK
        for loc in bible.locations:
            if any(name.casefold() in place for name in loc.match_names() if len(name) > 1):
                location = loc
                break
    if location is None:
        known = {n: loc for loc in bible.locations for n in loc.match_names()}
        close = difflib.get_close_matches(heading.place, list(known), n=1, cutoff=0.4)
        guess = f"did you mean {known[close[0]].name!r}? " if close else ""
        raise ScriptError(
            f"scene heading names an unknown location {heading.place!r}", file=source,
            line=heading.line,
            hint=f"{guess}known locations: {', '.join(loc.name for loc in bible.locations)}. "
                 "Add it to bible.yaml locations or to an existing location's aliases.")
    time = time_of_day(heading.time, previous) or location.time_of_day
    return heading.replace(location=location.id, time_of_day=time)
