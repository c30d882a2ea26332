"""A production from a poem: a narrator reads each line over the landscape the line names.

One shot (and one scene) per verse line, or per couplet. Each scene's heading names a
location built from the line's imagery (:mod:`yingxi.scaffold.imagery`); lines with the same
imagery share a location. The narrator's cue is ``NARRATOR (V.O.)`` / ``旁白 (V.O.)``, so
once voice-over characters stay off screen the shots show only the landscape; the line
itself is the subtitle. Lines dissolve into each other, stanzas fade through black, and the
poem ends with ``FADE OUT.``.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from pathlib import Path

from yingxi.errors import ScriptError
from yingxi.scaffold.casting import Era, narrator
from yingxi.scaffold.imagery import Imagery, imagery_of, poem_mood
from yingxi.scaffold.poem import Poem, VerseLine, read_poem
from yingxi.scaffold.writer import LocationEntry, bible_text
from yingxi.schema.bible import INTERIOR_KINDS, Language, Location, LocationKind, Motif
from yingxi.schema.screenplay import TimeOfDay

log = logging.getLogger(__name__)

KIND_NAMES: dict[Language, dict[LocationKind, str]] = {
    "zh": {"mountains": "山间", "shore": "水边", "forest": "林间", "village": "村落",
           "palace": "宫苑", "office": "书斋", "city": "城中", "home": "屋内"},
    "en": {"mountains": "MOUNTAINS", "shore": "WATERSIDE", "forest": "FOREST",
           "village": "VILLAGE", "palace": "PALACE", "office": "STUDY", "city": "CITY",
           "home": "HOUSE"},
}
MOTIF_NAMES: dict[Language, dict[Motif, str]] = {
    "zh": {"moon": "明月", "frost": "霜", "boat": "孤舟", "willow": "杨柳", "bell": "钟声",
           "wine": "酒", "lantern": "灯火", "plum": "梅花", "bamboo": "竹", "geese": "归雁",
           "bridge": "小桥", "lotus": "荷花", "pagoda": "古塔"},
    "en": {"moon": "MOON", "frost": "FROST", "boat": "BOAT", "willow": "WILLOWS",
           "bell": "BELL", "wine": "WINE", "lantern": "LANTERNS", "plum": "PLUM BLOSSOM",
           "bamboo": "BAMBOO", "geese": "GEESE", "bridge": "BRIDGE", "lotus": "LOTUS",
           "pagoda": "PAGODA"},
}
WEATHER_NAMES: dict[Language, dict[str, str]] = {
    "zh": {"rain": "雨", "snow": "雪", "mist": "烟雾"},
    "en": {"rain": "RAIN", "snow": "SNOW", "mist": "MIST"},
}
TIME_NAMES: dict[Language, dict[TimeOfDay, str]] = {
    "zh": {"dawn": "清晨", "day": "日", "dusk": "黄昏", "night": "夜"},
    "en": {"dawn": "DAWN", "day": "DAY", "dusk": "DUSK", "night": "NIGHT"},
}
_BRACKETED = re.compile(r"^[(（].*[)）]$")
LOCATION_COMMENT = "generated from the poem: review kind, time_of_day, weather and motifs"


@dataclass(frozen=True)
class PoemShot:
    """One shot: the verse it speaks, what it shows, and where."""

    verses: tuple[VerseLine, ...]
    imagery: Imagery
    location: Location

    @property
    def text(self) -> str:
        """The subtitle: the verse lines as written, one per line."""
        return "\n".join(v.text for v in self.verses)


@dataclass(frozen=True)
class PoemProduction:
    """What ``yingxi new --from-poem`` writes, before it is written."""

    poem: Poem
    title: str
    language: Language
    shots: tuple[PoemShot, ...]
    script: str
    bible: str


def poem_production(path: Path, title: str | None = None, *,
                    couplets: bool = False) -> PoemProduction:
    """Read the poem at ``path`` and build its screenplay and bible."""
    return build_poem(read_poem(path), title=title, couplets=couplets)


def build_poem(poem: Poem, *, title: str | None = None,
               couplets: bool = False) -> PoemProduction:
    """The screenplay and bible of a parsed poem."""
    language: Language = "zh" if poem.language == "zh" else "en"
    for verse in poem.lines:
        if _BRACKETED.match(verse.text):
            raise ScriptError("a verse line in brackets would be read as a stage direction",
                              file=poem.source, line=verse.line, column=verse.column,
                              hint="remove the brackets around the line")
    groups = _groups(poem.lines, couplets)
    imagery: list[Imagery] = []
    previous: Imagery | None = None
    for group in groups:
        previous = imagery_of(" ".join(v.text for v in group), previous)
        imagery.append(previous)
    mood = poem_mood(imagery)
    era: Era = "ancient" if poem.classical else "modern"
    locations: dict[tuple[object, ...], Location] = {}
    shots: list[PoemShot] = []
    for group, image in zip(groups, imagery, strict=True):
        if image.place not in locations:
            locations[image.place] = Location(
                id=_location_id(image), name=location_name(image, language), kind=image.kind,
                era=era, time_of_day=image.time_of_day, weather=image.weather, mood=mood,
                motifs=list(image.motifs))
        shots.append(PoemShot(verses=group, imagery=image, location=locations[image.place]))
    voice = narrator(language, era)
    entries: list[LocationEntry] = [
        (loc, (LOCATION_COMMENT,
               "first line: " + next(s.verses[0].text for s in shots if s.location is loc)))
        for loc in locations.values()]
    bible = bible_text(
        [(voice, ("the narrator reads the poem: a low, calm, unhurried voice",))], entries)
    name = title or poem.title
    script = poem_script(poem, shots, language, voice.name)
    log.info("poem %r: %d shots over %d locations", poem.title, len(shots), len(locations))
    return PoemProduction(poem=poem, title=name, language=language, shots=tuple(shots),
                          script=script, bible=bible)


def _groups(lines: tuple[VerseLine, ...], couplets: bool) -> list[tuple[VerseLine, ...]]:
    """One group per line, or two lines per group inside each stanza."""
    if not couplets:
        return [(line,) for line in lines]
    groups: list[tuple[VerseLine, ...]] = []
    for line in lines:
        last = groups[-1] if groups else ()
        if len(last) == 1 and last[0].stanza == line.stanza:
            groups[-1] = (last[0], line)
        else:
            groups.append((line,))
    return groups


def _location_id(image: Imagery) -> str:
    parts: list[str] = [image.kind, *image.motifs]
    if image.weather != "clear":
        parts.append(image.weather)
    return "-".join(parts)


def location_name(image: Imagery, language: Language) -> str:
    """A readable set name from the imagery: ``屋内·明月``, ``HOUSE WITH MOON IN RAIN``."""
    kind = KIND_NAMES[language][image.kind]
    things = [MOTIF_NAMES[language][m] for m in image.motifs]
    weather = WEATHER_NAMES[language].get(image.weather)
    if language == "zh":
        return "·".join([kind, *things, *([weather] if weather else [])])
    name = kind
    if things:
        name += " WITH " + (things[0] if len(things) == 1
                            else ", ".join(things[:-1]) + " AND " + things[-1])
    return name + (f" IN {weather}" if weather else "")


def heading(image: Imagery, location: Location, language: Language) -> str:
    """The scene heading of a shot: ``内景 屋内·明月 - 夜`` or ``EXT. WATERSIDE - DUSK``."""
    interior = image.kind in INTERIOR_KINDS
    setting = ("内景" if interior else "外景") if language == "zh" else \
        ("INT." if interior else "EXT.")
    return f"{setting} {location.name} - {TIME_NAMES[language][image.time_of_day]}"


def escape(text: str) -> str:
    """Verse text safe inside Fountain dialogue: emphasis characters escaped."""
    return re.sub(r"([*_])", r"\\\1", text)


def poem_script(poem: Poem, shots: list[PoemShot], language: Language, voice: str) -> str:
    """The Fountain screenplay: title page, one scene per shot, dissolves, fades."""
    out = [f"Title: {' '.join(poem.title.split())}"]
    if poem.credit:
        out.append(f"Author: {poem.credit}")
    out.append("")
    credit = poem.credit
    if language == "zh":
        opening = f"《{poem.title}》" + (f"　{credit}" if credit else "")
    else:
        opening = poem.title + (f", by {credit}" if credit else "")
    for index, shot in enumerate(shots):
        out += [heading(shot.imagery, shot.location, language), ""]
        if index == 0:
            out += [f"!{escape(opening)}", ""]
        out += [f"{voice} (V.O.)", *(escape(v.text) for v in shot.verses), ""]
        last = index == len(shots) - 1
        stanza_ends = last or shots[index + 1].verses[0].stanza != shot.verses[-1].stanza
        out += ["FADE OUT." if stanza_ends else "DISSOLVE TO:", ""]
    return "\n".join(out)
