"""Text burned into frames: the visible AI label and subtitles.

Each is rasterised once (skia, anti-aliased) into a premultiplied RGBA patch and blended into
every frame that shows it, touching only the patch's rectangle.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from yingxi.media.fonts import cjk_face, typeface
from yingxi.schema.production import LabelConfig

RGBA = npt.NDArray[np.uint8]

SUBTITLE_CENTER_Y = 0.72   # above the platform UI that covers the bottom ~22 % of 9:16
SUBTITLE_MAX_WIDTH = 0.84  # of the frame width, clear of the right-edge buttons
LABEL_MARGIN_X = 0.04
LABEL_MARGIN_Y = 0.06


@dataclass(frozen=True)
class Overlay:
    """A premultiplied RGBA patch placed with its top-left corner at (x, y)."""

    x: int
    y: int
    rgba: RGBA
    ink_height: float = 0.0  # ink height of the shortest glyph, in pixels (labels only)

    @property
    def height(self) -> int:
        """Patch height in pixels."""
        return int(self.rgba.shape[0])

    @property
    def width(self) -> int:
        """Patch width in pixels."""
        return int(self.rgba.shape[1])


def render_label(cfg: LabelConfig, width: int, height: int) -> Overlay:
    """The visible AI label: every glyph's ink is at least ``cfg.height_ratio`` x the short
    side tall, the short Latin capitals of "AI" included (CJK glyphs come out taller)."""
    import skia

    target_ink = cfg.height_ratio * min(width, height)
    probe_size = 100.0
    smallest = _smallest_glyph(_font(probe_size, embolden=True), cfg.text)
    # size by the ink (not the em box), rounding up so compression cannot take it below
    font = _font(math.ceil(probe_size * target_ink / smallest * 100) / 100, embolden=True)
    glyph_ink = _smallest_glyph(font, cfg.text)
    ink = skia.Rect()
    advance = font.measureText(cfg.text, skia.TextEncoding.kUTF8, ink)
    pad_x, pad_y = 0.35 * ink.height(), 0.28 * ink.height()
    box_w = math.ceil(advance + 2 * pad_x)
    box_h = math.ceil(ink.height() + 2 * pad_y)
    surface, pixels = _surface(box_w, box_h)
    canvas = surface.getCanvas()
    box = skia.Paint(AntiAlias=True, Color=skia.Color4f(0.05, 0.05, 0.08, 0.55))
    canvas.drawRRect(skia.RRect.MakeRectXY(skia.Rect.MakeWH(box_w, box_h),
                                           0.22 * box_h, 0.22 * box_h), box)
    text = skia.Paint(AntiAlias=True, Color=skia.Color4f(1, 1, 1, 0.96))
    canvas.drawString(cfg.text, pad_x - ink.left(), pad_y - ink.top(), font, text)
    x = round(LABEL_MARGIN_X * width)
    if cfg.corner == "top-right":
        x = width - x - box_w
    return Overlay(x=x, y=round(LABEL_MARGIN_Y * height), rgba=pixels, ink_height=glyph_ink)


def _smallest_glyph(font: Any, text: str) -> float:
    """Ink height of the shortest letter or character in ``text`` (punctuation aside)."""
    import skia

    heights = []
    for ch in text:
        if ch.isalnum():
            bounds = skia.Rect()
            font.measureText(ch, skia.TextEncoding.kUTF8, bounds)
            heights.append(bounds.height())
    return float(min(heights))


def render_subtitle(text: str, width: int, height: int) -> Overlay:
    """A subtitle: white text with a dark outline, wrapped to fit, centred at
    :data:`SUBTITLE_CENTER_Y` of the frame height."""
    import skia

    size = 0.046 * width
    font = _font(size, embolden=True)
    lines = wrap_text(text, lambda s: float(font.measureText(s)), SUBTITLE_MAX_WIDTH * width)
    metrics = font.getMetrics()
    line_h = 1.3 * size
    stroke_w = 0.16 * size
    text_w = max(font.measureText(line) for line in lines)
    box_w = math.ceil(text_w + 2 * stroke_w + 4)
    box_h = math.ceil(line_h * len(lines) + 2 * stroke_w + 4)
    surface, pixels = _surface(box_w, box_h)
    canvas = surface.getCanvas()
    outline = skia.Paint(AntiAlias=True, Color=skia.Color4f(0.04, 0.04, 0.06, 0.92),
                         Style=skia.Paint.kStroke_Style, StrokeWidth=stroke_w,
                         StrokeJoin=skia.Paint.kRound_Join)
    fill = skia.Paint(AntiAlias=True, Color=skia.Color4f(1, 1, 0.97, 1))
    for i, line in enumerate(lines):
        x = (box_w - font.measureText(line)) / 2
        baseline = stroke_w + 2 + i * line_h + (line_h - (metrics.fDescent - metrics.fAscent)) / 2 \
            - metrics.fAscent
        canvas.drawString(line, x, baseline, font, outline)
        canvas.drawString(line, x, baseline, font, fill)
    return Overlay(x=(width - box_w) // 2, y=round(SUBTITLE_CENTER_Y * height - box_h / 2),
                   rgba=pixels)


def composite(frame: npt.NDArray[np.uint8], overlay: Overlay) -> None:
    """Blend ``overlay`` into the RGB ``frame`` in place (premultiplied "over")."""
    h, w = frame.shape[:2]
    x0, y0 = max(0, overlay.x), max(0, overlay.y)
    x1, y1 = min(w, overlay.x + overlay.width), min(h, overlay.y + overlay.height)
    if x0 >= x1 or y0 >= y1:
        return
    patch = overlay.rgba[y0 - overlay.y:y1 - overlay.y, x0 - overlay.x:x1 - overlay.x]
    src = patch[..., :3].astype(np.uint16)
    alpha = patch[..., 3:4].astype(np.uint16)
    dst = frame[y0:y1, x0:x1].astype(np.uint16)
    frame[y0:y1, x0:x1] = (src + ((dst * (255 - alpha) + 127) // 255)).astype(np.uint8)


def wrap_text(text: str, width_of: Callable[[str], float], max_width: float) -> list[str]:
    """Break ``text`` into lines no wider than ``max_width``: between words for scripts with
    spaces, between characters for Chinese, and never before closing punctuation."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        tokens = _tokens(paragraph)
        current = ""
        for token in tokens:
            candidate = current + token
            if current and width_of(candidate.strip()) > max_width:
                lines.append(current.strip())
                current = token.lstrip()
            else:
                current = candidate
        if current.strip():
            lines.append(current.strip())
    return lines or [""]


_NO_LINE_START = set("，。！？；：、,.!?;:）)」』”’…")


def _tokens(text: str) -> list[str]:
    """Unbreakable pieces: Latin words with their trailing space, single CJK characters
    with any punctuation that must not start a line."""
    tokens: list[str] = []
    word = ""
    for ch in text:
        if ch.isascii() and not ch.isspace():
            word += ch
            continue
        if word:
            tokens.append(word)
            word = ""
        if ch.isspace():
            if tokens:
                tokens[-1] += ch
        elif ch in _NO_LINE_START and tokens:
            tokens[-1] += ch
        else:
            tokens.append(ch)
    if word:
        tokens.append(word)
    return tokens


def _font(size: float, embolden: bool = False) -> Any:
    import skia

    font = skia.Font(typeface(cjk_face()), size)
    font.setEdging(skia.Font.Edging.kAntiAlias)
    font.setSubpixel(True)
    font.setEmbolden(embolden)
    return font


def _surface(width: int, height: int) -> tuple[Any, RGBA]:
    """A skia surface drawing (premultiplied RGBA) straight into a new numpy array."""
    import skia

    pixels = np.zeros((height, width, 4), dtype=np.uint8)
    return skia.Surface(pixels), pixels
