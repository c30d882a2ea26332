"""Storyboard export: a contact-sheet PNG and a multi-page A4 PDF of the planned shots.

A director shows these to a producer before anything expensive is generated, so each shot is
shown by its first and last frame next to the plan's words. Everything is drawn with skia;
the PDF's text is real text (selectable, searchable), its frames are embedded downscaled.
"""

from __future__ import annotations

import logging
import math
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import skia

from yingxi.media.fonts import cjk_face, typeface
from yingxi.media.overlay import wrap_text

log = logging.getLogger(__name__)

RGBA = npt.NDArray[np.uint8]

INK, MUTED, FAINT = 0xFF1E1F24, 0xFF5F6068, 0xFF8C8D94
PAPER, CARD, RULE = 0xFFF5F3EE, 0xFFFFFFFF, 0xFFD9D5CC
MATTE = 0xFFE6E3DC  # behind a frame whose aspect differs from its box's

# Contact sheet, in pixels.
THUMB_W, THUMB_GAP, CELL_PAD, CELL_GAP, SHEET_MARGIN = 180, 6, 12, 16, 32
SHEET_COLUMNS, CAPTION_SIZE, CAPTION_LINE = 4, 14.0, 20.0

# PDF, in points: A4 portrait.
PAGE_W, PAGE_H, MARGIN, BOTTOM, HEADER_H = 595.0, 842.0, 36.0, 30.0, 34.0
FRAME_MAX_W, FRAME_MAX_H, FRAME_GAP, LABEL_H, ROW_PAD = 110.0, 150.0, 8.0, 12.0, 10.0
TEXT_SIZE, TEXT_LINE, ID_SIZE, ID_LINE = 8.8, 12.0, 11.5, 16.0
COVER_GAP, COVER_INDENT = 5.0, 8.0
PDF_PX_PER_PT = 3.0  # ~216 dpi: sharp on paper, yet a 40-shot board stays a few MB
JPEG_QUALITY = 85

_SMOOTH = skia.SamplingOptions(skia.FilterMode.kLinear, skia.MipmapMode.kLinear)


@dataclass(frozen=True)
class BoardShot:
    """One shot as the storyboard shows it."""

    shot_id: str
    scene: str
    size: str
    angle: str
    move: str
    coverage: str
    characters: tuple[str, ...]  # display names of who is on screen
    covers: str  # the dialogue line or action paragraph the shot covers
    seconds: float
    first: npt.NDArray[np.uint8]  # (H, W, 3) RGB or (H, W, 4) RGBA uint8
    last: npt.NDArray[np.uint8]
    transition_in: str = "cut"  # "cut" | "fade" | "dissolve"
    motivation: str = ""  # why this size or move
    locked: tuple[str, ...] = ()  # fields a person locked, e.g. ("size",)


def write_storyboard(title: str, shots: Sequence[BoardShot], png: Path, pdf: Path) -> None:
    """Write the contact sheet ``png`` and the multi-page ``pdf`` (both atomically).

    Both are rendered in memory first, so a failure while drawing writes nothing at all.
    """
    sheet = contact_sheet(title, shots)
    image = skia.Image.fromarray(sheet, colorType=skia.kRGBA_8888_ColorType,
                                 alphaType=skia.kPremul_AlphaType)
    png_bytes = bytes(image.encodeToData(skia.kPNG, 100))
    pdf_bytes, pages = _render_pdf(title, shots)
    _write_atomic(png, png_bytes)
    _write_atomic(pdf, pdf_bytes)
    log.info("storyboard of %d shots: %s, %s (%d pages)", len(shots), png, pdf, pages)


def contact_sheet(title: str, shots: Sequence[BoardShot]) -> RGBA:
    """The contact sheet as premultiplied (H, W, 4) RGBA: a grid of cells, each with the
    shot's first and last frame and a short caption."""
    _require(shots)
    thumb_h = round(THUMB_W * _aspect(shots[0]))
    cell_w = 2 * THUMB_W + THUMB_GAP + 2 * CELL_PAD
    cell_h = round(2 * CELL_PAD + thumb_h + 8 + 5 * CAPTION_LINE)
    cols = min(SHEET_COLUMNS, len(shots))
    rows = math.ceil(len(shots) / cols)
    width = 2 * SHEET_MARGIN + cols * cell_w + (cols - 1) * CELL_GAP
    top = SHEET_MARGIN + 66
    height = top + rows * cell_h + (rows - 1) * CELL_GAP + SHEET_MARGIN
    pixels = np.zeros((height, width, 4), dtype=np.uint8)
    surface = skia.Surface(pixels, colorType=skia.kRGBA_8888_ColorType,
                           alphaType=skia.kPremul_AlphaType)
    canvas = surface.getCanvas()
    canvas.clear(PAPER)
    title_font, sub_font = _font(24, bold=True), _font(CAPTION_SIZE)
    text_w = width - 2 * SHEET_MARGIN
    _text(canvas, _ellipsize(title, title_font, text_w), SHEET_MARGIN, SHEET_MARGIN + 22,
          title_font, INK)
    _text(canvas, _summary(shots), SHEET_MARGIN, SHEET_MARGIN + 46, sub_font, MUTED)
    for i, shot in enumerate(shots):
        x = SHEET_MARGIN + (i % cols) * (cell_w + CELL_GAP)
        y = top + (i // cols) * (cell_h + CELL_GAP)
        _draw_cell(canvas, shot, x, y, cell_w, cell_h, thumb_h)
    surface.flushAndSubmit()
    return pixels


def _draw_cell(canvas: Any, shot: BoardShot, x: float, y: float, w: float, h: float,
               thumb_h: float) -> None:
    card = skia.RRect.MakeRectXY(skia.Rect.MakeXYWH(x + 0.5, y + 0.5, w - 1, h - 1), 6, 6)
    canvas.drawRRect(card, _paint(CARD))
    canvas.drawRRect(card, _paint(RULE, stroke=1.0))
    for k, frame in enumerate((shot.first, shot.last)):
        box = skia.Rect.MakeXYWH(x + CELL_PAD + k * (THUMB_W + THUMB_GAP), y + CELL_PAD,
                                 THUMB_W, thumb_h)
        _draw_frame(canvas, frame, box, 1.0)
    bold, regular = _font(CAPTION_SIZE, bold=True), _font(CAPTION_SIZE)
    text_w = w - 2 * CELL_PAD
    left = x + CELL_PAD
    base = y + CELL_PAD + thumb_h + 8 + CAPTION_LINE - 5
    seconds = f"{shot.seconds:.1f} s"
    id_w = text_w - regular.measureText(seconds) - 10
    _text(canvas, _ellipsize(shot.shot_id, bold, id_w), left, base, bold, INK)
    _text(canvas, seconds, left + text_w - regular.measureText(seconds), base, regular, MUTED)
    lines = [(" · ".join((shot.size, shot.angle, shot.move)), MUTED),
             (" · ".join(filter(None, (shot.coverage, ", ".join(shot.characters)))), MUTED)]
    lines += [(line, INK) for line in _clip(shot.covers, regular, text_w, 2)]
    for k, (line, color) in enumerate(lines, start=1):
        _text(canvas, _ellipsize(line, regular, text_w), left, base + k * CAPTION_LINE,
              regular, color)


@dataclass(frozen=True)
class _Row:
    """A shot's PDF row, laid out: wrapped plan lines (text, colour), covered lines, size."""

    shot: BoardShot
    details: list[tuple[str, int]]
    covered: list[str]
    frame_w: float
    frame_h: float
    height: float


def _render_pdf(title: str, shots: Sequence[BoardShot]) -> tuple[bytes, int]:
    """The PDF's bytes and its page count."""
    _require(shots)
    usable = PAGE_H - MARGIN - HEADER_H - BOTTOM
    # one frame box for the whole board keeps the text column aligned; odd frames letterbox
    aspect = _aspect(shots[0])
    frame_w = min(FRAME_MAX_W, FRAME_MAX_H / aspect)
    pages: list[list[_Row]] = [[]]
    for shot in shots:
        row = _layout_row(shot, frame_w, frame_w * aspect, usable)
        if pages[-1] and sum(r.height for r in pages[-1]) + row.height > usable:
            pages.append([])
        pages[-1].append(row)
    metadata = skia.PDF.Metadata()
    metadata.fTitle = title
    metadata.fCreator = "yingxi storyboard"
    # JPEG for frames (they are opaque photos); lossless Flate would be ~10x larger
    metadata.fEncodingQuality = JPEG_QUALITY
    stream = skia.DynamicMemoryWStream()
    document = skia.PDF.MakeDocument(stream, metadata)
    try:
        for number, rows in enumerate(pages, start=1):
            canvas = document.beginPage(PAGE_W, PAGE_H)
            _draw_header(canvas, title, f"{_summary(shots)}  ·  page {number} / {len(pages)}")
            y = MARGIN + HEADER_H
            for k, row in enumerate(rows):
                if k:
                    canvas.drawLine(MARGIN, y, PAGE_W - MARGIN, y, _paint(RULE, stroke=0.5))
                _draw_row(canvas, row, y)
                y += row.height
            document.endPage()
        document.close()
    except BaseException:
        # an unfinished document left to the garbage collector finishes itself into a stream
        # that may already be freed (a segfault); aborting makes its destructor a no-op
        document.abort()
        raise
    return bytes(stream.detachAsData()), len(pages)


def _draw_header(canvas: Any, title: str, right: str) -> None:
    small, big = _font(8.5), _font(15, bold=True)
    right_w = small.measureText(right)
    heading = _ellipsize(title, big, PAGE_W - 2 * MARGIN - right_w - 16)
    _text(canvas, heading, MARGIN, MARGIN + 14, big, INK)
    _text(canvas, right, PAGE_W - MARGIN - right_w, MARGIN + 13, small, MUTED)
    canvas.drawLine(MARGIN, MARGIN + 22, PAGE_W - MARGIN, MARGIN + 22, _paint(INK, stroke=0.8))


def _layout_row(shot: BoardShot, frame_w: float, frame_h: float, usable: float) -> _Row:
    text_w = PAGE_W - MARGIN - _text_left(frame_w)
    font = _font(TEXT_SIZE)
    plan = [(shot.scene, INK), (" · ".join((shot.size, shot.angle, shot.move)), MUTED),
            (" · ".join(filter(None, (shot.coverage, ", ".join(shot.characters)))), MUTED)]
    if shot.motivation:
        plan.append((f"why: {shot.motivation}", FAINT))
    if shot.locked:
        plan.append((f"locked: {', '.join(shot.locked)}", FAINT))
    details = [(line, color) for text, color in plan if text
               for line in _clip(text, font, text_w, 3)]
    head = ID_LINE + len(details) * TEXT_LINE + COVER_GAP
    # a row never outgrows a page: very long dialogue or action is cut with an ellipsis
    room = max(1, int((usable - 2 * ROW_PAD - head) // TEXT_LINE))
    covered = _clip(shot.covers, font, text_w - COVER_INDENT, room) if shot.covers else []
    text_h = head + len(covered) * TEXT_LINE
    height = max(frame_h + LABEL_H, text_h) + 2 * ROW_PAD
    return _Row(shot, details, covered, frame_w, frame_h, height)


def _text_left(frame_w: float) -> float:
    return MARGIN + 2 * frame_w + FRAME_GAP + 16


def _draw_row(canvas: Any, row: _Row, top: float) -> None:
    y = top + ROW_PAD
    label = _font(7)
    for k, (frame, name) in enumerate(((row.shot.first, "first"), (row.shot.last, "last"))):
        x = MARGIN + k * (row.frame_w + FRAME_GAP)
        _draw_frame(canvas, frame, skia.Rect.MakeXYWH(x, y, row.frame_w, row.frame_h),
                    PDF_PX_PER_PT)
        _text(canvas, name, x, y + row.frame_h + 9, label, FAINT)
    left, right = _text_left(row.frame_w), PAGE_W - MARGIN
    bold, font = _font(ID_SIZE, bold=True), _font(TEXT_SIZE)
    baseline = y + ID_LINE - 5
    timing = f"{row.shot.seconds:.1f} s"
    if row.shot.transition_in != "cut":
        timing = f"{row.shot.transition_in} in  ·  {timing}"
    timing_w = font.measureText(timing)
    _text(canvas, _ellipsize(row.shot.shot_id, bold, right - left - timing_w - 10), left,
          baseline, bold, INK)
    _text(canvas, timing, right - timing_w, baseline, font, MUTED)
    for text, color in row.details:
        baseline += TEXT_LINE
        _text(canvas, text, left, baseline, font, color)
    if row.covered:
        baseline += COVER_GAP
        # a quote bar sets what the shot covers apart from the plan above it
        canvas.drawLine(left + 1, baseline + 4, left + 1,
                        baseline + len(row.covered) * TEXT_LINE + 3, _paint(RULE, stroke=1.5))
        for line in row.covered:
            baseline += TEXT_LINE
            _text(canvas, line, left + COVER_INDENT, baseline, font, INK)


def _draw_frame(canvas: Any, frame: npt.NDArray[np.uint8], box: Any, px_per_unit: float) -> None:
    """``frame`` fitted (aspect kept) and centred in ``box``, first downscaled to the pixels
    it will show at, so big frames neither alias nor bloat the PDF."""
    h, w = frame.shape[:2]
    scale = min(box.width() / w, box.height() / h)
    dst = skia.Rect.MakeXYWH(box.left() + (box.width() - w * scale) / 2,
                             box.top() + (box.height() - h * scale) / 2, w * scale, h * scale)
    canvas.drawRect(box, _paint(MATTE))
    canvas.drawImageRect(_scaled(frame, max(1, round(dst.width() * px_per_unit)),
                                 max(1, round(dst.height() * px_per_unit))), dst, _SMOOTH)
    canvas.drawRect(box, _paint(RULE, stroke=0.5 if px_per_unit > 1 else 1.0))


def _scaled(frame: npt.NDArray[np.uint8], width: int, height: int) -> Any:
    """``frame`` as an opaque skia image, no more than ``width`` x ``height`` pixels."""
    rgba = np.empty((*frame.shape[:2], 4), dtype=np.uint8)
    rgba[..., :3] = frame[..., :3]
    rgba[..., 3] = 255
    image = skia.Image.fromarray(rgba, colorType=skia.kRGBA_8888_ColorType,
                                 alphaType=skia.kOpaque_AlphaType)
    if width >= image.width():
        return image
    pixels = np.zeros((height, width, 4), dtype=np.uint8)
    surface = skia.Surface(pixels, colorType=skia.kRGBA_8888_ColorType,
                           alphaType=skia.kPremul_AlphaType)
    # mipmaps average the pixels a big downscale skips, which plain bilinear would alias
    surface.getCanvas().drawImageRect(image.withDefaultMipmaps(),
                                      skia.Rect.MakeWH(width, height), _SMOOTH)
    surface.flushAndSubmit()
    return skia.Image.fromarray(pixels, colorType=skia.kRGBA_8888_ColorType,
                                alphaType=skia.kOpaque_AlphaType)


def _clip(text: str, font: Any, max_w: float, limit: int) -> list[str]:
    """``text`` wrapped to ``max_w``, at most ``limit`` lines, the last ellipsized if cut."""
    lines = wrap_text(text, lambda s: float(font.measureText(s)), max_w)
    if len(lines) > limit:
        lines = [*lines[:limit - 1], _ellipsize(lines[limit - 1], font, max_w, force=True)]
    # wrap_text never splits a word, so one long Latin token can still overflow
    return [_ellipsize(line, font, max_w) for line in lines]


def _ellipsize(text: str, font: Any, max_w: float, force: bool = False) -> str:
    if not force and font.measureText(text) <= max_w:
        return text
    while text and font.measureText(text.rstrip() + "…") > max_w:
        text = text[:-1]
    return text.rstrip() + "…"


def _aspect(shot: BoardShot) -> float:
    """Height over width of ``shot``'s frames, kept to sane bounds for laying out boxes."""
    return min(2.0, max(0.4, float(shot.first.shape[0] / shot.first.shape[1])))


def _summary(shots: Sequence[BoardShot]) -> str:
    count = f"{len(shots)} shot" + ("" if len(shots) == 1 else "s")
    return f"{count}  ·  {sum(s.seconds for s in shots):.1f} s"


def _require(shots: Sequence[BoardShot]) -> None:
    """Fail before drawing anything: no shots, or a frame that is not (H, W, 3) uint8 RGB
    or (H, W, 4) uint8 RGBA (as a painter gives it; the alpha is ignored)."""
    if not shots:
        raise ValueError("a storyboard needs at least one shot; got an empty list")
    for shot in shots:
        for frame in (shot.first, shot.last):
            if frame.ndim != 3 or frame.shape[2] not in (3, 4) or frame.dtype != np.uint8 \
                    or 0 in frame.shape:
                raise ValueError(f"shot {shot.shot_id}: a frame must be (H, W, 3) uint8 RGB "
                                 f"or (H, W, 4) RGBA, got {frame.shape} {frame.dtype}")


def _font(size: float, bold: bool = False) -> Any:
    font = skia.Font(typeface(cjk_face()), size)
    font.setEdging(skia.Font.Edging.kAntiAlias)
    font.setSubpixel(True)
    # unhinted, fractional advances: hinting rounds every glyph's advance to a whole unit,
    # which puts PDF text (one unit = one point) visibly and searchably out of step
    font.setHinting(skia.FontHinting.kNone)
    font.setLinearMetrics(True)
    font.setEmbolden(bold)
    return font


def _text(canvas: Any, text: str, x: float, baseline: float, font: Any, color: int) -> None:
    if not text:
        return
    # a shaped blob keeps the source text beside the glyphs, so the PDF maps each glyph back
    # to the character drawn: Noto shares glyphs between 口 and the radical ⼝, and a bare
    # glyph run would come out of copy-paste and search as the radical
    blob = skia.TextBlob.MakeFromShapedText(text, font)
    # the shaper puts the line's top at the origin, its baseline one ascent below
    canvas.drawTextBlob(blob, x, baseline + font.getMetrics().fAscent, _paint(color))


def _paint(color: int, stroke: float = 0.0) -> Any:
    """A fill paint, or a stroke of width ``stroke``."""
    style = skia.Paint.kStroke_Style if stroke else skia.Paint.kFill_Style
    return skia.Paint(AntiAlias=True, Color=color, Style=style, StrokeWidth=stroke)


def _write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to a temporary file beside ``path``, then rename it into place, so
    readers see the old file or the whole new one, never a partial one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    try:
        with tmp.open("xb") as out:
            out.write(data)
        tmp.replace(path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
