"""The Fountain reader: the elements a short drama needs, with their source lines."""

from __future__ import annotations

import pytest

from yingxi.errors import ScriptError
from yingxi.schema.screenplay import Action, Dialogue, Transition
from yingxi.script.fountain import parse_fountain


def test_scene_headings_english_chinese_forced_and_numbered() -> None:
    text = ("INT. KITCHEN - NIGHT #12A#\n\nHi.\n\n外景 江边 - 黄昏\n\nHi.\n\n"
            ".OUTER SPACE\n\nHi.\n\nI/E CAR - DAY\n\nHi.\n")
    sp = parse_fountain(text)
    headings = [s.heading for s in sp.scenes]
    assert [(h.setting, h.place, h.time) for h in headings] == [
        ("INT", "KITCHEN", "NIGHT"), ("外景", "江边", "黄昏"), ("", "OUTER SPACE", ""),
        ("I/E", "CAR", "DAY")]
    assert headings[0].number == "12A"
    assert [h.line for h in headings] == [1, 5, 9, 13]


def test_dialogue_cues_extensions_parentheticals() -> None:
    text = ("EXT. PARK - DAY\n\nMARY (V.O.)\n(quietly)\nHello there.\nHow are you?\n\n"
            "林秋\n（轻声）\n你来了。\n\n@McCLANE\nYippee.\n\nBOB ^\nTogether.\n")
    lines = parse_fountain(text).dialogue()
    assert [(d.cue, d.extension, d.parenthetical) for d in lines] == [
        ("MARY", "V.O.", "quietly"), ("林秋", None, "轻声"), ("McCLANE", None, None),
        ("BOB", None, None)]
    assert lines[0].text == "Hello there.\nHow are you?"
    assert [d.line for d in lines] == [3, 8, 12, 15]


def test_parenthetical_after_speech_starts_a_new_beat() -> None:
    sp = parse_fountain("INT. ROOM - DAY\n\nANN\nWait.\n(beat)\nNo.\n")
    first, second = sp.dialogue()
    assert (first.text, first.parenthetical) == ("Wait.", None)
    assert (second.text, second.parenthetical, second.line) == ("No.", "beat", 5)


def test_actions_transitions_and_what_is_not_a_cue() -> None:
    text = ("内景 房间 - 夜\n\n他推门进来。\n\n!SHOUTING IN ACTION\nstill action\n\n"
            "CUT TO:\n\n> FADE TO WHITE.\n\n淡出。\n\n> THE END <\n")
    elements = parse_fountain(text).scenes[0].elements
    kinds = [(type(e).__name__, e.text) for e in elements]
    assert kinds == [
        ("Action", "他推门进来。"), ("Action", "SHOUTING IN ACTION\nstill action"),
        ("Transition", "CUT TO:"), ("Transition", "FADE TO WHITE."), ("Transition", "淡出。"),
        ("Action", "THE END")]


def test_notes_boneyard_and_line_endings_keep_line_numbers() -> None:
    text = ("\ufeffTitle: Test\r\nAuthor: Me\r\n\r\nINT. ROOM - DAY\r\n\r\n/* cut this\r\n"
            "and this */\r\nShe waits. [[a note\r\nover two lines]]\r\n\r\nBOB\r\nHi.\r\n")
    sp = parse_fountain(text)
    assert sp.title_page == {"title": "Test", "author": "Me"}
    action, line = sp.scenes[0].elements
    assert isinstance(action, Action) and action.text.strip() == "She waits."
    assert isinstance(line, Dialogue) and line.line == 11


def test_emphasis_is_removed_and_escapes_kept() -> None:
    sp = parse_fountain("INT. ROOM - DAY\n\nShe is **very** _sure_ \\*not\\* sad.\n")
    assert sp.scenes[0].elements[0].text == "She is very sure *not* sad."


def test_sections_synopses_page_breaks_are_skipped() -> None:
    sp = parse_fountain("# Act one\n\n= the setup\n\nINT. ROOM - DAY\n\n===\n\nIt rains.\n")
    assert [e.text for e in sp.scenes[0].elements] == ["It rains."]


def test_transition_before_first_scene_opens_it() -> None:
    sp = parse_fountain("FADE IN:\n\nINT. ROOM - DAY\n\nIt rains.\n")
    first = sp.scenes[0].elements[0]
    assert isinstance(first, Transition) and first.text == "FADE IN:"


@pytest.mark.parametrize(("text", "line", "needle"), [
    ("Just action.\n", 1, "no scene heading"),
    ("", 1, "empty"),
    ("Title: Only a title\n", 2, "no scene heading, only a title page"),
    ("INT. ROOM - DAY\n\n@BOB\n", 3, None),
])
def test_errors_point_to_the_line(text: str, line: int, needle: str | None) -> None:
    if needle is None:  # a lone forced cue with nothing under it is action, not an error
        assert isinstance(parse_fountain(text).scenes[0].elements[0], Action)
        return
    with pytest.raises(ScriptError) as info:
        parse_fountain(text, source="ep.fountain")
    assert info.value.line == line
    assert info.value.file == "ep.fountain"
    assert needle in info.value.message
