"""Cues played through a General MIDI SoundFont: a tiny bank written by sf2_util, no download."""

from __future__ import annotations

import dataclasses
import itertools
import logging
import math
import sys
from pathlib import Path

import numpy as np
import pytest

from tests.backends.sf2_util import write_sf2
from yingxi.backends.embedded import score, soundfont, synth
from yingxi.backends.embedded.composer import PROFILES, TIMES_OF_DAY, plan_cue
from yingxi.backends.embedded.score import CuePlan, NoteEvent
from yingxi.backends.embedded.soundfont import (
    DRUMS,
    ENV_VAR,
    PATCHES,
    find_soundfont,
    render_soundfont,
)
from yingxi.errors import BackendUnavailable, ConfigError, RenderError

RATE = 48000


@pytest.fixture(scope="module")
def bank(tmp_path_factory: pytest.TempPathFactory) -> Path:
    pytest.importorskip("tinysoundfont")
    return write_sf2(tmp_path_factory.mktemp("sf2") / "tiny.sf2")


@pytest.fixture(scope="module")
def tense_plan() -> CuePlan:
    # Pipa and xiao leads, pipa accompaniment, pad, tanggu and muyu: every kind of event.
    return plan_cue(seconds=8.0, mood="tense", time_of_day="night", location_kind="palace",
                    era="ancient", seed=4)


def _plan(*notes: NoteEvent, tempo: float = 60.0) -> CuePlan:
    return CuePlan(mood="calm", style="chinese", mode=score.MODES["gong"], tonic=62, tempo=tempo,
                   bars=2, notes=notes, chords=(), hits=(), instruments=(), reverb=0.3,
                   brightness=0.5)


def _note(midi: int = 69, instrument: str = "flute", start: float = 0.0, length: float = 1.5,
          **extra: object) -> NoteEvent:
    return NoteEvent(start=start, length=length, midi=midi, velocity=0.8, instrument=instrument,
                     role="lead", **extra)  # type: ignore[arg-type]


def _peak_hz(x: np.ndarray, rate: int) -> float:
    spectrum = np.abs(np.fft.rfft(x * np.hanning(x.size), 1 << 21))
    return float(np.fft.rfftfreq(1 << 21, 1.0 / rate)[int(np.argmax(spectrum))])


# --- the program map ------------------------------------------------------------------------


def _every_plan_instrument() -> set[str]:
    names: set[str] = set()
    for mood, tod, era in itertools.product(PROFILES, TIMES_OF_DAY, ("ancient", "modern")):
        plan = plan_cue(seconds=20.0, mood=mood, time_of_day=tod, location_kind="city", era=era,
                        seed=1)
        names |= set(plan.instruments)
    return names


def test_program_map_covers_every_instrument_the_composer_can_use() -> None:
    pitched = set(synth.PLUCKS) | set(synth.WINDS) | set(score.LEAD_CENTRE) | set(score.WINDS)
    for profile in PROFILES.values():
        pitched |= set(profile.chinese_leads) | set(profile.western_leads)
    pitched |= {"xiao", "pad"}  # night swaps dizi for xiao; "pad" names the chords
    assert pitched <= set(PATCHES)
    assert set(synth.HITS) <= set(DRUMS)
    assert _every_plan_instrument() <= set(PATCHES) | set(DRUMS)


def test_program_map_is_valid_general_midi() -> None:
    for patch in PATCHES.values():
        assert patch.programs and all(0 <= p <= 127 for p in patch.programs)
        assert -1.0 <= patch.pan <= 1.0 and 0 <= patch.volume <= 127
    for drum in DRUMS.values():
        assert 35 <= drum.key <= 81  # the GM percussion key map
    assert PATCHES["guzheng"].programs[0] == 107  # Koto
    assert PATCHES["harp"].programs[0] == 46  # Orchestral Harp
    assert PATCHES["xiao"].programs[0] == 77  # Shakuhachi
    assert PATCHES["flute"].programs[0] == 73  # Flute


# --- rendering a real cue -------------------------------------------------------------------


@pytest.mark.parametrize("num_samples", [0, 1, 7, 12345, 8 * RATE])
def test_exact_shape_and_dtype(bank: Path, tense_plan: CuePlan, num_samples: int) -> None:
    out = render_soundfont(tense_plan, num_samples, RATE, bank)
    assert out.shape == (2, num_samples)
    assert out.dtype == np.float64
    assert out.flags.c_contiguous and out.flags.writeable
    assert np.isfinite(out).all()


def test_real_cue_is_music_not_silence(bank: Path, tense_plan: CuePlan) -> None:
    out = render_soundfont(tense_plan, 8 * RATE, RATE, bank)
    assert float(np.sqrt(np.mean(out**2))) > 0.01
    assert float(np.max(np.abs(out))) < 4.0
    assert not np.array_equal(out[0], out[1])  # parts are panned
    seconds = np.sqrt(np.mean(out[:, : 8 * RATE].reshape(2, 8, RATE) ** 2, axis=(0, 2)))
    assert (seconds[1:7] > 1e-3).all()  # it keeps playing, not just one burst


def test_deterministic_bytes(bank: Path, tense_plan: CuePlan) -> None:
    first = render_soundfont(tense_plan, 3 * RATE, RATE, bank)
    other = plan_cue(seconds=3.0, mood="joyful", time_of_day="day", location_kind="city",
                     era="modern", seed=9)
    render_soundfont(other, 3 * RATE, RATE, bank)  # a render in between leaves no state behind
    assert render_soundfont(tense_plan, 3 * RATE, RATE, bank).tobytes() == first.tobytes()


def test_bank_is_loaded_once_per_path(bank: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    soundfont._load.cache_clear()
    render_soundfont(_plan(_note()), 10, RATE, bank)
    render_soundfont(_plan(_note()), 10, RATE, str(bank))
    monkeypatch.chdir(bank.parent)
    render_soundfont(_plan(_note()), 10, RATE, Path(bank.name))
    assert soundfont._load.cache_info().misses == 1


# --- pitch, timing and ends -----------------------------------------------------------------


@pytest.mark.parametrize(("instrument", "midi", "rate"), [
    ("flute", 69, RATE), ("flute", 81, RATE), ("harp", 57, RATE), ("guzheng", 74, RATE),
    ("flute", 76, 44100), ("harp", 64, 22050),
])
def test_note_sounds_at_its_midi_frequency(bank: Path, instrument: str, midi: int,
                                           rate: int) -> None:
    out = render_soundfont(_plan(_note(midi, instrument)), 2 * rate, rate, bank)
    hz = _peak_hz(out[0, int(0.1 * rate): int(1.1 * rate)], rate)
    cents = 1200.0 * math.log2(hz / synth.midi_hz(midi))
    assert abs(cents) < 3.0


@pytest.mark.parametrize(("instrument", "tempo"), [("harp", 90.0), ("flute", 72.0)])
def test_note_starts_on_its_beat(bank: Path, instrument: str, tempo: float) -> None:
    plan = _plan(_note(69, instrument, start=2.0, length=1.0), tempo=tempo)
    out = render_soundfont(plan, 4 * RATE, RATE, bank)
    level = np.max(np.abs(out), axis=0)
    onset = int(np.argmax(level > 0.01 * float(level.max()))) / RATE
    assert onset == pytest.approx(2.0 * plan.seconds_per_beat, abs=0.005)
    assert float(level[: int(2.0 * plan.seconds_per_beat * RATE) - 1].max()) == 0.0


def test_no_click_when_the_cue_ends_mid_note(bank: Path) -> None:
    out = render_soundfont(_plan(_note(81, "flute", length=8.0)), RATE, RATE, bank)
    assert float(np.max(np.abs(out[:, -1]))) < 1e-6
    steady = float(np.max(np.abs(np.diff(out[0, int(0.5 * RATE): int(0.9 * RATE)]))))
    tail = float(np.max(np.abs(np.diff(out[0, -int(0.02 * RATE):]))))
    assert 0.0 < tail <= 1.05 * steady


def test_real_cue_ends_at_silence(bank: Path, tense_plan: CuePlan) -> None:
    out = render_soundfont(tense_plan, 5 * RATE + 3, RATE, bank)
    assert float(np.max(np.abs(out[:, -1]))) < 1e-6


def test_accompaniment_sits_left_and_lead_right(bank: Path) -> None:
    plan = _plan(dataclasses.replace(_note(62, "guzheng"), role="accompaniment"))
    left, right = np.sqrt(np.mean(render_soundfont(plan, RATE, RATE, bank) ** 2, axis=1))
    assert left > 1.2 * right
    left, right = np.sqrt(np.mean(render_soundfont(_plan(_note()), RATE, RATE, bank) ** 2, axis=1))
    assert right > left


# --- ornaments become events ----------------------------------------------------------------


def _events(plan: CuePlan) -> list[tuple[int, int, int, int, int, int]]:
    parts = sorted({(n.instrument, n.role) for n in plan.notes})
    return soundfont._events(plan, RATE, {part: i for i, part in enumerate(parts)})


def test_grace_note_precedes_a_plucked_note() -> None:
    ons = [e for e in _events(_plan(_note(69, "harp", start=1.0, grace=71))) if e[1] == 2]
    assert [(e[0], e[4]) for e in ons] == [(RATE - int(0.07 * RATE), 71), (RATE, 69)]
    assert ons[0][5] < ons[1][5]  # the ornament is softer


def test_tremolo_is_repeated_strokes() -> None:
    events = _events(_plan(_note(69, "pipa", length=2.0, tremolo=True)))
    ons = [e for e in events if e[1] == 2]
    assert len(ons) == int(0.7 * 2.0 / (1.0 / 12.0))
    assert all(e[4] == 69 for e in ons)
    offs = [e for e in events if e[1] == 0]
    assert len(offs) == len(ons) and max(e[0] for e in offs) == 2 * RATE


def test_slide_bends_up_into_the_note() -> None:
    bends = [e for e in _events(_plan(_note(69, "dizi", start=1.0, slide=True))) if e[1] == 1]
    wheels = [e[4] for e in bends]
    assert wheels[0] == 0 and wheels[-1] == 8192 and wheels == sorted(wheels)
    assert bends[0][0] == RATE and bends[-1][0] == RATE + round(0.09 * RATE)


def test_re_struck_key_damps_the_earlier_note() -> None:
    plan = _plan(_note(69, "harp", start=0.0, length=3.0), _note(69, "harp", start=1.0))
    offs = sorted(e[0] for e in _events(plan) if e[1] == 0)
    assert offs[0] == RATE  # the first note stops where the second begins


# --- fallbacks and errors -------------------------------------------------------------------


def test_unknown_instrument_plays_a_default_and_is_logged_once(
        bank: Path, caplog: pytest.LogCaptureFixture) -> None:
    plan = _plan(_note(69, "test-erhu"))
    with caplog.at_level(logging.WARNING, logger=soundfont.__name__):
        first = render_soundfont(plan, RATE, RATE, bank)
        render_soundfont(plan, RATE, RATE, bank)
    assert float(np.max(np.abs(first))) > 0.01
    assert sum("test-erhu" in r.getMessage() for r in caplog.records) == 1


def test_bank_without_the_programs_or_drums_still_plays(tmp_path: Path,
                                                        tense_plan: CuePlan) -> None:
    pytest.importorskip("tinysoundfont")
    sparse = write_sf2(tmp_path / "sparse.sf2", pitched=(73,), drums=False)
    out = render_soundfont(tense_plan, 4 * RATE, RATE, sparse)
    assert float(np.sqrt(np.mean(out**2))) > 0.01


def test_broken_bank_is_a_render_error_naming_the_file(tmp_path: Path) -> None:
    pytest.importorskip("tinysoundfont")
    broken = tmp_path / "broken.sf2"
    broken.write_bytes(b"RIFF\x04\x00\x00\x00sfbk")
    with pytest.raises(RenderError) as info:
        render_soundfont(_plan(_note()), RATE, RATE, broken)
    assert info.value.file == str(broken)
    assert "broken.sf2" in str(info.value)


def test_missing_library_says_what_to_install(bank: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    soundfont._load.cache_clear()
    monkeypatch.setitem(sys.modules, "tinysoundfont._tinysoundfont", None)
    with pytest.raises(BackendUnavailable) as info:
        render_soundfont(_plan(_note()), RATE, RATE, bank)
    assert info.value.hint and "tinysoundfont==0.3.7" in info.value.hint


# --- finding the bank -----------------------------------------------------------------------


@pytest.fixture
def no_system_banks(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> list[Path]:
    dirs = [tmp_path / "system", tmp_path / "user"]
    monkeypatch.setattr(soundfont, "SEARCH_DIRS", tuple(dirs))
    monkeypatch.delenv(ENV_VAR, raising=False)
    return dirs


def test_configured_path_wins(tmp_path: Path, no_system_banks: list[Path],
                              monkeypatch: pytest.MonkeyPatch) -> None:
    configured = write_sf2(tmp_path / "mine.sf2")
    monkeypatch.setenv(ENV_VAR, str(write_sf2(tmp_path / "env.sf2")))
    assert find_soundfont(configured) == configured
    assert find_soundfont(str(configured)) == configured


def test_env_var_is_used_when_nothing_is_configured(tmp_path: Path, no_system_banks: list[Path],
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    env = write_sf2(tmp_path / "env.sf2")
    monkeypatch.setenv(ENV_VAR, str(env))
    assert find_soundfont(None) == env


@pytest.mark.parametrize("source", ["configured", "env"])
def test_missing_bank_is_a_clear_config_error(tmp_path: Path, no_system_banks: list[Path],
                                              monkeypatch: pytest.MonkeyPatch,
                                              source: str) -> None:
    missing = tmp_path / "nowhere" / "GM.sf2"
    if source == "env":
        monkeypatch.setenv(ENV_VAR, str(missing))
    with pytest.raises(ConfigError) as info:
        find_soundfont(missing if source == "configured" else None)
    assert "does not exist" in info.value.message
    assert info.value.file == str(missing)
    assert info.value.hint and ".sf2" in info.value.hint


def test_a_file_that_is_not_sf2_is_refused(tmp_path: Path, no_system_banks: list[Path]) -> None:
    text = tmp_path / "notes.sf2"
    text.write_text("not a soundfont")
    with pytest.raises(ConfigError, match="not a SoundFont 2 file"):
        find_soundfont(text)


def test_well_known_folders_in_order(no_system_banks: list[Path]) -> None:
    system, user = no_system_banks
    assert find_soundfont(None) is None
    user.mkdir()
    write_sf2(user / "aaa.sf2")
    assert find_soundfont(None) == user / "aaa.sf2"
    system.mkdir()
    (system / "zzz.sf2").write_text("broken, skipped")
    write_sf2(system / "other.sf2")
    assert find_soundfont(None) == system / "other.sf2"
    write_sf2(system / "TimGM6mb.sf2")
    write_sf2(system / "FluidR3_GM.sf2")
    assert find_soundfont(None) == system / "FluidR3_GM.sf2"
    write_sf2(system / "default-GM.sf2")
    assert find_soundfont(None) == system / "default-GM.sf2"
