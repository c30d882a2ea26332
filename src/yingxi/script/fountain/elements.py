"""The Fountain document model: a title page and a flat list of typed elements.

This is Fountain as writers write it, before yingxi interprets it: every element keeps its
source line and column, its emphasis markup (``*italic*``, ``**bold**``, ``_underline_``)
and its extensions, so a document can be written back out (:mod:`.writer`) and compared with
other Fountain tools. :mod:`.screenplay` turns it into the scenes the pipeline films.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from yingxi.schema.base import Document, Schema

ElementType = Literal[
    "scene_heading", "action", "character", "dialogue", "parenthetical", "transition",
    "centered", "lyrics", "section", "synopsis", "page_break",
]
ELEMENT_TYPES: tuple[ElementType, ...] = (
    "scene_heading", "action", "character", "dialogue", "parenthetical", "transition",
    "centered", "lyrics", "section", "synopsis", "page_break",
)
Dual = Literal["left", "right"]


class TitleEntry(Schema):
    """One key of the title page, e.g. ``Title: BRICK & STEEL``; values may span lines."""

    key: str                     # as written ("Draft date")
    value: str                   # lines joined with "\n", markup kept
    line: int
    column: int = 1


class FountainElement(Schema):
    """One element of the body.

    ``text`` is the element's text without Fountain's syntax characters (the forcing
    ``.``/``!``/``@``/``>``/``~``, the ``> <`` of centered text, the ``#`` of sections, the
    ``=`` of synopses, a heading's ``#1A#`` scene number, a cue's extensions and ``^``) but
    with emphasis markup kept; notes ``[[ ]]`` and boneyard ``/* */`` are removed.
    Parentheticals keep their brackets. Lines of a multi-line element are joined with
    ``"\\n"``; action keeps its indentation.
    """

    type: ElementType
    text: str
    line: int = Field(ge=1, description="1-based source line of the element's first line")
    column: int = Field(1, ge=1, description="1-based column of its first character")
    character: str | None = None      # character / dialogue / parenthetical: who speaks
    extension: str | None = None      # character: "(V.O.)", "(O.S.) (CONT'D)" as written
    dual: Dual | None = None          # character / dialogue / parenthetical of a ^ pair
    scene_number: str | None = None   # scene_heading: "1A" from "#1A#"
    depth: int | None = None          # section: number of '#'
    forced: bool = False              # written with a forcing character (. ! @ > ~)

    def to_json(self) -> dict[str, Any]:
        """The element as ``yingxi check --json`` prints it (unset fields left out)."""
        out: dict[str, Any] = {"type": self.type, "text": self.text, "line": self.line,
                               "column": self.column}
        for key in ("character", "extension", "dual", "scene_number", "depth"):
            value = getattr(self, key)
            if value is not None:
                out[key] = value
        return out


class FountainDocument(Document):
    """A parsed Fountain file: title page entries and body elements, in source order."""

    SCHEMA = "yingxi.FountainDocument/1"

    source: str = ""
    title_page: list[TitleEntry] = Field(default_factory=list)
    elements: list[FountainElement] = Field(default_factory=list)

    def title_dict(self) -> dict[str, str]:
        """The title page as ``{lower-case key: value}`` (a repeated key keeps the last)."""
        return {e.key.lower(): e.value for e in self.title_page}

    def to_json(self) -> dict[str, Any]:
        """The document as ``yingxi check --json`` prints it."""
        return {"title_page": self.title_dict(),
                "elements": [e.to_json() for e in self.elements]}
