"""The exceptions yingxi raises. Every user-facing error says where and how to fix it.

A :class:`YingxiError` carries an optional source position (file, line, column) and a hint;
the CLI prints ``file:line:col: error: message`` and the hint, never a traceback.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any


class YingxiError(Exception):
    """Base class of every error yingxi reports to a user."""

    def __init__(
        self,
        message: str,
        *,
        file: str | Path | None = None,
        line: int | None = None,
        column: int | None = None,
        hint: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.file = str(file) if file is not None else None
        self.line = line
        self.column = column
        self.hint = hint

    @property
    def location(self) -> str:
        """``file:line:col`` (as much of it as is known), or ``""``."""
        parts = [self.file] if self.file else []
        if self.line is not None:
            parts.append(str(self.line))
            if self.column is not None:
                parts.append(str(self.column))
        return ":".join(parts)

    def __reduce__(self) -> tuple[object, ...]:
        # Errors cross process boundaries (worker pools, Ray): keep the keyword fields,
        # which Exception's default pickling (positional args only) would drop.
        return _rebuild, (type(self), self.message, self.file, self.line, self.column,
                          self.hint)

    def __str__(self) -> str:
        text = f"{self.location}: {self.message}" if self.location else self.message
        if self.hint:
            text += f"\n  hint: {self.hint}"
        return text


class SchemaError(YingxiError):
    """A stored or supplied document does not match its schema."""


class ScriptError(YingxiError):
    """The screenplay cannot be read or does not match the production bible."""


class BibleError(YingxiError):
    """The production bible (bible.yaml) is malformed or inconsistent."""


class ConfigError(YingxiError):
    """The production config (yingxi.toml) or the production folder is malformed."""


class BackendUnavailable(YingxiError):  # noqa: N818 - the name DESIGN.md uses
    """A backend's optional dependency is missing; the hint says what to install."""


class RenderError(YingxiError):
    """A stage failed while producing media."""


class LabelError(RenderError):
    """A master does not carry the labels the law requires; it must not be delivered."""


class EpisodesFailed(RenderError):  # noqa: N818 - reads as what happened
    """Some episodes of a render failed and the others were delivered.

    ``results`` holds the delivered episodes' results, ``failures`` each failed episode's
    error (already logged when it happened).
    """

    def __init__(self, results: list[Any], failures: dict[str, YingxiError]) -> None:
        """Summarise ``failures`` next to the delivered ``results``."""
        super().__init__(f"{len(failures)} of {len(failures) + len(results)} episodes "
                         f"failed: {', '.join(failures)}",
                         hint="each failure is reported above; the other episodes were "
                              "delivered")
        self.results, self.failures = results, failures

    def __reduce__(self) -> tuple[object, ...]:
        return EpisodesFailed, (self.results, self.failures)


def _rebuild(cls: type[YingxiError], message: str, file: str | None, line: int | None,
             column: int | None, hint: str | None) -> YingxiError:
    return cls(message, file=file, line=line, column=column, hint=hint)
