"""Reading poem files: title, author line, verse and stanzas; clear errors when unusable."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import EXAMPLES
from yingxi.errors import ScriptError
from yingxi.scaffold.poem import parse_poem, read_poem


def test_jing_ye_si_example() -> None:
    poem = read_poem(EXAMPLES / "poems" / "jing-ye-si.txt")
    assert (poem.title, poem.author, poem.dynasty) == ("静夜思", "李白", "唐")
    assert [v.text for v in poem.lines] == ["床前明月光，", "疑是地上霜。", "举头望明月，",
                                            "低头思故乡。"]
    assert [v.line for v in poem.lines] == [4, 5, 6, 7]
    assert (poem.language, poem.classical, poem.credit) == ("zh", True, "唐·李白")


def test_english_example_has_two_stanzas() -> None:
    poem = read_poem(EXAMPLES / "poems" / "the-eagle.txt")
    assert (poem.title, poem.author, poem.language, poem.classical) == (
        "The Eagle", "Alfred, Lord Tennyson", "en", False)
    assert [v.stanza for v in poem.lines] == [0, 0, 0, 1, 1, 1]


@pytest.mark.parametrize(("line", "author", "dynasty"), [
    ("李白", "李白", None), ("[唐] 李白", "李白", "唐"), ("【唐】李白", "李白", "唐"),
    ("（唐）李白", "李白", "唐"), ("唐·李白", "李白", "唐"), ("唐代·李白", "李白", "唐"),
    ("唐 李白", "李白", "唐"), ("作者：李白", "李白", None), ("by Li Bai", "Li Bai", None),
    ("BY LI BAI", "LI BAI", None), ("— Li Bai", "Li Bai", None), ("-- Li Bai", "Li Bai", None),
    ("Li Bai (701–762)", "Li Bai", None), ("John Keats (1795-1821)", "John Keats", None),
    ("Author: Li Bai", "Li Bai", None), ("[现代] 徐志摩", "徐志摩", "现代"),
])
def test_author_lines(line: str, author: str, dynasty: str | None) -> None:
    poem = parse_poem(f"静夜思\n{line}\n床前明月光，\n")
    assert (poem.author, poem.dynasty) == (author, dynasty)
    assert [v.text for v in poem.lines] == ["床前明月光，"]


def test_no_author_line_and_short_verse_is_not_a_name() -> None:
    poem = parse_poem("关雎\n关关雎鸠\n在河之洲\n窈窕淑女\n君子好逑\n")
    assert poem.author is None and len(poem.lines) == 4
    poem = parse_poem("Title\nThe sea is calm tonight.\n")
    assert poem.author is None and poem.lines[0].text == "The sea is calm tonight."


def test_stanzas_dividers_crlf_indent_and_brackets() -> None:
    text = ("\ufeff《春晓》\r\n孟浩然\r\n\r\n  春眠不觉晓，\r\n处处闻啼鸟。\r\n* * *\r\n"
            "夜来风雨声，\r\n")
    poem = parse_poem(text)
    assert poem.title == "春晓"
    assert [(v.text, v.line, v.column, v.stanza) for v in poem.lines] == [
        ("春眠不觉晓，", 4, 3, 0), ("处处闻啼鸟。", 5, 1, 0), ("夜来风雨声，", 7, 1, 1)]


def test_modern_chinese_is_not_classical() -> None:
    poem = parse_poem("再别康桥\n徐志摩\n轻轻的我走了，\n正如我轻轻的来；\n")
    assert (poem.language, poem.classical) == ("zh", False)


@pytest.mark.parametrize(("text", "message", "line", "column"), [
    ("", "the poem file is empty", 1, 1),
    ("\n  \n\n", "the poem file is empty", 1, 1),
    ("\n静夜思\n\n", "the poem has a title but no verse lines", 2, 1),
    ("静夜思\n[唐] 李白\n", "the poem has a title and an author but no verse lines", 2, 1),
])
def test_poem_errors_name_line_and_column(tmp_path: Path, text: str, message: str, line: int,
                                          column: int) -> None:
    path = tmp_path / "poem.txt"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ScriptError) as err:
        read_poem(path)
    assert (err.value.message, err.value.file, err.value.line, err.value.column) == (
        message, str(path), line, column)
    assert err.value.hint and "title on the first line" in err.value.hint


def test_not_utf8_points_at_the_byte_and_suggests_iconv(tmp_path: Path) -> None:
    path = tmp_path / "gbk.txt"
    path.write_bytes("静夜思\n李白\n床前".encode() + "明月光，\n".encode("gbk"))
    with pytest.raises(ScriptError) as err:
        read_poem(path)
    assert (err.value.line, err.value.column) == (3, 3)
    assert "not UTF-8" in err.value.message
    assert err.value.hint and "GB18030" in err.value.hint and "iconv" in err.value.hint
    path.write_bytes(b"Title\nA line caf\xe9 and \xff\xfe\n")
    with pytest.raises(ScriptError) as err:
        read_poem(path)
    assert (err.value.line, err.value.column) == (2, 11)


def test_utf16_with_a_byte_order_mark_is_read(tmp_path: Path) -> None:
    path = tmp_path / "utf16.txt"
    path.write_text("静夜思\n李白\n床前明月光，\n", encoding="utf-16")
    assert read_poem(path).lines[0].text == "床前明月光，"


def test_missing_file_and_folder(tmp_path: Path) -> None:
    with pytest.raises(ScriptError, match="poem file not found") as err:
        read_poem(tmp_path / "nope.txt")
    assert err.value.file == str(tmp_path / "nope.txt")
    with pytest.raises(ScriptError, match="folder"):
        read_poem(tmp_path)
