"""Benchmark: render the bundled example cold, then again unchanged, against x264 alone.

Prints per-stage wall time of the cold render, the cached/cold wall-time ratio (the issue's
goal is < 0.2), the episode's real-time factor, and a reference measured in the same run:
how fast PyAV/libx264 encodes the same number of frames of the same size with the master's
settings and nothing else to do (frames decoded from the master beforehand, in memory).

    .venv/bin/python bench/pipeline.py [--preview] [--example paper-lantern]

The last line is ``RESULT key=value ...``.
"""

from __future__ import annotations

import argparse
import json
import shutil
import tempfile
import time
from pathlib import Path

import numpy as np

import yingxi
from yingxi.media.encode import MASTER_SETTINGS, VideoWriter, read_frames

ROOT = Path(__file__).resolve().parents[1]
REFERENCE_FRAMES = 240


def encode_only_fps(master: Path, work: Path) -> float:
    """Frames per second of the master's x264 settings on frames already in memory."""
    frames = []
    for frame in read_frames(master):
        frames.append(frame)
        if len(frames) == REFERENCE_FRAMES:
            break
    height, width = frames[0].shape[:2]
    started = time.perf_counter()
    with VideoWriter(work / "reference.mp4", width, height, 24, MASTER_SETTINGS) as writer:
        for frame in frames:
            writer.write_frame(np.array(frame))
    return len(frames) / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--example", default="paper-lantern")
    parser.add_argument("--preview", action="store_true", help="quarter size")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        production = work / args.example
        shutil.copytree(ROOT / "examples" / args.example, production,
                        ignore=shutil.ignore_patterns(".yingxi", "out"))
        started = time.perf_counter()
        [cold] = yingxi.render(production, ["ep01"], preview=args.preview)
        cold_s = time.perf_counter() - started
        report = json.loads(cold.report.read_text(encoding="utf-8"))
        started = time.perf_counter()
        yingxi.render(production, ["ep01"], preview=args.preview)
        warm_s = time.perf_counter() - started
        for stage, s in report["stages"].items():
            print(f"{stage:>8}: {s['wall_seconds']:7.2f} s wall, {s['cpu_seconds']:7.2f} s cpu")
        frames = cold.master.frames
        pipeline_fps = frames / cold_s
        reference_fps = encode_only_fps(cold.video, work)
        size = f"{report['format']['width']}x{report['format']['height']}"
        print(f"episode {cold.master.duration:.1f} s ({frames} frames, {size}); "
              f"cold {cold_s:.1f} s, cached {warm_s:.2f} s; x264 alone {reference_fps:.1f} fps")
        print(f"RESULT size={size} cold_s={cold_s:.2f} warm_s={warm_s:.3f} "
              f"warm_ratio={warm_s / cold_s:.4f} rtf={cold.master.duration / cold_s:.3f} "
              f"pipeline_fps={pipeline_fps:.1f} encode_only_fps={reference_fps:.1f} "
              f"pipeline_vs_encode={pipeline_fps / reference_fps:.3f}")


if __name__ == "__main__":
    main()
