"""Music theory for the embedded composer: modes, note events, phrases and accompaniment.

Everything here is plain data and arithmetic on scale degrees: :mod:`.composer` assembles a
:class:`CuePlan` from these pieces and :mod:`.synth` plays it. Every choice draws from its own
named generator (:func:`sub_rng`), so a plan is a pure function of the request, and adding a
decision somewhere never reshuffles the others.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Literal

import numpy as np

Rng = np.random.Generator
Style = Literal["chinese", "western"]
BEATS_PER_BAR = 4


def sub_rng(key: str, *tags: object) -> Rng:
    """A generator for one named decision, so adding a decision never shifts the others."""
    text = "/".join([key, *(str(t) for t in tags)])
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return np.random.default_rng(int.from_bytes(digest[:8], "little"))


@dataclass(frozen=True)
class Mode:
    """A scale as semitone offsets from its tonic, addressed by (possibly negative) degrees."""

    name: str
    intervals: tuple[int, ...]

    @property
    def size(self) -> int:
        """Notes per octave."""
        return len(self.intervals)

    def semitones(self, degree: int) -> int:
        """Semitones from the tonic to scale degree ``degree`` (octaves included)."""
        octave, index = divmod(degree, self.size)
        return 12 * octave + self.intervals[index]

    def pitch_classes(self, tonic: int) -> frozenset[int]:
        """The pitch classes (0 = C) of this mode on ``tonic`` (a MIDI note)."""
        return frozenset((tonic + i) % 12 for i in self.intervals)

    def chord(self, degree: int) -> tuple[int, int, int] | None:
        """Root, fifth (or fourth) and colour tone of the chord on ``degree``, in semitones.

        Pentatonic modes have no functional triads, so a chord is an open fifth (or the
        fourth where the fifth is missing, as on jue) coloured by a third or a second; a
        heptatonic root without a perfect fifth is not used as a chord root at all.
        """
        scale = {i % 12 for i in self.intervals}
        root = self.intervals[degree % self.size]
        fifths = (7, 5) if self.size == 5 else (7,)
        fifth = next((f for f in fifths if (root + f) % 12 in scale), None)
        colour = next((c for c in (4, 3, 2, 9) if (root + c) % 12 in scale), None)
        if fifth is None or colour is None:
            return None
        return root, root + fifth, root + colour

    def half_cadence(self) -> int:
        """The degree a question phrase ends on: the fifth, or the fourth when there is none."""
        for target in (7, 5):
            if target in self.intervals:
                return self.intervals.index(target)
        return 1


MODES: MappingProxyType[str, Mode] = MappingProxyType({
    # 五声调式 named by the degree they rest on: gong 宫, shang 商, jue 角, zhi 徵, yu 羽.
    "gong": Mode("gong pentatonic", (0, 2, 4, 7, 9)),
    "shang": Mode("shang pentatonic", (0, 2, 5, 7, 10)),
    "jue": Mode("jue pentatonic", (0, 3, 5, 8, 10)),
    "zhi": Mode("zhi pentatonic", (0, 2, 5, 7, 9)),
    "yu": Mode("yu pentatonic", (0, 3, 5, 7, 10)),
    "ionian": Mode("ionian", (0, 2, 4, 5, 7, 9, 11)),
    "lydian": Mode("lydian", (0, 2, 4, 6, 7, 9, 11)),
    "mixolydian": Mode("mixolydian", (0, 2, 4, 5, 7, 9, 10)),
    "dorian": Mode("dorian", (0, 2, 3, 5, 7, 9, 10)),
    "aeolian": Mode("aeolian", (0, 2, 3, 5, 7, 8, 10)),
    "phrygian": Mode("phrygian", (0, 1, 3, 5, 7, 8, 10)),
})


@dataclass(frozen=True)
class NoteEvent:
    """A pitched note. Times are in beats from the start of the cue."""

    start: float
    length: float
    midi: int
    velocity: float
    instrument: str
    role: Literal["lead", "accompaniment"]
    grace: int | None = None  # MIDI note of an ornament sounded just before or into the note
    slide: bool = False  # wind: scoop up into the note
    tremolo: bool = False  # plucked: 轮指 tremolo for the whole note


@dataclass(frozen=True)
class ChordEvent:
    """A sustained pad chord (beats)."""

    start: float
    length: float
    midis: tuple[int, ...]
    velocity: float


@dataclass(frozen=True)
class HitEvent:
    """A percussion stroke (beats)."""

    start: float
    instrument: str
    velocity: float


@dataclass(frozen=True)
class CuePlan:
    """Everything chosen for one cue, before any sound is made."""

    mood: str
    style: Style
    mode: Mode
    tonic: int
    tempo: float
    bars: int
    notes: tuple[NoteEvent, ...]
    chords: tuple[ChordEvent, ...]
    hits: tuple[HitEvent, ...]
    instruments: tuple[str, ...]
    reverb: float
    brightness: float

    @property
    def seconds_per_beat(self) -> float:
        """Length of one beat in seconds."""
        return 60.0 / self.tempo


# Rhythm cells of one bar, in beats; a negative length is a rest.
RHYTHMS: MappingProxyType[str, tuple[tuple[float, ...], ...]] = MappingProxyType({
    "slow": ((2, 2), (3, 1), (2, 1, 1), (1, 1, 2), (1.5, 0.5, 2), (4,), (2, 1, -1)),
    "medium": ((1, 1, 2), (1, 0.5, 0.5, 2), (2, 1, 1), (1.5, 0.5, 1, 1), (0.5, 0.5, 1, 2),
               (1, 1, 1, 1)),
    "fast": ((0.5, 0.5, 1, 1, 1), (1, 0.5, 0.5, 1, 1), (0.5, 0.5, 0.5, 0.5, 2),
             (1, 1, 0.5, 0.5, 1), (0.75, 0.25, 1, 2)),
    "tense": ((1, -1, 1, -1), (0.5, 0.5, -1, 2), (0.5, 0.5, 0.5, -0.5, 2), (1, 1, -2),
              (-1, 0.5, 0.5, 2)),
    "sparse": ((2, 1, -1), (-1, 2, 1), (3, 1), (1, 3), (2, -1, 1), (1.5, 0.5, -2)),
})
# Last bar of a phrase: approach notes, then the long note on the cadence degree.
CADENCES: tuple[tuple[float, ...], ...] = (
    (1, 1, 2), (0.5, 0.5, 1, 2), (1, 3), (2, 1, -1), (1, 2, -1), (0.5, 0.5, 2, -1), (3, -1))
# Accompaniment cells: (beat, tone) where tone indexes the chord's spread-out tones.
PATTERNS: MappingProxyType[str, tuple[tuple[float, int], ...]] = MappingProxyType({
    "arp_slow": ((0, 0), (1, 1), (2, 2), (3, 3)),
    "arp_flow": ((0, 0), (0.5, 1), (1, 2), (1.5, 3), (2, 4), (2.5, 3), (3, 2), (3.5, 1)),
    "ostinato": ((0, 0), (0.5, 0), (1, 2), (1.5, 0), (2, 0), (2.5, 1), (3, 0), (3.5, 2)),
    "bounce": ((0, 0), (1, 3), (1, 4), (2, 1), (3, 3), (3, 4)),
    "sparse": ((0, 0), (2.5, 4)),
    "coda": ((0, 0), (0.5, 1), (1, 3)),
})
# Where each lead instrument sounds best (MIDI); melodies are moved by octaves towards it.
LEAD_CENTRE: MappingProxyType[str, int] = MappingProxyType({
    "dizi": 77, "xiao": 65, "flute": 72, "guzheng": 69, "pipa": 69, "harp": 69})
WINDS = frozenset({"dizi", "xiao", "flute"})


def _pick(rng: Rng, options: Sequence[tuple[float, ...]]) -> tuple[float, ...]:
    return options[int(rng.integers(len(options)))]


def _sounding(rhythm: Sequence[float]) -> int:
    return sum(1 for d in rhythm if d > 0)


@dataclass(frozen=True)
class Motif:
    """A one-bar melodic idea: a rhythm and scale-degree offsets for its sounding notes."""

    rhythm: tuple[float, ...]
    offsets: tuple[int, ...]


@dataclass(frozen=True)
class PhraseContext:
    """What every melodic and accompaniment decision of one cue needs to know."""

    mode: Mode
    tonic: int
    rhythm: str
    contour: float
    leap: float
    style: Style

    @property
    def low(self) -> int:
        """Lowest melody degree."""
        return -(self.mode.size // 2)

    @property
    def high(self) -> int:
        """Highest melody degree (about an octave and a half above the low end)."""
        return self.mode.size + 3 * self.mode.size // 4

    def midi(self, degree: int) -> int:
        """MIDI note of a melody degree."""
        return self.tonic + self.mode.semitones(degree)

    def motif(self, rng: Rng) -> Motif:
        """Invent a motif: mostly steps, a leap now and then, and a step back after a leap."""
        rhythm = _pick(rng, RHYTHMS[self.rhythm])
        direction = 1 if rng.random() < 0.5 + 2 * self.contour else -1
        offsets = [0]
        for _ in range(_sounding(rhythm) - 1):
            if rng.random() < 0.1:
                offsets.append(offsets[-1])
                continue
            size = 2 if rng.random() < self.leap else 1
            if rng.random() < 0.25:
                direction = -direction
            offsets.append(offsets[-1] + direction * size)
            if size > 1:
                direction = -direction
        return Motif(rhythm, tuple(offsets))

    def snap(self, degree: int, root: int) -> int:
        """The chord tone of the chord on ``root`` nearest to ``degree``."""
        chord = self.mode.chord(root) or (0, 7, 4)
        tones = {t % 12 for t in chord}
        for delta in (0, 1, -1, 2, -2, 3, -3):
            if self.mode.semitones(degree + delta) % 12 in tones:
                return degree + delta
        return degree

    def fit(self, degrees: list[int]) -> list[int]:
        """Move a bar by octaves into the melody's range."""
        k = self.mode.size
        while degrees and max(degrees) > self.high:
            degrees = [d - k for d in degrees]
        while degrees and min(degrees) < self.low:
            degrees = [d + k for d in degrees]
        return [min(self.high, d) for d in degrees]

    def walk(self, rng: Rng, start: int, target: int, count: int) -> list[int]:
        """``count`` notes moving by step from ``start`` so that the last lands on ``target``."""
        out: list[int] = []
        current = start
        for i in range(count):
            gap, left = target - current, count - i
            if gap == 0:
                step = int(rng.choice((-1, 1))) if left > 1 else 0
            elif abs(gap) > left:
                step = int(math.copysign(min(2, abs(gap) - left + 1), gap))
            else:
                step = int(math.copysign(1, gap)) if rng.random() < 0.9 or left == 1 else 0
            current += step
            out.append(current)
        return out


def phrase(ctx: PhraseContext, rng: Rng, *, motif: Motif, roots: Sequence[int], bar: int,
           cadence: int, lead: str, level: float, high: bool, variant: int) -> list[NoteEvent]:
    """One phrase: motif, its answer, a climb to the peak, and a cadence on ``cadence``."""
    k, bars = ctx.mode.size, len(roots)
    start = ctx.snap(k + 1 if high else k // 2 + (variant % 2), roots[0])
    peak = start + (int(rng.integers(2, 4)) if ctx.contour >= -0.05 else 1)
    cells: list[tuple[float, float, int]] = []
    prev = motif_start = start
    for b, root in enumerate(roots):
        if b == bars - 1:
            rhythm = _pick(rng, CADENCES)
            target = cadence + k * round((prev - cadence) / k)
            degrees = ctx.walk(rng, prev, target, _sounding(rhythm))
            degrees[-1] = target
        elif b == 0:
            rhythm = motif.rhythm
            degrees = [start + o for o in motif.offsets]
        elif b == 1 and rng.random() < 0.7:
            rhythm = motif.rhythm
            if rng.random() < 0.6:  # sequence: the motif again a step or two away
                motif_start = ctx.snap(motif_start + int(rng.choice((-1, 1, 2))), root)
                degrees = [motif_start + o for o in motif.offsets]
            else:  # mirror
                motif_start = ctx.snap(prev, root)
                degrees = [motif_start - o for o in motif.offsets]
        else:
            rhythm = _pick(rng, RHYTHMS[ctx.rhythm])
            goal = peak if b < bars - 2 or bars < 5 else cadence + 2
            degrees = ctx.walk(rng, prev, ctx.snap(goal, root), _sounding(rhythm))
        degrees = ctx.fit(degrees)
        beat = float(b * BEATS_PER_BAR)
        notes = iter(degrees)
        for d in rhythm:
            if d > 0:
                cells.append((beat, float(d), next(notes)))
            beat += abs(d)
        prev = degrees[-1] if degrees else prev

    # One octave shift per instrument for the whole cue, so phrases never jump registers.
    shift = 12 * round((LEAD_CENTRE[lead] - ctx.midi((ctx.low + ctx.high) // 2)) / 12)
    ornate = 1.0 if ctx.style == "chinese" else 0.3
    span = bars * BEATS_PER_BAR
    out: list[NoteEvent] = []
    for i, (beat, length, degree) in enumerate(cells):
        last = i == len(cells) - 1
        velocity = level * (0.78 + 0.22 * math.sin(math.pi * beat / span))
        velocity *= (1.08 if beat % BEATS_PER_BAR == 0 else 1.0) * (0.9 if last else 1.0)
        velocity *= 1.0 + 0.08 * (rng.random() - 0.5)
        grace = slide = tremolo = False
        if length >= 1 and i > 0:
            roll = rng.random()
            grace = roll < 0.2 * ornate
            slide = lead in WINDS and 0.2 * ornate <= roll < 0.32 * ornate
            tremolo = (lead == "pipa" and length >= 1.5 and roll > 0.4) or (
                lead == "guzheng" and length >= 2 and roll > 0.85)
        ring = 0.0 if lead in WINDS else (2.0 if last else 0.75)
        out.append(NoteEvent(
            start=bar * BEATS_PER_BAR + beat, length=length + ring,
            midi=ctx.midi(degree) + shift, velocity=min(1.0, velocity), instrument=lead,
            role="lead", grace=ctx.midi(degree + 1) + shift if grace else None, slide=slide,
            tremolo=tremolo))
    return out


def accompaniment(ctx: PhraseContext, rng: Rng, *, pattern: str, root: int, bar: int,
                  instrument: str, level: float, variant: int) -> list[NoteEvent]:
    """One bar of broken chord under the melody; ``variant`` reorders the upper tones."""
    low, fifth, colour = ctx.mode.chord(root) or (0, 7, 4)
    bass = ctx.tonic - 24 + low
    while bass > ctx.tonic - 15:
        bass -= 12
    while bass < ctx.tonic - 27:
        bass += 12
    tones = (bass, bass + fifth - low, bass + 12, bass + 12 + (colour - low) % 12,
             bass + 12 + fifth - low, bass + 24)
    swap = ({}, {1: 2, 2: 1, 3: 4, 4: 3}, {2: 3, 3: 2})[variant % 3]
    short = pattern in ("ostinato", "bounce")
    out: list[NoteEvent] = []
    for beat, tone in PATTERNS[pattern]:
        if variant == 2 and tone and rng.random() < 0.12:
            continue  # let the texture breathe now and then
        accent = 1.15 if beat == 0 else (1.1 if pattern == "ostinato" and beat in (1.5, 3) else 0.9)
        length = 0.45 if pattern == "ostinato" else (0.9 if short else BEATS_PER_BAR - beat + 0.5)
        if pattern == "coda":
            length = 2.0 * BEATS_PER_BAR
        velocity = level * 0.55 * accent * (1.0 + 0.12 * (rng.random() - 0.5))
        out.append(NoteEvent(start=bar * BEATS_PER_BAR + beat, length=length,
                             midi=tones[swap.get(tone, tone)], velocity=min(1.0, velocity),
                             instrument=instrument, role="accompaniment"))
    return out


def percussion(rng: Rng, *, style: str, bar: int, drums: tuple[str, str], growth: float,
               fill: bool) -> list[HitEvent]:
    """One bar of soft percussion: a heartbeat for tension, a lively dance, or distant drums."""
    drum, block = drums
    strokes: list[tuple[float, str, float]] = []
    if style == "heartbeat":
        strokes += [(0, drum, 0.9), (0.5, drum, 0.55)]
        if growth > 0.4:
            strokes += [(2, drum, 0.5), (2.5, drum, 0.35)]
        if growth > 0.6:
            strokes += [(1, block, 0.3), (3, block, 0.3)]
        if fill:
            strokes += [(3.5, block, 0.45)]
    elif style == "lively":
        strokes += [(0, drum, 0.8), (2, drum, 0.6), (1, block, 0.5), (3, block, 0.5),
                    (1.5, block, 0.3), (3.5, block, 0.3)]
        if fill:
            strokes += [(2.5, block, 0.4), (3.5, drum, 0.5)]
    elif style == "distant":
        if bar % 2 == 0:
            strokes.append((0, drum, 0.6))
        if rng.random() < 0.35:
            strokes.append((float(rng.choice((2.5, 3.5))), block, 0.3))
    swell = 0.75 + 0.25 * growth
    return [HitEvent(start=bar * BEATS_PER_BAR + beat, instrument=name,
                     velocity=min(1.0, v * swell * (1.0 + 0.1 * (rng.random() - 0.5))))
            for beat, name, v in strokes]
