"""Where each scene's sound (its music cue, its effects) lies on the episode's timeline.

A scene's sound runs on one second under the next scene, where the next one fades in over
it: a cut never chops a cue or a bed of rain in two.
"""

from __future__ import annotations

from dataclasses import dataclass

from yingxi.schema.shots import ShotList

OVERLAP_SECONDS = 1.0


@dataclass(frozen=True)
class SceneSpan:
    """One scene's stretch of the timeline, in frames."""

    scene: int   # index into ``ShotList.scenes``
    first: int   # the scene's first frame
    last: int    # one past its last frame
    end: int     # one past the last frame its sound covers (the overlap included)


def scene_spans(shots: ShotList, fps: int) -> list[SceneSpan]:
    """Every scene with shots, in timeline order."""
    spans: dict[int, list[int]] = {}
    total = 0
    for shot in shots.shots:
        spans.setdefault(shot.scene, [total, total])[1] = total + shot.frames
        total += shot.frames
    overlap = round(OVERLAP_SECONDS * fps)
    ordered = sorted(spans.items())
    return [SceneSpan(scene=index, first=first, last=last,
                      end=min(total, last + overlap) if n + 1 < len(ordered) else last)
            for n, (index, (first, last)) in enumerate(ordered)]
