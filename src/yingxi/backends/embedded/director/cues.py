"""What the director reads in the words of a script: emotion, tension, movement, props.

Small word tables in Chinese and English. They are heuristics, and deliberately so: the plan
is a file the creator edits, and an LLM planner can replace them behind the same interface.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Literal, TypeVar

from yingxi.schema.bible import Bible, Character, Prop
from yingxi.schema.screenplay import Dialogue
from yingxi.schema.shots import Expression

T = TypeVar("T")

_EXPRESSIONS: tuple[tuple[Expression, tuple[str, ...]], ...] = (
    ("happy", ("smil", "laugh", "grin", "happy", "笑", "高兴", "开心", "欣喜")),
    ("sad", ("cry", "sad", "tear", "sob", "sigh", "哭", "泪", "悲", "难过", "叹", "哽咽")),
    ("angry", ("angry", "shout", "furious", "glare", "怒", "喊", "吼", "瞪")),
    ("surprised", ("surprise", "gasp", "shock", "startle", "惊", "愣", "诧异")),
)
_OFFSCREEN = frozenset({"VO", "OS", "OC", "OFF", "OFFSCREEN", "VOICEOVER", "画外音", "画外",
                        "旁白", "内心", "内心独白"})
_MOODS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("tense", ("tense", "danger", "run", "fear", "紧张", "危险", "害怕", "急", "逃")),
    ("sad", ("sad", "cry", "tear", "farewell", "哭", "泪", "离别", "悲", "叹")),
    ("warm", ("warm", "smile", "laugh", "温暖", "笑", "灯", "茶")),
    ("mysterious", ("mysterious", "shadow", "secret", "神秘", "影子", "秘密", "雾")),
)
# Words that raise the stakes of a moment: the camera pushes in on them.
_TENSION = ("tense", "danger", "fear", "threat", "suddenly", "silence", "stare", "whisper",
            "紧张", "危险", "害怕", "突然", "沉默", "盯", "低声", "颤", "咬牙", "握紧")
# Someone crossing the frame, entering or leaving: the shot opens up to follow them.
_MOVEMENT = ("walk", "run", "enter", "exit", "leave", "cross", "step", "approach", "hurr",
             "走", "跑", "进来", "进门", "推门", "出去", "离开", "走近", "来到", "冲", "转身")
# Which way a movement goes: into the scene or out of it.
_ENTER = ("enter", "comes in", "come in", "arrive", "walks in", "steps in", "进来", "进门",
          "走进", "来到", "推门进", "走来")
_EXIT = ("leave", "exit", "walks away", "walks out", "goes out", "离开", "走出", "出去", "离去",
         "走远", "走了")
_QUIET = ("softly", "quietly", "gently", "轻声", "低声", "小声", "喃喃")


def offscreen(line: Dialogue) -> bool:
    """Whether a line is heard but its speaker not seen: (V.O.), (O.S.), (O.C.), (画外音)."""
    marks = (re.sub(r"[\s.'’-]", "", part).upper() for part in (line.extension or "").split(","))
    return any(mark in _OFFSCREEN for mark in marks)


def expression(text: str) -> Expression | None:
    """The facial expression a parenthetical or action line asks for, if any."""
    lowered = text.casefold()
    for name, words in _EXPRESSIONS:
        if any(w in lowered for w in words):
            return name
    return None


def mood(text: str) -> str:
    """The musical mood of a scene's words (calm if nothing stands out)."""
    lowered = text.casefold()
    for name, words in _MOODS:
        if any(w in lowered for w in words):
            return name
    return "calm"


def tense(text: str) -> bool:
    """Whether the words raise tension (motivates a push-in)."""
    lowered = text.casefold()
    return any(w in lowered for w in _TENSION)


def movement(text: str) -> bool:
    """Whether someone moves through the space (motivates a wider, following frame)."""
    lowered = text.casefold()
    return any(w in lowered for w in _MOVEMENT)


def walks(text: str, bible: Bible) -> dict[str, Literal["in", "out"]]:
    """Who walks in or out in an action paragraph: the character named last before each
    entering or leaving verb."""
    lowered = text.casefold()
    found: dict[str, Literal["in", "out"]] = {}
    mentions = _mentions(text, ((c.id, c.cue_names()) for c in bible.characters))
    for words, direction in ((_ENTER, "in"), (_EXIT, "out")):
        for word in words:
            at = lowered.find(word)
            if at < 0:
                continue
            before = [cid for pos, cid in mentions if pos < at]
            if before and before[-1] not in found:
                found[before[-1]] = direction  # type: ignore[assignment]
    return found


def intensity(line: Dialogue) -> int:
    """How emotionally charged a line is, 0 (plain) to 3 (a peak).

    An emotional parenthetical counts most (the writer asked for it), then exclamations and
    emotional words in the line itself. A line marked soft or quiet is intimate: it earns a
    closer frame too.
    """
    paren = line.parenthetical or ""
    score = 0
    if expression(paren) is not None:
        score += 2
    elif any(w in paren.casefold() for w in _QUIET):
        score += 1
    if re.search(r"[!！]", line.text):
        score += 1
    if expression(line.text) is not None or tense(line.text):
        score += 1
    return min(score, 3)


def named_characters(text: str, bible: Bible) -> list[Character]:
    """Characters a line of action mentions, in order of mention."""
    return [c for _, c in _mentions(text, ((c, c.cue_names()) for c in bible.characters))]


def named_props(text: str, bible: Bible) -> list[Prop]:
    """Props a line of action mentions, in order of mention."""
    return [p for _, p in _mentions(text, ((p, p.match_names()) for p in bible.props))]


def _mentions(text: str, candidates: Iterable[tuple[T, list[str]]]) -> list[tuple[int, T]]:
    found: list[tuple[int, T]] = []
    lowered = text.casefold()
    for item, names in candidates:
        positions = [lowered.find(n.casefold()) for n in names if n]
        positions = [p for p in positions if p >= 0]
        if positions:
            found.append((min(positions), item))
    return sorted(found, key=lambda pair: pair[0])


def reading_time(text: str) -> float:
    """Seconds a viewer needs to take in an action paragraph (a screen-time estimate)."""
    cjk = len(re.findall(r"[\u3400-\u9fff]", text))
    words = len(re.findall(r"[A-Za-z']+", text))
    return 0.8 + 0.2 * cjk + 0.3 * words
