"""The episode pipeline on the tiny production: reports per episode, shared work, edits."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import yingxi
from tests.conftest import TINY_SCRIPT, WriteProduction


def _report(result: yingxi.EpisodeResult) -> dict[str, dict[str, int]]:
    stages: dict[str, dict[str, int]] = json.loads(
        result.report.read_text(encoding="utf-8"))["stages"]
    return stages


def test_reports_are_per_episode_and_identical_work_is_shared(
        write_production: WriteProduction) -> None:
    root = write_production()
    shutil.copy(root / "episodes" / "ep01.fountain", root / "episodes" / "ep02.fountain")
    first, second = yingxi.render(root)
    assert first.video.name == "ep01.mp4" and second.video.name == "ep02.mp4"
    one, two = _report(first), _report(second)
    # establishing, over-the-shoulder, single, reaction; establishing, single
    assert one["voice"]["computed"] == 3 and one["picture"]["computed"] == 6
    # the same lines and shots in another episode are not voiced or painted again
    assert two["voice"] == {**two["voice"], "computed": 0, "cached": 3}
    assert two["picture"]["computed"] == 0
    assert two["master"]["computed"] == 1  # a new episode id is a new ProduceID
    assert first.master.produce_id != second.master.produce_id


def test_editing_one_line_recomputes_only_what_it_touches(
        write_production: WriteProduction) -> None:
    root = write_production()
    yingxi.render(root)
    script = root / "episodes" / "ep01.fountain"
    script.write_text(TINY_SCRIPT.replace("坐吧。", "请坐吧。"), encoding="utf-8")
    [result] = yingxi.render(root)
    report = _report(result)
    assert report["voice"]["computed"] == 1 and report["voice"]["cached"] == 2
    assert report["picture"]["computed"] == 1 and report["picture"]["cached"] == 5
    assert report["mix"]["computed"] == 1 and report["master"]["computed"] == 1


def test_what_does_not_change_a_picture_does_not_repaint_it(
        write_production: WriteProduction) -> None:
    from tests.conftest import TINY_BIBLE

    root = write_production()
    yingxi.render(root)
    bible = root / "bible.yaml"
    # a new voice for 周山 (he speaks in 2 of 6 shots) and a description, a mood, an alias
    bible.write_text(TINY_BIBLE.replace("pitch: 35", "pitch: 45")
                     .replace("aliases: [阿山]", "aliases: [阿山, 山哥]")
                     .replace("kind: village", "kind: village\n    mood: tense"),
                     encoding="utf-8")
    [result] = yingxi.render(root)
    report = _report(result)
    assert report["voice"]["computed"] == 2  # his two lines
    # at most the shots where his mouth moves are repainted (a pitch change may not even
    # move the phones); the action shot and her line, where he is silent, stay as they were
    assert report["picture"]["computed"] <= 2 and report["picture"]["cached"] >= 4


def test_renders_are_byte_identical_across_processes(write_production: WriteProduction,
                                                      tmp_path: Path) -> None:
    import subprocess
    import sys

    code = ("import sys, yingxi; [r] = yingxi.render(sys.argv[1]); "
            "print(r.master.video.sha256)")
    hashes = []
    for name in ("a", "b"):
        root = write_production(name=name)
        done = subprocess.run([sys.executable, "-c", code, str(root)], capture_output=True,
                              text=True, check=True)
        hashes.append(done.stdout.strip())
    assert hashes[0] == hashes[1]
