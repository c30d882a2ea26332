"""Benchmark: the peak memory of a render does not grow with the episode's length.

Two synthetic productions are built from the bundled example (``examples/paper-lantern``:
its ``yingxi.toml`` and ``bible.yaml`` as they are) with one episode each, ``ep01``: about
30 s and about 5 min. Their screenplays repeat the example's scenes (same places, the time of
day varied from round to round), characters, parentheticals and actions; every line of
dialogue is two clauses of the example's dialogue joined in a new pair, so that no two lines,
voices or shots are alike and nothing is served from the store twice. The number of lines is
the one whose running time by ``yingxi check``'s estimate is closest to the target (the real
length, from the render's report, is what is reported); each production
must pass ``python -m yingxi check DIR``.

Each episode is rendered cold (fresh store) in a fresh child process (``yingxi.render``), and
what is measured is the peak resident memory of that process tree:

- ``self``: ``getrusage(RUSAGE_SELF).ru_maxrss`` of the rendering process (its VmHWM);
- ``children``: ``getrusage(RUSAGE_CHILDREN).ru_maxrss`` taken in that process after the
  render: the largest peak of any of its terminated, waited-for descendants (pool workers,
  encoder or speaker subprocesses). A forked worker's RSS counts the pages it shares with its
  parent; an exec'd child's peak may include its pre-exec (forked) size, which is at most the
  parent's size then. Workers that are not its own waited-for children (those a
  ``forkserver`` starts, say) are missing here, hence:
- ``hwm``: sampled from outside every 0.5 s, the largest VmHWM of any process of the tree
  (the child and all its live descendants, found through /proc). A high-water mark, so a
  sample misses nothing of a process that lives past one sample;
- ``rss``: max(self, children, hwm), the peak of the largest single process of the tree:
  the figure this benchmark's RESULT reports and compares (growth = rss_5min / rss_30s; a
  render whose memory does not grow with length gives about 1);
- ``tree``: sampled likewise, the sum of PSS (proportional set size: shared pages split
  between their users, so no double counting) over the tree: what the whole tree holds at
  once when a pool is used (a sample may miss a short peak).

A render whose processes together pass ``--limit-mb`` of RSS (default 90% of the memory
available at the start) is killed before the kernel's OOM killer steps in; the benchmark
then reports the peak seen so far (a lower bound), the estimated length and ``killed=1``.

    .venv/bin/python bench/memory.py [--preview] [--limit-mb MB]

Default full size (the 5 min render takes many minutes on 2 cores); ``--preview`` renders
at a quarter of the size, for a quick check. MB are MiB. The last line is ``RESULT
rss_30s_mb=... rss_5min_mb=... growth=... duration_30s=... duration_5min=... preview=0|1``
and a few more keys.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "paper-lantern"
EPISODE = "ep01"
TARGETS = (("30s", 30.0), ("5min", 300.0))
EXTRA_TIMES = ("清晨", "白天")  # times of day for later rounds of the example's scenes
CLAUSE_SPLIT = re.compile(r"[，。？！；、,.?!;]+")
SAMPLE_SECONDS = 0.5


@dataclass
class SourceScene:
    """One scene of the example: heading parts, actions and dialogue blocks."""

    place: str                                  # "外景 江边"
    time: str                                   # "黄昏"
    actions: list[str] = field(default_factory=list)
    blocks: list[tuple[str, str | None]] = field(default_factory=list)  # (cue, parenthetical)


def source_scenes() -> tuple[list[SourceScene], list[str]]:
    """The example episode's scenes, and every clause of its dialogue (no repeats)."""
    from yingxi.script.fountain import parse_document

    path = EXAMPLE / "episodes" / f"{EPISODE}.fountain"
    scenes: list[SourceScene] = []
    clauses: list[str] = []
    paren: str | None = None
    for e in parse_document(path.read_text("utf-8"), str(path)).elements:
        if e.type == "scene_heading":
            place, _, time_word = e.text.rpartition(" - ")
            scenes.append(SourceScene(place=place or e.text, time=time_word))
        elif not scenes:
            continue
        elif e.type == "action":
            scenes[-1].actions.append(e.text)
        elif e.type == "parenthetical":
            paren = e.text
        elif e.type == "dialogue":
            scenes[-1].blocks.append((e.character or "", paren))
            paren = None
            clauses += [c for c in CLAUSE_SPLIT.split(e.text) if c and c not in clauses]
    return scenes, clauses


def screenplay(lines: int) -> str:
    """A Fountain episode of ``lines`` lines of dialogue, the example's scenes in turn."""
    scenes, clauses = source_scenes()
    times = list(dict.fromkeys([*(s.time for s in scenes), *EXTRA_TIMES]))
    pairs = [(a, (a + d) % len(clauses)) for d in range(1, len(clauses))
             for a in range(len(clauses))]
    if lines > len(pairs):
        raise SystemExit(f"at most {len(pairs)} distinct lines")
    out = ["Title: 纸灯笼 (memory benchmark)", "Episode: 第一集", "Author: bench/memory.py", ""]
    done, number = 0, 0
    while done < lines:
        scene = scenes[number % len(scenes)]
        # the first round as written, each later one a step later in ``times``
        time_word = times[(times.index(scene.time) + number // len(scenes)) % len(times)]
        out += [f"{scene.place} - {time_word}", ""]
        if scene.actions:
            out += [scene.actions[0], ""]
        for cue, paren in scene.blocks[:lines - done]:
            first, second = (clauses[i] for i in pairs[done])
            end = "？" if second.endswith("吗") else "。"
            out += [cue, *([paren] if paren else []), f"{first}，{second}{end}", ""]
            done += 1
        if len(scene.actions) > 1:
            out += [scene.actions[-1], ""]
        number += 1
    return "\n".join(out)


def build(dest: Path, seconds: float) -> tuple[float, int]:
    """A production in ``dest`` whose episode runs as close to ``seconds`` as whole lines
    allow by ``yingxi check``'s estimate; that estimate and the number of lines. The
    production must pass the check."""
    from yingxi.script.check import check_path

    (dest / "episodes").mkdir(parents=True)
    for name in ("yingxi.toml", "bible.yaml"):
        shutil.copy2(EXAMPLE / name, dest / name)
    fountain = dest / "episodes" / f"{EPISODE}.fountain"
    lines, estimate, before = 0, 0.0, 0.0
    while estimate < seconds:
        lines, before = lines + 1, estimate
        fountain.write_text(screenplay(lines), encoding="utf-8")
        estimate = check_path(dest).episodes[0].estimated_seconds
    if lines > 1 and seconds - before < estimate - seconds:  # one line fewer is closer
        lines, estimate = lines - 1, before
        fountain.write_text(screenplay(lines), encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "yingxi", "check", str(dest)],
                          capture_output=True, text=True, check=False)
    if done.returncode:
        raise SystemExit(f"yingxi check {dest} failed:\n{done.stdout}{done.stderr}")
    print(done.stdout.strip().splitlines()[0])
    return estimate, lines


def child(production: Path, preview: bool) -> None:
    """Hidden mode: render the episode; print a JSON line with its peaks, wall time and
    length."""
    import yingxi

    started = time.perf_counter()
    [result] = yingxi.render(production, [EPISODE], preview=preview)
    wall = time.perf_counter() - started
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    report = json.loads(result.report.read_text("utf-8"))
    print(json.dumps({"self_mb": own, "children_mb": children, "wall": wall,
                      "duration": report["duration_seconds"], "frames": report["frames"],
                      "shots": report["shots"], "format": report["format"]}))


def _children_of(pids: set[int]) -> set[int]:
    """Every live descendant of ``pids`` (a scan of /proc for parent ids)."""
    parents: dict[int, int] = {}
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                stat = Path(entry.path, "stat").read_text()
            except OSError:
                continue
            parents[int(entry.name)] = int(stat.rpartition(")")[2].split()[1])
    found, grew = set(pids), True
    while grew:
        more = {pid for pid, ppid in parents.items() if ppid in found and pid not in found}
        found |= more
        grew = bool(more)
    return found


def _memory_mb(pid: int) -> tuple[float, float, float]:
    """A process's (PSS, RSS, VmHWM) in MB; zeros once it is gone."""
    figures = {"Pss:": 0.0, "VmRSS:": 0.0, "VmHWM:": 0.0}
    for name in ("smaps_rollup", "status"):
        try:
            for line in Path(f"/proc/{pid}/{name}").read_text().splitlines():
                key = line.split(maxsplit=1)[0] if line else ""
                if key in figures:
                    figures[key] = int(line.split()[1]) / 1024
        except (OSError, ValueError):
            pass
    return figures["Pss:"], figures["VmRSS:"], figures["VmHWM:"]


def available_mb() -> float:
    """MemAvailable of the machine, in MB."""
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemAvailable:"):
            return int(line.split()[1]) / 1024
    raise KeyError("MemAvailable")


def run_child(production: Path, preview: bool, limit_mb: float) -> dict[str, Any]:
    """Render in a fresh child process, sampling its tree's memory; the child's JSON, with
    the process wall time and the sampled peaks added. If the tree's RSS passes
    ``limit_mb``, the tree is killed (before the kernel's OOM killer picks a victim) and the
    result says ``killed`` with the peak seen so far."""
    command = [sys.executable, __file__, "--child", str(production)]
    if preview:
        command.append("--preview")
    sys.stdout.flush()
    started = time.perf_counter()
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    tree, hwm, processes, killed = 0.0, 0.0, 1, False
    while proc.poll() is None:
        pids = _children_of({proc.pid})
        figures = [_memory_mb(pid) for pid in pids]
        tree = max(tree, sum(f[0] for f in figures))
        hwm = max([hwm, *(f[2] for f in figures)])
        processes = max(processes, len(pids))
        if sum(f[1] for f in figures) > limit_mb:
            for pid in pids:  # the child and the processes it started
                with contextlib.suppress(OSError):
                    os.kill(pid, signal.SIGKILL)
            proc.wait()
            killed = True
            break
        time.sleep(SAMPLE_SECONDS)
    wall = time.perf_counter() - started
    out = proc.stdout.read() if proc.stdout else ""
    if killed:
        print(f"KILLED: the render's processes passed {limit_mb:.0f} MB of RSS after "
              f"{wall:.0f} s; the peak below is what was seen until then (a lower bound)")
        return {"killed": True, "process_wall": wall, "tree_mb": tree, "hwm_mb": hwm,
                "processes": processes, "rss_mb": hwm}
    if proc.returncode:
        raise SystemExit(f"the render of {production} failed with exit status "
                         f"{proc.returncode}")
    result: dict[str, Any] = json.loads(out.splitlines()[-1])
    result.update(killed=False, process_wall=wall, tree_mb=tree, hwm_mb=hwm,
                  processes=processes,
                  rss_mb=max(result["self_mb"], result["children_mb"], hwm))
    return result


def main() -> None:
    """Parse the arguments and run the benchmark (or the hidden child mode)."""
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--preview", action="store_true", help="quarter size (quick)")
    parser.add_argument("--limit-mb", type=float,
                        help="kill a render whose processes pass this RSS in all (default: "
                             "90%% of the memory available at the start)")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.preview)
        return

    limit = args.limit_mb or 0.9 * available_mb()
    print(f"cores: {len(os.sched_getaffinity(0))} usable; load average "
          f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}; a render is killed past "
          f"{limit:.0f} MB")
    got: dict[str, dict[str, Any]] = {}
    with tempfile.TemporaryDirectory(prefix="yingxi-memory-") as tmp:
        for label, seconds in TARGETS:
            production = Path(tmp) / label
            estimate, lines = build(production, seconds)
            print(f"{label}: {lines} lines of dialogue, about {estimate:.0f} s by the "
                  "estimate; rendering cold in a fresh process...")
            result = got[label] = run_child(production, args.preview, limit)
            sampled = (f"sampled: tree PSS {result['tree_mb']:.0f} MB, largest VmHWM "
                       f"{result['hwm_mb']:.0f} MB, up to {result['processes']} processes")
            if result["killed"]:
                result["duration"] = estimate  # no report: the estimate stands in
                print(f"{label}: killed after {result['process_wall']:.1f} s; {sampled}")
                continue
            fmt = result["format"]
            print(f"{label}: {result['duration']:.1f} s ({result['frames']} frames, "
                  f"{result['shots']} shots, {fmt['width']}x{fmt['height']}) in "
                  f"{result['wall']:.1f} s render ({result['process_wall']:.1f} s process); "
                  f"peak RSS self {result['self_mb']:.0f} MB, children "
                  f"{result['children_mb']:.0f} MB, max {result['rss_mb']:.0f} MB; {sampled}")

    short, long = got["30s"], got["5min"]
    growth = long["rss_mb"] / short["rss_mb"]
    print(f"peak RSS {short['rss_mb']:.0f} MB for {short['duration']:.0f} s, "
          f"{long['rss_mb']:.0f} MB for {long['duration']:.0f} s: x{growth:.3f} for "
          f"x{long['duration'] / short['duration']:.1f} the length (tree PSS "
          f"x{long['tree_mb'] / short['tree_mb']:.3f})")
    print(f"RESULT rss_30s_mb={short['rss_mb']:.0f} rss_5min_mb={long['rss_mb']:.0f} "
          f"growth={growth:.3f} duration_30s={short['duration']:.1f} "
          f"duration_5min={long['duration']:.1f} preview={int(args.preview)} "
          f"tree_pss_30s_mb={short['tree_mb']:.0f} tree_pss_5min_mb={long['tree_mb']:.0f} "
          f"wall_30s={short['process_wall']:.1f} wall_5min={long['process_wall']:.1f} "
          f"killed={int(short['killed'] or long['killed'])}")


if __name__ == "__main__":
    main()
