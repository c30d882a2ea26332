"""Storyboards: every planned shot's first and last frame, painted from its layout.

This is what a director shows a producer before anything expensive is generated: the plan
file's shots with the framing, move and timing they will have, at preview size, in seconds.
Only two frames per shot are painted (:meth:`ShotLayout.still`), by whatever painter the
production uses.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from yingxi.backends.protocols import ImageArray, Painter
from yingxi.export.storyboard import BoardShot, write_storyboard
from yingxi.pipeline.episode import EpisodePipeline
from yingxi.pipeline.replan import character_name, covers
from yingxi.schema.layout import ShotLayout
from yingxi.schema.shots import Shot

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class StoryboardResult:
    """Where an episode's storyboard went."""

    episode: str
    png: Path
    pdf: Path
    shots: int
    seconds: float


def storyboard(pipeline: EpisodePipeline, episode: str, out_dir: Path) -> StoryboardResult:
    """Plan ``episode`` (updating its plan file) and write its storyboard PNG and PDF."""
    blocked = pipeline.block(episode)
    painter: Painter = pipeline.runner.registry.get("painter",
                                                    pipeline.config.backends.painter)
    locked = {e.id: tuple(e.locked) for e in blocked.plan.shots}
    bible = pipeline.production.bible
    boards = []
    for shot, layout in zip(blocked.shots.shots, blocked.layouts, strict=True):
        boards.append(BoardShot(
            shot_id=shot.id, scene=blocked.shots.scenes[shot.scene].heading, size=shot.size,
            angle=shot.angle, move=shot.move, coverage=shot.coverage,
            characters=tuple(character_name(bible, c) for c in _visible(shot)),
            covers=covers(shot, bible), seconds=shot.frames / blocked.shots.fps,
            first=_still(painter, layout, 0), last=_still(painter, layout, layout.frames - 1),
            transition_in=shot.transition_in, motivation=shot.motivation,
            locked=locked.get(shot.id, ())))
    title = blocked.screenplay.title or pipeline.config.title
    out_dir.mkdir(parents=True, exist_ok=True)
    png, pdf = out_dir / f"{episode}-storyboard.png", out_dir / f"{episode}-storyboard.pdf"
    write_storyboard(f"{title} · {episode}" if title else episode, boards, png, pdf)
    log.info("storyboard of %s: %d shots -> %s", episode, len(boards), pdf)
    return StoryboardResult(episode=episode, png=png, pdf=pdf, shots=len(boards),
                            seconds=blocked.shots.duration)


def _still(painter: Painter, layout: ShotLayout, frame: int) -> ImageArray:
    return next(iter(painter.paint(layout.still(frame))))


def _visible(shot: Shot) -> list[str]:
    return [*shot.subjects, *([shot.foreground] if shot.foreground else [])]
