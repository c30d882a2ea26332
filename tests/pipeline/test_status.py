"""`status`: what a render would redo, and why, without computing or writing anything."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import yingxi
from tests.store_helpers import STORE, computed, copy_of, edit_script, render, tree, write_tiny
from yingxi.api import status
from yingxi.pipeline.status import EpisodeStatus, TaskStatus

SHOTS = ["sc01-010", "sc01-020", "sc01-030", "sc01-040", "sc02-010", "sc02-020"]
LINE_3_SHOT = "sc02-020"  # 周山: 坐吧。 - the only shot of the third line


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The tiny production, rendered once at preview size (copied by tests that edit)."""
    root = write_tiny(tmp_path_factory.mktemp("status") / "prod")
    render(root)
    return root


def _one(root: Path) -> EpisodeStatus:
    [found] = status(root, preview=True)
    return found


def _task(found: EpisodeStatus, stage: str, ident: str) -> TaskStatus:
    task = found.task(stage, ident)
    assert task is not None, (stage, ident)
    return task


def test_after_a_render_every_task_is_current(rendered: Path) -> None:
    before = tree(rendered)
    found = _one(rendered)
    assert found.up_to_date and found.plan_basis == "current" and found.recorded
    assert list(found.shots) == SHOTS
    assert found.counts == {"current": len(found.tasks), "stale": 0, "missing": 0}
    stages = [t.stage for t in found.tasks]
    for stage, count in (("script", 1), ("voice", 3), ("plan", 1), ("layout", 6),
                         ("picture", 6), ("music", 2), ("foley", 2), ("mix", 1),
                         ("segment", 6), ("master", 1)):
        assert stages.count(stage) == count, stage
    # the table's rows: a dialogue shot shows its line's voice
    assert found.shot_stages == ["voice", "layout", "picture", "segment"]
    assert found.shot_row(LINE_3_SHOT)["voice"].id == "line 3"
    assert "voice" not in found.shot_row("sc01-010")  # the establishing shot has no line
    assert tree(rendered) == before  # read-only: not a byte, not a timestamp


def test_the_full_size_render_is_separate(rendered: Path) -> None:
    [full] = status(rendered)
    assert not full.up_to_date and not full.recorded
    # voices and music do not depend on the picture size: they are shared
    assert _task(full, "voice", "line 1").state == "current"
    assert _task(full, "layout", "sc01-010").state == "missing"
    assert _task(full, "layout", "sc01-010").reasons == ("not in the store",)


def test_editing_a_line_makes_it_and_its_shot_stale(rendered: Path, tmp_path: Path,
                                                    caplog: pytest.LogCaptureFixture) -> None:
    root = copy_of(rendered, tmp_path / "prod")
    edit_script(root, "坐吧。", "请坐吧。")
    before = tree(root)
    found = _one(root)
    assert tree(root) == before  # the plan file is not rewritten, nothing is stored

    assert _task(found, "script", "ep01").reasons == ("screenplay text changed",)
    voice = _task(found, "voice", "line 3")
    assert (voice.state, voice.reasons) == ("stale", ("line 3 text changed",))
    assert "请坐吧" in voice.label
    for line in ("line 1", "line 2"):
        assert _task(found, "voice", line).state == "current"
    # the plan needs every line's length: it waits for the new voice, and the shots are
    # judged by the last render's plan meanwhile
    plan = _task(found, "plan", "ep01")
    assert plan.reasons == ("upstream voice of line 3 is not current",)
    assert found.plan_basis == "last render" and list(found.shots) == SHOTS

    layout = _task(found, "layout", LINE_3_SHOT)
    assert (layout.state, layout.reasons) == ("stale",
                                              ("upstream voice of line 3 is not current",))
    picture = _task(found, "picture", LINE_3_SHOT)
    assert picture.reasons == ("upstream layout is not current",)
    for shot in SHOTS[:-1]:
        assert found.shot_row(shot)["layout"].state == "current"
        assert found.shot_row(shot)["picture"].state == "current"
    assert _task(found, "foley", "scene 1").state == "current"
    assert _task(found, "foley", "scene 2").state == "stale"  # its shot's layout may walk
    assert _task(found, "mix", "ep01").state == "stale"
    # the causes only: the mix waits for the same voice
    assert _task(found, "master", "ep01").reasons == (
        f"upstream picture of {LINE_3_SHOT} is not current",
        "upstream voice of line 3 is not current")
    # a segment is judged on its own: only those the line's picture or subtitles reach wait
    waiting = {t.id for t in found.tasks if t.stage == "segment" and t.state != "current"}
    assert LINE_3_SHOT in waiting and len(waiting) <= 2, waiting

    # and the render does what status said: one voice, one layout, one picture
    result = render(root)
    done = computed(result)
    assert (done["voice"], done["layout"], done["picture"]) == (1, 1, 1)
    assert _one(root).up_to_date
    # the record's walk saw every task the render ran as stored (no drift between them)
    assert "disagrees with the render" not in caplog.text


def test_a_changed_input_is_named(rendered: Path, tmp_path: Path) -> None:
    root = copy_of(rendered, tmp_path / "prod")
    bible = root / "bible.yaml"
    bible.write_text(bible.read_text(encoding="utf-8").replace(
        "    kind: home", "    kind: home\n    weather: rain"), encoding="utf-8")
    found = _one(root)
    assert _task(found, "script", "ep01").reasons == ("bible changed",)
    for shot in ("sc02-010", "sc02-020"):  # the room's shots
        layout = _task(found, "layout", shot)
        assert (layout.state, layout.reasons) == ("stale", ("location 'room' changed",))
    for shot in SHOTS[:4]:  # the yard's are untouched
        assert _task(found, "layout", shot).state == "current"


def test_an_inserted_line_is_new_and_later_lines_keep_their_history(
        rendered: Path, tmp_path: Path) -> None:
    root = copy_of(rendered, tmp_path / "prod")
    edit_script(root, "林秋\n你来了。", "林秋\n你好。\n\n林秋\n你来了。")
    edit_script(root, "坐吧。", "请坐吧。")
    found = _one(root)
    new = _task(found, "voice", "line 1")
    assert (new.state, new.reasons) == ("missing", ("not in the last render",))
    for line in ("line 2", "line 3"):  # were lines 1 and 2
        assert _task(found, "voice", line).state == "current"
    moved = _task(found, "voice", "line 4")  # was line 3, and its text changed
    assert (moved.state, moved.reasons) == ("stale", ("line 4 text changed",))


def test_status_of_a_production_never_rendered_creates_nothing(tmp_path: Path) -> None:
    root = write_tiny(tmp_path / "fresh")
    before = tree(root)
    found = _one(root)
    assert tree(root) == before and not (root / STORE).exists()
    assert not found.recorded and found.plan_basis == "none" and found.shots == ()
    assert {t.stage for t in found.tasks} == {"script", "voice", "plan"}
    assert all(t.state == "missing" for t in found.tasks)
    plan = _task(found, "plan", "ep01")
    assert plan.key is None and "upstream voice of line 1 is not current" in plan.reasons


def test_the_render_record(rendered: Path) -> None:
    record = json.loads((rendered / STORE / "runs" / "ep01-preview.json").read_text("utf-8"))
    assert record["format"] == "yingxi.RunRecord/1" and record["scale"] == 4
    found = _one(rendered)
    keys = {(e["stage"], e["id"]): e["key"] for e in record["tasks"]}
    assert keys == {(t.stage, t.id): t.key for t in found.tasks}
    layout = next(e for e in record["tasks"] if e["id"] == LINE_3_SHOT
                  and e["stage"] == "layout")
    assert len(layout["fields"]["speech"]) == 64  # a sha256 per input field
    assert layout["upstream"]["speech"] == [keys[("voice", "line 3")]]


def test_status_is_public_and_serialises(rendered: Path) -> None:
    [found] = yingxi.status(rendered, ["ep01"], preview=True)
    data = json.loads(json.dumps(found.to_json()))
    assert data["summary"]["current"] == len(found.tasks) and data["up_to_date"]
    assert data["shots"][1] == {"id": "sc01-020", "voice": "current", "layout": "current",
                                "picture": "current", "segment": "current", "line": "line 1"}
