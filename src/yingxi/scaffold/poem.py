"""Read a poem file: a title, an optional author line, then verse lines in stanzas.

The format is plain UTF-8 text, Chinese or English::

    静夜思                  <- the first non-blank line is the title (《》 are dropped)
    [唐] 李白               <- optional author: 李白, [唐] 李白, 唐·李白, by Li Bai, — Li Bai,
                               Li Bai (701–762), Author: Li Bai
    床前明月光，            <- verse: one shot per line as written
    疑是地上霜。
                            <- a blank line separates stanzas
    举头望明月，
    低头思故乡。

Every problem is a :class:`~yingxi.errors.ScriptError` naming the file, line and column.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from yingxi.errors import ScriptError
from yingxi.script.textfile import decode_text

FORMAT_HINT = ("a poem file is UTF-8 text: the title on the first line, the author on the next "
               "(optional), then the verse, one line per shot; blank lines separate stanzas")

# Dynasties before 1912: a poem of one of them is classical.
CLASSICAL_DYNASTIES = ("先秦", "秦", "汉", "西汉", "东汉", "魏", "三国", "晋", "西晋", "东晋",
                       "南北朝", "南朝", "北朝", "隋", "唐", "五代", "宋", "北宋", "南宋", "辽",
                       "金", "元", "明", "清")
MODERN_ERAS = ("近代", "现代", "当代", "民国")
_DYNASTY = "|".join(sorted({*CLASSICAL_DYNASTIES, *MODERN_ERAS}, key=len, reverse=True))
_HAN = r"\u3400-\u4dbf\u4e00-\u9fff"
_NAME_ZH = rf"[{_HAN}·・]{{1,8}}"
_AUTHOR_PATTERNS = (
    # [唐] 李白, 【唐】李白, （唐）李白, 〔唐〕 李白
    re.compile(rf"^[\[【（(〔]\s*(?P<dynasty>{_DYNASTY})代?\s*[\]】）)〕]\s*(?P<name>{_NAME_ZH})$"),
    # 唐·李白, 唐代·李白, 唐 李白, 唐代 李白
    re.compile(rf"^(?P<dynasty>{_DYNASTY})代?\s*(?:[·・.．]|\s)\s*(?P<name>{_NAME_ZH})$"),
    # 作者：李白, Author: Li Bai
    re.compile(r"^(?:作者|author)\s*[:：]\s*(?P<name>.+)$", re.IGNORECASE),
    # by Li Bai, BY LI BAI
    re.compile(r"^by\s+(?P<name>\S.*)$", re.IGNORECASE),
    # — Li Bai, - Li Bai, -- Li Bai, ——李白
    re.compile(r"^(?:[—–―~]+|-{1,2})\s*(?P<name>\S.*)$"),
    # Li Bai (701–762), John Keats (1795-1821), 李白（701—762）
    re.compile(r"^(?P<name>[^()（）\d]+?)\s*[(（]\s*(?:c\.\s*|ca\.\s*|约)?\d{2,4}\s*"
               r"[-–—~～至]+\s*(?:c\.\s*)?\d{0,4}\s*[)）]$"),
)
_WORDS = re.compile(r"[^\W_]")  # a letter, digit or Hanzi
_BARE_NAME_ZH = re.compile(rf"^[{_HAN}]{{2,4}}$")
_PUNCT = re.compile(r"[，。！？；：、,.!?;:]")
_TITLE_BRACKETS = re.compile(r"^[《〈<「『\"“](?P<title>.+?)[》〉>」』\"”]$")


@dataclass(frozen=True)
class VerseLine:
    """One line of verse as written, where it is, and which stanza it belongs to."""

    text: str
    line: int
    column: int
    stanza: int


@dataclass(frozen=True)
class Poem:
    """A parsed poem file."""

    title: str
    author: str | None
    dynasty: str | None
    lines: tuple[VerseLine, ...]
    source: str
    title_line: int = 1

    @property
    def language(self) -> str:
        """``zh`` if the verse has Chinese characters, else ``en``."""
        return "zh" if any(re.search(f"[{_HAN}]", v.text) for v in self.lines) else "en"

    @property
    def classical(self) -> bool:
        """A classical Chinese poem (painted as ancient): by its dynasty, or by its lines."""
        if self.language != "zh":
            return False
        if self.dynasty:
            return self.dynasty not in MODERN_ERAS
        text = "".join(v.text for v in self.lines)
        if re.search(r"[的们吗呢吧]", text):  # particles of modern Chinese
            return False
        clauses = [c for v in self.lines for c in _PUNCT.split(v.text) if c.strip()]
        return bool(clauses) and all(3 <= len(c.strip()) <= 7 for c in clauses)

    @property
    def credit(self) -> str:
        """The author as a title page shows it: ``唐·李白`` or ``Li Bai``."""
        if not self.author:
            return ""
        return f"{self.dynasty}·{self.author}" if self.dynasty else self.author


def read_poem(path: Path) -> Poem:
    """Read and parse a poem file; a clear :class:`ScriptError` when it cannot be used."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ScriptError("poem file not found", file=path,
                          hint=f"check the path. {FORMAT_HINT}") from None
    except IsADirectoryError:
        raise ScriptError("this is a folder, not a poem file", file=path,
                          hint=f"give the text file of the poem; {FORMAT_HINT}") from None
    except OSError as exc:
        raise ScriptError(f"cannot read the poem file: {exc.strerror}", file=path) from None
    return parse_poem(decode_text(raw, path), source=str(path))


def parse_poem(text: str, source: str = "<poem>") -> Poem:
    """Parse the text of a poem file (see the module docstring for the format)."""
    lines = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    numbered = [(i + 1, t) for i, t in enumerate(lines)]
    filled = [(n, t) for n, t in numbered if t.strip()]
    if not filled:
        raise ScriptError("the poem file is empty", file=source, line=1, column=1,
                          hint=FORMAT_HINT)
    title_line, title_text = filled[0]
    title = _title(title_text.strip())
    header_end = title_line
    author = dynasty = None
    if len(filled) > 1:
        author_line, author_text = filled[1]
        following = filled[2][1].strip() if len(filled) > 2 else None
        parsed = _author(author_text.strip(), following)
        if parsed is not None:
            author, dynasty = parsed
            header_end = author_line
    verse: list[VerseLine] = []
    stanza, gap = 0, False
    for number, line in numbered:
        if number <= header_end:
            continue
        if not _WORDS.search(line):  # blank, or a divider such as "* * *": a stanza break
            gap = bool(verse)
            continue
        if gap:
            stanza, gap = stanza + 1, False
        column = len(line) - len(line.lstrip()) + 1
        verse.append(VerseLine(text=line.strip(), line=number, column=column, stanza=stanza))
    if not verse:
        what = "a title and an author" if author else "a title"
        raise ScriptError(
            f"the poem has {what} but no verse lines", file=source, line=header_end,
            column=1,
            hint=f"write the verse under line {header_end}. {FORMAT_HINT}")
    return Poem(title=title, author=author, dynasty=dynasty, lines=tuple(verse), source=source,
                title_line=title_line)


def _title(text: str) -> str:
    match = _TITLE_BRACKETS.match(text)
    return match["title"].strip() if match else text


def _author(text: str, following: str | None) -> tuple[str, str | None] | None:
    """``(name, dynasty)`` if ``text`` is an author line; ``following`` is the next line."""
    for pattern in _AUTHOR_PATTERNS:
        match = pattern.match(text)
        if match:
            groups = match.groupdict()
            name = groups["name"].strip()
            return (name, groups.get("dynasty")) if name else None
    # A bare short Chinese name (李白); but a four-character verse line (关关雎鸠) followed by
    # another of the same length is verse, not a name.
    if _BARE_NAME_ZH.match(text):
        if following is not None and len(following) == len(text) and \
                not _PUNCT.search(following):
            return None
        return text, None
    return None
