"""``yingxi check``: a summary of a production or screenplay, the parse as JSON, clear errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES, TINY_BIBLE, TINY_SCRIPT, WriteProduction
from yingxi.cli import main

DUAL = """\
Title: Two at once
Author: Someone

INT. KITCHEN - DAY #1A#

BRICK
Screw retirement.

STEEL ^
Screw retirement.

MAE (V.O.)
(softly)
It was *never* quiet.

> CUT TO:

~Row, row, row
"""


def test_a_production_is_summarised(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(EXAMPLES / "paper-lantern")]) == 0
    out = capsys.readouterr().out
    assert "纸灯笼" in out and "2 scenes" in out and "11 lines of dialogue" in out
    assert "沈舟 6" in out and "阿婉 5" in out
    assert "about" in out and "production OK" in out


def test_json_lists_every_element_with_its_line(tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    script = tmp_path / "dual.fountain"
    script.write_text(DUAL, encoding="utf-8")
    assert main(["check", str(script), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["title_page"] == {"title": "Two at once", "author": "Someone"}
    got = [(e["type"], e["text"], e["line"]) for e in data["elements"]]
    assert got == [
        ("scene_heading", "INT. KITCHEN - DAY", 4),
        ("character", "BRICK", 6), ("dialogue", "Screw retirement.", 7),
        ("character", "STEEL", 9), ("dialogue", "Screw retirement.", 10),
        ("character", "MAE", 12), ("parenthetical", "(softly)", 13),
        ("dialogue", "It was *never* quiet.", 14),
        ("transition", "CUT TO:", 16), ("lyrics", "Row, row, row", 18),
    ]
    elements = data["elements"]
    assert elements[0]["scene_number"] == "1A"
    assert [e.get("dual") for e in elements[1:5]] == ["left", "left", "right", "right"]
    assert elements[5]["extension"] == "(V.O.)" and elements[7]["character"] == "MAE"
    assert data["summary"]["dialogue_lines"] == 3


def test_a_typo_in_a_cue_is_one_paragraph_with_the_fix(
        write_production: WriteProduction, capsys: pytest.CaptureFixture[str]) -> None:
    root = write_production(script=TINY_SCRIPT.replace("周山\n（笑）", "周三\n（笑）"))
    assert main(["check", str(root)]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "ep01.fountain:10" in captured.err and "did you mean '周山'" in captured.err
    # a screenplay inside a production is checked against the production's bible
    assert main(["check", str(root / "episodes" / "ep01.fountain"), "--json"]) == 1
    assert capsys.readouterr().out == ""


def test_a_wrong_type_in_the_bible(write_production: WriteProduction,
                                   capsys: pytest.CaptureFixture[str]) -> None:
    root = write_production(bible=TINY_BIBLE.replace("pitch: 65", "pitch: high"))
    assert main(["check", str(root)]) == 1
    err = capsys.readouterr().err
    assert "bible.yaml:5:" in err and "voice.pitch" in err and "whole number" in err


def test_unreadable_screenplays(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    latin1 = tmp_path / "old.fountain"
    latin1.write_bytes("INT. CAFÉ - DAY\n\nHi.\n".encode("latin-1"))
    assert main(["check", str(latin1)]) == 1
    err = capsys.readouterr().err
    assert "old.fountain:1:9" in err and "UTF-8" in err
    assert main(["check", str(tmp_path / "missing.fountain")]) == 1
    assert "not found" in capsys.readouterr().err
    headless = tmp_path / "fragment.fountain"
    headless.write_text("BOB\nHello.\n", encoding="utf-8")
    assert main(["check", str(headless)]) == 1
    assert "fragment.fountain:1:1" in capsys.readouterr().err


def test_new_from_a_poem_and_its_errors(tmp_path: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    dest = tmp_path / "moon"
    assert main(["new", str(dest), "--from-poem", str(EXAMPLES / "poems" / "jing-ye-si.txt")]) \
        == 0
    assert "created" in capsys.readouterr().out
    assert main(["check", str(dest)]) == 0
    assert "旁白 4" in capsys.readouterr().out
    empty = tmp_path / "empty.txt"
    empty.write_text("静夜思\n李白\n\n", encoding="utf-8")
    assert main(["new", str(tmp_path / "nothing"), "--from-poem", str(empty)]) == 1
    err = capsys.readouterr().err
    assert "empty.txt:2:1" in err and "no verse" in err and "hint:" in err
    assert not (tmp_path / "nothing").exists()  # nothing half-done is left behind
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []
    assert main(["new", str(dest)]) == 1  # never over a user's work
    assert "not empty" in capsys.readouterr().err
    assert main(["new", str(tmp_path / "x"), "--from-script", "a.fountain",
                 "--from-poem", "b.txt"]) == 2
