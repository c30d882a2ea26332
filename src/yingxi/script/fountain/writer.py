"""Write a :class:`FountainDocument` back out as Fountain text.

The output reads back into the same elements (type, text, speaker, extension, dual side,
scene number, section depth). Elements are written in their natural form and forced with
``.`` ``!`` ``@`` ``>`` only where the natural form would read as something else, so the
result stays what a writer would type.
"""

from __future__ import annotations

from yingxi.script.fountain.elements import FountainDocument, FountainElement, TitleEntry
from yingxi.script.fountain.parser import is_cue, parse_body, parse_document, split_cue

_SPEECH = ("dialogue", "parenthetical", "lyrics")


def write_fountain(doc: FountainDocument) -> str:
    """Fountain text for ``doc``, ending with a newline."""
    paragraphs: list[str] = []
    if doc.title_page:
        paragraphs.append("\n".join(_title_entry(e) for e in doc.title_page))
    elements = doc.elements
    i = 0
    while i < len(elements):
        e = elements[i]
        if e.type == "character":
            j = i + 1
            while j < len(elements) and elements[j].type in _SPEECH and elements[j].character:
                j += 1
            paragraphs.append(_dialogue(e, elements[i + 1:j]))
            i = j
            continue
        paragraphs.append(_element(e, first=not paragraphs))
        i += 1
    return "\n\n".join(paragraphs) + "\n"


def _title_entry(entry: TitleEntry) -> str:
    lines = entry.value.split("\n")
    if len(lines) == 1 and lines[0]:
        return f"{entry.key}: {lines[0]}"
    return f"{entry.key}:" + "".join(f"\n    {line}" for line in lines if line)


def _element(e: FountainElement, *, first: bool) -> str:
    if e.type == "scene_heading":
        # a heading of nothing but its number keeps it against the dot: ". #1#" is action
        gap = " " if e.text else ""
        number = f"{gap}#{e.scene_number}#" if e.scene_number else ""
        natural = e.text + number
        reread = parse_body(natural).elements
        if len(reread) == 1 and reread[0].type == "scene_heading" and \
                reread[0].text == e.text:
            return natural
        # ".." and ". " do not force a heading (an ellipsis, a stray dot): a heading that
        # itself starts with a dot is forced with a tab, which the reader strips
        tab = "\t" if e.text.startswith(".") else ""
        return f".{tab}{e.text}{number}"
    if e.type == "transition":
        reread = parse_body(e.text).elements
        if len(reread) == 1 and reread[0].type == "transition" and reread[0].text == e.text:
            return e.text
        return f"> {e.text}"
    if e.type == "centered":
        return f"> {e.text} <"
    if e.type == "lyrics":
        return f"~{e.text}"
    if e.type == "section":
        return "#" * (e.depth or 1) + f" {e.text}"
    if e.type == "synopsis":
        return f"= {e.text}"
    if e.type == "page_break":
        return "==="
    return _action(e, first=first)


def _action(e: FountainElement, *, first: bool) -> str:
    text = "\n".join(line or "  " for line in e.text.split("\n"))
    reread = (parse_document(text) if first else parse_body(text)).elements
    if len(reread) == 1 and reread[0].type == "action" and reread[0].text == e.text:
        return text
    return f"!{text}"


def _dialogue(cue: FountainElement, speech: list[FountainElement]) -> str:
    name = cue.text + (f" {cue.extension}" if cue.extension else "")
    natural = is_cue(name) and split_cue(name)[:2] == (cue.text, cue.extension)
    lines = [("" if natural else "@") + name + (" ^" if cue.dual == "right" else "")]
    for e in speech:
        if e.type == "parenthetical":
            lines.append(e.text)
        elif e.type == "lyrics":
            lines.append(f"~{e.text}")
        else:
            lines.extend(line or "  " for line in e.text.split("\n"))
    return "\n".join(lines)
