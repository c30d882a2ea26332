"""Write ``bible.yaml`` and ``yingxi.toml`` text for people to read and edit.

A YAML dumper cannot put a comment above an entry, and a generated entry needs one (``#
generated from the screenplay: review look and voice``), so the text is written here field by
field, in the order docs/bible.md documents, and :func:`bible_text` reads its own output back
to prove that it means exactly the bible it was given.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Sequence

import yaml

from yingxi.errors import BibleError
from yingxi.schema.bible import Bible, Character, Location
from yingxi.script.bible_io import parse_bible

BIBLE_HEADER = """\
# The production bible: who is in the story and where scenes happen.
# Every field is documented in docs/bible.md. Quick reference:
#   look.build: slim | average | broad        look.age: child | young | adult | elder
#   look.hair.style: short | long | bun | ponytail | bald
#   look.wardrobe: robe | jacket | dress | suit | coat    colours are "#rrggbb"
#   voice.variant (espeak): f1..f5, m1..m7    voice.pitch: 0..100    voice.rate: 80..400
#   location kind: mountains | shore | forest | village | palace | office | city | home
#   era: ancient | modern    time_of_day: dawn | day | dusk | night
#   weather: clear | rain | snow | mist    mood: calm, warm, sad, tense, mysterious, joyful...
#   motifs (up to 4): moon frost boat willow bell wine lantern plum bamboo geese bridge
#                     lotus pagoda
"""


# An entry and the comment lines written above it.
CharacterEntry = tuple[Character, Sequence[str]]
LocationEntry = tuple[Location, Sequence[str]]


def scalar(value: str | int | bool) -> str:
    """``value`` as a YAML scalar: plain when YAML reads it back unchanged, else quoted."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    plain = value and value == value.strip() and "\n" not in value and \
        not value.startswith(("'", '"', "[", "{", "&", "*", "!", "|", ">", "%", "@", "`"))
    if plain:
        try:
            if yaml.safe_load(f"k: {value}\n") == {"k": value}:
                return value
        except yaml.YAMLError:
            pass
    return json.dumps(value, ensure_ascii=False)  # JSON strings are YAML double-quoted ones


def _flow(values: Sequence[str]) -> str:
    return "[" + ", ".join(scalar(v) for v in values) + "]"


def _comment(lines: Sequence[str], indent: str) -> list[str]:
    return [f"{indent}# {line}".rstrip() for line in lines]


def character_yaml(char: Character, comment: Sequence[str] = ()) -> list[str]:
    """The lines of one character entry (indented for the ``characters:`` list)."""
    look, voice = char.look, char.voice
    out = _comment(comment, "  ")
    out += [f"  - id: {scalar(char.id)}", f"    name: {scalar(char.name)}"]
    if char.aliases:
        out.append(f"    aliases: {_flow(char.aliases)}")
    if char.description:
        out.append(f"    description: {scalar(char.description)}")
    out += [
        "    look:",
        f"      build: {look.build}",
        f"      age: {look.age}",
        f"      skin: {scalar(look.skin)}",
        f"      hair: {{style: {look.hair.style}, color: {scalar(look.hair.color)}}}",
        f"      palette: {_flow(look.palette)}",
        f"      wardrobe: {look.wardrobe}",
        "    voice:",
    ]
    for key in ("engine", "voice", "variant", "language"):
        value = getattr(voice, key)
        if value is not None:
            out.append(f"      {key}: {scalar(value)}")
    out += [f"      pitch: {voice.pitch}", f"      rate: {voice.rate}"]
    likeness = char.likeness
    consent = f", consent: {scalar(likeness.consent)}" if likeness.consent else ""
    out.append(f"    likeness: {{kind: {likeness.kind}{consent}}}")
    return out


def location_yaml(loc: Location, comment: Sequence[str] = ()) -> list[str]:
    """The lines of one location entry (indented for the ``locations:`` list)."""
    out = _comment(comment, "  ")
    out += [f"  - id: {scalar(loc.id)}", f"    name: {scalar(loc.name)}"]
    if loc.aliases:
        out.append(f"    aliases: {_flow(loc.aliases)}")
    out += [f"    kind: {loc.kind}", f"    era: {loc.era}",
            f"    time_of_day: {loc.time_of_day}", f"    weather: {loc.weather}"]
    if loc.palette:
        out.append(f"    palette: {_flow(loc.palette)}")
    if loc.mood:
        out.append(f"    mood: {scalar(loc.mood)}")
    if loc.motifs:
        out.append(f"    motifs: {_flow(loc.motifs)}")
    return out


def bible_text(characters: Sequence[CharacterEntry], locations: Sequence[LocationEntry], *,
               header: str = BIBLE_HEADER, source: str = "bible.yaml") -> str:
    """The whole ``bible.yaml``; checked by reading it back."""
    lines = [header.rstrip("\n"), "characters:"]
    for n, (char, comment) in enumerate(characters):
        lines += ([""] if n else []) + character_yaml(char, comment)
    lines += ["", "locations:"]
    for n, (loc, comment) in enumerate(locations):
        lines += ([""] if n else []) + location_yaml(loc, comment)
    lines += ["", "style:", "  look: flat    # the embedded painter's look", ""]
    text = "\n".join(lines)
    expected = Bible(characters=[c for c, _ in characters], locations=[loc for loc, _ in locations])
    if parse_bible(text, source=source) != expected:  # a bug here, never the user's
        raise BibleError("the generated bible does not read back as written", file=source,
                         hint="please report this with the input file")
    return text


def toml_string(value: str) -> str:
    """``value`` as a TOML basic string (JSON escapes are TOML escapes)."""
    return json.dumps(value, ensure_ascii=False)


def default_seed(title: str) -> int:
    """A seed from the title: different productions get different sets and music."""
    return zlib.crc32(title.encode("utf-8")) % 1000


def config_text(title: str, language: str, *, note: str = "") -> str:
    """A commented ``yingxi.toml``."""
    def line(setting: str, comment: str = "") -> str:
        return f"{setting:<24}# {comment}" if comment else setting

    note = " ".join(note.split())
    lines = [f"# {note}" if note else "# A yingxi production.",
             "# Every key but title is optional; see README.md.",
             line(f"title = {toml_string(title)}"),
             line(f'language = "{language}"', "zh | en: default voices and subtitles"),
             line(f"seed = {default_seed(title)}",
                  "another seed paints other sets and writes other music"),
             "",
             "[format]",
             "width = 1080",
             line("height = 1920", "vertical 9:16"),
             line("fps = 24", "24 | 25 | 30"),
             "",
             line("[labels]", "GB 45438-2025 labels; they cannot be switched off"),
             'text = "AI生成"',
             line('corner = "top-left"', "top-left | top-right"),
             line('producer = "yingxi"', "ContentProducer in the AIGC metadata (ASCII)"),
             "",
             line("[backends]", "plug-ins register more; see README.md"),
             'speaker = "espeak"',
             'painter = "embedded"',
             'composer = "embedded"',
             'planner = "embedded"',
             ""]
    return "\n".join(lines)
