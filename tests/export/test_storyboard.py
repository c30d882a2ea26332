"""The storyboard: a contact-sheet PNG and a multi-page PDF that show every shot, both its
frames and its words, once; written atomically."""

from __future__ import annotations

import errno
import itertools
import shutil
import subprocess
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pypdfium2 as pdfium  # type: ignore[import-untyped]
import pytest
import skia

from yingxi.export import storyboard
from yingxi.export.storyboard import BoardShot, contact_sheet, write_storyboard

RGB = tuple[int, int, int]
TITLE = "渡口 The Ferry — 第一集"

# channel levels 90 apart, greys dropped: no two colours (nor paper, ink or text
# anti-aliasing, which all lie near the grey axis) come within the tolerance of another
PALETTE: list[RGB] = [(r, g, b) for r, g, b in itertools.product((30, 120, 210), repeat=3)
                      if max(r, g, b) - min(r, g, b) >= 90]
TOLERANCE = 20

LONG_ZH = ("江面上起了雾，渡船的灯一盏一盏亮起来，远处传来船工的号子声。阿婉提着灯笼，沿着石阶"
           "慢慢走下去，每走一步都停一停，像是在数台阶，又像是在等什么人。") * 2
LONG_EN = ("The river is grey under a low sky. A-wan walks the length of the jetty, stops at "
           "its end, and looks at the far bank where the ferry used to land. ") * 3
COVERS = ["阿婉: 今天是十五，他说过会回来的。", LONG_EN, "李郎: 我回来了。", LONG_ZH,
          "A-WAN: You said the fifteenth.", "Insert: the letter, folded twice.",
          "阿婉: 你骗我。", "Silence.", "李郎: 对不起。", LONG_EN]
SCENES = ["外景 江边 - 黄昏", "INT. FERRY HOUSE - NIGHT", "内景 渡口小屋 - 夜"]


def _frame(colour: RGB, width: int = 90, height: int = 160) -> npt.NDArray[np.uint8]:
    """A solid colour with a black square in the middle."""
    frame = np.empty((height, width, 3), dtype=np.uint8)
    frame[:] = colour
    frame[height // 3:height // 2, width // 4:width // 2] = 0
    return frame


def _shots(count: int = 10) -> list[BoardShot]:
    return [BoardShot(
        shot_id=f"sc{i // 4 + 1:02d}-{(i % 4 + 1) * 10:03d}",
        scene=SCENES[i % 3],
        size=("wide", "medium-close", "close-up")[i % 3],
        angle=("eye-level", "high", "low")[i % 3],
        move=("static", "push-in", "pan-left", "dolly-out")[i % 4],
        coverage=("establishing", "over-shoulder", "single", "reaction", "insert")[i % 5],
        characters=(("阿婉",), ("阿婉", "李郎"), (), ("A-wan", "Li Lang"))[i % 4],
        covers=COVERS[i % len(COVERS)],
        seconds=1.5 + 0.75 * i,
        first=_frame(PALETTE[2 * i]),
        last=_frame(PALETTE[2 * i + 1]),
        transition_in=("cut", "fade", "dissolve")[i % 3],
        motivation=("", "push-in: tension builds")[i % 2],
        locked=((), ("size",), ("size", "move"))[i % 3],
    ) for i in range(count)]


def _colour(frame: npt.NDArray[np.uint8]) -> RGB:
    """The frame's background colour (its top-left pixel)."""
    r, g, b = (int(v) for v in frame[0, 0])
    return r, g, b


def _has(image: npt.NDArray[np.uint8], colour: RGB, at_least: int = 2000) -> bool:
    """Whether ``image`` (RGB or RGBA) has ``at_least`` pixels within TOLERANCE of ``colour``."""
    near = np.abs(image[..., :3].astype(np.int16) - np.array(colour, np.int16)) <= TOLERANCE
    return int(near.all(axis=-1).sum()) >= at_least


@pytest.fixture(scope="module")
def board(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[BoardShot], Path, Path]:
    shots = _shots()
    out = tmp_path_factory.mktemp("board") / "not-yet" / "made"  # parents are created
    png, pdf = out / "board.png", out / "board.pdf"
    write_storyboard(TITLE, shots, png, pdf)
    return shots, png, pdf


def _pages(pdf: Path) -> tuple[list[str], list[npt.NDArray[np.uint8]]]:
    """Each page's extracted text and its rendering (RGB, ~72 dpi)."""
    document = pdfium.PdfDocument(pdf)
    try:
        texts = [page.get_textpage().get_text_range() for page in document]
        pixels = [page.render(scale=1, rev_byteorder=True).to_numpy() for page in document]
        return texts, pixels
    finally:
        document.close()


def test_pdf_pages_text_and_metadata(board: tuple[list[BoardShot], Path, Path]) -> None:
    shots, _, pdf = board
    texts, _ = _pages(pdf)
    # four rows fit a page (the long texts here grow rows a little, not past that)
    assert len(texts) == 3
    every = "".join(texts)
    for number, shot in enumerate(shots):
        assert every.count(shot.shot_id) == 1, shot.shot_id
        assert shot.shot_id in texts[number // 4], shot.shot_id  # in order, none skipped
    # the exact ideographs come back (not the look-alike radicals ⼗ or ⻩ that share glyphs)
    for words in ("今天是十五，他说过会回来的。", "外景 江边 - 黄昏", "内景 渡口小屋 - 夜",
                  "阿婉, 李郎", "INT. FERRY HOUSE - NIGHT", "medium-close · high · push-in",
                  "locked: size, move", "fade in", "dissolve in", "2.2 s",
                  "why: push-in: tension builds", "first", "last"):
        assert words in every, words
    assert "page 1 / 3" in texts[0] and "page 3 / 3" in texts[2]
    document = pdfium.PdfDocument(pdf)
    assert document.get_metadata_dict()["Title"] == TITLE
    assert document[0].get_size() == pytest.approx((595, 842))
    document.close()


def test_pdf_shows_both_frames_of_every_shot(board: tuple[list[BoardShot], Path, Path]) -> None:
    shots, _, pdf = board
    _, pixels = _pages(pdf)
    for shot in shots:
        for frame in (shot.first, shot.last):
            colour = _colour(frame)
            assert any(_has(page, colour) for page in pixels), (shot.shot_id, colour)


def test_pdf_frames_are_embedded_downscaled(tmp_path: Path) -> None:
    rng = np.random.default_rng(7)
    big = rng.integers(0, 256, size=(1920, 1080, 3), dtype=np.uint8)
    shots = [BoardShot("sc01-010", "INT. ROOM - NIGHT", "wide", "high", "static", "single",
                       (), "Silence.", 2.0, big, big[::-1].copy())]
    write_storyboard("big frames", shots, tmp_path / "b.png", tmp_path / "b.pdf")
    document = pdfium.PdfDocument(tmp_path / "b.pdf")
    images = list(document[0].get_objects(filter=[pdfium.raw.FPDF_PAGEOBJ_IMAGE]))
    assert len(images) == 2
    for image in images:
        width, height = image.get_px_size()
        assert 100 <= width <= 400 and height == pytest.approx(width * 16 / 9, abs=2)
    document.close()
    assert (tmp_path / "b.pdf").stat().st_size < 600_000  # noise: the worst case for JPEG


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler's pdftoppm not installed")
def test_pdf_renders_with_poppler(board: tuple[list[BoardShot], Path, Path],
                                  tmp_path: Path) -> None:
    _, _, pdf = board
    done = subprocess.run(["pdftoppm", "-png", "-r", "50", str(pdf), str(tmp_path / "page")],
                          capture_output=True, check=False)
    assert done.returncode == 0, done.stderr
    assert len(list(tmp_path.glob("page*.png"))) == 3


def test_contact_sheet_shows_both_frames_of_every_shot(
        board: tuple[list[BoardShot], Path, Path]) -> None:
    shots, png, _ = board
    sheet = contact_sheet(TITLE, shots)
    assert sheet.ndim == 3 and sheet.shape[2] == 4 and sheet.dtype == np.uint8
    assert (sheet[..., 3] == 255).all()
    for shot in shots:
        for frame in (shot.first, shot.last):
            colour = _colour(frame)
            assert _has(sheet, colour, at_least=20_000), (shot.shot_id, colour)
    saved = skia.Image.open(str(png)).toarray(colorType=skia.kRGBA_8888_ColorType)
    np.testing.assert_array_equal(saved, sheet)


def test_any_aspect_fits(tmp_path: Path) -> None:
    wide, tall = _frame(PALETTE[0], 320, 180), _frame(PALETTE[1], 90, 160)
    shots = [BoardShot("a", "s", "wide", "low", "static", "single", ("阿婉",), "x", 1.0,
                       wide, tall)]
    sheet = contact_sheet("aspect", shots)
    assert _has(sheet, PALETTE[0]) and _has(sheet, PALETTE[1])
    write_storyboard("aspect", shots, tmp_path / "a.png", tmp_path / "a.pdf")
    _, pixels = _pages(tmp_path / "a.pdf")
    assert _has(pixels[0], PALETTE[0], 500) and _has(pixels[0], PALETTE[1], 500)


def test_endless_text_is_cut_to_fit_a_page(tmp_path: Path) -> None:
    shots = _shots(2)
    shots[0] = BoardShot(**{**shots[0].__dict__, "covers": LONG_ZH * 40})
    write_storyboard("long", shots, tmp_path / "l.png", tmp_path / "l.pdf")
    texts, _ = _pages(tmp_path / "l.pdf")
    assert len(texts) == 2 and "…" in texts[0] and "sc01-020" in texts[1]


def test_bad_input_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="at least one shot"):
        write_storyboard("empty", [], tmp_path / "e.png", tmp_path / "e.pdf")
    with pytest.raises(ValueError, match="at least one shot"):
        contact_sheet("empty", [])
    grey = np.zeros((160, 90), dtype=np.uint8)
    shots = [BoardShot(**{**_shots(1)[0].__dict__, "last": grey})]
    with pytest.raises(ValueError, match=r"sc01-010.*\(H, W, 3\)"):
        write_storyboard("grey", shots, tmp_path / "g.png", tmp_path / "g.pdf")
    assert not list(tmp_path.iterdir())


def test_a_drawing_failure_writes_nothing(tmp_path: Path,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    real = storyboard._draw_row
    calls = itertools.count()

    def flaky(*args: Any) -> None:
        if next(calls) == 5:
            raise RuntimeError("boom")
        real(*args)

    monkeypatch.setattr(storyboard, "_draw_row", flaky)
    with pytest.raises(RuntimeError, match="boom"):
        write_storyboard(TITLE, _shots(), tmp_path / "b.png", tmp_path / "b.pdf")
    assert not list(tmp_path.iterdir())


class _HalfWriter:
    """A file that takes half of what it is given, then finds the disk full."""

    def __init__(self, handle: Any, seen: list[int]) -> None:
        self._handle, self._seen = handle, seen

    def __enter__(self) -> _HalfWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self._handle.close()

    def write(self, data: bytes) -> int:
        self._handle.write(data[:len(data) // 2])
        self._handle.flush()
        self._seen.append(len(data) // 2)
        raise OSError(errno.ENOSPC, "No space left on device")


def test_a_failure_mid_write_leaves_the_old_file(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    png, pdf = tmp_path / "b.png", tmp_path / "b.pdf"
    pdf.write_bytes(b"the old board")
    real_open = Path.open
    seen: list[int] = []

    def failing_open(self: Path, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
        handle = real_open(self, mode, *args, **kwargs)
        return _HalfWriter(handle, seen) if self.name.startswith(".b.pdf.") else handle

    monkeypatch.setattr(Path, "open", failing_open)
    with pytest.raises(OSError, match="No space"):
        write_storyboard(TITLE, _shots(3), png, pdf)
    assert seen and seen[0] > 0  # a partial temporary file really was written
    assert pdf.read_bytes() == b"the old board"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["b.pdf", "b.png"]  # no temp left
    assert skia.Image.open(str(png)).width() > 0  # written in full before the PDF failed
