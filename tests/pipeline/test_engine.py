"""The engine as a build system: executors agree, killed renders resume, damage is repaired,
one task is never computed twice at once, and a failure does not stop the other work."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

import yingxi
from tests.conftest import TINY_SCRIPT, WriteProduction
from yingxi.cli import main
from yingxi.media.encode import read_audio, read_frames
from yingxi.pipeline.store import Store

pytestmark = pytest.mark.slow


def _decoded(video: Path) -> tuple[list[bytes], np.ndarray]:
    """Every decoded frame (as bytes) and the decoded audio of a delivered file."""
    frames = [frame.tobytes() for frame in read_frames(video)]
    audio, _ = read_audio(video)
    return frames, audio


def _computed(report: Path) -> dict[str, int]:
    stages = json.loads(report.read_text(encoding="utf-8"))["stages"]
    return {name: s["computed"] for name, s in stages.items()}


def _manifests(root: Path) -> set[str]:
    return {p.name for p in (root / ".yingxi" / "store" / "tasks").glob("*/*.json")}


def test_serial_and_process_pool_deliver_the_same_bytes(
        write_production: WriteProduction) -> None:
    serial = write_production(name="serial")
    pooled = write_production(name="pooled")
    [a] = yingxi.render(serial, executor="serial")
    [b] = yingxi.render(pooled, executor="process", jobs=2)
    assert a.master.video.sha256 == b.master.video.sha256
    assert _manifests(serial) == _manifests(pooled)  # the same tasks, the same keys
    memory = json.loads(b.report.read_text(encoding="utf-8"))["memory"]
    assert memory["executor"] == "process" and memory["workers"] == 2
    assert memory["peak_rss_mb_worker"] > 0


def test_a_killed_render_resumes_and_ends_identical(write_production: WriteProduction) -> None:
    """SIGKILL the whole process tree (power loss) at random moments; every resumed run
    finishes, redoes no finished task, and delivers what an uninterrupted run delivers."""
    reference = write_production(name="reference")
    started = time.perf_counter()
    [whole] = yingxi.render(reference, executor="process", jobs=2)
    cold = time.perf_counter() - started
    total = sum(_computed(whole.report).values())

    root = write_production(name="killed")
    rng = random.Random(7)
    command = [sys.executable, "-m", "yingxi", "render", str(root), "-q"]
    for _ in range(3):
        before = _manifests(root)
        child = subprocess.Popen(command, start_new_session=True, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.3, max(0.6, cold * 1.2)))
        if child.poll() is None:
            os.killpg(child.pid, signal.SIGKILL)
        child.wait()
        # whatever finished before the kill is kept: the store only ever grows here
        assert before <= _manifests(root)
    kept = len(_manifests(root))
    [resumed] = yingxi.render(root, executor="process", jobs=2)
    assert sum(_computed(resumed.report).values()) == total - kept
    assert resumed.master.video.sha256 == whole.master.video.sha256
    frames, audio = _decoded(resumed.video)
    expected_frames, expected_audio = _decoded(whole.video)
    assert frames == expected_frames
    assert np.array_equal(audio, expected_audio)


def test_a_damaged_artifact_is_detected_and_recomputed(
        write_production: WriteProduction) -> None:
    root = write_production()
    [first] = yingxi.render(root)
    store = Store(root / ".yingxi")
    # truncate one take (a picture task's video) and flip a byte in one voice's audio
    takes, voices = [], []
    for path in (root / ".yingxi" / "store" / "tasks").glob("*/*.json"):
        manifest = json.loads(path.read_text(encoding="utf-8"))
        files = manifest["files"]
        if manifest["stage"] == "picture":
            takes.append(store.blob_path(files[0]["sha256"]))
        elif manifest["stage"] == "voice":
            voices.append(next(store.blob_path(f["sha256"]) for f in files
                               if f["media_type"].startswith("audio/")))
    take, voice = sorted(takes)[0], sorted(voices)[0]
    take.write_bytes(take.read_bytes()[: take.stat().st_size // 2])
    data = bytearray(voice.read_bytes())
    data[len(data) // 2] ^= 0xFF
    voice.write_bytes(bytes(data))

    [second] = yingxi.render(root)
    computed = _computed(second.report)
    assert computed["picture"] >= 1 and computed["voice"] == 1
    assert second.master.video.sha256 == first.master.video.sha256  # repaired, not changed
    assert store.path(second.master.video).exists()


def test_a_task_running_elsewhere_is_not_started_twice(
        write_production: WriteProduction, tmp_path: Path) -> None:
    """Two renders of one production at once share the work instead of doubling it."""
    root = write_production()
    command = [sys.executable, "-m", "yingxi", "render", str(root), "-q", "--jobs", "1"]
    children = [subprocess.Popen([*command, "--out", str(tmp_path / f"out{i}")])
                for i in range(2)]
    assert [child.wait(timeout=600) for child in children] == [0, 0]
    reports = [_computed(tmp_path / f"out{i}" / "ep01-report.json") for i in range(2)]
    [alone] = yingxi.render(write_production(name="alone"), out=tmp_path / "alone")
    expected = _computed(alone.report)
    for stage, count in expected.items():
        assert reports[0][stage] + reports[1][stage] == count, stage
    videos = [(tmp_path / f"out{i}" / "ep01.mp4").read_bytes() for i in range(2)]
    assert videos[0] == videos[1] == alone.video.read_bytes()


def test_render_all_keeps_going_past_a_broken_episode(
        write_production: WriteProduction, capsys: pytest.CaptureFixture[str]) -> None:
    root = write_production()
    episodes = root / "episodes"
    for number in range(2, 11):
        script = TINY_SCRIPT.replace("你来了。", f"你来了，这是第{number}回。")
        if number == 6:  # a character the bible does not know
            script = script.replace("周山\n（笑）", "王五\n（笑）")
        (episodes / f"ep{number:02d}.fountain").write_text(script, encoding="utf-8")
    code = main(["render", str(root), "--all", "--jobs", "2"])
    assert code == 1
    delivered = sorted(p.name for p in (root / "out").glob("*.mp4"))
    assert delivered == [f"ep{n:02d}.mp4" for n in range(1, 11) if n != 6]
    err = capsys.readouterr().err
    assert "ep06" in err and "王五" in err and "1 of 10 episodes failed" in err


def test_json_progress_is_one_event_per_line(write_production: WriteProduction,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    root = write_production()
    assert main(["render", str(root), "--json", "--executor", "serial"]) == 0
    events = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    kinds = {e["event"] for e in events}
    assert {"StageQueued", "TaskStarted", "TaskFinished", "EpisodeDone"} <= kinds
    done = [e for e in events if e["event"] == "TaskFinished"]
    assert {e["stage"] for e in done} >= {"voice", "picture", "mix", "master"}
