"""How ``yingxi status``, ``yingxi cache gc`` and ``yingxi cache verify`` print their results
(rich tables on a terminal, JSON with ``--json``). Only presentation: the work is done by
:mod:`yingxi.api`."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from yingxi.pipeline.gc import GcResult, VerifyResult
    from yingxi.pipeline.status import EpisodeStatus, TaskStatus

_STYLE = {"current": "green", "stale": "yellow", "missing": "red"}
_MAX_IDS = 4  # ids listed in one "why" line before "…"


def status_json(production: Path, preview: bool, statuses: Sequence[EpisodeStatus]) -> str:
    """The status of every episode as one JSON document."""
    return json.dumps({"production": str(production), "preview": preview,
                       "up_to_date": all(s.up_to_date for s in statuses),
                       "episodes": [s.to_json() for s in statuses]},
                      ensure_ascii=False, indent=1)


def print_status(console: Any, production: Path, status: EpisodeStatus) -> None:
    """One episode: a table of its shots, its episode-wide tasks, why anything is not
    current, and a summary line."""
    from rich.table import Table

    size = " (preview)" if status.preview else ""
    stages = status.shot_stages
    table = Table(title=f"{status.episode}{size}", title_justify="left")
    table.add_column("shot")
    for stage in stages:
        table.add_column(stage)
    for shot in status.shots:
        row = status.shot_row(shot)
        cells = []
        for stage in stages:
            task = row.get(stage)
            if task is None:
                cells.append("[dim]·[/]")
                continue
            where = f" [dim]{task.id}[/]" if stage == "voice" else ""
            cells.append(f"{_state(task.state)}{where}")
        table.add_row(shot, *cells)
    if status.shots:
        console.print(table)
    else:
        console.print(f"[bold]{status.episode}{size}[/]: no shot plan yet")
    parts = []
    # the stages not shown per shot: script, plan, music, foley, cut, master...
    for stage in dict.fromkeys(t.stage for t in status.tasks if t.stage not in stages):
        tasks = [t for t in status.tasks if t.stage == stage]
        if len(tasks) == 1:
            parts.append(f"{stage} {_state(tasks[0].state)}")
        elif tasks:
            done = sum(t.state == "current" for t in tasks)
            style = "green" if done == len(tasks) else "yellow"
            parts.append(f"{stage} [{style}]{done}/{len(tasks)}[/]")
    console.print("  " + " · ".join(parts), highlight=False)
    if status.plan_basis == "last render":
        console.print("  [dim]the shot plan itself is not current: shots are judged as the "
                      "last render planned them[/]", highlight=False)
    for line in _why(status.tasks):
        console.print(f"  {line}", highlight=False)
    console.print(_summary(production, status), highlight=False)


def _state(state: str) -> str:
    return "[green]✓[/]" if state == "current" else f"[{_STYLE[state]}]{state}[/]"


def _why(tasks: Sequence[TaskStatus]) -> list[str]:
    """One line per (stage, state, reasons), naming the tasks it applies to."""
    groups: dict[tuple[str, str, tuple[str, ...]], list[TaskStatus]] = {}
    for task in tasks:
        if task.state != "current":
            groups.setdefault((task.stage, task.state, task.reasons), []).append(task)
    lines = []
    for (stage, state, reasons), members in groups.items():
        if len(members) == 1:
            names = members[0].label
        else:
            names = ", ".join(t.id for t in members[:_MAX_IDS])
            names += f", … ({len(members)})" if len(members) > _MAX_IDS else ""
        why = "; ".join(reasons) or state
        lines.append(f"[{_STYLE[state]}]{state:>7}[/] {stage} {names}: {why}")
    return lines


def _summary(production: Path, status: EpisodeStatus) -> str:
    counts = status.counts
    total = sum(counts.values())
    if status.up_to_date:
        return f"[green]✓[/] {status.episode}: up to date ({total} tasks current)"
    flag = " --preview" if status.preview else ""
    return (f"[yellow]![/] {status.episode}: {counts['stale']} stale, {counts['missing']} "
            f"missing, {counts['current']} current of {total} tasks; "
            f"`yingxi render {production} -e {status.episode}{flag}` brings it up to date")


def print_gc(console: Any, result: GcResult) -> None:
    """What ``cache gc`` removed (or would remove) and kept."""
    verb = "would remove" if result.dry_run else "removed"
    console.print(
        f"cache gc: {verb} {result.manifests_removed} tasks and {result.blobs_removed} files "
        f"({_bytes(result.bytes_freed)}), {result.tmp_removed} temp entries and "
        f"{result.locks_removed} lock files; kept {result.manifests_kept} tasks and "
        f"{result.blobs_kept} files ({_bytes(result.bytes_kept)})", highlight=False)


def print_verify(console: Any, result: VerifyResult) -> None:
    """What ``cache verify`` checked, every problem, and what was repaired."""
    found = len(result.problems)
    console.print(f"cache verify: checked {result.blobs} files ({_bytes(result.bytes_checked)}) "
                  f"and {result.manifests} tasks: "
                  f"{'no problems' if not found else f'{found} problem(s)'}", highlight=False)
    for problem in result.problems:
        console.print(f"  [red]✗[/] {problem}", highlight=False)
    if result.repaired:
        paths = len({p.path for p in result.problems})
        console.print(f"[green]✓[/] repaired: removed {paths} damaged entries; the next "
                      "render recomputes them", highlight=False)


def _bytes(count: int) -> str:
    if count < 1024:
        return f"{count} B"
    size, unit = count / 1024, "KB"
    for bigger in ("MB", "GB"):
        if size < 1024:
            break
        size, unit = size / 1024, bigger
    return f"{size:.1f} {unit}"
