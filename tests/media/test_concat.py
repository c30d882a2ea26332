"""Joining MP4 pieces by stream copy: the joined picture is the pieces' frames bit for bit,
with the sound and the tags of a master, and pieces that cannot be joined are refused."""

from __future__ import annotations

import itertools
import struct
from pathlib import Path

import av
import numpy as np
import pytest

from yingxi.errors import RenderError
from yingxi.media.audio import decode_wav, encode_wav
from yingxi.media.concat import Sound, concat_mp4, encode_aac
from yingxi.media.encode import (
    MASTER_SETTINGS,
    TAKE_SETTINGS,
    VideoSettings,
    VideoWriter,
    probe,
    read_audio,
    read_frames,
)

W, H, FPS, RATE = 64, 96, 24, 48000
# one- and two-frame pieces have no B-frames, longer ones do: they must meet cleanly
LENGTHS = (13, 1, 30, 2, 7)


def _piece(path: Path, frames: int, seed: int,
           settings: VideoSettings = MASTER_SETTINGS) -> Path:
    """A piece whose frames move (a gradient sliding over noise), so the encoder uses
    B-frames the way it does on real shots."""
    rng = np.random.default_rng(seed)
    base = rng.integers(0, 256, (H, W, 3), dtype=np.uint8)
    ramp = np.linspace(0, 255, W, dtype=np.float32)
    with VideoWriter(path, W, H, FPS, settings) as writer:
        for i in range(frames):
            frame = base.copy()
            frame[H // 3:, :, 1] = np.roll(ramp, 3 * i).astype(np.uint8)
            writer.write_frame(frame)
    return path


def _pieces(tmp_path: Path) -> list[Path]:
    return [_piece(tmp_path / f"piece{i}.mp4", n, i) for i, n in enumerate(LENGTHS)]


def _packets(path: Path) -> list[bytes]:
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        return [bytes(p) for p in container.demux(stream) if p.size]


def test_joined_picture_is_the_pieces_bit_for_bit(tmp_path: Path) -> None:
    pieces = _pieces(tmp_path)
    out = tmp_path / "joined.mp4"
    assert concat_mp4(out, pieces, FPS) == sum(LENGTHS)
    # nothing re-encoded: the same compressed frames, in the same order...
    assert _packets(out) == [p for piece in pieces for p in _packets(piece)]
    # ...which decode to the same pictures
    joined = list(read_frames(out))
    expected = [f for piece in pieces for f in read_frames(piece)]
    assert len(joined) == len(expected) == sum(LENGTHS)
    for i, (a, b) in enumerate(zip(joined, expected, strict=True)):
        assert np.array_equal(a, b), f"frame {i}"
    info = probe(out)
    assert (info.video_codec, info.profile, info.pix_fmt) == ("h264", "High", "yuv420p")
    assert info.frames == sum(LENGTHS) and info.fps == FPS
    assert info.duration == pytest.approx(sum(LENGTHS) / FPS, abs=1e-3)


def test_timestamps_run_on_across_the_joins(tmp_path: Path) -> None:
    out = tmp_path / "joined.mp4"
    concat_mp4(out, _pieces(tmp_path), FPS)
    with av.open(str(out)) as container:
        stream = container.streams.video[0]
        tick = int(1 / (stream.time_base * FPS))  # type: ignore[operator]
        stamps: list[tuple[int, int]] = []
        for packet in container.demux(stream):
            if packet.size:
                assert packet.dts is not None and packet.pts is not None
                stamps.append((packet.dts, packet.pts))
    dts = [d for d, _ in stamps]
    assert all(b > a for a, b in itertools.pairwise(dts)), "decoding time went back"
    assert all(d <= p for d, p in stamps), "a frame is decoded after it is due"
    assert sorted(p // tick for _, p in stamps) == list(range(sum(LENGTHS)))


def test_sound_and_tags_of_a_master(tmp_path: Path) -> None:
    frames = sum(LENGTHS)
    n = frames * RATE // FPS
    t = np.arange(n) / RATE
    tone = (0.25 * np.sin(2 * np.pi * 440 * t)).astype(np.float32)
    out = tmp_path / "master.mp4"
    concat_mp4(out, _pieces(tmp_path), FPS, sound=Sound(np.stack([tone, tone]), RATE),
               metadata={"AIGC": '{"Label":"1"}', "title": "纸灯笼"},
               movflags="use_metadata_tags+faststart")
    info = probe(out)
    assert (info.audio_codec, info.audio_rate, info.audio_channels) == ("aac", RATE, 2)
    assert info.frames == frames
    assert info.duration == pytest.approx(frames / FPS, abs=1 / FPS)
    assert info.tags["AIGC"] == '{"Label":"1"}' and info.tags["title"] == "纸灯笼"
    audio, rate = read_audio(out)
    assert rate == RATE
    assert n <= audio.shape[1] < n + 1024  # the last AAC frame is padded, nothing is lost
    # the tone is there, at its level, in the middle of the file
    middle = audio[0, n // 2:n // 2 + RATE // 10]
    assert np.sqrt(np.mean(middle ** 2)) == pytest.approx(0.25 / np.sqrt(2), rel=0.05)
    assert _top_level_boxes(out)[:2] == ["ftyp", "moov"]  # faststart: the index comes first


def test_sound_encoded_apart_and_copied_in_equals_sound_encoded_in_place(
        tmp_path: Path) -> None:
    """The sound stage encodes the mix on its own (a block at a time, beside the segments);
    copying its packets in must give the samples of encoding the mix during the join."""
    frames = sum(LENGTHS)
    n = frames * RATE // FPS
    rng = np.random.default_rng(3)
    mix = (rng.standard_normal((2, n + 3000)) * 0.2).clip(-1, 1).astype(np.float32)
    wav = tmp_path / "mix.wav"
    wav.write_bytes(encode_wav(mix, RATE))
    exact = decode_wav(wav.read_bytes())[0][:, :n]  # what 16-bit PCM keeps of the mix
    pieces = _pieces(tmp_path)
    direct, copied, m4a = tmp_path / "direct.mp4", tmp_path / "copied.mp4", tmp_path / "s.m4a"
    concat_mp4(direct, pieces, FPS, sound=Sound(exact, RATE))
    assert encode_aac(m4a, wav, n) == RATE
    concat_mp4(copied, pieces, FPS, sound=m4a)
    assert np.array_equal(read_audio(copied)[0], read_audio(direct)[0])
    assert probe(copied).frames == frames
    with pytest.raises(RenderError, match="shorter than the picture"):
        encode_aac(tmp_path / "long.m4a", wav, n + 10_000)
    assert not (tmp_path / "long.m4a").exists()


def _top_level_boxes(path: Path) -> list[str]:
    data = path.read_bytes()
    pos, kinds = 0, []
    while pos + 8 <= len(data):
        size, kind = struct.unpack_from(">I4s", data, pos)
        if size == 1:
            size = struct.unpack_from(">Q", data, pos + 8)[0]
        kinds.append(kind.decode("ascii"))
        pos += size if size else len(data)
    return kinds


def test_pieces_made_with_other_settings_are_refused(tmp_path: Path) -> None:
    pieces = [_piece(tmp_path / "a.mp4", 5, 0),
              _piece(tmp_path / "b.mp4", 5, 1, TAKE_SETTINGS)]
    out = tmp_path / "joined.mp4"
    with pytest.raises(RenderError, match="other settings") as info:
        concat_mp4(out, pieces, FPS)
    assert info.value.hint
    assert not out.exists()  # no half-written file that looks complete


def test_a_piece_at_another_frame_rate_is_refused(tmp_path: Path) -> None:
    piece = _piece(tmp_path / "a.mp4", 5, 0)
    with pytest.raises(RenderError, match="fps"):
        concat_mp4(tmp_path / "joined.mp4", [piece], 30)


def test_nothing_to_join_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(RenderError, match="no pieces"):
        concat_mp4(tmp_path / "joined.mp4", [], FPS)
