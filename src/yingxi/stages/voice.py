"""Stage ``voice``: one dialogue line -> speech audio (48 kHz mono WAV) with phone and word
timings.

The parenthetical shapes the delivery (whispering is quieter and slower, shouting louder,
faster and higher...) before the speaker backend is called.
"""

from __future__ import annotations

import re

import numpy as np
from pydantic import Field

from yingxi.backends.protocols import Delivery, Speaker, SpeechRequest
from yingxi.media.audio import encode_wav, resample
from yingxi.schema.base import Schema
from yingxi.schema.bible import VoiceSpec
from yingxi.schema.speech import Phone, Speech
from yingxi.stages.base import Stage, StageContext

SAMPLE_RATE = 48000
_PEAK = 0.89  # -1 dBFS: headroom for the mix

# parenthetical keyword -> delivery (volume, rate, pitch offset)
_DELIVERIES: tuple[tuple[tuple[str, ...], Delivery], ...] = (
    (("whisper", "softly", "quietly", "低声", "轻声", "耳语", "小声"),
     Delivery(volume=0.55, rate=0.88, pitch=-6)),
    (("shout", "yell", "scream", "喊", "吼", "大声", "怒"),
     Delivery(volume=1.0, rate=1.12, pitch=12)),
    (("cry", "crying", "sob", "tearful", "哭", "哽咽", "抽泣"),
     Delivery(volume=0.8, rate=0.85, pitch=6)),
    (("sad", "sigh", "叹", "难过", "低落"), Delivery(volume=0.8, rate=0.9, pitch=-8)),
    (("laugh", "smil", "happy", "excited", "笑", "高兴", "兴奋"),
     Delivery(volume=1.0, rate=1.06, pitch=8)),
    (("hesitant", "nervous", "犹豫", "迟疑", "紧张"), Delivery(volume=0.85, rate=0.9, pitch=0)),
)


def delivery_for(parenthetical: str | None) -> Delivery:
    """How a parenthetical changes the delivery of its line (neutral when none matches)."""
    if parenthetical:
        lowered = parenthetical.casefold()
        for words, delivery in _DELIVERIES:
            if any(w in lowered for w in words):
                return delivery
    return Delivery()


def speakable(text: str) -> str:
    """The words to say: inline stage directions in brackets removed, lines joined."""
    text = re.sub(r"[(（][^)）]*[)）]", " ", text)
    return " ".join(text.split())


class VoiceInput(Schema):
    """One line to voice, with its delivery (from the parenthetical, see :func:`delivery_for`;
    two parentheticals that mean the same delivery share the cached speech)."""

    text: str = Field(min_length=1)
    language: str
    voice: VoiceSpec
    delivery: Delivery = Field(default_factory=Delivery)
    backend: str = Field(description="speaker backend: the voice's engine or the default")


class VoiceStage(Stage[VoiceInput, Speech]):
    """A line of dialogue -> :class:`Speech`."""

    name = "voice"
    version = "2"  # 2: resampled by libswresample
    input_type = VoiceInput
    output_type = Speech
    pooled = True
    role = "speaker"

    def label(self, inp: VoiceInput) -> str:
        return inp.text[:24]

    def compute(self, inp: VoiceInput, ctx: StageContext) -> Speech:
        speaker: Speaker = ctx.backend
        text = speakable(inp.text) or inp.text
        result = speaker.speak(SpeechRequest(text=text, language=inp.language, voice=inp.voice,
                                             delivery=inp.delivery))
        audio = resample(result.samples[np.newaxis, :], result.sample_rate, SAMPLE_RATE)
        peak = float(np.max(np.abs(audio))) if audio.size else 0.0
        if peak > _PEAK:
            audio = (audio * (_PEAK / peak)).astype(np.float32)
        ref = ctx.put_bytes(encode_wav(audio, SAMPLE_RATE), "audio/wav")
        duration = audio.shape[1] / SAMPLE_RATE
        return Speech(
            text=text, language=inp.language, voice=result.voice, audio=ref,
            sample_rate=SAMPLE_RATE, num_samples=int(audio.shape[1]),
            phones=[_clamp(p, duration) for p in result.phones],
            words=[w.replace(start=min(w.start, duration), end=min(w.end, duration))
                   for w in result.words],
        )


def _clamp(phone: Phone, duration: float) -> Phone:
    return phone.replace(start=min(phone.start, duration), end=min(phone.end, duration))
