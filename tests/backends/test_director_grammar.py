"""Film grammar of the embedded director, checked on many random dialogue scenes.

Hypothesis writes small Fountain episodes (1-4 scenes at 2-3 places, returning to a place
now and then at the same or another time of day; action paragraphs that name people, the
prop or movement; dialogue with emotional parentheticals and voice-overs; transitions) and
random line timings (some lines far longer than a shot may last). Each plan is checked for
the rules an editor would hold it to: the 180-degree line, every line seen or heard, shot
lengths, establishing shots, cuts in the breath between lines, faces in the safe area of a
vertical frame, and determinism.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import TINY_CONFIG, WriteProduction
from yingxi.backends.embedded.director import EmbeddedDirector
from yingxi.backends.embedded.director.timing import MAX_SHOT, MIN_SHOT
from yingxi.backends.protocols import LineTiming, PlanRequest
from yingxi.pipeline.episode import EpisodePipeline
from yingxi.pipeline.runner import Runner
from yingxi.schema.bible import Bible
from yingxi.schema.layout import CastMember, SetSpec, ShotLayout, figure_height
from yingxi.schema.screenplay import Dialogue, Screenplay
from yingxi.schema.shots import Shot, ShotList, size_rank
from yingxi.script.bible_io import parse_bible
from yingxi.script.fountain import parse_fountain
from yingxi.script.production_io import open_production
from yingxi.stages.framing import SAFE
from yingxi.stages.layout import LayoutInput, block_shot, prop_spec
from yingxi.stages.script import resolve

WIDTH, HEIGHT = 216, 384
HEAD_RATIO = 0.87   # centre of the head above the feet, in figure heights

BIBLE_YAML = """\
characters:
  - id: linqiu
    name: 林秋
    look: {age: young, palette: ["#aa3333"]}
  - id: zhoushan
    name: 周山
    aliases: [阿山]
    look: {build: broad, palette: ["#335577"]}
  - id: xiaomei
    name: 小梅
    look: {age: child}
  - id: laobo
    name: 老伯
    look: {age: elder, build: slim}
locations:
  - id: yard
    name: 院子
    aliases: [YARD]
    kind: village
    era: ancient
  - id: room
    name: 房间
    aliases: [ROOM]
    kind: home
  - id: street
    name: 街道
    aliases: [STREET]
    kind: city
    time_of_day: dusk
props:
  - id: lantern
    name: 灯笼
    aliases: [lantern]
    color: "#c8323c"
"""

BIBLE: Bible = parse_bible(BIBLE_YAML)
NAMES = {c.id: c.name for c in BIBLE.characters}
PLACES = {"yard": ("外景", "EXT.", "院子", "YARD"), "room": ("内景", "INT.", "房间", "ROOM"),
          "street": ("外景", "EXT.", "街道", "STREET")}
TIMES = {"day": ("日", "DAY"), "night": ("夜", "NIGHT"), "dusk": ("黄昏", "DUSK"),
         "dawn": ("黎明", "DAWN")}
PARENTHETICALS = ("（哭）", "（笑）", "(angry)", "(softly)", "（轻声）", "（怒）")
SAYINGS = ("你来了。", "我来了。", "坐吧。", "这么晚了，你还不睡？", "别走！", "我知道。",
           "那年秋天，我们都还小。", "你听我说！", "Where were you?", "I waited all night.",
           "灯笼灭了。", "嗯。")
DOINGS = ("站在门口。", "低头不语。", "坐下。", "看着远处。", "走进来。", "转身离开。",
          "推门进来。", "突然沉默。", "笑了。")
PROP_DOINGS = ("提着灯笼。", "把灯笼挂在门上。", "picks up the lantern.")
SCENERY = ("风吹过屋檐。", "雨停了。", "远处传来钟声。", "A cart rolls past.")
TRANSITIONS = ("CUT TO:", "DISSOLVE TO:", "FADE OUT.", "淡出。")


@dataclass(frozen=True)
class Episode:
    """A random episode: its Fountain text, frame rate and one timing per dialogue line."""

    text: str
    fps: int
    lines: tuple[LineTiming, ...]


@st.composite
def timings(draw: st.DrawFn) -> LineTiming:
    duration = draw(st.floats(0.5, 14.0))
    start = draw(st.floats(0.0, min(0.2, duration / 4)))
    end = duration - draw(st.floats(0.0, min(0.2, duration / 4)))
    fractions = draw(st.lists(st.floats(0.05, 0.95), max_size=8))
    breaks = sorted(round(start + f * (end - start), 3) for f in fractions)
    return LineTiming(duration=duration, voiced_start=start, voiced_end=end, breaks=breaks)


@st.composite
def actions(draw: st.DrawFn) -> str:
    kind = draw(st.sampled_from(("person", "person", "prop", "scenery", "english", "two")))
    who = draw(st.sampled_from(sorted(NAMES)))
    if kind == "person":
        return NAMES[who] + draw(st.sampled_from(DOINGS))
    if kind == "prop":
        doing = draw(st.sampled_from(PROP_DOINGS))
        return f"{who} {doing}" if doing.isascii() else NAMES[who] + doing
    if kind == "english":
        return f"{who} walks in slowly."
    if kind == "two":
        other = draw(st.sampled_from(sorted(NAMES)))
        return f"{NAMES[who]}和{NAMES[other]}{draw(st.sampled_from(DOINGS))}"
    return draw(st.sampled_from(SCENERY))


@st.composite
def dialogue(draw: st.DrawFn, speakers: list[str]) -> str:
    who = draw(st.sampled_from(speakers))
    cue = NAMES[who] + (draw(st.sampled_from((" (V.O.)", "（画外音）")))
                        if draw(st.integers(0, 7)) == 0 else "")
    paren = draw(st.sampled_from(PARENTHETICALS)) if draw(st.booleans()) else None
    said = draw(st.sampled_from(SAYINGS))
    return "\n".join([cue, *([paren] if paren else []), said])


@st.composite
def episodes(draw: st.DrawFn) -> Episode:
    fps = draw(st.sampled_from((24, 25, 30)))
    paragraphs = ["Title: 随机"]
    count = 0
    for _ in range(draw(st.integers(1, 4))):
        place = draw(st.sampled_from(sorted(PLACES)))
        zh_setting, en_setting, zh_place, en_place = PLACES[place]
        time = draw(st.sampled_from(("day", "day", "night", "dusk", "dawn", None)))
        if draw(st.booleans()):
            heading = f"{zh_setting} {zh_place}" + (f" - {TIMES[time][0]}" if time else "")
        else:
            heading = f"{en_setting} {en_place}" + (f" - {TIMES[time][1]}" if time else "")
        paragraphs.append(heading)
        speakers = draw(st.lists(st.sampled_from(sorted(NAMES)), min_size=1, max_size=3,
                                 unique=True))
        kinds = draw(st.lists(st.sampled_from(("line", "line", "line", "action", "transition")),
                              max_size=8))
        for kind in kinds:
            if kind == "line":
                paragraphs.append(draw(dialogue(speakers)))
                count += 1
            elif kind == "action":
                paragraphs.append(draw(actions()))
            else:
                paragraphs.append(draw(st.sampled_from(TRANSITIONS)))
    lines = tuple(draw(timings()) for _ in range(count))
    return Episode(text="\n\n".join(paragraphs) + "\n", fps=fps, lines=lines)


def plan(episode: Episode) -> tuple[Screenplay, ShotList]:
    screenplay = resolve(parse_fountain(episode.text, "ep.fountain"), BIBLE)
    assert len(screenplay.dialogue()) == len(episode.lines), episode.text
    shots = EmbeddedDirector().plan(PlanRequest(
        episode="ep01", screenplay=screenplay, bible=BIBLE, fps=episode.fps,
        lines=list(episode.lines)))
    return screenplay, shots


def layout(plan: ShotList, shot: Shot) -> ShotLayout:
    """The shot blocked the way the episode pipeline blocks it (without speech)."""
    scene = plan.scenes[shot.scene]
    return block_shot(LayoutInput(
        width=WIDTH, height=HEIGHT, fps=plan.fps, look=BIBLE.style.look, seed=1,
        size=shot.size, angle=shot.angle, move=shot.move, coverage=shot.coverage,
        frames=shot.frames, speech_start=shot.speech_start, staging=scene.cast,
        subjects=[CastMember.of(BIBLE.character(c)) for c in shot.subjects],
        foreground=CastMember.of(BIBLE.character(shot.foreground)) if shot.foreground else None,
        speaker=shot.speaker, expressions=shot.expressions, speech=None,
        location=SetSpec.of(BIBLE.location(scene.location)), time_of_day=scene.time_of_day,
        insert=prop_spec(BIBLE.prop(shot.prop)) if shot.prop else None))


def screen_x(blocked: ShotLayout, x: float) -> float:
    cam = blocked.camera
    return (x - cam.center_x) * cam.zoom_start * blocked.width + blocked.width / 2


def screen_y(blocked: ShotLayout, y: float) -> float:
    cam = blocked.camera
    return (y - cam.center_y) * cam.zoom_start * blocked.width + blocked.height / 2


def by_scene(plan: ShotList) -> dict[int, list[Shot]]:
    scenes: dict[int, list[Shot]] = {}
    for shot in plan.shots:
        scenes.setdefault(shot.scene, []).append(shot)
    return scenes


def describe(plan: ShotList) -> str:
    """One line per shot, for failure messages."""
    return "\n".join(
        f"{s.id} {s.kind}/{s.coverage}/{s.size} subj={s.subjects} fg={s.foreground} "
        f"spk={s.speaker} d={s.dialogue_index} f={s.frames} ss={s.speech_start} "
        f"off={s.offscreen}" for s in plan.shots)


PROPERTY = settings(max_examples=60, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])


# --- properties ------------------------------------------------------------------------------

@PROPERTY
@given(episodes())
def test_everyone_keeps_their_side_of_the_line(episode: Episode) -> None:
    _, shots = plan(episode)
    for index, scene_shots in by_scene(shots).items():
        cast = shots.scenes[index].cast
        facing: dict[str, str] = {}
        for shot in scene_shots:
            blocked = layout(shots, shot)
            for actor in blocked.actors:
                where = f"{actor.character} ({actor.plane}) in {shot.id}\n{describe(shots)}"
                assert actor.character in cast, where
                assert facing.setdefault(actor.character, actor.facing) == actor.facing, where
            seen = sorted(blocked.actors, key=lambda a: screen_x(blocked, a.x))
            order = [a.character for a in seen]
            assert order == sorted(order, key=cast.index), \
                f"{shot.id}: screen order {order}, staging {cast}\n{describe(shots)}"


@PROPERTY
@given(episodes())
def test_every_line_is_seen_or_heard_once_and_in_order(episode: Episode) -> None:
    screenplay, shots = plan(episode)
    lines = screenplay.dialogue()
    positions: dict[int, list[int]] = {}
    for i, shot in enumerate(shots.shots):
        if shot.dialogue_index is not None:
            positions.setdefault(shot.dialogue_index, []).append(i)
    assert sorted(positions) == list(range(len(lines))), describe(shots)
    voice_over = {i for i, line in enumerate(lines)
                  if (line.extension and "V" in line.extension.upper()) or
                  (line.extension and "画外" in line.extension)}
    for index, where in positions.items():
        parts = [shots.shots[i] for i in where]
        assert where == list(range(where[0], where[0] + len(where))), \
            f"line {index} is not covered by consecutive shots\n{describe(shots)}"
        assert [p.starts_line for p in parts] == [True] + [False] * (len(parts) - 1), \
            f"line {index}\n{describe(shots)}"
        assert all(p.speaker == lines[index].speaker for p in parts)
        if index in voice_over:
            assert all(p.offscreen for p in parts), \
                f"voice-over line {index}\n{describe(shots)}"
        else:
            assert any(p.speaker in p.subjects or p.offscreen for p in parts), \
                f"line {index}\n{describe(shots)}"
        for before, after in itertools.pairwise(parts):
            assert after.speech_start == before.speech_start - before.frames


@PROPERTY
@given(episodes())
def test_shots_are_long_enough_to_read_and_short_enough_to_hold(episode: Episode) -> None:
    _, shots = plan(episode)
    low, high = math.ceil(MIN_SHOT * shots.fps), math.floor(MAX_SHOT * shots.fps)
    for shot in shots.shots:
        assert low <= shot.frames <= high, f"{shot.id}: {shot.frames} frames at {shots.fps}"


@PROPERTY
@given(episodes())
def test_a_new_place_or_a_new_time_opens_on_an_establishing_shot(episode: Episode) -> None:
    screenplay, shots = plan(episode)
    seen: dict[str, str] = {}
    firsts = {index: scene_shots[0] for index, scene_shots in by_scene(shots).items()}
    assert sorted(firsts) == list(range(len(screenplay.scenes)))
    for index, scene in enumerate(screenplay.scenes):
        place, time = scene.heading.location or "", scene.heading.time_of_day or ""
        if seen.get(place) != time:
            first = firsts[index]
            assert (first.kind, first.coverage) == ("establishing", "establishing"), \
                f"scene {index} at {place}/{time} after {seen}\n{describe(shots)}"
        seen[place] = time


@PROPERTY
@given(episodes())
def test_cuts_between_lines_fall_in_the_breath(episode: Episode) -> None:
    _, shots = plan(episode)
    for before, after in itertools.pairwise(shots.shots):
        if before.dialogue_index is None or after.dialogue_index is None or \
                before.dialogue_index == after.dialogue_index:
            continue
        said, next_said = episode.lines[before.dialogue_index], episode.lines[
            after.dialogue_index]
        assert before.speech_start + said.voiced_end * shots.fps <= before.frames, \
            f"{before.id} is cut before its line ends\n{describe(shots)}"
        assert after.speech_start + next_said.voiced_start * shots.fps >= 0, \
            f"{after.id} opens after its line began\n{describe(shots)}"


@PROPERTY
@given(episodes())
def test_faces_stay_in_the_safe_area(episode: Episode) -> None:
    _, shots = plan(episode)
    left, top, right, bottom = SAFE
    for shot in shots.shots:
        if shot.kind != "dialogue" or shot.size not in ("medium", "medium-close", "close"):
            continue
        blocked = layout(shots, shot)
        main = [a for a in blocked.actors if a.plane == "main"]
        if len(main) != 1:
            continue
        actor = main[0]
        height = figure_height(blocked.character(actor.character).look) * actor.scale
        head_y = (blocked.ground_y if actor.y is None else actor.y) - HEAD_RATIO * height
        fx = screen_x(blocked, actor.x) / blocked.width
        fy = screen_y(blocked, head_y) / blocked.height
        assert left <= fx <= right and top <= fy <= bottom, \
            f"{shot.id} ({shot.size}, {actor.character}): head at ({fx:.2f}, {fy:.2f})"


@settings(max_examples=30, deadline=None)
@given(episodes())
def test_planning_is_deterministic(episode: Episode) -> None:
    assert plan(episode)[1].to_json_bytes() == plan(episode)[1].to_json_bytes()


# --- examples --------------------------------------------------------------------------------

def _plan_text(text: str, seconds: float = 2.0, fps: int = 24) -> tuple[Screenplay, ShotList]:
    screenplay = resolve(parse_fountain(text, "ep.fountain"), BIBLE)
    timing = LineTiming(duration=seconds, voiced_start=0.05, voiced_end=seconds - 0.1)
    return plan(Episode(text=text, fps=fps, lines=(timing,) * len(screenplay.dialogue())))


def test_two_people_talk_in_shot_reverse_shot_without_jump_cuts() -> None:
    exchange = [("林秋", "你来了。"), ("周山", "我来了。"), ("林秋", "坐吧。"),
                ("周山", "不坐了。"), ("林秋", "为什么？"), ("周山", "我要走了。"),
                ("林秋", "去哪里？"), ("周山", "很远的地方。")]
    text = "内景 房间 - 夜\n\n林秋坐在灯下。\n\n" + "\n\n".join(
        f"{who}\n{said}" for who, said in exchange) + "\n"
    _, shots = _plan_text(text)
    talk = [s for s in shots.shots if s.kind == "dialogue"]
    assert [s.speaker for s in talk] == ["linqiu", "zhoushan"] * 4
    assert {s.coverage for s in talk} <= {"master", "over-shoulder", "single"}
    assert "over-shoulder" in {s.coverage for s in talk}
    assert "single" in {s.coverage for s in talk}
    for shot in talk:
        assert shot.speaker in shot.subjects
        if shot.coverage == "over-shoulder":
            assert shot.foreground not in (None, shot.speaker)
    for before, after in itertools.pairwise(shots.shots):
        assert (before.speaker, before.coverage, before.size) != \
            (after.speaker, after.coverage, after.size), describe(shots)


def test_a_prop_named_in_the_action_gets_an_insert() -> None:
    text = "外景 院子 - 夜\n\n林秋站在门口。\n\n周山提着灯笼走进来。\n\n周山\n给你。\n"
    _, shots = _plan_text(text)
    inserts = [s for s in shots.shots if s.kind == "insert"]
    assert len(inserts) == 1
    insert = inserts[0]
    assert (insert.coverage, insert.prop, insert.subjects) == ("insert", "lantern", [])
    before = shots.shots[shots.shots.index(insert) - 1]
    assert "灯笼" in before.text and before.kind == "action"
    blocked = layout(shots, insert)
    assert blocked.insert is not None and blocked.insert.shape == "lantern"


def test_an_emotional_line_reaches_a_tighter_size() -> None:
    text = ("外景 院子 - 日\n\n林秋\n你来了。\n\n周山\n我来了。\n\n林秋\n（哭）\n"
            "你怎么才来！\n")
    _, shots = _plan_text(text)
    lines = [s for s in shots.shots if s.kind == "dialogue"]
    assert size_rank(lines[-1].size) > size_rank(lines[0].size), describe(shots)
    assert lines[-1].expressions == {"linqiu": "sad"}


def test_a_voice_over_is_never_on_screen() -> None:
    text = "外景 街道\n\n小梅 (V.O.)\n那年秋天，我们都还小。\n\n老伯\n回家吧。\n"
    screenplay, shots = _plan_text(text, seconds=9.0)
    assert shots.scenes[0].cast == ["laobo"] and shots.scenes[0].time_of_day == "dusk"
    over = [s for s in shots.shots if s.dialogue_index == 0]
    assert len(over) == 2 and all(s.offscreen and "xiaomei" not in s.subjects for s in over)
    assert isinstance(screenplay.scenes[0].elements[0], Dialogue)


@pytest.mark.parametrize("fps", [24, 25, 30])
def test_long_lines_are_split_within_bounds_at_every_frame_rate(fps: int) -> None:
    text = "内景 房间 - 日\n\n林秋\n那年秋天，我们都还小。\n\n周山\n嗯。\n"
    _, shots = _plan_text(text, seconds=14.0, fps=fps)
    low, high = math.ceil(MIN_SHOT * fps), math.floor(MAX_SHOT * fps)
    assert len([s for s in shots.shots if s.dialogue_index == 0]) >= 3
    assert all(low <= s.frames <= high for s in shots.shots), describe(shots)


def test_transitions_land_on_the_cut_after_them() -> None:
    text = ("外景 院子 - 日\n\n林秋\n你来了。\n\nDISSOLVE TO:\n\n内景 房间 - 夜\n\n周山\n坐吧。"
            "\n\nFADE OUT.\n\n外景 街道 - 夜\n\n小梅\n嗯。\n\nCUT TO:\n\n外景 院子 - 夜\n\n"
            "老伯\n回家吧。\n")
    _, shots = _plan_text(text)
    firsts = [scene_shots[0] for scene_shots in by_scene(shots).values()]
    lasts = [scene_shots[-1] for scene_shots in by_scene(shots).values()]
    assert [s.transition_in for s in firsts] == ["cut", "dissolve", "fade", "cut"]
    assert [s.transition_out for s in lasts] == ["cut", "fade", "cut", "cut"]
    assert firsts[3].kind == "establishing"  # the yard again, now at night


# --- known faults --------------------------------------------------------------------------
# Each reproduces, on a minimal script, a fault the properties above once found.

def _same_picture(plan: ShotList, before: Shot, after: Shot) -> bool:
    """Whether a cut between two shots is a jump cut: the same people, the same way on
    screen, at the same size."""
    a, b = layout(plan, before), layout(plan, after)
    return before.size == after.size and before.prop == after.prop and \
        [(x.character, x.plane) for x in a.actors] == [(x.character, x.plane) for x in b.actors]


def _jump_cuts(plan: ShotList) -> list[str]:
    return [f"{a.id} -> {b.id}" for a, b in itertools.pairwise(plan.shots)
            if a.scene == b.scene and a.dialogue_index is not None
            and _same_picture(plan, a, b)]


JUMP_CUT_SCRIPTS = {
    # one person alone says a 14 s line: parts 2 and 3 are both "a step tighter" than
    # part 1 (ScenePlanner._continuation tightens the line's first size, not the last part's)
    "long-line-alone": ("外景 院子 - 日\n\n林秋\n那年秋天，我们都还小。\n", 14.0),
    # a 14 s voice-over opening a new place: three identical establishing shots, each tilting
    # down from the sky again (ScenePlanner._voice repeats its base for every part)
    "long-voice-over-establishing": ("外景 院子 - 日\n\n林秋 (V.O.)\n那年秋天。\n", 14.0),
    # the same mid-scene over an empty place: three identical pans, each starting over
    "long-voice-over-pan": ("外景 院子 - 日\n\n风吹过屋檐。\n\n林秋 (V.O.)\n那年秋天。\n", 14.0),
}


@pytest.mark.parametrize("name", sorted(JUMP_CUT_SCRIPTS))
def test_a_long_line_never_cuts_to_the_same_picture(name: str) -> None:
    text, seconds = JUMP_CUT_SCRIPTS[name]
    _, shots = _plan_text(text, seconds=seconds)
    assert not _jump_cuts(shots), describe(shots)


AFTER_A_SPLIT_LINE = {
    # 林秋's 9 s line ends on 周山's reaction (a medium close-up); 周山's charged answer
    # climbs to a medium close-up single of 周山
    "answer-after-reaction": "外景 院子 - 日\n\n周山站在门口。\n\n林秋\n那年秋天，我们都还小。"
                             "\n\n周山\n我来了！\n",
    # 林秋, alone, ends her 9 s line a step closer (medium close-up) and goes on, charged,
    # in a medium close-up single
    "same-speaker-alone": "外景 院子 - 日\n\n林秋\n那年秋天，我们都还小。\n\n林秋\n你听我说！\n",
}


@pytest.mark.parametrize("name", sorted(AFTER_A_SPLIT_LINE))
def test_the_line_after_a_split_line_opens_on_a_new_picture(name: str) -> None:
    text = AFTER_A_SPLIT_LINE[name]
    long = LineTiming(duration=9.0, voiced_start=0.05, voiced_end=8.9, breaks=[4.0])
    short = LineTiming(duration=2.0, voiced_start=0.05, voiced_end=1.9)
    _, shots = plan(Episode(text=text, fps=24, lines=(long, short)))
    assert len([s for s in shots.shots if s.dialogue_index == 0]) == 2
    assert not _jump_cuts(shots), describe(shots)


def test_a_wide_shot_of_four_keeps_every_face_in_the_safe_area() -> None:
    text = ("内景 房间 - 夜\n\n林秋、周山、小梅和老伯坐在灯下。\n\n"
            "林秋、周山、小梅和老伯站起来，走到门口。\n\n林秋\n走吧。\n")
    _, shots = _plan_text(text)
    left, top, right, bottom = SAFE
    wides = [s for s in shots.shots if s.size == "wide"]
    assert wides, describe(shots)
    for shot in wides:
        blocked = layout(shots, shot)
        assert len(blocked.actors) == 4
        for actor in blocked.actors:
            height = figure_height(blocked.character(actor.character).look)
            fx = screen_x(blocked, actor.x) / blocked.width
            fy = screen_y(blocked, blocked.ground_y - HEAD_RATIO * height) / blocked.height
            assert left <= fx <= right and top <= fy <= bottom, \
                f"{shot.id}: {actor.character}'s face at ({fx:.2f}, {fy:.2f})"


def test_a_voice_over_speaker_in_frame_keeps_their_mouth_still(
        write_production: WriteProduction, runner: Runner) -> None:
    script = "外景 院子 - 日\n\n林秋 (V.O.)\n那年秋天。\n\n林秋\n你来了。\n"
    root = write_production(config=TINY_CONFIG, bible=BIBLE_YAML, script=script)
    blocked = EpisodePipeline(open_production(root), runner).block("ep01")
    over = [(s, lay) for s, lay in zip(blocked.shots.shots, blocked.layouts, strict=True)
            if s.offscreen]
    assert over and any(s.speaker in s.subjects for s, _ in over)  # 林秋 is in the frame
    for shot, blocked_shot in over:
        speaking = [a.character for a in blocked_shot.actors if a.speaking]
        assert shot.speaker not in speaking, f"{shot.id}: {speaking} lip-sync a voice-over"
