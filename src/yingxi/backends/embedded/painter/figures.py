"""An actor on screen: the rigged figure placed in the world, animated frame by frame.

Static parts (body, head, hair, brows) are recorded once per shot; eyes and mouths are
recorded once per distinct state and replayed, so a frame costs a handful of picture
playbacks per actor.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Callable

import skia

from yingxi.backends.embedded.painter.body import draw_arm, draw_legs, draw_torso
from yingxi.backends.embedded.painter.draw import fill, record, soft
from yingxi.backends.embedded.painter.face import (
    MOODS,
    Mood,
    draw_brows,
    draw_eyes,
    draw_hair_back,
    draw_hair_front,
    draw_head,
)
from yingxi.backends.embedded.painter.looks import LookStyle
from yingxi.backends.embedded.painter.mouth import draw_mouth
from yingxi.backends.embedded.painter.palette import RGB, Light, darken
from yingxi.backends.embedded.painter.pose import Arm, Legs, arm, joints, legs, walk_phase
from yingxi.backends.embedded.painter.rig import Rig, build_rig
from yingxi.schema.layout import ActorTrack, CastMember, Gesture

# Eye openness on the frames after a blink starts: closing, closed, opening.
BLINK = (0.4, 0.0, 0.5)
_TURN = {"left": -1.0, "front": 0.0, "right": 1.0}
_BREATH_SECONDS = 3.6
_BREATH_AMOUNT = 0.0035  # of the figure's height: visible on a held close-up, never a bob
_SHADOW = (0.06, 0.06, 0.14)  # a cool dark, never a dead grey
# Extent of any figure around its feet, in heights (wide sleeves, a bun, a ponytail), with room.
# A pointing arm reaches furthest.
_HALF_WIDTH, _TOP, _BOTTOM = 0.46, 1.16, 0.06
_PHASE_STEP = math.pi / 8


def _phase(name: str) -> float:
    """A fixed breathing phase per character so two actors do not breathe in unison."""
    digest = hashlib.sha256(name.encode("utf-8")).digest()
    return digest[0] / 255.0 * 2.0 * math.pi


def eye_openness(blinks: list[int], frame: int) -> float:
    """How open the eyes are at ``frame`` given the frames where blinks start."""
    openness = 1.0
    for start in blinks:
        step = frame - start
        if 0 <= step < len(BLINK):
            openness = min(openness, BLINK[step])
    return openness


class Figure:
    """One actor for one shot."""

    def __init__(self, track: ActorTrack, character: CastMember, light: Light, ground_y: float,
                 fps: int, style: LookStyle | None = None) -> None:
        """Rig the character; parts are recorded when a frame first needs them."""
        self.track = track
        self.rig: Rig = build_rig(character, light, style)
        self.mood = MOODS[track.expression]
        self.ground_y = ground_y if track.y is None else track.y
        self.height = self.rig.height * track.scale
        self.foreground = track.plane == "foreground"
        self.fps = max(1, fps)
        self.phase = _phase(character.id)
        self._parts: dict[tuple[str, float, object], skia.Picture] = {}
        self._beats = _talk_beats(track) if track.gesture == "talk" else None

    # --- state per frame -----------------------------------------------------------------

    def turn_at(self, frame: int) -> float:
        """-1, 0 or +1: where the actor looks (a walker looks where it goes)."""
        walk = self.track.walk
        if walk is not None and walk.walking(frame):
            return 1.0 if walk.to_x > walk.from_x else -1.0
        return _TURN[self.track.facing]

    def _stance(self, frame: int, turn: float) -> Legs:
        walk = self.track.walk
        if walk is None or not walk.walking(frame):
            return legs(self.rig, turn, None)
        step = walk_phase(frame - walk.start, self.fps)
        # a whole number of phase steps per stride keeps the recorded poses few
        return legs(self.rig, turn, round(step / _PHASE_STEP) * _PHASE_STEP)

    def _beat(self, frame: int) -> float:
        if self._beats is None:
            return 0.0
        return self._beats[min(frame, len(self._beats) - 1)]

    def _arms(self, frame: int, turn: float) -> tuple[Arm, Arm]:
        walk = self.track.walk
        gesture: Gesture = "rest" if walk is not None and walk.walking(frame) \
            else self.track.gesture
        beat = self._beat(frame)
        return (arm(self.rig, -1.0, turn, gesture, beat), arm(self.rig, 1.0, turn, gesture, beat))

    def _breath(self, frame: int) -> float:
        return _BREATH_AMOUNT * math.sin(
            2.0 * math.pi * frame / (self.fps * _BREATH_SECONDS) + self.phase)

    def x_at(self, frame: int) -> float:
        """World x of the feet at ``frame``."""
        return self.track.x_at(frame)

    def joints(self, frame: int) -> list[tuple[float, float] | None]:
        """The OpenPose-18 joints at ``frame`` in world units (``None``: hidden)."""
        turn = self.turn_at(frame)
        stance = self._stance(frame, turn)
        lift = self.rig.head_y * self._breath(frame)
        points = joints(self.rig, turn, self._arms(frame, turn), stance, lift)
        x, h = self.x_at(frame), self.height
        return [None if p is None else (x + p[0] * h, self.ground_y + p[1] * h) for p in points]

    # --- recorded parts --------------------------------------------------------------------

    def _part(self, name: str, turn: float, key: object,
              draw: Callable[[skia.Canvas], None], head: bool = False) -> skia.Picture:
        full = (name, turn, key)
        if full not in self._parts:
            if head:
                hx, hy = self.rig.head_x + turn * self.rig.stoop, self.rig.head_y

                def placed(canvas: skia.Canvas) -> None:
                    canvas.translate(hx, hy)
                    draw(canvas)
                self._parts[full] = record(placed, bounded=True)
            else:
                self._parts[full] = record(draw, bounded=True)
        return self._parts[full]

    def shadow(self, canvas: skia.Canvas, frame: int | None = None) -> None:
        """The soft contact shadow under the feet, in world units. A standing actor's is part
        of the background (``frame`` None); a walker's moves with it, drawn every frame."""
        if self.foreground:  # it stands between the lens and the set, off the ground plane
            return
        if (self.track.walk is None) != (frame is None):
            return
        h = self.height
        x = self.x_at(frame or 0)
        w = h * (0.36 if self.rig.wardrobe in ("robe", "dress") else 0.28)
        rect = skia.Rect.MakeLTRB(x - w / 2, self.ground_y - h * 0.03,
                                  x + w / 2, self.ground_y + h * 0.025)
        canvas.drawOval(rect, soft(fill(_SHADOW, 0.4), h * 0.012))

    def bounds(self) -> tuple[float, float, float, float]:
        """World box (left, top, right, bottom) that every frame of this actor stays inside."""
        h = self.height
        xs = [self.track.x]
        if self.track.walk is not None:
            xs += [self.track.walk.from_x, self.track.walk.to_x]
        y = self.ground_y
        return min(xs) - _HALF_WIDTH * h, y - _TOP * h, max(xs) + _HALF_WIDTH * h, y + _BOTTOM * h

    def draw(self, canvas: skia.Canvas, frame: int) -> None:
        """Draw the actor at ``frame`` in world units (the canvas holds the camera matrix)."""
        rig, mood = self.rig, self.mood
        h = self.height
        turn = self.turn_at(frame)
        stance = self._stance(frame, turn)
        breath = self._breath(frame)
        lift = rig.head_y * breath  # the head rides on the rising shoulders
        self.shadow(canvas, frame)
        canvas.save()
        canvas.translate(self.x_at(frame), self.ground_y)
        canvas.scale(h, h)
        canvas.drawPicture(self._part("legs", turn, (stance.ankles, stance.hips),
                                      lambda c: draw_legs(c, rig, turn, stance)))
        canvas.translate(0.0, -stance.lift)
        canvas.save()
        canvas.translate(0.0, lift)
        canvas.drawPicture(self._part("back", turn, None,
                                      lambda c: draw_hair_back(c, rig, turn), head=True))
        canvas.restore()
        left, right = self._arms(frame, turn)
        sleeve = rig.colors.main
        if turn:  # the far arm, behind the body and a little darker
            far = right if turn > 0 else left
            canvas.drawPicture(self._part("far-arm", turn, far, _arm_drawing(
                rig, far, darken(sleeve, 0.1), -turn * 0.03)))
        canvas.save()
        canvas.scale(1.0, 1.0 + breath)
        canvas.drawPicture(self._part("torso", turn, None, lambda c: draw_torso(c, rig, turn)))
        canvas.restore()
        for side, limb in ((-1.0, left), (1.0, right)):
            if turn and side == turn:
                continue
            canvas.drawPicture(self._part("arm", turn, limb, _arm_drawing(
                rig, limb, sleeve, -side * 0.006 * abs(turn))))
        canvas.translate(0.0, lift)
        canvas.drawPicture(self._part("head", turn, None,
                                      lambda c: draw_head(c, rig, turn), head=True))
        openness = eye_openness(self.track.blinks, frame)
        canvas.drawPicture(self._part("eyes", turn, openness, lambda c: draw_eyes(
            c, rig, turn, mood, openness), head=True))
        visemes = self.track.visemes
        letter = visemes[min(frame, len(visemes) - 1)]
        canvas.drawPicture(self._part("mouth", turn, letter, lambda c: draw_mouth(
            c, rig, turn, letter, mood.smile), head=True))
        canvas.drawPicture(self._part("front", turn, None, _front_drawing(rig, turn, mood),
                                      head=True))
        canvas.restore()


def _arm_drawing(rig: Rig, limb: Arm, color: RGB, dx: float) -> Callable[[skia.Canvas], None]:
    def draw(canvas: skia.Canvas) -> None:
        canvas.translate(dx, 0.0)
        draw_arm(canvas, rig, limb, color)
    return draw


def _front_drawing(rig: Rig, turn: float, mood: Mood) -> Callable[[skia.Canvas], None]:
    def draw(canvas: skia.Canvas) -> None:
        draw_hair_front(canvas, rig, turn)
        draw_brows(canvas, rig, turn, mood)
    return draw


def _talk_beats(track: ActorTrack) -> list[float]:
    """The talking hand's height per frame (-1..1, in a few steps): it lifts while the
    mouth is open and settles in the pauses, like a speaker's beat gestures."""
    opened = [0.0 if v in "XM" else 1.0 for v in track.visemes]
    out, level = [], 0.0
    for value in opened:
        level += (value - level) * 0.18  # a hand lags the voice and never snaps
        out.append(round((level * 2.0 - 1.0) * 2.0) / 2.0)
    return out
