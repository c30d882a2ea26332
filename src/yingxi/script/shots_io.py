"""``shots/EPISODE.yaml``: the shot plan as a file the creator owns.

The file lists every shot with the fields a person may change (:data:`EDITABLE`), what it
covers (read-only, rewritten on every plan) and two bookkeeping fields: ``anchor`` (what in
the script the shot belongs to, so ids survive edits) and ``planned`` (a checksum per
editable field of the value the director wrote). A field whose value no longer matches its
checksum was edited by a person and is locked; ``locked`` lists locked fields explicitly.
"""

from __future__ import annotations

import zlib
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import Field, ValidationError

from yingxi.errors import ConfigError
from yingxi.schema.base import Schema, canonical_json
from yingxi.schema.shots import EDITABLE, Angle, Coverage, Move, Size, TransitionKind
from yingxi.script.bible_io import locate_node
from yingxi.script.errors import validation_error

FORMAT = "yingxi.ShotPlan/1"
Editable = Literal["size", "angle", "move", "coverage", "subjects", "foreground", "seconds",
                   "transition_in", "transition_out"]

HEADER = """\
# The shot plan of {episode}, written by `yingxi plan` (and by `yingxi render`). It is yours:
# change size, angle, move, coverage, subjects, foreground, seconds, transition_in or
# transition_out and the change is locked - re-planning after a script edit keeps it. To
# hand a field back to the director, delete its name from `locked`.
#   size:     extreme-wide | wide | full | medium | medium-close | close
#   angle:    eye-level | high | low
#   move:     static | push-in | pull-out | pan-left | pan-right | tilt-down | tilt-up
#   coverage: establishing | master | two-shot | over-shoulder | single | reaction | insert
#   transition_in / transition_out: cut | fade | dissolve
# Do not edit `id`, `anchor` or `planned`; `scene`, `covers`, `line` and `why` are
# rewritten on every plan.
"""


class PlanEntry(Schema):
    """One shot in the plan file."""

    id: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
    scene: str = ""
    line: int | None = None
    covers: str = ""
    size: Size
    angle: Angle = "eye-level"
    move: Move = "static"
    coverage: Coverage
    subjects: list[str] = Field(default_factory=list)
    foreground: str | None = None
    seconds: float = Field(gt=0, le=120)
    transition_in: TransitionKind = "cut"
    transition_out: TransitionKind = "cut"
    why: str = ""
    locked: list[Editable] = Field(default_factory=list)
    anchor: str = Field(min_length=1)
    planned: str = ""

    def value(self, name: str) -> Any:
        """An editable field's value as JSON data."""
        return self.to_data()[name]

    def edited(self) -> set[str]:
        """Fields a person changed: listed in ``locked``, or no longer matching ``planned``."""
        sums = self.planned.split(".") if self.planned else []
        out: set[str] = set(self.locked)
        for i, name in enumerate(EDITABLE):
            if i >= len(sums) or sums[i] != checksum(self.value(name)):
                out.add(name)
        return out


class PlanFile(Schema):
    """The whole plan file."""

    format: Literal["yingxi.ShotPlan/1"] = "yingxi.ShotPlan/1"
    episode: str
    fps: int = Field(ge=1)
    shots: list[PlanEntry] = Field(min_length=1)


def checksum(value: Any) -> str:
    """Six hex digits standing for one field's value (enough to notice an edit)."""
    return f"{zlib.crc32(canonical_json(value).encode('utf-8')) & 0xFFFFFF:06x}"


def checksums(entry: PlanEntry, values: dict[str, Any] | None = None) -> str:
    """The ``planned`` field for ``entry``: its own values, or ``values`` where given."""
    values = values or {}
    return ".".join(checksum(values.get(name, entry.value(name))) for name in EDITABLE)


def read_plan(path: Path) -> PlanFile | None:
    """The plan file at ``path``, or None if there is none yet."""
    text = read_plan_text(path)
    return parse_plan(text, str(path)) if text is not None else None


def read_plan_text(path: Path) -> str | None:
    """The text of the plan file at ``path``, or None if there is none yet."""
    try:
        return path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        return None
    except UnicodeDecodeError:
        raise ConfigError("the shot plan is not UTF-8 text", file=path,
                          hint="save it as UTF-8, or delete it to let yingxi plan afresh"
                          ) from None
    except OSError as exc:
        raise ConfigError(f"cannot read the shot plan: {exc.strerror}", file=path) from None


def parse_plan(text: str, source: str) -> PlanFile:
    """Parse and validate plan YAML; errors point at the file, line and field."""
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise ConfigError(f"invalid YAML: {exc.problem or exc.context}", file=source,
                          line=mark.line + 1 if mark else None,
                          column=mark.column + 1 if mark else None,
                          hint="check indentation and quoting; values with ':' or '#' need "
                               "quotes") from None
    if not isinstance(data, dict):
        raise ConfigError("a shot plan is a mapping with 'episode:', 'fps:' and 'shots:'",
                          file=source, line=1,
                          hint="delete the file to let yingxi plan afresh")
    try:
        plan = PlanFile.model_validate(data)
    except ValidationError as exc:
        raise validation_error(exc, PlanFile, file=source,
                               locate=lambda loc: locate_node(node, loc),
                               error_type=ConfigError) from None
    seen: dict[str, int] = {}
    for i, entry in enumerate(plan.shots):
        if entry.id in seen:
            line, column = locate_node(node, ("shots", i, "id"))
            raise ConfigError(f"shot id {entry.id!r} appears twice", file=source, line=line,
                              column=column, hint="shot ids must be unique; restore the id "
                                                  "yingxi wrote")
        seen[entry.id] = i
    return plan


def dump_plan(plan: PlanFile) -> str:
    """The plan as YAML text: a commented header, then one block per shot."""
    body = {"format": plan.format, "episode": plan.episode, "fps": plan.fps,
            "shots": [_entry_data(e) for e in plan.shots]}
    text = yaml.dump(body, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100,
                     default_flow_style=None)
    return HEADER.format(episode=plan.episode) + text


def _entry_data(entry: PlanEntry) -> dict[str, Any]:
    data = entry.to_data()
    if data["line"] is None:
        del data["line"]
    return data


class _Dumper(yaml.SafeDumper):
    """Lists of names inline (``subjects: [awan, shenzhou]``), everything else in blocks."""


def _represent_list(dumper: yaml.SafeDumper, value: list[Any]) -> yaml.Node:
    flow = all(isinstance(v, str) for v in value)
    return dumper.represent_sequence("tag:yaml.org,2002:seq", value, flow_style=flow)


_Dumper.add_representer(list, _represent_list)
