"""The video writer: frames encoded on a worker thread come out whole, in order, and a
failure reaches the caller without leaving a file behind."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from yingxi.media import encode
from yingxi.media.encode import TAKE_SETTINGS, VideoWriter, read_frames


def _frame(i: int) -> np.ndarray:
    """A 64x48 frame whose flat colour encodes its index."""
    frame = np.empty((64, 48, 3), dtype=np.uint8)
    frame[...] = (i * 9 % 256, 255 - i * 5 % 256, 128)
    return frame


def test_frames_come_back_in_order(tmp_path: Path) -> None:
    path = tmp_path / "order.mp4"
    with VideoWriter(path, 48, 64, 24, TAKE_SETTINGS) as writer:
        for i in range(30):
            writer.write_frame(_frame(i))
    back = list(read_frames(path))
    assert len(back) == 30
    for i, frame in enumerate(back):
        assert np.abs(frame.astype(int) - _frame(i)).max() <= 3, i


def test_same_frames_same_bytes(tmp_path: Path) -> None:
    files = []
    for name in ("a.mp4", "b.mp4"):
        with VideoWriter(tmp_path / name, 48, 64, 24) as writer:
            for i in range(12):
                writer.write_frame(_frame(i))
        files.append((tmp_path / name).read_bytes())
    assert files[0] == files[1]


def test_wrong_shape_is_refused_at_once(tmp_path: Path) -> None:
    with VideoWriter(tmp_path / "x.mp4", 48, 64, 24) as writer:
        with pytest.raises(ValueError, match=r"expected \(64, 48, 3\)"):
            writer.write_frame(np.zeros((48, 64, 3), dtype=np.uint8))
        writer.write_frame(_frame(0))
    assert len(list(read_frames(tmp_path / "x.mp4"))) == 1


def test_encoder_failure_reaches_caller_and_removes_file(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "broken.mp4"

    def broken(self: VideoWriter, rgb: np.ndarray, pts: int) -> None:
        raise RuntimeError(f"encoder gave up at frame {pts}")

    monkeypatch.setattr(encode.VideoWriter, "_encode_video", broken)
    with (pytest.raises(RuntimeError, match="encoder gave up at frame 0"),
          VideoWriter(path, 48, 64, 24) as writer):
        for i in range(50):  # more than the queue holds: the producer must not hang
            writer.write_frame(_frame(i))
    assert not path.exists()


def test_caller_failure_abandons_queued_frames(tmp_path: Path) -> None:
    path = tmp_path / "half.mp4"
    with pytest.raises(KeyError), VideoWriter(path, 48, 64, 24) as writer:
        for i in range(10):
            writer.write_frame(_frame(i))
        raise KeyError("the painter failed")
    assert not path.exists()


def test_writing_after_close_is_an_error(tmp_path: Path) -> None:
    writer = VideoWriter(tmp_path / "c.mp4", 48, 64, 24)
    writer.write_frame(_frame(0))
    writer.close()
    with pytest.raises(ValueError, match="closed"):
        writer.write_frame(_frame(1))
