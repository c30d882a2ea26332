"""Layout export: each shot's ShotLayout as JSON and, on request, its control passes as files.

An AI picture backend outside yingxi (a ComfyUI graph, a diffusers script) gets what the
embedded painter draws, frame by frame, in the formats ControlNet tools read::

    OUT/EPISODE/SHOT/layout.json                 the ShotLayout (canonical, schema-tagged)
    OUT/EPISODE/SHOT/legend.json                 mask ids -> characters, size, fps, depth formula
    OUT/EPISODE/SHOT/depth/000000.png            8-bit grey, near = bright
    OUT/EPISODE/SHOT/mask/000000.png             8-bit, pixel = mask id (0: no one)
    OUT/EPISODE/SHOT/pose/000000.png             OpenPose body drawing, RGB on black
    OUT/EPISODE/SHOT/pose/000000_keypoints.json  OpenPose JSON (person_id = mask id)

File numbers are frame numbers (with ``every`` > 1 some are skipped). See
:mod:`yingxi.backends.embedded.painter.passes` for what each pass holds.
"""

from __future__ import annotations

import json
import re
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt
import skia

from yingxi.backends.embedded.painter.passes import (
    DEPTH_FORMULA,
    OPENPOSE_LIMBS,
    actor_nearness,
    control_passes,
    depth_grey,
    openpose_json,
    pose_image,
)
from yingxi.backends.embedded.painter.pose import OPENPOSE_18
from yingxi.errors import ConfigError
from yingxi.schema.layout import ShotLayout

if TYPE_CHECKING:
    from yingxi.backends.registry import Registry
    from yingxi.pipeline.events import Event, EventSink

__all__ = ["LEGEND_SCHEMA", "LayoutExport", "PassesResult", "export_layouts", "write_passes"]

LEGEND_SCHEMA = "yingxi.ControlPasses/1"
PASS_FOLDERS = ("depth", "mask", "pose")
_FRAME_FILE = re.compile(r"\d{6}(_keypoints\.json|\.png)")


@dataclass(frozen=True)
class PassesResult:
    """The control passes of one shot on disk."""

    folder: Path
    frames: tuple[int, ...]      # the frame numbers written
    legend: Path
    characters: tuple[str, ...]  # mask id i + 1 is characters[i]


@dataclass(frozen=True)
class LayoutExport:
    """One shot's exported layout (and passes, if asked for)."""

    episode: str
    shot: str
    folder: Path
    layout: Path
    passes: PassesResult | None


def write_passes(layout: ShotLayout, folder: Path | str, *, every: int = 1,
                 on_frame: Callable[[int, int], None] | None = None) -> PassesResult:
    """Write the depth, mask and pose passes of every ``every``-th frame into ``folder``.

    Frames are computed and written one at a time (memory stays flat for long shots); frame
    files left by an earlier export are removed first, and ``legend.json`` is written last,
    so a folder with a legend is complete. ``on_frame(done, total)`` reports progress.
    """
    if every < 1:
        raise ValueError(f"every must be at least 1, not {every}")
    root = Path(folder)
    for name in PASS_FOLDERS:
        sub = root / name
        sub.mkdir(parents=True, exist_ok=True)
        for old in sub.iterdir():
            if old.is_file() and _FRAME_FILE.fullmatch(old.name):
                old.unlink()
    total = len(range(0, layout.frames, every))
    written: list[int] = []
    w, h = layout.width, layout.height
    for passes in control_passes(layout, every=every):
        stem = f"{passes.frame:06d}"
        _write_atomic(root / "depth" / f"{stem}.png", _png_gray(passes.depth))
        _write_atomic(root / "mask" / f"{stem}.png", _png_gray(passes.mask))
        _write_atomic(root / "pose" / f"{stem}.png", _png_rgb(pose_image(passes.pose, w, h)))
        keypoints = openpose_json(passes.pose, w, h)
        _write_atomic(root / "pose" / f"{stem}_keypoints.json",
                      json.dumps(keypoints, separators=(",", ":")).encode("utf-8"))
        written.append(passes.frame)
        if on_frame is not None:
            on_frame(len(written), total)
    characters = tuple(a.character for a in layout.actors)
    legend = root / "legend.json"
    _write_atomic(legend, json.dumps(_legend(layout, every, written), ensure_ascii=False,
                                     indent=1).encode("utf-8"))
    return PassesResult(folder=root, frames=tuple(written), legend=legend,
                        characters=characters)


def _legend(layout: ShotLayout, every: int, written: Sequence[int]) -> dict[str, Any]:
    return {
        "schema": LEGEND_SCHEMA,
        "width": layout.width, "height": layout.height, "fps": layout.fps,
        "frames": layout.frames, "every": every, "written": len(written),
        "characters": {str(i + 1): a.character for i, a in enumerate(layout.actors)},
        "planes": {str(i + 1): a.plane for i, a in enumerate(layout.actors)},
        "files": {"depth": "depth/{frame:06d}.png", "mask": "mask/{frame:06d}.png",
                  "pose": "pose/{frame:06d}.png",
                  "keypoints": "pose/{frame:06d}_keypoints.json"},
        "depth": {"near": 255, "far": 0, "formula": DEPTH_FORMULA,
                  "actors": {str(i + 1): depth_grey(actor_nearness(layout, i))
                             for i in range(len(layout.actors))}},
        "mask": {"none": 0, "coverage_threshold": 0.5,
                 "order": "main-plane actors in list order, then the foreground; nearer wins"},
        "pose": {"format": "OpenPose BODY_18 (COCO-18), pixels, c = 1 shown, "
                           "c = 0 outside the frame (x, y kept) or hidden (x = y = 0)",
                 "keypoints": list(OPENPOSE_18),
                 "limbs": [list(pair) for pair in OPENPOSE_LIMBS]},
    }


def export_layouts(
    production: Path | str,
    episodes: Sequence[str] | None = None,
    *,
    out: Path | str | None = None,
    shots: Sequence[str] | None = None,
    passes: bool = False,
    every: int = 1,
    preview: bool = False,
    sink: EventSink | None = None,
    registry: Registry | None = None,
) -> list[LayoutExport]:
    """Plan and block ``episodes`` (default: all) and write each shot's ``layout.json`` (and,
    with ``passes``, its control passes) into ``out/EPISODE/SHOT/`` (default
    ``PRODUCTION/out/layout``). ``shots`` limits the export to those shot ids; an unknown id
    is an error before anything is written. ``preview`` exports at a quarter of the size.
    """
    from yingxi.api import PREVIEW_SCALE, _open, _writable_folder
    from yingxi.pipeline.events import StageQueued, TaskFinished, TaskProgress, TaskStarted

    if every < 1:
        raise ConfigError(f"every must be at least 1, not {every}")
    root = Path(production)
    pipeline, names = _open(root, episodes, sink, registry, PREVIEW_SCALE if preview else 1)
    blocked = [(name, pipeline.block(name)) for name in names]
    wanted = set(shots or ())
    found = {shot.id for _, b in blocked for shot in b.shots.shots}
    if missing := sorted(wanted - found):
        known = ", ".join(sorted(found)) or "none"
        plan = blocked[0][1].plan_file if len(blocked) == 1 else root / "shots"
        raise ConfigError(f"no shot {', '.join(repr(m) for m in missing)} in "
                          f"episode {', '.join(names)}", file=plan,
                          hint=f"shots found: {known}")
    out_dir = _writable_folder(Path(out) if out is not None else root / "out" / "layout",
                               "output folder", "choose another output folder with --out")
    todo = [(name, shot.id, layout) for name, b in blocked
            for shot, layout in zip(b.shots.shots, b.layouts, strict=True)
            if not wanted or shot.id in wanted]

    def emit(event: Event) -> None:
        if sink is not None:
            sink(event)

    if passes:
        emit(StageQueued("passes", len(todo)))
    results = []
    for name, shot_id, layout in todo:
        folder = out_dir / name / shot_id
        folder.mkdir(parents=True, exist_ok=True)
        layout_file = folder / "layout.json"
        _write_atomic(layout_file, layout.to_json_bytes())
        written = None
        if passes:
            key, label = f"{name}/{shot_id}", f"{name} {shot_id}"
            emit(TaskStarted("passes", key, label))
            wall, cpu = time.perf_counter(), time.process_time()

            def report(done: int, total: int, key: str = key) -> None:
                emit(TaskProgress("passes", key, done, total))
            written = write_passes(layout, folder, every=every, on_frame=report)
            emit(TaskFinished("passes", key, label, False, time.perf_counter() - wall,
                              time.process_time() - cpu))
        results.append(LayoutExport(episode=name, shot=shot_id, folder=folder,
                                    layout=layout_file, passes=written))
    return results


def _png_gray(image: npt.NDArray[np.uint8]) -> bytes:
    """An 8-bit greyscale PNG of a (height, width) array."""
    data = skia.Image.fromarray(np.ascontiguousarray(image),
                                colorType=skia.kGray_8_ColorType).encodeToData(skia.kPNG, 100)
    return bytes(data)


def _png_rgb(image: npt.NDArray[np.uint8]) -> bytes:
    """A PNG of a (height, width, 3) RGB array (stored opaque)."""
    h, w = image.shape[:2]
    rgba = np.empty((h, w, 4), dtype=np.uint8)
    rgba[..., :3] = image
    rgba[..., 3] = 255
    data = skia.Image.fromarray(rgba, colorType=skia.kRGBA_8888_ColorType,
                                alphaType=skia.kOpaque_AlphaType).encodeToData(skia.kPNG, 100)
    return bytes(data)


def _write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` beside ``path`` and rename it into place (never a partial file)."""
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    try:
        with tmp.open("xb") as dst:
            dst.write(data)
        tmp.replace(path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
