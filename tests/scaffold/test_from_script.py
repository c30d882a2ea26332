"""A screenplay becomes a production: every cue cast, every heading a set, all reviewable."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
import yaml

import yingxi
from tests.conftest import EXAMPLES
from tests.scaffold.util import resolved
from yingxi.errors import ScriptError
from yingxi.scaffold import new_production
from yingxi.scaffold.casting import cast
from yingxi.scaffold.places import guess_place

STRANGERS = """\
Title: Strangers

EXT. CITY STREET - NIGHT

Neon in the rain.

DETECTIVE MORROW (V.O.)
Every city has a night like this.

DR. ADA (O.S.)
Morrow? Is that you?

DETECTIVE MORROW
Who's asking?

DR. ADA (CONT'D)
The doctor you never paid.

NO
Yes?

@Dr. Ada
(laughing)
Same cue, other case.

INT. MORROW'S APARTMENT - CONTINUOUS

@Mr. Sands
Tea?

外景 皇宫大殿 - 黄昏

林秋
来了。
"""


def test_last_ferry_is_cast_and_renders_its_headings(tmp_path: Path) -> None:
    script = EXAMPLES / "last-ferry" / "episodes" / "ep01.fountain"
    root = new_production(tmp_path / "ferry", from_script=script)
    assert (root / "episodes" / "ep01.fountain").read_bytes() == script.read_bytes()
    production = yingxi.open_production(root)
    assert production.config.title == "The Last Ferry" and production.config.language == "en"
    bible = production.bible
    assert sorted(c.name for c in bible.characters) == ["MAE", "TOM"]
    assert {loc.name: (loc.kind, loc.time_of_day) for loc in bible.locations} == {
        "HARBOR DOCK": ("shore", "night"), "WAITING ROOM": ("home", "night")}
    screenplay = resolved(root)
    assert {d.speaker for d in screenplay.dialogue()} == {"mae", "tom"}
    text = (root / "bible.yaml").read_text(encoding="utf-8")
    assert text.count("# generated from the screenplay: review look and voice") == 2
    assert all("Generated from ep01.fountain" in c.description for c in bible.characters)


def test_paper_lantern_cues_in_chinese(tmp_path: Path) -> None:
    script = EXAMPLES / "paper-lantern" / "episodes" / "ep01.fountain"
    root = new_production(tmp_path / "lantern", from_script=script)
    production = yingxi.open_production(root)
    assert production.config.language == "zh"
    assert {c.voice.voice for c in production.bible.characters} == {"cmn"}
    assert [loc.name for loc in production.bible.locations] == ["江边", "灯笼铺"]
    assert production.bible.locations[1].motifs == ["lantern"]
    resolved(root)


def test_unknown_cues_are_cast_once_each_whatever_the_extension(tmp_path: Path) -> None:
    script = tmp_path / "strangers.fountain"
    script.write_text(STRANGERS, encoding="utf-8")
    root = new_production(tmp_path / "strangers", from_script=script)
    production = yingxi.open_production(root)
    names = [c.name for c in production.bible.characters]
    # extensions ignored, case ignored, aliases never guessed (MORROW is not DETECTIVE MORROW)
    assert names == ["DETECTIVE MORROW", "DR. ADA", "NO", "Mr. Sands", "林秋"]
    assert [c.id for c in production.bible.characters] == [
        "detective-morrow", "dr-ada", "no", "mr-sands", "role-1"]
    locations = {loc.name: loc for loc in production.bible.locations}
    assert list(locations) == ["CITY STREET", "MORROW'S APARTMENT", "皇宫大殿"]
    assert locations["CITY STREET"].kind == "city" and locations["CITY STREET"].weather == "clear"
    assert locations["MORROW'S APARTMENT"].kind == "home"
    assert (locations["皇宫大殿"].kind, locations["皇宫大殿"].era) == ("palace", "ancient")
    assert locations["皇宫大殿"].time_of_day == "dusk"
    screenplay = resolved(root)
    assert [d.speaker for d in screenplay.dialogue()] == [
        "detective-morrow", "dr-ada", "detective-morrow", "dr-ada", "no", "dr-ada", "mr-sands",
        "role-1"]
    # a production in Chinese (one line is), but each character speaks their own language
    assert production.config.language == "zh"
    assert [c.voice.voice for c in production.bible.characters] == ["en-us"] * 4 + ["cmn"]
    # the cue NO stays a string in YAML (not the boolean false)
    raw = yaml.safe_load((root / "bible.yaml").read_text(encoding="utf-8"))
    assert raw["characters"][2]["name"] == "NO"


def test_generated_looks_and_voices_are_distinct_and_stable() -> None:
    names = [f"PERSON {n}" for n in range(10)]
    cast_a = cast(names, language="en", era="modern")
    cast_b = cast(names, language="en", era="modern")
    assert cast_a == cast_b
    voices = [(c.voice.variant, c.voice.pitch) for c, _ in cast_a]
    assert len(set(voices)) == len(voices)
    assert len({c.look.palette[0] for c, _ in cast_a}) == len(names)
    genders = [c.voice.variant[0] for c, _ in cast_a if c.voice.variant]
    assert genders[::2] != genders[1::2] and len(set(genders[::2])) == 1  # alternating
    for gender in "fm":  # pitches of a gender stay apart while the range has room
        pitches = sorted(c.voice.pitch for c, _ in cast_a[:6]
                         if (c.voice.variant or "").startswith(gender))
        assert all(b - a >= 4 for a, b in itertools.pairwise(pitches))
    # a name keeps its look when the cast grows after it
    assert cast(["PERSON 0"], language="en", era="modern")[0][0].look == cast_a[0][0].look


@pytest.mark.parametrize(("place", "setting", "kind"), [
    ("OFFICE", "INT", "office"), ("DARK WOODS", "EXT", "forest"), ("FOREST", "EXT", "forest"),
    ("BEACH", "EXT", "shore"), ("RIVER BANK", "EXT", "shore"), ("BANK", "INT", "office"),
    ("LAKE HOUSE", "EXT", "shore"), ("LAKE HOUSE", "INT", "home"), ("江边", "外景", "shore"),
    ("山顶", "外景", "mountains"), ("皇宫", "内景", "palace"), ("CAFE", "INT", "home"),
    ("CAFE", "EXT", "city"), ("KITCHEN", "INT", "home"), ("老屋", "内景", "home"),
    ("村口", "外景", "village"),
    ("NOWHERE", "EXT", "city"), ("NOWHERE", "INT", "home"), ("湖心亭", "外景", "shore"),
])
def test_location_kinds(place: str, setting: str, kind: str) -> None:
    assert guess_place(place, setting, "").kind == kind


def test_times_and_eras() -> None:
    assert guess_place("古城墙", "外景", "夜").era == "ancient"
    assert guess_place("CITY", "EXT", "NIGHT").era == "modern"
    assert [guess_place("X", "EXT", t).time_of_day for t in ("DAY", "NIGHT", "黄昏", "清晨",
                                                              "CONTINUOUS", "")] == [
        "day", "night", "dusk", "dawn", None, None]


def test_a_script_without_dialogue_gets_a_placeholder_narrator(tmp_path: Path) -> None:
    script = tmp_path / "quiet.fountain"
    script.write_text("EXT. FIELD - DAY\n\nWind in the wheat.\n", encoding="utf-8")
    root = new_production(tmp_path / "quiet", from_script=script)
    [narrator] = yingxi.open_production(root).bible.characters
    assert narrator.id == "narrator" and "placeholder" in narrator.description
    resolved(root)


@pytest.mark.parametrize(("text", "line", "message"), [
    ("\n\n", 1, "empty"),
    ("Just action, no heading at all.\n", 1, "no scene heading"),
    ("EXT. FIELD - DAY\n", 1, "nothing to film"),
])
def test_bad_screenplays_fail_with_the_readers_error(tmp_path: Path, text: str, line: int,
                                                     message: str) -> None:
    script = tmp_path / "bad.fountain"
    script.write_text(text, encoding="utf-8")
    with pytest.raises(ScriptError, match=message) as err:
        new_production(tmp_path / "out", from_script=script)
    assert (err.value.file, err.value.line) == (str(script), line)
    assert not (tmp_path / "out").exists()
    assert [p.name for p in tmp_path.iterdir()] == ["bad.fountain"]  # no temporary folder


def test_missing_or_unreadable_script(tmp_path: Path) -> None:
    with pytest.raises(ScriptError, match="screenplay not found"):
        new_production(tmp_path / "out", from_script=tmp_path / "missing.fountain")
    bad = tmp_path / "latin1.fountain"
    bad.write_bytes(b"EXT. CAF\xc9 - DAY\n\nHi.\n")
    with pytest.raises(ScriptError, match="not UTF-8") as err:
        new_production(tmp_path / "out", from_script=bad)
    assert (err.value.line, err.value.column) == (1, 9)
    assert not (tmp_path / "out").exists()


def test_a_location_takes_the_first_time_any_of_its_headings_gives(tmp_path: Path) -> None:
    script = tmp_path / "t.fountain"
    script.write_text("INT. ROOM - CONTINUOUS\n\nA.\n\nINT. ROOM - NIGHT\n\nB.\n\n"
                      "EXT. YARD\n\nC.\n", encoding="utf-8")
    root = new_production(tmp_path / "t", from_script=script)
    times = {loc.name: loc.time_of_day for loc in yingxi.open_production(root).bible.locations}
    assert times == {"ROOM": "night", "YARD": "day"}


def test_a_heading_without_a_place_is_an_error_at_its_line(tmp_path: Path) -> None:
    script = tmp_path / "t.fountain"
    script.write_text("EXT. YARD - DAY\n\nA.\n\nINT. - NIGHT\n\nB.\n", encoding="utf-8")
    with pytest.raises(ScriptError, match="names no place") as err:
        new_production(tmp_path / "t", from_script=script)
    assert (err.value.file, err.value.line) == (str(script), 5)
    assert not (tmp_path / "t").exists()
