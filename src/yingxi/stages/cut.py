"""Stage ``cut``: takes, speech and music cues -> the episode's timeline and mixed sound.

Lines are placed on the timeline on their own, not inside shots, so a line can run on over
the next shot (an L-cut onto a listener's reaction). Subtitles follow the voice: a long line
is split at natural breaks into short chunks, each appearing when its first word is spoken
and leaving when the next chunk starts (the last one shortly after the voice stops, never
past the start of the next line). The mix puts dialogue first, ducks the
music under speech, normalises loudness and limits true peaks.
"""

from __future__ import annotations

import contextlib
import re
from pathlib import Path

from pydantic import Field

from yingxi.errors import RenderError
from yingxi.media.mixstream import DEFAULT_BLOCK, Clip, Settled, StreamMixer, Tracks, open_clip
from yingxi.schema.artifacts import BlobRef, Cue, Effects
from yingxi.schema.base import Schema
from yingxi.schema.production import AudioConfig
from yingxi.schema.shots import TransitionKind
from yingxi.schema.speech import Speech
from yingxi.schema.timeline import SubtitleEvent, Timeline, VideoClip
from yingxi.stages.base import Stage, StageContext
from yingxi.stages.music import CUE_LOUDNESS

SAMPLE_RATE = 48000
SUBTITLE_HOLD = 0.35          # seconds a last chunk stays after the voice stops
MAX_CHARS_CJK = 16
MAX_CHARS_LATIN = 64
_BREAK_AFTER = "，。！？；：、,.!?;:…"
_DROP_TRAILING = "，。、；：,;:"


class CutShot(Schema):
    """A shot as the editor sees it."""

    shot_id: str
    frames: int = Field(ge=1)
    take: BlobRef
    transition_in: TransitionKind = "cut"
    transition_out: TransitionKind = "cut"


class CutLine(Schema):
    """A voiced line placed on the timeline, independent of the cuts (a line may run on over
    the next shot, as over a listener's reaction)."""

    start: int = Field(ge=0, description="frame where the line's audio starts")
    speech: Speech


class CutCue(Schema):
    """A music cue placed at a frame."""

    start: int = Field(ge=0)
    cue: Cue


class CutEffects(Schema):
    """A scene's effects track placed at a frame."""

    start: int = Field(ge=0)
    effects: Effects


class CutInput(Schema):
    """Everything the edit is made of."""

    title: str
    episode: str
    width: int
    height: int
    fps: int
    shots: list[CutShot] = Field(min_length=1)
    lines: list[CutLine] = Field(default_factory=list, description="in timeline order")
    cues: list[CutCue] = Field(default_factory=list)
    effects: list[CutEffects] = Field(default_factory=list)
    audio: AudioConfig


class CutStage(Stage[CutInput, Timeline]):
    """Assemble the episode."""

    name = "cut"
    version = "6"
    input_type = CutInput
    output_type = Timeline
    pooled = True

    def label(self, inp: CutInput) -> str:
        return inp.episode

    def compute(self, inp: CutInput, ctx: StageContext) -> Timeline:
        clips, start = [], 0
        for shot in inp.shots:
            clips.append(VideoClip(shot_id=shot.shot_id, take=shot.take, start=start,
                                   frames=shot.frames, transition_in=shot.transition_in,
                                   transition_out=shot.transition_out))
            start += shot.frames
        total = start
        subtitles = subtitle_events(inp.lines, inp.fps, total)
        with contextlib.ExitStack() as files:
            # the mix and its stems go straight to work files, a block at a time
            mix_path = files.enter_context(ctx.temp_path(".wav"))
            stem_paths = {name: files.enter_context(ctx.temp_path(".wav"))
                          for name in ("dialogue", "music", "effects")}
            mix(inp, total, ctx, mix_path, stem_paths)
            ref = ctx.put_file(mix_path, "audio/wav")
            stems = {name: ctx.put_file(path, "audio/wav")
                     for name, path in stem_paths.items()}
        return Timeline(title=inp.title, episode=inp.episode, width=inp.width,
                        height=inp.height, fps=inp.fps, frames=total, clips=clips,
                        subtitles=subtitles, audio=ref, stems=stems, sample_rate=SAMPLE_RATE)


def subtitle_events(lines: list[CutLine], fps: int, total: int) -> list[SubtitleEvent]:
    """Subtitles for every voiced line, timed to its words; a line's last chunk leaves before
    the next line starts and before the episode ends."""
    events: list[SubtitleEvent] = []
    ordered = sorted(lines, key=lambda line: line.start)
    for i, line in enumerate(ordered):
        limit_frame = ordered[i + 1].start if i + 1 < len(ordered) else total
        events.extend(_line_events(line.speech, line.start / fps, limit_frame / fps))
    return events


def _line_events(speech: Speech, base: float, until: float) -> list[SubtitleEvent]:
    voiced_start, voiced_end = speech.voiced_span()
    chunks = split_subtitle(speech.text)
    starts = []
    for i, (first, _, _) in enumerate(chunks):
        if i == 0:
            starts.append(voiced_start)
            continue
        # the first word at or after the chunk's first character: never ahead of the voice
        word = next((w for w in speech.words if w.char_start >= first), None)
        starts.append(max(starts[-1], word.start if word else voiced_end))
    events = []
    for i, (_, _, text) in enumerate(chunks):
        end = starts[i + 1] if i + 1 < len(chunks) else voiced_end + SUBTITLE_HOLD
        end_abs = min(base + end, until)
        start_abs = base + starts[i]
        if end_abs - start_abs > 0.05:
            events.append(SubtitleEvent(start=round(start_abs, 3), end=round(end_abs, 3),
                                        text=text))
    return events


def split_subtitle(text: str) -> list[tuple[int, int, str]]:
    """Chunks ``(char_start, char_end, display_text)`` short enough for a 9:16 frame, split
    after punctuation where possible and never inside a word."""
    flat = " ".join(text.split())
    cjk = len(re.findall(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]", flat)) > len(flat) / 3
    limit_chars = MAX_CHARS_CJK if cjk else MAX_CHARS_LATIN
    chunks: list[tuple[int, int]] = []
    start = 0
    while start < len(flat):
        end = len(flat)
        if end - start > limit_chars:
            window = flat[start:start + limit_chars + 1]
            cut = max((i + 1 for i, ch in enumerate(window[:-1]) if ch in _BREAK_AFTER),
                      default=0)
            if cut < limit_chars // 3:  # no punctuation early enough: break at a space
                space = window.rfind(" ")
                cut = space + 1 if space > 0 and not cjk else (cut or limit_chars)
            end = start + cut
        chunks.append((start, end))
        start = end
        while start < len(flat) and flat[start] == " ":
            start += 1
    out: list[tuple[int, int, str]] = []
    for first, last in chunks:
        if out:  # punctuation that opens a chunk belongs at the end of the one before
            while first < last and flat[first] in _DROP_TRAILING + " ":
                first += 1
            out[-1] = (out[-1][0], first, out[-1][2])
        display = flat[first:last].strip().rstrip(_DROP_TRAILING).strip()
        if display:
            out.append((first, last, display))
        elif out:
            out[-1] = (out[-1][0], last, out[-1][2])
    if not out:  # nothing but punctuation: show (the start of) it as it is
        return [(0, len(flat), flat[:limit_chars])]
    out[0] = (0, out[0][1], out[0][2])  # a chunk of punctuation alone joins the next
    return out


def mix(inp: CutInput, total_frames: int, ctx: StageContext, mix_path: Path,
        stem_paths: dict[str, Path], block: int = DEFAULT_BLOCK) -> Settled:
    """Dialogue over ducked music and effects, loudness-normalised and peak-limited, (2, n)
    at 48 kHz, written to ``mix_path`` and the stems to ``stem_paths``; every clip joins its
    track with short fades (see :mod:`yingxi.media.mixstream`). Streamed in blocks of
    ``block`` samples: the memory it takes does not grow with the episode."""
    n = total_frames * SAMPLE_RATE // inp.fps
    levels = {bed.effects.loudness for bed in inp.effects}
    if len(levels) > 1:
        raise RenderError(f"effects tracks made at different levels {sorted(levels)} LUFS",
                          hint="one foley backend per production")
    tracks = Tracks(
        dialogue=[_clip(ctx, line.speech.audio, line.start * SAMPLE_RATE // inp.fps,
                        f"the line {line.speech.text[:20]!r}") for line in inp.lines],
        music=[_clip(ctx, placed.cue.audio, placed.start * SAMPLE_RATE // inp.fps,
                     "a music cue") for placed in inp.cues],
        effects=[_clip(ctx, bed.effects.audio, bed.start * SAMPLE_RATE // inp.fps,
                       "an effects track") for bed in inp.effects],
        samples=n, rate=SAMPLE_RATE)
    mixer = StreamMixer(tracks, inp.audio, music_loudness=CUE_LOUDNESS,
                        effects_loudness=levels.pop() if levels else CUE_LOUDNESS,
                        block=block)
    return mixer.run(mix_path, stem_paths)


def _clip(ctx: StageContext, ref: BlobRef, at: int, what: str) -> Clip:
    try:
        return open_clip(ctx.path(ref), at, SAMPLE_RATE)
    except ValueError as exc:
        raise RenderError(f"{what} {exc}") from exc
