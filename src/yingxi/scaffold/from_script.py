"""A production around an existing screenplay: cast every cue, build every heading's set.

Each distinct cue (extensions such as ``(V.O.)`` and ``(CONT'D)`` aside, case ignored) becomes
a character with a generated look and voice; each distinct heading place becomes a location
named exactly as the script writes it, with a kind, era and time of day guessed from its
words. Every generated entry carries a comment and a description saying so: they are a
starting point to review, not a casting decision.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from pathlib import Path

from yingxi.errors import ScriptError
from yingxi.scaffold.casting import Era, cast, make_id
from yingxi.scaffold.places import guess_place
from yingxi.scaffold.writer import CharacterEntry, LocationEntry, bible_text
from yingxi.schema.bible import Character, Language, Location
from yingxi.schema.screenplay import Screenplay, TimeOfDay
from yingxi.script.fountain import parse_fountain, read_fountain_file, time_of_day

log = logging.getLogger(__name__)

CHARACTER_COMMENT = "generated from the screenplay: review look and voice"
LOCATION_COMMENT = "generated from the screenplay: review kind, era, time_of_day and weather"
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
_ERA_CONSISTENT_LANGUAGE: Language = "zh"


@dataclass(frozen=True)
class ScriptProduction:
    """What ``yingxi new --from-script`` writes, before it is written."""

    title: str
    language: Language
    script: bytes          # the screenplay, byte for byte as the user wrote it
    bible: str             # bible.yaml text
    screenplay: Screenplay


def detect_language(screenplay: Screenplay) -> Language:
    """``zh`` if any dialogue has Chinese characters, else ``en``."""
    lines = screenplay.dialogue()
    return "zh" if any(_CJK.search(d.text) for d in lines) else "en"


def script_production(path: Path, title: str | None = None) -> ScriptProduction:
    """Read ``path`` and build the bible that makes it render."""
    raw, text = read_fountain_file(path)
    screenplay = parse_fountain(text, source=str(path))  # its errors point at the user's file
    language = detect_language(screenplay)
    locations = _locations(screenplay, path, language)
    ancient = any(loc.era == "ancient" for loc, _ in locations)
    characters = _characters(screenplay, path, language, era="ancient" if ancient else "modern")
    bible = bible_text(characters, locations)
    log.info("cast %d characters and %d locations from %s", len(characters), len(locations),
             path)
    return ScriptProduction(title=title or screenplay.title or path.stem, language=language,
                            script=raw, bible=bible, screenplay=screenplay)


def _characters(screenplay: Screenplay, path: Path, language: Language,
                era: Era) -> list[CharacterEntry]:
    first_line: dict[str, tuple[str, int]] = {}
    chinese: set[str] = set()  # characters who speak Chinese: a Mandarin voice
    for line in screenplay.dialogue():
        first_line.setdefault(line.cue.casefold(), (line.cue, line.line))
        if _CJK.search(line.text):
            chinese.add(line.cue.casefold())
    names = [name for name, _ in first_line.values()]
    if not names:  # the bible needs a cast: a narrator who can be deleted once others exist
        narrator = "旁白" if language == "zh" else "NARRATOR"
        char = Character(id="narrator", name=narrator,
                         description="placeholder: the screenplay has no dialogue, and a "
                                     "bible needs at least one character")
        return [(char, ("generated: the screenplay has no character cues",))]
    out: list[CharacterEntry] = []
    languages: list[Language] = ["zh" if n.casefold() in chinese else "en" for n in names]
    for char, note in cast(names, language=languages, era=era):
        first = first_line[char.name.casefold()][1]
        description = (f"Generated from {path.name} (first cue at line {first}): look "
                       f"({note.look}) and voice ({note.voice}) were picked from the name. "
                       "Review them, and write who this is.")
        out.append((char.replace(description=description), (CHARACTER_COMMENT,)))
    return out


def _locations(screenplay: Screenplay, path: Path, language: Language) -> list[LocationEntry]:
    seen: set[str] = set()
    guesses: list[tuple[str, int, str, str]] = []
    times: dict[str, TimeOfDay] = {}  # the first time of day a heading gives each place
    for scene in screenplay.scenes:
        heading = scene.heading
        place = heading.place.strip()
        if not place:
            raise ScriptError(
                "this scene heading names no place", file=path, line=heading.line,
                hint="write where the scene happens, e.g. 'INT. KITCHEN - NIGHT' or "
                     "'内景 厨房 - 夜'")
        if place.casefold() not in seen:
            seen.add(place.casefold())
            guesses.append((place, heading.line, heading.setting, heading.time))
        time = time_of_day(heading.time)
        if time is not None:
            times.setdefault(place.casefold(), time)
    taken: set[str] = set()
    entries: list[LocationEntry] = []
    ancient_script = False
    built: list[tuple[Location, str, int]] = []
    for place, line, setting, time_text in guesses:
        guess = guess_place(place, setting, time_text)
        others = {p.casefold() for p, *_ in guesses} - {place.casefold()}
        loc_id = make_id(place, taken | others, "place")
        taken.add(loc_id)
        loc = Location(id=loc_id, name=place, kind=guess.kind, era=guess.era,
                       time_of_day=times.get(place.casefold(), "day"), weather=guess.weather,
                       motifs=list(guess.motifs))
        ancient_script = ancient_script or guess.era == "ancient"
        why = f"from {guess.because!r}" if guess.because else "by default"
        built.append((loc, why, line))
    # A Chinese script set in a palace is set in the past everywhere, riverbank included.
    for loc, why, line in built:
        if ancient_script and language == _ERA_CONSISTENT_LANGUAGE:
            loc = loc.replace(era="ancient")
        comment = (f"heading at line {line}: kind {loc.kind} guessed {why}; era {loc.era}; "
                   f"time_of_day {loc.time_of_day}")
        entries.append((loc, (LOCATION_COMMENT, comment)))
    return entries
