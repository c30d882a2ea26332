"""Fountain's inline syntax: notes and boneyard removal, emphasis markup, escapes.

Notes ``[[ ]]`` and boneyard ``/* */`` may span lines; they are removed before elements are
recognised, keeping every newline so line numbers still point into the file the writer has.
"""

from __future__ import annotations

import re

# Emphasis pairs, longest first: ***bold italic***, **bold**, *italic*, _underline_.
# A marker must touch the text it wraps ("* not emphasis *" stays as written) and may not be
# escaped with a backslash.
_PAIRS = (
    re.compile(r"(?<!\\)\*\*\*(?=\S)(.+?)(?<=\S)(?<!\\)\*\*\*", re.S),
    re.compile(r"(?<!\\)\*\*(?=\S)(.+?)(?<=\S)(?<!\\)\*\*", re.S),
    re.compile(r"(?<!\\)\*(?=\S)(.+?)(?<=\S)(?<!\\)\*", re.S),
    re.compile(r"(?<!\\)_(?=\S)(.+?)(?<=\S)(?<!\\)_", re.S),
)
_ESCAPE = re.compile(r"\\([*_\\])")


def plain(text: str) -> str:
    """Text without emphasis markup; ``\\*`` and ``\\_`` become literal ``*`` and ``_``."""
    if "*" in text or "_" in text:
        for pattern in _PAIRS:
            previous = None
            while previous != text:  # nested emphasis: **_both_**
                previous, text = text, pattern.sub(r"\1", text)
    if "\\" in text:
        text = _ESCAPE.sub(r"\1", text)
    return text


def strip_comments(text: str) -> list[tuple[int, str]]:
    """Remove boneyard and notes; return the remaining lines with their source line numbers.

    A note or boneyard that spans lines joins the text before it to the text after it
    (``Before [[a\nnote]] after`` is one line, ``Before after``). A line that had content and
    lost all of it vanishes: it neither separates paragraphs nor adds to them, unless the
    removed span held a blank line (a boneyard around whole paragraphs). A note may not
    span a truly blank line (the spec: connect with two spaces), and an unterminated ``/*`` or
    ``[[`` is literal text, as in other Fountain tools.
    """
    for marker in (_NEWLINE_GONE, _REMOVED, _BREAK):
        text = text.replace(marker, "")
    if "/*" in text or "[[" in text:
        text = _remove_spans(text)
    lines: list[tuple[int, str]] = []
    number = 1
    for raw in text.split("\n"):
        gone = raw.count(_NEWLINE_GONE)
        removed = gone or _REMOVED in raw
        clean = raw
        if removed:
            for marker in (_NEWLINE_GONE, _REMOVED, _BREAK):
                clean = clean.replace(marker, "")
        if not clean.strip() and removed and _BREAK in raw:
            lines.append((number, ""))  # a span that held blank lines still parts paragraphs
        elif not (removed and not clean.strip()):
            lines.append((number, clean))
        number += 1 + gone
    return lines


# Markers left where text was removed; control characters no screenplay contains (any in the
# input are dropped first).
_NEWLINE_GONE = "\x01"
_REMOVED = "\x02"
_BREAK = "\x03"
_BLANK_LINE = re.compile(r"\n(?!  )[ \t]*\n")  # "  " (two spaces) connects; others break


def _remove_spans(text: str) -> str:
    out: list[str] = []
    found: dict[str, int] = {}  # token -> its next position (searches only move forward)

    def find(token: str, at: int) -> int:
        pos = found.get(token, -2)
        if pos != -1 and pos < at:
            pos = found[token] = text.find(token, at)
        return pos

    def blank_line(at: int) -> int:
        pos = found.get("", -2)
        if pos != -1 and pos < at:
            match = _BLANK_LINE.search(text, at)
            pos = found[""] = match.start() if match else -1
        return pos

    i = 0
    while True:
        bone, note = find("/*", i), find("[[", i)
        start = min(p for p in (bone, note) if p >= 0) if bone >= 0 or note >= 0 else -1
        if start < 0:
            out.append(text[i:])
            return "".join(out)
        is_note = start == note
        close = "]]" if is_note else "*/"
        end = find(close, start + 2)
        if end < 0 or (is_note and -1 < blank_line(start) < end):
            out.append(text[i:start + 2])  # not a span: keep the opener as text
            i = start + 2
            continue
        head = text[i:start]
        tail = end + len(close)
        # "word [[note]] word" keeps one space; "[[note]] Word" at a line start keeps none
        at_line_start = start == 0 or text[start - 1] == "\n"
        if text[tail:tail + 1] == " " and (head.endswith(" ") or at_line_start):
            tail += 1
        out.append(head)
        parts = -1 < blank_line(start) < end  # the span held a blank line
        out.append(_NEWLINE_GONE * text.count("\n", start, end) + (_BREAK if parts else _REMOVED))
        i = tail
