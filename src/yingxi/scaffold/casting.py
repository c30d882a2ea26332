"""Deterministic casting: a look and a voice for every character name, and ids for the bible.

Nothing here is random. Each choice is a hash of the character's name, and the cast is walked
in order of first appearance so that no two characters share a voice variant, a pitch or a
wardrobe colour while there are enough of them (five female and seven male espeak variants,
twelve palettes). Gender is unknown from a name, so it alternates along the cast, starting
where the first name's hash says: a character's look and voice depend on its name, its place
in the order of appearance, and the choices already made for those before it.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal, TypeVar

from yingxi.schema.bible import Character, Hair, Language, Look, VoiceSpec

Era = Literal["ancient", "modern"]
_T = TypeVar("_T")

ESPEAK_VOICE: dict[Language, str] = {"zh": "cmn", "en": "en-us"}
FEMALE_VARIANTS = ("f1", "f2", "f3", "f4", "f5")
MALE_VARIANTS = ("m1", "m2", "m3", "m4", "m5", "m6", "m7")
_MIN_PITCH_GAP = 4

SKINS = ("#f3d2b6", "#f0c8a0", "#e8c4a4", "#deb189", "#d9a47e", "#c68e64", "#a86f4c",
         "#8a5a3c")
HAIR_COLORS = ("#1c1613", "#221b17", "#2a1d14", "#3b2a1e", "#5a3a22", "#7a4a2a")
GREY_HAIR = ("#c9c4bd", "#a8a29a", "#dedad3")
# Wardrobe palettes: main, secondary, accent. Distinct main colours, readable on any set.
PALETTES = (
    ("#b8463b", "#f1dcb2", "#e0a43a"), ("#2f5a72", "#d9d0b9", "#7a5a3a"),
    ("#5b6b3a", "#e7dcc4", "#9b3b2f"), ("#34495e", "#c0c7cf", "#d98c2b"),
    ("#7d3c5a", "#efd9c8", "#3f6e5e"), ("#c06a2b", "#f3e3c3", "#2e4a62"),
    ("#3e7c74", "#e9e1cf", "#a23f3f"), ("#6a4c93", "#e6dcc8", "#d4a23a"),
    ("#8c2f39", "#dcc9a8", "#2f4858"), ("#44633f", "#f0e6d0", "#b5562e"),
    ("#1f4e79", "#e4d8bf", "#c9443c"), ("#9a6b3f", "#efe2cc", "#375a7f"),
)


def stable_hash(*parts: str) -> int:
    """A 64-bit number from ``parts`` that is the same on every machine and every run."""
    digest = hashlib.sha256("\x1f".join(parts).encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big")


def pick(options: Sequence[_T], name: str, salt: str) -> _T:
    """One of ``options``, chosen by the hash of ``name`` and ``salt``."""
    return options[stable_hash(salt, name) % len(options)]


def _pick_unused(options: Sequence[_T], used: set[_T], name: str, salt: str) -> _T:
    """The hash's choice, or the next option not yet ``used`` (all used: the hash's choice)."""
    start = stable_hash(salt, name) % len(options)
    for step in range(len(options)):
        option = options[(start + step) % len(options)]
        if option not in used:
            return option
    return options[start]


def make_id(name: str, taken: Iterable[str], fallback: str) -> str:
    """A bible id for ``name``: its ASCII slug, or ``fallback-N`` when it has none, unique."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.casefold()).strip("-")
    if not slug or not slug[0].isalpha():
        slug = f"{fallback}-{slug}" if slug else fallback
    used = {t.casefold() for t in taken}
    if slug != fallback and slug not in used:
        return slug
    number = 1
    while f"{slug}-{number}" in used:
        number += 1
    return f"{slug}-{number}"


@dataclass(frozen=True)
class CastingNote:
    """What was generated for one character, in words, for its ``description``."""

    look: str
    voice: str


def cast(names: Sequence[str], *, language: Language | Sequence[Language], era: Era,
         taken_ids: Iterable[str] = ()) -> list[tuple[Character, CastingNote]]:
    """A character with a generated look and voice for each name, in the order given.

    ``language`` is the language every character speaks, or one per name.
    """
    languages = [language] * len(names) if isinstance(language, str) else list(language)
    out: list[tuple[Character, CastingNote]] = []
    ids: set[str] = {t.casefold() for t in taken_ids}
    cue_names = {n.casefold() for n in names}
    variants: set[str] = set()
    pitches: list[int] = []
    palettes: set[tuple[str, str, str]] = set()
    first_gender = stable_hash("gender", names[0]) % 2 if names else 0
    for index, name in enumerate(names):
        female = (first_gender + index) % 2 == 0
        char_id = make_id(name, ids | (cue_names - {name.casefold()}), "role")
        ids.add(char_id)
        look = _look(name, female, era, palettes)
        palettes.add((look.palette[0], look.palette[1], look.palette[2]))
        voice = _voice(name, female, languages[index], variants, pitches)
        variants.add(voice.variant or "")
        pitches.append(voice.pitch)
        note = CastingNote(
            look=f"{look.age}, {look.build} build, {look.hair.style} hair, {look.wardrobe} in "
                 f"{look.palette[0]}",
            voice=f"{voice.voice} {voice.variant}, pitch {voice.pitch}, rate {voice.rate}")
        out.append((Character(id=char_id, name=name, look=look, voice=voice), note))
    return out


def _look(name: str, female: bool, era: Era, palettes: set[tuple[str, str, str]]) -> Look:
    age = pick(("young", "young", "adult", "adult", "elder"), name, "age")
    if female:
        style = pick(("long", "bun", "ponytail", "long") if era == "modern"
                     else ("bun", "long", "bun", "ponytail"), name, "hair")
        wardrobe = "robe" if era == "ancient" else pick(("dress", "coat", "jacket"), name, "wear")
    else:
        style = pick(("short", "short", "ponytail", "bun") if era == "ancient"
                     else ("short", "short", "short", "ponytail"), name, "hair")
        if age == "elder" and pick((True, False, False), name, "bald"):
            style = "bald"
        wardrobe = "robe" if era == "ancient" else pick(("suit", "jacket", "coat"), name, "wear")
    hair = pick(GREY_HAIR if age == "elder" else HAIR_COLORS, name, "hair-color")
    palette = _pick_unused(PALETTES, palettes, name, "palette")
    return Look(
        build=pick(("slim", "average", "broad") if not female else ("slim", "slim", "average"),
                   name, "build"),
        age=age,
        skin=pick(SKINS, name, "skin"),
        hair=Hair(style=style, color=hair),
        palette=list(palette),
        wardrobe=wardrobe,
    )


def _voice(name: str, female: bool, language: Language, variants: set[str],
           pitches: Sequence[int]) -> VoiceSpec:
    options = FEMALE_VARIANTS if female else MALE_VARIANTS
    variant = _pick_unused(options, variants, name, "variant")
    low, high = (54, 72) if female else (30, 48)
    preferred = low + stable_hash("pitch", name) % (high - low + 1)
    # the hash's pitch if it keeps its distance from the pitches already cast; else the
    # pitch in range farthest from them (the one nearest the hash's among equals)
    def spacing(p: int) -> int:
        return min((abs(p - q) for q in pitches), default=high - low)

    pitch = preferred if spacing(preferred) >= _MIN_PITCH_GAP else max(
        range(low, high + 1), key=lambda p: (spacing(p), -abs(p - preferred)))
    rate = 145 + stable_hash("rate", name) % 31
    return VoiceSpec(voice=ESPEAK_VOICE[language], variant=variant, language=language,
                     pitch=pitch, rate=rate)


def narrator(language: Language, era: Era) -> Character:
    """The poem narrator: an elder in plain clothes, a low, calm, unhurried voice."""
    name = "旁白" if language == "zh" else "NARRATOR"
    return Character(
        id="narrator", name=name,
        description="the voice that reads the poem: its cues are (V.O.), heard and not seen",
        look=Look(build="slim", age="elder", skin="#e8c4a4",
                  hair=Hair(style="bun" if era == "ancient" else "short", color="#c9c4bd"),
                  palette=["#3b4a5a", "#e6dcc4", "#8c2f39"],
                  wardrobe="robe" if era == "ancient" else "coat"),
        voice=VoiceSpec(voice=ESPEAK_VOICE[language], variant="m3", language=language,
                        pitch=34, rate=125 if language == "zh" else 135),
    )
