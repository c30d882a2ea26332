"""yingxi (影戏): a studio for AI short dramas, from a screenplay to a labeled vertical episode.

The public API::

    import yingxi
    results = yingxi.render("examples/paper-lantern")        # -> list[EpisodeResult]
    yingxi.plan("examples/paper-lantern")       # writes shots/ep01.yaml, the editable plan
    yingxi.storyboard("examples/paper-lantern")  # out/ep01-storyboard.png and .pdf
    yingxi.status("examples/paper-lantern")     # what a render would redo, and why
    yingxi.cache_gc("examples/paper-lantern")   # drop stored work no current plan uses
    production = yingxi.open_production("examples/paper-lantern")

Schema objects live in :mod:`yingxi.schema`, errors in :mod:`yingxi.errors`. Importing
``yingxi`` is cheap: the pipeline and its media libraries load on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from yingxi.errors import (
    BackendUnavailable,
    BibleError,
    ConfigError,
    EpisodesFailed,
    LabelError,
    RenderError,
    ScriptError,
    YingxiError,
)

if TYPE_CHECKING:
    from yingxi.api import (
        EpisodeResult,
        EpisodeStatus,
        GcResult,
        Production,
        StoryboardResult,
        VerifyResult,
        cache_gc,
        cache_verify,
        open_production,
        plan,
        render,
        status,
        storyboard,
    )

__version__ = "0.1.0"

__all__ = [
    "BackendUnavailable", "BibleError", "ConfigError", "EpisodeResult", "EpisodeStatus",
    "EpisodesFailed", "GcResult", "LabelError", "Production", "RenderError", "ScriptError",
    "StoryboardResult", "VerifyResult", "YingxiError", "__version__", "cache_gc",
    "cache_verify", "open_production", "plan", "render", "status", "storyboard",
]

_LAZY = {"render", "plan", "storyboard", "open_production", "EpisodeResult", "Production",
         "StoryboardResult", "status", "cache_gc", "cache_verify", "EpisodeStatus", "GcResult",
         "VerifyResult"}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        from yingxi import api

        return getattr(api, name)
    raise AttributeError(f"module 'yingxi' has no attribute {name!r}")
