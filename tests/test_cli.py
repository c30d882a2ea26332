"""The command line: help, version, and errors that are messages, never tracebacks."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import TINY_BIBLE, TINY_CONFIG, TINY_SCRIPT, WriteProduction
from yingxi import __version__
from yingxi.cli import main


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "yingxi", *args], capture_output=True,
                          text=True, timeout=120, check=False)


def test_help_and_version() -> None:
    done = _run("--help")
    assert done.returncode == 0
    assert "render" in done.stdout and "verify" in done.stdout
    done = _run("--version")
    assert done.returncode == 0 and __version__ in done.stdout
    done = _run("render", "--help")
    assert done.returncode == 0 and "--episode" in done.stdout and "--out" in done.stdout


@pytest.mark.parametrize(("case", "needles"), [
    ("missing", ["production folder not found"]),
    ("bad-cue", ["ep01.fountain:10", "unknown character cue '周三'", "did you mean '周山'"]),
    ("bad-bible", ["bible.yaml:4:", "palette[0]", "#rrggbb"]),
    ("bad-episode", ["no episode 'ep99'", "ep01"]),
    ("bad-backend", ["no painter backend named 'embeded'", "did you mean 'embedded'"]),
    ("bad-engine", ["bible.yaml", "character 'lin'", "no speaker backend named 'espeek'"]),
    ("bad-variant", ["no voice variant 'zz9'", "voice.variant in bible.yaml"]),
    ("out-is-a-file", ["output folder is a file"]),
    ("nothing-to-film", ["ep01.fountain:1", "nothing to film"]),
])
def test_errors_are_one_clear_message(write_production: WriteProduction, tmp_path: Path,
                                      case: str, needles: list[str]) -> None:
    args: list[str]
    if case == "missing":
        args = ["render", str(tmp_path / "nope")]
    elif case == "bad-cue":
        root = write_production(script=TINY_SCRIPT.replace("周山\n（笑）", "周三\n（笑）"))
        args = ["render", str(root)]
    elif case == "bad-bible":
        root = write_production(bible=TINY_BIBLE.replace('"#aa3333"', '"red"'))
        args = ["render", str(root)]
    elif case == "bad-episode":
        args = ["render", str(write_production()), "--episode", "ep99"]
    elif case == "bad-backend":
        root = write_production(config=TINY_CONFIG + '\n[backends]\npainter = "embeded"\n')
        args = ["render", str(root), "-q"]
    elif case == "bad-engine":
        root = write_production(bible=TINY_BIBLE.replace("voice: {variant: f2",
                                                         "voice: {engine: espeek, variant: f2"))
        args = ["render", str(root), "-q"]
    elif case == "bad-variant":
        root = write_production(bible=TINY_BIBLE.replace("variant: f2", "variant: zz9"))
        args = ["render", str(root), "-q"]
    elif case == "out-is-a-file":
        (tmp_path / "taken").write_text("x", encoding="utf-8")
        args = ["render", str(write_production()), "--out", str(tmp_path / "taken")]
    else:
        root = write_production(script="外景 院子 - 日\n\n外景 院子 - 夜\n")
        args = ["render", str(root), "-q"]
    done = _run(*args)
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr
    assert "error:" in done.stderr
    for needle in needles:
        assert needle in done.stderr


def test_missing_dependency_is_reported_with_the_install_hint(
        write_production: WriteProduction, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    import yingxi.media.fonts as fonts

    monkeypatch.setattr(fonts, "_candidates", lambda: [])
    fonts.cjk_face.cache_clear()
    try:
        code = main(["render", str(write_production()), "-q"])
    finally:
        fonts.cjk_face.cache_clear()
    err = capsys.readouterr().err
    assert code == 1
    assert "no font that renders Chinese" in err and "pip install noto-cjk-sans-otc" in err


def test_verify_rejects_an_unlabeled_file(tmp_path: Path) -> None:
    import numpy as np

    from yingxi.media.encode import VideoWriter

    path = tmp_path / "plain.mp4"
    with VideoWriter(path, 64, 64, 24) as writer:
        writer.write_frame(np.zeros((64, 64, 3), dtype=np.uint8))
    done = _run("verify", str(path))
    assert done.returncode == 1
    assert "no AIGC metadata label" in done.stderr
