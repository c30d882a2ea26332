"""Play a :class:`~yingxi.backends.embedded.score.CuePlan` through a General MIDI SoundFont.

:func:`render_soundfont` has the contract of :func:`yingxi.backends.embedded.synth.render`
(a float64 array of shape (2, num_samples), before mastering), so the composer can use either.
The plan is turned into MIDI-like events on 16 channels (one per instrument and role, drums on
channel 10) and played by TinySoundFont (the ``tinysoundfont`` wheel), rendering in chunks
between events so every note starts on its exact sample. TinySoundFont has no reverb or chorus
(it ignores CC91/CC93 and the SF2 effect sends), so the output is dry. Nothing random is used:
the same plan, length, rate and file give the same bytes.

:func:`find_soundfont` says which file to use. The order is: the configured path; the file
named by ``$YINGXI_SOUNDFONT``; then in ``/usr/share/sounds/sf2/`` (Debian and Ubuntu),
``/usr/share/soundfonts/`` (Arch, Fedora) and ``~/.local/share/soundfonts/``, in that order,
``default-GM.sf2``, ``FluidR3_GM.sf2``, ``TimGM6mb.sf2``, then any other ``*.sf2`` by name.
"""

from __future__ import annotations

import dataclasses
import functools
import importlib
import logging
import math
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType, ModuleType
from typing import Protocol

import numpy as np
import numpy.typing as npt

from yingxi.backends.embedded.score import WINDS, CuePlan
from yingxi.errors import BackendUnavailable, ConfigError, RenderError

logger = logging.getLogger(__name__)

Audio = npt.NDArray[np.float64]

ENV_VAR = "YINGXI_SOUNDFONT"
SEARCH_DIRS = (Path("/usr/share/sounds/sf2"), Path("/usr/share/soundfonts"),
               Path("~/.local/share/soundfonts"))
# default-GM.sf2 is Debian's alternatives link to the bank the administrator chose; FluidR3
# (148 MB, ~0.5 s to load) sounds far better than TimGM6mb (6 MB), so it comes next.
PREFERRED_NAMES = ("default-GM.sf2", "FluidR3_GM.sf2", "TimGM6mb.sf2")
# --no-deps: the wheel requires PyAudio (live playback only, never imported here), which has
# no Linux wheel and will not build without PortAudio's headers.
INSTALL_HINT = "pip install --no-deps tinysoundfont==0.3.7"

LEAD_PAN = 0.12  # as in the built-in synthesizer: the melody just right of centre
DRUM_CHANNEL = 9  # MIDI channel 10
DRUM_HOLD = 2.0  # seconds before a drum's note-off: GM players let hits ring out
END_FADE = 0.01  # seconds faded at the very end, so a cue cut mid-note ends at silence
GAIN_DB = -6.0  # headroom for a dozen voices; the composer masters loudness afterwards
GRACE = 0.07  # seconds a plucked grace note leads its main note (a wind's sits on the beat)
WIND_GRACE = 0.06
TREMOLO_STEP = 1.0 / 12.0  # 轮指 strokes, as in the built-in synthesizer
SLIDE_CENTS, SLIDE_SECONDS, SLIDE_STEPS = -200.0, 0.09, 8
OFF, BEND, ON = 0, 1, 2  # event ranks: a re-struck key is released before it sounds again


@dataclass(frozen=True)
class Patch:
    """How one of our instrument names is voiced by a General MIDI bank."""

    programs: tuple[int, ...]  # 0-based GM programs, best first; the first the bank has wins
    pan: float  # -1 (left) .. 1 (right) when accompanying; a lead sits at LEAD_PAN
    volume: int  # CC7


@dataclass(frozen=True)
class DrumHit:
    """A percussion name as a key of the GM drum kit (bank 128) and a level."""

    key: int
    gain: float


# GM has no Chinese instruments, so each maps to its nearest relative.
PATCHES: MappingProxyType[str, Patch] = MappingProxyType({
    # Koto: the guzheng's Japanese descendant, a bridged zither plucked with picks.
    "guzheng": Patch((107, 46, 0), -0.3, 100),
    # Shamisen: a plucked lute with a dry, bright attack and short ring, like the pipa's;
    # Banjo rings longer and Sitar buzzes with drones, so they are only fallbacks.
    "pipa": Patch((106, 105, 24, 0), -0.2, 118),
    "harp": Patch((46, 0), -0.3, 100),
    # Piccolo: the dizi's membrane makes it brighter and reedier than a Boehm flute, and it
    # plays high (around F5), where GM piccolos are in their sweet range.
    "dizi": Patch((72, 73, 0), 0.15, 100),
    # Shakuhachi: an end-blown bamboo flute, breathy like the xiao.
    "xiao": Patch((77, 75, 73, 0), 0.15, 100),
    "flute": Patch((73, 0), 0.15, 100),
    # Warm Pad is what the built-in pad imitates (detuned soft saws through a low-pass);
    # String Ensemble 1 where a bank has no pads.
    "pad": Patch((89, 48, 0), 0.0, 80),
})
DEFAULT_PATCH = Patch((0,), 0.0, 100)  # Acoustic Grand Piano: every GM bank has it
DRUMS: MappingProxyType[str, DrumHit] = MappingProxyType({
    "tanggu": DrumHit(41, 1.0),  # Low Floor Tom: a deep, resonant barrel drum
    "frame drum": DrumHit(45, 0.9),  # Low Tom: the soft low thud the synth's frame drum has
    "muyu": DrumHit(77, 0.6),  # Low Wood Block: the temple block sits below the wood block
    "wood block": DrumHit(76, 0.5),  # Hi Wood Block
})
DEFAULT_DRUM = DrumHit(45, 0.8)
# Levels were set so that, with FluidR3 and TimGM6mb, each part sits about where it does in
# the built-in synthesizer: GM shamisens and drum kits are quiet next to GM winds.
DRUM_VOLUME, DRUM_PAN = 112, 0.15
MELODIC_CHANNELS = tuple(c for c in range(16) if c != DRUM_CHANNEL)


class _Font(Protocol):
    """The part of ``tinysoundfont._tinysoundfont.SoundFont`` used here."""

    def get_preset_index(self, bank: int, preset: int) -> int: ...
    def set_output(self, output_mode: object, samplerate: int, global_gain_db: float) -> None: ...
    def render(self, buffer: npt.NDArray[np.float32], mix: bool = False) -> None: ...
    def channel_set_bank(self, channel: int, bank: int) -> None: ...
    def channel_set_preset_index(self, channel: int, index: int) -> None: ...
    def channel_set_preset_number(self, channel: int, number: int, drum: bool) -> None: ...
    def channel_midi_control(self, channel: int, controller: int, value: int) -> None: ...
    def channel_set_pitch_wheel(self, channel: int, pitch_wheel: int) -> None: ...
    def channel_note_on(self, channel: int, key: int, velocity: float) -> None: ...
    def channel_note_off(self, channel: int, key: int) -> None: ...


def _library() -> ModuleType:
    try:
        # The compiled core, not the Synth wrapper: only it can clone a loaded bank.
        return importlib.import_module("tinysoundfont._tinysoundfont")
    except ImportError as exc:
        raise BackendUnavailable("playing music through a SoundFont needs tinysoundfont",
                                 hint=INSTALL_HINT) from exc


def _problem(path: Path) -> str | None:
    """Why ``path`` cannot be used as a SoundFont, or None."""
    if not path.is_file():
        return "does not exist" if not path.exists() else "is not a file"
    try:
        with path.open("rb") as handle:
            head = handle.read(12)
    except OSError as exc:
        return f"cannot be read ({exc.strerror})"
    if head[:4] != b"RIFF" or head[8:12] != b"sfbk":
        return "is not a SoundFont 2 file (no RIFF 'sfbk' header)"
    return None


def _checked(path: Path, source: str) -> Path:
    problem = _problem(path)
    if problem is not None:
        raise ConfigError(f"the SoundFont {source} {problem}", file=path,
                          hint="point it at a General MIDI .sf2 file, e.g. "
                               "/usr/share/sounds/sf2/FluidR3_GM.sf2 from Debian's "
                               "fluid-soundfont-gm package, or unset it")
    return path


def _candidates(folder: Path) -> Iterator[Path]:
    folder = folder.expanduser()
    if not folder.is_dir():
        return
    yield from (folder / name for name in PREFERRED_NAMES)
    yield from sorted(p for p in folder.glob("*.sf2") if p.name not in PREFERRED_NAMES)


def find_soundfont(configured: str | Path | None) -> Path | None:
    """The SoundFont to play cues with, or None when there is none (use the synthesizer).

    A configured path, and ``$YINGXI_SOUNDFONT`` when set, must name a readable SF2 file:
    otherwise :class:`~yingxi.errors.ConfigError`, since a typo should not silently change
    the music. Without either, the well-known folders are searched in the order the module
    docstring gives, skipping files that are missing or not SF2.
    """
    if configured is not None and str(configured):
        return _checked(Path(configured).expanduser(), "configured")
    env = os.environ.get(ENV_VAR, "")
    if env:
        return _checked(Path(env).expanduser(), f"named by ${ENV_VAR}")
    for folder in SEARCH_DIRS:
        for path in _candidates(folder):
            if _problem(path) is None:
                logger.debug("using SoundFont %s", path)
                return path
    return None


@functools.cache
def _load(path: str) -> _Font:
    """Parse a bank once per process; renders play on cheap clones that share its samples."""
    library = _library()
    try:
        font: _Font = library.SoundFont(path)
    except (RuntimeError, ValueError, OSError) as exc:
        raise RenderError(f"TinySoundFont could not load {path}: {exc}", file=path,
                          hint="check that it is a valid .sf2 or .sf3 file") from exc
    logger.debug("loaded SoundFont %s", path)
    return font


@functools.cache
def _warn_once(message: str) -> None:
    logger.warning("%s", message)


def _patch(instrument: str) -> Patch:
    if instrument not in PATCHES:
        _warn_once(f"no General MIDI program for instrument {instrument!r}; using piano")
    return PATCHES.get(instrument, DEFAULT_PATCH)


def _drum(instrument: str) -> DrumHit:
    if instrument not in DRUMS:
        _warn_once(f"no General MIDI drum for {instrument!r}; using the low tom")
    return DRUMS.get(instrument, DEFAULT_DRUM)


def _velocity(velocity: float) -> int:
    """A 0..1 velocity as MIDI 1..127 (0 would mean note-off)."""
    return min(127, max(1, round(127.0 * velocity)))


def _cc(pan: float) -> int:
    return min(127, max(0, round(64.0 + 63.0 * pan)))


@dataclass(frozen=True)
class _Stroke:
    channel: int
    key: int
    start: int  # samples
    end: int
    velocity: int


def _strokes(plan: CuePlan, rate: int, channels: dict[tuple[str, str], int]) -> Iterator[
        tuple[_Stroke, bool]]:
    """Every sounded note as (stroke, slides-up-into-it), ornaments expanded."""
    spb = plan.seconds_per_beat

    def at(seconds: float) -> int:
        return max(0, round(seconds * rate))

    for note in plan.notes:
        channel = channels[(note.instrument, note.role)]
        t0 = note.start * spb
        if note.instrument in WINDS:  # a breath between tongued notes, as the synth leaves
            end = t0 + max(0.12, note.length * spb * 0.94 - 0.03)
        else:
            end = t0 + note.length * spb
        v = note.velocity
        if note.grace is not None:
            if note.instrument in WINDS:  # blown on the beat; the main note follows in-breath
                grace = _Stroke(channel, note.grace, at(t0), at(t0 + WIND_GRACE), _velocity(v))
                t0 += WIND_GRACE
            else:
                grace = _Stroke(channel, note.grace, at(t0 - GRACE), at(t0), _velocity(0.6 * v))
            yield grace, False
        if note.tremolo:
            count = max(1, int(0.7 * note.length * spb / TREMOLO_STEP))
            for i in range(count):
                # A fixed low-discrepancy wobble instead of random: later strokes are softer.
                level = v if i == 0 else v * (0.7 + 0.1 * ((i * 0.618034) % 1.0))
                stop = end if i == count - 1 else t0 + (i + 1) * TREMOLO_STEP
                yield _Stroke(channel, note.midi, at(t0 + i * TREMOLO_STEP), at(stop),
                              _velocity(level)), False
        else:
            yield _Stroke(channel, note.midi, at(t0), at(end), _velocity(v)), note.slide
    for chord in plan.chords:
        start, stop = at(chord.start * spb), at((chord.start + chord.length) * spb)
        for midi in chord.midis:
            yield _Stroke(channels[("pad", "pad")], midi, start, stop,
                          _velocity(chord.velocity)), False
    for hit in plan.hits:
        drum = _drum(hit.instrument)
        start = at(hit.start * spb)
        yield _Stroke(DRUM_CHANNEL, drum.key, start, start + at(DRUM_HOLD),
                      _velocity(hit.velocity * drum.gain)), False


def _events(plan: CuePlan, rate: int,
            channels: dict[tuple[str, str], int]) -> list[tuple[int, int, int, int, int, int]]:
    """Sorted (sample, rank, order, channel, key or wheel, velocity) events of the plan."""
    by_key: dict[tuple[int, int], list[tuple[_Stroke, bool]]] = {}
    for stroke, slide in _strokes(plan, rate, channels):
        if 0 <= stroke.key <= 127:
            by_key.setdefault((stroke.channel, stroke.key), []).append((stroke, slide))
    events: list[tuple[int, int, int, int, int, int]] = []
    for (channel, key), group in sorted(by_key.items()):
        group.sort(key=lambda item: (item[0].start, -item[0].velocity))
        # The same key struck twice at once sounds once, at the louder.
        group = [item for i, item in enumerate(group)
                 if i == 0 or item[0].start != group[i - 1][0].start]
        for i, (stroke, slide) in enumerate(group):
            end = stroke.end
            if channel != DRUM_CHANNEL and i + 1 < len(group):
                # A string or pipe sounds one note per key: the next stroke on it damps this.
                end = min(end, group[i + 1][0].start)
            end = max(end, stroke.start + 1)
            events.append((stroke.start, ON, len(events), channel, key, stroke.velocity))
            events.append((end, OFF, len(events), channel, key, 0))
            if slide:
                for step in range(SLIDE_STEPS + 1):
                    w = step / SLIDE_STEPS
                    cents = SLIDE_CENTS * (1.0 - w * w * (3.0 - 2.0 * w))
                    wheel = min(16383, max(0, round(8192.0 * (1.0 + cents / 200.0))))
                    when = stroke.start + round(step * SLIDE_SECONDS * rate / SLIDE_STEPS)
                    events.append((when, BEND, len(events), channel, wheel, 0))
    events.sort()
    return events


def _program(font: _Font, patch: Patch, instrument: str, path: Path) -> int | None:
    for program in patch.programs:
        if font.get_preset_index(0, program) >= 0:
            return program
    _warn_once(f"{path} has none of GM programs {patch.programs} for {instrument!r}; "
               "using its first preset")
    return None


def _setup(font: _Font, plan: CuePlan, path: Path) -> dict[tuple[str, str], int]:
    """Give every (instrument, role) its own channel, program, pan and volume."""
    parts = sorted({(n.instrument, n.role) for n in plan.notes}
                   | ({("pad", "pad")} if plan.chords else set()))
    if len(parts) > len(MELODIC_CHANNELS):
        logger.warning("%d parts for %d MIDI channels; some share a channel", len(parts),
                       len(MELODIC_CHANNELS))
    channels: dict[tuple[str, str], int] = {}
    for i, (instrument, role) in enumerate(parts):
        channel = MELODIC_CHANNELS[i % len(MELODIC_CHANNELS)]
        channels[(instrument, role)] = channel
        patch = _patch(instrument)
        program = _program(font, patch, instrument, path)
        font.channel_set_bank(channel, 0)
        if program is None:
            font.channel_set_preset_index(channel, 0)
        else:
            font.channel_set_preset_number(channel, program, False)
        font.channel_midi_control(channel, 7, patch.volume)
        font.channel_midi_control(channel, 10, _cc(LEAD_PAN if role == "lead" else patch.pan))
    if plan.hits:
        font.channel_set_preset_number(DRUM_CHANNEL, 0, True)
        font.channel_midi_control(DRUM_CHANNEL, 7, DRUM_VOLUME)
        font.channel_midi_control(DRUM_CHANNEL, 10, _cc(DRUM_PAN))
    return channels


def render_soundfont(plan: CuePlan, num_samples: int, rate: int,
                     soundfont: str | Path) -> Audio:
    """Play ``plan`` through ``soundfont`` into a float64 array of shape (2, num_samples).

    Raises :class:`~yingxi.errors.RenderError` naming the file when TinySoundFont cannot load
    or play it, and :class:`~yingxi.errors.BackendUnavailable` when it is not installed.
    """
    if num_samples < 0 or rate <= 0:
        raise ValueError(f"need num_samples >= 0 and rate > 0, got {num_samples} and {rate}")
    path = Path(soundfont)
    master = _load(str(path.resolve()))  # one cache entry however the file is named
    library = _library()
    out = np.zeros((num_samples, 2), dtype=np.float32)
    try:
        # A clone shares the parsed samples but has its own voices and channels. tsf_copy is
        # not thread-safe, but the binding (0.3.7) holds the GIL in every call.
        font: _Font = library.SoundFont(master)
        font.set_output(library.OutputMode.StereoInterleaved, rate, GAIN_DB)
        if plan.hits and font.get_preset_index(128, 0) < 0:
            _warn_once(f"{path} has no drum kit (bank 128); percussion is left out")
            plan = dataclasses.replace(plan, hits=())
        channels = _setup(font, plan, path)
        position = 0
        for sample, rank, _, channel, key, velocity in _events(plan, rate, channels):
            if sample >= num_samples:
                break
            if sample > position:
                font.render(out[position:sample])
                position = sample
            if rank == ON:
                font.channel_note_on(channel, key, velocity / 127.0)
            elif rank == OFF:
                font.channel_note_off(channel, key)
            else:
                font.channel_set_pitch_wheel(channel, key)
        if position < num_samples:
            font.render(out[position:])
    except RuntimeError as exc:
        raise RenderError(f"TinySoundFont failed while playing {path}: {exc}",
                          file=path) from exc
    fade = min(num_samples, max(1, int(END_FADE * rate)))
    if num_samples:
        out[num_samples - fade:] *= np.cos(0.5 * math.pi * np.arange(1, fade + 1) / fade)[:, None]
    return np.ascontiguousarray(out.T, dtype=np.float64)
