"""Jouvence (ludovicchabant/Jouvence): YAML test documents -> the common form.

Each YAML document is one case: ``in`` is the Fountain text, ``out`` the expected elements as
strings with a type prefix (upstream ``tests/conftest.py``): ``.`` scene heading, ``!`` action,
``!><`` centered, ``@`` character (cue and extension written together; split here), ``=``
dialogue, ``_`` parenthetical, ``>`` transition, ``~`` lyrics, ``#`` section, ``+`` synopsis,
``<pagebreak>`` a page break. ``title`` (when present) is the expected title page as a dict.

Jouvence merges consecutive action paragraphs into one element and keeps the blank lines
between them (an action can start with ``"\\n"``, and extra blank lines become empty actions),
so the comparison merges actions on both sides and counts a run of blank lines as one
(:mod:`.model`). It keeps emphasis markup as written, as yingxi does, so markup is compared.
Jouvence does not express dual dialogue, scene numbers or section depth; those are not
compared. The title page is compared only in documents that give ``title``.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import yaml

from tests.script.conformance.model import Case, Norm, Projection, attach_speakers, split_cue

SUITE = "jouvence"
PROJECTION = Projection(fields=frozenset({"extension"}), merge=frozenset({"action"}))

_PREFIXES = (  # longest first
    ("<pagebreak>", "page_break"), ("!><", "centered"), (".", "scene_heading"),
    ("!", "action"), ("@", "character"), ("=", "dialogue"), ("_", "parenthetical"),
    (">", "transition"), ("~", "lyrics"), ("#", "section"), ("+", "synopsis"),
)


def read_out(items: list[str]) -> list[Norm]:
    """Jouvence's prefixed ``out`` strings as elements."""
    out: list[Norm] = []
    for item in items:
        prefix, kind = next(((p, k) for p, k in _PREFIXES if item.startswith(p)), ("", ""))
        if not kind:
            raise ValueError(f"unknown Jouvence element {item!r}")
        text = item[len(prefix):]
        if kind == "character":
            name, extension = split_cue(text)
            out.append(Norm("character", name, extension=extension))
        else:
            out.append(Norm(kind, text))
    return attach_speakers(out)


def read_title(title: dict[str, Any]) -> list[Norm]:
    return [Norm("title", str(value), key=str(key)) for key, value in title.items()]


def load(root: Path) -> list[Case]:
    """Every document of every ``test_*.yaml`` under ``root / "jouvence"``."""
    cases: list[Case] = []
    for path in sorted((root / SUITE).glob("test_*.yaml")):
        documents = yaml.safe_load_all(path.read_text(encoding="utf-8"))
        for number, doc in enumerate(documents, start=1):
            if not doc:
                continue
            expected = read_out(doc.get("out") or [])
            projection = PROJECTION
            if "title" in doc:
                expected = read_title(doc["title"] or {}) + expected
                projection = replace(PROJECTION, title_page=True)
            case_id = f"{SUITE}/{path.stem}#{number}"
            cases.append(Case(SUITE, case_id, path, str(doc["in"]), tuple(expected),
                              projection))
    return cases
