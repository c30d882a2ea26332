"""Mandarin text normalisation for engines that read Hanzi themselves (espeak-ng's ``cmn``).

espeak-ng 1.52 reads most Hanzi well, polyphones included (银行, 长大/长江, 还是/还钱), but it
reads digits as one big number (a phone number becomes 百亿...), says "percent" in English,
and its dictionary gets some dictionary words wrong (角色 as jiao, 便宜 as bian, 了然 as le).
So before a line is spoken:

1. numbers become words (cn2an: 2025年 → 二零二五年, 50% → 百分之五十, 3.5 → 三点五), times
   (3:30 → 三点三十分) and long digit strings (phone numbers: digit by digit) first;
2. punctuation espeak would read or ignore becomes the pause it stands for;
3. in a word of pypinyin's phrase dictionary, a character with several readings is replaced by
   a character that has only the word's reading and that espeak is known to read so (角色 →
   决色): the voice then says what pypinyin says, and a homophone changes nothing where espeak
   was already right.

Every spoken character remembers which characters of the original it came from, so word
timings (and so subtitles) still point into the text the writer wrote.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources

# Words pypinyin's segmenter finds where a sentence usually means something else: 我们都会去
# is dou hui (we will all go), not du hui (metropolis). Left to espeak, which reads them so.
_CONTEXTUAL = frozenset({"都会", "大夫", "得了", "地上", "着手", "为了", "只是", "还是", "便是",
                         "长得", "觉得", "看着", "听着", "行了"})

_PAUSES = {"——": "，", "—": "，", "……": "。", "…": "。", "～": "，", "~": "，", "·": "",
           "“": "", "”": "", "「": "", "」": "", "『": "", "』": "", "《": "", "》": "",
           "\"": "", "'": ""}
_DIGITS = "零一二三四五六七八九"
_NUMERALS = frozenset(_DIGITS + "十百千万亿两点负分之")

_TIME = re.compile(r"(?<!\d)([01]?\d|2[0-3])[:：]([0-5]\d)(?!\d)")
_LONG_DIGITS = re.compile(r"\d{7,}")
_NUMBER = re.compile(r"[-−]?\d+(?:[.．]\d+)?(?:[%％]|/\d+)?(?:年)?")
_PAUSE = re.compile("|".join(re.escape(k) for k in sorted(_PAUSES, key=len, reverse=True)))


@dataclass(frozen=True)
class Spoken:
    """Text to hand the engine, and where each of its characters came from in the source."""

    text: str
    source: str
    starts: tuple[int, ...]  # per spoken character: first source index it stands for
    ends: tuple[int, ...]    # per spoken character: one past the last source index

    @classmethod
    def verbatim(cls, text: str) -> Spoken:
        """``text`` said as written: each character stands for itself."""
        return cls(text, text, tuple(range(len(text))), tuple(range(1, len(text) + 1)))

    def source_span(self, start: int, end: int) -> tuple[int, int]:
        """The source characters ``[a, b)`` that spoken characters ``[start, end)`` say."""
        if not self.text:
            return 0, 0
        start = max(0, min(start, len(self.text) - 1))
        end = max(start + 1, min(end, len(self.text)))
        return self.starts[start], max(self.ends[start:end])


def normalise_zh(text: str) -> Spoken:
    """``text`` as espeak-ng should read it (see the module docstring)."""
    spoken = Spoken.verbatim(text)
    spoken = _rewrite(spoken, _TIME, lambda m: f"{_cardinal(m[1])}点" + (
        "整" if m[2] == "00" else f"{_cardinal(m[2])}分"))
    spoken = _rewrite(spoken, _LONG_DIGITS, lambda m: "".join(_DIGITS[int(d)] for d in m[0]))
    spoken = _rewrite(spoken, _NUMBER, _number)
    spoken = _rewrite(spoken, _PAUSE, lambda m: _PAUSES[m[0]])
    return _homophones(spoken)


def _rewrite(spoken: Spoken, pattern: re.Pattern[str],
             replace: Callable[[re.Match[str]], str]) -> Spoken:
    """Replace every match of ``pattern`` in the spoken text; each new character stands for
    the whole source span of what it replaces."""
    text: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    at = 0
    for match in pattern.finditer(spoken.text):
        a, b = match.span()
        text.append(spoken.text[at:a])
        starts.extend(spoken.starts[at:a])
        ends.extend(spoken.ends[at:a])
        new = replace(match)
        text.append(new)
        starts.extend([spoken.starts[a]] * len(new))
        ends.extend([max(spoken.ends[a:b])] * len(new))
        at = b
    if at == 0 and not text:
        return spoken
    text.append(spoken.text[at:])
    starts.extend(spoken.starts[at:])
    ends.extend(spoken.ends[at:])
    return Spoken("".join(text), spoken.source, tuple(starts), tuple(ends))


def _number(match: re.Match[str]) -> str:
    import cn2an  # lazily: it loads its tables on import

    token = match[0].replace("．", ".").replace("％", "%").replace("−", "-")
    try:
        return str(cn2an.transform(token, "an2cn"))
    except (ValueError, KeyError):  # cn2an gives up on odd tokens: say the digits
        return "".join(_DIGITS[int(c)] if c.isdigit() else "点" if c == "." else ""
                       for c in token)


def _cardinal(digits: str) -> str:
    import cn2an

    return str(cn2an.an2cn(str(int(digits))))


def _homophones(spoken: Spoken) -> Spoken:
    """Replace polyphonic characters inside dictionary words by single-reading homophones."""
    from pypinyin import Style, pinyin
    from pypinyin.seg.simpleseg import seg

    chars = list(spoken.text)
    at = 0
    for word in seg(spoken.text):
        start, at = at, at + len(word)
        if len(word) < 2 or word in _CONTEXTUAL or not _is_hanzi(word) or _is_numeral(word):
            continue
        readings = pinyin(word, style=Style.TONE3, neutral_tone_with_five=True)
        for offset, (char, reading) in enumerate(zip(word, readings, strict=True)):
            if len(_readings(char)) > 1:
                chars[start + offset] = _homophone(reading[0]) or char
    text = "".join(chars)
    return spoken if text == spoken.text else Spoken(text, spoken.source, spoken.starts,
                                                      spoken.ends)


def _is_numeral(word: str) -> bool:
    """Numbers written out in step 1: espeak reads them right, with their tone changes."""
    return all(c in _NUMERALS for c in word)


def _is_hanzi(word: str) -> bool:
    return all("\u4e00" <= c <= "\u9fff" for c in word)


def _readings(char: str) -> frozenset[str]:
    """Every reading of ``char`` (TONE3), from pypinyin's character dictionary."""
    from pypinyin import Style, pinyin

    return frozenset(pinyin(char, style=Style.TONE3, heteronym=True,
                            neutral_tone_with_five=True)[0])


def _homophone(reading: str) -> str | None:
    """A character read only as ``reading``, checked against espeak-ng itself; None if there
    is none. The table is made by ``scripts/zh_homophones.py``."""
    return _homophone_table().get(reading)


@functools.cache
def _homophone_table() -> dict[str, str]:
    text = resources.files(__package__).joinpath("zh_homophones.json").read_text("utf-8")
    table: dict[str, str] = json.loads(text)
    return table
