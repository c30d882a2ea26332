"""fountain-tools (wildwinter/fountain-tools): ``script.dump()`` text -> the common form.

``NAME.fountain`` -> ``NAME.txt``, one element per entry, e.g. ``HEADING:"..." (3)``,
``CHARACTER:"BOB" "(V.O.)" (Dual)``, ``ACTION:"..." (centered)``, ``SECTION:"..." (2)``,
``TITLEENTRY:"Key":"value"``; a text may span lines. Reading it:

* ``ACTION ... (centered)`` is centered text; ``LYRIC`` is lyrics; ``PAGEBREAK`` a page break.
* ``PARENTHETICAL`` is stored without its brackets; the adapter puts them back, since yingxi
  keeps them.
* ``(Dual)`` marks only the second (right) cue of a pair; the block before it is the left.
* fountain-tools discards ``(CONT'D)`` from the extension; so does the comparison.
* Notes and boneyards become ``[[N]]`` / ``/*N*/`` placeholders in the text plus ``NOTE`` /
  ``BONEYARD`` entries at the end; yingxi removes notes and boneyards, so the placeholders and
  entries are removed.
* Actions are merged by default (``mergeActions``), and so is dialogue (``mergeDialogue``):
  ``-Merged`` and plain ``.txt`` files merge consecutive actions on both sides (:mod:`.model`);
  ``Action-Unmerged.txt`` has one action per line and ``Dialogue-Unmerged.txt`` one dialogue
  element per line, so those types are split per line on both sides.
* Emphasis markup is kept as written and compared.

Not compared (used as round-trip inputs only, see :data:`NOT_COMPARED`): ``Formatted.txt`` is
the format helper's output, ``Tags.txt`` needs the non-standard ``useTags`` option,
``Scratch.fountain`` repeats ``SceneHeading.fountain``, and ``SimpleCallbackParser.txt`` is a
trace of another API fed several files.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

from tests.script.conformance.model import (
    Case,
    Norm,
    Projection,
    attach_speakers,
    mark_dual_pair,
)

SUITE = "fountain_tools"
PROJECTION = Projection(
    fields=frozenset({"extension", "dual", "scene_number", "depth"}), title_page=True,
    merge=frozenset({"action"}), drop_contd=True)
PROJECTIONS = {
    "Action-Unmerged": replace(PROJECTION, merge=frozenset(),
                               split_lines=frozenset({"action"})),
    "Dialogue-Unmerged": replace(PROJECTION, split_lines=frozenset({"dialogue"})),
}
NOT_COMPARED = {
    "Formatted.txt": "output of the emphasis format helper, not of the element parser",
    "Tags.txt": "needs the non-standard useTags option (#tag words), not Fountain 1.1",
    "Scratch.txt": "same input and output as SceneHeading",
    "SimpleCallbackParser.txt": "trace of the callback API fed four files with ignoreBlanks",
}

_ENTRY_RE = re.compile(
    r'^(?:TITLEENTRY:"(?P<key>[^"\n]*)":"(?P<value>.*?)"'
    r'|(?:\[\[\d+\]\]|/\*\d+\*/)?(?P<kind>[A-Z]+):"(?P<text>.*?)"(?P<suffix>(?: [^\n]*)?))$'
    r'(?=\n(?:\[\[\d+\]\]|/\*\d+\*/)?[A-Z]+:|\Z)',
    re.M | re.S)
_SUFFIX_RE = re.compile(r'"(?P<ext>[^"]*)"|\((?P<paren>[^)]*)\)')
_PLACEHOLDER_RE = re.compile(r"\[\[\d+\]\]|/\*\d+\*/")
_KINDS = {"HEADING": "scene_heading", "ACTION": "action", "CHARACTER": "character",
          "DIALOGUE": "dialogue", "PARENTHETICAL": "parenthetical", "LYRIC": "lyrics",
          "TRANSITION": "transition", "SECTION": "section", "SYNOPSIS": "synopsis",
          "PAGEBREAK": "page_break"}
_DROPPED = {"NOTE", "BONEYARD"}


def read_dump(dump: str) -> list[Norm]:
    """A ``script.dump()`` text as elements."""
    out: list[Norm] = []
    pos = 0
    dump = dump.rstrip("\n")
    for match in _ENTRY_RE.finditer(dump):
        if dump[pos:match.start()].strip():
            raise ValueError(f"unreadable dump text {dump[pos:match.start()]!r}")
        pos = match.end()
        if match.group("key") is not None:
            out.append(Norm("title", match.group("value"), key=match.group("key")))
            continue
        tag = match.group("kind")
        if tag in _DROPPED:
            continue
        kind = _KINDS[tag]
        text = _PLACEHOLDER_RE.sub("", match.group("text"))
        extension: str | None = None
        flags: list[str] = []
        for part in _SUFFIX_RE.finditer(match.group("suffix")):
            if part.group("ext") is not None:
                extension = part.group("ext")
            else:
                flags.append(part.group("paren"))
        element = Norm(kind, text, extension=extension)
        if kind == "action" and "centered" in flags:
            element = replace(element, type="centered")
        if kind == "parenthetical":
            element = replace(element, text=f"({text})")
        if kind == "scene_heading" and flags:
            element = replace(element, scene_number=flags[0])
        if kind == "section" and flags:
            element = replace(element, depth=int(flags[0]))
        out.append(element)
        if kind == "character" and "Dual" in flags:
            mark_dual_pair(out, len(out) - 1)
    if dump[pos:].strip():
        raise ValueError(f"unreadable dump text {dump[pos:]!r}")
    return _fix_dual(attach_speakers(out))


def _fix_dual(elements: list[Norm]) -> list[Norm]:
    """Give the right half's speech its side too (it is read after the cue is marked)."""
    side: str | None = None
    out: list[Norm] = []
    for e in elements:
        if e.type == "character":
            side = e.dual
        elif e.type in ("dialogue", "parenthetical", "lyrics"):
            e = replace(e, dual=side)
        else:
            side = None
        out.append(e)
    return out


def load(root: Path) -> list[Case]:
    """Every compared fountain-tools case under ``root / "fountain-tools"``."""
    cases: list[Case] = []
    base = root / "fountain-tools"
    for expected in sorted(base.glob("*.txt")):
        if expected.name in NOT_COMPARED:
            continue
        stem = expected.stem
        source = base / f"{stem.split('-')[0]}.fountain"
        if not source.exists():
            continue
        elements = read_dump(expected.read_text(encoding="utf-8"))
        cases.append(Case(SUITE, f"{SUITE}/{stem}", source,
                          source.read_bytes().decode("utf-8"), tuple(elements),
                          PROJECTIONS.get(stem, PROJECTION)))
    return cases
