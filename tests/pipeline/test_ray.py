"""The Ray executor runs the same graph as the local one and delivers the same bytes."""

from __future__ import annotations

import json

import numpy as np
import pytest

import yingxi
from tests.conftest import WriteProduction
from yingxi.media.encode import read_audio, read_frames

pytest.importorskip("ray")
pytestmark = pytest.mark.slow


def test_ray_and_local_executors_deliver_identical_frames_and_audio(
        write_production: WriteProduction) -> None:
    [local] = yingxi.render(write_production(name="local"), executor="process", jobs=2)
    [remote] = yingxi.render(write_production(name="ray"), executor="ray", jobs=2)
    local_frames = [f.tobytes() for f in read_frames(local.video)]
    ray_frames = [f.tobytes() for f in read_frames(remote.video)]
    assert len(ray_frames) == len(local_frames) == local.master.frames
    assert ray_frames == local_frames
    assert np.array_equal(read_audio(remote.video)[0], read_audio(local.video)[0])
    assert remote.master.video.sha256 == local.master.video.sha256
    report = json.loads(remote.report.read_text(encoding="utf-8"))
    assert report["memory"]["executor"] == "ray" and report["memory"]["workers"] == 2
    assert report["stages"]["picture"]["computed"] == 6
