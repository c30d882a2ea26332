"""Read ``bible.yaml`` into a validated :class:`~yingxi.schema.bible.Bible`.

YAML is composed into nodes first so that every error can point at the line and column of
the offending value, then validated by the pydantic schema.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from yingxi.errors import BibleError
from yingxi.schema.bible import Bible
from yingxi.script.errors import Loc, validation_error


def read_bible(path: Path) -> Bible:
    """Load and validate a production bible."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise BibleError("production bible not found", file=path,
                         hint="every production needs a bible.yaml with its characters and "
                              "locations; see examples/") from None
    except UnicodeDecodeError:
        raise BibleError("the bible is not UTF-8 text", file=path,
                         hint="save bible.yaml as UTF-8") from None
    except OSError as exc:
        raise BibleError(f"cannot read the bible: {exc.strerror}", file=path) from None
    return parse_bible(text, source=str(path))


def parse_bible(text: str, source: str = "bible.yaml") -> Bible:
    """Parse and validate bible YAML text."""
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise BibleError(
            f"invalid YAML: {exc.problem or exc.context}",
            file=source,
            line=mark.line + 1 if mark else None,
            column=mark.column + 1 if mark else None,
            hint="check indentation and quoting; values with ':' or '#' need quotes",
        ) from None
    if not isinstance(data, dict):
        raise BibleError("the bible must be a mapping with 'characters:' and 'locations:'",
                         file=source, line=1)
    try:
        return Bible.model_validate(data)
    except ValidationError as exc:
        raise validation_error(exc, Bible, file=source, locate=lambda loc: locate_node(node, loc),
                               error_type=BibleError) from None


def locate(text: str, loc: Loc) -> tuple[int | None, int | None]:
    """Line and column of the value at ``loc`` in YAML ``text`` (for cross-file checks)."""
    try:
        return locate_node(yaml.compose(text, Loader=yaml.SafeLoader), loc)
    except yaml.YAMLError:
        return None, None


def locate_node(root: yaml.Node | None, loc: Loc) -> tuple[int | None, int | None]:
    """Line and column (1-based) of the YAML node at ``loc``, or of its nearest parent."""
    node: Any = root
    best = node
    for part in loc:
        child = _child(node, part)
        if child is None:
            break
        node = best = child
    if best is None:
        return None, None
    return best.start_mark.line + 1, best.start_mark.column + 1


def _child(node: Any, part: int | str) -> Any:
    if isinstance(node, yaml.MappingNode) and isinstance(part, str):
        for key, value in node.value:
            if getattr(key, "value", None) == part:
                # an unknown key is reported at the key itself, a bad value at the value
                return value if not isinstance(value, yaml.ScalarNode) or value.value != "" \
                    else key
        return None
    if isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
        return node.value[part]
    return None
