"""The imagery table: what a line of verse puts in the picture."""

from __future__ import annotations

import pytest

from yingxi.scaffold.imagery import (
    CALM_LANDSCAPE,
    VOCABULARY,
    find_words,
    imagery_of,
    poem_imagery,
    poem_mood,
)
from yingxi.schema.bible import Location

JING_YE_SI = ["床前明月光，", "疑是地上霜。", "举头望明月，", "低头思故乡。"]


def test_jing_ye_si_room_moon_frost_moon_village() -> None:
    first, second, third, fourth = poem_imagery(JING_YE_SI)
    assert (first.kind, first.time_of_day, first.motifs) == ("home", "night", ("moon",))
    assert first.words == ("床", "明月")  # 明月 is one word, not 明 + 月
    # frost names no place and no time: the room at night carries over
    assert (second.kind, second.time_of_day, second.motifs) == ("home", "night", ("frost",))
    assert third.place == first.place  # the same picture: the same location
    assert (fourth.kind, fourth.time_of_day) == ("village", "night")
    assert fourth.motifs == ("moon",)  # names no thing of its own: the moon stays
    assert poem_mood([first, second, third, fourth]) == "sad"  # 思


def test_a_place_word_beats_a_suggested_kind() -> None:
    # 舟 suggests a shore, 山 names the mountains
    image = imagery_of("轻舟已过万重山。")
    assert (image.kind, image.motifs) == ("mountains", ("boat",))
    assert imagery_of("孤舟蓑笠翁，").kind == "shore"


def test_time_words_beat_suggested_times() -> None:
    assert imagery_of("明月照黄昏").time_of_day == "dusk"  # 黄昏 names it; 月 only suggests
    assert imagery_of("月落乌啼霜满天").time_of_day == "night"


def test_english_words_plurals_and_case() -> None:
    image = imagery_of("The Moon shines on the willows by the River")
    assert (image.kind, image.time_of_day) == ("shore", "night")
    assert image.motifs == ("moon", "willow")
    assert imagery_of("Geese over the misty lake").weather == "mist"
    assert imagery_of("the church bells ring").motifs == ("bell",)
    assert find_words("crescent") == []  # no partial words: 'crescent' is not 'cres'+'cent'


def test_lines_without_known_words_inherit_and_the_first_falls_back() -> None:
    first = imagery_of("Whose woods these are I think I know.")
    again = imagery_of("His house is in the village though;", first)
    unknown = imagery_of("He will not see me stopping here", again)
    assert first.kind == "forest"
    assert again.kind == "home"  # the first of two place words
    assert unknown.place == again.place and unknown.words == ()
    assert imagery_of("Nothing named here") == CALM_LANDSCAPE


def test_weather_and_motifs_are_capped() -> None:
    image = imagery_of("明月孤舟杨柳钟声梅花小桥雨")
    assert len(image.motifs) == 4
    assert image.weather == "rain"


def test_every_row_fits_the_bible_schema() -> None:
    for row in VOCABULARY:
        assert row.words
        Location(id="x", name="x", kind=row.kind or "home", time_of_day=row.time or "day",
                 weather=row.weather or "clear", motifs=list(row.motifs))


@pytest.mark.parametrize(("line", "kind"), [
    ("白日依山尽", "mountains"), ("黄河入海流", "shore"), ("空山新雨后", "mountains"),
    ("独坐幽篁里，深林人不知", "forest"), ("长安一片月", "city"), ("故人西辞黄鹤楼", "city"),
])
def test_classic_lines(line: str, kind: str) -> None:
    assert imagery_of(line).kind == kind
