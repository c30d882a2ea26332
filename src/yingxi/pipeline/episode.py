"""The episode pipeline: a production's screenplay -> a delivered, labeled MP4.

Each phase below turns the previous phases' outputs into stage inputs and runs them through
the :class:`~yingxi.pipeline.runner.Runner`, which serves anything already in the store.
Inputs carry only what decides a task's output (no shot ids, no line numbers), so an edit
recomputes only the tasks it really changes.
"""

from __future__ import annotations

import contextlib
import functools
import importlib.util
import itertools
import logging
import os
import shutil
import time
import zlib
from dataclasses import dataclass, field, replace
from pathlib import Path

from yingxi.backends.protocols import CueRequest, LineTiming, PlanRequest
from yingxi.errors import BackendUnavailable, ConfigError, ScriptError
from yingxi.media.fonts import cjk_face
from yingxi.pipeline.edit import make_edit
from yingxi.pipeline.foley_plan import foley_requests
from yingxi.pipeline.replan import PlanNote, reconcile
from yingxi.pipeline.report import cost_summary, memory_summary, stage_table
from yingxi.pipeline.runner import After, Runner, RunStats
from yingxi.pipeline.scene_sound import scene_spans
from yingxi.pipeline.status import record_render
from yingxi.pipeline.store import Store, dump_json, file_sha256
from yingxi.schema.artifacts import BlobRef, Cue, Effects, Master, Take
from yingxi.schema.layout import CastMember, SetSpec, ShotLayout
from yingxi.schema.production import FormatConfig
from yingxi.schema.screenplay import Screenplay
from yingxi.schema.shots import Shot, ShotList
from yingxi.schema.speech import Speech
from yingxi.schema.timeline import Edit, Timeline
from yingxi.script.fountain import read_fountain_text
from yingxi.script.production_io import BIBLE_NAME, Production
from yingxi.script.shots_io import PlanFile, dump_plan, parse_plan, read_plan_text
from yingxi.stages.foley import FoleyInput, FoleyStage
from yingxi.stages.layout import LayoutInput, LayoutStage, prop_spec
from yingxi.stages.master import MasterInput, MasterStage
from yingxi.stages.mix import (
    SAMPLE_RATE,
    MixInput,
    MixStage,
    PlacedCue,
    PlacedEffects,
    PlacedLine,
)
from yingxi.stages.music import MusicInput, MusicStage
from yingxi.stages.picture import PictureInput, PictureStage
from yingxi.stages.plan import PlanInput, PlanStage
from yingxi.stages.script import ScriptInput, ScriptStage
from yingxi.stages.segment import SegmentStage, segment_inputs
from yingxi.stages.sound import SoundStage, sound_input
from yingxi.stages.voice import VoiceInput, VoiceStage, delivery_for

log = logging.getLogger(__name__)

SHOTS_DIR = "shots"
BREATH_SECONDS = 0.08  # a pause between words at least this long is a place to cut
# (module, PyPI package) the embedded pipeline imports lazily, checked before any work
_REQUIRED = (("numpy", "numpy"), ("scipy", "scipy"), ("pyloudnorm", "pyloudnorm"),
             ("av", "av"), ("skia", "skia-python"))


@dataclass(frozen=True)
class Blocking:
    """An episode planned and blocked: script, voices, shots and their layouts."""

    screenplay: Screenplay
    speeches: list[Speech]
    shots: ShotList
    layouts: list[ShotLayout]
    plan_file: Path
    plan: PlanFile
    notes: list[PlanNote]


@functools.cache
def _sha256_of(path: Path, size: int, mtime_ns: int) -> str:
    return file_sha256(path)


def _sha256_cached(path: Path) -> str:
    """A file's content hash, computed once per process while the file is unchanged."""
    stat = path.stat()
    return _sha256_of(path, stat.st_size, stat.st_mtime_ns)


@dataclass(frozen=True)
class EpisodeResult:
    """Where a rendered episode went and what it cost."""

    episode: str
    video: Path
    subtitles: Path
    report: Path
    master: Master
    shots: ShotList
    wall_seconds: float
    stats: RunStats
    notes: list[PlanNote] = field(default_factory=list)
    timeline: Timeline | None = None


class EpisodePipeline:
    """Renders episodes of one production. ``scale`` > 1 renders a smaller preview."""

    def __init__(self, production: Production, runner: Runner, *, scale: int = 1) -> None:
        self.production = production
        self.runner = runner
        self.config = production.config
        self.format: FormatConfig = production.format
        if scale > 1:
            self.format = self.format.scaled(scale)
        self.scale = scale

    def __call__(self, episode: str, out_dir: Path) -> EpisodeResult:
        """Render ``episode`` into ``out_dir``."""
        started = time.perf_counter()
        run = self.runner
        stats_before = run.stats.snapshot()
        # 1-4. script, voice, plan, layout
        blocked = self.block(episode)
        screenplay, speeches, shots = blocked.screenplay, blocked.speeches, blocked.shots

        # 5-8. one task graph: every shot painted, then finished and encoded on its own as a
        # segment (an edit re-encodes only the shots it touches); a cue and a bed of effects
        # under every scene, mixed with the lines as soon as they are made, and the mix
        # encoded as AAC. Picture and sound meet only in the master.
        cue_starts, music_inputs = self._music_inputs(shots)
        fx_starts, fx_requests = foley_requests(shots, blocked.layouts,
                                                self.production.bible, self.format.fps,
                                                SAMPLE_RATE, self.config.seed)
        lines = self._placed_lines(shots, speeches)

        def edit_of(takes: list[Take]) -> Edit:
            return self._edit(episode, screenplay, shots, takes, lines)

        def mix_of(cues: list[Cue], effects: list[Effects]) -> list[MixInput]:
            return [self._mix_input(shots, lines, list(zip(cue_starts, cues, strict=True)),
                                    list(zip(fx_starts, effects, strict=True)))]

        takes, _, _, [mixed], [sound], segments = run.run_together(
            (PictureStage(), [PictureInput(layout=layout, backend=self.config.backends.painter)
                              for layout in blocked.layouts]),
            (MusicStage(), music_inputs),
            (FoleyStage(), [FoleyInput(request=r, backend=self.config.backends.foley)
                            for r in fx_requests]),
            After(MixStage(), (1, 2), mix_of),
            After(SoundStage(), (3,), lambda mixes: [sound_input(mixes[0])]),
            After(SegmentStage(), (0,), lambda takes: segment_inputs(edit_of(takes),
                                                                     self.config.labels)))

        # 9. master: the segments joined without re-encoding, the sound copied under them,
        # labeled and verified
        timeline = Timeline.of(edit_of(takes), mixed)
        master = run.run(MasterStage(), MasterInput(timeline=timeline, segments=segments,
                                                    sound=sound, labels=self.config.labels))

        # 10. deliver: copy out of the store, with a report
        result = self._deliver(episode, out_dir, master, shots, run.stats.since(stats_before),
                               time.perf_counter() - started)
        record_render(self, episode)  # what `yingxi status` compares the next edit with
        return replace(result, notes=blocked.notes, timeline=timeline)

    def block(self, episode: str) -> Blocking:
        """Phases 1-4: everything decided before a single pixel is painted."""
        run = self.runner
        path = self.production.episode_path(episode)
        self._preflight()

        # 1. script: parse the screenplay and resolve it against the bible
        # (the key holds the path inside the production, so a moved production keeps its cache)
        source = path.relative_to(self.production.root).as_posix()
        try:
            screenplay = run.run(ScriptStage(), ScriptInput(
                source=source, text=read_fountain_text(path), bible=self.production.bible))
        except ScriptError as exc:
            if exc.file == source:
                exc.file = str(path)
            raise

        # 2. voice: every dialogue line, in its character's voice
        speeches = run.run_many(VoiceStage(), self._voice_inputs(screenplay))

        # 3. plan: shots from the script and the length of every line, merged with the
        # plan file a person may have edited (ids kept, edited fields locked)
        fresh = run.run(PlanStage(), PlanInput(backend=self.config.backends.planner,
                                               request=self._plan_request(episode, screenplay,
                                                                          speeches)))
        plan_path = self.production.root / SHOTS_DIR / f"{episode}.yaml"
        old_text = read_plan_text(plan_path)
        previous = parse_plan(old_text, str(plan_path)) if old_text is not None else None
        merged = reconcile(fresh, previous, self.production.bible,
                           voiced=_voiced_frames(speeches, self.format.fps))
        _write_plan(plan_path, merged.file, old_text)
        for note in merged.notes:
            log.warning("%s: %s", plan_path.name, note)
        shots = merged.shots

        # 4. layout: blocking, camera and mouth shapes of every shot
        layouts = run.run_many(LayoutStage(), self._layout_inputs(shots, speeches))
        return Blocking(screenplay=screenplay, speeches=speeches, shots=shots, layouts=layouts,
                        plan_file=plan_path, plan=merged.file, notes=merged.notes)

    def _preflight(self) -> None:
        """Load every backend and font the render will need, so that a missing dependency
        fails in a second, not after minutes of painting."""
        for module, package in _REQUIRED:
            if importlib.util.find_spec(module) is None:
                raise BackendUnavailable(f"the Python package {package} is missing",
                                         hint=f"pip install {package} (make demo installs "
                                              "everything yingxi needs)")
        backends = self.config.backends
        registry = self.runner.registry
        for role, name in (("planner", backends.planner), ("painter", backends.painter),
                           ("composer", backends.composer)):
            registry.get(role, name)
        for char in self.production.bible.characters:
            engine = char.voice.engine or backends.speaker
            try:
                registry.get("speaker", engine)
            except ConfigError as exc:
                raise ConfigError(f"character {char.id!r}: voice engine {engine!r}: "
                                  f"{exc.message}",
                                  file=self.production.root / BIBLE_NAME, hint=exc.hint
                                  ) from None
        cjk_face()

    # --- inputs of each phase ---------------------------------------------------------------

    def _voice_inputs(self, screenplay: Screenplay) -> list[VoiceInput]:
        bible = self.production.bible
        inputs = []
        for line in screenplay.dialogue():
            voice = bible.character(line.speaker or "").voice
            inputs.append(VoiceInput(
                text=line.text, language=voice.language or self.config.language, voice=voice,
                delivery=delivery_for(line.parenthetical),
                backend=voice.engine or self.config.backends.speaker))
        return inputs

    def _plan_request(self, episode: str, screenplay: Screenplay,
                      speeches: list[Speech]) -> PlanRequest:
        lines = []
        for speech in speeches:
            start, end = speech.voiced_span()
            lines.append(LineTiming(duration=speech.duration, voiced_start=start,
                                    voiced_end=end, breaks=breaths(speech)))
        return PlanRequest(episode=episode, screenplay=screenplay, bible=self.production.bible,
                           fps=self.format.fps, lines=lines)

    def _layout_inputs(self, shots: ShotList, speeches: list[Speech]) -> list[LayoutInput]:
        return [self._layout_input(shots, shot, speeches[shot.dialogue_index]
                                   if shot.dialogue_index is not None else None)
                for shot in shots.shots]

    def _layout_input(self, shots: ShotList, shot: Shot, speech: Speech | None) -> LayoutInput:
        """The layout input of one shot of ``shots``; ``speech`` is its line's, if any."""
        bible = self.production.bible
        scene = shots.scenes[shot.scene]
        return LayoutInput(
            width=self.format.width, height=self.format.height, fps=self.format.fps,
            look=bible.style.look, seed=self.config.seed, size=shot.size,
            angle=shot.angle, move=shot.move, coverage=shot.coverage,
            frames=shot.frames, speech_start=shot.speech_start, staging=scene.cast,
            subjects=[CastMember.of(bible.character(c)) for c in shot.subjects],
            foreground=CastMember.of(bible.character(shot.foreground))
            if shot.foreground else None,
            # a voice heard off screen moves no lips, even if its owner is in frame
            speaker=None if shot.offscreen else shot.speaker,
            expressions=shot.expressions, walks=shot.walks,
            imperfections=bible.style.imperfections, speech=speech,
            location=SetSpec.of(bible.location(scene.location)),
            time_of_day=scene.time_of_day,
            insert=prop_spec(bible.prop(shot.prop)) if shot.prop else None)

    def _music_inputs(self, shots: ShotList) -> tuple[list[int], list[MusicInput]]:
        fps, rate = self.format.fps, SAMPLE_RATE
        soundfont = self._soundfont()
        starts, inputs = [], []
        for span in scene_spans(shots, fps):
            scene = shots.scenes[span.scene]
            location = self.production.bible.location(scene.location)
            seed = zlib.crc32(f"{self.config.seed}|{location.id}|{scene.mood}".encode())
            starts.append(span.first)
            inputs.append(MusicInput(backend=self.config.backends.composer, request=CueRequest(
                num_samples=(span.end - span.first) * rate // fps, sample_rate=rate,
                mood=scene.mood, time_of_day=scene.time_of_day, location_kind=location.kind,
                era=location.era, seed=seed, soundfont=soundfont and str(soundfont),
                soundfont_sha256=soundfont and _sha256_cached(soundfont))))
        return starts, inputs

    def _soundfont(self) -> Path | None:
        """The SoundFont the music is played through, if any (see ``[audio] soundfont``)."""
        from yingxi.backends.embedded.soundfont import find_soundfont

        configured = self.config.audio.soundfont
        if configured == "builtin":
            return None
        if configured is not None and not Path(configured).is_absolute():
            configured = str(self.production.root / configured)
        found = find_soundfont(configured)
        if found is not None:
            log.info("music through the SoundFont %s", found)
        return found

    def _edit(self, episode: str, screenplay: Screenplay, shots: ShotList, takes: list[Take],
              lines: list[PlacedLine]) -> Edit:
        """The picture edit of an episode: its shots' takes in order, and its subtitles."""
        return make_edit(title=screenplay.title or self.config.title, episode=episode,
                         width=self.format.width, height=self.format.height,
                         fps=self.format.fps, shots=shots.shots, takes=takes, lines=lines)

    @staticmethod
    def _placed_lines(shots: ShotList, speeches: list[Speech]) -> list[PlacedLine]:
        """Every voiced line at the frame where its audio starts, in timeline order."""
        return [PlacedLine(start=start, speech=speeches[index])
                for index, start in sorted(shots.line_starts().items(), key=lambda p: p[1])]

    def _mix_input(self, shots: ShotList, lines: list[PlacedLine],
                   cues: list[tuple[int, Cue]], effects: list[tuple[int, Effects]]) -> MixInput:
        """The sound of an episode: its lines, and the music and effects under its scenes,
        each with its first frame."""
        return MixInput(fps=self.format.fps, frames=sum(shot.frames for shot in shots.shots),
                        lines=lines, cues=[PlacedCue(start=s, cue=c) for s, c in cues],
                        effects=[PlacedEffects(start=s, effects=e) for s, e in effects],
                        audio=self.config.audio)

    # --- delivery -----------------------------------------------------------------------------

    def _deliver(self, episode: str, out_dir: Path, master: Master, shots: ShotList,
                 stats: RunStats, wall: float) -> EpisodeResult:
        out_dir.mkdir(parents=True, exist_ok=True)
        stem = episode if self.scale == 1 else f"{episode}-preview"
        store = self.runner.store
        executor = self.runner.executor or self.runner.here
        video = _copy_out(store, master.video, out_dir / f"{stem}.mp4")
        subtitles = _copy_out(store, master.subtitles, out_dir / f"{stem}.srt")
        report = out_dir / f"{stem}-report.json"
        _write_atomic(report, dump_json({
            "episode": episode,
            "title": self.config.title,
            "video": video.name,
            "subtitles": subtitles.name,
            "duration_seconds": master.duration,
            "frames": master.frames,
            "format": self.format.to_data(),
            "shots": len(shots.shots),
            "produce_id": master.produce_id,
            "aigc": master.aigc,
            "sha256": master.video.sha256,
            "wall_seconds": round(wall, 3),
            "stages": stage_table(stats),
            "memory": memory_summary(stats, executor.name, executor.workers),
            "cost": cost_summary(stats, master.duration, self.config.cost),
        }))
        return EpisodeResult(episode=episode, video=video, subtitles=subtitles, report=report,
                             master=master, shots=shots, wall_seconds=wall, stats=stats)


def _copy_out(store: Store, ref: BlobRef, dst: Path) -> Path:
    """Copy a stored file to the output folder, atomically, unless it is already there."""
    with contextlib.suppress(OSError):
        if dst.stat().st_size == ref.size and file_sha256(dst) == ref.sha256:
            return dst
    tmp = dst.with_name(f".{dst.name}.tmp-{os.getpid()}")
    try:
        shutil.copyfile(store.path(ref), tmp)
        tmp.replace(dst)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise ConfigError(f"cannot write {dst.name}: {exc.strerror}", file=dst,
                          hint="check free disk space and the output folder") from None
    return dst


def _write_atomic(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    tmp.write_bytes(data)
    tmp.replace(path)


def breaths(speech: Speech) -> list[float]:
    """Pauses inside a line (seconds from its start) where a cut may fall: the middle of
    every silence between two sounds, if long enough to be heard as a breath."""
    out = []
    sounds = [p for p in speech.phones if p.symbol]
    for before, after in itertools.pairwise(sounds):
        if after.start - before.end >= BREATH_SECONDS:
            out.append(round((before.end + after.start) / 2, 3))
    if not out:  # no silent phones: fall back to gaps between words
        for before_word, after_word in zip(speech.words, speech.words[1:], strict=False):
            if after_word.start - before_word.end >= BREATH_SECONDS:
                out.append(round((before_word.end + after_word.start) / 2, 3))
    return out


def _voiced_frames(speeches: list[Speech], fps: int) -> dict[int, int]:
    return {i: round(s.voiced_span()[1] * fps) for i, s in enumerate(speeches)}


def _write_plan(path: Path, plan: PlanFile, old_text: str | None) -> None:
    """Write the plan file if it changed; a read-only production still renders."""
    text = dump_plan(plan)
    if text == old_text:
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        _write_atomic(path, text.encode("utf-8"))
    except OSError as exc:
        log.warning("cannot write the shot plan %s: %s", path, exc.strerror)
