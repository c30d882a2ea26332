"""Benchmark: the embedded painter at delivery size, alone and streamed into the encoder.

On whole shots from the start of the example episode (up to ``--max-frames``), at the
production's full size and fps, it measures in this order (streaming first, so that its peak
RSS is not inflated by frames held in memory):

1. painter+encode: every frame painted and streamed into one VideoWriter, as the pipeline does;
2. painter only: the same shots painted, the frames kept in memory;
3. encode only: those very frames (as the painter gives them: opaque RGBA, which FFmpeg
   converts to yuv420p as cheaply as RGB), encoded with the same settings.

Then it streams a 5 s and a 60 s version of one shot, each in a fresh process, to show that
memory does not grow with a shot's length, and renders the whole episode end to end (cold, in
its own process) for its wall time and peak RSS.

    .venv/bin/python bench/render.py [--max-frames 360] [--repeat 1] [--preset veryfast]
                                     [--no-long-shot] [--no-episode]

The last line is ``RESULT ratio=... realtime=... peak_rss_mb=... key=value ...``; the issue's
goal is ratio >= 0.8 and realtime > 1 with libx264 veryfast on 2 cores. MB are MiB.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import math
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

import yingxi
from yingxi.backends.embedded.painter import EmbeddedPainter
from yingxi.backends.registry import Registry
from yingxi.media.encode import MASTER_SETTINGS, X264_THREADS, VideoSettings, VideoWriter
from yingxi.pipeline.episode import EpisodePipeline
from yingxi.pipeline.runner import Runner
from yingxi.pipeline.store import Store
from yingxi.schema.layout import ShotLayout
from yingxi.schema.shots import Shot
from yingxi.script.production_io import open_production

ROOT = Path(__file__).resolve().parents[1]
EPISODE = "ep01"
Frame = npt.NDArray[np.uint8]


@dataclasses.dataclass(frozen=True)
class Timing:
    """Frames done in one phase, its wall time and the CPU time of the whole process."""

    frames: int
    wall: float
    cpu: float

    @property
    def fps(self) -> float:
        """Frames per wall-clock second."""
        return self.frames / self.wall

    def line(self, name: str) -> str:
        """One report line; cpu/wall says how many cores the phase kept busy."""
        return (f"{name:>15}: {self.fps:6.1f} fps ({self.frames} frames, {self.wall:6.2f} s "
                f"wall, {self.cpu:6.2f} s cpu = {self.cpu / self.wall:.2f} cores busy)")


def status_mb(key: str) -> float:
    """A memory figure of this process from /proc/self/status (VmRSS, VmHWM), in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1]) / 1024
    raise KeyError(key)


def reset_peak() -> bool:
    """Reset VmHWM to the current RSS (Linux >= 4.0), so that a peak belongs to one phase
    and not to the voicing and layout done before it."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def load_average() -> str:
    """The 1, 5 and 15 minute load averages: a busy machine makes every figure noisy."""
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def copy_example(dest: Path) -> Path:
    """A fresh copy of the example production (no cache, no outputs): renders are cold."""
    shutil.copytree(ROOT / "examples" / "paper-lantern", dest,
                    ignore=shutil.ignore_patterns(".yingxi", "out"))
    return dest


def blocked_shots(root: Path) -> list[tuple[Shot, ShotLayout]]:
    """Every shot of the episode with its full-size layout (voices and blocking done)."""
    runner = Runner(Store(root / ".yingxi"), Registry(), None)
    blocking = EpisodePipeline(open_production(root), runner, scale=1).block(EPISODE)
    return list(zip(blocking.shots.shots, blocking.layouts, strict=True))


def paint_encode(layouts: list[ShotLayout], path: Path,
                 settings: VideoSettings) -> tuple[Timing, list[float]]:
    """Phase 1: paint the shots in sequence into one continuous file; wall time per shot."""
    first, painter, per_shot = layouts[0], EmbeddedPainter(), []
    wall, cpu = time.perf_counter(), time.process_time()
    with VideoWriter(path, first.width, first.height, first.fps, settings) as writer:
        for layout in layouts:
            started = time.perf_counter()
            for frame in painter.paint(layout):
                writer.write_frame(frame)
            per_shot.append(time.perf_counter() - started)
    return Timing(writer.frames, time.perf_counter() - wall, time.process_time() - cpu), per_shot


def paint_only(layouts: list[ShotLayout]) -> tuple[Timing, list[tuple[float, float]],
                                                   list[Frame]]:
    """Phase 2: paint the shots, keeping every frame for phase 3; per shot, the wall time to
    its first frame (the shot's setup shows there) and in all."""
    painter, per_shot = EmbeddedPainter(), []
    frames: list[Frame] = []
    wall, cpu = time.perf_counter(), time.process_time()
    for layout in layouts:
        started = time.perf_counter()
        shot = painter.paint(layout)
        frames.append(next(shot))
        first = time.perf_counter() - started
        frames.extend(shot)
        per_shot.append((first, time.perf_counter() - started))
    timing = Timing(len(frames), time.perf_counter() - wall, time.process_time() - cpu)
    return timing, per_shot, frames


def encode_only(frames: list[Frame], fps: int, path: Path, settings: VideoSettings) -> Timing:
    """Phase 3: encode frames already in memory, nothing else to do."""
    height, width = frames[0].shape[:2]
    wall, cpu = time.perf_counter(), time.process_time()
    with VideoWriter(path, width, height, fps, settings) as writer:
        for frame in frames:
            writer.write_frame(frame)
    return Timing(len(frames), time.perf_counter() - wall, time.process_time() - cpu)


def stretched(layout: ShotLayout, frames: int) -> ShotLayout:
    """``layout`` lasting ``frames``: mouth shapes and blinks repeated (or cut) to fit."""
    loops = math.ceil(frames / layout.frames)
    actors = [a.replace(visemes=(a.visemes * loops)[:frames],
                        blinks=[b + k * layout.frames for k in range(loops) for b in a.blinks
                                if b + k * layout.frames < frames])
              for a in layout.actors]
    return layout.replace(frames=frames, actors=actors)


def run_child(*args: str) -> dict[str, Any]:
    """Run this script with hidden ``args`` in a fresh process; its last stdout line (JSON).

    Children report their own VmHWM: their ru_maxrss (wait4, RUSAGE_CHILDREN) would not do,
    as Linux folds the parent's peak into it when the child calls exec.
    """
    sys.stdout.flush()  # keep our lines in order with the child's stderr
    done = subprocess.run([sys.executable, __file__, *args], stdout=subprocess.PIPE,
                          text=True, check=False)
    if done.returncode:
        raise SystemExit(f"child {' '.join(args)} failed with exit status {done.returncode}")
    result: dict[str, Any] = json.loads(done.stdout.splitlines()[-1])
    return result


def child_stream(layout_json: Path, out: Path, settings: VideoSettings) -> None:
    """Hidden mode: stream one shot through painter+encode; print RSS before and after."""
    layout = ShotLayout.from_json_bytes(layout_json.read_bytes())
    rss, hwm = status_mb("VmRSS"), status_mb("VmHWM")
    timing, _ = paint_encode([layout], out, settings)
    print(json.dumps({"fps": timing.fps, "rss_before": rss, "hwm_before": hwm,
                      "rss_after": status_mb("VmRSS"), "hwm_after": status_mb("VmHWM")}))


def child_episode(production: Path) -> None:
    """Hidden mode: render the episode end to end; print its wall time, length and peak."""
    started = time.perf_counter()
    [result] = yingxi.render(production, [EPISODE])
    print(json.dumps({"wall": time.perf_counter() - started, "frames": result.master.frames,
                      "duration": result.master.duration, "hwm": status_mb("VmHWM")}))


def median_timing(runs: Iterable[Timing]) -> Timing:
    """The run with the median fps, the lower one of an even count (a real run, so that
    its wall and cpu times belong together)."""
    ordered = sorted(runs, key=lambda t: t.fps)
    return ordered[(len(ordered) - 1) // 2]


def main() -> None:
    """Parse the arguments and run the benchmark (or a hidden child mode)."""
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--max-frames", type=int, default=360,
                        help="whole shots from the start up to this many frames (default 360)")
    parser.add_argument("--repeat", type=int, default=1, help="runs of phases 1-3 (median)")
    parser.add_argument("--preset", default=MASTER_SETTINGS.preset, help="x264 preset")
    parser.add_argument("--no-long-shot", dest="long_shot", action="store_false",
                        help="skip streaming one shot at 5 s and 60 s")
    parser.add_argument("--no-episode", dest="episode", action="store_false",
                        help="skip rendering the whole episode")
    parser.add_argument("--child-stream", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--child-out", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--child-episode", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    settings = dataclasses.replace(MASTER_SETTINGS, preset=args.preset)
    if args.child_stream:
        child_stream(args.child_stream, args.child_out, settings)
        return
    if args.child_episode:
        child_episode(args.child_episode)
        return

    cores, cpus = len(os.sched_getaffinity(0)), os.cpu_count()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        every = blocked_shots(copy_example(work / "blocked"))
        chosen: list[tuple[Shot, ShotLayout]] = []
        for shot, layout in every:  # whole shots, at least one
            if chosen and sum(lay.frames for _, lay in chosen) + layout.frames > args.max_frames:
                break
            chosen.append((shot, layout))
        layouts = [layout for _, layout in chosen]
        first = layouts[0]
        frames, fps = sum(layout.frames for layout in layouts), first.fps
        print(f"measured: {frames} frames = the first {len(chosen)} of {len(every)} shots of "
              f"{EPISODE} ({frames / fps:.1f} s), {first.width}x{first.height} at {fps} fps; "
              f"libx264 {settings.preset} crf {settings.crf} tune {settings.tune}, "
              f"{X264_THREADS} frame threads; cores: {cores} usable (sched_getaffinity), "
              f"{cpus} (cpu_count); repeat {args.repeat}; load average {load_average()}")

        streamed: list[Timing] = []
        painted: list[Timing] = []
        encoded: list[Timing] = []
        stream_shots: list[list[float]] = []
        paint_shots: list[list[tuple[float, float]]] = []
        # The first paint in a process pays one-off costs (lazy imports, skia start-up) that
        # would land on phase 1 alone; a still of each shot pays them here. Per-shot setup is
        # still timed in every phase: the painter keeps nothing between shots.
        for layout in layouts:
            next(EmbeddedPainter().paint(layout.still(0)))
        reset, rss_before = reset_peak(), status_mb("VmRSS")
        peak = 0.0
        for run in range(args.repeat):
            timing, per_shot = paint_encode(layouts, work / "stream.mp4", settings)
            if run == 0:  # nothing has held frames in memory yet
                peak = status_mb("VmHWM")
            streamed.append(timing)
            stream_shots.append(per_shot)
            timing, shot_times, held = paint_only(layouts)
            painted.append(timing)
            paint_shots.append(shot_times)
            encoded.append(encode_only(held, fps, work / "encode.mp4", settings))
            del held
            print(f"run {run + 1}: painter+encode {streamed[-1].fps:.1f} fps, painter "
                  f"{painted[-1].fps:.1f} fps, encode only {encoded[-1].fps:.1f} fps")

        stream, paint, encode = (median_timing(t) for t in (streamed, painted, encoded))
        print(f"\nmedians of {args.repeat} run(s):")
        for name, timing in (("painter+encode", stream), ("painter only", paint),
                             ("encode only", encode)):
            print(timing.line(name))
        ratio, realtime = stream.fps / encode.fps, stream.fps / fps
        print(f"ratio painter+encode / encode only = {ratio:.3f} (goal >= 0.8); "
              f"real time x{realtime:.2f} (goal > 1)")
        # Bounds for phase 1 from phases 2 and 3: no overlap at all, and perfect overlap
        # (the CPU time of both spread over every core), which caps the ratio on few cores.
        serial = 1 / (1 / paint.fps + 1 / encode.fps)
        ceiling = frames * cores / (paint.cpu + encode.cpu)
        print(f"painting then encoding in turn would give {serial:.1f} fps; their CPU time "
              f"on {cores} cores allows at most {ceiling:.1f} fps "
              f"(ratio {ceiling / encode.fps:.2f})")
        print(f"peak RSS of painter+encode: {peak:.0f} MB (RSS {rss_before:.0f} MB before; "
              + ("VmHWM reset before the phase)" if reset else "VmHWM since process start)"))

        print(f"\n{'shot':<10}{'size':<14}{'move':<11}{'frames':>6}{'1st frame s':>12}"
              f"{'painter fps':>12}{'paint+enc fps':>14}")
        for i, (shot, layout) in enumerate(chosen):
            p_1 = statistics.median(run_shots[i][0] for run_shots in paint_shots)
            p_s = statistics.median(run_shots[i][1] for run_shots in paint_shots)
            s_s = statistics.median(run_shots[i] for run_shots in stream_shots)
            print(f"{shot.id:<10}{shot.size:<14}{shot.move:<11}{layout.frames:>6}{p_1:>12.2f}"
                  f"{layout.frames / p_s:>12.1f}{layout.frames / s_s:>14.1f}")

        result = (f"RESULT ratio={ratio:.3f} realtime={realtime:.3f} peak_rss_mb={peak:.0f} "
                  f"painter_fps={paint.fps:.1f} paint_encode_fps={stream.fps:.1f} "
                  f"encode_fps={encode.fps:.1f} fps={fps} frames={frames} shots={len(chosen)} "
                  f"preset={settings.preset} cores={cores} cpu_count={cpus}")

        if args.long_shot:
            # the longest shot with a speaking actor: mouth, blinks and figure all animate
            shot, layout = max(every, key=lambda s: (any(a.speaking for a in s[1].actors),
                                                     s[1].frames))
            print(f"\nlong shot: {shot.id} ({shot.size}, {shot.move}, {layout.frames} frames "
                  "in the episode) stretched, each length streamed in a fresh process:")
            for seconds in (5, 60):
                n = seconds * layout.fps
                source = work / f"long{seconds}.json"
                source.write_bytes(stretched(layout, n).to_json_bytes())
                got = run_child("--child-stream", str(source), "--child-out",
                                str(work / f"long{seconds}.mp4"), "--preset", settings.preset)
                growth = got["hwm_after"] - got["rss_before"]
                print(f"  {seconds:>2} s ({n:>4} frames): {got['fps']:5.1f} fps; RSS "
                      f"{got['rss_before']:.0f} MB before, {got['rss_after']:.0f} MB after, "
                      f"peak {got['hwm_after']:.0f} MB (+{growth:.0f} MB over before)")
                result += f" long{seconds}s_growth_mb={growth:.0f}"

        if args.episode:
            got = run_child("--child-episode", str(copy_example(work / "episode")))
            print(f"\nepisode {EPISODE} end to end at full size (cold, own process): "
                  f"{got['duration']:.1f} s ({got['frames']} frames) in {got['wall']:.1f} s "
                  f"wall = x{got['duration'] / got['wall']:.2f} real time; peak RSS "
                  f"{got['hwm']:.0f} MB (VmHWM of the rendering process)")
            result += (f" episode_wall_s={got['wall']:.1f} episode_s={got['duration']:.1f} "
                       f"episode_peak_rss_mb={got['hwm']:.0f}")
    print(f"load average at the end {load_average()} (other work on these cores skews it all)")
    print(result)


if __name__ == "__main__":
    main()
