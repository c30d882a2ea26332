"""A poem becomes a narrated production: one scene per line, sets from the imagery."""

from __future__ import annotations

from pathlib import Path

import pytest

import yingxi
from tests.conftest import EXAMPLES
from tests.scaffold.util import resolved
from yingxi.errors import ScriptError
from yingxi.scaffold import build_poem, new_production, parse_poem
from yingxi.schema.screenplay import Action, Transition

JING_YE_SI = EXAMPLES / "poems" / "jing-ye-si.txt"
EAGLE = EXAMPLES / "poems" / "the-eagle.txt"


def test_jing_ye_si_production(tmp_path: Path) -> None:
    root = new_production(tmp_path / "jys", from_poem=JING_YE_SI)
    screenplay = resolved(root)
    assert screenplay.title_page == {"title": "静夜思", "author": "唐·李白"}
    lines = screenplay.dialogue()
    assert [d.text for d in lines] == ["床前明月光，", "疑是地上霜。", "举头望明月，",
                                       "低头思故乡。"]
    assert {(d.cue, d.extension, d.speaker) for d in lines} == {("旁白", "V.O.", "narrator")}
    assert len(screenplay.scenes) == 4  # one scene per line
    places = [s.heading.location for s in screenplay.scenes]
    assert places == ["home-moon", "home-frost", "home-moon", "village-moon"]  # reused
    assert {s.heading.time_of_day for s in screenplay.scenes} == {"night"}
    opening = screenplay.scenes[0].elements[0]
    assert isinstance(opening, Action) and "静夜思" in opening.text and "李白" in opening.text
    last = screenplay.scenes[-1].elements[-1]
    assert isinstance(last, Transition) and last.text == "FADE OUT."
    production = yingxi.open_production(root)
    assert production.config.language == "zh" and production.config.title == "静夜思"
    locations = {loc.id: loc for loc in production.bible.locations}
    assert locations["home-moon"].motifs == ["moon"]
    assert locations["home-frost"].motifs == ["frost"]
    assert (locations["village-moon"].kind, locations["village-moon"].era) == ("village",
                                                                               "ancient")
    narrator = production.bible.characters[0]
    assert (narrator.voice.voice, narrator.voice.pitch) == ("cmn", 34)
    assert narrator.voice.rate < 150  # slower than the characters of the examples
    bible = (root / "bible.yaml").read_text(encoding="utf-8")
    assert "# generated from the poem" in bible


def test_english_poem_is_modern_and_fades_between_stanzas(tmp_path: Path) -> None:
    root = new_production(tmp_path / "eagle", from_poem=EAGLE)
    screenplay = resolved(root)
    lines = screenplay.dialogue()
    assert [d.cue for d in lines] == ["NARRATOR"] * 6
    assert lines[0].text == "He clasps the crag with crooked hands;"
    transitions = [e.text for s in screenplay.scenes for e in s.elements
                   if isinstance(e, Transition)]
    assert transitions == ["DISSOLVE TO:", "DISSOLVE TO:", "FADE OUT.", "DISSOLVE TO:",
                           "DISSOLVE TO:", "FADE OUT."]
    production = yingxi.open_production(root)
    assert production.config.language == "en"
    assert {loc.era for loc in production.bible.locations} == {"modern"}
    assert [s.heading.location for s in screenplay.scenes][3] == "shore"  # the sea


def test_couplets_pair_lines_inside_stanzas(tmp_path: Path) -> None:
    root = new_production(tmp_path / "eagle", from_poem=EAGLE, couplets=True)
    lines = resolved(root).dialogue()
    assert [d.text.count("\n") + 1 for d in lines] == [2, 1, 2, 1]  # stanzas of three
    assert lines[0].text == ("He clasps the crag with crooked hands;\n"
                             "Close to the sun in lonely lands,")
    made = build_poem(parse_poem(JING_YE_SI.read_text(encoding="utf-8")), couplets=True)
    assert [s.text for s in made.shots] == ["床前明月光，\n疑是地上霜。",
                                            "举头望明月，\n低头思故乡。"]
    assert made.shots[0].imagery.motifs == ("moon", "frost")


def test_markup_characters_in_verse_survive(tmp_path: Path) -> None:
    poem = tmp_path / "marks.txt"
    poem.write_text("Marks\n\nThe *moon* and _snow_ fall.\n~ a tilde line\n", encoding="utf-8")
    root = new_production(tmp_path / "marks", from_poem=poem)
    assert next(d.text for d in resolved(root).dialogue()) == "The *moon* and _snow_ fall."


def test_a_first_line_without_imagery_is_a_calm_landscape(tmp_path: Path) -> None:
    poem = tmp_path / "plain.txt"
    poem.write_text("Plain\n\nI have nothing to say\nAnd I am saying it\n", encoding="utf-8")
    root = new_production(tmp_path / "plain", from_poem=poem)
    production = yingxi.open_production(root)
    [loc] = production.bible.locations
    assert (loc.kind, loc.time_of_day, loc.weather, loc.mood) == ("mountains", "day", "clear",
                                                                  "calm")


def test_a_bracketed_verse_line_is_refused_with_its_position(tmp_path: Path) -> None:
    poem = tmp_path / "brackets.txt"
    poem.write_text("T\n\nA line\n  (an aside)\n", encoding="utf-8")
    with pytest.raises(ScriptError) as err:
        new_production(tmp_path / "out", from_poem=poem)
    assert (err.value.line, err.value.column) == (4, 3)
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("poem", sorted((EXAMPLES / "poems").glob("*.txt")), ids=lambda p: p.stem)
def test_every_example_poem_makes_a_production(tmp_path: Path, poem: Path) -> None:
    for couplets in (False, True):
        root = new_production(tmp_path / f"{poem.stem}-{couplets}", from_poem=poem,
                              couplets=couplets)
        assert resolved(root).dialogue()


def test_feng_qiao_ye_bo_paints_its_things() -> None:
    made = build_poem(parse_poem((EXAMPLES / "poems" / "feng-qiao-ye-bo.txt")
                                 .read_text(encoding="utf-8")))
    assert [s.location.motifs for s in made.shots] == [
        ["moon", "frost"], ["boat", "lantern"], ["pagoda"], ["bell", "boat"]]
    assert [s.location.kind for s in made.shots] == ["mountains", "shore", "city", "shore"]
    assert {s.location.mood for s in made.shots} == {"mysterious"}  # 钟, 寺 over 愁
