"""The two labels of GB 45438-2025: the visible one's size, and the AIGC metadata key."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from yingxi.errors import LabelError
from yingxi.media.encode import VideoWriter
from yingxi.media.labels import AIGC_FIELDS, aigc_value, read_aigc_values, verify_aigc
from yingxi.media.overlay import composite, render_label, render_subtitle, wrap_text
from yingxi.schema.production import LabelConfig


def test_aigc_value_has_the_annex_e_fields_in_order() -> None:
    value = aigc_value("yingxi", "ep01-abc123")
    fields = json.loads(value)
    assert tuple(fields) == AIGC_FIELDS
    assert fields["Label"] == "1"
    assert fields["ContentPropagator"] == fields["ContentProducer"] == "yingxi"
    assert fields["PropagateID"] == fields["ProduceID"] == "ep01-abc123"
    with pytest.raises(LabelError, match="Annex E"):
        aigc_value("has space", "x")


def _write(path: Path, movflags: str | None) -> None:
    with VideoWriter(path, 64, 64, 24, metadata={"AIGC": aigc_value("yingxi", "id-1")},
                     movflags=movflags) as writer:
        writer.write_frame(np.zeros((64, 64, 3), dtype=np.uint8))


def test_metadata_key_survives_only_with_use_metadata_tags(tmp_path: Path) -> None:
    good, bad = tmp_path / "good.mp4", tmp_path / "bad.mp4"
    _write(good, "use_metadata_tags+faststart")
    _write(bad, None)
    assert verify_aigc(good, producer="yingxi")["ProduceID"] == "id-1"
    assert read_aigc_values(bad) == []
    with pytest.raises(LabelError, match="no AIGC"):
        verify_aigc(bad)
    with pytest.raises(LabelError, match="ContentProducer"):
        verify_aigc(good, producer="someone-else")


def test_faststart_puts_moov_before_mdat(tmp_path: Path) -> None:
    path = tmp_path / "fast.mp4"
    _write(path, "use_metadata_tags+faststart")
    data = path.read_bytes()
    assert data.index(b"moov") < data.index(b"mdat")


@pytest.mark.parametrize(("width", "height"), [(1080, 1920), (270, 480), (1920, 1080)])
def test_visible_label_glyphs_are_at_least_5_percent_of_the_short_side(
        width: int, height: int) -> None:
    cfg = LabelConfig()
    label = render_label(cfg, width, height)
    short = min(width, height)
    assert label.ink_height >= 0.05 * short
    # measure the ink from pixels too: bright text rows inside the label box
    bright = (label.rgba[..., :3].min(axis=2) > 200) & (label.rgba[..., 3] > 200)
    rows = np.flatnonzero(bright.any(axis=1))
    assert rows[-1] - rows[0] + 1 >= 0.05 * short
    assert label.y < 0.1 * height  # a top corner
    assert label.x < 0.1 * width


def test_label_on_the_right_corner() -> None:
    label = render_label(LabelConfig(corner="top-right"), 1080, 1920)
    assert label.x + label.width > 0.9 * 1080


def test_composite_blends_only_inside_the_patch() -> None:
    frame = np.full((384, 216, 3), 40, dtype=np.uint8)
    label = render_label(LabelConfig(), 216, 384)
    composite(frame, label)
    inside = frame[label.y:label.y + label.height, label.x:label.x + label.width]
    assert inside.max() > 200  # white glyphs
    outside = frame.copy()
    outside[label.y:label.y + label.height, label.x:label.x + label.width] = 40
    assert (outside == 40).all()


def test_subtitles_wrap_without_breaking_words() -> None:
    def width(s: str) -> float:
        return float(len(s))

    lines = wrap_text("the quick brown fox jumps over the lazy dog", width, 16)
    assert all(len(line) <= 16 for line in lines)
    assert " ".join(lines) == "the quick brown fox jumps over the lazy dog"
    zh = wrap_text("今天是十五，他说过会回来的。", width, 6)
    assert all(not line.startswith(("，", "。")) for line in zh)
    assert "".join(zh) == "今天是十五，他说过会回来的。"


def test_subtitle_raster_sits_above_the_platform_ui() -> None:
    sub = render_subtitle("今天是十五，他说过会回来的。", 1080, 1920)
    assert sub.width <= 0.9 * 1080
    assert sub.y + sub.height < 0.8 * 1920
    assert sub.rgba[..., 3].max() == 255


def _top_boxes(data: bytes) -> list[tuple[int, bytes, int]]:
    import struct

    boxes, pos = [], 0
    while pos < len(data):
        size, kind = struct.unpack(">I4s", data[pos:pos + 8])
        boxes.append((pos, kind, size))
        pos += size
    return boxes


def test_a_last_box_of_size_zero_runs_to_the_end(tmp_path: Path) -> None:
    import struct

    path = tmp_path / "tail.mp4"
    _write(path, "use_metadata_tags")  # no faststart: moov is the last box
    data = bytearray(path.read_bytes())
    pos, kind, _ = _top_boxes(bytes(data))[-1]
    assert kind == b"moov"
    data[pos:pos + 4] = struct.pack(">I", 0)
    path.write_bytes(bytes(data))
    assert verify_aigc(path)["ProduceID"] == "id-1"


@pytest.mark.parametrize("damage", ["truncated", "tiny-box", "huge-key-count"])
def test_damaged_files_are_errors_not_crashes(tmp_path: Path, damage: str) -> None:
    import struct

    path = tmp_path / "bad.mp4"
    _write(path, "use_metadata_tags+faststart")
    data = bytearray(path.read_bytes())
    if damage == "truncated":
        data = data[:len(data) - 5]
    elif damage == "tiny-box":
        pos, _, _ = _top_boxes(bytes(data))[1]
        data[pos:pos + 4] = struct.pack(">I", 3)
    else:
        at = data.index(b"keys") + 8  # keys: size, 'keys', version/flags, count
        data[at:at + 4] = struct.pack(">I", 0xFFFFFFFF)
    path.write_bytes(bytes(data))
    if damage == "huge-key-count":  # the entries that exist are still read, nothing hangs
        assert verify_aigc(path)["Label"] == "1"
        return
    with pytest.raises(LabelError, match="not a valid MP4"):
        verify_aigc(path)
