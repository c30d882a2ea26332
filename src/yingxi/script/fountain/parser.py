"""Read Fountain 1.1 text into a :class:`FountainDocument`.

The reader works paragraph by paragraph (a paragraph is a run of lines between blank lines;
a line of two spaces does not end one), the way the spec states its rules: a scene heading,
a character cue or a transition is recognised by its own line *and* its place in the
paragraph. Readings of points the spec leaves open are listed in docs/fountain.md.

Beyond the spec, for scripts written in languages without letter case (Chinese), a short
line with no sentence punctuation followed by speech is a character cue (``林秋``), headings
may start with ``内景``/``外景``, and full-width brackets and colons are accepted.

Reading never fails: any text is some sequence of elements. Whether that sequence can be
filmed is decided later (:mod:`.screenplay`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from yingxi.script.fountain.elements import (
    Dual,
    ElementType,
    FountainDocument,
    FountainElement,
    TitleEntry,
)
from yingxi.script.fountain.inline import strip_comments

HEADING = re.compile(r"^(INT\.?/EXT|INT|EXT|EST|I/E)(\.|\s|$)", re.I)
HEADING_ZH = re.compile(r"^(内外景|外内景|内景|外景)")
_SCENE_NUMBER = re.compile(r"\s*#([\w.-]+)#\s*$")
_TITLE_KEY = re.compile(r"^(?P<key>[^\W\d_][\w .'/&-]{0,40}?)\s*[:：]\s*(?P<value>.*)$")
_PAGE_BREAK = re.compile(r"^={3,}$")
# Chinese transitions (the spec's "... TO:" rule needs letter case).
TRANSITION_ZH = re.compile(r"^(淡入[：:]|切至[：:]|叠化至[：:]|转场[：:]|切换至[：:])$")
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff\u3040-\u30ff\uac00-\ud7af]")
_SENTENCE_PUNCT = re.compile(r"[。，！？；：、…—.,!?;:\"“”]")
CJK_CUE_MAX = 8
_SPEECH = ("character", "dialogue", "parenthetical", "lyrics")


@dataclass(frozen=True, slots=True)
class _Line:
    number: int
    text: str


def parse_document(text: str, source: str = "<string>") -> FountainDocument:
    """Parse Fountain text. Accepts LF, CRLF or CR line endings and a UTF-8 BOM."""
    return _Reader(text, source).read()


def parse_body(text: str, source: str = "<string>") -> FountainDocument:
    """Parse Fountain text as body only (no title page), as if it stood mid-script."""
    return _Reader(text, source, title_page=False).read()


def normalize_newlines(text: str) -> str:
    """Text with a leading BOM removed and every line ending turned into ``"\\n"``."""
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


class _Reader:
    def __init__(self, text: str, source: str, *, title_page: bool = True) -> None:
        self.source = source
        self.with_title_page = title_page
        self.lines = [_Line(n, t) for n, t in strip_comments(normalize_newlines(text))]
        self.elements: list[FountainElement] = []
        self.last_cue: int | None = None      # index of the last character element

    def read(self) -> FountainDocument:
        title_page, start = self._title_page() if self.with_title_page else ([], 0)
        for block in _paragraphs(self.lines[start:]):
            self._paragraph(block)
        return FountainDocument(source=self.source, title_page=title_page,
                                elements=self.elements)

    # --- title page ------------------------------------------------------------------------

    def _title_page(self) -> tuple[list[TitleEntry], int]:
        first = next((i for i, ln in enumerate(self.lines) if ln.text.strip()), None)
        if first is None or not _is_title_key(self.lines, first):
            return [], 0
        entries: list[tuple[str, list[str], int, int]] = []
        i = first
        while i < len(self.lines) and self.lines[i].text.strip():
            line = self.lines[i]
            match = _TITLE_KEY.match(line.text)
            if match and not line.text[:1].isspace():
                entries.append((match["key"].strip(), [match["value"].strip()], line.number, 1))
            elif line.text[:1].isspace():  # an indented line continues the current value
                entries[-1][1].append(line.text.strip())
            else:  # an unindented line with no key ends the title page: the body starts
                break
            i += 1
        page = [TitleEntry(key=key, value="\n".join(v for v in values if v), line=number,
                           column=column) for key, values, number, column in entries]
        return page, i

    # --- body ------------------------------------------------------------------------------

    def _paragraph(self, block: list[_Line]) -> None:
        i = 0
        at_start = True
        while i < len(block):
            line = block[i]
            s = line.text.strip()
            if not s:  # a kept-open blank line between elements of one paragraph
                i += 1
                continue
            kind = _single_line_kind(s)
            if kind is not None:
                self._single(kind, line, s)
                i += 1
                at_start = True
                continue
            if at_start:
                rest = block[i:]
                if _is_heading(s):
                    self._heading(line, s)
                    i += 1
                    continue
                if _is_transition(s, alone=len(rest) == 1):
                    self._emit("transition", s.removeprefix(">").strip(), line,
                               forced=s.startswith(">"))
                    i += 1
                    continue
                if len(rest) > 1 and is_cue(s):
                    self._dialogue(rest)
                    return
            i = self._action(block, i)
            at_start = False

    def _single(self, kind: ElementType, line: _Line, s: str) -> None:
        if kind == "page_break":
            self._emit("page_break", "", line)
        elif kind == "section":
            depth = len(s) - len(s.lstrip("#"))
            self._emit("section", s[depth:].strip(), line, depth=depth)
        elif kind == "synopsis":
            self._emit("synopsis", s[1:].strip(), line)
        elif kind == "centered":
            self._emit("centered", s[1:-1].strip(), line)
        else:
            self._emit("lyrics", s[1:].strip(), line, forced=True)

    def _heading(self, line: _Line, s: str) -> None:
        forced = s.startswith(".") and not HEADING.match(s)
        text = s[1:].strip() if forced else s
        number = None
        match = _SCENE_NUMBER.search(text)
        if match:
            number, text = match[1].strip(), text[: match.start()].rstrip()
        self._emit("scene_heading", text, line, scene_number=number, forced=forced)

    def _action(self, block: list[_Line], start: int) -> int:
        """Read action from ``block[start]`` up to the next single-line element."""
        lines: list[str] = []
        i = start
        forced = block[start].text.lstrip().startswith("!")
        while i < len(block):
            text = block[i].text.rstrip()
            if i > start and _single_line_kind(text.strip()) is not None:
                break
            if i == start and forced:
                text = text.lstrip()[1:]
            lines.append("" if not text.strip() else text)
            i += 1
        first = block[start]
        self._emit("action", "\n".join(lines), first, forced=forced)
        return i

    def _dialogue(self, block: list[_Line]) -> None:
        cue = block[0]
        name, extension, dual, forced = split_cue(cue.text.strip())
        if dual is not None:
            # the dialogue just before a "^" cue is the left half of the pair
            left = self.last_cue
            if left is None or any(e.type not in _SPEECH for e in self.elements[left:]):
                dual = None  # nothing to pair with: an ordinary cue
            else:
                for j in range(left, len(self.elements)):
                    self.elements[j] = self.elements[j].model_copy(update={"dual": "left"})
        self.last_cue = len(self.elements)
        self._emit("character", name, cue, extension=extension, dual=dual, forced=forced,
                   character=name)
        speech: list[str] = []
        speech_line: _Line | None = None
        for line in block[1:]:
            s = line.text.strip()
            if _is_parenthetical(s) or s.startswith("~"):
                self._speech(speech, speech_line, name, dual)
                speech, speech_line = [], None
                kind: ElementType = "parenthetical" if not s.startswith("~") else "lyrics"
                self._emit(kind, s if kind == "parenthetical" else s[1:].strip(), line,
                           character=name, dual=dual)
            else:
                speech.append(s)
                speech_line = speech_line or line
        self._speech(speech, speech_line, name, dual)

    def _speech(self, lines: list[str], first: _Line | None, name: str, dual: Dual | None
                ) -> None:
        if first is not None:
            self._emit("dialogue", "\n".join(lines).strip("\n"), first, character=name,
                       dual=dual)

    def _emit(self, kind: ElementType, text: str, line: _Line, *, forced: bool = False,
              character: str | None = None, extension: str | None = None,
              dual: Dual | None = None, scene_number: str | None = None,
              depth: int | None = None) -> None:
        column = len(line.text) - len(line.text.lstrip()) + 1
        self.elements.append(FountainElement(
            type=kind, text=text, line=line.number, column=column, character=character,
            extension=extension, dual=dual, scene_number=scene_number, depth=depth,
            forced=forced))


def _paragraphs(lines: list[_Line]) -> list[list[_Line]]:
    """Split at blank lines; a line of two or more spaces inside a paragraph keeps it open."""
    blocks: list[list[_Line]] = []
    current: list[_Line] = []
    for line in lines:
        if line.text.strip() or (current and line.text.startswith("  ")):
            current.append(line)
        elif current:
            blocks.append(current)
            current = []
    if current:
        blocks.append(current)
    # a paragraph never ends on kept-open blank lines
    return [_trim(block) for block in blocks]


def _trim(block: list[_Line]) -> list[_Line]:
    while len(block) > 1 and not block[-1].text.strip():
        block = block[:-1]
    return block


def _is_title_key(lines: list[_Line], index: int) -> bool:
    line = lines[index].text
    match = _TITLE_KEY.match(line)
    if not match or line[:1].isspace() or _is_heading(line.strip()) or \
            _is_transition(line.strip(), alone=True):
        return False
    if match["value"].strip():
        return True
    # "Title:" with its value on the indented lines below; "FADE IN:" alone is no title page
    following = lines[index + 1].text if index + 1 < len(lines) else ""
    return bool(following.strip()) and (following[:1].isspace()
                                        or bool(_TITLE_KEY.match(following)))


def _single_line_kind(s: str) -> ElementType | None:
    """Elements that are always one line, wherever they stand."""
    if not s:
        return None
    first = s[0]
    if first == "=":
        if _PAGE_BREAK.match(s):
            return "page_break"
        return "synopsis"
    if first == "#":
        return "section"
    if first == ">" and s.endswith("<") and len(s) > 1:
        return "centered"
    if first == "~":
        return "lyrics"
    return None


def _is_heading(s: str) -> bool:
    if s.startswith(".") and len(s) > 1 and s[1] not in ". ":
        return True
    return bool(HEADING.match(s) or HEADING_ZH.match(s))


def _is_transition(s: str, *, alone: bool) -> bool:
    if s.startswith(">") and not s.endswith("<"):
        return True
    if not alone:
        return False
    if TRANSITION_ZH.match(s):
        return True
    return s.endswith("TO:") and s == s.upper()


def _is_parenthetical(s: str) -> bool:
    return len(s) >= 2 and s[0] in "(（" and s[-1] in ")）"


def split_cue(s: str) -> tuple[str, str | None, Dual | None, bool]:
    """``@McCLANE (V.O.) ^`` -> name, extension as written, dual side, forced."""
    forced = s.startswith("@")
    if forced:
        s = s[1:].strip()
    dual: Dual | None = None
    if s.endswith("^"):
        dual, s = "right", s[:-1].rstrip()
    end = _extensions_start(s)
    extension = None
    if 0 < end < len(s):
        extension, s = s[end:].strip(), s[:end]
    return s, extension, dual, forced


def _extensions_start(s: str) -> int:
    """Where trailing ``(V.O.) (CONT'D)`` groups begin (``len(s)`` if none); linear time."""
    end = len(s)
    while end and s[end - 1] in ")）":
        j = end - 2
        while j >= 0 and s[j] not in "()（）":
            j -= 1
        if j <= 0 or s[j] not in "(（":
            break
        while j > 0 and s[j - 1].isspace():
            j -= 1
        end = j
    return end


def is_cue(s: str) -> bool:
    """Whether a line (stripped) reads as a character cue when speech follows it."""
    if s.startswith("@"):
        return bool(s[1:].strip())
    if s[:1] in "!>(（~.#=[":
        return False
    name = split_cue(s)[0]
    if not name or "^" in name or any(c.islower() for c in name):
        return False
    if any(c.isupper() for c in name):
        return True
    # Scripts without letter case (Chinese): a short name with no sentence punctuation.
    return bool(_CJK.search(name)) and len(name) <= CJK_CUE_MAX and \
        not _SENTENCE_PUNCT.search(name) and " " not in name
