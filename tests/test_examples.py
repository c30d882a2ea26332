"""The English example renders too: English voices, English subtitles, the same labels."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from yingxi.media.audio import loudness, true_peak_db
from yingxi.media.encode import probe, read_audio
from yingxi.media.labels import verify_aigc
from yingxi.pipeline.episode import EpisodeResult

pytestmark = pytest.mark.slow


def test_last_ferry(ferry: tuple[Path, EpisodeResult]) -> None:
    _, result = ferry
    info = probe(result.video)
    assert (info.video_codec, info.audio_codec, info.audio_rate) == ("h264", "aac", 48000)
    assert math.isclose(info.duration, result.shots.duration, abs_tol=1 / 24)
    assert verify_aigc(result.video)["Label"] == "1"
    srt = result.subtitles.read_text(encoding="utf-8")
    assert "Is the last ferry gone?" in srt
    assert result.shots.shots[-1].transition_out == "fade"  # FADE OUT.
    audio, rate = read_audio(result.video)
    assert abs(loudness(audio, rate) + 14.0) <= 1.0
    assert true_peak_db(audio) <= -1.0
