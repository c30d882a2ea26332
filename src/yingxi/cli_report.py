"""How ``yingxi render`` reports what it delivered: per episode a table of its stages, the
cost and memory of the run, and the episodes that failed. Only presentation: the numbers come
from the run report the pipeline wrote."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from yingxi.errors import EpisodesFailed, YingxiError

if TYPE_CHECKING:
    from yingxi.pipeline.episode import EpisodeResult


def _cost_line(console: Any, report: Path) -> None:
    """Cost and memory from the run report, under the stage table."""
    data = json.loads(report.read_text(encoding="utf-8"))
    cost, memory = data["cost"], data["memory"]
    per_minute = cost["usd_per_finished_minute"]
    console.print(
        f"cost: this run ${cost['this_run']['usd']:.4f} ({cost['this_run']['cpu_seconds']:.0f} "
        f"CPU-s at ${cost['cpu_hour_usd']}/CPU-h); the episode in all "
        f"${cost['episode']['usd']:.4f}"
        + (f" = ${per_minute:.4f} per finished minute (industry: about "
           f"${cost['industry_usd_per_finished_minute']:.0f})" if per_minute is not None
           else ""), highlight=False)
    console.print(f"peak memory: {memory['peak_rss_mb_main']:.0f} MB main, "
                  f"{memory['peak_rss_mb_worker']:.0f} MB largest worker "
                  f"({memory['executor']}, {memory['workers']} workers)", highlight=False)


def print_failures(console: Any, failed: EpisodesFailed, as_json: bool,
                   describe: Callable[[YingxiError], str]) -> None:
    """The episodes that failed, each with its error, then a summary line."""
    if as_json:
        for name, exc in failed.failures.items():
            print(json.dumps({"event": "EpisodeFailed", "episode": name, "error": exc.message,
                              "file": exc.file, "line": exc.line, "hint": exc.hint},
                             ensure_ascii=False), flush=True)
        return
    for name, exc in failed.failures.items():
        console.print(f"[red]✗[/] {name}: {describe(exc)}", highlight=False)
    console.print(f"[red]{failed.message}[/]", highlight=False)


def print_results(console: Any, results: list[EpisodeResult], as_json: bool) -> None:
    """Per delivered episode: its stage table, cost and memory, and where its files are."""
    if as_json:
        for r in results:
            print(json.dumps({"event": "EpisodeDone", "episode": r.episode,
                              "video": str(r.video), "report": str(r.report),
                              "duration": r.master.duration,
                              "wall_seconds": round(r.wall_seconds, 3)}), flush=True)
        return
    from rich.table import Table

    for r in results:
        table = Table(title=f"{r.episode}: {r.master.duration:.1f} s, {len(r.shots.shots)} "
                            f"shots, rendered in {r.wall_seconds:.1f} s")
        for column in ("stage", "computed", "cached", "wall s", "cpu s"):
            table.add_column(column, justify="right" if column != "stage" else "left")
        for stage, s in r.stats.stages.items():
            table.add_row(stage, str(s.misses), str(s.hits), f"{s.wall_seconds:.1f}",
                          f"{s.cpu_seconds:.1f}")
        console.print(table)
        _cost_line(console, r.report)
        console.print(f"[green]✓[/] {r.video}  (+ {r.subtitles.name}, {r.report.name})")
        for note in r.notes:
            console.print(f"  [yellow]![/] shot plan: {note}", highlight=False)
