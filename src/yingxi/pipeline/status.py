"""Which tasks of an episode are current, stale or missing, and why.

* **current**: the task's key has an intact manifest in the store; a render serves it.
* **stale**: an earlier render made this task, but an input changed since: the reasons say
  which ("line 3 text changed", "upstream voice of line 3 changed", "look changed"), or
  which upstream task is not current, so that no key can be computed yet.
* **missing**: never made (or made and since removed from the store).

The reasons come from a record of the last render, ``.yingxi/runs/EPISODE[-preview].json``,
written by :func:`record_render` at the end of every successful render: per task its key and
a digest of every input field. :func:`episode_status` walks the episode read-only
(:mod:`yingxi.pipeline.walk`) and compares field by field.
"""

from __future__ import annotations

import contextlib
import difflib
import json
import logging
import os
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from yingxi.errors import YingxiError
from yingxi.pipeline.walk import EpisodeWalk, TaskNode, walk_episode

if TYPE_CHECKING:
    from yingxi.pipeline.episode import EpisodePipeline

log = logging.getLogger(__name__)

State = Literal["current", "stale", "missing"]
STATES: tuple[State, ...] = ("current", "stale", "missing")
RUNS_DIR = "runs"
RECORD_FORMAT = "yingxi.RunRecord/1"
_MAX_NAMED = 3  # upstream tasks named in one reason before "and N more"


@dataclass(frozen=True)
class TaskStatus:
    """One task of an episode: its state and, unless current, why."""

    stage: str
    id: str                    # "line 3", "sc01-020", "scene 2", or the episode id
    label: str                 # "line 3 (周山: 坐吧。)"
    state: State
    reasons: tuple[str, ...]
    key: str | None            # None when an upstream output is not current
    shots: tuple[str, ...]     # the shots it belongs to (voice, layout, picture, segment)

    def to_json(self) -> dict[str, Any]:
        """Plain JSON data."""
        return {"stage": self.stage, "id": self.id, "label": self.label, "state": self.state,
                "reasons": list(self.reasons), "key": self.key, "shots": list(self.shots)}


@dataclass(frozen=True)
class EpisodeStatus:
    """Every task of one episode at one size, in pipeline order."""

    episode: str
    preview: bool
    tasks: tuple[TaskStatus, ...]
    shots: tuple[str, ...]     # shot ids, as the next render would plan them
    plan_basis: str            # "current", "last render" (a stand-in) or "none"
    recorded: bool             # whether a record of an earlier render was found

    @property
    def counts(self) -> dict[State, int]:
        """How many tasks are in each state."""
        found = Counter(task.state for task in self.tasks)
        return {state: found.get(state, 0) for state in STATES}

    @property
    def up_to_date(self) -> bool:
        """Whether a render would compute nothing."""
        return all(task.state == "current" for task in self.tasks)

    @property
    def shot_stages(self) -> list[str]:
        """The stages with one task per shot (or per line shown in shots), in order."""
        return list(dict.fromkeys(task.stage for task in self.tasks if task.shots))

    def task(self, stage: str, ident: str) -> TaskStatus | None:
        """The task of ``stage`` called ``ident`` ("line 3", a shot id...), if any."""
        return next((t for t in self.tasks if t.stage == stage and t.id == ident), None)

    def shot_row(self, shot_id: str) -> dict[str, TaskStatus]:
        """Stage -> the task of that stage that shot ``shot_id`` depends on."""
        row: dict[str, TaskStatus] = {}
        for task in self.tasks:
            if shot_id in task.shots:
                row.setdefault(task.stage, task)
        return row

    def to_json(self) -> dict[str, Any]:
        """Plain JSON data: a summary, one row per shot and every task."""
        stages = self.shot_stages
        rows = []
        for shot in self.shots:
            row = self.shot_row(shot)
            rows.append({"id": shot, **{s: (row[s].state if s in row else None)
                                        for s in stages}})
            if "voice" in row:
                rows[-1]["line"] = row["voice"].id
        return {"episode": self.episode, "preview": self.preview,
                "up_to_date": self.up_to_date, "summary": self.counts,
                "plan_basis": self.plan_basis, "recorded": self.recorded, "shots": rows,
                "tasks": [task.to_json() for task in self.tasks]}


def episode_status(pipeline: EpisodePipeline, episode: str) -> EpisodeStatus:
    """The status of ``episode`` at ``pipeline``'s scale; reads, never writes."""
    store_root = pipeline.runner.store.root
    record = read_record(record_path(store_root, episode, pipeline.scale))
    walked = walk_episode(pipeline, episode, last_plans(store_root, episode, pipeline.scale))
    return judge(walked, record)


def judge(walked: EpisodeWalk, record: dict[str, Any] | None) -> EpisodeStatus:
    """Compare a walk with the record of the last render."""
    entries = _match(walked.tasks, record["tasks"] if record else [])
    tasks = []
    for node in walked.tasks:
        state, reasons = _state(node, entries.get(id(node)), record is not None)
        tasks.append(TaskStatus(stage=node.stage, id=node.ident, label=node.label, state=state,
                                reasons=tuple(reasons), key=node.key,
                                shots=tuple(node.shots)))
    return EpisodeStatus(episode=walked.episode, preview=walked.scale > 1, tasks=tuple(tasks),
                         shots=tuple(walked.shots), plan_basis=walked.plan_basis,
                         recorded=record is not None)


# --- the record of a render ---------------------------------------------------------------------


def record_path(store_root: Path, episode: str, scale: int) -> Path:
    """Where the record of the last render of ``episode`` at ``scale`` lives."""
    stem = episode if scale == 1 else f"{episode}-preview"
    return store_root / RUNS_DIR / f"{stem}.json"


def record_render(pipeline: EpisodePipeline, episode: str) -> None:
    """Record what the render of ``episode`` that just finished used: every task's key and
    a digest of every input field. A failure is logged, never raised: the episode itself
    was delivered."""
    store = pipeline.runner.store
    try:
        walked = walk_episode(pipeline, episode)
        behind = [f"{t.stage} {t.ident}" for t in walked.tasks if not t.stored]
        if behind:  # the walk must see what the render did; if not, status would mislead
            log.warning("yingxi status disagrees with the render of %s about %s", episode,
                        ", ".join(behind[:5]))
        data = {"format": RECORD_FORMAT, "episode": episode, "scale": pipeline.scale,
                "created": time.time(), "tasks": [_entry(t) for t in walked.tasks]}
        _write_atomic(record_path(store.root, episode, pipeline.scale),
                      json.dumps(data, ensure_ascii=False, separators=(",", ":")))
    except (OSError, YingxiError) as exc:
        log.warning("cannot record the render of %s for `yingxi status`: %s", episode, exc)


def last_plans(store_root: Path, episode: str, scale: int) -> list[str]:
    """Keys of the plans the last renders of ``episode`` used, this scale's first (a plan
    does not depend on the picture size, so another size's will often do)."""
    keys = []
    mine = record_path(store_root, episode, scale)
    for path in (mine, record_path(store_root, episode, 2 if scale == 1 else 1)):
        record = read_record(path)
        keys += [e["key"] for e in (record["tasks"] if record else [])
                 if e.get("stage") == "plan" and isinstance(e.get("key"), str)]
    return list(dict.fromkeys(keys))


def read_record(path: Path) -> dict[str, Any] | None:
    """A record written by :func:`record_render`, or None if there is none usable."""
    try:
        data = json.loads(path.read_bytes())
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:
        log.warning("ignoring the unreadable render record %s: %s", path, exc)
        return None
    if not isinstance(data, dict) or data.get("format") != RECORD_FORMAT \
            or not isinstance(data.get("tasks"), list):
        log.warning("ignoring the render record %s: not a %s", path, RECORD_FORMAT)
        return None
    data["tasks"] = [e for e in data["tasks"] if isinstance(e, dict)]
    return data


def _entry(node: TaskNode) -> dict[str, Any]:
    return {"stage": node.stage, "id": node.ident, "anchor": node.anchor, "key": node.key,
            "version": node.version, "backend": node.backend, "fields": node.fields,
            "upstream": {name: [up.key for up in ups if up.key]
                         for name, ups in node.upstream.items()}}


def _write_atomic(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    try:
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()


# --- judging one task -------------------------------------------------------------------------


def _match(nodes: list[TaskNode], entries: list[dict[str, Any]]) -> dict[int, dict[str, Any]]:
    """id(node) -> its entry in the record. Tasks are matched by stage and id, but voices by
    their place among the lines (speaker and text), so that a line inserted before line 3
    does not make every later line look changed."""
    matched: dict[int, dict[str, Any]] = {}
    by_id = {(e.get("stage"), e.get("id")): e for e in entries}
    for node in nodes:
        if node.stage != "voice" and (node.stage, node.ident) in by_id:
            matched[id(node)] = by_id[(node.stage, node.ident)]
    voices = [n for n in nodes if n.stage == "voice"]
    old = [e for e in entries if e.get("stage") == "voice"]
    matcher = difflib.SequenceMatcher(None, [str(e.get("anchor")) for e in old],
                                      [n.anchor for n in voices], autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag in ("equal", "replace"):  # a replaced run pairs up in order: edited lines
            for i, j in zip(range(i1, i2), range(j1, j2), strict=False):
                matched[id(voices[j])] = old[i]
    return matched


def _state(node: TaskNode, entry: dict[str, Any] | None,
           recorded: bool) -> tuple[State, list[str]]:
    if node.stored:
        return "current", []
    if node.key is None:
        return ("stale" if entry else "missing"), _blocked(node)
    if entry is None:
        return "missing", ["not in the last render" if recorded else "not in the store"]
    if entry.get("key") == node.key:
        return "missing", ["rendered before, but no longer in the store "
                           "(removed by cache gc, or damaged)"]
    return "stale", _changes(node, entry) or ["how yingxi computes its key changed"]


def _blocked(node: TaskNode) -> list[str]:
    # name the causes only: a task blocked by another one named here adds nothing
    nodes = [n for n in node.blocked if not any(b in node.blocked for b in n.blocked)] \
        or node.blocked
    named = [f"{_upstream(node, n)} is not current" for n in nodes[:_MAX_NAMED]]
    if len(nodes) > _MAX_NAMED:
        named.append(f"and {len(nodes) - _MAX_NAMED} more upstream tasks are not current")
    return named


def _changes(node: TaskNode, entry: dict[str, Any]) -> list[str]:
    """Why the key of ``node`` differs from the recorded one, in words."""
    reasons: list[str] = []
    if entry.get("version") != node.version:
        reasons.append(f"{node.stage} stage version {entry.get('version')} → {node.version}")
    if entry.get("backend") != node.backend:
        reasons.append(f"backend {_backend(entry.get('backend'))} → {_backend(node.backend)}")
    old_fields = entry.get("fields") or {}
    old_upstream = entry.get("upstream") or {}
    for name in dict.fromkeys([*node.fields, *old_fields]):
        if old_fields.get(name) == node.fields.get(name):
            continue
        before = set(old_upstream.get(name) or [])
        changed = [up for up in node.upstream.get(name, []) if up.key not in before]
        if changed:  # the field changed because an upstream output did
            reasons.extend(f"{_upstream(node, up)} changed" for up in changed[:_MAX_NAMED])
            if len(changed) > _MAX_NAMED:
                reasons.append(f"and {len(changed) - _MAX_NAMED} more upstream "
                               f"{changed[0].stage} tasks changed")
        else:
            what = "added" if name not in old_fields else \
                "removed" if name not in node.fields else "changed"
            reasons.append(f"{_field_name(node, name)} {what}")
    return list(dict.fromkeys(reasons))


def _upstream(node: TaskNode, up: TaskNode) -> str:
    # "upstream layout" for the layout of the task's own shot, else "upstream voice of line 3"
    return f"upstream {up.stage}" if up.ident == node.ident else \
        f"upstream {up.stage} of {up.ident}"


def _field_name(node: TaskNode, name: str) -> str:
    if name in node.names:
        return node.names[name]
    return name.removeprefix("request.").replace("_", " ")


def _backend(info: Any) -> str:
    if not isinstance(info, dict):
        return "none"
    return " ".join(str(info[k]) for k in ("name", "version", "model") if info.get(k))

