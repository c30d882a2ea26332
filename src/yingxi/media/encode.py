"""Video and audio I/O through PyAV (FFmpeg's libraries, with libx264 and AAC, from the wheel).

Frames cross as RGB uint8 arrays and are encoded on a worker thread while the caller makes the
next one. Conversion to and from yuv420p uses the BT.709 matrix and the streams are tagged
BT.709, so colours survive a round trip and players agree on them.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import queue
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from types import TracebackType
from typing import Any, Self

import av
import numpy as np
import numpy.typing as npt
from av.video.reformatter import Colorspace

log = logging.getLogger(__name__)

_BT709 = 1          # AVCOL_SPC/PRI/TRC_BT709
_RANGE_MPEG = 1     # limited ("tv") range
AAC_BIT_RATE = 192_000
AAC_FRAME = 1024
X264_THREADS = 4
_QUEUED = 3         # frames waiting for the encoder thread (a few MB each at 1080x1920)


class _DiscardedError(Exception):
    """Marks a writer whose queued work is being thrown away."""


@dataclass(frozen=True)
class VideoSettings:
    """x264 settings. Takes favour speed and fidelity; masters favour size at good quality."""

    preset: str = "veryfast"
    crf: int = 23
    profile: str = "high"
    keyint_seconds: float = 2.0
    tune: str | None = "animation"
    # x264's macroblock tree made the same frames encode to different bytes from run to run
    # (seen at preview sizes inside a full render; never in isolation): off, for determinism.
    # Without it CRF 23 matches the PSNR of CRF 20 with it (43.9 vs 43.5 dB on the example).
    x264_params: str = "mbtree=0"


TAKE_SETTINGS = VideoSettings(preset="ultrafast", crf=12, profile="high", tune=None)
MASTER_SETTINGS = VideoSettings()


@dataclass
class VideoWriter:
    """Writes an MP4 with one H.264 stream and optionally one AAC stream.

    ``metadata`` becomes container tags; ``movflags`` is passed to the MP4 muxer (masters
    use ``use_metadata_tags+faststart`` so custom keys such as ``AIGC`` are kept).
    """

    path: Path
    width: int
    height: int
    fps: int
    settings: VideoSettings = field(default_factory=VideoSettings)
    audio_rate: int | None = None
    metadata: dict[str, str] = field(default_factory=dict)
    movflags: str | None = None

    def __post_init__(self) -> None:
        options = {"movflags": self.movflags} if self.movflags else {}
        self._worker: threading.Thread | None = None
        self._error: BaseException | None = None
        self._container: Any = av.open(str(self.path), mode="w", format="mp4", options=options)
        try:
            self._open_streams()
            self._start_worker()
        except BaseException:
            self._abandon()
            raise

    def _open_streams(self) -> None:
        for key, value in self.metadata.items():
            self._container.metadata[key] = value
        stream = self._container.add_stream("libx264", rate=self.fps)
        stream.width, stream.height, stream.pix_fmt = self.width, self.height, "yuv420p"
        opts: dict[str, object] = {"preset": self.settings.preset, "crf": str(self.settings.crf),
                "profile": self.settings.profile,
                "g": str(max(1, round(self.settings.keyint_seconds * self.fps)))}
        if self.settings.tune:
            opts["tune"] = self.settings.tune
        if self.settings.x264_params:
            opts["x264-params"] = self.settings.x264_params
        stream.options = opts
        ctx = stream.codec_context
        # x264 frame threads, as the ffmpeg CLI uses; a fixed count (not "auto") keeps the
        # bitstream the same on machines with different numbers of cores
        ctx.thread_type, ctx.thread_count = "FRAME", X264_THREADS
        ctx.colorspace = ctx.color_primaries = ctx.color_trc = _BT709
        ctx.color_range = _RANGE_MPEG
        self._video = stream
        self._audio: Any = None
        self._pending = np.zeros((2, 0), dtype=np.float32)
        self._audio_pts = 0
        if self.audio_rate:
            self._audio = add_aac_stream(self._container, self.audio_rate)
        self.frames = 0

    def write_frame(self, rgb: npt.NDArray[np.uint8]) -> None:
        """Queue one frame for encoding: (height, width, 3) RGB or (height, width, 4) RGBA,
        uint8, whose alpha is ignored (a painter's buffer goes in as it is: FFmpeg converts
        either to yuv420p at the same cost, and the same colours give the same bytes). The
        writer holds on to ``rgb`` until it is encoded: do not change it afterwards."""
        if rgb.shape[:2] != (self.height, self.width) or rgb.ndim != 3 \
                or rgb.shape[2] not in (3, 4):
            raise ValueError(f"frame of shape {rgb.shape}, expected "
                             f"{(self.height, self.width, 3)} or {(self.height, self.width, 4)}")
        self._submit(functools.partial(self._encode_video, rgb, self.frames))
        self.frames += 1

    def write_audio(self, samples: npt.NDArray[np.float32]) -> None:
        """Queue (2, n) float audio; it is encoded in AAC-sized frames as it fills up."""
        if self._audio is None:
            raise ValueError("this writer has no audio stream")
        self._pending = np.concatenate([self._pending, samples.astype(np.float32)], axis=1)
        while self._pending.shape[1] >= AAC_FRAME:
            self._submit(functools.partial(self._encode_audio, self._pending[:, :AAC_FRAME]))
            self._pending = self._pending[:, AAC_FRAME:]

    def close(self) -> None:
        """Encode what is queued, flush the encoders and finish the file."""
        try:
            self._stop()
            if self._audio is not None:
                if self._pending.shape[1]:
                    self._encode_audio(self._pending)
                for packet in self._audio.encode(None):
                    self._container.mux(packet)
            for packet in self._video.encode(None):
                self._container.mux(packet)
        except BaseException:
            self._abandon()
            raise
        self._container.close()

    def _abandon(self) -> None:
        """Close and delete a file that will not be finished."""
        with contextlib.suppress(BaseException):
            self._stop(discard=True)
        with contextlib.suppress(Exception):
            self._container.close()
        self.path.unlink(missing_ok=True)

    # Encoding runs on a worker thread: FFmpeg's colour conversion and x264 release the GIL,
    # so the caller paints (or decodes) the next frame while this one is converted and
    # encoded. Every call into the container happens on that thread until close() joins it.

    def _start_worker(self) -> None:
        self._jobs: queue.Queue[Callable[[], None] | None] = queue.Queue(maxsize=_QUEUED)
        self._worker = threading.Thread(target=self._work, name=f"encode {self.path.name}",
                                        daemon=True)
        self._worker.start()

    def _work(self) -> None:
        while (job := self._jobs.get()) is not None:
            if self._error is not None:
                continue  # keep draining, so a blocked producer wakes up and sees the error
            try:
                job()
            except BaseException as error:  # re-raised in the caller's thread
                self._error = error

    def _submit(self, job: Callable[[], None]) -> None:
        if self._error is not None:
            raise self._error
        if self._worker is None:
            raise ValueError(f"{self.path} is closed")
        self._jobs.put(job)

    def _stop(self, discard: bool = False) -> None:
        """Wait for the queued work (or drop it) and end the worker; raise its error."""
        worker, self._worker = self._worker, None
        if worker is None:
            return
        if discard:
            self._error = self._error or _DiscardedError()
        self._jobs.put(None)
        worker.join()
        if self._error is not None and not discard:
            raise self._error

    def _encode_video(self, rgb: npt.NDArray[np.uint8], pts: int) -> None:
        frame = av.VideoFrame.from_ndarray(rgb, format="rgb24" if rgb.shape[2] == 3 else "rgba")
        frame = frame.reformat(format="yuv420p", src_colorspace=Colorspace.ITU709,
                               dst_colorspace=Colorspace.ITU709)
        frame.pts = pts
        frame.time_base = Fraction(1, self.fps)
        for packet in self._video.encode(frame):
            self._container.mux(packet)

    def _encode_audio(self, chunk: npt.NDArray[np.float32]) -> None:
        frame = aac_frame(chunk, self._audio_pts, self.audio_rate or 48000)
        self._audio_pts += chunk.shape[1]
        for packet in self._audio.encode(frame):
            self._container.mux(packet)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        if kind is None:
            self.close()
        else:  # do not leave a half-written file that looks complete
            self._abandon()


def add_aac_stream(container: Any, rate: int) -> Any:
    """A stereo AAC stream in ``container``: every AAC encode in yingxi uses these settings,
    so a master sounds the same whichever way its sound was encoded. FFmpeg's ``fast``
    coder encodes in under half the time of its default (``twoloop``); at 192 kb/s the two
    are not told apart by ear."""
    stream = container.add_stream("aac", rate=rate, layout="stereo")
    stream.bit_rate = AAC_BIT_RATE
    stream.options = {"aac_coder": "fast"}
    return stream


def aac_frame(chunk: npt.NDArray[np.float32], pts: int, rate: int) -> av.AudioFrame:
    """A (2, n <= AAC_FRAME) float chunk as a stereo frame for the AAC encoder, starting at
    sample ``pts``: every AAC encode in yingxi feeds its encoder through this."""
    frame = av.AudioFrame.from_ndarray(np.ascontiguousarray(chunk, dtype=np.float32),
                                       format="fltp", layout="stereo")
    frame.sample_rate = rate
    frame.pts = pts
    frame.time_base = Fraction(1, rate)
    return frame


def read_frames(path: Path) -> Iterator[npt.NDArray[np.uint8]]:
    """Decode every video frame of ``path`` as RGB arrays, in order."""
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        stream.thread_type = "AUTO"
        for frame in container.decode(stream):
            rgb = frame.to_ndarray(format="rgb24", src_colorspace=Colorspace.ITU709,
                                   dst_colorspace=Colorspace.ITU709)
            yield np.asarray(rgb, dtype=np.uint8)


def read_audio(path: Path) -> tuple[npt.NDArray[np.float32], int]:
    """Decode the first audio stream of ``path`` as (channels, n) float32 and its rate."""
    chunks: list[npt.NDArray[np.float32]] = []
    with av.open(str(path)) as container:
        stream = container.streams.audio[0]
        rate = int(stream.rate)
        for frame in container.decode(stream):
            data = frame.to_ndarray()
            if frame.format.is_packed:
                data = data.reshape(-1, len(frame.layout.channels)).T
            chunks.append(data.astype(np.float32))
    return np.concatenate(chunks, axis=1), rate


@dataclass(frozen=True)
class MediaInfo:
    """What a player sees in a file (read back by the same libavformat as ffprobe)."""

    video_codec: str
    profile: str | None
    pix_fmt: str
    width: int
    height: int
    fps: float
    frames: int
    duration: float
    audio_codec: str | None
    audio_rate: int | None
    audio_channels: int | None
    tags: dict[str, str]


def probe(path: Path) -> MediaInfo:
    """Stream and container facts of ``path``; frames are counted by demuxing."""
    with av.open(str(path)) as container:
        video = container.streams.video[0]
        frames = sum(1 for p in container.demux(video) if p.size)
        audio = container.streams.audio[0] if container.streams.audio else None
        vctx = video.codec_context
        return MediaInfo(
            video_codec=vctx.name, profile=vctx.profile, pix_fmt=str(video.format.name),
            width=vctx.width, height=vctx.height, fps=float(video.average_rate or 0),
            frames=frames, duration=float(container.duration or 0) / 1e6,
            audio_codec=audio.codec_context.name if audio else None,
            audio_rate=int(audio.rate) if audio else None,
            audio_channels=audio.codec_context.channels if audio else None,
            tags=dict(container.metadata),
        )
