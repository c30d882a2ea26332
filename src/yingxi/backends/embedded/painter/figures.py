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

from yingxi.backends.embedded.painter.body import draw_body
from yingxi.backends.embedded.painter.draw import fill, record, soft
from yingxi.backends.embedded.painter.face import (
    MOODS,
    draw_brows,
    draw_eyes,
    draw_hair_back,
    draw_hair_front,
    draw_head,
)
from yingxi.backends.embedded.painter.mouth import draw_mouth
from yingxi.backends.embedded.painter.palette import Light
from yingxi.backends.embedded.painter.rig import Rig, build_rig
from yingxi.schema.layout import ActorTrack, CastMember

# Eye openness on the frames after a blink starts: closing, closed, opening.
BLINK = (0.4, 0.0, 0.5)
_TURN = {"left": -1.0, "front": 0.0, "right": 1.0}
_BREATH_SECONDS = 3.6
_BREATH_AMOUNT = 0.0035  # of the figure's height: visible on a held close-up, never a bob
_SHADOW = (0.06, 0.06, 0.14)  # a cool dark, never a dead grey
# Extent of any figure around its feet, in heights (wide sleeves, a bun, a ponytail), with room.
_HALF_WIDTH, _TOP, _BOTTOM = 0.3, 1.16, 0.04


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
                 fps: int) -> None:
        """Rig the character and record its static parts."""
        self.track = track
        self.rig: Rig = build_rig(character, light)
        self.turn = _TURN[track.facing]
        self.mood = MOODS[track.expression]
        self.ground_y = ground_y if track.y is None else track.y
        self.height = self.rig.height * track.scale
        self.foreground = track.plane == "foreground"
        self.fps = max(1, fps)
        self.phase = _phase(character.id)
        rig, turn = self.rig, self.turn
        self._head_pos = (rig.head_x + turn * rig.stoop, rig.head_y)
        self._back = self._head_picture(lambda c: draw_hair_back(c, rig, turn))
        self._body = record(lambda c: draw_body(c, rig, turn))
        self._head = self._head_picture(lambda c: draw_head(c, rig, turn))
        self._front = self._head_picture(self._hair_and_brows)
        self._eyes: dict[float, skia.Picture] = {}
        self._mouths: dict[str, skia.Picture] = {}

    def _hair_and_brows(self, canvas: skia.Canvas) -> None:
        draw_hair_front(canvas, self.rig, self.turn)
        draw_brows(canvas, self.rig, self.turn, self.mood)

    def _head_picture(self, draw: Callable[[skia.Canvas], None]) -> skia.Picture:
        hx, hy = self._head_pos

        def placed(canvas: skia.Canvas) -> None:
            canvas.translate(hx, hy)
            draw(canvas)
        return record(placed)

    def _eye(self, openness: float) -> skia.Picture:
        if openness not in self._eyes:
            self._eyes[openness] = self._head_picture(
                lambda c: draw_eyes(c, self.rig, self.turn, self.mood, openness))
        return self._eyes[openness]

    def _mouth(self, letter: str) -> skia.Picture:
        if letter not in self._mouths:
            self._mouths[letter] = self._head_picture(
                lambda c: draw_mouth(c, self.rig, self.turn, letter, self.mood.smile))
        return self._mouths[letter]

    def shadow(self, canvas: skia.Canvas) -> None:
        """The soft contact shadow under the feet, in world units (part of the background)."""
        if self.foreground:  # it stands between the lens and the set, off the ground plane
            return
        h = self.height
        w = h * (0.36 if self.rig.wardrobe in ("robe", "dress") else 0.28)
        rect = skia.Rect.MakeLTRB(self.track.x - w / 2, self.ground_y - h * 0.03,
                                  self.track.x + w / 2, self.ground_y + h * 0.025)
        canvas.drawOval(rect, soft(fill(_SHADOW, 0.4), h * 0.012))

    def bounds(self) -> tuple[float, float, float, float]:
        """World box (left, top, right, bottom) that every frame of this actor stays inside."""
        h = self.height
        x, y = self.track.x, self.ground_y
        return x - _HALF_WIDTH * h, y - _TOP * h, x + _HALF_WIDTH * h, y + _BOTTOM * h

    def draw(self, canvas: skia.Canvas, frame: int) -> None:
        """Draw the actor at ``frame`` in world units (the canvas holds the camera matrix)."""
        h = self.height
        breath = _BREATH_AMOUNT * math.sin(
            2.0 * math.pi * frame / (self.fps * _BREATH_SECONDS) + self.phase)
        lift = self.rig.head_y * breath  # the head rides on the rising shoulders
        canvas.save()
        canvas.translate(self.track.x, self.ground_y)
        canvas.scale(h, h)
        canvas.save()
        canvas.translate(0.0, lift)
        canvas.drawPicture(self._back)
        canvas.restore()
        canvas.save()
        canvas.scale(1.0, 1.0 + breath)
        canvas.drawPicture(self._body)
        canvas.restore()
        canvas.translate(0.0, lift)
        canvas.drawPicture(self._head)
        canvas.drawPicture(self._eye(eye_openness(self.track.blinks, frame)))
        visemes = self.track.visemes
        canvas.drawPicture(self._mouth(visemes[min(frame, len(visemes) - 1)]))
        canvas.drawPicture(self._front)
        canvas.restore()
