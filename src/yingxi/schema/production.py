"""The production config (``yingxi.toml``): format, labels, backends, seed."""

from __future__ import annotations

import re
from typing import Literal

from pydantic import Field, field_validator, model_validator

from yingxi.schema.base import Schema

# GB 45438-2025 Annex E, Note 1: label values use printable ASCII without '"' and '\'.
_ANNEX_E_CHARS = re.compile(r"^[\x21\x23-\x5b\x5d-\x7e]*$")


class FormatConfig(Schema):
    """Frame size and rate of the delivered master."""

    width: int = Field(1080, ge=64, le=4096)
    height: int = Field(1920, ge=64, le=4096)
    fps: Literal[24, 25, 30] = 24

    @model_validator(mode="after")
    def _even(self) -> FormatConfig:
        if self.width % 2 or self.height % 2:
            raise ValueError("width and height must be even numbers (yuv420p needs it)")
        return self

    def scaled(self, factor: int) -> FormatConfig:
        """The same format at 1/``factor`` of the size (kept even), for previews and tests."""
        def even(v: int) -> int:
            return max(64, (v // factor) // 2 * 2)
        return self.replace(width=even(self.width), height=even(self.height))


class LabelConfig(Schema):
    """The AI-content labels (GB 45438-2025). They cannot be switched off."""

    text: str = "AI生成"
    corner: Literal["top-left", "top-right"] = "top-left"
    height_ratio: float = Field(0.06, ge=0.05, le=0.15,
                                description="glyph height / short side; the law needs >= 0.05")
    producer: str = Field("yingxi", min_length=1, max_length=64,
                          description="ContentProducer: provider code or ASCII name")

    @field_validator("text")
    @classmethod
    def _has_both_elements(cls, text: str) -> str:
        if not re.search(r"AI|人工智能", text) or not re.search(r"生成|合成", text):
            raise ValueError(
                "the visible label must contain 'AI' or '人工智能' and '生成' or '合成' "
                "(GB 45438-2025 §5.4), e.g. 'AI生成'"
            )
        return text

    @field_validator("producer")
    @classmethod
    def _ascii(cls, producer: str) -> str:
        if not _ANNEX_E_CHARS.match(producer):
            raise ValueError("producer must be printable ASCII without spaces, '\"' or '\\'")
        return producer


class BackendsConfig(Schema):
    """Which backend plays each role (names of ``yingxi.backends`` entry points)."""

    speaker: str = "espeak"
    painter: str = "embedded"
    composer: str = "embedded"
    planner: str = "embedded"
    foley: str = "embedded"


class AudioConfig(Schema):
    """Mix targets."""

    loudness_lufs: float = Field(-14.0, ge=-30, le=-9)
    true_peak_db: float = Field(-1.0, ge=-9, le=0)
    music_db: float = Field(-10.0, ge=-40, le=0,
                            description="music between lines, in dB against the dialogue")
    duck_db: float = Field(-12.0, ge=-30, le=0, description="music under speech, extra dB")
    effects_db: float = Field(-18.0, ge=-40, le=0,
                              description="ambience beds, in dB against the dialogue")
    soundfont: str | None = Field(
        None, description="a General MIDI .sf2 for the music; 'builtin' for the built-in "
                          "synth; unset: one found in the usual places, else the built-in")


class CostConfig(Schema):
    """``[cost]``: what a CPU hour costs, for the cost per finished minute in run reports."""

    cpu_hour_usd: float = Field(0.05, ge=0, le=100,
                                description="price of one CPU core for one hour, USD "
                                            "(cloud on-demand vCPUs are about 0.04-0.05)")
    industry_usd_per_minute: float = Field(27.0, ge=0,
                                           description="the figure a report compares with")


class ProductionConfig(Schema):
    """Everything in ``yingxi.toml``."""

    title: str = Field(min_length=1)
    language: Literal["zh", "en"] = "zh"
    seed: int = 0
    format: FormatConfig = Field(default_factory=FormatConfig)
    labels: LabelConfig = Field(default_factory=LabelConfig)
    backends: BackendsConfig = Field(default_factory=BackendsConfig)
    audio: AudioConfig = Field(default_factory=AudioConfig)
    cost: CostConfig = Field(default_factory=CostConfig)
