"""A Fountain reader for the elements a short drama needs.

Covers the title page, scene headings (INT/EXT/EST/I/E, forced ``.``, scene numbers ``#1A#``,
Chinese 内景/外景), action (``!`` forced), character cues (``@`` forced, extensions such as
``(V.O.)``, names without upper case such as 林秋), dialogue with parentheticals (ASCII or
full-width brackets), dual-dialogue markers, transitions (``... TO:``, ``>`` forced,
``FADE OUT.``), centered text, notes ``[[ ]]`` and boneyard ``/* */`` (removed, line numbers
kept), sections ``#``, synopses ``=`` and page breaks ``===`` (skipped), and emphasis markers
(removed from the text). Line endings LF/CRLF/CR and a UTF-8 BOM are accepted.

Every element keeps the line it starts on.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

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

_HEADING = re.compile(
    r"^(?P<setting>INT\.?/EXT|EXT\.?/INT|INT|EXT|EST|I/E|E/I)[.\s]\s*(?P<rest>.*)$", re.I)
_HEADING_ZH = re.compile(r"^(?P<setting>内外景|外内景|内景|外景)[\s.．。：:、]*(?P<rest>.*)$")
_SCENE_NUMBER = re.compile(r"\s*#(?P<num>[\w.\-]+)#\s*$")
_TIME_SPLIT = re.compile(r"\s+[-–—－]+\s*|\s*[-–—－]+\s+|\s*—+\s*")
_TITLE_KEY = re.compile(r"^(?P<key>[^\s:：][^:：]*?)\s*[:：]\s*(?P<value>.*)$")
_TRANSITION_WORDS = re.compile(
    r"^(FADE (OUT|TO BLACK|IN)[.:]?|CUT TO BLACK[.:]?|淡出[。.]?|淡入[：:]?|切至[：:]|"
    r"叠化至[：:]|转场[：:]|黑场[。.]?)$")
_PARENTHETICAL = re.compile(r"^[(（].*[)）]$")
_CUE_EXTENSION = re.compile(r"\s*[(（](?P<ext>[^)）]*)[)）]\s*$")
_CJK_SENTENCE_PUNCT = re.compile(r"[。，！？；：、…—.,!?;:]")
_EMPHASIS = re.compile(r"(?<!\\)(\*{1,3}|_)")
_LATIN = re.compile(r"[A-Za-z]")


@dataclass(frozen=True)
class _Line:
    number: int
    text: str


def read_fountain(path: Path) -> Screenplay:
    """Read and parse a Fountain file."""
    return parse_fountain(read_fountain_text(path), source=str(path))


def read_fountain_text(path: Path) -> str:
    """The text of a Fountain file; clear errors when it is missing or not UTF-8."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ScriptError("screenplay not found", file=path,
                          hint="check the path; episodes live in PRODUCTION/episodes/*.fountain"
                          ) from None
    except OSError as exc:
        raise ScriptError(f"cannot read the screenplay: {exc.strerror}", file=path) from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ScriptError("the file is not UTF-8 text", file=path, line=line,
                          hint="save the screenplay as UTF-8") from None


def parse_fountain(text: str, source: str = "<string>") -> Screenplay:
    """Parse Fountain text into a :class:`Screenplay`."""
    return _Parser(text, source).parse()


class _Parser:
    def __init__(self, text: str, source: str) -> None:
        self.source = source
        text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
        text = _strip_spans(text, "/*", "*/")
        text = _strip_spans(text, "[[", "]]")
        # Trailing spaces are kept: in Fountain a line of two spaces continues a block.
        self.lines = [_Line(i + 1, t) for i, t in enumerate(text.split("\n"))]
        self.scenes: list[Scene] = []
        self.pending: list[Element] = []  # elements seen before the first scene heading

    def parse(self) -> Screenplay:
        title_page, start = self._title_page()
        blocks = _blocks(self.lines[start:])
        for block in blocks:
            self._block(block)
        if not self.scenes:
            raise ScriptError(
                "the screenplay has no scene heading", file=self.source, line=1,
                hint="start each scene with a heading such as 'EXT. RIVERBANK - DUSK' "
                     "or '外景 江边 - 黄昏'")
        return Screenplay(source=self.source, title_page=title_page, scenes=self.scenes)

    # --- title page ------------------------------------------------------------------------

    def _title_page(self) -> tuple[dict[str, str], int]:
        first = next((i for i, ln in enumerate(self.lines) if ln.text.strip()), None)
        if first is None:
            raise ScriptError("the screenplay is empty", file=self.source, line=1)
        match = _TITLE_KEY.match(self.lines[first].text)
        if not match or _is_heading(self.lines[first].text) or \
                _is_transition(self.lines[first].text.strip()) or \
                not re.match(r"^[A-Za-z\u4e00-\u9fff][\w \u4e00-\u9fff]*$", match["key"]):
            return {}, 0
        page: dict[str, str] = {}
        key = ""
        i = first
        while i < len(self.lines) and self.lines[i].text.strip():
            line = self.lines[i].text
            match = _TITLE_KEY.match(line)
            if match and not line[:1].isspace():
                key = match["key"].strip().lower()
                page[key] = match["value"].strip()
            elif key:
                page[key] = (page[key] + "\n" + line.strip()).strip()
            i += 1
        return {k: _plain(v) for k, v in page.items()}, i

    # --- body ------------------------------------------------------------------------------

    def _block(self, block: list[_Line]) -> None:
        first = block[0]
        stripped = first.text.strip()
        if stripped.startswith("===") or stripped.startswith("#") or \
                (stripped.startswith("=") and not stripped.startswith("==")):
            return  # page break, section, synopsis: structure only
        if len(block) == 1 and _is_heading(first.text):
            self.scenes.append(Scene(heading=_heading(first)))
            return
        if len(block) == 1 and _is_transition(stripped):
            self._add(Transition(text=stripped.lstrip(">").strip(), line=first.number))
            return
        if len(block) > 1 and _is_cue(stripped):
            self._dialogue(block)
            return
        self._add(_action(block))

    def _dialogue(self, block: list[_Line]) -> None:
        cue_line = block[0]
        name = cue_line.text.strip().removeprefix("@").strip()
        if name.endswith("^"):
            name = name[:-1].rstrip()  # dual dialogue: staged like any other line for now
        extension = None
        match = _CUE_EXTENSION.search(name)
        if match:
            extension = match["ext"].strip()
            name = name[: match.start()].strip()
        parenthetical: str | None = None
        text_lines: list[str] = []
        start = cue_line.number
        for line in block[1:]:
            content = line.text.strip()
            if _PARENTHETICAL.match(content):
                if text_lines:  # a parenthetical after speech starts a new beat of the line
                    self._add(Dialogue(cue=name, extension=extension, text=_join(text_lines),
                                       parenthetical=parenthetical, line=start))
                    text_lines, start = [], line.number
                parenthetical = _plain(content[1:-1].strip())
            elif spoken := _plain(content.lstrip("~").strip()):
                text_lines.append(spoken)
        if not text_lines:
            raise ScriptError(
                f"character cue {name!r} has no dialogue", file=self.source, line=start,
                hint="put the speech on the line under the cue, or end the line with 。 or "
                     "start it with ! if it is action")
        self._add(Dialogue(cue=name, extension=extension, text=_join(text_lines),
                           parenthetical=parenthetical, line=start))

    def _add(self, element: Element) -> None:
        if not self.scenes:
            if isinstance(element, Transition):
                self.pending.append(element)
                return
            raise ScriptError(
                "this comes before the first scene heading", file=self.source,
                line=element.line,
                hint="add a heading such as 'INT. TEAHOUSE - NIGHT' or '内景 茶馆 - 夜' above it")
        scene = self.scenes[-1]
        elements = [*scene.elements, *self.pending, element]
        self.pending = []
        self.scenes[-1] = scene.replace(elements=elements)


def _blocks(lines: list[_Line]) -> list[list[_Line]]:
    """Split into paragraphs at blank lines (a line of two spaces is not blank in Fountain)."""
    blocks: list[list[_Line]] = []
    current: list[_Line] = []
    for line in lines:
        if line.text.strip() or (line.text == "  " and current):
            current.append(line)
        elif current:
            blocks.append(current)
            current = []
    if current:
        blocks.append(current)
    return blocks


def _is_heading(text: str) -> bool:
    stripped = text.strip()
    if stripped.startswith(".") and len(stripped) > 1 and stripped[1] not in ".":
        return True
    return bool(_HEADING.match(stripped) or _HEADING_ZH.match(stripped))


def _heading(line: _Line) -> SceneHeading:
    text = line.text.strip()
    number = None
    match_num = _SCENE_NUMBER.search(text)
    if match_num:
        number = match_num["num"]
        text = text[: match_num.start()].rstrip()
    setting, rest = "", text
    if text.startswith(".") and not text.startswith(".."):
        rest = text[1:].strip()
    else:
        match = _HEADING.match(text) or _HEADING_ZH.match(text)
        if match:
            setting, rest = match["setting"].upper(), match["rest"].strip()
    parts = _TIME_SPLIT.split(rest, maxsplit=0)
    if len(parts) > 1:
        place, time = " - ".join(p.strip() for p in parts[:-1]), parts[-1].strip()
    else:  # no dash: only a known time word at the end is a time ("外景 江边 黄昏")
        words = rest.split()
        known = {w for group in (*TIME_WORDS.values(), CARRY_OVER) for w in group}
        if len(words) > 1 and words[-1].upper() in known:
            place, time = " ".join(words[:-1]), words[-1]
        else:
            place, time = rest, ""
    return SceneHeading(text=_plain(text), line=line.number, setting=setting,
                        place=_plain(place).strip(" .．"), time=_plain(time).strip(" .．"),
                        number=number)


def _is_transition(text: str) -> bool:
    if text.startswith(">") and not text.endswith("<"):
        return True
    if _TRANSITION_WORDS.match(text):
        return True
    return text.endswith("TO:") and text == text.upper()


def _is_cue(text: str) -> bool:
    if text.startswith("@"):
        return len(text) > 1
    if text.startswith(("!", ">", "(", "（", "~", ".")) or _is_heading(text):
        return False
    name = _CUE_EXTENSION.sub("", text.removesuffix("^").strip())
    if not name or any(c.islower() for c in name) or not any(c.isalpha() for c in name):
        return False
    if _LATIN.search(name):
        return True  # standard Fountain: an all-upper-case line followed by speech
    # Scripts without letter case (Chinese): a short name with no sentence punctuation.
    return len(name) <= 12 and not _CJK_SENTENCE_PUNCT.search(name) and " " not in name


def _action(block: list[_Line]) -> Action:
    lines = [ln.text for ln in block]
    lines[0] = lines[0].lstrip()
    if lines[0].startswith("!"):
        lines[0] = lines[0][1:]
    text = "\n".join(_plain(t.strip().removeprefix(">").removesuffix("<").strip())
                     if t.strip().startswith(">") and t.strip().endswith("<") else _plain(t)
                     for t in lines)
    return Action(text=text.strip("\n"), line=block[0].number)


def _plain(text: str) -> str:
    """Text without Fountain emphasis markers (escaped markers are kept)."""
    return _EMPHASIS.sub("", text).replace("\\*", "*").replace("\\_", "_")


def _join(lines: list[str]) -> str:
    return "\n".join(line for line in lines if line)


def _strip_spans(text: str, open_: str, close: str) -> str:
    """Remove ``open_ ... close`` spans, keeping their newlines so line numbers hold."""
    out: list[str] = []
    i = 0
    while True:
        start = text.find(open_, i)
        if start < 0:
            out.append(text[i:])
            return "".join(out)
        end = text.find(close, start + len(open_))
        if end < 0:  # unterminated: Fountain treats it as literal text
            out.append(text[i:])
            return "".join(out)
        out.append(text[i:start])
        out.append("\n" * text.count("\n", start, end))
        i = end + len(close)
