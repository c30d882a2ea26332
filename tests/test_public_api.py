"""The public API is what we say it is, and importing it is cheap."""

from __future__ import annotations

import inspect
import subprocess
import sys

import yingxi
import yingxi.schema

PUBLIC = {
    "BackendUnavailable", "BibleError", "ConfigError", "EpisodeResult", "EpisodesFailed",
    "LabelError",
    "Production", "RenderError", "ScriptError", "StoryboardResult", "YingxiError",
    "__version__", "open_production", "plan", "render", "storyboard",
    "EpisodeStatus", "GcResult", "VerifyResult", "cache_gc", "cache_verify", "status",
}


def test_top_level_names() -> None:
    assert set(yingxi.__all__) == PUBLIC
    for name in PUBLIC:
        assert getattr(yingxi, name) is not None
    params = inspect.signature(yingxi.render).parameters
    assert list(params) == ["production", "episodes", "out", "preview", "sink", "registry",
                            "executor", "jobs", "address"]
    assert list(inspect.signature(yingxi.plan).parameters) == \
        ["production", "episodes", "sink", "registry"]
    assert list(inspect.signature(yingxi.storyboard).parameters) == \
        ["production", "episodes", "out", "sink", "registry"]
    assert list(inspect.signature(yingxi.status).parameters) == \
        ["production", "episodes", "preview", "registry"]
    assert list(inspect.signature(yingxi.cache_gc).parameters) == \
        ["production", "dry_run", "registry"]
    assert list(inspect.signature(yingxi.cache_verify).parameters) == ["production", "repair"]


def test_schema_exports_are_documented_types() -> None:
    for name in yingxi.schema.__all__:
        obj = getattr(yingxi.schema, name)
        assert obj.__doc__, f"{name} has no docstring"


def test_import_is_cheap() -> None:
    code = ("import sys, yingxi; heavy = {'av', 'skia', 'numpy', 'scipy', 'pydantic'} & "
            "set(sys.modules); print(sorted(heavy))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    assert done.stdout.strip() == "[]"


def test_backends_are_registered_as_entry_points() -> None:
    from yingxi.backends.registry import Registry

    names = Registry().names()
    for expected in ("speaker.espeak", "painter.embedded", "composer.embedded",
                     "planner.embedded"):
        assert expected in names


def test_every_source_folder_is_a_package() -> None:
    """A folder without __init__.py imports from a checkout but is left out of the wheel."""
    from pathlib import Path

    root = Path(yingxi.__file__).parent
    folders = [p for p in root.rglob("*") if p.is_dir() and p.name != "__pycache__"
               and any(p.glob("*.py"))]
    assert folders
    assert [str(p) for p in folders if not (p / "__init__.py").exists()] == []
