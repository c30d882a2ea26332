"""Fountain conformance report: how many of each peer suite's cases yingxi's reader agrees with.

Reads the suites from ``../shared/conformance/fountain/`` beside the repository (or
``YINGXI_CONFORMANCE_DIR``), runs ``parse_document`` on every case, normalizes both sides as
``tests/script/conformance/`` documents, and prints one line per suite, then each disagreement
(with ``--diff``, its diff; listed deviations are marked with their reason).

    .venv/bin/python bench/conformance.py [--diff] [--suite jouvence] [CASE-ID-SUBSTRING ...]

The last line is ``RESULT screenplain=A/B jouvence=.. aw_parser=.. fountain_tools=..``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as a script: make the tests package importable
    sys.path.insert(0, str(ROOT))

from tests.script.conformance.deviations import DEVIATIONS  # noqa: E402
from tests.script.conformance.suites import (  # noqa: E402
    SUITES,
    conformance_dir,
    load_cases,
    result_line,
    run_case,
    tally,
)

from yingxi.script.fountain import parse_document  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--diff", action="store_true", help="print each disagreement's diff")
    parser.add_argument("--suite", choices=SUITES, action="append", help="only these suites")
    parser.add_argument("only", nargs="*", help="only cases whose id contains one of these")
    args = parser.parse_args()
    cases = load_cases()
    if not cases:
        print(f"no conformance suites at {conformance_dir()}")
        print("RESULT " + " ".join(f"{suite}=0/0" for suite in SUITES))
        return 1
    cases = [c for c in cases if (not args.suite or c.suite in args.suite)
             and (not args.only or any(s in c.id for s in args.only))]
    outcomes = [run_case(case, parse_document) for case in cases]
    tallies = tally((o.case.suite, o.case.id, o.agreed) for o in outcomes)
    for t in tallies.values():
        print(t.line())
    unexpected = 0
    for outcome in outcomes:
        case_id = outcome.case.id
        listed = DEVIATIONS.get(case_id)
        if outcome.agreed and listed is None:
            continue
        if outcome.agreed:
            print(f"\nAGREES NOW (remove from DEVIATIONS): {case_id}")
            unexpected += 1
        elif listed is not None:
            print(f"\ndeviation {case_id}: {listed}")
        else:
            print(f"\nDISAGREES {case_id} (input {outcome.case.source})")
            unexpected += 1
        if args.diff and not outcome.agreed:
            print(outcome.diff())
    print(result_line(tallies))
    return 1 if unexpected else 0


if __name__ == "__main__":
    sys.exit(main())
