"""Deliberate disagreements with a peer suite: case id -> why yingxi reads it differently.

A case belongs here only where the peers contradict each other or the Fountain spec
(https://fountain.io/syntax) is ambiguous or silent, never to hide a parser bug.
``tests/script/test_conformance.py`` fails when a case disagrees and is not listed here, and
when a listed case agrees again. ``docs/fountain.md`` repeats this table; keep them in sync.
"""

from __future__ import annotations

DEVIATIONS: dict[str, str] = {
    "jouvence/test_lyrics#2": (
        "'~This is lyrics' followed by a plain line in one paragraph: Jouvence reads the whole "
        "paragraph as action unless every line starts with '~'; fountain-tools (Lyrics) reads "
        "each '~' line as lyrics wherever it stands, as the spec words it ('start a line with "
        "a tilde'). yingxi follows the spec: lyrics, then action."),
    "jouvence/test_transitions#3": (
        "'NOT A TRANSITION TO:' with two trailing spaces: Jouvence lets trailing spaces after "
        "'TO:' turn the line into action. The spec says nothing of trailing whitespace, which "
        "is invisible in an editor; yingxi ignores it and reads a transition."),
    "fountain_tools/Boneyards": (
        "'CUT TO:' followed directly by a /* boneyard */ and then a heading: fountain-tools "
        "leaves a placeholder line for the boneyard, so 'CUT TO:' has no blank line after it "
        "and is action; screenplain (tests/boneyard) and Jouvence remove the boneyard first, "
        "and screenplain reads a transition. The spec does not say whether a boneyard counts "
        "as a line; yingxi removes it, as screenplain does (a boneyard that spans blank "
        "lines still parts the paragraphs around it)."),
    "fountain_tools/Character": (
        "'3CPO' as a cue: fountain-tools wants a cue to start with a letter; the spec only asks "
        "for 'at least one alphabetical character' ('R2D2' works, '23' does not), so yingxi "
        "reads a cue."),
    "fountain_tools/Notes": (
        "fountain-tools carries JACK's dialogue on past a blank line into the following "
        "paragraphs, and takes '[[This ... Shouldn't work.' for a note although a blank line "
        "breaks it; the spec ends dialogue at a blank line and lets a note span only lines "
        "joined by two spaces."),
    "fountain_tools/Parenthetical": (
        "'(bouncy)' on the line right after the parenthetical '(loudly)': fountain-tools "
        "starts the dialogue there; screenplain reads every '(...)' line inside speech as a "
        "parenthetical. The spec only says parentheticals follow a character or dialogue; "
        "yingxi reads two parentheticals."),
    "fountain_tools/Sections": (
        "The file opens with 'CUT TO:' and a blank line: fountain-tools takes it for a "
        "title-page key with no value. The spec does not say when a bare 'KEY:' starts a "
        "title page; yingxi needs a value, indented lines or another key below it, so a lone "
        "'CUT TO:' (like 'FADE IN:') is a transition."),
    "aw_parser/sample": (
        "Nested boneyard '/* ... /* nested */ ... */': aw-parser nests boneyards and removes "
        "up to the outer '*/'; screenplain, Jouvence and fountain-tools close a boneyard at "
        "the first '*/', as C comments do. The spec does not mention nesting; yingxi closes "
        "at the first '*/', so the rest of the outer boneyard is text."),
}
