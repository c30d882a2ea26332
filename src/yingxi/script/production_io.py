"""Open a production folder: ``yingxi.toml``, ``bible.yaml`` and ``episodes/*.fountain``."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from yingxi.errors import BibleError, ConfigError
from yingxi.schema.bible import Bible
from yingxi.schema.production import FormatConfig, ProductionConfig
from yingxi.script.bible_io import locate, read_bible
from yingxi.script.errors import Loc, validation_error

CONFIG_NAME = "yingxi.toml"
BIBLE_NAME = "bible.yaml"
EPISODES_DIR = "episodes"


@dataclass(frozen=True)
class Production:
    """A production on disk, with its config and bible loaded and validated."""

    root: Path
    config: ProductionConfig
    bible: Bible
    episodes: dict[str, Path] = field(default_factory=dict)
    format: FormatConfig = field(default_factory=FormatConfig)

    def episode_path(self, episode: str) -> Path:
        """The screenplay of ``episode``; a clear error if there is none."""
        try:
            return self.episodes[episode]
        except KeyError:
            known = ", ".join(self.episodes) or "none"
            raise ConfigError(f"no episode {episode!r} in this production",
                              file=self.root / EPISODES_DIR,
                              hint=f"episodes found: {known}") from None


def open_production(root: Path) -> Production:
    """Load a production folder."""
    if not root.exists():
        raise ConfigError("production folder not found", file=root,
                          hint="give the folder that holds yingxi.toml, "
                               "e.g. examples/paper-lantern")
    if not root.is_dir():
        raise ConfigError("not a folder", file=root,
                          hint="give the production folder, not a file inside it")
    config = read_config(root / CONFIG_NAME)
    bible = read_bible(root / BIBLE_NAME)
    episodes_dir = root / EPISODES_DIR
    episodes = {p.stem: p for p in sorted(episodes_dir.glob("*.fountain"))} \
        if episodes_dir.is_dir() else {}
    if not episodes:
        raise ConfigError("the production has no episodes", file=episodes_dir,
                          hint="add a screenplay such as episodes/ep01.fountain")
    fmt = delivery_format(config.format, bible, root / BIBLE_NAME)
    return Production(root=root, config=config, bible=bible, episodes=episodes, format=fmt)


def delivery_format(fmt: FormatConfig, bible: Bible, bible_path: Path) -> FormatConfig:
    """The frame size and rate: yingxi.toml's ``[format]``, shaped by the bible's style.

    The bible's ``style.aspect`` and ``style.fps`` set the shape and rate when yingxi.toml
    does not; where both are given they must agree.
    """
    style = bible.style
    explicit = fmt.model_fields_set
    ratio = style.aspect_ratio()
    if ratio is not None:
        aw, ah = ratio
        if not {"width", "height"} & explicit:
            short = 1080
            width, height = (short, round(short * ah / aw / 2) * 2) if aw <= ah else \
                (round(short * aw / ah / 2) * 2, short)
            fmt = fmt.replace(width=width, height=height)
        elif abs(fmt.width * ah - fmt.height * aw) > max(aw, ah) * 2:
            _disagree(bible_path, ("style", "aspect"),
                      f"style.aspect {style.aspect} disagrees with yingxi.toml's "
                      f"[format] {fmt.width}x{fmt.height}")
    if style.fps is not None:
        if "fps" in explicit and fmt.fps != style.fps:
            _disagree(bible_path, ("style", "fps"),
                      f"style.fps {style.fps} disagrees with yingxi.toml's [format] fps "
                      f"{fmt.fps}")
        fmt = fmt.replace(fps=style.fps)
    return fmt


def _disagree(bible_path: Path, loc: Loc, message: str) -> None:
    try:
        line, column = locate(bible_path.read_text(encoding="utf-8-sig"), loc)
    except OSError:
        line = column = None
    raise BibleError(message, file=bible_path, line=line, column=column,
                     hint="set the frame in one place: remove it from bible.yaml's style or "
                          "from yingxi.toml's [format]")


def read_config(path: Path) -> ProductionConfig:
    """Load and validate ``yingxi.toml``."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise ConfigError(f"{CONFIG_NAME} not found", file=path,
                          hint="a production folder holds yingxi.toml, bible.yaml and "
                               "episodes/; copy one from examples/ to start") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{CONFIG_NAME} is not UTF-8 text", file=path,
                          hint="save it as UTF-8") from None
    except OSError as exc:
        raise ConfigError(f"cannot read {CONFIG_NAME}: {exc.strerror}", file=path) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"\(at line (\d+), column (\d+)\)", str(exc))
        message = re.sub(r"\s*\(at line.*\)$", "", str(exc))
        raise ConfigError(f"invalid TOML: {message}", file=path,
                          line=int(match[1]) if match else None,
                          column=int(match[2]) if match else None) from None
    try:
        return ProductionConfig.model_validate(data)
    except ValidationError as exc:
        raise validation_error(exc, ProductionConfig, file=str(path),
                               locate=lambda loc: _toml_locate(text, loc),
                               error_type=ConfigError) from None


def _toml_locate(text: str, loc: Loc) -> tuple[int | None, int | None]:
    """Line of ``key`` inside table ``[a.b]`` for loc ``(a, b, key)`` (simple TOML only)."""
    names = [p for p in loc if isinstance(p, str)]
    if not names:
        return None, None
    table, key = ".".join(names[:-1]), names[-1]
    current = ""
    table_line = None
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        header = re.match(r"^\[([^\[\]]+)\]$", stripped)
        if header:
            current = header[1].strip()
            if current == ".".join(names):  # the error is about a whole table
                return number, 1
            if current == table:
                table_line = number
            continue
        if current == table and re.match(rf"^{re.escape(key)}\s*=", stripped):
            return number, line.index(key) + 1
        if current == "" and table == "" and stripped.startswith(key):
            return number, 1
    if table_line is not None:
        return table_line, 1
    return None, None
