"""The English example renders too: English voices, English subtitles, the same labels."""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

import yingxi
from yingxi.media.audio import loudness
from yingxi.media.encode import probe, read_audio
from yingxi.media.labels import verify_aigc

pytestmark = pytest.mark.slow


def test_last_ferry(example_copy: Callable[[str], Path]) -> None:
    root = example_copy("last-ferry")
    [result] = yingxi.render(root, preview=True)
    info = probe(result.video)
    assert (info.video_codec, info.audio_codec, info.audio_rate) == ("h264", "aac", 48000)
    assert math.isclose(info.duration, result.shots.duration, abs_tol=1 / 24)
    assert verify_aigc(result.video)["Label"] == "1"
    srt = result.subtitles.read_text(encoding="utf-8")
    assert "Is the last ferry gone?" in srt
    assert result.shots.shots[-1].transition_out == "fade"  # FADE OUT.
    audio, rate = read_audio(result.video)
    assert abs(loudness(audio, rate) + 14.0) <= 1.5
    assert np.abs(audio).max() < 1.0
