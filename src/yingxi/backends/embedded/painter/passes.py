"""Control passes: the depth, character masks and pose of a shot, from the same geometry the
embedded painter draws.

An AI picture backend (ControlNet-style) keeps a shot's planned camera, blocking and cast when
it is conditioned on these passes, frame by frame:

* **depth**: one grey per pixel, near = bright (255), far = dark (0), the MiDaS/ControlNet
  convention. Every set layer's coverage is painted in the grey of its parallax depth, back to
  front over black; the actors and an insert's prop are laid over it, nearer than any layer.
  The greys follow :func:`depth_grey` (see :data:`DEPTH_FORMULA`).
* **mask**: per pixel, the 1-based index of the actor covering it in ``layout.actors`` (0: no
  one), hard-thresholded at half coverage so ids never blend at edges; nearer actors overwrite
  farther ones in the painter's draw order (main-plane actors in list order, then the
  foreground). Contact shadows are not the actor and are left out.
* **pose**: each actor's 18 OpenPose (COCO-18) keypoints in pixels, from the rig's joints and
  the frame's camera (:func:`view_at`), ``None`` for a joint the figure hides.

Passes stream: :func:`control_passes` yields one :class:`PassFrame` at a time, so memory stays
flat however long the shot. Looks (ink, papercut, flat) never move anything, so the passes
are the same in every look; screen-space finishes (grain, gate weave) and the focus blur of
over-the-shoulder and insert shots are left out: they are not geometry.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import skia

from yingxi.backends.embedded.painter.backdrop import GATHER_MAX_RATIO
from yingxi.backends.embedded.painter.camera import (
    BigPlate,
    View,
    new_buffer,
    rgba_to_rgb,
    surface_over,
    view_at,
)
from yingxi.backends.embedded.painter.draw import WORLD_BOUNDS
from yingxi.backends.embedded.painter.figures import Figure
from yingxi.backends.embedded.painter.inserts import draw_prop
from yingxi.backends.embedded.painter.palette import hex_rgb
from yingxi.backends.embedded.painter.sets import StageSet, build_set, frozen_layers
from yingxi.schema.layout import ShotLayout

__all__ = [
    "DEPTH_FORMULA",
    "OPENPOSE_COLORS",
    "OPENPOSE_LIMBS",
    "PassFrame",
    "Pixel",
    "actor_nearness",
    "control_passes",
    "depth_grey",
    "in_frame",
    "openpose_json",
    "pose_image",
]

Gray = npt.NDArray[np.uint8]
Pixel = tuple[float, float]

# Nearness: 0 the sky .. 1 the set's nearest layer (the ground the actors stand on), beyond 1
# the actors; NEAREST (a foreground shoulder, an insert's prop) is white.
ACTOR_PLANE = 1.1     # an actor whose feet are on the ground line stands before the set
_MAIN_MAX = 1.25      # main-plane actors stay farther than the foreground
NEAREST = 1.3
DEPTH_FORMULA = (
    "grey = round(255 * clamp(n, 0, 1.3) / 1.3), near = bright; nearness n: a set layer's "
    "parallax depth (0 sky .. 1 the ground the actors stand on); a main-plane actor "
    "clamp(1.1 + (feet_y - ground_y), 0, 1.25) with feet_y and ground_y in world units (a "
    "wide shot is 1.0 wide, y down); a foreground (over-the-shoulder) actor or an insert's "
    "prop 1.3; nothing drawn 0"
)
_HALF = 128  # coverage at or above half opacity is the actor's (masks) or the prop's (depth)

# The OpenPose body drawing (controlnet_aux ``draw_bodypose``): limbs as joint index pairs
# into OPENPOSE_18, and one colour per joint (limb i takes colour i).
OPENPOSE_LIMBS: tuple[tuple[int, int], ...] = (
    (1, 2), (1, 5), (2, 3), (3, 4), (5, 6), (6, 7), (1, 8), (8, 9), (9, 10), (1, 11),
    (11, 12), (12, 13), (1, 0), (0, 14), (14, 16), (0, 15), (15, 17))
OPENPOSE_COLORS: tuple[tuple[int, int, int], ...] = (
    (255, 0, 0), (255, 85, 0), (255, 170, 0), (255, 255, 0), (170, 255, 0), (85, 255, 0),
    (0, 255, 0), (0, 255, 85), (0, 255, 170), (0, 255, 255), (0, 170, 255), (0, 85, 255),
    (0, 0, 255), (85, 0, 255), (170, 0, 255), (255, 0, 255), (255, 0, 170), (255, 0, 85))
_POSE_RESOLUTION = 512  # the detector's short side, where limbs are 4 px thick


@dataclass(frozen=True)
class PassFrame:
    """The control passes of one frame.

    ``depth`` and ``mask`` are (height, width) uint8 arrays owned by the caller. ``pose`` has
    one entry per actor in ``layout.actors`` order (mask id = index + 1): 18 pixel points in
    :data:`~yingxi.backends.embedded.painter.pose.OPENPOSE_18` order, ``None`` where the
    figure hides the joint. Points outside the frame are kept (see :func:`in_frame`).
    """

    frame: int
    depth: Gray
    mask: Gray
    pose: list[list[Pixel | None]]


def depth_grey(nearness: float) -> int:
    """The depth grey (0 far .. 255 near) of a nearness (see :data:`DEPTH_FORMULA`)."""
    return round(255 * min(NEAREST, max(0.0, nearness)) / NEAREST)


def actor_nearness(layout: ShotLayout, index: int) -> float:
    """Nearness of actor ``index``: the ground line is just before the set's nearest layer,
    feet lower in the world are nearer; a foreground actor is nearest of all."""
    track = layout.actors[index]
    if track.plane == "foreground":
        return NEAREST
    feet = layout.ground_y if track.y is None else track.y
    return min(_MAIN_MAX, max(0.0, ACTOR_PLANE + feet - layout.ground_y))


def in_frame(point: Pixel | None, width: int, height: int) -> bool:
    """Whether a keypoint is shown: not hidden, and inside the frame."""
    return point is not None and 0.0 <= point[0] < width and 0.0 <= point[1] < height


class _Bare(Figure):
    """A figure without its contact shadow: the shadow lies on the ground, it is not the
    actor. (A workaround until :class:`Figure` can be asked to draw without it.)"""

    def shadow(self, canvas: skia.Canvas, frame: int | None = None) -> None:
        """Draw nothing."""


def _grey_paint(grey: int) -> skia.Paint:
    """A layer paint that turns every pixel ``grey`` and keeps its coverage (skia's matrix
    offsets are in 0..1)."""
    g = grey / 255.0
    return skia.Paint(ColorFilter=skia.ColorFilters.Matrix([0, 0, 0, 0, g,
                                                            0, 0, 0, 0, g,
                                                            0, 0, 0, 0, g,
                                                            0, 0, 0, 1, 0]))


class _SetDepth:
    """The set's depth at any frame: its layers' coverage in their depth greys, back to
    front over black, placed exactly as the painter's backdrop places them.

    The backdrop (:mod:`backdrop`) paints a still camera's set once; a pan, a tilt or a
    gentle push-in as one large plate that every frame samples (no parallax: the camera
    turns rather than travels); a big zoom change afresh every frame, holding the far layers
    that barely move. The depth follows the same three modes, so its edges fall on the
    picture's edges.
    """

    def __init__(self, layout: ShotLayout, stage: StageSet) -> None:
        self.layout, self.stage = layout, stage
        self.paints = [_grey_paint(depth_grey(layer.depth)) for layer in stage.layers]
        self.buffer = new_buffer(layout.width, layout.height)
        self.surface = surface_over(self.buffer)
        cam = layout.camera
        z0, z1 = cam.zoom_start, cam.zoom_end
        self.held = 0
        self.plate: Gray | None = None
        if z0 == z1 and not cam.pans:
            self.mode = "static"
            self.animated = any(layer.motion is not None for layer in stage.layers)
            if not self.animated:
                self._paint(self.surface.getCanvas(), view_at(layout, 0), 0)
                self.plate = self.buffer[..., 0].copy()
        elif max(z0, z1) / min(z0, z1) <= GATHER_MAX_RATIO:
            self.mode = "gather"
            self._big_plate()
        else:
            self.mode = "repaint"
            self.held = frozen_layers(stage, z1 - z0)
            self._paint(self.surface.getCanvas(), view_at(layout, layout.frames // 2), 0,
                        last=self.held)
            self.held_plate = self.buffer.copy()

    def at(self, frame: int, view: View) -> Gray:
        """A fresh (height, width) depth image of the set at ``frame``."""
        if self.plate is not None and self.mode == "static":
            return self.plate.copy()
        if self.mode == "gather":
            return self._gather(view)
        canvas = self.surface.getCanvas()
        if self.mode == "repaint":
            np.copyto(self.buffer, self.held_plate)
            self._paint(canvas, view, frame, first=self.held, clear=False)
        else:
            self._paint(canvas, view, frame)
        return np.ascontiguousarray(self.buffer[..., 0])

    def _paint(self, canvas: skia.Canvas, view: View, frame: int, first: int = 0,
               last: int | None = None, origin: tuple[float, float] = (0.0, 0.0),
               clear: bool = True) -> None:
        """Layers ``first`` to ``last`` through their parallax views, as :func:`paint_set`
        places them, each in its grey."""
        if clear:
            canvas.clear(skia.ColorBLACK)
        layers = self.stage.layers[:last]
        # the backdrop animates a layer that moves by itself only under a still camera;
        # otherwise it shows the layer's recorded first frame
        animate = self.mode == "static"
        for index in range(first, len(layers)):
            layer = layers[index]
            mist = self.stage.paints[index].mask
            canvas.save()
            canvas.setMatrix(skia.Matrix.Translate(*origin).preConcat(
                view.layer(layer.depth).matrix()))
            canvas.saveLayer(None, self.paints[index])
            if layer.motion is not None and animate:
                layer.motion.draw(canvas, frame, (0.0, 0.0, 0.0), 0.0)
            else:
                canvas.drawPicture(layer.picture)
            if mist is not None:  # the foot of a far layer thinning into mist (ink look)
                canvas.drawRect(WORLD_BOUNDS, mist)
            canvas.restore()
            canvas.restore()

    def _big_plate(self) -> None:
        """The backdrop's plate for the whole move (:class:`BigPlate`), in depth greys."""
        self.geometry = BigPlate.of(self.layout)
        g = self.geometry
        big = new_buffer(g.shape[1], g.shape[0])
        surface = surface_over(big)
        self._paint(surface.getCanvas(), g.view(), 0, origin=(g.pad_x, g.pad_y))
        del surface
        self.plate = big[..., 0].copy()

    def _gather(self, view: View) -> Gray:
        """Frame pixels picked from the plate, nearest pixel, as the backdrop picks them."""
        assert self.plate is not None
        ys, xs = self.geometry.indices(view)
        return np.ascontiguousarray(np.take(self.plate[ys], xs, axis=1))


class _Coverage:
    """Renders one drawing's coverage (alpha) into a reused single-channel buffer."""

    def __init__(self, width: int, height: int) -> None:
        self.alpha = np.zeros((height, width), dtype=np.uint8)
        self.surface = skia.Surface(self.alpha, colorType=skia.kAlpha_8_ColorType,
                                    alphaType=skia.kPremul_AlphaType)
        self.width, self.height = width, height

    def box(self, view: View, left: float, top: float, right: float,
            bottom: float) -> tuple[int, int, int, int] | None:
        """The pixel box (x0, y0, x1, y1) of a world box, inside the frame; None if off it."""
        u0, v0 = view.to_screen(left, top)
        u1, v1 = view.to_screen(right, bottom)
        x0, y0 = max(0, math.floor(u0) - 2), max(0, math.floor(v0) - 2)
        x1, y1 = min(self.width, math.ceil(u1) + 2), min(self.height, math.ceil(v1) + 2)
        if x1 <= x0 or y1 <= y0:
            return None
        return x0, y0, x1, y1

    def canvas(self, box: tuple[int, int, int, int], view: View) -> skia.Canvas:
        """A cleared canvas clipped to ``box`` under the camera matrix (restore it after)."""
        x0, y0, x1, y1 = box
        self.alpha[y0:y1, x0:x1] = 0
        canvas = self.surface.getCanvas()
        canvas.save()
        canvas.clipRect(skia.Rect.MakeLTRB(x0, y0, x1, y1))
        canvas.setMatrix(view.matrix())
        return canvas


def _over(depth: Gray, alpha: Gray, grey: int) -> None:
    """Lay a constant ``grey`` with coverage ``alpha`` over ``depth`` (in place, src-over)."""
    a = alpha.astype(np.uint16)
    mixed = (a * grey + depth.astype(np.uint16) * (255 - a) + 127) // 255
    depth[...] = mixed.astype(np.uint8)


def control_passes(layout: ShotLayout, *, every: int = 1) -> Iterator[PassFrame]:
    """Yield the passes of frames 0, ``every``, 2 ``every``... of ``layout``, one at a time.

    The camera is evaluated per frame (push-ins and pans move everything as in the picture).
    A foreground (over-the-shoulder) actor holds its first frame's pose, as the painter draws
    it.
    """
    if every < 1:
        raise ValueError(f"every must be at least 1, not {every}")
    if len(layout.actors) > 255:
        raise ValueError(f"an 8-bit mask holds 255 actors, the shot has {len(layout.actors)}")
    stage = build_set(layout)
    style = stage.context.style
    figures = [_Bare(track, layout.character(track.character), stage.light, layout.ground_y,
                     layout.fps, style) for track in layout.actors]
    # the painter's draw order: main-plane actors in list order, then the foreground
    order = [i for i, f in enumerate(figures) if not f.foreground] + \
        [i for i, f in enumerate(figures) if f.foreground]
    greys = [depth_grey(actor_nearness(layout, i)) for i in range(len(figures))]
    bounds = [f.bounds() for f in figures]
    set_depth = _SetDepth(layout, stage)
    cover = _Coverage(layout.width, layout.height)
    insert = layout.insert
    prop_color = hex_rgb(insert.color) if insert is not None and insert.color else None
    for frame in range(0, layout.frames, every):
        view = view_at(layout, frame)
        depth = set_depth.at(frame, view)
        mask = np.zeros((layout.height, layout.width), dtype=np.uint8)
        for index in order:
            figure = figures[index]
            box = cover.box(view, *bounds[index])
            if box is None:
                continue
            canvas = cover.canvas(box, view)
            figure.draw(canvas, 0 if figure.foreground else frame)
            canvas.restore()
            x0, y0, x1, y1 = box
            alpha = cover.alpha[y0:y1, x0:x1]
            _over(depth[y0:y1, x0:x1], alpha, greys[index])
            mask[y0:y1, x0:x1][alpha >= _HALF] = index + 1
        if insert is not None:
            half = insert.size * 0.75
            box = cover.box(view, insert.x - half, insert.y - half, insert.x + half,
                            insert.y + half)
            if box is not None:
                canvas = cover.canvas(box, view)
                draw_prop(canvas, insert.shape, insert.x, insert.y, insert.size, prop_color,
                          stage.light)
                canvas.restore()
                x0, y0, x1, y1 = box
                alpha = cover.alpha[y0:y1, x0:x1]
                # its glow and soft shadow are light, not the prop: below half they drop out
                solid = np.where(alpha >= _HALF, alpha, 0).astype(np.uint8)
                _over(depth[y0:y1, x0:x1], solid, depth_grey(NEAREST))
        pose = [[None if p is None else view.to_screen(*p)
                 for p in figure.joints(0 if figure.foreground else frame)]
                for figure in figures]
        yield PassFrame(frame=frame, depth=depth, mask=mask, pose=pose)


def openpose_json(pose: Sequence[Sequence[Pixel | None]], width: int,
                  height: int) -> dict[str, Any]:
    """One frame's keypoints as OpenPose JSON: person ids are mask ids; each keypoint is
    ``x, y, c`` with c = 1 shown, c = 0 outside the frame (x, y kept) or hidden (x = y = 0)."""
    people = []
    for index, points in enumerate(pose):
        flat: list[float] = []
        for p in points:
            if p is None:
                flat += [0.0, 0.0, 0.0]
            else:
                flat += [round(p[0], 3), round(p[1], 3),
                         1.0 if in_frame(p, width, height) else 0.0]
        people.append({"person_id": [index + 1], "pose_keypoints_2d": flat})
    return {"version": 1.3, "people": people, "canvas_width": width, "canvas_height": height}


def pose_image(pose: Sequence[Sequence[Pixel | None]], width: int,
               height: int) -> npt.NDArray[np.uint8]:
    """The OpenPose body drawing of one frame, (height, width, 3) uint8 RGB on black.

    As controlnet_aux draws it: each limb between two shown joints a filled ellipse in its
    colour at 60 %, then each shown joint a dot in full colour; no anti-aliasing.
    Limb half-width and dot radius are 4 px at a 512-pixel short side, scaled with the frame.
    """
    buffer = new_buffer(width, height)
    surface = surface_over(buffer)
    canvas = surface.getCanvas()
    canvas.clear(skia.ColorBLACK)
    unit = max(0.5, min(width, height) / _POSE_RESOLUTION)
    stick = 4.0 * unit
    shown = [[p if in_frame(p, width, height) else None for p in points] for points in pose]
    for (a, b), color in zip(OPENPOSE_LIMBS, OPENPOSE_COLORS, strict=False):
        # limbs at 60 %: the same bytes as drawing them in full and scaling the canvas
        dim = [int(c * 0.6) for c in color]
        paint = skia.Paint(Color=skia.Color(*dim), AntiAlias=False)
        for points in shown:
            pa, pb = points[a], points[b]
            if pa is None or pb is None:
                continue
            length = math.hypot(pb[0] - pa[0], pb[1] - pa[1])
            canvas.save()
            canvas.translate((pa[0] + pb[0]) / 2, (pa[1] + pb[1]) / 2)
            canvas.rotate(math.degrees(math.atan2(pb[1] - pa[1], pb[0] - pa[0])))
            canvas.drawOval(skia.Rect.MakeLTRB(-length / 2, -stick, length / 2, stick), paint)
            canvas.restore()
    for joint, color in enumerate(OPENPOSE_COLORS):
        paint = skia.Paint(Color=skia.Color(*color), AntiAlias=False)
        for points in shown:
            p = points[joint]
            if p is not None:
                canvas.drawCircle(p[0], p[1], stick, paint)
    del surface
    return rgba_to_rgb(buffer)

