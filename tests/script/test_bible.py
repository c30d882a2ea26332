"""The bible and the config: strict validation, errors that point at the line and the fix."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import EXAMPLES, TINY_BIBLE, TINY_CONFIG, WriteProduction
from yingxi.errors import BibleError, ConfigError
from yingxi.script.bible_io import parse_bible, read_bible
from yingxi.script.production_io import open_production, read_config


def test_examples_load() -> None:
    for example in ("paper-lantern", "last-ferry"):
        production = open_production(EXAMPLES / example)
        assert len(production.bible.characters) == 2
        assert "ep01" in production.episodes


def test_bad_colour_points_at_its_line_and_column() -> None:
    text = TINY_BIBLE.replace('palette: ["#aa3333"]', 'palette: ["red"]')
    with pytest.raises(BibleError) as info:
        parse_bible(text, source="bible.yaml")
    err = info.value
    assert (err.file, err.line) == ("bible.yaml", 4)
    assert err.column is not None and err.column > 10
    assert "characters[0].look.palette[0]" in err.message
    assert err.hint and "#rrggbb" in err.hint


def test_unknown_field_suggests_the_right_one() -> None:
    text = TINY_BIBLE.replace("voice: {variant: f2", "voice: {varient: f2")
    with pytest.raises(BibleError) as info:
        parse_bible(text)
    assert info.value.line == 5
    assert "unknown field" in info.value.message
    assert info.value.hint and "did you mean 'variant'" in info.value.hint


def test_wrong_choice_lists_the_choices() -> None:
    with pytest.raises(BibleError) as info:
        parse_bible(TINY_BIBLE.replace("kind: village", "kind: castle"))
    assert info.value.line == 14
    assert info.value.hint and "'mountains'" in info.value.hint


def test_invalid_yaml_reports_the_position() -> None:
    with pytest.raises(BibleError) as info:
        parse_bible("characters:\n  - id: a\n    name: [unclosed\n")
    assert "invalid YAML" in info.value.message
    assert info.value.line is not None and info.value.line >= 3


def test_consistency_rules() -> None:
    duplicate = TINY_BIBLE.replace("id: zhou", "id: lin")
    with pytest.raises(BibleError, match="used twice"):
        parse_bible(duplicate)
    shared_alias = TINY_BIBLE.replace("aliases: [阿山]", "aliases: [林秋]")
    with pytest.raises(BibleError, match="belongs to both"):
        parse_bible(shared_alias)
    real = TINY_BIBLE.replace("look: {build: broad", "likeness: {kind: real_person}\n"
                              "    look: {build: broad")
    with pytest.raises(BibleError, match="consent"):
        parse_bible(real)


def test_missing_bible_and_config(tmp_path: Path) -> None:
    with pytest.raises(BibleError, match="not found"):
        read_bible(tmp_path / "bible.yaml")
    with pytest.raises(ConfigError, match="not found") as info:
        read_config(tmp_path / "yingxi.toml")
    assert info.value.hint and "examples" in info.value.hint


@pytest.mark.parametrize(("replace", "line", "needle"), [
    (("fps = 24", "fps = 23"), 8, "format.fps"),
    (('title = "Tiny"', 'title = "Tiny'), 1, "invalid TOML"),
    (("seed = 1", "seed = 1\n[labels]\ntext = \"生成\""), 5, "labels.text"),
    (("width = 216", "width = 215"), 5, "even"),
])
def test_config_errors(write_production: WriteProduction, replace: tuple[str, str], line: int,
                       needle: str) -> None:
    root = write_production(config=TINY_CONFIG.replace(*replace))
    with pytest.raises(ConfigError) as info:
        open_production(root)
    assert needle in info.value.message
    assert info.value.line == line


def test_production_folder_errors(tmp_path: Path, write_production: WriteProduction) -> None:
    with pytest.raises(ConfigError, match="not found"):
        open_production(tmp_path / "nowhere")
    root = write_production()
    (root / "episodes" / "ep01.fountain").unlink()
    with pytest.raises(ConfigError, match="no episodes"):
        open_production(root)


def test_a_wrong_type_names_line_column_field_and_fix() -> None:
    with pytest.raises(BibleError) as info:
        parse_bible(TINY_BIBLE.replace("pitch: 65", "pitch: high"),
                    source="bible.yaml")
    err = info.value
    assert (err.file, err.line) == ("bible.yaml", 5)
    assert err.column is not None and err.column > 1
    assert "characters[0].voice.pitch" in err.message
    assert err.hint and "whole number" in err.hint


def test_style_sets_the_frame_unless_the_config_does(write_production: WriteProduction) -> None:
    config = TINY_CONFIG.split("[format]")[0]
    style = "style:\n  look: flat\n  aspect: \"16:9\"\n  fps: 25\n"
    production = open_production(write_production(config=config, bible=TINY_BIBLE + style))
    assert (production.format.width, production.format.height, production.format.fps) == \
        (1920, 1080, 25)
    square = open_production(write_production(
        config=config, bible=TINY_BIBLE + style.replace("16:9", "1:1"), name="square"))
    assert (square.format.width, square.format.height) == (1080, 1080)
    plain = open_production(write_production(config=config, name="plain"))
    assert (plain.format.width, plain.format.height, plain.format.fps) == (1080, 1920, 24)


def test_style_and_config_must_agree(write_production: WriteProduction) -> None:
    bible = TINY_BIBLE + "style:\n  aspect: \"16:9\"\n"
    with pytest.raises(BibleError) as info:
        open_production(write_production(bible=bible))
    err = info.value
    assert err.file and err.file.endswith("bible.yaml")
    assert err.line == TINY_BIBLE.count("\n") + 2
    assert "216x384" in err.message and err.hint and "one place" in err.hint
