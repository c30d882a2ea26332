"""yingxi's Fountain reader against the conformance suites of four peer parsers.

Every case (one input with one suite's expected output) must agree after the suite's
normalization (``tests/script/conformance/model.py``), or be listed in ``DEVIATIONS`` with a
reason; a listed case that agrees again fails too, so the list stays honest. The suites are read
from ``../shared/conformance/fountain/`` beside the repository; without them the cases skip.
The per-suite agreement is printed in the terminal summary (``tests/script/conftest.py``).
"""

from __future__ import annotations

import re

import pytest

from tests.script.conformance.deviations import DEVIATIONS
from tests.script.conformance.model import Case
from tests.script.conformance.suites import (
    RESULTS,
    ROOT,
    conformance_dir,
    load_cases,
    run_case,
)
from yingxi.script.fountain import parse_document

CASES = load_cases()
MISSING = f"Fountain conformance suites not found at {conformance_dir()}"


@pytest.mark.parametrize("case", CASES or [None], ids=[c.id for c in CASES] or ["missing"])
def test_conformance(case: Case | None) -> None:
    if case is None:
        pytest.skip(MISSING)
    outcome = run_case(case, parse_document)
    RESULTS.append((case.suite, case.id, outcome.agreed))
    reason = DEVIATIONS.get(case.id)
    if outcome.agreed:
        assert reason is None, (
            f"{case.id} agrees now: remove it from DEVIATIONS (and docs/fountain.md)")
        return
    assert reason is not None, (
        f"{case.id} disagrees with the peer (input {case.source}); fix the reader, or list it "
        f"in tests/script/conformance/deviations.py with the reason:\n{outcome.diff()}")
    pytest.xfail("listed in DEVIATIONS (tests/script/conformance/deviations.py)")


def test_deviations_name_real_cases() -> None:
    if not CASES:
        pytest.skip(MISSING)
    unknown = sorted(set(DEVIATIONS) - {c.id for c in CASES})
    assert not unknown, f"DEVIATIONS lists cases that do not exist: {unknown}"
    assert all(reason.strip() for reason in DEVIATIONS.values())


def test_docs_list_every_deviation() -> None:
    docs = (ROOT / "docs" / "fountain.md").read_text(encoding="utf-8")
    listed = set(re.findall(r"^\| `([^`]+)` \|", docs, flags=re.M))
    assert listed == set(DEVIATIONS), (
        "docs/fountain.md's deviation table is out of sync with DEVIATIONS: "
        f"missing {sorted(set(DEVIATIONS) - listed)}, extra {sorted(listed - set(DEVIATIONS))}")
