"""From a Fountain document to the screenplay yingxi films: scenes of action and dialogue.

Structure-only elements (sections, synopses, page breaks) are dropped; centered text and
lyrics outside dialogue become action; a parenthetical after speech starts a new beat of the
same cue (its delivery changes). Emphasis markup is removed: voices and painters get plain
text.
"""

from __future__ import annotations

import logging
import re

from yingxi.errors import ScriptError
from yingxi.schema.screenplay import (
    Action,
    Dialogue,
    Element,
    Scene,
    SceneHeading,
    Screenplay,
    TimeOfDay,
    Transition,
)
from yingxi.script.fountain.elements import FountainDocument, FountainElement
from yingxi.script.fountain.inline import plain
from yingxi.script.fountain.parser import HEADING, HEADING_ZH

logger = logging.getLogger(__name__)

# Words that name the time of day at the end of a scene heading.
TIME_WORDS: dict[TimeOfDay, tuple[str, ...]] = {
    "dawn": ("DAWN", "SUNRISE", "EARLY MORNING", "黎明", "清晨", "拂晓", "日出", "凌晨", "晨"),
    "dusk": ("DUSK", "SUNSET", "EVENING", "TWILIGHT", "黄昏", "傍晚", "日落", "夕阳", "薄暮"),
    "night": ("NIGHT", "MIDNIGHT", "夜", "夜晚", "晚上", "深夜", "午夜", "晚"),
    "day": ("DAY", "MORNING", "NOON", "AFTERNOON", "日", "白天", "上午", "中午", "下午", "早上",
            "午"),
}
CARRY_OVER = ("CONTINUOUS", "LATER", "MOMENTS LATER", "SAME", "SAME TIME", "同时", "稍后",
              "片刻后", "接上")
# Lines Fountain reads as action that every screenwriter means as something else: a
# transition without "TO:" (FADE OUT.) and a heading with a setting the spec does not list.
_TRANSITION_ACTION = re.compile(
    r"^(FADE (OUT|TO BLACK|IN)[.:]?|CUT TO BLACK[.:]?|THE END[.]?|淡出[。.]?|淡入[。.]?|"
    r"黑场[。.]?)$", re.I)
_HEADING_ACTION = re.compile(r"^(EXT\.?/INT|E/I)(\.|\s)", re.I)
_TIME_SPLIT = re.compile(r"\s+[-–—－]+\s*|\s*[-–—－]+\s+|\s*—+\s*")


def time_of_day(text: str, previous: TimeOfDay | None = None) -> TimeOfDay | None:
    """The time of day a heading's time part names (``NIGHT``, ``黄昏``...), if any.

    ``CONTINUOUS`` / ``LATER`` / ``同时`` carry ``previous`` over.
    """
    upper = text.upper().strip()
    if not upper:
        return None
    if any(upper.startswith(w) for w in CARRY_OVER):
        return previous
    for time, words in TIME_WORDS.items():
        if upper in words:
            return time
    for time, words in TIME_WORDS.items():
        if any(w in upper for w in words if len(w) > 1):
            return time
    return None


def to_screenplay(doc: FountainDocument) -> Screenplay:
    """Group a document's elements into scenes; raise :class:`ScriptError` if none can be."""
    return _Builder(doc).build()


class _Builder:
    def __init__(self, doc: FountainDocument) -> None:
        self.doc = doc
        self.scenes: list[Scene] = []
        self.before: list[Element] = []   # elements before the first heading
        self.cue: FountainElement | None = None
        self.parenthetical: str | None = None
        self.said = False                 # the current cue has spoken at least once
        self.beat_line = 0                # the line a beat of speech is reported at

    def build(self) -> Screenplay:
        for element in self.doc.elements:
            self._element(element)
        self._end_cue()
        if not self.scenes:
            first = next(iter(self.doc.elements), None)
            if first is None and self.doc.title_page:
                last = self.doc.title_page[-1]
                raise ScriptError(
                    "the screenplay has no scene heading, only a title page",
                    file=self.doc.source, line=last.line + last.value.count("\n") + 1,
                    hint="leave a blank line after the title page, then write a scene "
                         "heading such as 'EXT. RIVERBANK - DUSK' and what happens under it")
            if first is None:
                raise ScriptError("the screenplay is empty", file=self.doc.source, line=1,
                                  hint="write a scene heading such as 'EXT. RIVERBANK - DUSK' "
                                       "and what happens under it")
            raise ScriptError(
                "the screenplay has no scene heading", file=self.doc.source, line=first.line,
                column=first.column,
                hint="start each scene with a heading such as 'EXT. RIVERBANK - DUSK' or "
                     "'外景 江边 - 黄昏' (or force one with a leading '.')")
        return Screenplay(source=self.doc.source, title_page=self._title_page(),
                          scenes=self.scenes)

    def _title_page(self) -> dict[str, str]:
        return {key: plain(value) for key, value in self.doc.title_dict().items()}

    def _element(self, e: FountainElement) -> None:
        if e.type in ("dialogue", "parenthetical") or (e.type == "lyrics" and e.character):
            self._speech(e)
            return
        self._end_cue()
        if e.type == "character":
            self.cue, self.parenthetical, self.said, self.beat_line = e, None, False, e.line
        elif e.type == "scene_heading":
            self.scenes.append(Scene(heading=_heading(e), elements=self.before))
            self.before = []
        elif e.type == "action" and _TRANSITION_ACTION.match(plain(e.text).strip()):
            self._add(Transition(text=plain(e.text).strip(), line=e.line))
        elif e.type == "action" and "\n" not in e.text.strip() and \
                _HEADING_ACTION.match(e.text.strip()):
            logger.warning("%s:%d: %r is read as a scene heading; Fountain tools read it as "
                           "action: write INT./EXT. or start the line with '.'",
                           self.doc.source, e.line, e.text.strip())
            heading = e.model_copy(update={"text": e.text.strip()})
            self.scenes.append(Scene(heading=_heading(heading), elements=self.before))
            self.before = []
        elif e.type in ("action", "centered", "lyrics"):
            text = plain(e.text).strip("\n")
            if text.strip():
                self._add(Action(text=text, line=e.line))
        elif e.type == "transition":
            self._add(Transition(text=plain(e.text), line=e.line))
        # sections, synopses and page breaks are structure for writers, not for the camera

    def _speech(self, e: FountainElement) -> None:
        if self.cue is None:  # the reader only makes these under a cue
            return
        if e.type == "parenthetical":
            self.parenthetical = plain(e.text[1:-1].strip())
            if self.said:  # after speech, a parenthetical starts a new beat of the line
                self.beat_line = e.line
            return
        text = plain(e.text).strip()
        if not text:
            return
        cue = self.cue
        self._add(Dialogue(cue=plain(cue.text), extension=_extension(cue.extension),
                           parenthetical=self.parenthetical, text=text, line=self.beat_line,
                           dual=cue.dual))
        self.said = True
        self.beat_line = e.line  # a further beat with no parenthetical starts at its text

    def _end_cue(self) -> None:
        if self.cue is not None and not self.said:
            logger.warning("%s:%d: character cue %r has no speech; skipped",
                           self.doc.source, self.cue.line, self.cue.text)
        self.cue = None

    def _add(self, element: Element) -> None:
        if not self.scenes:
            self.before.append(element)  # a prologue plays in the first scene's place
            return
        scene = self.scenes[-1]
        self.scenes[-1] = scene.model_copy(update={"elements": [*scene.elements, element]})


def _extension(written: str | None) -> str | None:
    """``"(V.O.) (CONT'D)"`` -> ``"V.O., CONT'D"``."""
    if not written:
        return None
    parts = [p.strip() for p in re.findall(r"[(（]([^()（）]*)[)）]", written)]
    return ", ".join(p for p in parts if p) or None


def _heading(e: FountainElement) -> SceneHeading:
    text = plain(e.text)
    setting, rest = "", text
    if not e.forced:
        match = HEADING.match(text) or HEADING_ZH.match(text) or _HEADING_ACTION.match(text)
        if match:
            setting = match[1].upper()
            rest = text[match.end():].lstrip(" .．。：:、\t")
    parts = _TIME_SPLIT.split(rest)
    if len(parts) > 1:
        place, time = " - ".join(p.strip() for p in parts[:-1]), parts[-1].strip()
    else:  # no dash: only a known time word at the end is a time ("外景 江边 黄昏")
        words = rest.split()
        known = {w for group in (*TIME_WORDS.values(), CARRY_OVER) for w in group}
        if len(words) > 1 and words[-1].upper() in known:
            place, time = " ".join(words[:-1]), words[-1]
        else:
            place, time = rest, ""
    return SceneHeading(text=text, line=e.line, setting=setting, place=place.strip(" .．"),
                        time=time.strip(" .．"), number=e.scene_number)
