"""Finding the suites, running yingxi on every case, and the per-suite report.

The suites live outside the repository, in ``../shared/conformance/fountain/`` relative to the
repository root (``YINGXI_CONFORMANCE_DIR`` overrides that); they are read at test time and
never copied in. Inputs are passed to yingxi exactly as stored: BOM, CRLF and CR line ends
included.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from tests.script.conformance import aw_parser, fountain_tools, jouvence, screenplain
from tests.script.conformance.deviations import DEVIATIONS
from tests.script.conformance.model import Case, Norm, Outcome, project
from yingxi.script.fountain.elements import FountainDocument

ROOT = Path(__file__).resolve().parents[3]
SUITES = ("screenplain", "jouvence", "aw_parser", "fountain_tools")
_LOADERS = (screenplain.load, jouvence.load, aw_parser.load, fountain_tools.load)

Parse = Callable[[str], FountainDocument]


def conformance_dir() -> Path:
    """Where the suites are looked for (they may be absent)."""
    override = os.environ.get("YINGXI_CONFORMANCE_DIR")
    if override:
        return Path(override).resolve()
    return (ROOT.parent / "shared" / "conformance" / "fountain").resolve()


def load_cases(root: Path | None = None) -> list[Case]:
    """Every case of every suite, in a stable order (empty when the folder is absent)."""
    root = root or conformance_dir()
    if not root.is_dir():
        return []
    return [case for load in _LOADERS for case in load(root)]


def input_files(root: Path | None = None) -> list[tuple[str, str]]:
    """Every distinct conformance input as ``(id, text)``: all ``.fountain`` files and each
    Jouvence document's ``in`` (the round-trip test's inputs)."""
    root = root or conformance_dir()
    if not root.is_dir():
        return []
    inputs = [(path.relative_to(root).as_posix(), path.read_bytes().decode("utf-8"))
              for path in sorted(root.rglob("*.fountain"))]
    inputs += [(case.id, case.text) for case in jouvence.load(root)]
    return inputs


def from_document(doc: FountainDocument) -> list[Norm]:
    """yingxi's reading in the common form: title entries first, then the elements."""
    out = [Norm("title", entry.value, key=entry.key) for entry in doc.title_page]
    out += [Norm(e.type, e.text, character=e.character, extension=e.extension, dual=e.dual,
                 scene_number=e.scene_number, depth=e.depth) for e in doc.elements]
    return out


def run_case(case: Case, parse: Parse) -> Outcome:
    """Parse the case's input with yingxi and compare it with the suite's expectation."""
    expected = project(case.expected, case.projection)
    try:
        doc = parse(case.text)
    except Exception as exc:  # a reader that raises disagrees; say why
        return Outcome(case, expected, [], error=f"{type(exc).__name__}: {exc}")
    return Outcome(case, expected, project(from_document(doc), case.projection))


@dataclass
class Tally:
    """Agreement of one suite."""

    suite: str
    total: int = 0
    agreed: int = 0
    deviations: int = 0   # disagreements listed in DEVIATIONS
    unexpected: int = 0   # disagreements not listed, and listed cases that now agree

    def line(self) -> str:
        extra = f", {self.deviations} listed deviations" if self.deviations else ""
        bad = f", {self.unexpected} UNEXPECTED" if self.unexpected else ""
        return f"{self.suite} {self.agreed}/{self.total} agree{extra}{bad}"


def tally(results: Iterable[tuple[str, str, bool]]) -> dict[str, Tally]:
    """``(suite, case id, agreed)`` triples -> one :class:`Tally` per suite, in suite order."""
    tallies = {suite: Tally(suite) for suite in SUITES}
    for suite, case_id, agreed in results:
        t = tallies[suite]
        t.total += 1
        t.agreed += agreed
        listed = case_id in DEVIATIONS
        t.deviations += listed and not agreed
        t.unexpected += listed == agreed
    return {suite: t for suite, t in tallies.items() if t.total}


def result_line(tallies: dict[str, Tally]) -> str:
    """``RESULT screenplain=21/22 jouvence=.. aw_parser=.. fountain_tools=..``."""
    parts = [f"{t.suite}={t.agreed}/{t.total}" for t in tallies.values()]
    return "RESULT " + " ".join(parts)


# Filled by tests/script/test_conformance.py, printed by the terminal-summary hook.
RESULTS: list[tuple[str, str, bool]] = []
