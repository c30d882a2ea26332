"""Benchmark: re-render an episode after editing one line of dialogue, against a cold render.

A copy of the bundled example (without its store ``.yingxi`` and its ``out/``) is rendered
cold, each render in a fresh ``python -m yingxi render DIR -e EPISODE -q`` process, so that
wall times include the interpreter's start-up and imports, as a user sees them. Then one line
of dialogue is edited: the middle dialogue element of the episode (the one at index
``count // 2`` in source order) gets a few words put in front of its first line (``你看，``
for Chinese, ``Look,`` otherwise); the edited file is parsed again to prove that it is still
valid Fountain and that only that element's text changed. The episode is rendered again and
the benchmark prints:

- the wall time of the cold and of the incremental render (process and in-process, from the
  report's ``wall_seconds``) and their ratio (the issue's goal is <= 0.15);
- per stage, the tasks computed and served from the store in both runs (the report's
  ``stages``);
- which shots the edit touched: those whose entry in the shot plan ``shots/EPISODE.yaml``
  (rewritten by every render) differs after the edit, and the scenes they are in;
- checks that only the expected work was redone: voice 1 computed; layout, picture and
  segment (one task per shot) at most the touched shots; mix and master 1 each; script and
  plan at most 1; music and foley (one task per scene) at most the touched scenes. A
  ``WARNING`` line for each check that fails; a note for a stage with no expectation here.

    .venv/bin/python bench/incremental.py [--preview] [--episode ep01]
                                          [--executor process|serial|ray] [--jobs N]

``--executor`` and ``--jobs`` are passed to ``yingxi render`` as they are (default: not
passed, so yingxi's own default executor runs).

The last line is ``RESULT ratio=... cold_s=... incremental_s=... recomputed_voice=...
recomputed_picture=... preview=0|1`` and a few more keys (ratio is incremental / cold, process
wall times).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from yingxi.script.fountain import FountainElement, parse_document

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "paper-lantern"
GOAL = 0.15
ZH_PREFIX, EN_PREFIX = "你看，", "Look, "


@dataclass(frozen=True)
class Render:
    """One render: its process wall time and its report."""

    wall: float
    report: dict[str, Any]

    def stage(self, name: str) -> tuple[int, int]:
        """(computed, cached) tasks of a stage; (0, 0) for a stage the report lacks."""
        got = self.report["stages"].get(name)
        return (got["computed"], got["cached"]) if got else (0, 0)


@dataclass(frozen=True)
class Edit:
    """The dialogue line edited: where, and its text before and after."""

    line: int
    character: str
    before: str
    after: str


def copy_example(dest: Path) -> Path:
    """A fresh copy of the example production (no cache, no outputs): the first render is
    cold."""
    shutil.copytree(EXAMPLE, dest, ignore=shutil.ignore_patterns(".yingxi", "out"))
    return dest


def render(production: Path, episode: str, preview: bool, passed: list[str]) -> Render:
    """Render ``episode`` in a fresh ``python -m yingxi render`` process (with the options
    ``passed`` through); its wall time and report."""
    command = [sys.executable, "-m", "yingxi", "render", str(production), "-e", episode, "-q",
               *passed]
    if preview:
        command.append("--preview")
    sys.stdout.flush()
    started = time.perf_counter()
    done = subprocess.run(command, check=False)
    wall = time.perf_counter() - started
    if done.returncode:
        raise SystemExit(f"{' '.join(command)} failed with exit status {done.returncode}")
    stem = f"{episode}-preview" if preview else episode
    report = json.loads((production / "out" / f"{stem}-report.json").read_text("utf-8"))
    return Render(wall=wall, report=report)


def _is_cjk(text: str) -> bool:
    return any("\u3400" <= ch <= "\u9fff" for ch in text)


def edit_line(fountain: Path) -> Edit:
    """Put a few words in front of the middle dialogue element's first line, in place; check
    that the file still parses to the same elements with only that one's text changed."""
    text = fountain.read_bytes().decode("utf-8")
    before = parse_document(text, str(fountain)).elements
    dialogue = [i for i, e in enumerate(before) if e.type == "dialogue"]
    if not dialogue:
        raise SystemExit(f"{fountain}: no dialogue to edit")
    index = dialogue[len(dialogue) // 2]
    element = before[index]
    prefix = ZH_PREFIX if _is_cjk(element.text) else EN_PREFIX
    lines = text.splitlines(keepends=True)
    row, col = element.line - 1, element.column - 1
    lines[row] = lines[row][:col] + prefix + lines[row][col:]
    edited = "".join(lines)
    after = parse_document(edited, str(fountain)).elements
    expected = [e if i != index else e.model_copy(update={"text": prefix + e.text})
                for i, e in enumerate(before)]
    if [_shape(e) for e in after] != [_shape(e) for e in expected]:
        raise SystemExit(f"{fountain}: the edit at line {element.line} changed more than "
                         "one dialogue line")
    fountain.write_bytes(edited.encode("utf-8"))
    return Edit(line=element.line, character=element.character or "?", before=element.text,
                after=prefix + element.text)


def _shape(element: FountainElement) -> tuple[str, str, int, str | None]:
    return element.type, element.text, element.line, element.character


def plan_shots(plan: Path) -> dict[str, dict[str, Any]]:
    """The shot plan's entries by shot id."""
    data = yaml.safe_load(plan.read_text("utf-8"))
    return {shot["id"]: shot for shot in data["shots"]}


def touched(before: dict[str, dict[str, Any]],
            after: dict[str, dict[str, Any]]) -> tuple[list[str], set[str]]:
    """Shot ids whose plan entry changed (or that came or went), and their scenes."""
    ids = [i for i in after if before.get(i) != after[i]]
    ids += [i for i in before if i not in after]
    scenes = {(after.get(i) or before[i])["scene"] for i in ids}
    return ids, scenes


def main() -> None:
    """Parse the arguments and run the benchmark."""
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--preview", action="store_true", help="quarter size (quick)")
    parser.add_argument("--episode", default="ep01", help="episode of the example (ep01)")
    parser.add_argument("--executor", help="passed to yingxi render: process, serial or ray "
                                           "(default: yingxi's own)")
    parser.add_argument("--jobs", "-j", type=int, help="passed to yingxi render: workers")
    args = parser.parse_args()
    passed = [*(["--executor", args.executor] if args.executor else []),
              *(["--jobs", str(args.jobs)] if args.jobs else [])]

    print(f"cores: {len(os.sched_getaffinity(0))} usable; load average "
          f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}; yingxi render "
          f"{' '.join(passed) or '(default executor)'}")
    with tempfile.TemporaryDirectory(prefix="yingxi-incremental-") as tmp:
        production = copy_example(Path(tmp) / EXAMPLE.name)
        plan = production / "shots" / f"{args.episode}.yaml"
        cold = render(production, args.episode, args.preview, passed)
        shots_before = plan_shots(plan)
        edit = edit_line(production / "episodes" / f"{args.episode}.fountain")
        print(f"edited line {edit.line} ({edit.character}): {edit.before!r} -> {edit.after!r}")
        warm = render(production, args.episode, args.preview, passed)
        shot_ids, scenes = touched(shots_before, plan_shots(plan))

    fmt = cold.report["format"]
    print(f"episode {args.episode}: {cold.report['duration_seconds']:.1f} s "
          f"({cold.report['shots']} shots, {fmt['width']}x{fmt['height']} at {fmt['fps']} fps)"
          f" -> {warm.report['duration_seconds']:.1f} s after the edit")
    print(f"touched shots: {', '.join(shot_ids) or 'none'} (scenes: "
          f"{', '.join(sorted(scenes)) or 'none'})")
    stages = list(dict.fromkeys([*cold.report["stages"], *warm.report["stages"]]))
    print(f"\n{'stage':>8} {'cold computed/cached':>21} {'incremental computed/cached':>28}"
          f" {'incremental wall s':>19}")
    for name in stages:
        c, w = cold.stage(name), warm.stage(name)
        wall = warm.report["stages"].get(name, {}).get("wall_seconds", 0.0)
        print(f"{name:>8} {c[0]:>12}/{c[1]:<8} {w[0]:>19}/{w[1]:<8} {wall:>19.2f}")

    # (stage, the most tasks it should compute after the edit, why)
    limits = [("voice", 1, "the edited line"), ("script", 1, "the edited screenplay"),
              ("plan", 1, "the edited screenplay"),
              ("layout", len(shot_ids), "the touched shots"),
              ("picture", len(shot_ids), "the touched shots"),
              ("segment", len(shot_ids), "the touched shots"),
              ("music", len(scenes), "the touched scenes"),
              ("foley", len(scenes), "the touched scenes"),
              ("mix", 1, "one mix"), ("sound", 1, "one mix encoded"),
              ("master", 1, "one master")]
    warnings = 0
    print()
    for name, most, why in limits:
        computed = warm.stage(name)[0]
        if computed > most:
            warnings += 1
            print(f"WARNING: {name} computed {computed} tasks after the edit, expected at most "
                  f"{most} ({why})")
    if warm.stage("voice")[0] != 1:
        warnings += 1
        print(f"WARNING: voice computed {warm.stage('voice')[0]} tasks, expected exactly 1")
    checked = {name for name, _, _ in limits}
    for name in stages:
        if name not in checked and warm.stage(name)[0]:
            print(f"note: stage {name} (no expectation here) computed {warm.stage(name)[0]}")
    if not warnings:
        print("only the expected work was redone")

    ratio = warm.wall / cold.wall
    report_ratio = warm.report["wall_seconds"] / cold.report["wall_seconds"]
    print(f"cold {cold.wall:.1f} s (in-process {cold.report['wall_seconds']:.1f} s), "
          f"incremental {warm.wall:.1f} s (in-process {warm.report['wall_seconds']:.1f} s): "
          f"ratio {ratio:.3f} (in-process {report_ratio:.3f}; goal <= {GOAL})")
    print(f"RESULT ratio={ratio:.4f} cold_s={cold.wall:.2f} incremental_s={warm.wall:.2f} "
          f"recomputed_voice={warm.stage('voice')[0]} "
          f"recomputed_picture={warm.stage('picture')[0]} preview={int(args.preview)} "
          f"recomputed_layout={warm.stage('layout')[0]} "
          f"recomputed_master={warm.stage('master')[0]} touched_shots={len(shot_ids)} "
          f"shots={warm.report['shots']} inprocess_ratio={report_ratio:.4f} "
          f"warnings={warnings} executor={args.executor or 'default'}")


if __name__ == "__main__":
    main()
