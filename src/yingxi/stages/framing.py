"""Where the camera looks: shot sizes, vertical composition and the moves, as numbers.

The frame is vertical (9:16 by default) and a short-drama platform covers part of it: its
caption and buttons take the bottom ~20 % and the right edge. So faces are composed inside
:data:`SAFE`: eye lines near the upper third, headroom that shrinks as the shot tightens,
lead room on the side a character looks to, nothing that matters under the platform's UI.

World units as in :mod:`yingxi.schema.layout`: a wide shot is 1.0 wide; ``aspect`` is the
frame's height over its width.
"""

from __future__ import annotations

from dataclasses import dataclass

from yingxi.schema.shots import Angle, Move, Size

# Safe area for faces and key props, as fractions of the frame (left, top, right, bottom).
SAFE = (0.05, 0.07, 0.85, 0.78)
# Per size: visible height in figure heights, and headroom above the head (frame fraction).
_SIZE_FRAME: dict[Size, tuple[float, float]] = {
    "full": (1.4, 0.12),
    "medium": (1.05, 0.1),
    "medium-close": (0.8, 0.09),
    "close": (0.62, 0.08),
}
_WIDE_FIGURES = 2.4       # a wide shot shows the group about 2.4 figure heights tall
_WIDE_FEET = 0.72         # ... with their feet here, clear of the captions
_MOVE_ZOOM = 1.1          # a push-in or pull-out changes the zoom by 10 %
_ESTABLISH_ZOOM = 1.3     # a tilt or pan over the set needs room to travel
# A low angle lowers the headroom (the figure towers), a high one adds to it.
_ANGLE_HEADROOM: dict[Angle, float] = {"eye-level": 1.0, "low": 0.55, "high": 1.6}
HEAD_TOP = 1.08           # top of the head above the feet, in figure heights (a bun too)


@dataclass(frozen=True)
class Frame:
    """A camera state: centre (world) and zoom."""

    cx: float
    cy: float
    zoom: float


def size_zoom(size: Size, figure: float, aspect: float) -> float:
    """Zoom that shows ``size`` of a figure ``figure`` world units tall."""
    visible, _ = _SIZE_FRAME[size]
    return aspect / (visible * figure)


def headroom(size: Size, angle: Angle) -> float:
    """Frame fraction above the head for this size seen from this angle."""
    return _SIZE_FRAME[size][1] * _ANGLE_HEADROOM[angle]


def figure_frame(size: Size, angle: Angle, x: float, screen_x: float, ground_y: float,
                 figure: float, aspect: float) -> Frame:
    """Frame a figure standing at world ``x`` so that it lands at ``screen_x`` (fraction of
    the width) with the headroom of its size."""
    zoom = size_zoom(size, figure, aspect)
    head_top = ground_y - HEAD_TOP * figure
    # screen_y(head_top) = headroom * H  <=>  cy = head_top + (0.5 - headroom) * aspect / zoom
    cy = head_top + (0.5 - headroom(size, angle)) * aspect / zoom
    cx = x - (screen_x - 0.5) / zoom
    return Frame(cx, cy, zoom)


def group_frame(xs: list[float], ground_y: float, figure: float, aspect: float) -> Frame:
    """A wide frame holding everyone at ``xs``, feet above the caption zone."""
    span = (max(xs) - min(xs)) + 0.5 * figure if xs else 1.0
    zoom = max(1.0, min(aspect / (_WIDE_FIGURES * figure), 0.62 / span))
    cx = (sum(xs) / len(xs) if xs else 0.5) + 0.02 / zoom  # a little lead away from the rail
    cy = ground_y - (_WIDE_FEET - 0.5) * aspect / zoom
    return Frame(cx, cy, zoom)


def clamp(frame: Frame, aspect: float) -> Frame:
    """Keep the view inside the painted set (0..1 wide, 0..aspect tall)."""
    half_w, half_h = 0.5 / frame.zoom, 0.5 * aspect / frame.zoom
    cx = min(max(frame.cx, half_w), 1 - half_w)
    cy = min(max(frame.cy, half_h), aspect - half_h)
    return Frame(cx, cy, frame.zoom)


def moved(start: Frame, move: Move, aspect: float) -> tuple[Frame, Frame]:
    """The first and last camera states of a shot that starts framed as ``start``."""
    if move == "push-in":
        return start, Frame(start.cx, start.cy, start.zoom * _MOVE_ZOOM)
    if move == "pull-out":
        return Frame(start.cx, start.cy, start.zoom * _MOVE_ZOOM), start
    zoom = max(start.zoom, _ESTABLISH_ZOOM)
    half_w, half_h = 0.5 / zoom, 0.5 * aspect / zoom
    if move in ("tilt-down", "tilt-up"):
        top = Frame(start.cx, half_h, zoom)
        bottom = clamp(Frame(start.cx, max(start.cy, aspect - half_h - 0.02), zoom), aspect)
        return (top, bottom) if move == "tilt-down" else (bottom, top)
    if move in ("pan-left", "pan-right"):
        travel = min(0.5 - half_w, 0.12)
        left = clamp(Frame(start.cx - travel, start.cy, zoom), aspect)
        right = clamp(Frame(start.cx + travel, start.cy, zoom), aspect)
        return (left, right) if move == "pan-right" else (right, left)
    return start, start
