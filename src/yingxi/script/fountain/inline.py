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


def strip_comments(text: str) -> tuple[str, list[bool]]:
    """Remove boneyard and notes; return the text and, per line, whether it vanished.

    A line "vanishes" when it had content and all of it was a note or boneyard: such a line
    neither separates paragraphs (it is not a blank line) nor adds to them. An unterminated
    ``/*`` or ``[[`` is literal text, as in other Fountain tools.
    """
    if "/*" not in text and "[[" not in text:
        return text, [False] * (text.count("\n") + 1)
    cleaned = _remove_spans(_remove_spans(text, "/*", "*/"), "[[", "]]")
    vanished = [bool(before.strip()) and not after.strip()
                for before, after in zip(text.split("\n"), cleaned.split("\n"), strict=True)]
    return cleaned, vanished


def _remove_spans(text: str, open_: str, close: str) -> str:
    out: list[str] = []
    i = 0
    while True:
        start = text.find(open_, i)
        end = text.find(close, start + len(open_)) if start >= 0 else -1
        if start < 0 or end < 0:
            out.append(text[i:])
            return "".join(out)
        head = text[i:start]
        tail_start = end + len(close)
        # "word [[note]] word" leaves one space, not two
        if head.endswith(" ") and text[tail_start:tail_start + 1] == " ":
            head = head[:-1]
        out.append(head)
        out.append("\n" * text.count("\n", start, end))
        i = tail_start
