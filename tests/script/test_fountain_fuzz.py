"""Robustness: any text is a screenplay or a ScriptError with a position, never a crash or hang.

Random text is drawn from an alphabet heavy in Fountain's own syntax characters so the reader's
corner cases (forcing marks, notes, boneyard, dual cues, emphasis) meet each other; mutations
start from real scripts (the bundled examples) and break them line by line.
"""

from __future__ import annotations

import signal
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from yingxi.errors import ScriptError
from yingxi.script.fountain import parse_document, parse_fountain, write_fountain

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
SCRIPTS = sorted(p.read_text(encoding="utf-8") for p in EXAMPLES.glob("*/episodes/*.fountain"))

SYNTAX = [*".!@#=~>< ^*_\\/[]():：（）-\t\r\n", "\r\n", "  \n", "/*", "*/", "[[", "]]", "===",
          "INT. ", "EXT ", "内景 ", "CUT TO:", "(V.O.)", "BOB", "林秋", "Title:", "\ufeff"]
fountainish = st.lists(st.one_of(st.sampled_from(SYNTAX), st.text(max_size=6)), max_size=80) \
    .map("".join)
FUZZ = settings(max_examples=300, deadline=None,
                suppress_health_check=[HealthCheck.too_slow])


@contextmanager
def no_hang(seconds: int = 20) -> Iterator[None]:
    """Fail (instead of hanging the suite) if the reader loops; inputs here are tiny."""
    def alarm(signum: int, frame: object) -> None:
        raise AssertionError(f"the reader took over {seconds} s on a tiny input: a hang")
    previous = signal.signal(signal.SIGALRM, alarm)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def check(text: str) -> None:
    with no_hang():
        try:
            screenplay = parse_fountain(text, source="fuzz.fountain")
        except ScriptError as exc:
            assert exc.file == "fuzz.fountain"
            assert exc.line is not None and exc.line >= 1, exc
            assert exc.hint, exc
            return
    assert screenplay.scenes
    lines = max(1, text.count("\n") + 1)
    for scene in screenplay.scenes:
        assert 1 <= scene.heading.line <= lines + text.count("\r")


def same_elements(text: str) -> None:
    with no_hang():
        doc = parse_document(text)
        again = parse_document(write_fountain(doc))

    def key(d: object) -> list[tuple[object, ...]]:
        return [(e.type, e.text, e.character, e.extension, e.dual, e.scene_number, e.depth)
                for e in d.elements]  # type: ignore[attr-defined]
    assert key(again) == key(doc)
    assert again.title_dict() == doc.title_dict()


@FUZZ
@given(fountainish)
def test_random_text_reads_or_fails_with_a_position(text: str) -> None:
    check(text)


@FUZZ
@given(st.text(max_size=400))
def test_any_unicode_reads_or_fails_with_a_position(text: str) -> None:
    check(text)


@FUZZ
@given(fountainish)
@example(".#.#")  # a forced heading that is nothing but its scene number
@example(".\t.")  # a forced heading that starts with a dot
def test_written_fountain_reads_back_the_same(text: str) -> None:
    same_elements(text)


@st.composite
def mutated_script(draw: st.DrawFn) -> str:
    lines = draw(st.sampled_from(SCRIPTS)).split("\n")
    for _ in range(draw(st.integers(1, 6))):
        op = draw(st.sampled_from(["delete", "duplicate", "insert", "swap", "truncate",
                                   "blank", "join"]))
        i = draw(st.integers(0, max(0, len(lines) - 1)))
        if op == "delete" and len(lines) > 1:
            del lines[i]
        elif op == "duplicate":
            lines.insert(i, lines[i])
        elif op == "insert":
            lines.insert(i, draw(st.sampled_from(SYNTAX)) + draw(st.text(max_size=10)))
        elif op == "swap":
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        elif op == "truncate":
            lines[i] = lines[i][: draw(st.integers(0, len(lines[i])))]
        elif op == "blank":
            lines[i] = ""
        elif op == "join" and i + 1 < len(lines):
            lines[i : i + 2] = [lines[i] + lines[i + 1]]
    return "\n".join(lines)


@FUZZ
@given(mutated_script())
def test_mutated_scripts_read_or_fail_with_a_position(text: str) -> None:
    check(text)
    same_elements(text)


def test_a_long_line_is_read_in_linear_time() -> None:
    # regexes that backtrack would take minutes here
    with no_hang(10):
        parse_document("INT. X\n\n" + "(a)" * 50_000 + "x\nspeech\n")
        parse_document("*a_" * 50_000 + "\n")
        parse_document("INT. X #" + "#a" * 50_000 + "\n")
