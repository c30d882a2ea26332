"""The store and the runner: keys, cache hits, atomic writes, damaged artifacts recomputed."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

import pytest

from yingxi.backends.registry import Registry
from yingxi.errors import RenderError
from yingxi.pipeline.keys import task_key
from yingxi.pipeline.runner import After, Runner
from yingxi.pipeline.store import Store
from yingxi.schema.artifacts import BlobRef
from yingxi.schema.base import Document, Schema
from yingxi.stages.base import Stage, StageContext


class EchoInput(Schema):
    text: str
    repeat: int = 1


class EchoOutput(Document):
    SCHEMA = "test.Echo/1"
    blob: BlobRef
    length: int


class EchoStage(Stage[EchoInput, EchoOutput]):
    name = "echo"
    version = "1"
    input_type = EchoInput
    output_type = EchoOutput
    calls: ClassVar[list[str]] = []

    def compute(self, inp: EchoInput, ctx: StageContext) -> EchoOutput:
        self.calls.append(inp.text)
        data = (inp.text * inp.repeat).encode()
        with ctx.temp_path(".bin") as path:
            path.write_bytes(data)
            ref = ctx.put_file(path, "application/octet-stream")
        return EchoOutput(blob=ref, length=len(data))


class BrokenStage(EchoStage):
    name = "broken"

    def compute(self, inp: EchoInput, ctx: StageContext) -> EchoOutput:
        raise ZeroDivisionError("boom")


@pytest.fixture(autouse=True)
def _reset_calls() -> None:
    EchoStage.calls.clear()


def test_keys_are_canonical_and_cover_everything() -> None:
    base = task_key("s", "1", None, {"a": 1, "b": [1, 2]})
    assert base == task_key("s", "1", None, {"b": [1, 2], "a": 1})
    assert len({base, task_key("s", "2", None, {"a": 1, "b": [1, 2]}),
                task_key("t", "1", None, {"a": 1, "b": [1, 2]}),
                task_key("s", "1", {"name": "x"}, {"a": 1, "b": [1, 2]}),
                task_key("s", "1", None, {"a": 2, "b": [1, 2]})}) == 5


def test_second_run_is_served_from_the_store(runner: Runner, store: Store) -> None:
    first = runner.run(EchoStage(), EchoInput(text="hi", repeat=3))
    second = Runner(store, Registry()).run(EchoStage(), EchoInput(text="hi", repeat=3))
    assert first == second
    assert EchoStage.calls == ["hi"]
    assert store.read_bytes(second.blob) == b"hihihi"


def test_a_new_stage_version_recomputes(runner: Runner) -> None:
    class EchoV2(EchoStage):
        version = "2"

    runner.run(EchoStage(), EchoInput(text="a"))
    runner.run(EchoV2(), EchoInput(text="a"))
    assert EchoStage.calls == ["a", "a"]


@pytest.mark.parametrize("damage", ["corrupt", "truncate", "delete"])
def test_damaged_blob_is_recomputed_not_served(store: Store, damage: str) -> None:
    out = Runner(store, Registry()).run(EchoStage(), EchoInput(text="data", repeat=100))
    path = store.blob_path(out.blob.sha256)
    if damage == "corrupt":
        raw = bytearray(path.read_bytes())
        raw[10] ^= 0xFF
        path.write_bytes(bytes(raw))
    elif damage == "truncate":
        path.write_bytes(path.read_bytes()[:50])
    else:
        path.unlink()
    again = Runner(store, Registry()).run(EchoStage(), EchoInput(text="data", repeat=100))
    assert EchoStage.calls == ["data", "data"]
    assert store.read_bytes(again.blob) == b"data" * 100


def test_damaged_manifest_is_recomputed(store: Store) -> None:
    runner = Runner(store, Registry())
    runner.run(EchoStage(), EchoInput(text="m"))
    manifests = list(store.tasks.rglob("*.json"))
    assert len(manifests) == 1
    manifests[0].write_text("{not json", encoding="utf-8")
    Runner(store, Registry()).run(EchoStage(), EchoInput(text="m"))
    assert EchoStage.calls == ["m", "m"]


def test_failures_are_reported_and_not_cached(runner: Runner, store: Store) -> None:
    with pytest.raises(RenderError, match=r"broken failed .* ZeroDivisionError: boom"):
        runner.run(BrokenStage(), EchoInput(text="x"))
    assert not list(store.tasks.rglob("*.json"))
    assert not list(store.tmp.iterdir())


def test_wrong_input_type_is_rejected(runner: Runner) -> None:
    class Other(Schema):
        text: str

    with pytest.raises(TypeError, match="takes EchoInput"):
        runner.run(EchoStage(), Other(text="x"))  # type: ignore[misc]


def test_stats_count_hits_and_misses(runner: Runner) -> None:
    runner.run(EchoStage(), EchoInput(text="a"))
    runner.run(EchoStage(), EchoInput(text="a"))
    runner.run(EchoStage(), EchoInput(text="b"))
    stats = runner.stats.stage("echo")
    assert (stats.misses, stats.hits) == (2, 1)


def test_put_bytes_is_idempotent(store: Store, tmp_path: Path) -> None:
    a = store.put_bytes(b"same", "text/plain")
    b = store.put_bytes(b"same", "text/plain")
    assert a == b
    assert store.read_bytes(a) == b"same"
    assert len([p for p in store.objects.rglob("*") if p.is_file()]) == 1


def test_a_stored_output_that_no_longer_parses_is_recomputed(store: Store) -> None:
    runner = Runner(store, Registry())
    out = runner.run(EchoStage(), EchoInput(text="v"))
    # simulate an output written by an older version under the same schema tag
    [manifest_path] = list(store.tasks.rglob("*.json"))
    from yingxi.pipeline.store import Manifest

    manifest = Manifest.model_validate_json(manifest_path.read_bytes())
    stale = store.put_bytes(b'{"schema":"test.Echo/1","length":"not a number"}',
                            "application/json")
    store.put_manifest(manifest.replace(output=stale))
    again = Runner(store, Registry()).run(EchoStage(), EchoInput(text="v"))
    assert again == out
    assert EchoStage.calls == ["v", "v"]


def test_a_batch_runs_after_the_batches_it_needs(runner: Runner) -> None:
    """``After`` batches get the outputs of the batches they name, in that order; a batch
    whose need is served from the store starts at once."""
    runner.run(EchoStage(), EchoInput(text="b"))  # stored: its dependant starts without it
    EchoStage.calls.clear()
    seen: list[tuple[int, int]] = []

    def join(first: list[EchoOutput], second: list[EchoOutput]) -> list[EchoInput]:
        seen.append((len(first), len(second)))
        return [EchoInput(text="+".join(str(o.length) for o in [*first, *second]))]

    a, b, [joined], [again] = runner.run_together(
        (EchoStage(), [EchoInput(text="a"), EchoInput(text="aa")]),
        (EchoStage(), [EchoInput(text="b")]),
        After(EchoStage(), (0, 1), join),
        After(EchoStage(), (2,), lambda joined: [EchoInput(text="x", repeat=joined[0].length)]))
    assert [o.length for o in a] == [1, 2] and [o.length for o in b] == [1]
    assert seen == [(2, 1)] and joined.length == len("1+2+1") and again.length == 5
    assert EchoStage.calls == ["a", "aa", "1+2+1", "x"]  # "b" was served


def test_a_batch_whose_need_failed_is_skipped_and_the_first_failure_raised(
        runner: Runner) -> None:
    made: list[str] = []

    def never(_: list[EchoOutput]) -> list[EchoInput]:
        made.append("called")
        return []

    with pytest.raises(RenderError, match="boom"):
        runner.run_together((BrokenStage(), [EchoInput(text="x")]),
                            (EchoStage(), [EchoInput(text="kept")]),
                            After(EchoStage(), (0,), never))
    assert made == [] and EchoStage.calls == ["kept"]  # the sibling still ran
    with pytest.raises(ValueError, match="only need batches before it"):
        runner.run_together(After(EchoStage(), (0,), never))
