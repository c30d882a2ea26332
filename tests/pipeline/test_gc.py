"""`cache gc` keeps exactly what the current plans use; `cache verify` finds damage."""

from __future__ import annotations

import fcntl
import os
from pathlib import Path

import pytest

from tests.store_helpers import (
    STORE,
    blob_path,
    computed,
    copy_of,
    edit_script,
    manifests,
    render,
    tree,
    write_tiny,
)
from yingxi.api import cache_gc, cache_verify, status
from yingxi.errors import ConfigError
from yingxi.pipeline.events import Event, TaskFinished
from yingxi.pipeline.store import Store


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The tiny production rendered at preview size, then once more after an edit, so
    that the store holds the work of both versions."""
    root = write_tiny(tmp_path_factory.mktemp("gc") / "prod")
    render(root)
    edit_script(root, "坐吧。", "请坐吧。")
    render(root)
    return root


def _current_keys(root: Path) -> set[str]:
    keys = set()
    for found in (*status(root), *status(root, preview=True)):
        keys |= {t.key for t in found.tasks if t.state == "current" and t.key}
    return keys


def _blobs(root: Path) -> set[Path]:
    return set((root / STORE / "store" / "objects").glob("*/*"))


def test_gc_removes_the_old_work_and_keeps_the_current(rendered: Path, tmp_path: Path) -> None:
    root = copy_of(rendered, tmp_path / "prod")
    current = _current_keys(root)
    old = set(manifests(root)) - current
    assert current and old  # the voice, layout, picture... of the line before the edit
    result = cache_gc(root)
    assert result.manifests_removed == len(old) and result.manifests_kept == len(current)
    assert set(manifests(root)) == current
    assert result.blobs_removed > 0 and result.bytes_freed > 0
    # every blob left is named by a manifest left, and every one named is there
    named = {ref.sha256 for m in manifests(root).values() for ref in (m.output, *m.files)}
    assert {blob_path(root, sha) for sha in named} == _blobs(root)
    assert cache_verify(root).problems == ()
    # nothing the current plan needs went: a render computes nothing
    assert sum(computed(render(root)).values()) == 0
    again = cache_gc(root)
    assert (again.manifests_removed, again.blobs_removed) == (0, 0)


def test_a_dry_run_only_counts(rendered: Path, tmp_path: Path) -> None:
    root = copy_of(rendered, tmp_path / "prod")
    before = tree(root / STORE / "store")
    dry = cache_gc(root, dry_run=True)
    assert dry.dry_run and dry.manifests_removed > 0
    assert tree(root / STORE / "store") == before
    real = cache_gc(root)
    assert (real.manifests_removed, real.blobs_removed, real.bytes_freed) == \
        (dry.manifests_removed, dry.blobs_removed, dry.bytes_freed)


def test_gc_refuses_while_a_render_holds_the_store(rendered: Path, tmp_path: Path) -> None:
    root = copy_of(rendered, tmp_path / "prod")
    before = tree(root / STORE / "store")
    with Store(root / STORE).session(), \
            pytest.raises(ConfigError, match="a render is running on this production"):
        cache_gc(root)
    assert tree(root / STORE / "store") == before
    # a render holds the lock for its whole run: gc asked from inside one is refused
    edit_script(root, "你来了。", "你可来了。")
    refusals: list[str] = []

    def try_gc(event: Event) -> None:
        if isinstance(event, TaskFinished) and not refusals:
            try:
                cache_gc(root)
            except ConfigError as exc:
                refusals.append(exc.message)
            else:
                refusals.append("gc ran")

    import yingxi

    yingxi.render(root, preview=True, executor="serial", sink=try_gc)
    assert refusals == ["a render is running on this production; run gc when it has finished"]
    assert cache_gc(root).manifests_kept > 0  # and once it is over, gc runs


def test_gc_clears_temp_files_and_free_locks_only(rendered: Path, tmp_path: Path) -> None:
    root = copy_of(rendered, tmp_path / "prod")
    store = root / STORE
    (store / "tmp" / "leftover").write_bytes(b"x" * 100)
    (store / "tmp" / "killed-run").mkdir()
    (store / "tmp" / "killed-run" / "frame.png").write_bytes(b"y" * 50)
    free, held = store / "locks" / "free.lock", store / "locks" / "held.lock"
    free.touch()
    fd = os.open(held, os.O_RDWR | os.O_CREAT)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        result = cache_gc(root)
    finally:
        os.close(fd)
    assert list((store / "tmp").iterdir()) == []
    assert result.tmp_removed == 2
    assert not free.exists() and held.exists()


def test_after_an_edit_gc_keeps_the_untouched_shots(rendered: Path, tmp_path: Path) -> None:
    root = copy_of(rendered, tmp_path / "prod")
    edit_script(root, "请坐吧。", "坐下吧。")  # not rendered: the plan waits for the voice
    for _ in range(2):  # the second gc must judge the shots as well as the first
        cache_gc(root)
        [found] = status(root, preview=True)
        assert found.plan_basis == "last render"
        assert [found.shot_row(s)["picture"].state for s in found.shots] == \
            ["current"] * 5 + ["stale"]
    done = computed(render(root))
    assert (done["voice"], done["layout"], done["picture"]) == (1, 1, 1)


def test_gc_refuses_when_it_cannot_judge_the_shots(rendered: Path, tmp_path: Path) -> None:
    root = copy_of(rendered, tmp_path / "prod")
    edit_script(root, "请坐吧。", "坐下吧。")
    for record in (root / STORE / "runs").iterdir():
        record.unlink()  # no record of the plan the last render used
    before = set(manifests(root))
    with pytest.raises(ConfigError, match="shot plan of episode ep01 changed") as caught:
        cache_gc(root)
    assert "yingxi plan" in (caught.value.hint or "")
    assert set(manifests(root)) == before


def test_verify_finds_damage_and_repair_removes_it(rendered: Path, tmp_path: Path) -> None:
    root = copy_of(rendered, tmp_path / "prod")
    cache_gc(root)
    tasks = manifests(root)
    picture = next(m for m in tasks.values() if m.stage == "picture")
    music = next(m for m in tasks.values() if m.stage == "music")
    take = blob_path(root, picture.files[0].sha256)
    take.write_bytes(take.read_bytes()[:100])  # a truncated video
    mangled = root / STORE / "store" / "tasks" / music.key[:2] / f"{music.key[2:]}.json"
    mangled.write_text('{"key": "', encoding="utf-8")

    found = cache_verify(root)
    assert not found.ok and not found.repaired
    text = [str(p) for p in found.problems]
    assert any(p.path == take and "damaged" in p.message for p in found.problems), text
    assert any(p.path == mangled and "unreadable" in p.message for p in found.problems), text
    assert any(p.stage == "picture" and p.key == picture.key
               and picture.files[0].sha256[:12] in p.message for p in found.problems), text

    repaired = cache_verify(root, repair=True)
    assert repaired.ok and repaired.repaired
    assert not take.exists() and not mangled.exists()
    assert cache_verify(root).problems == ()
    done = computed(render(root))
    assert done["picture"] == 1 and done["music"] == 1
    assert cache_verify(root).problems == ()


def test_a_production_without_a_store(tmp_path: Path) -> None:
    root = write_tiny(tmp_path / "fresh")
    assert cache_gc(root).manifests_kept == 0
    assert cache_verify(root).ok
    assert not (root / STORE).exists()
