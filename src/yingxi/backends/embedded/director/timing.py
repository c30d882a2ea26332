"""How long shots last, and where a long line is cut.

A dialogue shot opens a moment before its line (``LEAD_IN``) and is cut on the breath after
it (``TAIL``), so the cut between two lines always falls in the silence between them. A line
too long for one shot is cut on a pause between its words, never mid-word when a pause fits.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass

from yingxi.backends.protocols import LineTiming

log = logging.getLogger(__name__)

LEAD_IN = 0.25        # seconds of picture before a line starts
TAIL = 0.45           # after the voice stops: the breath the cut falls in
MIN_SHOT = 1.2        # shortest shot a viewer can read
MAX_SHOT = 6.0        # longest shot before a vertical short feels static
ACTION_MIN, ACTION_MAX = 2.0, 5.0
ESTABLISH_SECONDS = 2.2   # a standalone establishing shot
REACTION_SECONDS = 1.4    # a silent reaction after a charged line
INSERT_SECONDS = 1.6      # a prop, seen close


@dataclass(frozen=True)
class Part:
    """One shot's share of a line: its length and where the line starts relative to it."""

    frames: int
    speech_start: int   # frames from the part's first frame to the line's start (<= 0 after 1)


def seconds_to_frames(seconds: float, fps: int) -> int:
    """Frames covering ``seconds``, at least one."""
    return max(1, math.ceil(seconds * fps - 1e-9))


def clamp_frames(seconds: float, fps: int, low: float = MIN_SHOT, high: float = MAX_SHOT) -> int:
    """``seconds`` in frames, kept between the shortest and longest shot."""
    return min(math.floor(high * fps), max(math.ceil(low * fps), seconds_to_frames(seconds, fps)))


def line_parts(timing: LineTiming, fps: int) -> list[Part]:
    """The shots a line needs: one if it fits ``MAX_SHOT``, else cut on its pauses."""
    lead = round(LEAD_IN * fps)
    total = max(lead + seconds_to_frames(timing.voiced_end + TAIL, fps), math.ceil(MIN_SHOT * fps))
    low, high = math.ceil(MIN_SHOT * fps), math.floor(MAX_SHOT * fps)
    if total <= high:
        return [Part(frames=total, speech_start=lead)]
    breaks = sorted(lead + round(b * fps) for b in timing.breaks)
    cuts: list[int] = []
    cursor = 0
    while total - cursor > high:
        fits = [c for c in breaks if low <= c - cursor <= high and total - c >= low]
        if fits:
            cut = max(fits)
        else:
            cut = min(cursor + high, total - low)
            log.debug("no pause to cut a %.1f s line on; cutting at %.2f s", total / fps,
                      (cut - lead) / fps)
        cuts.append(cut)
        cursor = cut
    parts, start = [], 0
    for cut in [*cuts, total]:
        parts.append(Part(frames=cut - start, speech_start=lead - start))
        start = cut
    return parts
