"""Writing a document and reading it back gives the same elements, for every conformance input.

``parse_document(write_fountain(parse_document(text)))`` must have the same title page and the
same elements (type, text, character, extension, dual, scene number, depth) as
``parse_document(text)``; lines and columns may move. The inputs are every ``.fountain`` file
of ``../shared/conformance/fountain/`` and every Jouvence document's ``in`` text.
"""

from __future__ import annotations

import pytest

from tests.script.conformance.suites import conformance_dir, input_files
from yingxi.script.fountain import parse_document, write_fountain
from yingxi.script.fountain.elements import FountainDocument

INPUTS = input_files()
FIELDS = ("type", "text", "character", "extension", "dual", "scene_number", "depth")


def _shape(doc: FountainDocument) -> list[tuple[object, ...]]:
    title = [("title", e.key, e.value) for e in doc.title_page]
    return title + [tuple(getattr(e, name) for name in FIELDS) for e in doc.elements]


@pytest.mark.parametrize(("case_id", "text"), INPUTS or [("missing", "")],
                         ids=[i for i, _ in INPUTS] or ["missing"])
def test_write_then_read_gives_the_same_elements(case_id: str, text: str) -> None:
    if not INPUTS:
        pytest.skip(f"Fountain conformance suites not found at {conformance_dir()}")
    first = parse_document(text, source=case_id)
    written = write_fountain(first)
    again = parse_document(written, source=f"{case_id} (written)")
    expected, actual = _shape(first), _shape(again)
    if expected != actual:
        diffs = [f"  {i}: {a!r}\n   -> {b!r}"
                 for i, (a, b) in enumerate(zip(expected, actual, strict=False)) if a != b]
        pytest.fail(f"{case_id}: {len(expected)} elements read, {len(actual)} after writing; "
                    "first differences:\n" + "\n".join(diffs[:5]) +
                    f"\n--- written ---\n{written[:2000]}")
