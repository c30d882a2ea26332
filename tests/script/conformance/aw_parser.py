"""aw-parser (afterwriting/aw-parser): ``sample.tokens.json`` -> the common form.

The input, ``sample.fountain``, has classic-Mac CR line ends and is passed to yingxi as is.
``tokens`` is a flat list of ``{text, type, line, start, end}``; ``line`` is 0-based.

* aw-parser emits one token per source line of action and dialogue; consecutive tokens of the
  same type with no ``separator`` (a blank line) between them are one paragraph, joined with
  ``"\\n"`` as yingxi joins lines. Separators themselves (including the extra ones
  ``double_space_between_scenes`` adds before headings) are not elements.
* With ``print_notes`` on, aw-parser leaves notes ``[[...]]`` in the token text for its
  printer; yingxi's model removes notes, so the adapter removes them too (a note spans lines
  only within one paragraph, as the spec says).
* aw-parser has no lyrics type: it prints a ``~`` line inside dialogue as italic dialogue
  ``*...*``. A dialogue token whose source line starts with ``~`` is turned back into a
  ``lyrics`` element with the source text.
* The cue's ``^`` is dropped and dual dialogue is not marked in tokens, sections carry no
  depth and headings no scene number, so ``dual``, ``depth`` and ``scene_number`` are not
  compared. Emphasis markup is kept as written, as in
  yingxi, and is compared.
* ``title_page`` tokens have the lower-cased key as ``type`` and the value lines joined.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from tests.script.conformance.model import Case, Norm, Projection, attach_speakers, split_cue

SUITE = "aw_parser"
PROJECTION = Projection(fields=frozenset({"extension"}), title_page=True)
_NOTE_RE = re.compile(r"\[\[.*?\]\]", re.S)
_JOINED = ("action", "dialogue")


def read_tokens(data: dict[str, Any], source: str) -> list[Norm]:
    """The token list of ``sample.tokens.json`` as elements."""
    lines = re.split(r"\r\n|\r|\n", source)
    out: list[Norm] = [Norm("title", str(t["text"]), key=str(t["type"]))
                       for t in data["title_page"]]
    previous: str | None = None
    for token in data["tokens"]:
        kind, text = str(token["type"]), str(token["text"])
        if kind == "separator":
            previous = None
            continue
        if kind == "dialogue" and "line" in token and lines[token["line"]].lstrip()[:1] == "~":
            kind, text = "lyrics", lines[token["line"]].lstrip()[1:]
        if kind in _JOINED and previous == kind:
            last = out[-1]
            out[-1] = Norm(kind, f"{last.text}\n{text}")
        elif kind == "character":
            name, extension = split_cue(text)
            out.append(Norm("character", name, extension=extension))
        else:
            out.append(Norm(kind, text))
        previous = kind
    notes_removed = [Norm(e.type, _NOTE_RE.sub("", e.text), extension=e.extension,
                          key=e.key) for e in out]
    return attach_speakers(notes_removed)


def load(root: Path) -> list[Case]:
    """The one aw-parser case."""
    base = root / "aw-parser"
    source = base / "sample.fountain"
    expected = base / "sample.tokens.json"
    if not (source.exists() and expected.exists()):
        return []
    text = source.read_bytes().decode("utf-8")
    data = json.loads(expected.read_text(encoding="utf-8"))
    return [Case(SUITE, f"{SUITE}/sample", source, text, tuple(read_tokens(data, text)),
                 PROJECTION)]
