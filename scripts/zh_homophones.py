"""Regenerate ``src/yingxi/backends/embedded/zh_homophones.json``: for every Mandarin reading
(pinyin with tone number), a character that has only that reading in pypinyin's dictionary
and that espeak-ng 1.52 reads exactly as it reads the pinyin itself.

The espeak speaker swaps a polyphonic character inside a dictionary word for this homophone
(see ``yingxi.backends.embedded.zh_text``). Candidates are GB2312 characters (level 1, the
3,755 commonest, before level 2); the first one espeak agrees with wins.

    .venv/bin/python scripts/zh_homophones.py
"""

from __future__ import annotations

import concurrent.futures
import json
from pathlib import Path

from pypinyin import Style, pinyin

from yingxi.backends.embedded import speaker_espeak

OUT = Path(__file__).resolve().parents[1] / "src/yingxi/backends/embedded/zh_homophones.json"


def candidates() -> dict[str, list[str]]:
    """Single-reading GB2312 characters by reading, commonest level first."""
    table: dict[str, list[str]] = {}
    for high in range(0xB0, 0xF8):
        for low in range(0xA1, 0xFF):
            try:
                char = bytes((high, low)).decode("gb2312")
            except UnicodeDecodeError:
                continue
            readings = pinyin(char, style=Style.TONE3, heteronym=True,
                              neutral_tone_with_five=True)[0]
            if len(readings) == 1 and readings[0][-1].isdigit():
                table.setdefault(readings[0], []).append(char)
    return table


def phones(voice: str, text: str) -> str:
    """espeak-ng's phone string for ``text``."""
    header, _ = speaker_espeak._run_worker({
        **speaker_espeak._library_paths(), "voice": voice, "text": text, "rate": 160,
        "pitch": 50, "range": 50, "seed": 1})
    return " ".join(p.replace("ˈ", "").replace("ˌ", "") for _, p in header["phones"]
                    if p.strip())


def verified(reading: str, chars: list[str]) -> tuple[str, str | None]:
    """The first of ``chars`` espeak reads as ``reading`` (up to 6 tried)."""
    target = phones("cmn-latn-pinyin", reading)
    for char in chars[:6]:
        if phones("cmn", char) == target:
            return reading, char
    return reading, None


def main() -> None:
    """Build and write the table."""
    table = candidates()
    with concurrent.futures.ThreadPoolExecutor(4) as pool:
        found = dict(pool.map(lambda kv: verified(*kv), sorted(table.items())))
    result = {k: v for k, v in sorted(found.items()) if v}
    OUT.write_text(json.dumps(result, ensure_ascii=False, indent=0, sort_keys=True) + "\n",
                   encoding="utf-8")
    print(f"{len(result)} of {len(table)} readings have a verified homophone -> {OUT}")


if __name__ == "__main__":
    main()
