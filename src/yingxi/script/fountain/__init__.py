"""Fountain: read screenplays as writers write them, interpret them, and write them back.

- :func:`parse_document` reads Fountain 1.1 text into a :class:`FountainDocument` (every
  element with its line and column, markup kept);
- :func:`parse_fountain` / :func:`read_fountain` go on to the :class:`Screenplay` the
  pipeline films (scenes, plain text);
- :func:`write_fountain` writes a document back out.
"""

from __future__ import annotations

from pathlib import Path

from yingxi.errors import ScriptError
from yingxi.schema.screenplay import Screenplay
from yingxi.script.fountain.elements import (
    ELEMENT_TYPES,
    ElementType,
    FountainDocument,
    FountainElement,
    TitleEntry,
)
from yingxi.script.fountain.inline import plain
from yingxi.script.fountain.parser import parse_body, parse_document
from yingxi.script.fountain.screenplay import CARRY_OVER, TIME_WORDS, time_of_day, to_screenplay
from yingxi.script.fountain.writer import write_fountain
from yingxi.script.textfile import decode_text

__all__ = [
    "CARRY_OVER", "ELEMENT_TYPES", "TIME_WORDS", "ElementType", "FountainDocument",
    "FountainElement", "TitleEntry", "parse_body", "parse_document", "parse_fountain", "plain",
    "read_fountain", "read_fountain_file", "read_fountain_text", "time_of_day", "to_screenplay",
    "write_fountain",
]


def parse_fountain(text: str, source: str = "<string>") -> Screenplay:
    """Parse Fountain text into the :class:`Screenplay` yingxi films."""
    return to_screenplay(parse_document(text, source))


def read_fountain(path: Path) -> Screenplay:
    """Read and parse a Fountain file."""
    return parse_fountain(read_fountain_text(path), source=str(path))


def read_fountain_text(path: Path) -> str:
    """The text of a Fountain file; clear errors when it is missing or not text."""
    return read_fountain_file(path)[1]


def read_fountain_file(path: Path) -> tuple[bytes, str]:
    """The bytes and text of a Fountain file (UTF-8, or UTF-16 with a byte-order mark)."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ScriptError("screenplay not found", file=path,
                          hint="check the path; episodes live in PRODUCTION/episodes/*.fountain"
                          ) from None
    except IsADirectoryError:
        raise ScriptError("this is a folder, not a screenplay", file=path,
                          hint="give the path of a .fountain file") from None
    except OSError as exc:
        raise ScriptError(f"cannot read the screenplay: {exc.strerror}", file=path) from None
    return raw, decode_text(raw, path)
