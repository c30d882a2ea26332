"""Turn pydantic validation errors into messages that name the file, line, field and fix."""

from __future__ import annotations

import difflib
import types
import typing
from collections.abc import Callable, Sequence
from typing import Any

from pydantic import BaseModel, ValidationError

from yingxi.errors import YingxiError

Loc = tuple[int | str, ...]
Locator = Callable[[Loc], tuple[int | None, int | None]]


def validation_error(
    exc: ValidationError,
    model: type[BaseModel],
    *,
    file: str,
    locate: Locator,
    error_type: type[YingxiError],
) -> YingxiError:
    """One error for a failed validation: the first problem in full, the others listed."""
    problems = exc.errors(include_url=False)
    first = problems[0]
    line, column = locate(tuple(first["loc"]))
    message = f"{_path(first['loc'])}: {_describe(first)}"
    hint = _hint(first, model)
    if len(problems) > 1:
        others = []
        for problem in problems[1:6]:
            other_line, _ = locate(tuple(problem["loc"]))
            where = f"line {other_line}: " if other_line else ""
            others.append(f"{where}{_path(problem['loc'])}: {_describe(problem)}")
        more = f" (+{len(problems) - 6} more)" if len(problems) > 6 else ""
        message += "\n  also: " + "\n  also: ".join(others) + more
    return error_type(message, file=file, line=line, column=column, hint=hint)


def _path(loc: Sequence[int | str]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif part.endswith("]") or part.startswith("function-after"):
            continue  # pydantic's internal validator steps, not fields
        else:
            out += f".{part}" if out else part
    return out or "(top level)"


def _describe(problem: Any) -> str:
    kind = problem["type"]
    if kind == "extra_forbidden":
        return "unknown field"
    if kind == "missing":
        return "required field is missing"
    msg = str(problem["msg"])
    return msg.removeprefix("Value error, ")


def _hint(problem: Any, model: type[BaseModel]) -> str | None:
    loc = tuple(problem["loc"])
    kind = problem["type"]
    if kind == "extra_forbidden" and loc and isinstance(loc[-1], str):
        fields = _fields_at(model, loc[:-1])
        close = difflib.get_close_matches(loc[-1], fields, n=1)
        known = ", ".join(sorted(fields))
        if close:
            return f"did you mean {close[0]!r}? fields here: {known}"
        return f"fields here: {known}" if known else None
    if kind == "missing" and loc:
        return f"add '{loc[-1]}:' here"
    if kind == "literal_error":
        expected = problem.get("ctx", {}).get("expected")
        return f"use one of {expected}" if expected else None
    if kind == "string_pattern_mismatch":
        pattern = problem.get("ctx", {}).get("pattern", "")
        return f"expected {_PATTERNS.get(pattern, 'text matching ' + pattern)}"
    ctx = problem.get("ctx", {})
    if kind in _BOUNDS:
        return f"use a value {_BOUNDS[kind]} {ctx.get(_bound_key(kind))}"
    if kind in _TYPES:
        return _TYPES[kind]
    if kind in ("too_short", "too_long"):
        return f"give between {ctx.get('min_length', 0)} and {ctx.get('max_length', 'any')} items"
    return None


def _bound_key(kind: str) -> str:
    return {"greater_than_equal": "ge", "less_than_equal": "le", "greater_than": "gt",
            "less_than": "lt"}[kind]


_BOUNDS = {"greater_than_equal": ">=", "less_than_equal": "<=", "greater_than": ">",
           "less_than": "<"}
_TYPES = {
    "int_parsing": "write a whole number without quotes, e.g. 50",
    "int_type": "write a whole number without quotes, e.g. 50",
    "int_from_float": "write a whole number, e.g. 50",
    "float_parsing": "write a number without quotes, e.g. -14.0",
    "float_type": "write a number without quotes, e.g. -14.0",
    "bool_parsing": "write true or false",
    "bool_type": "write true or false",
    "string_type": "write text (quote it if it looks like a number, a date or yes/no)",
    "list_type": "write a list: [a, b] or one '- item' per line",
    "dict_type": "write a mapping of 'field: value' lines",
    "model_type": "write a mapping of 'field: value' lines",
    "model_attributes_type": "write a mapping of 'field: value' lines",
}


_PATTERNS = {
    "^#[0-9a-fA-F]{6}$": "a colour as #rrggbb, e.g. \"#b8463b\"",
    "^[a-z][a-z0-9_-]*$": "a lower-case id of letters, digits, '-' and '_', e.g. \"awan\"",
}


def _fields_at(model: type[BaseModel], loc: Loc) -> list[str]:
    """Field names of the model found at ``loc`` inside ``model`` (best effort)."""
    current: Any = model
    for part in loc:
        current = _step(current, part)
        if current is None:
            return []
    if isinstance(current, type) and issubclass(current, BaseModel):
        return list(current.model_fields)
    return []


def _step(current: Any, part: int | str) -> Any:
    if isinstance(current, type) and issubclass(current, BaseModel) and isinstance(part, str):
        field = current.model_fields.get(part)
        return _unwrap(field.annotation) if field is not None else None
    if isinstance(part, int):
        args = typing.get_args(current)
        return _unwrap(args[0]) if args else None
    return None


def _unwrap(annotation: Any) -> Any:
    """The model class inside Optional[...] / list[...] annotations, else the annotation."""
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        return _unwrap(args[0]) if len(args) == 1 else annotation
    return annotation
