"""Benchmark: Fountain parse throughput on the largest conformance screenplay (Big Fish).

Times ``parse_document`` on ``screenplain/examples/Big-Fish.fountain`` (about 146 KB) from the
conformance suites beside the repository, best of N runs, and prints the first (cold) parse
too. The reference, measured in the same run on the same text, is the floor any line-based
reader pays: ``str.splitlines()`` plus one regex match per line (heading / cue / transition
shapes). When the pure-Python peer parser ``screenplain`` happens to be installed (it is not
a dependency: ``pip install --no-deps screenplain``), its parse time is reported as well.

    .venv/bin/python bench/parse.py [--runs 20] [--file PATH]

The last line is ``RESULT kb_per_s=... parse_ms=... ratio_vs_ref=...`` where ``parse_ms`` is
the best full parse and ``ratio_vs_ref`` is that time divided by the reference's best time
(lower is better); ``screenplain_ms`` and ``ratio_vs_screenplain`` are added when screenplain
is there.
"""

from __future__ import annotations

import argparse
import gc
import importlib
import io
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path

from yingxi.script.fountain import parse_document

ROOT = Path(__file__).resolve().parents[1]
DEFAULT = ROOT.parent / "shared" / "conformance" / "fountain" / "screenplain" / "examples" \
    / "Big-Fish.fountain"
# One pass over each line with the shapes a reader has to look for.
_SHAPES = re.compile(r"^\s*(?:(?:INT|EXT|EST|I/E)[. ]|[A-Z0-9 .'\-]+(?:\(.*\))?\^?$"
                     r"|[A-Z ]+TO:$|[>.!@~=#])")


def reference_scan(text: str) -> int:
    """The floor: split into lines and run one regex per line."""
    return sum(1 for line in text.splitlines() if _SHAPES.match(line))


def screenplain_parse() -> Callable[[str], object] | None:
    """screenplain's parser when it is installed (optional; never a dependency)."""
    try:  # imported by name: mypy must pass whether or not it is installed
        fountain = importlib.import_module("screenplain.parsers.fountain")
    except ImportError:
        return None

    def parse(text: str) -> object:
        return list(fountain.parse(io.StringIO(text)))

    return parse


def best_of(fn: Callable[[str], object], text: str, runs: int) -> tuple[float, float]:
    """(first run, best run) in seconds."""
    times: list[float] = []
    for _ in range(runs):
        gc.collect()
        started = time.perf_counter()
        fn(text)
        times.append(time.perf_counter() - started)
    return times[0], min(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--file", type=Path, default=DEFAULT)
    args = parser.parse_args()
    if not args.file.exists():
        print(f"no screenplay at {args.file} (the conformance suites live in "
              "../shared/conformance/fountain/ beside the repository)")
        return 1
    text = args.file.read_bytes().decode("utf-8")
    size_kb = len(text.encode("utf-8")) / 1024
    doc = parse_document(text)
    cold_s, best_s = best_of(parse_document, text, args.runs)
    _, ref_s = best_of(reference_scan, text, args.runs)
    print(f"{args.file.name}: {size_kb:.1f} KB, {text.count(chr(10)) + 1} lines, "
          f"{len(doc.elements)} elements")
    print(f"yingxi parse_document: best {best_s * 1e3:.2f} ms of {args.runs} "
          f"(first {cold_s * 1e3:.2f} ms), {size_kb / best_s:,.0f} KB/s")
    print(f"reference (splitlines + one regex per line): best {ref_s * 1e3:.2f} ms, "
          f"{size_kb / ref_s:,.0f} KB/s")
    result = (f"RESULT kb_per_s={size_kb / best_s:.0f} parse_ms={best_s * 1e3:.2f} "
              f"ratio_vs_ref={best_s / ref_s:.2f}")
    peer = screenplain_parse()
    if peer is not None:
        _, peer_s = best_of(peer, text, args.runs)
        print(f"screenplain (installed, pure Python): best {peer_s * 1e3:.2f} ms, "
              f"{size_kb / peer_s:,.0f} KB/s")
        result += f" screenplain_ms={peer_s * 1e3:.2f} ratio_vs_screenplain={best_s / peer_s:.2f}"
    else:
        print("screenplain not installed: no peer timing (pip install --no-deps screenplain)")
    print(result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
