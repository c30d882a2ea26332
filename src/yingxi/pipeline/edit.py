"""The edit: where every shot and every line falls on the episode's timeline, and when each
subtitle shows.

It is pure and cheap, so it is worked out in memory on every render instead of being stored
as a task; the picture (one segment per clip) and the sound (the mix) are then made from it
independently, side by side. Subtitles follow the voice: a long line is split at natural
breaks into short chunks, each appearing when its first word is spoken and leaving when the
next chunk starts (the last one shortly after the voice stops, never past the start of the
next line).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from yingxi.schema.artifacts import Take
from yingxi.schema.shots import Shot
from yingxi.schema.speech import Speech
from yingxi.schema.timeline import Edit, SubtitleEvent, VideoClip
from yingxi.stages.mix import PlacedLine

SUBTITLE_HOLD = 0.35          # seconds a last chunk stays after the voice stops
MAX_CHARS_CJK = 16
MAX_CHARS_LATIN = 64
_BREAK_AFTER = "，。！？；：、,.!?;:…"
_DROP_TRAILING = "，。、；：,;:"


def make_edit(*, title: str, episode: str, width: int, height: int, fps: int,
              shots: Sequence[Shot], takes: Sequence[Take], lines: list[PlacedLine]) -> Edit:
    """The edit of ``shots`` (one take each, in order) with subtitles for ``lines``."""
    clips, start = [], 0
    for shot, take in zip(shots, takes, strict=True):
        clips.append(VideoClip(shot_id=shot.id, take=take.video, start=start,
                               frames=shot.frames, transition_in=shot.transition_in,
                               transition_out=shot.transition_out))
        start += shot.frames
    return Edit(title=title, episode=episode, width=width, height=height, fps=fps,
                frames=start, clips=clips, subtitles=subtitle_events(lines, fps, start))


def subtitle_events(lines: list[PlacedLine], fps: int, total: int) -> list[SubtitleEvent]:
    """Subtitles for every voiced line, timed to its words; a line's last chunk leaves before
    the next line starts and before the episode ends."""
    events: list[SubtitleEvent] = []
    ordered = sorted(lines, key=lambda line: line.start)
    for line, (start, until) in zip(ordered, line_spans([line.start for line in ordered], total),
                                    strict=True):
        events.extend(line_events(line.speech, start, until, fps))
    return events


def line_spans(starts: list[int], total: int) -> list[tuple[int, int]]:
    """For lines starting at the frames ``starts`` (in order) of an episode ``total`` frames
    long: the frames ``[start, until)`` each one's subtitles may show in (until the next line
    starts)."""
    return list(zip(starts, [*starts[1:], total], strict=False))


def line_events(speech: Speech, start: int, until: int, fps: int) -> list[SubtitleEvent]:
    """The subtitles of one line whose audio starts at frame ``start``, none showing at or
    after frame ``until``."""
    return _line_events(speech, start / fps, until / fps)


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
