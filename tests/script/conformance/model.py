"""The common form every suite's expectation and yingxi's own reading are brought to.

A peer parser's expected output (HTML, FDX, YAML, token JSON, a text dump) and a yingxi
:class:`~yingxi.script.fountain.elements.FountainDocument` are both turned into a list of
:class:`Norm` records in yingxi's vocabulary (``scene_heading``, ``action``, ``character``,
``dialogue``, ``parenthetical``, ``transition``, ``centered``, ``lyrics``, ``section``,
``synopsis``, ``page_break``, plus ``title`` for title-page entries). Then one function,
:func:`project`, applied identically to *both* sides, removes what the suite cannot express or
deliberately renders differently. The rules, and why each is fair:

* **Line ends and blank lines.** Every line is right-stripped; a run of blank lines inside an
  element counts as one (yingxi does not keep the number of blank lines between paragraphs,
  and no peer gives it a meaning); leading and trailing blank lines go. Elements other than
  action are stripped on both sides of every line (dialogue indentation is layout, not text);
  action keeps its indentation (the Fountain spec keeps leading tabs and spaces of action).
* **Empty elements.** An ``action`` or ``dialogue`` whose text is empty after that is dropped:
  Jouvence and fountain-tools emit empty actions for extra blank lines, and blank lines are
  separators, not elements, in yingxi.
* **Merging** (``merge``): consecutive elements of a listed type are joined with one blank
  line (one line break where whitespace is folded). Jouvence and fountain-tools (its default
  ``mergeActions``) merge consecutive action paragraphs into one element, while yingxi keeps
  every action paragraph as its own element, so actions are merged on both sides.
  screenplain groups the ``> <`` lines of one paragraph into one centered element, while
  yingxi gives each line its own; adjacent centered elements are merged on both sides (the
  text and its order are still compared).
* **Line splitting** (``split_lines``; fountain-tools with ``mergeActions=false`` or
  ``mergeDialogue=false``): the listed types become one element per line.
* **Whitespace folding** (``fold_whitespace``; screenplain): upstream compares its output after
  folding runs of spaces and tabs to one space and collapsing a line break together with the
  whitespace around it (``clean_string`` in screenplain's ``tests/files_test.py``); the same
  folding is applied to both sides.
* **Case** (``upper``; screenplain): screenplain upper-cases scene headings and forced
  transitions when it parses them, so those types are compared upper-cased.
* **Emphasis** (``strip_emphasis``; screenplain): HTML ``<em>``/``<strong>``/``<u>`` and FDX
  ``Style=`` attributes are rendered markup. The adapter keeps their text only, and yingxi's
  markup (which its model keeps verbatim) is removed with screenplain's own emphasis rules.
  Suites that keep the markup as written (Jouvence, aw-parser, fountain-tools) compare it.
* **Attributes.** ``character`` (the speaker of dialogue and parentheticals) is always compared;
  ``extension``, ``dual``, ``scene_number`` and ``depth`` only where the suite expresses them
  (``fields``). Extensions compare as their parenthesised groups joined by one space, so
  ``(V.O.)(CONT'D)`` and ``(V.O.) (CONT'D)`` agree; fountain-tools discards ``(CONT'D)``
  (``drop_contd``), so it is removed from both sides there.
* **Types a suite cannot express** (``types``; e.g. screenplain's FDX has no sections, synopses
  or page breaks) are dropped from both sides. Title-page entries are compared only where the
  suite gives them (``title_page``), keyed by lower-cased key with spaces and underscores
  folded, each value line stripped.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

ELEMENT_TYPES = frozenset({
    "scene_heading", "action", "character", "dialogue", "parenthetical", "transition",
    "centered", "lyrics", "section", "synopsis", "page_break",
})
OPTIONAL_FIELDS = frozenset({"extension", "dual", "scene_number", "depth"})
DROP_WHEN_EMPTY = frozenset({"action", "dialogue"})
SPOKEN = frozenset({"dialogue", "parenthetical"})

_CUE_RE = re.compile(r"^(?P<name>.*?)\s*(?P<ext>(?:\([^()]*\)\s*)+)$", re.S)
_GROUP_RE = re.compile(r"\([^()]*\)")
_CONTD_RE = re.compile(r"^\(\s*CONT[’'`]?D\.?\s*\)$", re.I)


@dataclass(frozen=True)
class Norm:
    """One element in the common form (``type`` is a yingxi type or ``"title"``)."""

    type: str
    text: str
    character: str | None = None     # dialogue / parenthetical: the speaker's name
    extension: str | None = None     # character: "(V.O.) (CONT'D)"
    dual: str | None = None          # "left" / "right"
    scene_number: str | None = None  # scene_heading
    depth: int | None = None         # section
    key: str | None = None           # title: lower-case key

    def describe(self) -> str:
        """One readable line: ``character 'STEEL' extension='(V.O.)' dual='left'``."""
        head = f"title[{self.key}]" if self.type == "title" else self.type
        parts = [head, repr(self.text)]
        for name in ("character", "extension", "dual", "scene_number", "depth"):
            value = getattr(self, name)
            if value is not None:
                parts.append(f"{name}={value!r}")
        return " ".join(parts)


@dataclass(frozen=True)
class Projection:
    """What one suite's expected output can express, and how it renders it (module doc)."""

    types: frozenset[str] = ELEMENT_TYPES
    fields: frozenset[str] = OPTIONAL_FIELDS
    title_page: bool = False
    merge: frozenset[str] = frozenset()
    split_lines: frozenset[str] = frozenset()
    fold_whitespace: bool = False
    upper: frozenset[str] = frozenset()
    strip_emphasis: Callable[[str], str] | None = None
    drop_contd: bool = False


@dataclass(frozen=True)
class Case:
    """One input with one suite's expected elements (before projection)."""

    suite: str
    id: str                  # "screenplain/tests/simple.html", "jouvence/test_action#2"
    source: Path             # the .fountain (or YAML) file the input comes from
    text: str                # the input, exactly as stored (BOM and line ends kept)
    expected: tuple[Norm, ...]
    projection: Projection = field(default_factory=Projection)


@dataclass(frozen=True)
class Outcome:
    """The comparison of one case: agreed, or a readable diff."""

    case: Case
    expected: list[Norm]
    actual: list[Norm]
    error: str | None = None

    @property
    def agreed(self) -> bool:
        return self.error is None and self.expected == self.actual

    def diff(self) -> str:
        """A unified diff, expected (the peer) against actual (yingxi)."""
        if self.error is not None:
            return f"yingxi raised: {self.error}"
        return "\n".join(difflib.unified_diff(
            [e.describe() for e in self.expected], [e.describe() for e in self.actual],
            fromfile=f"{self.case.id} (expected)", tofile="yingxi", lineterm="", n=2))


def split_cue(text: str) -> tuple[str, str | None]:
    """``"MOM (O. S.)"`` -> ``("MOM", "(O. S.)")``: a peer's cue line as name and extension."""
    match = _CUE_RE.match(text.strip())
    if match is None or not match.group("name"):
        return text.strip(), None
    return match.group("name"), match.group("ext").strip()


def attach_speakers(elements: Iterable[Norm]) -> list[Norm]:
    """Give dialogue and parentheticals the name of the cue they follow (peers imply it)."""
    out: list[Norm] = []
    speaker: str | None = None
    for e in elements:
        if e.type == "character":
            speaker = e.text
        elif e.type in SPOKEN:
            e = replace(e, character=e.character if e.character is not None else speaker)
        elif e.type != "lyrics":
            speaker = None
        out.append(e)
    return out


def mark_dual_pair(elements: list[Norm], right_cue: int) -> None:
    """Mark the cue at ``right_cue`` and its speech right, the block before it left."""
    end = right_cue + 1
    while end < len(elements) and elements[end].type in SPOKEN | {"lyrics"}:
        end += 1
    start = right_cue - 1
    while start >= 0 and elements[start].type in SPOKEN | {"lyrics"}:
        start -= 1
    for i in range(right_cue, end):
        elements[i] = replace(elements[i], dual="right")
    if start >= 0 and elements[start].type == "character":
        for i in range(start, right_cue):
            elements[i] = replace(elements[i], dual="left")


def _clean_lines(text: str, keep_indent: bool) -> str:
    lines: list[str] = []
    for raw in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = raw.rstrip() if keep_indent else raw.strip()
        if line or (lines and lines[-1]):
            lines.append(line)
    while lines and not lines[-1]:
        lines.pop()
    return "\n".join(lines)


def normalize_extension(extension: str | None, drop_contd: bool = False) -> str | None:
    """Parenthesised groups joined by one space (``None`` when there are none)."""
    if extension is None:
        return None
    groups = [" ".join(g.split()) for g in _GROUP_RE.findall(extension)]
    if drop_contd:
        groups = [g for g in groups if not _CONTD_RE.match(g)]
    return " ".join(groups) or None


def normalize_key(key: str) -> str:
    return " ".join(key.replace("_", " ").split()).lower()


def _clean(e: Norm, p: Projection) -> Norm:
    text = e.text.replace("\xa0", " ")
    if p.strip_emphasis is not None:
        text = "\n".join(p.strip_emphasis(line) for line in text.split("\n"))
    text = _clean_lines(text, keep_indent=e.type == "action")
    if p.fold_whitespace:
        text = re.sub(r"[ \t]+", " ", re.sub(r"\s*\n\s*", "\n", text))
    if e.type in p.upper:
        text = text.upper()
    return Norm(
        type=e.type, text=text,
        character=" ".join(e.character.split()) if e.character and e.type in SPOKEN else None,
        extension=(normalize_extension(e.extension, p.drop_contd)
                   if "extension" in p.fields and e.type == "character" else None),
        dual=e.dual if "dual" in p.fields else None,
        scene_number=(e.scene_number or None) if "scene_number" in p.fields else None,
        depth=e.depth if "depth" in p.fields and e.type == "section" else None,
    )


def _merge(elements: Sequence[Norm], types: frozenset[str], joint: str) -> list[Norm]:
    out: list[Norm] = []
    for e in elements:
        if e.type in types and out and out[-1].type == e.type:
            out[-1] = replace(out[-1], text=f"{out[-1].text}{joint}{e.text}")
        else:
            out.append(e)
    return out


def project(elements: Iterable[Norm], p: Projection) -> list[Norm]:
    """Bring a list of elements (a peer's or yingxi's) to what suite ``p`` compares."""
    out: list[Norm] = []
    for e in elements:
        if e.type == "title":
            if p.title_page:
                value = "\n".join(line.strip() for line in e.text.splitlines() if line.strip())
                out.append(Norm("title", value, key=normalize_key(e.key or "")))
            continue
        if e.type not in p.types:
            continue
        pieces = e.text.split("\n") if e.type in p.split_lines else [e.text]
        for piece in pieces:
            cleaned = _clean(replace(e, text=piece), p)
            if cleaned.type in DROP_WHEN_EMPTY and not cleaned.text:
                continue
            out.append(cleaned)
    return _merge(out, p.merge, "\n" if p.fold_whitespace else "\n\n")
