"""The exceptions yingxi raises. Every user-facing error says where and how to fix it.

A :class:`YingxiError` carries an optional source position (file, line, column) and a hint;
the CLI prints ``file:line:col: error: message`` and the hint, never a traceback.
"""

from __future__ import annotations

from pathlib import Path


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
