"""Prints the Fountain conformance agreement, per suite, in pytest's terminal summary."""

from __future__ import annotations

import pytest

from tests.script.conformance.suites import RESULTS, tally


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if not RESULTS:
        return
    terminalreporter.section("Fountain conformance")
    for t in tally(RESULTS).values():
        terminalreporter.write_line(t.line())
