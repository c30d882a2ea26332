"""Offline speech through libespeak-ng 1.52 (from the ``espeakng-loader`` wheel), with timings.

espeak-ng reports a phoneme event (IPA, sample position) and a word event (text position) as
it synthesises; those become the phone track that drives mouths and the word track that
times subtitles. Mandarin uses the ``cmn`` voice (1.52 reads Hanzi; Debian's 1.51 does not),
English ``en-us``. Distinct characters come from voice variants (``+f2``, ``+m3``...), pitch
and rate in the bible.

Each line is spoken in a fresh worker process (:mod:`espeak_worker`): libespeak-ng keeps
state between utterances, and only a fresh process gives the same samples for the same line.
"""

from __future__ import annotations

import difflib
import functools
import json
import logging
import subprocess
import sys
import zlib
from pathlib import Path
from typing import TypedDict

import numpy as np

from yingxi.backends.embedded.zh_text import Spoken, normalise_zh
from yingxi.backends.protocols import BackendInfo, SpeechAudio, SpeechRequest
from yingxi.errors import BackendUnavailable, RenderError
from yingxi.schema.speech import Phone, Word

log = logging.getLogger(__name__)

_DEFAULT_VOICE = {"zh": "cmn", "en": "en-us"}
# run as a plain script (-S: no site-packages; -E: no PYTHON* variables): it needs only the
# standard library, so it starts in milliseconds instead of importing yingxi
_WORKER = Path(__file__).with_name("espeak_worker.py")
_TIMEOUT = 120.0


class EspeakSpeaker:
    """The embedded speaker: espeak-ng 1.52, Mandarin and English, phone and word timings."""

    info = BackendInfo(role="speaker", name="espeak", version="2", model="espeak-ng-1.52")

    def speak(self, request: SpeechRequest) -> SpeechAudio:
        """Synthesise one line; return mono float32 audio with phones and words."""
        voice = _voice_name(request)
        text = " ".join(request.text.split())
        spoken = _spoken(text, voice)
        spec, delivery = request.voice, request.delivery
        paths = _library_paths()
        _check_voice(Path(paths["data"]), voice)
        header, pcm = _run_worker({
            **paths,
            "voice": voice,
            "text": spoken.text,
            "rate": round(spec.rate * delivery.rate),
            "pitch": max(0, min(100, spec.pitch + delivery.pitch)),
            "range": 50,
            "seed": zlib.crc32(text.encode("utf-8")) & 0x7FFFFFFF,
        })
        if "error" in header:
            raise RenderError(header["error"])
        samples = np.frombuffer(pcm, dtype="<i2").astype(np.float32) / 32768.0
        if header["status"] != 0 or samples.size == 0:
            raise RenderError(f"espeak-ng could not speak {text[:30]!r} "
                              f"(status {header['status']})")
        samples = np.clip(samples * delivery.volume, -1.0, 1.0).astype(np.float32)
        rate = int(header["rate"])
        return SpeechAudio(
            samples=samples, sample_rate=rate,
            phones=_phones([(int(s), str(p)) for s, p in header["phones"]], samples.size, rate),
            words=_words([(int(s), int(p), int(n)) for s, p, n in header["words"]], spoken,
                         samples.size, rate),
            voice=voice)


class _Header(TypedDict, total=False):
    """The worker's reply: sample rate, status, events; or an error."""

    rate: int
    status: int
    phones: list[tuple[int, str]]
    words: list[tuple[int, int, int]]
    error: str


def _library_paths() -> dict[str, str]:
    try:
        import espeakng_loader
    except ImportError as exc:
        raise BackendUnavailable(
            "the espeak speaker needs the espeakng-loader package",
            hint="pip install espeakng-loader (make demo installs it)") from exc
    return {"library": str(espeakng_loader.get_library_path()),
            "data": str(espeakng_loader.get_data_path())}


def _run_worker(request: dict[str, object]) -> tuple[_Header, bytes]:
    try:
        done = subprocess.run([sys.executable, "-S", "-E", str(_WORKER)],
                              input=json.dumps(request).encode("utf-8"),
                              capture_output=True, timeout=_TIMEOUT, check=False)
    except subprocess.TimeoutExpired as exc:
        raise RenderError(f"espeak-ng took over {_TIMEOUT:.0f} s for one line") from exc
    if done.returncode != 0 or b"\n" not in done.stdout:
        detail = done.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or ["?"]
        raise RenderError(f"the espeak worker failed (exit {done.returncode}): {detail[0]}")
    head, _, pcm = done.stdout.partition(b"\n")
    header: _Header = json.loads(head)
    return header, pcm


def _check_voice(data: Path, voice: str) -> None:
    """espeak-ng silently falls back on an unknown voice or variant, so two characters could
    end up sounding the same: refuse names that are not in its data instead."""
    base, _, variant = voice.partition("+")
    languages, variants = _voice_names(data)
    if base.casefold() not in languages:
        close = difflib.get_close_matches(base.casefold(), sorted(languages), n=3)
        raise RenderError(f"espeak-ng has no voice {base!r}",
                          hint="set voice.voice in bible.yaml to one of "
                               f"{close or ['cmn', 'en-us']}")
    if variant and variant not in variants:
        close = difflib.get_close_matches(variant, sorted(variants), n=3)
        raise RenderError(f"espeak-ng has no voice variant {variant!r}",
                          hint=f"set voice.variant in bible.yaml to one of f1..f5, m1..m8 "
                               f"or {close}")


@functools.cache
def _voice_names(data: Path) -> tuple[frozenset[str], frozenset[str]]:
    """espeak-ng's language voices (case-folded) and variants, listed once per process."""
    languages = frozenset(p.name.casefold() for p in (data / "lang").rglob("*") if p.is_file())
    variants = frozenset(p.name for p in (data / "voices" / "!v").iterdir())
    return languages, variants


def _voice_name(request: SpeechRequest) -> str:
    spec = request.voice
    base = spec.voice or _DEFAULT_VOICE.get(request.language, "en-us")
    return f"{base}+{spec.variant}" if spec.variant else base


def _phones(events: list[tuple[int, str]], total: int, rate: int) -> list[Phone]:
    """Phone spans: each event lasts until the next one (the last until the audio ends).

    espeak marks pauses with empty symbols; events at the same sample collapse to the last
    one so no phone has zero length.
    """
    points = sorted(events, key=lambda e: e[0])
    spans: list[Phone] = []
    for i, (sample, ipa) in enumerate(points):
        end = points[i + 1][0] if i + 1 < len(points) else total
        if end <= sample:
            continue
        symbol = ipa.replace("ˈ", "").replace("ˌ", "").strip()
        spans.append(Phone(start=sample / rate, end=end / rate, symbol=symbol))
    return spans


def _spoken(text: str, voice: str) -> Spoken:
    """What espeak is given: Mandarin normalised (numbers, pauses, polyphones), other
    languages as they are."""
    if voice.partition("+")[0].casefold() == "cmn":
        return normalise_zh(text)
    return Spoken.verbatim(text)


def _words(events: list[tuple[int, int, int]], spoken: Spoken, total: int,
           rate: int) -> list[Word]:
    """Word spans in time and in the source text (espeak's text positions count from 1 and
    point into the spoken text)."""
    out: list[Word] = []
    ordered = sorted(events)
    for i, (sample, pos, length) in enumerate(ordered):
        end = ordered[i + 1][0] if i + 1 < len(ordered) else total
        if end <= sample or pos - 1 >= len(spoken.text):
            continue
        start_char, end_char = spoken.source_span(max(0, pos - 1), max(0, pos - 1) + max(1, length))
        out.append(Word(start=sample / rate, end=end / rate,
                        text=spoken.source[start_char:end_char],
                        char_start=start_char, char_end=end_char))
    return out
