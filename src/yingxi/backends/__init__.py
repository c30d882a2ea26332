"""Backends: one Protocol per capability, and their implementations (embedded and plug-ins)."""

from yingxi.backends.protocols import (
    BackendInfo,
    Composer,
    CueAudio,
    CueRequest,
    Delivery,
    LineTiming,
    Painter,
    Planner,
    PlanRequest,
    Speaker,
    SpeechAudio,
    SpeechRequest,
)
from yingxi.backends.registry import Registry

__all__ = [
    "BackendInfo",
    "Composer",
    "CueAudio",
    "CueRequest",
    "Delivery",
    "LineTiming",
    "Painter",
    "PlanRequest",
    "Planner",
    "Registry",
    "Speaker",
    "SpeechAudio",
    "SpeechRequest",
]
