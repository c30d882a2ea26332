"""The `status`, `cache gc` and `cache verify` commands: what they print and exit with."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.store_helpers import (
    STORE,
    blob_path,
    copy_of,
    edit_script,
    manifests,
    render,
    tree,
    write_tiny,
)
from yingxi.cli import main
from yingxi.pipeline.store import Store


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The tiny production, rendered once at preview size."""
    root = write_tiny(tmp_path_factory.mktemp("cli-cache") / "prod")
    render(root)
    return root


def test_status_table_and_json(rendered: Path, tmp_path: Path,
                               capsys: pytest.CaptureFixture[str]) -> None:
    root = copy_of(rendered, tmp_path / "prod")
    assert main(["status", str(root), "--preview"]) == 0
    out = capsys.readouterr().out
    assert "sc02-020" in out and "segment" in out
    assert "ep01: up to date (30 tasks current)" in out

    edit_script(root, "坐吧。", "请坐吧。")
    before = tree(root)
    assert main(["status", str(root), "--preview", "-e", "ep01"]) == 0
    out = capsys.readouterr().out
    assert "voice line 3 (周山: 请坐吧。): line 3 text changed" in " ".join(out.split())
    assert "layout sc02-020: upstream voice of line 3 is not current" in out
    assert f"yingxi render {root} -e ep01 --preview" in " ".join(out.split())

    assert main(["status", str(root), "--preview", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    [episode] = data["episodes"]
    assert not data["up_to_date"] and episode["plan_basis"] == "last render"
    rows = {row["id"]: row for row in episode["shots"]}
    assert rows["sc02-020"]["voice"] == "stale" and rows["sc02-020"]["line"] == "line 3"
    assert rows["sc01-020"]["picture"] == "current"
    assert tree(root) == before


def test_status_of_an_unknown_episode_is_an_error(rendered: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["status", str(rendered), "-e", "ep99"]) == 1
    assert "no episode 'ep99'" in capsys.readouterr().err


def test_cache_gc(rendered: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = copy_of(rendered, tmp_path / "prod")
    edit_script(root, "坐吧。", "请坐吧。")
    render(root)
    capsys.readouterr()
    assert main(["cache", "gc", str(root), "--dry-run"]) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert out.startswith("cache gc: would remove ") and "kept 30 tasks" in out
    with Store(root / STORE).session():
        assert main(["cache", "gc", str(root)]) == 1
    err = capsys.readouterr().err
    assert "a render is running on this production; run gc when it has finished" in err
    assert main(["cache", "gc", str(root)]) == 0
    assert capsys.readouterr().out.startswith("cache gc: removed ")
    assert len(manifests(root)) == 30


def test_cache_verify(rendered: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = copy_of(rendered, tmp_path / "prod")
    assert main(["cache", "verify", str(root)]) == 0
    assert "no problems" in capsys.readouterr().out
    cut = next(m for m in manifests(root).values() if m.stage == "mix")
    damaged = blob_path(root, cut.output.sha256)
    damaged.write_bytes(damaged.read_bytes()[:-1])
    assert main(["cache", "verify", str(root)]) == 1
    captured = capsys.readouterr()
    assert f"mix task {cut.key[:12]}: its output {cut.output.sha256[:12]}" in captured.out
    assert "--repair" in captured.err
    assert main(["cache", "verify", str(root), "--repair"]) == 0
    assert "repaired: removed 2 damaged entries" in capsys.readouterr().out
    assert main(["cache", "verify", str(root)]) == 0


def test_cache_help(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["cache", "--help"]) == 0
    out = capsys.readouterr().out
    assert "gc" in out and "verify" in out
