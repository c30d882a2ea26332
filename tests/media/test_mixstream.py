"""The streamed mix: the same sound as the whole-array mix, whatever the block size."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest

from yingxi.media.audio import (
    WavWriter,
    db_to_gain,
    decode_wav,
    encode_wav,
    envelope,
    loudness,
    true_peak_db,
)
from yingxi.media.mixer import DUCK_ATTACK, DUCK_RELEASE, Track
from yingxi.media.mixstream import (
    SEGMENT,
    Clip,
    LoudnessMeter,
    StreamMixer,
    Tracks,
    envelope_reach,
    open_clip,
    render_track,
    speaking,
)
from yingxi.schema.production import AudioConfig

RATE = 48000


def _noise(seconds: float, level: float, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return (rng.standard_normal((2, int(seconds * RATE))) * level).astype(np.float32)


def _clip(tmp_path: Path, name: str, audio: np.ndarray, at: int) -> Clip:
    path = tmp_path / f"{name}.wav"
    path.write_bytes(encode_wav(audio, RATE))
    return open_clip(path, at, RATE)


def _tracks(tmp_path: Path) -> Tracks:
    n = int(9.3 * RATE) + 17  # not a whole block, nor a whole control step
    t = np.arange(int(9.3 * RATE)) / RATE
    tone = (0.05 * np.sin(2 * np.pi * 220 * t)).astype(np.float32)
    lines = [_clip(tmp_path, f"line{i}", _noise(1.3, 0.03 + 0.02 * i, i), at)
             for i, at in enumerate([RATE // 3, 3 * RATE, int(7.9 * RATE)])]
    # a loud burst to make the limiter work
    lines.append(_clip(tmp_path, "burst", _noise(0.05, 0.9, 9), int(5.5 * RATE)))
    music = [_clip(tmp_path, "cue", np.stack([tone, tone]), 0)]
    bed = [_clip(tmp_path, "bed", _noise(6.0, 0.05, 7)[:1], 2 * RATE)]  # mono, runs past
    return Tracks(dialogue=lines, music=music, effects=bed, samples=n, rate=RATE)


def test_tracks_are_laid_as_a_whole_track_lays_them(tmp_path: Path) -> None:
    tracks = _tracks(tmp_path)
    whole = Track(tracks.samples, RATE)
    for clip in tracks.dialogue:
        whole.place(decode_wav(clip.path.read_bytes())[0], clip.at)
    pieces = [render_track(tracks.dialogue, a, min(a + 7001, tracks.samples), tracks.samples,
                           RATE) for a in range(0, tracks.samples, 7001)]
    assert np.array_equal(np.concatenate(pieces, axis=1), whole.audio)


def test_the_side_chain_matches_the_whole_array_envelope(tmp_path: Path) -> None:
    tracks = _tracks(tmp_path)
    n = tracks.samples
    dialogue = render_track(tracks.dialogue, 0, n, n, RATE)
    expected = envelope(dialogue, RATE, attack=DUCK_ATTACK, release=DUCK_RELEASE)
    reach = envelope_reach(RATE)
    parts = []
    for a in range(0, n, SEGMENT * 3):
        b = min(n, a + SEGMENT * 3)
        lo, hi = max(0, a - reach), min(n, b + reach)
        parts.append(speaking(dialogue[:, lo:hi], lo, a, b, n, RATE))
    assert np.allclose(np.concatenate(parts), expected, atol=1e-6)


@pytest.mark.parametrize("block", [SEGMENT, 7 * SEGMENT, 50 * SEGMENT])
def test_streamed_loudness_matches_pyloudnorm(block: int) -> None:
    x = _noise(7.7, 0.1, 3)
    x[:, RATE:2 * RATE] *= 0.001  # quiet enough to be gated
    x[:, 4 * RATE:5 * RATE] *= 3.0
    meter = LoudnessMeter(RATE)
    for a in range(0, x.shape[1], block):
        meter.add(x[:, a:a + block])
    assert abs(meter.result() - loudness(x, RATE)) < 0.02


def test_silence_and_short_audio_have_no_loudness() -> None:
    meter = LoudnessMeter(RATE)
    meter.add(np.zeros((2, RATE), dtype=np.float32))
    assert meter.result() == -np.inf
    short = LoudnessMeter(RATE)
    short.add(_noise(0.3, 0.1, 1))
    assert short.result() == -np.inf


def test_the_wav_writer_writes_what_encode_wav_encodes(tmp_path: Path) -> None:
    x = _noise(1.1, 0.5, 4)
    path = tmp_path / "w.wav"
    with WavWriter(path, 2, RATE) as wav:
        for a in range(0, x.shape[1], 10007):
            wav.write(x[:, a:a + 10007])
    assert path.read_bytes() == encode_wav(x, RATE)


def _run(tracks: Tracks, out: Path, block: int) -> dict[str, bytes]:
    out.mkdir()
    names = ("dialogue", "music", "effects")
    mixer = StreamMixer(tracks, AudioConfig(), music_loudness=-16.0,
                        effects_loudness=-30.0, block=block)
    settled = mixer.run(out / "mix.wav", {name: out / f"{name}.wav" for name in names})
    # the burst is far over the ceiling: the limiter had work to do
    assert settled.limited
    assert mixer.peaks.max() * settled.scale > 3 * db_to_gain(mixer.ceiling_db)
    return {path.stem: path.read_bytes() for path in out.iterdir()}


def test_the_mix_does_not_depend_on_the_block_size(tmp_path: Path) -> None:
    tracks = _tracks(tmp_path)
    one = _run(tracks, tmp_path / "one", 100 * SEGMENT)  # the whole episode in one block
    many = _run(tracks, tmp_path / "many", 3 * SEGMENT)
    assert one.keys() == {"mix", "dialogue", "music", "effects"}
    assert one == many
    assert _run(tracks, tmp_path / "again", 3 * SEGMENT) == many  # deterministic
    mix, rate = decode_wav(one["mix"])
    assert rate == RATE and mix.shape == (2, tracks.samples)
    assert abs(loudness(mix, RATE) - AudioConfig().loudness_lufs) <= 0.5
    assert true_peak_db(mix) <= AudioConfig().true_peak_db


def test_the_block_must_be_whole_segments(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="multiple"):
        StreamMixer(_tracks(tmp_path), AudioConfig(), -16.0, -30.0, block=SEGMENT + 1)


def test_the_limiter_model_predicts_the_limited_loudness(tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """The level is solved on the model, not by trial passes: one unlimited pass, then one
    limited pass that lands on the target; and the model agrees with what a limited pass
    measures at other levels too (pyloudnorm on the written mix)."""
    passes: list[bool] = []
    real = StreamMixer._pass

    def counted(self: StreamMixer, *args: Any) -> tuple[float, float]:
        passes.append(bool(args[1]))
        return real(self, *args)

    monkeypatch.setattr(StreamMixer, "_pass", counted)
    tracks = _tracks(tmp_path)
    mixer = StreamMixer(tracks, AudioConfig(), music_loudness=-16.0, effects_loudness=-30.0)
    stems = {name: tmp_path / f"{name}.wav" for name in ("dialogue", "music", "effects")}
    settled = mixer.run(tmp_path / "mix.wav", stems)
    assert passes == [False, True]
    assert abs(settled.loudness - AudioConfig().loudness_lufs) < 0.1
    for gain_db in (-6.0, 3.0, 9.0):
        scale = np.float32(settled.scale * db_to_gain(gain_db))
        measured, _ = real(mixer, scale, True, np.float32(1.0), tmp_path / "at.wav", {})
        assert abs(mixer.predicted(float(scale)) - measured) < 0.15, gain_db
        mix, _ = decode_wav((tmp_path / "at.wav").read_bytes())
        assert abs(loudness(mix, RATE) - measured) < 0.05
