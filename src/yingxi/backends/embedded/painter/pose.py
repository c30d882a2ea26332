"""The posable skeleton of a figure: arms by gesture, legs by walk phase, and the joints the
control passes export in the OpenPose-18 layout.

Everything is in figure units (see :mod:`rig`): origin between the feet, y down, height 1.
A gesture names where the hands go; the elbows follow by two-bone inverse kinematics, so
every gesture fits every build and age without per-character tables.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from yingxi.backends.embedded.painter.face import features_x
from yingxi.backends.embedded.painter.rig import Rig
from yingxi.schema.layout import Gesture

Point = tuple[float, float]

UPPER_ARM = 0.155
FOREARM = 0.15
STEP_SECONDS = 0.55      # one step (half a stride)
_STRIDE_ANGLE = 0.36     # radians each leg swings either side of straight down
_BOB = 0.012             # the body rises this much mid-step


@dataclass(frozen=True)
class Arm:
    """One arm: shoulder, elbow and wrist."""

    shoulder: Point
    elbow: Point
    wrist: Point


@dataclass(frozen=True)
class Legs:
    """Both legs, screen-left first: hip and ankle of each, and how high the body rides."""

    hips: tuple[Point, Point]
    ankles: tuple[Point, Point]
    lift: float


def shoulder(rig: Rig, side: float) -> Point:
    """The shoulder joint on ``side`` (-1 screen-left, +1 screen-right)."""
    return side * (rig.shoulder_w - 0.014), rig.shoulder_y + 0.045


def _hand_target(rig: Rig, side: float, turn: float, gesture: Gesture, beat: float) -> Point:
    """Where the hand on ``side`` goes for ``gesture``; ``beat`` in -1..1 animates talk."""
    sw = rig.shoulder_w
    sx, sy = shoulder(rig, side)
    reach = (UPPER_ARM + FOREARM) * (0.86 if rig.age == "child" else 1.0) * 0.985
    # hanging all but straight, the hand a little out from the hip
    rest = (sx + side * 0.045, sy + (reach * reach - 0.045 * 0.045) ** 0.5)
    front = side != turn  # the near arm, or either arm of a figure facing front
    if gesture == "talk" and (front or not turn) and (side < 0 or turn):
        return (side * 0.07 + turn * 0.05 + beat * 0.012,
                rig.waist_y - 0.03 - 0.025 * beat)
    if gesture == "chest" and (front if turn else side < 0):
        return (turn * 0.03 - side * 0.015, rig.chest_y + 0.045)
    if gesture == "point":
        toward = turn or 1.0
        if side == toward:
            return side * (sw + 0.25), rig.shoulder_y + 0.06
    if gesture == "fists":
        return side * (sw + 0.045), rig.waist_y + 0.015 + 0.004 * beat
    if gesture == "open":
        return side * (sw + 0.15), rig.shoulder_y + 0.12 - 0.01 * beat
    return rest


def _ik(root: Point, target: Point, upper: float, lower: float, bend: float) -> tuple[Point, Point]:
    """Elbow and wrist reaching for ``target``; ``bend`` (+1/-1) picks the elbow's side."""
    dx, dy = target[0] - root[0], target[1] - root[1]
    dist = math.hypot(dx, dy)
    reach = upper + lower - 1e-4
    if dist > reach:  # out of reach: the arm straightens towards it
        dx, dy, dist = dx * reach / dist, dy * reach / dist, reach
    dist = max(dist, abs(upper - lower) + 1e-4)
    base = math.atan2(dy, dx)
    cos_a = (upper * upper + dist * dist - lower * lower) / (2 * upper * dist)
    angle = base + bend * math.acos(max(-1.0, min(1.0, cos_a)))
    elbow = (root[0] + upper * math.cos(angle), root[1] + upper * math.sin(angle))
    return elbow, (root[0] + dx, root[1] + dy)


def arm(rig: Rig, side: float, turn: float, gesture: Gesture, beat: float = 0.0) -> Arm:
    """The arm on ``side`` for ``gesture``; elbows bend outwards and down, as arms do."""
    s = shoulder(rig, side)
    scale = 0.86 if rig.age == "child" else 1.0
    target = _hand_target(rig, side, turn, gesture, beat)
    a = _ik(s, target, UPPER_ARM * scale, FOREARM * scale, 1.0)
    b = _ik(s, target, UPPER_ARM * scale, FOREARM * scale, -1.0)
    if gesture in ("open", "point"):  # a raised arm's elbow hangs below the reach
        elbow, wrist = a if a[0][1] >= b[0][1] else b
    else:  # a bent arm's elbow points away from the body
        elbow, wrist = a if side * a[0][0] >= side * b[0][0] else b
    return Arm(s, elbow, wrist)


def walk_phase(frame: int, fps: int) -> float:
    """The stride's phase (radians) at ``frame`` of a walk starting at frame 0."""
    return math.pi * frame / (max(1, fps) * STEP_SECONDS)


def legs(rig: Rig, turn: float, phase: float | None) -> Legs:
    """The legs standing (``phase`` None) or mid-stride; a stride swings towards ``turn``."""
    lw = rig.waist_w * (0.95 if rig.age != "child" else 0.9)
    hip_y = rig.hip_y + 0.05
    spread = lw * 0.5
    hips = ((-spread, hip_y), (spread, hip_y))
    if phase is None:
        return Legs(hips, ((-spread, -0.02), (spread, -0.02)), 0.0)
    length = -0.02 - hip_y
    swing = _STRIDE_ANGLE * math.sin(phase)
    direction = turn or 1.0
    ankles = []
    for i, (hx, hy) in enumerate(hips):
        a = swing if i == 0 else -swing
        forward = direction * math.sin(a)
        raise_ = max(0.0, math.sin(phase + (0.0 if i == 0 else math.pi))) * 0.035
        ankles.append((hx * 0.6 + length * forward, hy + length * math.cos(a) - raise_))
    lift = _BOB * abs(math.cos(phase))
    return Legs(hips, (ankles[0], ankles[1]), lift)


# OpenPose-18 (COCO) joint order.
OPENPOSE_18 = ("nose", "neck", "r_shoulder", "r_elbow", "r_wrist", "l_shoulder", "l_elbow",
               "l_wrist", "r_hip", "r_knee", "r_ankle", "l_hip", "l_knee", "l_ankle", "r_eye",
               "l_eye", "r_ear", "l_ear")


def joints(rig: Rig, turn: float, arms: tuple[Arm, Arm], stance: Legs,
           head_lift: float) -> list[Point | None]:
    """The OpenPose-18 joints in figure units, ``None`` where the joint is hidden.

    The figure's right side is screen-left when it faces the camera; a 3/4 figure hides the
    ear on the side it turns to.
    """
    hx = rig.head_x + turn * rig.stoop
    hy = rig.head_y + head_lift
    fx = features_x(rig, turn)
    rx, ry = rig.head_rx, rig.head_ry
    left_arm, right_arm = arms[1], arms[0]  # arms[0] is screen-left: the figure's right
    knee = [((h[0] + a[0]) / 2, (h[1] + a[1]) / 2) for h, a in zip(stance.hips, stance.ankles,
                                                                    strict=True)]
    lift = -stance.lift

    def up(p: Point) -> Point:
        return p[0], p[1] + lift

    ear: list[Point | None] = [(hx - rx * 0.98, hy + ry * 0.1), (hx + rx * 0.98, hy + ry * 0.1)]
    if turn:
        ear[0 if turn < 0 else 1] = None
    return [
        up((hx + fx + turn * rx * 0.1, hy + ry * 0.38)),
        up((0.0, rig.neck_y + 0.01)),
        up(right_arm.shoulder), up(right_arm.elbow), up(right_arm.wrist),
        up(left_arm.shoulder), up(left_arm.elbow), up(left_arm.wrist),
        up(stance.hips[0]), up(knee[0]), stance.ankles[0],
        up(stance.hips[1]), up(knee[1]), stance.ankles[1],
        up((hx + fx - rx * 0.42, hy + ry * 0.1)), up((hx + fx + rx * 0.42, hy + ry * 0.1)),
        None if ear[0] is None else up(ear[0]), None if ear[1] is None else up(ear[1]),
    ]
