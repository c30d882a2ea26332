"""screenplain (vilcans/screenplain): expected HTML and FDX output -> the common form.

``tests/NAME.fountain`` has ``NAME.html`` (``screenplain --bare``) and sometimes ``NAME.fdx``;
``examples/`` has full HTML and FDX of the three fountain.io samples. Each (input, expectation
file) pair is one case.

HTML (parsed with the stdlib :mod:`html.parser`):

* ``<h6>`` is a scene heading; its ``<span class="scnuml">`` holds the scene number (the
  ``scnumr`` copy is skipped). ``<h1>``..``<h5>`` are sections of that depth, and a
  ``<span class="hN-synopsis">`` after a heading or section is a synopsis.
* ``<div class="action">`` is action (``<br/>`` is a line break), ``"action centered"`` is
  centered text, ``<div class="transition">`` a transition.
* ``<div class="dialog">``: ``<p class="character">`` is the cue (name and extension written
  together; split here), ``<p class="parenthetical">`` a parenthetical line, and each other
  ``<p>`` one line of dialogue; consecutive dialogue lines are joined with ``"\\n"``, as yingxi
  joins them, and a parenthetical spans lines from one starting ``(`` to one ending ``)``
  (screenplain's own rule). ``<div class="dual">`` holds a ``left`` and a ``right`` block.
* ``class="page-break"`` on a block means a page break before it.
* ``&nbsp;`` is screenplain's rendering of a second space; it becomes a space again.

FDX (``xml.etree``): ``<Paragraph Type=...>`` with ``<Text>`` runs; an ``Alignment="Center"``
action is centered; a ``<DualDialogue>`` holds the left then the right block. FDX has no
sections, synopses, page breaks or scene numbers, so those are not compared.

For both, emphasis is compared as plain text (see :mod:`.model`), with screenplain's rules in
:func:`strip_emphasis`; whitespace is folded as upstream's ``clean_string`` folds it; scene
headings and transitions are compared upper-cased, as screenplain upper-cases them.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path

from tests.script.conformance.model import (
    ELEMENT_TYPES,
    Case,
    Norm,
    Projection,
    attach_speakers,
    split_cue,
)

SUITE = "screenplain"

# screenplain/richstring.py, applied per line in its order: bold, italic, underline.
_BOLD = re.compile(r"\*\*(?=\S)(.+?[*_]*)(?<=\S)\*\*")
_ITALIC = re.compile(r"\*(?=\S)(.+)(?<=\S)\*(?!\*)")
_UNDERLINE = re.compile(r"_(?=\S)([^_]+)(?<=\S)_")


def strip_emphasis(line: str) -> str:
    """Remove emphasis markup from one line the way screenplain interprets it."""
    for pattern in (_BOLD, _ITALIC, _UNDERLINE):
        line = pattern.sub(r"\1", line)
    return line


HTML_PROJECTION = Projection(
    fields=frozenset({"extension", "dual", "scene_number", "depth"}),
    fold_whitespace=True, upper=frozenset({"scene_heading", "transition"}),
    merge=frozenset({"centered"}),
    strip_emphasis=strip_emphasis)
FDX_PROJECTION = replace(
    HTML_PROJECTION, types=ELEMENT_TYPES - {"section", "synopsis", "page_break"},
    fields=frozenset({"extension", "dual"}))


def _speech(lines: list[tuple[str, str]], dual: str | None) -> list[Norm]:
    """A dialogue block's ``(kind, text)`` lines -> cue, parentheticals and dialogue."""
    out: list[Norm] = []
    open_paren = False
    for kind, text in lines:
        if kind == "character":
            name, extension = split_cue(text)
            out.append(Norm("character", name, extension=extension, dual=dual))
            continue
        if kind == "parenthetical":
            if open_paren and out and out[-1].type == "parenthetical":
                out[-1] = replace(out[-1], text=f"{out[-1].text}\n{text}")
            else:
                out.append(Norm("parenthetical", text, dual=dual))
            open_paren = not text.rstrip().endswith(")")
            continue
        if out and out[-1].type == "dialogue":
            out[-1] = replace(out[-1], text=f"{out[-1].text}\n{text}")
        else:
            out.append(Norm("dialogue", text, dual=dual))
    return out


class _HtmlReader(HTMLParser):
    """Collects blocks from screenplain's HTML."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[Norm] = []
        self.kind: str | None = None       # block being read
        self.buffer: list[str] = []
        self.depth = 0
        self.number: str | None = None
        self.in_number: str | None = None  # "scnuml" / "scnumr"
        self.number_at = 0                 # where the scene number's text starts in buffer
        self.dual: str | None = None
        self.speech: list[tuple[str, str]] = []
        self.line_kind: str | None = None  # <p> inside a dialogue block
        self.skip = 0                      # inside <head>

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        classes = (dict(attrs).get("class") or "").split()
        if tag in ("head", "style", "title", "script"):
            self.skip += 1
            return
        if "page-break" in classes:
            self.elements.append(Norm("page_break", ""))
        if tag == "span" and classes and classes[0] in ("scnuml", "scnumr"):
            self.in_number, self.number_at = classes[0], len(self.buffer)
            return
        if tag == "span" and classes and classes[0].endswith("-synopsis"):
            self._begin("synopsis")
        elif tag == "h6":
            self._begin("scene_heading")
            self.number = None
        elif re.fullmatch(r"h[1-5]", tag):
            self._begin("section")
            self.depth = int(tag[1])
        elif tag == "div" and "dual" in classes:
            self.dual = "left"
        elif tag == "div" and ("left" in classes or "right" in classes):
            self.dual = "left" if "left" in classes else "right"
            self.speech = []
        elif tag == "div" and "dialog" in classes:
            self.speech = []
        elif tag == "div" and "action" in classes:
            self._begin("centered" if "centered" in classes else "action")
        elif tag == "div" and "transition" in classes:
            self._begin("transition")
        elif tag == "p" and self.kind is None:
            self.line_kind = classes[0] if classes else "dialogue"
            self.buffer = []
        elif tag == "br" and self.kind in ("action", "centered"):
            self.buffer.append("\n")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("head", "style", "title", "script"):
            self.skip -= 1
        elif tag == "span" and self.in_number is not None:
            text = "".join(self.buffer[self.number_at:])
            del self.buffer[self.number_at:]
            if self.in_number == "scnuml":
                self.number = text.strip()
            self.in_number = None
        elif tag == "span" and self.kind == "synopsis":
            self._end()
        elif tag == "h6" and self.kind == "scene_heading":
            self._end(scene_number=self.number)
        elif re.fullmatch(r"h[1-5]", tag) and self.kind == "section":
            self._end(depth=self.depth)
        elif tag == "p" and self.line_kind is not None:
            self.speech.append((self.line_kind, "".join(self.buffer)))
            self.line_kind = None
        elif tag == "p" and self.kind in ("action", "centered"):
            self.buffer.append("\n")
        elif tag == "div":
            if self.kind in ("action", "centered", "transition"):
                self._end()
            elif self.speech:
                self.elements.extend(_speech(self.speech, self.dual))
                self.speech = []
            elif self.dual is not None and self.line_kind is None:
                self.dual = None if self.dual == "right" else self.dual

    def handle_data(self, data: str) -> None:
        if not self.skip and (self.kind is not None or self.line_kind is not None):
            self.buffer.append(data)

    def _begin(self, kind: str) -> None:
        self.kind, self.buffer = kind, []

    def _end(self, scene_number: str | None = None, depth: int | None = None) -> None:
        assert self.kind is not None
        text = "".join(self.buffer)
        self.elements.append(Norm(self.kind, text, scene_number=scene_number, depth=depth))
        self.kind, self.buffer = None, []


def read_html(path: Path) -> list[Norm]:
    """The elements a screenplain HTML file shows, in the common form."""
    reader = _HtmlReader()
    reader.feed(path.read_text(encoding="utf-8"))
    reader.close()
    return attach_speakers(reader.elements)


_FDX_TYPES = {"Scene Heading": "scene_heading", "Action": "action", "Character": "character",
              "Dialogue": "dialogue", "Parenthetical": "parenthetical",
              "Transition": "transition"}


def read_fdx(path: Path) -> list[Norm]:
    """The elements a screenplain FDX file shows, in the common form."""
    content = ET.parse(path).getroot().find("Content")
    assert content is not None, f"{path}: no <Content>"
    out: list[Norm] = []
    block: list[tuple[str, str]] = []

    def flush(dual: str | None = None) -> None:
        if block:
            out.extend(_speech(block, dual))
            block.clear()

    for paragraph in content.findall("Paragraph"):
        pair = paragraph.find("DualDialogue")
        if pair is not None:
            flush()
            sides = iter(("left", "right"))
            for inner in pair.findall("Paragraph"):
                kind = _FDX_TYPES[inner.get("Type", "")]
                if kind == "character" and block:
                    flush(next(sides))
                block.append((kind, _fdx_text(inner)))
            flush(next(sides))
            continue
        kind = _FDX_TYPES[paragraph.get("Type", "")]
        text = _fdx_text(paragraph)
        if kind in ("character", "dialogue", "parenthetical"):
            if kind == "character":
                flush()
            block.append((kind, text))
            continue
        flush()
        if kind == "action" and paragraph.get("Alignment") == "Center":
            kind = "centered"
        out.append(Norm(kind, text))
    flush()
    return attach_speakers(out)


def _fdx_text(paragraph: ET.Element) -> str:
    return "".join(t.text or "" for t in paragraph.findall("Text"))


def load(root: Path) -> list[Case]:
    """Every screenplain case under ``root / "screenplain"``."""
    cases: list[Case] = []
    base = root / SUITE
    for source in sorted(base.glob("*/*.fountain")):
        text = source.read_bytes().decode("utf-8")
        for suffix, reader, projection in ((".html", read_html, HTML_PROJECTION),
                                           (".fdx", read_fdx, FDX_PROJECTION)):
            expected = source.with_suffix(suffix)
            if expected.exists():
                case_id = f"{SUITE}/{expected.relative_to(base).as_posix()}"
                cases.append(Case(SUITE, case_id, source, text, tuple(reader(expected)),
                                  projection))
    return cases
