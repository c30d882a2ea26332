"""A read-only walk over one episode's tasks: the key every task of the next render would
look up, and whether the store has it, without computing, writing or synthesising anything.

The walk follows :class:`~yingxi.pipeline.episode.EpisodePipeline` phase by phase and builds
every stage input with the pipeline's own builders, so its keys are the render's keys. Where
the render would compute (a task is not stored), the walk cannot know the output, so the
tasks it feeds get no key and name the upstream tasks that block them.

Two things are worked out in memory because nothing can be judged without them, and both
are pure and cheap: the screenplay is parsed when its task is not stored (the dialogue lines
decide every voice), and the director's plan is reconciled with ``shots/EPISODE.yaml``
exactly as a render would (the file is never written). When the plan cannot be looked up
(a voice changed, so the line timings it depends on are unknown), the plan of the last
recorded render stands in, so that the shots a change does not touch can still be judged.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING, Any, Literal, TypeVar, cast

from yingxi.backends.protocols import FoleyRequest
from yingxi.errors import ScriptError, YingxiError
from yingxi.pipeline.edit import line_events, line_spans
from yingxi.pipeline.foley_plan import foley_requests
from yingxi.pipeline.replan import reconcile
from yingxi.pipeline.scene_sound import scene_spans
from yingxi.pipeline.store import CorruptBlob
from yingxi.schema.artifacts import BlobRef, Cue, Effects, Mix, Segment, SoundTrack, Take
from yingxi.schema.base import Document, Schema, canonical_json, sha256_hex
from yingxi.schema.layout import ShotLayout
from yingxi.schema.screenplay import Screenplay
from yingxi.schema.shots import ShotList
from yingxi.schema.speech import Speech
from yingxi.schema.timeline import Edit, Timeline
from yingxi.script.fountain import read_fountain_text
from yingxi.script.shots_io import parse_plan, read_plan_text
from yingxi.stages.base import Stage, StageContext
from yingxi.stages.foley import FoleyInput, FoleyStage
from yingxi.stages.layout import LayoutStage
from yingxi.stages.master import MasterInput, MasterStage
from yingxi.stages.mix import SAMPLE_RATE, MixInput, MixStage
from yingxi.stages.music import MusicStage
from yingxi.stages.picture import PictureInput, PictureStage
from yingxi.stages.plan import PlanInput, PlanStage
from yingxi.stages.script import ScriptInput, ScriptStage
from yingxi.stages.segment import SegmentStage, segment_inputs
from yingxi.stages.sound import SoundStage, sound_input
from yingxi.stages.voice import VoiceStage

if TYPE_CHECKING:
    from yingxi.pipeline.episode import EpisodePipeline

log = logging.getLogger(__name__)

InT = TypeVar("InT", bound=Schema)
OutT = TypeVar("OutT", bound=Document)

PlanBasis = Literal["current", "last render", "none"]
# a field holding a request object is judged by the request's own fields ("mood changed")
_NESTED = ("request",)


@dataclass(eq=False)
class TaskNode:
    """One task of the episode as the walk found it.

    ``key`` is None when an upstream output is not available (``blocked`` says which);
    ``fields`` holds the digest of every input field (what the record of a render keeps, to
    tell later which input changed); ``upstream`` names the tasks whose outputs feed each
    field, to tell a change of one's own input from a change upstream.
    """

    stage: str
    ident: str             # stable within the episode: "line 3", "sc01-020", "scene 2", "ep01"
    label: str             # for people: "line 3 (周山: 坐吧。)"
    version: str
    anchor: str = ""       # what follows a task across edits (a voice: speaker and text)
    key: str | None = None
    stored: bool = False   # the key's manifest and every blob it names are in the store
    in_memory: bool = False  # not stored, but worked out in memory (the screenplay)
    backend: dict[str, Any] | None = None
    fields: dict[str, str] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)  # field -> how a reason calls it
    upstream: dict[str, list[TaskNode]] = field(default_factory=dict)
    blocked: list[TaskNode] = field(default_factory=list)
    shots: list[str] = field(default_factory=list)  # the shot rows the task belongs to

    @property
    def available(self) -> bool:
        """Whether the task's output is known to the walk (so its dependants have keys)."""
        return self.stored or self.in_memory


@dataclass
class EpisodeWalk:
    """Every task of one episode at one scale, in pipeline order."""

    episode: str
    scale: int
    tasks: list[TaskNode]
    shots: list[str]         # shot ids in order, as the next render would plan them
    plan_basis: PlanBasis    # where ``shots`` came from
    plan_key: str | None = None  # the key of the plan used (current or stand-in)


def walk_episode(pipeline: EpisodePipeline, episode: str,
                 last_plans: Sequence[str] = ()) -> EpisodeWalk:
    """Walk ``episode`` through ``pipeline`` (its runner's store is only read).

    ``last_plans`` are keys of plans earlier renders used, best first: the first one stored
    stands in for a plan that cannot be looked up. Raises what a render would raise on a
    broken screenplay, bible, plan file or backend name.
    """
    return _Walker(pipeline, episode, last_plans).walk()


def field_digests(inp: Schema) -> dict[str, str]:
    """sha256 of the canonical JSON of every top-level field of ``inp`` (of a request's
    fields, for a field holding one)."""
    out: dict[str, str] = {}
    for name, value in inp.to_data().items():
        if name in _NESTED and isinstance(value, dict):
            for sub, item in value.items():
                out[f"{name}.{sub}"] = sha256_hex(canonical_json(item))
        else:
            out[name] = sha256_hex(canonical_json(value))
    return out


class _NoContext:
    """The context of a stage run in memory by the walk: it offers nothing, so a stage that
    would store something (or use a backend) fails loudly instead of writing."""

    def __getattr__(self, name: str) -> Any:
        raise RuntimeError(f"the status walk runs no stage that uses its context ({name})")


class _Walker:
    """One walk: the phases of :meth:`EpisodePipeline.__call__`, judged, not run."""

    def __init__(self, pipeline: EpisodePipeline, episode: str,
                 last_plans: Sequence[str]) -> None:
        self.pipeline = pipeline
        self.runner = pipeline.runner
        self.store = pipeline.runner.store
        self.episode = episode
        self.last_plans = last_plans
        self.plan_key: str | None = None
        self.tasks: list[TaskNode] = []
        self.voice_nodes: list[TaskNode] = []  # by dialogue line, as the screenplay has them

    # --- the phases ---------------------------------------------------------------------------

    def walk(self) -> EpisodeWalk:
        screenplay, script = self._script()
        speeches, voices = self._voices(screenplay)
        self.voice_nodes = voices
        shots, basis, plan = self._plan(screenplay, speeches, voices, script)
        if shots is None:
            return EpisodeWalk(self.episode, self.pipeline.scale, self.tasks, [], basis)
        for index, voice in enumerate(voices):
            voice.shots = [s.id for s in shots.shots if s.dialogue_index == index]
        layouts, layout_nodes = self._layouts(shots, speeches, voices, plan)
        painter = self.pipeline.config.backends.painter
        pictures = [self._task(PictureStage(), partial(_picture_input, layout, painter),
                               ident=shot.id, label=shot.id, shots=[shot.id],
                               upstream={"layout": [node]})
                    for shot, layout, node in zip(shots.shots, layouts, layout_nodes,
                                                  strict=True)]
        takes = [out for out, _ in pictures]
        music = self._music(shots)
        foley = self._foley(shots, layouts, layout_nodes)
        lines = self._lines(shots, voices, plan)
        mix, mix_node = self._mix(shots, speeches, music, foley, lines)
        self._finish(screenplay, shots, takes, speeches, mix, mix_node,
                     {s.id: node for s, (_, node) in zip(shots.shots, pictures, strict=True)},
                     lines)
        return EpisodeWalk(self.episode, self.pipeline.scale, self.tasks,
                           [s.id for s in shots.shots], basis, self.plan_key)

    def _script(self) -> tuple[Screenplay, TaskNode]:
        prod = self.pipeline.production
        path = prod.episode_path(self.episode)
        source = path.relative_to(prod.root).as_posix()
        inp = ScriptInput(source=source, text=read_fountain_text(path), bible=prod.bible)
        stage = ScriptStage()
        stored, node = self._task(stage, inp, ident=self.episode, label=source,
                                  names={"text": "screenplay text", "source": "file name"})
        if stored is not None:
            return stored, node
        try:  # parsing is pure and cheap, and every line must be known to judge the rest
            screenplay = stage.compute(inp, cast(StageContext, _NoContext()))
        except ScriptError as exc:
            if exc.file == source:
                exc.file = str(path)
            raise
        node.in_memory = True
        return screenplay, node

    def _voices(self, screenplay: Screenplay) -> tuple[list[Speech | None], list[TaskNode]]:
        speeches: list[Speech | None] = []
        nodes: list[TaskNode] = []
        inputs = self.pipeline._voice_inputs(screenplay)
        lines = screenplay.dialogue()
        for number, (line, inp) in enumerate(zip(lines, inputs, strict=True), start=1):
            ident = f"line {number}"
            names = {"text": f"{ident} text", "voice": f"{ident} voice",
                     "delivery": f"{ident} delivery", "language": f"{ident} language",
                     "backend": f"{ident} speaker engine"}
            speech, node = self._task(VoiceStage(), inp, ident=ident, names=names,
                                      label=f"{ident} ({line.cue}: {_short(line.text)})",
                                      anchor=f"{line.speaker}|{line.text}")
            speeches.append(speech)
            nodes.append(node)
        return speeches, nodes

    def _plan(self, screenplay: Screenplay, speeches: list[Speech | None],
              voices: list[TaskNode], script: TaskNode
              ) -> tuple[ShotList | None, PlanBasis, TaskNode]:
        pipeline = self.pipeline

        def build() -> PlanInput:
            return PlanInput(backend=pipeline.config.backends.planner,
                             request=pipeline._plan_request(self.episode, screenplay,
                                                            _known(speeches)))

        fresh, node = self._task(PlanStage(), build, ident=self.episode, label="shot plan",
                                 upstream={"request.lines": voices,
                                           "request.screenplay": [script]})
        basis: PlanBasis = "current"
        self.plan_key = node.key
        for key in self.last_plans if fresh is None else ():
            fresh = self._lookup(PlanStage(), key)
            if fresh is not None:
                basis, self.plan_key = "last render", key
                break
        if fresh is None:
            return None, "none", node
        from yingxi.pipeline.episode import SHOTS_DIR  # episode.py imports this module

        plan_path = pipeline.production.root / SHOTS_DIR / f"{self.episode}.yaml"
        text = read_plan_text(plan_path)
        previous = parse_plan(text, str(plan_path)) if text is not None else None
        # what a render does, minus writing the file back
        return reconcile(fresh, previous, pipeline.production.bible).shots, basis, node

    def _layouts(self, shots: ShotList, speeches: list[Speech | None], voices: list[TaskNode],
                 plan: TaskNode) -> tuple[list[ShotLayout | None], list[TaskNode]]:
        layouts: list[ShotLayout | None] = []
        nodes: list[TaskNode] = []
        for shot in shots.shots:
            line = shot.dialogue_index
            upstream: dict[str, list[TaskNode]] = {}
            if line is not None:
                # a stand-in plan may name a line the script no longer has
                upstream = {"speech": [voices[line]]} if line < len(voices) else {"plan": [plan]}
            location = shots.scenes[shot.scene].location
            speech = speeches[line] if line is not None and line < len(speeches) else None
            layout, node = self._task(
                LayoutStage(), partial(self.pipeline._layout_input, shots, shot, speech),
                ident=shot.id, label=shot.id, shots=[shot.id], upstream=upstream,
                names={"location": f"location {location!r}", "subjects": "cast on screen",
                       "speech_start": "where its line starts"})
            layouts.append(layout)
            nodes.append(node)
        return layouts, nodes

    def _music(self, shots: ShotList) -> list[tuple[int, Cue | None, TaskNode]]:
        starts, inputs = self.pipeline._music_inputs(shots)
        spans = scene_spans(shots, self.pipeline.format.fps)
        out = []
        for start, inp, span in zip(starts, inputs, spans, strict=True):
            ident, label = self._scene(shots, span.scene)
            cue, node = self._task(MusicStage(), inp, ident=ident, label=label,
                                   names={"request.num_samples": "length"})
            out.append((start, cue, node))
        return out

    def _foley(self, shots: ShotList, layouts: list[ShotLayout | None],
               layout_nodes: list[TaskNode]) -> list[tuple[int, Effects | None, TaskNode]]:
        pipeline = self.pipeline
        spans = scene_spans(shots, pipeline.format.fps)
        # a scene's request reads only its own shots' layouts: a missing layout is stood in
        # by any known one, and the scenes it belongs to are reported blocked, not judged
        stand_in = next((layout for layout in layouts if layout is not None), None)
        requests = foley_requests(shots, [layout or stand_in for layout in layouts],
                                  pipeline.production.bible, pipeline.format.fps, SAMPLE_RATE,
                                  pipeline.config.seed)[1] if stand_in is not None else []
        out = []
        for number, span in enumerate(spans):
            ident, label = self._scene(shots, span.scene)
            feeding = [node for shot, node in zip(shots.shots, layout_nodes, strict=True)
                       if shot.scene == span.scene]
            effects, node = self._task(
                FoleyStage(), partial(_foley_input, requests, number,
                                      pipeline.config.backends.foley),
                ident=ident, label=label, upstream={"request.spots": feeding},
                names={"request.num_samples": "length"})
            out.append((span.first, effects, node))
        return out

    def _lines(self, shots: ShotList, voices: list[TaskNode], plan: TaskNode
               ) -> dict[str, list[TaskNode]]:
        """What the placed lines depend on: their voices (or, for a stand-in plan that names
        lines the script no longer has, the plan)."""
        lines = sorted(shots.line_starts())
        if all(line < len(voices) for line in lines):
            return {"lines": [voices[line] for line in lines]}
        return {"lines": [], "plan": [plan]}

    def _mix(self, shots: ShotList, speeches: list[Speech | None],
             music: list[tuple[int, Cue | None, TaskNode]],
             foley: list[tuple[int, Effects | None, TaskNode]],
             lines: dict[str, list[TaskNode]]) -> tuple[Mix | None, TaskNode]:
        pipeline = self.pipeline

        def build() -> MixInput:
            return pipeline._mix_input(
                shots, pipeline._placed_lines(shots, _known(speeches)),
                list(zip([start for start, _, _ in music],
                         _known([cue for _, cue, _ in music]), strict=True)),
                list(zip([start for start, _, _ in foley],
                         _known([effects for _, effects, _ in foley]), strict=True)))

        upstream = {**lines, "cues": [node for _, _, node in music],
                    "effects": [node for _, _, node in foley]}
        return self._task(MixStage(), build, ident=self.episode, label="the mix",
                          upstream=upstream, names={"frames": "length"})

    def _finish(self, screenplay: Screenplay, shots: ShotList, takes: list[Take | None],
                speeches: list[Speech | None], mix: Mix | None, mix_node: TaskNode,
                pictures: dict[str, TaskNode], lines: dict[str, list[TaskNode]]) -> None:
        """Phases 5-9 after the pictures: one segment per clip of the edit, the mix as AAC,
        and the master that joins them.

        A segment needs only its own take (and, for a dissolve, those before it) and the
        lines whose subtitles may show over it, so each is judged on its own: a changed
        line or picture blocks the segments it reaches, not all of them."""
        pipeline = self.pipeline
        labels = pipeline.config.labels
        edit, reach = self._edit(screenplay, shots, takes, speeches, lines)
        segments: list[tuple[Segment | None, TaskNode]] = []
        inputs = segment_inputs(edit, labels)
        for index, (clip, inp) in enumerate(zip(edit.clips, inputs, strict=True)):
            # a dissolve starts from the clips just before (segment_inputs' lead_in)
            before = edit.clips[index - len(inp.lead_in):index]
            end = clip.start + clip.frames
            heard = _unique(node for (first, until), node in reach
                            if first < end and until > clip.start)
            segments.append(self._task(
                SegmentStage(), inp, ident=clip.shot_id, label=clip.shot_id,
                shots=[clip.shot_id], upstream={
                    "clip": _picked(pictures, [clip.shot_id]),
                    "lead_in": _picked(pictures, [c.shot_id for c in before]),
                    # a plan that names lines the script no longer has blocks every one
                    "subtitles": [*heard, *lines.get("plan", [])]}))
        sound, sound_node = self._task(
            SoundStage(), _never if mix is None else sound_input(mix),
            ident=self.episode, label="the mix as AAC", upstream={"mix": [mix_node]})
        self._task(MasterStage(), lambda: MasterInput(
            timeline=Timeline.of(edit, cast(Mix, mix)),
            segments=_known([s for s, _ in segments]), sound=cast(SoundTrack, sound),
            labels=labels), ident=self.episode, label="the delivered MP4", upstream={
                "timeline": [mix_node, *pictures.values(), *lines["lines"]],
                **({"plan": lines["plan"]} if "plan" in lines else {}),
                "segments": [node for _, node in segments], "sound": [sound_node]})

    def _edit(self, screenplay: Screenplay, shots: ShotList, takes: list[Take | None],
              speeches: list[Speech | None], lines: dict[str, list[TaskNode]]
              ) -> tuple[Edit, list[tuple[tuple[int, int], TaskNode]]]:
        """The edit as far as it is known: a take not stored yet stands as a placeholder
        (only the segments that use it would read it, and they are blocked by its picture),
        and a line whose voice is not stored shows no subtitles. With it, the frames each
        line's subtitles may show in and the voice task they come from."""
        pipeline = self.pipeline
        order = sorted(shots.line_starts().items(), key=lambda p: p[1])
        total = sum(shot.frames for shot in shots.shots)
        spans = line_spans([start for _, start in order], total)
        events = []
        reach: list[tuple[tuple[int, int], TaskNode]] = []
        for (index, _), (start, until) in zip(order, spans, strict=True):
            speech = speeches[index] if index < len(speeches) else None
            if index < len(self.voice_nodes):
                reach.append(((start, until), self.voice_nodes[index]))
            if speech is not None:
                events.extend(line_events(speech, start, until, pipeline.format.fps))
        stand_in = Take(video=_PLACEHOLDER, width=1, height=1, fps=1, frames=1, painter="")
        edit = pipeline._edit(self.episode, screenplay, shots,
                              [take or stand_in for take in takes], [])
        return edit.model_copy(update={"subtitles": events}), reach

    # --- one task ---------------------------------------------------------------------------

    def _task(self, stage: Stage[InT, OutT], build: InT | Callable[[], InT], *, ident: str,
              label: str, anchor: str = "", shots: Iterable[str] = (),
              upstream: dict[str, list[TaskNode]] | None = None,
              names: dict[str, str] | None = None) -> tuple[OutT | None, TaskNode]:
        """Judge one task: its key (if every upstream output is known) and whether stored.
        ``build`` (a value, or a function called only when nothing blocks) is its input."""
        node = TaskNode(stage=stage.name, ident=ident, label=label, version=stage.version,
                        anchor=anchor or ident, shots=list(shots), upstream=upstream or {},
                        names=names or {})
        self.tasks.append(node)
        node.blocked = _unique(up for ups in node.upstream.values() for up in ups
                               if not up.available)
        if node.blocked:
            return None, node
        inp = build if isinstance(build, Schema) else build()
        node.key = self.runner.key(stage, inp)
        node.backend = self._backend(stage, inp)
        node.fields = field_digests(inp)
        out = self._lookup(stage, node.key)
        node.stored = out is not None
        return out, node

    def _lookup(self, stage: Stage[InT, OutT], key: str) -> OutT | None:
        """The stored output of ``key``; None when missing or damaged (left as it is)."""
        manifest = self.store.peek_manifest(key)
        if manifest is None:
            return None
        try:
            return cast(OutT, stage.output_type.from_json_bytes(
                self.store.read_bytes(manifest.output)))
        except (CorruptBlob, YingxiError, OSError):
            return None

    def _backend(self, stage: Stage[InT, OutT], inp: InT) -> dict[str, Any] | None:
        name = stage.backend_name(inp) if stage.role is not None else None
        if stage.role is None or name is None:
            return None
        info: dict[str, Any] = self.runner.registry.get(stage.role, name).info.to_data()
        return info

    def _scene(self, shots: ShotList, scene: int) -> tuple[str, str]:
        ident = f"scene {scene + 1}"
        return ident, f"{ident} ({shots.scenes[scene].heading})"


def _picture_input(layout: ShotLayout | None, painter: str) -> PictureInput:
    assert layout is not None  # built only when the layout is known
    return PictureInput(layout=layout, backend=painter)


def _foley_input(requests: list[FoleyRequest], number: int, backend: str) -> FoleyInput:
    return FoleyInput(request=requests[number], backend=backend)


# stands in for a take that is not stored yet; never keyed (its segments are blocked)
_PLACEHOLDER = BlobRef(sha256="0" * 64, size=0, media_type="video/mp4")


def _never() -> Any:
    raise AssertionError("a blocked task's input is never built")


T = TypeVar("T")


def _picked(nodes: dict[str, TaskNode], ids: list[str]) -> list[TaskNode]:
    return [nodes[i] for i in ids if i in nodes]


def _known(values: list[T | None]) -> list[T]:
    """``values`` once every one is known (the walk builds an input only then)."""
    assert all(v is not None for v in values)
    return [v for v in values if v is not None]


def _unique(nodes: Iterable[TaskNode]) -> list[TaskNode]:
    seen: dict[int, TaskNode] = {}
    for node in nodes:
        seen.setdefault(id(node), node)
    return list(seen.values())


def _short(text: str, limit: int = 16) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1] + "…"
