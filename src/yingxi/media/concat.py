"""Join H.264 MP4 pieces into one file by stream copy, and add AAC sound and container tags.

The pieces (see :mod:`yingxi.stages.segment`) are encoded with the same settings at the same
size, so they share one SPS/PPS, and each starts with an IDR frame that refers to nothing
before it. Their packets can therefore follow one another in a single stream unchanged: only
the timestamps move, by the length of the pieces before. No pixel is decoded or re-encoded,
so the joined picture decodes to exactly the frames of the pieces.
"""

from __future__ import annotations

import contextlib
import heapq
import logging
import wave
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

import av
import numpy as np
import numpy.typing as npt

from yingxi.errors import RenderError
from yingxi.media.encode import AAC_FRAME, aac_frame, add_aac_stream

log = logging.getLogger(__name__)

@dataclass(frozen=True)
class Sound:
    """Stereo float samples, shape (2, n), to encode as AAC under the joined picture."""

    samples: npt.NDArray[np.float32]
    rate: int


def concat_mp4(path: Path, parts: Sequence[Path], fps: int, *,
               sound: Sound | Path | None = None,
               metadata: Mapping[str, str] | None = None, movflags: str | None = None,
               progress: Callable[[int, int], None] | None = None) -> int:
    """Write ``parts`` one after the other into the MP4 ``path``; return its frame count.

    Every part must hold one H.264 stream at ``fps`` whose first packet is a key frame, with
    the same codec configuration (extradata) as the others. ``sound`` is encoded as AAC
    alongside, or, given as the path of an MP4 made by :func:`encode_aac`, copied as it is;
    ``metadata`` become container tags and ``movflags`` go to the MP4 muxer.
    A file that cannot be finished is removed.
    """
    if not parts:
        raise RenderError("no pieces to join into a video")
    options = {"movflags": movflags} if movflags else {}
    try:
        with contextlib.ExitStack() as stack:
            first = stack.enter_context(av.open(str(parts[0])))
            out = stack.enter_context(av.open(str(path), mode="w", format="mp4",
                                              options=options))
            for key, value in (metadata or {}).items():
                out.metadata[key] = value
            template = first.streams.video[0]
            video = out.add_stream_from_template(template)
            streams: list[Iterator[_Timed]] = [
                _video_packets(parts, video, _Config.of(template), fps, progress)]
            # every stream exists before the first packet is muxed
            if isinstance(sound, Path):
                encoded = stack.enter_context(av.open(str(sound)))
                if not encoded.streams.audio:
                    raise RenderError(f"{sound.name} holds no sound to put under the picture")
                source = encoded.streams.audio[0]
                audio = out.add_stream_from_template(source)
                streams.append(_copied_audio(encoded, source, audio))
            elif sound is not None:
                audio = add_aac_stream(out, sound.rate)
                streams.append(_sound_packets(audio, sound))
            frames = 0
            # interleave by decoding time, so a player streaming the file never waits long
            # for one stream while it holds the other
            for timed in heapq.merge(*streams):
                out.mux(timed.packet)
                frames += timed.frame
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return frames


@dataclass(frozen=True)
class _Timed:
    """A packet ready to mux, ordered by its decoding time (video first at equal times)."""

    seconds: Fraction
    order: int
    packet: Any
    frame: int  # 1 for a video packet that holds a frame

    def __lt__(self, other: _Timed) -> bool:
        return (self.seconds, self.order) < (other.seconds, other.order)


@dataclass(frozen=True)
class _Config:
    """The codec configuration every part must share: its SPS/PPS and the reordering they
    allow (frames a decoder holds back before showing one; 0 without B-frames)."""

    extradata: bytes
    reorder: int

    @classmethod
    def of(cls, stream: Any) -> _Config:
        ctx = stream.codec_context
        return cls(extradata=bytes(ctx.extradata or b""), reorder=int(ctx.reorder_depth))


def _video_packets(parts: Sequence[Path], stream: Any, config: _Config, fps: int,
                   progress: Callable[[int, int], None] | None) -> Iterator[_Timed]:
    """The packets of every part, moved along the time line by the parts before it.

    Presentation times keep their place inside each part. Decoding times are numbered anew,
    one frame apart across the whole file and as far behind as the shared SPS allows frames
    to be reordered: parts with and without B-frames (a one-frame part has none) then meet
    without a decoding time going backwards, and no frame is decoded after it is due.
    """
    delay = config.reorder
    offset = 0  # frames before the current part
    for number, part in enumerate(parts):
        with av.open(str(part)) as container:
            source = container.streams.video[0]
            _check_part(part, source, config.extradata, fps)
            tick = _frame_ticks(part, source.time_base, fps)
            zero: int | None = None
            shown: set[int] = set()
            frames = 0
            for packet in _packets(part, container, source):
                zero = packet.pts if zero is None else zero
                at = (packet.pts - zero) // tick  # the frame of the part it shows
                decoded = offset + frames - delay  # in frames, from the start of the file
                if offset + at < decoded:
                    raise RenderError(f"{part.name} reorders its frames more than its codec "
                                      f"configuration declares ({delay})",
                                      hint="only pieces from the same encoder settings can "
                                           "be joined without re-encoding")
                packet.pts = (offset + at) * tick
                packet.dts = decoded * tick
                packet.stream = stream
                shown.add(at)
                frames += 1
                yield _Timed(Fraction(decoded, fps), 0, packet, 1)
            if shown != set(range(frames)):  # a gap, or a frame outside the part
                raise RenderError(f"{part.name} does not show its frames one after another",
                                  hint="only pieces with one frame every 1/fps seconds, "
                                       "starting at a key frame, can be joined")
            offset += frames
            if progress is not None:
                progress(number + 1, len(parts))


def _packets(part: Path, container: Any, source: Any) -> Iterator[Any]:
    """The frames of one part in decoding order, checked to start with a key frame."""
    first = True
    for packet in container.demux(source):
        if packet.size == 0:  # the demuxer's end-of-stream marker
            continue
        if packet.pts is None:
            raise RenderError(f"{part.name} has a frame without a presentation time")
        if first and not packet.is_keyframe:
            raise RenderError(f"{part.name} does not start with a key frame",
                              hint="only pieces that start with an IDR frame can be joined "
                                   "without re-encoding")
        first = False
        yield packet


def _frame_ticks(part: Path, time_base: Fraction | None, fps: int) -> int:
    """Time units of ``part``'s stream in one frame."""
    if time_base is None:
        raise RenderError(f"{part.name}: its video stream has no time base")
    ticks = 1 / (time_base * fps)
    if ticks.denominator != 1:
        raise RenderError(f"{part.name}: a frame at {fps} fps is not a whole number of "
                          f"its time units ({time_base})",
                          hint="the pieces of a master must be written at its frame rate")
    return int(ticks)


def _check_part(part: Path, source: Any, extradata: bytes, fps: int) -> None:
    ctx = source.codec_context
    if ctx.name != "h264":
        raise RenderError(f"{part.name} is {ctx.name}, not H.264")
    if bytes(ctx.extradata or b"") != extradata:
        # a different SPS/PPS would make the decoder misread every frame that follows
        raise RenderError(f"{part.name} was encoded with other settings than the first piece",
                          hint="re-render: every piece of a master must come from the same "
                               "encoder settings")
    rate = source.average_rate
    if rate is not None and rate != fps:
        raise RenderError(f"{part.name} runs at {float(rate):g} fps, the master at {fps}")


def _sound_packets(stream: Any, sound: Sound) -> Iterator[_Timed]:
    """AAC packets of ``sound``, fed to the encoder in AAC-sized frames as VideoWriter does."""
    samples = np.ascontiguousarray(sound.samples, dtype=np.float32)
    total = samples.shape[1]
    for start in range(0, total, AAC_FRAME):
        frame = aac_frame(samples[:, start:start + AAC_FRAME], start, sound.rate)
        yield from _timed_audio(stream.encode(frame))
    yield from _timed_audio(stream.encode(None))


def _timed_audio(packets: Sequence[Any]) -> Iterator[_Timed]:
    for packet in packets:
        yield _Timed(packet.dts * packet.time_base, 1, packet, 0)


def _copied_audio(container: Any, source: Any, stream: Any) -> Iterator[_Timed]:
    """The packets of an encoded sound, moved to ``stream`` unchanged (the MP4 muxer keeps
    the encoder's priming, so it decodes to the same samples as a direct encode)."""
    for packet in container.demux(source):
        if packet.dts is None:  # the demuxer's end-of-stream marker
            continue
        packet.stream = stream
        yield from _timed_audio([packet])


def encode_aac(path: Path, wav: Path, samples: int) -> int:
    """Encode the first ``samples`` frames of a 16-bit PCM stereo WAV file as AAC in the MP4
    ``path``, reading it a block at a time; return its sample rate.

    The samples reach the encoder exactly as :func:`~yingxi.media.audio.decode_wav` and
    :func:`concat_mp4` would feed them, so joining this file gives the same sound as
    encoding the mix there, without holding the whole mix in memory.
    """
    block = AAC_FRAME * 64
    try:
        with wave.open(str(wav), "rb") as source, \
                av.open(str(path), mode="w", format="mp4") as out:
            if source.getsampwidth() != 2 or source.getnchannels() != 2:
                raise RenderError(f"{wav.name} is not 16-bit stereo PCM")
            rate = source.getframerate()
            if source.getnframes() < samples:
                raise RenderError("the mixed sound is shorter than the picture")
            stream = add_aac_stream(out, rate)
            done = 0
            while done < samples:
                count = min(block, samples - done)
                pcm = np.frombuffer(source.readframes(count), dtype="<i2")
                chunk = pcm.reshape(-1, 2).T.astype(np.float32) / 32768.0
                for start in range(0, count, AAC_FRAME):
                    frame = aac_frame(chunk[:, start:start + AAC_FRAME], done + start, rate)
                    for packet in stream.encode(frame):
                        out.mux(packet)
                done += count
            for packet in stream.encode(None):
                out.mux(packet)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return rate
