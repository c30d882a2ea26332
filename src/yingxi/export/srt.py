"""SubRip (.srt) subtitles for editors and platforms that take a sidecar file."""

from __future__ import annotations

from collections.abc import Iterable

from yingxi.schema.timeline import SubtitleEvent


def timestamp(seconds: float) -> str:
    """``HH:MM:SS,mmm``."""
    millis = max(0, round(seconds * 1000))
    hours, rest = divmod(millis, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    secs, millis = divmod(rest, 1000)
    return f"{hours:02d}:{minutes:02d}:{secs:02d},{millis:03d}"


def to_srt(events: Iterable[SubtitleEvent]) -> str:
    """The SRT text of ``events`` (numbered from 1, in order)."""
    blocks = []
    for number, event in enumerate(events, start=1):
        blocks.append(f"{number}\n{timestamp(event.start)} --> {timestamp(event.end)}\n"
                      f"{event.text}\n")
    return "\n".join(blocks)
