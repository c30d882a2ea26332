"""Fonts that render Chinese: Noto Sans CJK SC from the ``noto-cjk-sans-otc`` wheel.

System copies (Debian's fonts-noto-cjk) are used when the wheel is absent.
"""

from __future__ import annotations

import functools
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from yingxi.errors import BackendUnavailable

log = logging.getLogger(__name__)

_FAMILY = "Noto Sans CJK SC"
_SYSTEM_CANDIDATES = (
    Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"),
    Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc"),
    Path("/usr/share/fonts/truetype/noto/NotoSansCJK-Regular.ttc"),
)


@dataclass(frozen=True)
class FontFace:
    """A face inside a font file (collections hold several)."""

    path: Path
    index: int
    family: str


@functools.cache
def cjk_face() -> FontFace:
    """The Simplified Chinese face of Noto Sans CJK; a clear error if none is installed."""
    for path in _candidates():
        face = _find_face(path, _FAMILY)
        if face is not None:
            log.debug("CJK font: %s #%d", face.path, face.index)
            return face
    raise BackendUnavailable(
        "no font that renders Chinese was found",
        hint="pip install noto-cjk-sans-otc (make demo installs it), "
             "or apt-get install fonts-noto-cjk")


@functools.cache
def _font_manager() -> Any:
    """A skia font manager that only loads the files it is given.

    skia's default manager starts fontconfig, whose bundled (older) copy warns about the
    system's newer config files on every run; we never ask fontconfig to find a font.
    """
    import skia

    return skia.FontMgr.New_Custom_Empty()


@functools.cache
def typeface(face: FontFace) -> Any:
    """The skia Typeface of ``face`` (loaded once per process)."""
    tf = _font_manager().makeFromFile(str(face.path), face.index)
    if tf is None:
        raise BackendUnavailable(f"cannot load font {face.path}")
    return tf


def _candidates() -> list[Path]:
    found: list[Path] = []
    try:
        import noto_cjk_sans_otc

        package_dir = Path(noto_cjk_sans_otc.__file__).parent
        found.extend(sorted(package_dir.glob("*.tt[cf]")) + sorted(package_dir.glob("*.otf")))
    except ImportError:
        pass
    found.extend(p for p in _SYSTEM_CANDIDATES if p.exists())
    return found


def _find_face(path: Path, family: str) -> FontFace | None:
    for index in range(16):
        tf = _font_manager().makeFromFile(str(path), index)
        if tf is None:
            break
        if tf.getFamilyName() == family:
            return FontFace(path=path, index=index, family=family)
    return None
