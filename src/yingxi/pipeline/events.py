"""Progress events the runner emits; the CLI turns them into bars, other programs into JSON."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any


@dataclass(frozen=True)
class StageQueued:
    """``count`` tasks of a stage are about to run (cached or not)."""

    stage: str
    count: int


@dataclass(frozen=True)
class TaskStarted:
    """A task missed the cache and started computing."""

    stage: str
    key: str
    label: str


@dataclass(frozen=True)
class TaskProgress:
    """A long task reports how far it is."""

    stage: str
    key: str
    done: int
    total: int


@dataclass(frozen=True)
class TaskFinished:
    """A task's output is available, from the cache or freshly computed."""

    stage: str
    key: str
    label: str
    cached: bool
    wall_seconds: float
    cpu_seconds: float


Event = StageQueued | TaskStarted | TaskProgress | TaskFinished
EventSink = Callable[[Event], None]


def event_to_json(event: Event) -> dict[str, Any]:
    """A JSON-friendly dict of an event, with its type."""
    return {"event": type(event).__name__, **asdict(event)}
