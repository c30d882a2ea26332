"""Created productions render: the poem (preview) and the starter, checked in the picture."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import yingxi
from tests.conftest import EXAMPLES
from yingxi.media.encode import probe, read_frames
from yingxi.scaffold import new_production

pytestmark = pytest.mark.slow


def _shot_middles(result: yingxi.EpisodeResult) -> list[int]:
    middles, start = [], 0
    for shot in result.shots.shots:
        middles.append(start + shot.frames // 2)
        start += shot.frames
    return middles


def test_a_poem_renders_with_its_lines_as_subtitles_over_changing_sets(tmp_path: Path) -> None:
    root = new_production(tmp_path / "jys", from_poem=EXAMPLES / "poems" / "jing-ye-si.txt")
    [result] = yingxi.render(root, preview=True, out=tmp_path / "out")
    info = probe(result.video)
    assert (info.width, info.height) == (270, 480)
    assert abs(info.duration - result.shots.duration) <= 1 / 24
    kinds = [shot.kind for shot in result.shots.shots]
    # the title over a new place, then each line: a new place is established under its
    # line; the room seen again (same night) is not
    assert kinds == ["establishing", "dialogue", "establishing", "dialogue", "establishing"]
    assert result.shots.shots[-1].transition_out == "fade"
    srt = result.subtitles.read_text(encoding="utf-8")
    for verse in ("床前明月光", "疑是地上霜", "举头望明月", "低头思故乡"):
        assert verse in srt
    assert srt.index("床前明月光") < srt.index("低头思故乡")
    frames = list(read_frames(result.video))
    middles = _shot_middles(result)
    room, village = frames[middles[1]], frames[middles[4]]
    # the last line goes home to the village at night: another set, and darker than the room
    assert np.abs(room.astype(np.int16) - village.astype(np.int16)).mean() > 20
    assert village.mean() < room.mean()


def test_the_starter_renders(tmp_path: Path) -> None:
    root = new_production(tmp_path / "starter", language="en")
    [result] = yingxi.render(root, preview=True, out=tmp_path / "out")
    srt = result.subtitles.read_text(encoding="utf-8")
    assert "Hold the string." in srt and "For three whole seconds." in srt
    assert {shot.speaker for shot in result.shots.shots if shot.speaker} == {"june", "leo"}
