"""The plan file: stable shot ids across script edits, locks a person set, and misfits."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import TINY_BIBLE, TINY_SCRIPT
from yingxi.backends.embedded.director import EmbeddedDirector
from yingxi.backends.protocols import LineTiming, PlanRequest
from yingxi.errors import ConfigError
from yingxi.pipeline.replan import reconcile
from yingxi.schema.bible import Bible
from yingxi.schema.shots import ShotList
from yingxi.script.bible_io import parse_bible
from yingxi.script.fountain import parse_fountain
from yingxi.script.shots_io import PlanFile, dump_plan, parse_plan
from yingxi.stages.script import resolve

FPS = 24
LONGER = TINY_SCRIPT.replace("林秋\n你来了。\n",
                             "林秋\n你来了。\n\n周山\n嗯。\n\n林秋\n坐吧，外面冷。\n")


@pytest.fixture
def bible() -> Bible:
    return parse_bible(TINY_BIBLE)


def _fresh(bible: Bible, script: str, seconds: float = 2.0) -> ShotList:
    screenplay = resolve(parse_fountain(script, "ep01.fountain"), bible)
    lines = [LineTiming(duration=seconds, voiced_start=0.05, voiced_end=seconds - 0.1)
             for _ in screenplay.dialogue()]
    return EmbeddedDirector().plan(PlanRequest(episode="ep01", screenplay=screenplay,
                                               bible=bible, fps=FPS, lines=lines))


def _round_trip(plan: PlanFile) -> PlanFile:
    return parse_plan(dump_plan(plan), "shots/ep01.yaml")


def test_inserting_lines_keeps_every_other_id(bible: Bible) -> None:
    first = reconcile(_fresh(bible, TINY_SCRIPT), None, bible)
    before = {s.anchor: s.id for s in first.shots.shots}
    again = reconcile(_fresh(bible, LONGER), _round_trip(first.file), bible)
    after = {s.anchor: s.id for s in again.shots.shots}
    for anchor, shot_id in before.items():
        if anchor in after:
            assert after[anchor] == shot_id
    new = [s.id for s in again.shots.shots if s.anchor not in before]
    assert len(new) >= 2 and len(set(after.values())) == len(after)
    assert not set(new) & set(before.values())
    # the new shots sit between their neighbours: sc01-0xx, not renumbered
    assert all(i.startswith("sc01-") for i in new)


def test_editing_a_line_keeps_its_id_and_everyone_elses(bible: Bible) -> None:
    first = reconcile(_fresh(bible, TINY_SCRIPT), None, bible)
    edited = TINY_SCRIPT.replace("我来了。", "我来晚了。")
    again = reconcile(_fresh(bible, edited), _round_trip(first.file), bible)
    assert [s.id for s in again.shots.shots] == [s.id for s in first.shots.shots]


def test_a_field_a_person_edits_is_locked_and_survives_a_replan(bible: Bible) -> None:
    first = reconcile(_fresh(bible, TINY_SCRIPT), None, bible)
    text = dump_plan(first.file)
    target = first.shots.shots[1]
    assert target.size != "close"
    # a person edits the YAML: the first dialogue shot becomes a close-up
    block = text.split(f"- id: {target.id}\n", 1)
    head, rest = block[1].split("  size: ", 1)
    old_size, tail = rest.split("\n", 1)
    text = f"{block[0]}- id: {target.id}\n{head}  size: close\n{tail}"
    edited = parse_plan(text, "shots/ep01.yaml")
    again = reconcile(_fresh(bible, LONGER), edited, bible)
    shot = next(s for s in again.shots.shots if s.id == target.id)
    assert shot.size == "close"
    entry = next(e for e in again.file.shots if e.id == target.id)
    assert entry.locked == ["size"]
    # written and read back, the lock holds; other fields still follow the director
    third = reconcile(_fresh(bible, LONGER, seconds=3.0), _round_trip(again.file), bible)
    shot = next(s for s in third.shots.shots if s.id == target.id)
    assert shot.size == "close" and shot.frames > target.frames
    # deleting the name from `locked` hands the field back
    unlocked = _round_trip(third.file)
    entries = [e.replace(locked=[]) if e.id == target.id else e for e in unlocked.shots]
    fourth = reconcile(_fresh(bible, LONGER), unlocked.replace(shots=entries), bible)
    assert next(s for s in fourth.shots.shots if s.id == target.id).size == old_size


def test_locked_shots_that_no_longer_fit_are_reported(bible: Bible) -> None:
    first = reconcile(_fresh(bible, TINY_SCRIPT), None, bible)
    entries = list(first.file.shots)
    zhou_line = next(i for i, s in enumerate(first.shots.shots) if s.speaker == "zhou")
    lin_line = next(i for i, s in enumerate(first.shots.shots) if s.speaker == "lin")
    entries[zhou_line] = entries[zhou_line].replace(size="close", locked=["size"])
    entries[lin_line] = entries[lin_line].replace(subjects=["zhou"], seconds=1.3)
    edited = first.file.replace(shots=entries)
    cut = TINY_SCRIPT.replace("周山\n（笑）\n我来了。\n", "")
    again = reconcile(_fresh(bible, cut, seconds=2.0), _round_trip(edited), bible,
                      voiced={0: round(1.9 * FPS), 1: round(1.9 * FPS)})
    notes = [str(n) for n in again.notes]
    gone = first.shots.shots[zhou_line].id
    assert any(n.startswith(gone) and "no longer in the script" in n for n in notes)
    lin_id = first.shots.shots[lin_line].id
    assert any(n.startswith(lin_id) and "not on screen" in n for n in notes)
    assert any(n.startswith(lin_id) and "past the locked length" in n for n in notes)
    kept = next(s for s in again.shots.shots if s.id == lin_id)
    assert kept.subjects == ["zhou"] and kept.frames == round(1.3 * FPS)


def test_a_broken_plan_file_points_at_the_line(bible: Bible) -> None:
    first = reconcile(_fresh(bible, TINY_SCRIPT), None, bible)
    text = dump_plan(first.file).replace("size: extreme-wide", "size: huge", 1)
    with pytest.raises(ConfigError) as info:
        parse_plan(text, "shots/ep01.yaml")
    err = info.value
    assert err.file == "shots/ep01.yaml" and err.line is not None
    assert text.splitlines()[err.line - 1].strip() == "size: huge"
    assert "size" in err.message
    dupe = dump_plan(first.file).replace(f"id: {first.shots.shots[1].id}",
                                         f"id: {first.shots.shots[0].id}")
    with pytest.raises(ConfigError, match="appears twice"):
        parse_plan(dupe, "shots/ep01.yaml")


def test_the_plan_file_round_trips_and_says_how_to_edit_it(bible: Bible, tmp_path: Path
                                                           ) -> None:
    first = reconcile(_fresh(bible, TINY_SCRIPT), None, bible)
    text = dump_plan(first.file)
    assert text.startswith("# The shot plan of ep01")
    assert "subjects: [lin]" in text and "locked: []" in text
    assert parse_plan(text, "x") == first.file
    again = reconcile(_fresh(bible, TINY_SCRIPT), parse_plan(text, "x"), bible)
    assert dump_plan(again.file) == text and not again.notes
