"""Guess a location from a scene heading: its kind, era, time of day, weather and motifs.

``INT. HARBOR OFFICE - NIGHT`` is an office at night; ``外景 江边 - 黄昏`` a shore at dusk;
``内景 皇宫大殿 - 日`` an ancient palace by day. :data:`PLACE_WORDS` lists the words per kind
(English words match whole words, Chinese anywhere); weather and motifs come from the
poem vocabulary (:mod:`yingxi.scaffold.imagery`), so a ``LANTERN SHOP`` gets lanterns.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from yingxi.scaffold.imagery import MAX_MOTIFS, Weather, find_words
from yingxi.schema.bible import INTERIOR_KINDS, LocationKind, Motif
from yingxi.schema.screenplay import TimeOfDay
from yingxi.script.fountain import time_of_day

Era = Literal["ancient", "modern"]

# Kind words, in order of precedence when a place names two kinds (an exterior heading
# prefers an exterior kind, an interior heading an interior one).
PLACE_WORDS: tuple[tuple[LocationKind, tuple[str, ...]], ...] = (
    ("office", ("OFFICE", "STUDIO", "BANK", "CLASSROOM", "SCHOOL", "HOSPITAL", "WARD",
                "LAB", "LABORATORY", "POLICE STATION", "LIBRARY", "STUDY",
                "公司", "办公", "写字楼", "会议室", "教室", "学校", "医院", "病房", "书房", "衙门",
                "警局", "书院")),
    ("palace", ("PALACE", "THRONE", "CASTLE", "COURT", "TEMPLE", "宫", "殿", "朝堂", "王府",
                "府", "寺", "庙")),
    ("shore", ("BEACH", "RIVER", "RIVERBANK", "DOCK", "DOCKS", "PIER", "HARBOR", "HARBOUR",
               "PORT", "LAKE", "SEA", "SHORE", "COAST", "BAY", "FERRY", "BOAT", "SHIP",
               "BRIDGE", "江", "河", "湖", "海", "岸", "码头", "渡口", "船", "桥", "溪")),
    ("mountains", ("MOUNTAIN", "MOUNTAINS", "HILL", "HILLS", "HILLTOP", "CLIFF", "PEAK",
                   "VALLEY", "CANYON", "山", "峰", "崖", "谷", "岭")),
    ("forest", ("FOREST", "WOODS", "WOOD", "JUNGLE", "GROVE", "PARK", "GARDEN", "ORCHARD",
                "林", "树", "竹", "森", "园")),
    ("village", ("VILLAGE", "FARM", "FIELD", "FIELDS", "BARN", "COUNTRYSIDE", "RANCH",
                 "村", "乡", "田", "农")),
    ("city", ("STREET", "CITY", "CAFE", "CAFÉ", "BAR", "RESTAURANT", "SHOP", "STORE",
              "MARKET", "ALLEY", "ROOFTOP", "STATION", "DOWNTOWN", "TOWN", "SQUARE", "CLUB",
              "MALL", "HOTEL", "TAXI", "CAR", "BUS", "TRAIN", "SUBWAY", "ROAD",
              "街", "城", "市", "店", "铺", "馆", "楼", "巷", "车", "站", "路", "酒吧", "咖啡")),
    ("home", ("HOUSE", "HOME", "APARTMENT", "FLAT", "KITCHEN", "ROOM", "BEDROOM",
              "LIVING ROOM", "BATHROOM", "HALL", "HALLWAY", "ATTIC", "BASEMENT", "COTTAGE",
              "CABIN", "GARAGE", "家", "屋", "房", "室", "厅", "卧", "厨", "院", "宅")),
)
ANCIENT_WORDS = ("宫", "殿", "古", "府", "寺", "庙", "驿", "客栈", "衙门", "书院", "王府", "朝堂",
                 "ANCIENT", "DYNASTY", "IMPERIAL")
_INTERIOR_SETTINGS = ("INT", "内景", "I/E", "INT/EXT", "INT./EXT", "内外景")


@dataclass(frozen=True)
class PlaceGuess:
    """What a heading suggests about its location, and why."""

    kind: LocationKind
    era: Era
    time_of_day: TimeOfDay | None
    weather: Weather
    motifs: tuple[Motif, ...]
    because: str  # the word that decided the kind, or "" for the default


def _has_word(place: str, word: str) -> bool:
    if re.search(r"[A-Za-z]", word):
        return re.search(rf"(?<![A-Za-z]){re.escape(word)}(?![A-Za-z])", place,
                         re.IGNORECASE) is not None
    return word in place


def guess_kind(place: str, setting: str) -> tuple[LocationKind, str]:
    """The kind of set ``place`` names, and the word that said so (``""`` if none did)."""
    found = [(kind, word) for kind, words in PLACE_WORDS for word in words
             if _has_word(place, word)]
    interior = setting.upper().rstrip(".") in _INTERIOR_SETTINGS or setting.startswith("内")
    preferred = [(k, w) for k, w in found if (k in INTERIOR_KINDS) == interior]
    if preferred:
        return preferred[0]
    if interior:  # INT. CAFE: the inside of a place whose set is an exterior; a room it is
        return "home", found[0][1] if found else ""
    return found[0] if found else ("city", "")


def guess_place(place: str, setting: str, time: str) -> PlaceGuess:
    """Everything a heading suggests about its location."""
    kind, because = guess_kind(place, setting)
    era: Era = "ancient" if any(_has_word(place, w) for w in ANCIENT_WORDS) else "modern"
    rows = [row for _, _, row in find_words(place)]
    weather: Weather = next((r.weather for r in rows if r.weather), "clear")
    motifs: list[Motif] = []
    for row in rows:
        motifs.extend(m for m in row.motifs if m not in motifs)
    return PlaceGuess(kind=kind, era=era, time_of_day=time_of_day(time), weather=weather,
                      motifs=tuple(motifs[:MAX_MOTIFS]), because=because)
