"""The run report of one episode: what each stage cost, memory, and money per finished minute.

Two costs are given. *This run* counts only the tasks computed now (a re-render after a small
edit is cheap). *The episode* also counts every task served from the store at what it cost
when it was computed (from its manifest), so it is what the finished episode cost to make,
however many runs that took; divided by the episode's length it compares directly with the
industry's figure per finished minute.
"""

from __future__ import annotations

from typing import Any

from yingxi.pipeline.runner import RunStats
from yingxi.pipeline.tasks import peak_rss_mb
from yingxi.schema.production import CostConfig


def cost_summary(stats: RunStats, duration: float, cost: CostConfig) -> dict[str, Any]:
    """Money spent by this run and by the whole episode, per finished minute."""
    price = cost.cpu_hour_usd / 3600
    run_cpu = sum(s.cpu_seconds for s in stats.stages.values())
    run_api = sum(s.cost_usd for s in stats.stages.values())
    all_cpu = run_cpu + sum(s.stored_cpu_seconds for s in stats.stages.values())
    all_api = run_api + sum(s.stored_cost_usd for s in stats.stages.values())
    episode_usd = all_cpu * price + all_api
    minutes = duration / 60
    return {
        "cpu_hour_usd": cost.cpu_hour_usd,
        "this_run": {"cpu_seconds": round(run_cpu, 3), "api_usd": round(run_api, 6),
                     "usd": round(run_cpu * price + run_api, 6)},
        "episode": {"cpu_seconds": round(all_cpu, 3), "api_usd": round(all_api, 6),
                    "usd": round(episode_usd, 6)},
        "usd_per_finished_minute": round(episode_usd / minutes, 6) if minutes > 0 else None,
        "industry_usd_per_finished_minute": cost.industry_usd_per_minute,
    }


def stage_table(stats: RunStats) -> dict[str, dict[str, Any]]:
    """Per stage: tasks computed and served, wall and CPU seconds, money."""
    return {name: {"computed": s.misses, "cached": s.hits,
                   "wall_seconds": round(s.wall_seconds, 3),
                   "cpu_seconds": round(s.cpu_seconds, 3),
                   "api_usd": round(s.cost_usd, 6)}
            for name, s in stats.stages.items()}


def memory_summary(stats: RunStats, executor: str, workers: int) -> dict[str, Any]:
    """Peak memory of the main process and of the largest worker, with where tasks ran."""
    return {"executor": executor, "workers": workers,
            "peak_rss_mb_main": round(peak_rss_mb(), 1),
            "peak_rss_mb_worker": round(stats.peak_worker_rss_mb, 1)}
