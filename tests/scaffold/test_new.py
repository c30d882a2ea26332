"""``yingxi new``: the starter, the folder rules (never overwrite, nothing half-written)."""

from __future__ import annotations

from pathlib import Path

import pytest

import yingxi
from tests.conftest import EXAMPLES
from tests.scaffold.util import resolved, tree
from yingxi.errors import ConfigError
from yingxi.scaffold import build_files, new_production


@pytest.mark.parametrize("language", ["en", "zh"])
def test_starter_opens_and_resolves(tmp_path: Path, language: str) -> None:
    root = new_production(tmp_path / "my-drama", language="en" if language == "en" else "zh")
    assert sorted(tree(root)) == ["bible.yaml", "episodes/ep01.fountain", "yingxi.toml"]
    production = yingxi.open_production(root)
    assert production.config.title == "my-drama"
    assert production.config.language == language
    assert len(production.bible.characters) == 2 and len(production.bible.locations) == 2
    screenplay = resolved(root)
    assert len(screenplay.scenes) == 2
    assert len(screenplay.dialogue()) >= 6
    assert {d.speaker for d in screenplay.dialogue()} == {c.id for c in
                                                          production.bible.characters}
    bible = (root / "bible.yaml").read_text(encoding="utf-8")
    for field in ("aliases:", "likeness:", "variant:", "motifs:", "mood:", "weather:"):
        assert field in bible
    assert bible.count("#") > 20  # commented for a first-time reader


def test_title_goes_into_config_and_title_page(tmp_path: Path) -> None:
    root = new_production(tmp_path / "x", title='Kites "and" Strings', language="en")
    assert yingxi.open_production(root).config.title == 'Kites "and" Strings'
    assert resolved(root).title == 'Kites "and" Strings'


def test_runs_are_deterministic(tmp_path: Path) -> None:
    script = EXAMPLES / "last-ferry" / "episodes" / "ep01.fountain"
    poem = EXAMPLES / "poems" / "jing-ye-si.txt"
    for kwargs in ({}, {"from_script": script}, {"from_poem": poem}):
        first = new_production(tmp_path / "a" / "same", **kwargs)  # type: ignore[arg-type]
        second = new_production(tmp_path / "b" / "same", **kwargs)  # type: ignore[arg-type]
        assert tree(first) == tree(second)
        assert build_files("same", **kwargs) == tree(first)  # type: ignore[arg-type]
        for root in (first, second):
            for path in sorted(root.rglob("*"), reverse=True):
                path.unlink() if path.is_file() else path.rmdir()
            root.rmdir()


def test_never_overwrites_a_non_empty_folder(tmp_path: Path) -> None:
    dest = tmp_path / "work"
    dest.mkdir()
    (dest / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(ConfigError, match="not empty") as err:
        new_production(dest)
    assert err.value.file == str(dest) and err.value.hint
    assert [p.name for p in dest.iterdir()] == ["notes.txt"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["work"]


def test_an_empty_folder_is_used_and_a_file_is_refused(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    assert new_production(empty) == empty and (empty / "bible.yaml").is_file()
    file = tmp_path / "file"
    file.write_text("x", encoding="utf-8")
    with pytest.raises(ConfigError, match="in the way"):
        new_production(file)


def test_parents_are_created(tmp_path: Path) -> None:
    root = new_production(tmp_path / "a" / "b" / "c", language="zh")
    yingxi.open_production(root)


def test_a_failure_while_writing_leaves_nothing(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    written: list[Path] = []
    real = Path.write_bytes

    def flaky(self: Path, data: bytes) -> int:
        if written:
            raise OSError(28, "No space left on device")
        written.append(self)
        return real(self, data)

    monkeypatch.setattr(Path, "write_bytes", flaky)
    with pytest.raises(ConfigError, match="No space left") as err:
        new_production(tmp_path / "new" / "parents" / "drama")
    assert err.value.file == str(tmp_path / "new" / "parents" / "drama")
    assert written  # one file was written before the failure...
    assert list(tmp_path.iterdir()) == []  # ...and nothing is left: no folders, no temp


def test_one_source_at_a_time(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="choose one source"):
        new_production(tmp_path / "x", from_script=tmp_path / "a.fountain",
                       from_poem=tmp_path / "b.txt")
    assert list(tmp_path.iterdir()) == []


def test_the_current_folder_when_empty(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    here = tmp_path / "tea-house"
    here.mkdir()
    monkeypatch.chdir(here)
    new_production(Path())  # yingxi new .
    assert sorted(p.name for p in here.iterdir()) == ["bible.yaml", "episodes", "yingxi.toml"]
    assert yingxi.open_production(here).config.title == "tea-house"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["tea-house"]  # no temp left
