"""``yingxi new``: create a production folder that renders as it is.

Three starts: a small starter drama, an existing screenplay (cast and sets generated), or a
poem (a narrator over the landscapes its lines name). The files are built and checked in
memory first (config, bible, and the screenplay resolved against the bible, as the ``script``
stage does), then written into a temporary sibling folder that is renamed into place at the
end: a failure leaves nothing behind, and an existing, non-empty folder is never touched.
"""

from __future__ import annotations

import contextlib
import logging
import os
import secrets
import shutil
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Literal

from pydantic import ValidationError

from yingxi.errors import ConfigError, ScriptError
from yingxi.scaffold.from_poem import poem_production
from yingxi.scaffold.from_script import script_production
from yingxi.scaffold.starter import starter_bible, starter_script
from yingxi.scaffold.writer import config_text
from yingxi.schema.production import ProductionConfig
from yingxi.schema.screenplay import Action, Dialogue
from yingxi.script.bible_io import parse_bible
from yingxi.script.fountain import parse_fountain
from yingxi.script.production_io import BIBLE_NAME, CONFIG_NAME, EPISODES_DIR
from yingxi.stages.script import resolve

log = logging.getLogger(__name__)

EPISODE = f"{EPISODES_DIR}/ep01.fountain"


def new_production(
    dest: Path,
    *,
    title: str | None = None,
    language: Literal["zh", "en"] = "en",
    from_script: Path | None = None,
    from_poem: Path | None = None,
    couplets: bool = False,
) -> Path:
    """Create the production folder ``dest`` and return it.

    ``dest`` must not exist, or be an empty folder. Without a source it holds a starter
    drama in ``language``; ``from_script`` copies a Fountain screenplay in and casts it;
    ``from_poem`` turns a poem file into a narrated film (``couplets``: two lines per shot).
    With a source the language comes from its text. ``title`` defaults to the script's or
    poem's title, else the folder name. Raises :class:`~yingxi.errors.ConfigError` for the
    folder and :class:`~yingxi.errors.ScriptError` for the script or poem.
    """
    dest = Path(dest)
    if from_script is not None and from_poem is not None:
        raise ConfigError("choose one source: a screenplay or a poem, not both",
                          hint="use either --from-script FILE or --from-poem FILE")
    _check_destination(dest)
    files = build_files(dest.absolute().name, title=title, language=language,
                        from_script=from_script, from_poem=from_poem, couplets=couplets)
    write_atomically(dest, files)
    log.info("created %s (%s)", dest, ", ".join(sorted(files)))
    return dest


def build_files(
    name: str,
    *,
    title: str | None = None,
    language: Literal["zh", "en"] = "en",
    from_script: Path | None = None,
    from_poem: Path | None = None,
    couplets: bool = False,
) -> dict[str, bytes]:
    """The files of a new production, by relative path, checked to render (nothing written).

    ``name`` is the folder name, the title when no other is known.
    """
    note: str
    if from_poem is not None:
        poem = poem_production(Path(from_poem), title, couplets=couplets)
        title, language, note = poem.title, poem.language, f"made from the poem {poem.title}"
        bible, script = poem.bible, poem.script.encode("utf-8")
    elif from_script is not None:
        made = script_production(Path(from_script), title)
        title, language = made.title, made.language
        note = f"made from the screenplay {Path(from_script).name}"
        bible, script = made.bible, made.script
    else:
        title = title or name
        note = f"{title}: a starter production; edit anything"
        bible, script = starter_bible(language), starter_script(language, title).encode("utf-8")
    files = {
        CONFIG_NAME: config_text(title, language, note=note).encode("utf-8"),
        BIBLE_NAME: bible.encode("utf-8"),
        EPISODE: script,
    }
    check_files(files, script_source=str(from_script) if from_script else EPISODE)
    return files


def check_files(files: Mapping[str, bytes], *, script_source: str = EPISODE) -> None:
    """Validate a production in memory the way a render starts: config, bible, script."""
    try:
        ProductionConfig.model_validate(tomllib.loads(files[CONFIG_NAME].decode("utf-8")))
    except (ValidationError, tomllib.TOMLDecodeError) as exc:  # a bug here, not the user's
        raise ConfigError(f"the generated {CONFIG_NAME} is invalid: {exc}",
                          hint="please report this with the input file") from None
    bible = parse_bible(files[BIBLE_NAME].decode("utf-8"), source=BIBLE_NAME)
    for path, data in files.items():
        if not path.endswith(".fountain"):
            continue
        source = script_source if path == EPISODE else path
        screenplay = parse_fountain(data.decode("utf-8-sig"), source=source)
        if not any(isinstance(e, Action | Dialogue) for s in screenplay.scenes
                   for e in s.elements):
            raise ScriptError("there is nothing to film: no action or dialogue under the "
                              "scene headings", file=source,
                              line=screenplay.scenes[0].heading.line,
                              hint="write what we see (action) or what is said (a character "
                                   "cue with dialogue) under a scene heading")
        resolve(screenplay, bible)


def _check_destination(dest: Path) -> None:
    if dest.is_symlink() or (dest.exists() and not dest.is_dir()):
        raise ConfigError("a file is in the way of the new production", file=dest,
                          hint="choose another name for the production folder")
    if dest.is_dir() and any(dest.iterdir()):
        raise ConfigError("the folder exists and is not empty; nothing was changed", file=dest,
                          hint="choose a new folder name (yingxi new never overwrites work)")


def write_atomically(dest: Path, files: Mapping[str, bytes]) -> None:
    """Write ``files`` into a temporary sibling of ``dest``, then rename it to ``dest``.

    On any failure the temporary folder, and any parent folder made for it, are removed.
    """
    parent = dest.absolute().parent
    made = [p for p in (parent, *parent.parents) if not p.exists()]  # deepest first
    tmp = parent / f".{dest.name}.{os.getpid()}-{secrets.token_hex(4)}.new"
    try:
        try:
            parent.mkdir(parents=True, exist_ok=True)
            tmp.mkdir()  # with the user's umask, unlike mkdtemp
            for rel, data in files.items():
                path = tmp / rel
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(data)
        except OSError as exc:
            raise ConfigError(f"cannot write the production folder: {exc.strerror or exc}",
                              file=dest, hint="check the path, its permissions and the free "
                                              "disk space; nothing was left behind") from None
        _rename_into_place(tmp, dest)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        for folder in made:
            with contextlib.suppress(OSError):
                folder.rmdir()  # only if still empty
        raise


def _rename_into_place(tmp: Path, dest: Path) -> None:
    """Rename ``tmp`` to ``dest``; into an existing empty ``dest``, move its entries instead
    (the folder stays the same one: a shell standing in it keeps standing in it)."""
    _check_destination(dest)  # again: someone may have written there meanwhile
    try:
        if not dest.is_dir():
            tmp.rename(dest)
            return
        moved: list[Path] = []
        try:
            for child in sorted(tmp.iterdir()):
                child.rename(dest / child.name)
                moved.append(dest / child.name)
        except OSError:
            for path in moved:  # put the folder back as it was: empty
                shutil.rmtree(path) if path.is_dir() else path.unlink()
            raise
        tmp.rmdir()
    except OSError as exc:
        raise ConfigError(f"cannot create the production folder: {exc.strerror}", file=dest,
                          hint="check the path and its permissions") from None
