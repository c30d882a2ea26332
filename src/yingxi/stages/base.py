"""What a stage is: a named, versioned, pure function from one input value to one document.

A stage declares its input and output types, its version (bump it whenever its output for the
same input changes) and, if it needs one, the backend role it uses. The pipeline computes the
task key from these declarations and the input value, looks the key up in the store, and
calls :meth:`Stage.compute` only on a miss. Stages never touch global state or the file
system directly: all files go through the :class:`StageContext`.
"""

from __future__ import annotations

import contextlib
from abc import ABC, abstractmethod
from pathlib import Path
from typing import Any, ClassVar, Generic, Protocol, TypeVar

from yingxi.schema.artifacts import BlobRef
from yingxi.schema.base import Document, Schema

InT = TypeVar("InT", bound=Schema)
OutT = TypeVar("OutT", bound=Document)


class StageContext(Protocol):
    """What a running stage may use: the store (through refs), its backend and progress."""

    @property
    def backend(self) -> Any:
        """The backend instance for the stage's role (None if it has no role)."""
        ...

    def put_bytes(self, data: bytes, media_type: str) -> BlobRef:
        """Store bytes; return their reference."""
        ...

    def put_file(self, path: Path, media_type: str) -> BlobRef:
        """Move a finished file into the store; return its reference."""
        ...

    def read_bytes(self, ref: BlobRef) -> bytes:
        """Read a stored blob (hash-checked)."""
        ...

    def path(self, ref: BlobRef) -> Path:
        """A verified path to a stored blob, for decoders that need a file."""
        ...

    def temp_path(self, suffix: str = "") -> contextlib.AbstractContextManager[Path]:
        """A work file on the store's file system, removed afterwards unless stored."""
        ...

    def progress(self, done: int, total: int) -> None:
        """Report progress of a long task (frames, samples...)."""
        ...

    def charge(self, usd: float) -> None:
        """Record money this task spent (a paid API call), for the run report's cost."""
        ...


class Stage(ABC, Generic[InT, OutT]):
    """Base class of every pipeline stage."""

    name: ClassVar[str]
    version: ClassVar[str]
    input_type: ClassVar[type[Schema]]
    output_type: ClassVar[type[Document]]
    role: ClassVar[str | None] = None
    # Heavy tasks (painting, encoding, synthesis, mixing) run in worker processes when the runner
    # has a parallel executor; light ones (parsing, planning) stay in the calling process,
    # where a round trip to a worker would cost more than the task.
    pooled: ClassVar[bool] = False

    def backend_name(self, inp: InT) -> str | None:
        """Which backend of :attr:`role` this input asks for (``inp.backend`` by default)."""
        if self.role is None:
            return None
        return str(getattr(inp, "backend"))  # noqa: B009 - inputs of role stages carry it

    def label(self, inp: InT) -> str:
        """A short human description of one task, for progress displays."""
        return self.name

    @abstractmethod
    def compute(self, inp: InT, ctx: StageContext) -> OutT:
        """Produce the output for ``inp``. Must be deterministic."""

