"""The imagery of a line of verse: which set to paint, at what time, in what weather, with what.

A poem names its pictures: 床前明月光 is a room at night with the moon; 孤舟蓑笠翁 is a boat on
the water. :data:`VOCABULARY` is a typed table of such words, Chinese and English, each saying
what it puts in the picture; :func:`imagery_of` reads one line against it and
:func:`poem_imagery` a whole poem, where a line that names nothing keeps the previous picture.

Extending the table is adding one :class:`Word` row::

    Word(("瀑", "瀑布", "waterfall"), kind="mountains", mood="calm"),

How a row is used:

* Chinese words are found anywhere in the line; the longest word wins where two overlap
  (明月 before 月). English words match whole words, case-insensitively, with a plural ``-s``
  or ``-es`` (moons, willows); list irregular forms (geese, leaves) as words of their own.
* ``kind`` names the set. A row with ``hint=True`` only suggests its kind and time (a boat
  suggests a shore, the moon suggests night): a line's place word (江, 山, 床) or time word
  (夜, 暮) beats a suggestion. Among equals the first in the line wins.
* ``motifs`` are painted into the set (at most four per set), ``weather`` sets rain, snow or
  mist, ``mood`` feeds the music: the poem's most frequent mood is used for every set.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Literal, TypeVar

from yingxi.schema.bible import LocationKind, Motif
from yingxi.schema.screenplay import TimeOfDay

Weather = Literal["clear", "rain", "snow", "mist"]
_T = TypeVar("_T")
MAX_MOTIFS = 4


@dataclass(frozen=True)
class Word:
    """One row of the vocabulary: the words, and what they put in the picture."""

    words: tuple[str, ...]
    kind: LocationKind | None = None
    time: TimeOfDay | None = None
    weather: Weather | None = None
    motifs: tuple[Motif, ...] = ()
    mood: str | None = None
    hint: bool = False  # kind and time are only suggested: a place or time word wins


VOCABULARY: tuple[Word, ...] = (
    # --- things the painter draws (motifs) ---------------------------------------------------
    Word(("明月", "月", "月光", "月色", "婵娟", "moon", "moonlight", "moonlit", "moonbeam"),
         time="night", motifs=("moon",), hint=True),
    Word(("霜", "frost", "frosty", "hoarfrost"), motifs=("frost",)),
    Word(("渔火",), kind="shore", time="night", motifs=("boat", "lantern"), hint=True),
    Word(("舟", "船", "帆", "棹", "渡", "渔", "boat", "ship", "sail", "ferry", "oar", "barque"),
         kind="shore", motifs=("boat",), hint=True),
    Word(("柳", "杨柳", "垂柳", "willow"), motifs=("willow",), hint=True),
    Word(("钟", "钟声", "bell", "chime"), motifs=("bell",), mood="mysterious"),
    Word(("酒", "杯", "醉", "wine", "cup", "goblet"), motifs=("wine",), mood="warm"),
    Word(("灯", "烛", "lantern", "lamp", "candle"), motifs=("lantern",), time="night",
         hint=True),
    Word(("梅", "梅花", "plum", "blossom"), motifs=("plum",)),
    Word(("竹", "篁", "bamboo"), kind="forest", motifs=("bamboo",), hint=True),
    Word(("雁", "鸿", "归雁", "geese", "goose", "swan"), motifs=("geese",), mood="sad"),
    Word(("桥", "bridge"), motifs=("bridge",)),
    Word(("荷", "莲", "芙蓉", "lotus", "lily", "lilies"), kind="shore", motifs=("lotus",),
         hint=True),
    Word(("塔", "寺", "庙", "禅", "pagoda", "temple", "shrine"), kind="mountains",
         motifs=("pagoda",), mood="mysterious", hint=True),
    # --- places (set kinds) -------------------------------------------------------------------
    Word(("床", "窗", "屋", "室", "堂", "帘", "门", "庭", "院", "家",
          "home", "house", "room", "window", "bed", "door", "hearth", "chamber", "cottage"),
         kind="home"),
    Word(("城", "楼", "街", "市", "长安", "city", "town", "street", "tower", "market"),
         kind="city"),
    Word(("村", "乡", "故乡", "家乡", "田", "园", "篱", "village", "hamlet", "field", "farm",
          "meadow", "homeland"),
         kind="village"),
    Word(("林", "树", "木", "森", "叶", "forest", "wood", "woods", "tree", "trees", "grove",
          "leaves", "leaf"),
         kind="forest"),
    Word(("宫", "殿", "阙", "palace", "castle", "court", "hall"), kind="palace"),
    Word(("山", "峰", "岭", "岩", "峦", "mountain", "hill", "hills", "peak", "cliff", "crag"),
         kind="mountains"),
    Word(("江", "河", "川", "溪", "水", "流", "波", "浪", "岸", "洲", "湖", "潭", "津",
          "river", "stream", "brook", "lake", "pond", "shore", "bank", "wave", "waves"),
         kind="shore"),
    Word(("海", "sea", "ocean", "tide", "beach"), kind="shore"),
    Word(("书", "案", "砚", "study", "desk", "book", "books"), kind="office"),
    # --- weather ----------------------------------------------------------------------------
    Word(("雨", "rain", "rainy", "shower", "drizzle"), weather="rain", mood="sad"),
    Word(("雪", "snow", "snowy", "snowflake"), weather="snow"),
    Word(("雾", "烟", "霭", "烟雨", "mist", "misty", "fog", "foggy", "haze"), weather="mist"),
    # --- time -------------------------------------------------------------------------------
    Word(("夜", "宵", "夜半", "night", "midnight", "darkness"), time="night"),
    Word(("星", "星河", "star", "stars"), time="night", hint=True),
    Word(("晨", "晓", "曙", "朝", "dawn", "morning", "sunrise", "daybreak"), time="dawn"),
    Word(("夕", "暮", "黄昏", "落日", "夕阳", "斜阳", "晚", "dusk", "evening", "sunset",
          "twilight"),
         time="dusk"),
    Word(("日", "白日", "春", "noon", "day", "sun", "sunlight", "spring"), time="day",
         hint=True),
    # --- feelings (music only) --------------------------------------------------------------
    Word(("思", "愁", "泪", "孤", "别", "悲", "sorrow", "tears", "alone", "lonely", "farewell",
          "grief"),
         mood="sad"),
    Word(("静", "闲", "幽", "still", "quiet", "calm", "peace", "silent"), mood="calm"),
    Word(("欢", "喜", "笑", "joy", "laugh", "merry", "glad"), mood="joyful"),
)


@dataclass(frozen=True)
class Imagery:
    """What one line of verse shows."""

    kind: LocationKind = "mountains"
    time_of_day: TimeOfDay = "day"
    weather: Weather = "clear"
    motifs: tuple[Motif, ...] = ()
    mood: str | None = None      # the mood the line's own words name (not inherited)
    words: tuple[str, ...] = ()  # the vocabulary words found in the line, in order

    @property
    def place(self) -> tuple[LocationKind, Weather, tuple[Motif, ...]]:
        """What makes a set: lines with the same place share one location."""
        return self.kind, self.weather, self.motifs


# The picture of a poem whose first line names nothing: a calm landscape by day.
CALM_LANDSCAPE = Imagery(kind="mountains", time_of_day="day", weather="clear")

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_LATIN_WORD = re.compile(r"[A-Za-z]+(?:'[A-Za-z]+)?")


def _index() -> tuple[dict[str, Word], dict[str, Word], int]:
    chinese: dict[str, Word] = {}
    english: dict[str, Word] = {}
    for row in VOCABULARY:
        for word in row.words:
            table = chinese if _CJK.search(word) else english
            table.setdefault(word.casefold(), row)
    longest = max((len(w) for w in chinese), default=1)
    return chinese, english, longest


_CHINESE, _ENGLISH, _LONGEST = _index()


def find_words(line: str) -> list[tuple[int, str, Word]]:
    """The vocabulary words in ``line``: ``(position, word as found, row)``, in order."""
    found: list[tuple[int, str, Word]] = []
    i = 0
    while i < len(line):
        if _CJK.match(line[i]):
            for size in range(min(_LONGEST, len(line) - i), 0, -1):
                row = _CHINESE.get(line[i:i + size])
                if row is not None:
                    found.append((i, line[i:i + size], row))
                    i += size
                    break
            else:
                i += 1
        else:
            i += 1
    for match in _LATIN_WORD.finditer(line):
        row = _english_row(match[0].casefold())
        if row is not None:
            found.append((match.start(), match[0], row))
    return sorted(found, key=lambda item: item[0])


def _english_row(word: str) -> Word | None:
    word = word.removesuffix("'s")
    for candidate in (word, word.removesuffix("s"), word.removesuffix("es")):
        if candidate and candidate in _ENGLISH:
            return _ENGLISH[candidate]
    return None


def imagery_of(line: str, previous: Imagery | None = None) -> Imagery:
    """What ``line`` shows; what it does not name is kept from ``previous``.

    A line with no known word shows exactly the previous picture (or :data:`CALM_LANDSCAPE`
    when it is the first). Otherwise its kind, time and weather are the ones it names, else
    the previous ones, and its motifs are its own, or the previous ones if it names none.
    """
    before = previous or CALM_LANDSCAPE
    found = find_words(line)
    if not found:
        return replace(before, mood=None, words=())
    rows = [row for _, _, row in found]
    kind: LocationKind | None = _first([r.kind for r in rows if not r.hint]) or \
        _first([r.kind for r in rows])
    time: TimeOfDay | None = _first([r.time for r in rows if not r.hint]) or \
        _first([r.time for r in rows])
    weather: Weather | None = _first([r.weather for r in rows])
    motifs: list[Motif] = []
    for row in rows:
        motifs.extend(m for m in row.motifs if m not in motifs)
    return Imagery(
        kind=kind or before.kind,
        time_of_day=time or before.time_of_day,
        weather=weather or before.weather,
        motifs=tuple(motifs[:MAX_MOTIFS]) if motifs else before.motifs,
        mood=_first([r.mood for r in rows]),
        words=tuple(word for _, word, _ in found),
    )


def poem_imagery(lines: Sequence[str]) -> list[Imagery]:
    """The imagery of each line, each inheriting what it leaves unsaid from the one before."""
    out: list[Imagery] = []
    previous: Imagery | None = None
    for line in lines:
        previous = imagery_of(line, previous)
        out.append(previous)
    return out


def poem_mood(imagery: Sequence[Imagery]) -> str:
    """The mood named most often in the poem (the first of equals), or ``calm``."""
    moods = [i.mood for i in imagery if i.mood]
    if not moods:
        return "calm"
    counts = Counter(moods)
    best = max(counts.values())
    return next(m for m in moods if counts[m] == best)


def _first(values: Sequence[_T | None]) -> _T | None:
    return next((v for v in values if v is not None), None)
