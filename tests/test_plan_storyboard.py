"""The director on a bundled example: ids that survive an edit, a storyboard that opens."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pypdfium2 as pdfium  # type: ignore[import-untyped]
import pytest

import yingxi
from yingxi.cli import main
from yingxi.script.shots_io import read_plan

pytestmark = pytest.mark.slow


def test_editing_one_line_of_the_example_keeps_every_shot_id(
        example_copy: Callable[[str], Path]) -> None:
    root = example_copy("paper-lantern")
    committed = read_plan(root / "shots" / "ep01.yaml")
    [first] = yingxi.plan(root)
    assert committed is not None  # the example ships its plan, and planning keeps its ids
    assert [s.id for s in first.shots.shots] == [e.id for e in committed.shots]
    script = root / "episodes" / "ep01.fountain"
    script.write_text(script.read_text(encoding="utf-8").replace(
        "天快黑了，江上的风也大了。", "天快黑了，江上起风了，回去吧。"), encoding="utf-8")
    [again] = yingxi.plan(root)
    assert [s.id for s in again.shots.shots] == [s.id for s in first.shots.shots]
    changed = [s.id for s, t in zip(first.shots.shots, again.shots.shots, strict=True)
               if s.text != t.text]
    assert len(changed) == 1


def test_the_storyboard_shows_every_shot_with_two_frames(
        example_copy: Callable[[str], Path], capsys: pytest.CaptureFixture[str]) -> None:
    root = example_copy("paper-lantern")
    assert main(["storyboard", str(root), "--out", str(root / "board")]) == 0
    pdf_path = root / "board" / "ep01-storyboard.pdf"
    png_path = root / "board" / "ep01-storyboard.png"
    assert png_path.stat().st_size > 10_000
    plan = read_plan(root / "shots" / "ep01.yaml")
    assert plan is not None
    pdf = pdfium.PdfDocument(str(pdf_path))
    text, images = "", 0
    for page in pdf:
        text += page.get_textpage().get_text_range()
        images += sum(1 for obj in page.get_objects()
                      if obj.type == pdfium.raw.FPDF_PAGEOBJ_IMAGE)
    for entry in plan.shots:
        assert entry.id in text
    assert images == 2 * len(plan.shots)  # every shot: its first and last frame
    if shutil.which("pdftoppm"):
        done = subprocess.run(["pdftoppm", "-png", "-r", "30", str(pdf_path),
                               str(root / "board" / "page")], capture_output=True)
        assert done.returncode == 0, done.stderr
        assert len(list((root / "board").glob("page-*.png"))) == len(pdf)
    assert "ep01-storyboard.pdf" in capsys.readouterr().out
