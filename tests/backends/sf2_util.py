"""A tiny SoundFont 2 writer, so the SoundFont player is tested on a real file with no download.

:func:`write_sf2` writes a valid SF2 2.01 bank: an INFO list, one ``smpl`` chunk holding two
16-bit waveforms, and the nine ``pdta`` sub-chunks with their terminal records. The pitched
presets play a looped sine whose period is exactly 100 samples at 44 kHz with root key 69,
so every key sounds at its equal-tempered frequency; the drum kit (bank 128) plays a short
unlooped decaying thump on every key.
"""

from __future__ import annotations

import math
import struct
from dataclasses import dataclass
from pathlib import Path

SAMPLE_RATE = 44000
ROOT_KEY = 69  # 440 Hz: one cycle is exactly SAMPLE_RATE / 440 = 100 samples
PERIOD = 100
PAD = 46  # zero points the spec asks for after every sample
PITCHED = (0, 46, 73, 107)  # piano, harp, flute, koto: the programs tests may rely on

# Generator operators (SF2 2.01 section 8.1.2).
ATTACK_VOL_ENV, DECAY_VOL_ENV, SUSTAIN_VOL_ENV, RELEASE_VOL_ENV = 34, 36, 37, 38
INSTRUMENT, KEY_RANGE, SAMPLE_ID, SAMPLE_MODES = 41, 43, 53, 54


@dataclass(frozen=True)
class Preset:
    """A preset that plays one instrument of the bank."""

    name: str
    program: int
    bank: int
    instrument: int


def _name(text: str) -> bytes:
    return text.encode("ascii")[:19].ljust(20, b"\0")


def _chunk(tag: bytes, payload: bytes) -> bytes:
    pad = b"\0" if len(payload) % 2 else b""
    return tag + struct.pack("<I", len(payload)) + payload + pad


def _list(tag: bytes, chunks: list[bytes]) -> bytes:
    return _chunk(b"LIST", tag + b"".join(chunks))


def _zstr(text: str) -> bytes:
    data = text.encode("ascii") + b"\0"
    return data + (b"\0" if len(data) % 2 else b"")


def _timecents(seconds: float) -> int:
    return round(1200 * math.log2(seconds))


def _sine(cycles: int) -> list[int]:
    return [round(20000 * math.sin(2 * math.pi * i / PERIOD)) for i in range(cycles * PERIOD)]


def _thump(length: int) -> list[int]:
    # A 2-cycles-per-100 tone (880 Hz at the root) dying away, so a hit is short and pitched.
    return [round(24000 * math.exp(-i / 1500) * math.sin(4 * math.pi * i / PERIOD))
            for i in range(length)]


def write_sf2(path: Path, *, pitched: tuple[int, ...] = PITCHED, drums: bool = True) -> Path:
    """Write a minimal General MIDI-like SoundFont to ``path`` and return ``path``.

    ``pitched`` lists the bank-0 programs to define; ``drums`` adds a kit at bank 128,
    program 0. Plucked-sounding programs (46 and 107) decay to silence while held; the
    others sustain, as a flute does.
    """
    sine, thump = _sine(40), _thump(6000)
    data = sine + [0] * PAD + thump + [0] * PAD
    smpl = struct.pack(f"<{len(data)}h", *data)
    thump_start = len(sine) + PAD
    # Sample headers: start, end, loop start, loop end (first point after the loop).
    shdr = [
        _name("sine") + struct.pack("<5IBbHH", 0, len(sine), 10 * PERIOD, len(sine),
                                    SAMPLE_RATE, ROOT_KEY, 0, 0, 1),
        _name("thump") + struct.pack("<5IBbHH", thump_start, thump_start + len(thump),
                                     thump_start, thump_start + len(thump), SAMPLE_RATE,
                                     ROOT_KEY, 0, 0, 1),
        _name("EOS") + struct.pack("<5IBbHH", 0, 0, 0, 0, 0, 0, 0, 0, 0),
    ]

    # Instruments: 0 sustained sine, 1 plucked sine, 2 drum thump. One zone each.
    sustained = [(ATTACK_VOL_ENV, _timecents(0.01)), (RELEASE_VOL_ENV, _timecents(0.1)),
                 (SAMPLE_MODES, 1), (SAMPLE_ID, 0)]
    plucked = [(DECAY_VOL_ENV, _timecents(2.0)), (SUSTAIN_VOL_ENV, 1440),
               (RELEASE_VOL_ENV, _timecents(0.2)), (SAMPLE_MODES, 1), (SAMPLE_ID, 0)]
    drum = [(RELEASE_VOL_ENV, _timecents(0.1)), (SAMPLE_ID, 1)]
    instruments = [("sine", sustained), ("pluck", plucked), ("thump", drum)]

    presets = [Preset(f"program {p}", p, 0, 1 if p in (46, 107) else 0) for p in pitched]
    if drums:
        presets.append(Preset("kit", 0, 128, 2))

    inst: list[bytes] = []
    ibag: list[bytes] = []
    igen: list[bytes] = []
    for index, (name, gens) in enumerate(instruments):
        inst.append(_name(name) + struct.pack("<H", index))
        ibag.append(struct.pack("<HH", len(igen), 0))
        igen.append(struct.pack("<HBB", KEY_RANGE, 0, 127))  # must come first
        igen += [struct.pack("<Hh", op, amount) for op, amount in gens]
    inst.append(_name("EOI") + struct.pack("<H", len(instruments)))
    ibag.append(struct.pack("<HH", len(igen), 0))
    igen.append(struct.pack("<HH", 0, 0))

    phdr: list[bytes] = []
    pbag: list[bytes] = []
    pgen: list[bytes] = []
    for index, preset in enumerate(presets):
        phdr.append(_name(preset.name) + struct.pack("<3H3I", preset.program, preset.bank,
                                                     index, 0, 0, 0))
        pbag.append(struct.pack("<HH", len(pgen), 0))
        pgen.append(struct.pack("<HH", INSTRUMENT, preset.instrument))
    phdr.append(_name("EOP") + struct.pack("<3H3I", 0, 0, len(presets), 0, 0, 0))
    pbag.append(struct.pack("<HH", len(pgen), 0))
    pgen.append(struct.pack("<HH", 0, 0))
    terminal_mod = struct.pack("<HHhHH", 0, 0, 0, 0, 0)

    info = _list(b"INFO", [_chunk(b"ifil", struct.pack("<HH", 2, 1)),
                           _chunk(b"isng", _zstr("EMU8000")),
                           _chunk(b"INAM", _zstr("yingxi test bank"))])
    sdta = _list(b"sdta", [_chunk(b"smpl", smpl)])
    pdta = _list(b"pdta", [
        _chunk(b"phdr", b"".join(phdr)), _chunk(b"pbag", b"".join(pbag)),
        _chunk(b"pmod", terminal_mod), _chunk(b"pgen", b"".join(pgen)),
        _chunk(b"inst", b"".join(inst)), _chunk(b"ibag", b"".join(ibag)),
        _chunk(b"imod", terminal_mod), _chunk(b"igen", b"".join(igen)),
        _chunk(b"shdr", b"".join(shdr)),
    ])
    path.write_bytes(_chunk(b"RIFF", b"sfbk" + info + sdta + pdta))
    return path
