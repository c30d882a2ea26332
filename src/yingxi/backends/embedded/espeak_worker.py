"""Speak one line with libespeak-ng in this (fresh) process; used by :mod:`speaker_espeak`.

libespeak-ng carries synthesiser state from one utterance to the next (even across
``espeak_Terminate``), so the same line spoken twice in one process gives different samples.
One utterance per fresh process, with its random generators seeded, is byte-identical every
time: that is what caching and resuming rely on. The worker imports nothing heavy.

Protocol: a JSON request on stdin; on stdout one JSON line (sample rate, events) followed
by the raw little-endian int16 samples.
"""

from __future__ import annotations

import ctypes
import json
import sys
from typing import Any

AUDIO_OUTPUT_SYNCHRONOUS = 2
INIT_PHONEME_EVENTS, INIT_PHONEME_IPA, INIT_DONT_EXIT = 0x0001, 0x0002, 0x8000
CHARS_UTF8, POS_CHARACTER = 1, 1
EVENT_LIST_TERMINATED, EVENT_WORD, EVENT_PHONEME = 0, 1, 7
PARAM_RATE, PARAM_VOLUME, PARAM_PITCH, PARAM_RANGE = 1, 2, 3, 4


class _EventId(ctypes.Union):
    _fields_ = [("number", ctypes.c_int), ("name", ctypes.c_char_p),
                ("string", ctypes.c_char * 8)]


class _Event(ctypes.Structure):
    _fields_ = [("type", ctypes.c_int), ("unique_identifier", ctypes.c_uint),
                ("text_position", ctypes.c_int), ("length", ctypes.c_int),
                ("audio_position", ctypes.c_int), ("sample", ctypes.c_int),
                ("user_data", ctypes.c_void_p), ("id", _EventId)]


_Callback = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int,
                             ctypes.POINTER(_Event))


def synthesize(request: dict[str, Any]) -> tuple[dict[str, Any], bytes]:
    """Speak ``request['text']``; return the header (rate, events, status) and PCM bytes."""
    lib = ctypes.CDLL(request["library"])
    libc = ctypes.CDLL(None)
    lib.espeak_Initialize.restype = ctypes.c_int
    lib.espeak_Initialize.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_char_p, ctypes.c_int]
    lib.espeak_SetVoiceByName.argtypes = [ctypes.c_char_p]
    lib.espeak_SetParameter.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_int]
    lib.espeak_ng_SetRandSeed.argtypes = [ctypes.c_long]
    lib.espeak_Synth.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_uint, ctypes.c_int,
                                 ctypes.c_uint, ctypes.c_uint, ctypes.c_void_p, ctypes.c_void_p]
    rate = lib.espeak_Initialize(AUDIO_OUTPUT_SYNCHRONOUS, 0, request["data"].encode(),
                                 INIT_PHONEME_EVENTS | INIT_PHONEME_IPA | INIT_DONT_EXIT)
    if rate <= 0:
        return {"error": "libespeak-ng failed to initialise"}, b""
    pcm = bytearray()
    phones: list[tuple[int, str]] = []
    words: list[tuple[int, int, int]] = []

    def on_audio(wav: Any, count: int, events: Any) -> int:
        if count > 0:
            pcm.extend(ctypes.string_at(wav, count * 2))
        i = 0
        while events[i].type != EVENT_LIST_TERMINATED:
            event = events[i]
            if event.type == EVENT_PHONEME:
                phones.append((event.sample,
                               event.id.string.decode("utf-8", "replace").rstrip("\x00")))
            elif event.type == EVENT_WORD:
                words.append((event.sample, event.text_position, event.length))
            i += 1
        return 0

    callback = _Callback(on_audio)
    lib.espeak_SetSynthCallback(callback)
    if lib.espeak_SetVoiceByName(request["voice"].encode()) != 0:
        return {"error": f"espeak-ng has no voice {request['voice']!r}"}, b""
    lib.espeak_SetParameter(PARAM_RATE, int(request["rate"]), 0)
    lib.espeak_SetParameter(PARAM_PITCH, int(request["pitch"]), 0)
    lib.espeak_SetParameter(PARAM_RANGE, int(request["range"]), 0)
    lib.espeak_SetParameter(PARAM_VOLUME, 100, 0)
    # breath noise comes from espeak's own generator and libc rand(): seed both
    lib.espeak_ng_SetRandSeed(int(request["seed"]))
    libc.srand(int(request["seed"]))
    text = request["text"].encode("utf-8")
    status = lib.espeak_Synth(text, len(text) + 1, 0, POS_CHARACTER, 0, CHARS_UTF8, None, None)
    lib.espeak_Synchronize()
    header = {"rate": rate, "status": status, "phones": phones, "words": words}
    return header, bytes(pcm)


def main() -> None:
    """Read one request from stdin, write the result to stdout."""
    header, pcm = synthesize(json.loads(sys.stdin.buffer.read()))
    out = sys.stdout.buffer
    out.write(json.dumps(header, ensure_ascii=False).encode("utf-8") + b"\n")
    out.write(pcm)
    out.flush()


if __name__ == "__main__":
    main()
