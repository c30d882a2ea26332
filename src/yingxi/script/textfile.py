"""Text files people write (screenplays, poems): UTF-8, or UTF-16 with a byte-order mark."""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from yingxi.errors import ScriptError

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")


def decode_text(raw: bytes, path: Path | str) -> str:
    """UTF-8 (or UTF-16 with a byte-order mark) text; an error at the first bad byte if not."""
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError:
            pass
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line_start = raw.rfind(b"\n", 0, exc.start) + 1
        line = raw[:exc.start].count(b"\n") + 1
        column = len(raw[line_start:exc.start].decode("utf-8", errors="replace")) + 1
        hint = "save the file as UTF-8 text"
        line_end = raw.find(b"\n", exc.start)
        try:
            as_gb = raw[line_start:line_end if line_end >= 0 else len(raw)].decode("gb18030")
            if _HAN.search(as_gb):
                hint = ("the file looks like GBK/GB18030 text (common for Chinese text on "
                        "Windows); save it as UTF-8, e.g. iconv -f GB18030 -t UTF-8 "
                        "in.txt > out.txt")
        except UnicodeDecodeError:
            pass
        raise ScriptError(f"the file is not UTF-8 text (byte 0x{raw[exc.start]:02x})",
                          file=path, line=line, column=column, hint=hint) from None
