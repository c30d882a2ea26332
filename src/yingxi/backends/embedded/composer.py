"""The embedded composer: a procedural music cue for one scene, with no model weights.

Mood and time of day choose a mode (Chinese pentatonic for ancient or rural settings, a
Western mode for modern ones), a tempo and instruments; :mod:`.score` writes the notes and
:mod:`.synth` plays them. The cue is then faded and normalised to one loudness so the mixer
can set music against dialogue with a single number.
"""

from __future__ import annotations

import logging
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING

import numpy as np

from yingxi.backends.embedded.effects_dsp import BLOCK
from yingxi.backends.embedded.score import (
    BEATS_PER_BAR,
    MODES,
    ChordEvent,
    CuePlan,
    HitEvent,
    Mode,
    NoteEvent,
    PhraseContext,
    Rng,
    Style,
    accompaniment,
    percussion,
    phrase,
    sub_rng,
)
from yingxi.backends.protocols import BackendInfo, CueAudio, CueRequest
from yingxi.media.audio import integrated_loudness

if TYPE_CHECKING:
    from yingxi.backends.embedded.synth import Audio

# scipy.signal, scipy.ndimage and pyloudnorm take most of a second to import, so they are
# imported where sound is made: listing or constructing backends stays instant.

logger = logging.getLogger(__name__)

TARGET_LUFS = -20.0
PEAK_CEILING = 0.9

TIMES_OF_DAY = ("dawn", "day", "dusk", "night")
# Settings that call for the Chinese pentatonic modes even in a modern story.
RURAL = frozenset({"mountains", "mountain", "shore", "sea", "river", "lake", "forest", "village",
                   "palace", "temple", "field", "countryside", "garden"})


@dataclass(frozen=True)
class MoodProfile:
    """How one mood sounds. Mode tuples are indexed by time of day (dawn, day, dusk, night)."""

    tempo: float
    chinese_modes: tuple[str, str, str, str]
    western_modes: tuple[str, str, str, str]
    rhythm: str
    contour: float  # drift of melodic direction: <0 sighs downwards, >0 lifts
    leap: float  # chance that a melodic move is a leap rather than a step
    accompaniment: str
    percussion: str
    chinese_leads: tuple[str, str]
    western_leads: tuple[str, str]
    tonics: tuple[int, ...]  # MIDI notes the melody's tonic may sit on
    reverb: float
    brightness: float
    bars_per_chord: int


PROFILES: MappingProxyType[str, MoodProfile] = MappingProxyType({
    "calm": MoodProfile(66, ("gong", "zhi", "shang", "yu"),
                        ("lydian", "ionian", "mixolydian", "dorian"), "slow", 0.0, 0.15,
                        "arp_slow", "none", ("guzheng", "dizi"), ("harp", "flute"),
                        (62, 64, 65, 67), 0.32, 0.5, 2),
    "warm": MoodProfile(74, ("gong", "gong", "zhi", "zhi"),
                        ("ionian", "ionian", "mixolydian", "ionian"), "medium", 0.05, 0.2,
                        "arp_flow", "none", ("guzheng", "dizi"), ("harp", "flute"),
                        (62, 65, 67), 0.28, 0.6, 1),
    "joyful": MoodProfile(108, ("zhi", "gong", "gong", "shang"),
                          ("ionian", "mixolydian", "ionian", "lydian"), "fast", 0.1, 0.25,
                          "bounce", "lively", ("dizi", "pipa"), ("flute", "harp"),
                          (65, 67, 69), 0.22, 0.8, 1),
    "romantic": MoodProfile(70, ("zhi", "zhi", "yu", "yu"),
                            ("lydian", "ionian", "dorian", "aeolian"), "medium", 0.0, 0.2,
                            "arp_flow", "none", ("dizi", "guzheng"), ("flute", "harp"),
                            (62, 64, 67), 0.36, 0.5, 1),
    "sad": MoodProfile(58, ("yu", "shang", "yu", "jue"),
                       ("aeolian", "dorian", "aeolian", "aeolian"), "slow", -0.15, 0.1,
                       "arp_slow", "none", ("xiao", "guzheng"), ("flute", "harp"),
                       (60, 62, 64), 0.36, 0.35, 2),
    "tense": MoodProfile(96, ("jue", "yu", "shang", "jue"),
                         ("phrygian", "aeolian", "phrygian", "phrygian"), "tense", 0.0, 0.1,
                         "ostinato", "heartbeat", ("pipa", "xiao"), ("harp", "flute"),
                         (62, 64, 65), 0.2, 0.4, 2),
    "mysterious": MoodProfile(60, ("jue", "shang", "yu", "jue"),
                              ("dorian", "lydian", "phrygian", "dorian"), "sparse", 0.0, 0.35,
                              "sparse", "distant", ("xiao", "guzheng"), ("flute", "harp"),
                              (60, 62, 65), 0.45, 0.3, 2),
})

# Stems per mood. A word counts for the mood of the longest stem it starts with, so that
# "funeral" is sad, not "fun"; Chinese keywords are found anywhere in the text.
MOOD_WORDS: MappingProxyType[str, tuple[str, ...]] = MappingProxyType({
    "tense": ("tens", "suspens", "danger", "fear", "afraid", "anxi", "threat", "conflict", "angr",
              "anger", "rage", "furi", "urgen", "chase", "fight", "battle", "dread", "panic",
              "menac", "紧张", "危险", "愤怒", "恐惧", "悬疑", "对峙", "追"),
    "sad": ("sad", "sorrow", "grie", "melanchol", "mourn", "loss", "lonel", "tragic", "tear",
            "regret", "heartbr", "despair", "funeral", "farewell", "悲", "伤", "哀", "孤独",
            "遗憾", "离别"),
    "mysterious": ("myster", "eerie", "strange", "secret", "uncanny", "dream", "magic", "ghost",
                   "omen", "enigma", "神秘", "诡", "梦", "秘密"),
    "joyful": ("joy", "happ", "festiv", "lively", "playful", "celebrat", "cheer", "excit", "fun",
               "comic", "bright", "triumph", "欢", "喜", "乐", "热闹", "庆"),
    "romantic": ("romanc", "romantic", "love", "longing", "yearn", "intima", "passion", "浪漫",
                 "爱", "恋", "心动"),
    "warm": ("warm", "tender", "gentl", "famil", "nostalg", "hope", "kind", "comfort", "reunion",
             "温暖", "温馨", "亲情", "希望", "团圆"),
    "calm": ("calm", "peace", "seren", "quiet", "still", "neutral", "relax", "soft", "平静",
             "宁静", "安静", "闲"),
})


def resolve_mood(text: str) -> str:
    """Map free mood text (English or Chinese) to a profile name; unknown text is calm."""
    lowered = text.lower()
    scores = dict.fromkeys(PROFILES, 0)
    for word in re.findall(r"[a-z]+", lowered):
        best = max(((len(stem), mood) for mood, stems in MOOD_WORDS.items()
                    for stem in stems if stem.isascii() and word.startswith(stem)),
                   default=None)
        if best is not None:
            scores[best[1]] += best[0]
    for mood, stems in MOOD_WORDS.items():
        scores[mood] += sum(2 * len(s) for s in stems if not s.isascii() and s in lowered)
    best_mood = max(scores, key=lambda m: scores[m])
    return best_mood if scores[best_mood] > 0 else "calm"


def _style(era: str, location_kind: str) -> Style:
    if era.strip().lower().startswith("anc") or location_kind.strip().lower() in RURAL:
        return "chinese"
    return "western"


def _phrase_lengths(bars: int) -> list[int]:
    """Split the melody's bars into phrases of four, folding a stray bar into the last."""
    if bars <= 0:
        return []
    lengths = [4] * (bars // 4)
    rest = bars % 4
    if rest >= 2 or not lengths:
        lengths.append(rest)
    elif rest == 1:
        lengths[-1] += 1
    return lengths


def _progression(rng: Rng, mode: Mode, bars: int, per_chord: int, first_tonic: bool,
                 cadence: int) -> list[int]:
    """Chord root degree for each bar of one phrase."""
    roots = [d for d in range(mode.size) if mode.chord(d) is not None]
    others = [d for d in roots if d != 0] or [0]
    slots = max(1, math.ceil(bars / per_chord))
    chosen: list[int] = [0 if first_tonic else int(rng.choice(others))]
    for _ in range(slots - 2):
        options = [d for d in roots if d != chosen[-1]] or roots
        chosen.append(int(rng.choice(options)))
    if slots > 1:
        chosen.append(cadence if mode.chord(cadence) is not None else int(rng.choice(others)))
    else:
        chosen = [cadence if mode.chord(cadence) is not None else 0]
    return [chosen[min(b // per_chord, slots - 1)] if b < bars - 1 else chosen[-1]
            for b in range(bars)]


def plan_cue(*, seconds: float, mood: str, time_of_day: str, location_kind: str, era: str,
             seed: int) -> CuePlan:
    """Choose mode, tempo, instruments and every note of a cue lasting ``seconds``."""
    mood_name = resolve_mood(mood)
    profile = PROFILES[mood_name]
    style = _style(era, location_kind)
    tod = TIMES_OF_DAY.index(time_of_day) if time_of_day in TIMES_OF_DAY else 1
    key = f"{mood_name}|{time_of_day}|{location_kind}|{era}|{seed}"
    rng = sub_rng(key, "choices")

    modes = profile.chinese_modes if style == "chinese" else profile.western_modes
    mode = MODES[modes[tod] if rng.random() < 0.75 else modes[(tod + 1) % 4]]
    tempo_scale = (0.96, 1.0, 0.95, 0.9)[tod]
    tempo = float(round(profile.tempo * tempo_scale + rng.integers(-3, 4)))
    tonic = int(rng.choice(profile.tonics))
    leads = profile.chinese_leads if style == "chinese" else profile.western_leads
    if tod == 3 and style == "chinese":
        # A bamboo dizi is a daytime sound; at night the breathier xiao takes its place.
        leads = (leads[0].replace("dizi", "xiao"), leads[1].replace("dizi", "xiao"))
    accomp_instrument = {"chinese": "pipa" if profile.accompaniment in ("ostinato", "bounce")
                         else "guzheng", "western": "harp"}[style]
    drums = ("tanggu", "muyu") if style == "chinese" else ("frame drum", "wood block")
    brightness = min(1.0, max(0.0, profile.brightness + (0.05, 0.0, -0.05, -0.15)[tod]))
    reverb = profile.reverb + (0.0, 0.0, 0.03, 0.08)[tod]

    bar_seconds = BEATS_PER_BAR * 60.0 / tempo
    bars = max(1, math.ceil(seconds / bar_seconds))
    melody_start = 1 if bars >= 4 else 0
    melody_end = max(melody_start, math.floor((seconds - 0.5) / bar_seconds))
    lengths = _phrase_lengths(melody_end - melody_start)

    ctx = PhraseContext(mode=mode, tonic=tonic, rhythm=profile.rhythm, contour=profile.contour,
                        leap=profile.leap, style=style)
    motifs = (ctx.motif(sub_rng(key, "motif", 0)), ctx.motif(sub_rng(key, "motif", 1)))
    notes: list[NoteEvent] = []
    hits: list[HitEvent] = []
    bar_roots: list[int] = [0] * bars
    bar_level: list[float] = [0.75] * bars
    bar = melody_start
    for index, length in enumerate(lengths):
        section, answer = divmod(index, 2)
        kind = section % 2
        final = index == len(lengths) - 1
        prng = sub_rng(key, "phrase", index)
        cadence = 0 if (answer or final) else mode.half_cadence()
        roots = _progression(prng, mode, length, profile.bars_per_chord,
                             first_tonic=kind == 0 and not answer, cadence=cadence)
        level = (0.8, 0.95)[kind] + (0.05 if section >= 2 else 0.0)
        lead = leads[kind]
        notes += phrase(ctx, prng, motif=motifs[kind], roots=roots, bar=bar, cadence=cadence,
                        lead=lead, level=level, high=kind == 1, variant=section // 2)
        for b in range(length):
            bar_roots[bar + b] = roots[b]
            bar_level[bar + b] = level
        bar += length
    for b in range(bars):
        arng = sub_rng(key, "bar", b)
        coda = b >= bar
        pattern = "coda" if coda and b > melody_start else profile.accompaniment
        notes += accompaniment(ctx, arng, pattern=pattern, root=bar_roots[b], bar=b,
                               instrument=accomp_instrument, level=bar_level[b],
                               variant=(b // 8) % 3)
        if profile.percussion != "none" and melody_start <= b < bars and not (coda and b > bar):
            hits += percussion(arng, style=profile.percussion, bar=b, drums=drums,
                               growth=b / bars, fill=b + 1 == bar or coda)
    chords = _pad_chords(mode, tonic, bar_roots, bar_level)
    used = [n.instrument for n in notes] + ["pad"] + [h.instrument for h in hits]
    instruments = tuple(dict.fromkeys(used))
    return CuePlan(mood=mood_name, style=style, mode=mode, tonic=tonic, tempo=tempo, bars=bars,
                   notes=tuple(notes), chords=chords, hits=tuple(hits), instruments=instruments,
                   reverb=reverb, brightness=brightness)


def _pad_chords(mode: Mode, tonic: int, roots: Sequence[int],
                levels: Sequence[float]) -> tuple[ChordEvent, ...]:
    """One sustained open voicing per run of bars on the same root."""
    chords: list[ChordEvent] = []
    start = 0
    for b in range(1, len(roots) + 1):
        if b < len(roots) and roots[b] == roots[start]:
            continue
        chord = mode.chord(roots[start]) or (0, 7, 12)
        base = tonic - 12 + chord[0]
        while base > tonic - 6:
            base -= 12
        voicing = (base, base + chord[1] - chord[0], base + 12 + (chord[2] - chord[0]) % 12)
        chords.append(ChordEvent(start=float(start * BEATS_PER_BAR),
                                 length=float((b - start) * BEATS_PER_BAR), midis=voicing,
                                 velocity=0.6 + 0.3 * levels[start]))
        start = b
    return tuple(chords)


def _loudness(x: Audio, rate: int) -> float:
    """Integrated loudness (LUFS) of a (2, n) cue, the very number pyloudnorm gives; a cue
    shorter than one 400 ms gating block is measured looped, which keeps its mean square."""
    block = int(0.4 * rate) + 1
    if x.shape[1] < block:
        x = np.tile(x, (1, math.ceil(block / max(1, x.shape[1])) + 1))
    return integrated_loudness(x, rate)


def _peak(x: Audio) -> float:
    """``max(abs(x))`` of a non-empty ``x`` (NaN if any sample is), without an ``abs(x)``
    copy: negation is exact, so this is the very same number."""
    return float(np.maximum(np.max(x), -np.min(x)))


def _limit(x: Audio, rate: int, ceiling: float) -> Audio:
    """Pull the rare peaks above ``ceiling`` down with a smooth 8 ms gain dip (no clipping),
    in ``x`` itself, which is returned.

    The minimum filter has the same radius as the averaging one, so the smoothed gain at a
    peak can only be lower than the gain the peak needs.
    """
    from scipy import ndimage

    level = np.empty(x.shape[1])  # max(abs(x), axis=0), a block at a time
    for s in range(0, x.shape[1], BLOCK):
        level[s:s + BLOCK] = np.max(np.abs(x[:, s:s + BLOCK]), axis=0)
    need = np.minimum(1.0, ceiling / np.maximum(level, 1e-12))
    del level
    size = 2 * max(1, int(0.004 * rate)) + 1
    x *= ndimage.uniform_filter1d(ndimage.minimum_filter1d(need, size, mode="nearest"), size,
                                  mode="nearest")
    return x


def master(x: Audio, rate: int) -> Audio:
    """Fade in 0.5 s and out 1.0 s (less on short cues), reach -20 LUFS, keep peaks <= 0.9;
    all in ``x`` itself, which is returned."""
    n = x.shape[1]
    fade_in, fade_out = min(int(0.5 * rate), n // 4), min(int(1.0 * rate), n // 3)
    if fade_in > 0:
        x[:, :fade_in] *= 0.5 - 0.5 * np.cos(np.pi * np.arange(fade_in) / fade_in)
    if fade_out > 0:
        x[:, n - fade_out:] *= 0.5 + 0.5 * np.cos(np.pi * np.arange(1, fade_out + 1) / fade_out)
    lufs = _loudness(x, rate)
    if not math.isfinite(lufs):
        return x  # silence stays silence
    x *= 10.0 ** ((TARGET_LUFS - lufs) / 20.0)
    if _peak(x) > PEAK_CEILING:
        # Limit a little below the ceiling so the make-up gain after it stays under it.
        x = _limit(x, rate, 0.95 * PEAK_CEILING)
        lufs = _loudness(x, rate)
        if math.isfinite(lufs):
            x *= 10.0 ** ((TARGET_LUFS - lufs) / 20.0)
    peak = _peak(x)
    if peak > PEAK_CEILING * 0.999:
        logger.debug("cue peak %.3f after limiting; scaling under the ceiling", peak)
        x *= PEAK_CEILING * 0.999 / peak
    return x


def _in_a_room(dry: Audio, plan: CuePlan, rate: int, rng: Rng) -> Audio:
    """A SoundFont plays dry: give it the built-in synth's hall (the same decaying tails,
    as long as the mood asks), so both renderings sit in the same space. In ``dry`` itself."""
    from yingxi.backends.embedded.synth import add_reverb, reverb_tails

    return add_reverb(dry, _mono_send(dry), reverb_tails(rate, 1.2 + 2.5 * plan.reverb, rng),
                      plan.reverb)


def _mono_send(dry: Audio) -> Audio:
    """``0.3 * (dry[0] + dry[1])`` with one temporary."""
    send: Audio = dry[0] + dry[1]
    send *= 0.3
    return send


class EmbeddedComposer:
    """Procedural composer: plucked strings, bamboo flutes, a pad and soft drums in numpy,
    or the same notes through a General MIDI SoundFont when the request names one.

    Constructing it does no work; each :meth:`compose` call is a pure function of the request.
    """

    info = BackendInfo(role="composer", name="embedded", version="1")

    def plan(self, request: CueRequest) -> CuePlan:
        """Choose mode, tonic, tempo, instruments and every note, without rendering."""
        return plan_cue(seconds=request.num_samples / request.sample_rate, mood=request.mood,
                        time_of_day=request.time_of_day, location_kind=request.location_kind,
                        era=request.era, seed=request.seed)

    def compose(self, request: CueRequest) -> CueAudio:
        """Compose and render one cue of exactly ``request.num_samples`` stereo samples."""
        from yingxi.backends.embedded.synth import render

        plan = self.plan(request)
        rng = sub_rng(request.canonical_json(), "render")
        rate = request.sample_rate
        if request.soundfont:
            from yingxi.backends.embedded.soundfont import render_soundfont

            dry = render_soundfont(plan, request.num_samples, rate, Path(request.soundfont))
            raw = _in_a_room(dry, plan, rate, rng)
        else:
            raw = render(plan, request.num_samples, rate, rng)
        samples = master(raw, rate)
        del raw  # master works in place: ``samples`` is the same buffer
        np.nan_to_num(samples, copy=False, nan=0.0, posinf=0.0, neginf=0.0)
        logger.debug("composed %s cue: %s at %.0f bpm, %d notes", plan.mood, plan.mode.name,
                     plan.tempo, len(plan.notes))
        return CueAudio(samples=samples.astype(np.float32), mode=plan.mode.name,
                        tempo=plan.tempo, instruments=list(plan.instruments))
