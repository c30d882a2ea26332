"""The director, the script stage and the layout stage on tiny inputs."""

from __future__ import annotations

import itertools
import math

import pytest

from tests.conftest import TINY_BIBLE, TINY_SCRIPT
from yingxi.backends.embedded.director import LEAD_IN, MAX_SHOT, MIN_SHOT, EmbeddedDirector
from yingxi.backends.protocols import LineTiming, PlanRequest
from yingxi.errors import ScriptError
from yingxi.schema.artifacts import BlobRef
from yingxi.schema.bible import Bible
from yingxi.schema.layout import FACE_HEIGHT_RATIO, CastMember, SetSpec, figure_height
from yingxi.schema.speech import Phone, Speech
from yingxi.script.bible_io import parse_bible
from yingxi.script.fountain import parse_fountain
from yingxi.stages.layout import LayoutInput, block_shot, viseme, viseme_track
from yingxi.stages.script import resolve

FPS = 24


@pytest.fixture
def bible() -> Bible:
    return parse_bible(TINY_BIBLE)


def _plan(bible: Bible, script: str = TINY_SCRIPT, seconds: float = 2.0):  # type: ignore[no-untyped-def]
    screenplay = resolve(parse_fountain(script, "ep.fountain"), bible)
    lines = [LineTiming(duration=seconds, voiced_start=0.05, voiced_end=seconds - 0.1)
             for _ in screenplay.dialogue()]
    return screenplay, EmbeddedDirector().plan(PlanRequest(
        episode="ep01", screenplay=screenplay, bible=bible, fps=FPS, lines=lines))


def test_script_resolves_cues_locations_and_times(bible: Bible) -> None:
    screenplay, _ = _plan(bible)
    first, second = screenplay.scenes
    assert (first.heading.location, first.heading.time_of_day) == ("yard", "day")
    assert (second.heading.location, second.heading.time_of_day) == ("room", "night")
    assert [d.speaker for d in screenplay.dialogue()] == ["lin", "zhou", "zhou"]


def test_unknown_cue_names_the_line_and_suggests(bible: Bible) -> None:
    script = TINY_SCRIPT.replace("周山\n（笑）", "周三\n（笑）")
    with pytest.raises(ScriptError) as info:
        resolve(parse_fountain(script, "ep.fountain"), bible)
    err = info.value
    assert (err.file, err.line) == ("ep.fountain", 10)
    assert "周三" in err.message
    assert err.hint and "did you mean '周山'" in err.hint and "林秋" in err.hint


def test_unknown_location_lists_the_known_ones(bible: Bible) -> None:
    with pytest.raises(ScriptError) as info:
        resolve(parse_fountain(TINY_SCRIPT.replace("外景 院子", "外景 花园"), "x"), bible)
    assert info.value.line == 3
    assert info.value.hint and "院子" in info.value.hint


def test_new_places_open_on_an_establishing_shot_then_shot_reverse_shot(bible: Bible) -> None:
    _, shots = _plan(bible)
    kinds = [s.kind for s in shots.shots]
    # the yard: established over its first paragraph; a laugh left unanswered earns a
    # reaction; the room: established on its own
    assert kinds == ["establishing", "dialogue", "dialogue", "reaction", "establishing",
                     "dialogue"]
    reaction = shots.shots[3]
    assert reaction.subjects == ["lin"] and reaction.dialogue_index is None
    assert shots.shots[0].size == "extreme-wide" and shots.shots[0].text == "林秋站在院子里。"
    first, second = shots.shots[1], shots.shots[2]
    assert (first.coverage, first.subjects, first.foreground) == \
        ("over-shoulder", ["lin"], "zhou")
    assert second.subjects == ["zhou"] and second.size != "wide"
    assert [s.dialogue_index for s in shots.shots if s.kind == "dialogue"] == [0, 1, 2]
    assert len({s.id for s in shots.shots}) == len(shots.shots)
    for shot in shots.shots:
        assert math.ceil(MIN_SHOT * FPS) <= shot.frames <= MAX_SHOT * FPS
        if shot.kind == "dialogue":
            assert shot.speaker in shot.subjects
            assert shot.speech_start == round(LEAD_IN * FPS)
            assert shot.frames >= shot.speech_start + 1.9 * FPS  # the whole line fits
    assert shots.shots[2].expressions == {"zhou": "happy"}  # （笑）


def test_a_long_line_is_cut_on_a_breath_and_runs_on_over_the_listener(bible: Bible) -> None:
    screenplay = resolve(parse_fountain(TINY_SCRIPT, "ep.fountain"), bible)
    lines = [LineTiming(duration=2.0, voiced_start=0.05, voiced_end=1.9),
             LineTiming(duration=11.0, voiced_start=0.05, voiced_end=10.8,
                        breaks=[2.0, 4.6, 7.1, 9.0]),
             LineTiming(duration=2.0, voiced_start=0.05, voiced_end=1.9)]
    plan = EmbeddedDirector().plan(PlanRequest(episode="ep01", screenplay=screenplay,
                                               bible=bible, fps=FPS, lines=lines))
    parts = [s for s in plan.shots if s.dialogue_index == 1]
    lead = round(LEAD_IN * FPS)
    # 11 s does not fit one 6 s shot: cut on the latest breaths that fit (4.6 s, 9.0 s)
    assert [p.frames for p in parts] == [lead + round(4.6 * FPS), round(4.4 * FPS),
                                         lead + math.ceil((10.8 + 0.45) * FPS)
                                         - lead - round(9.0 * FPS)]
    for before, after in itertools.pairwise(parts):
        assert after.speech_start == before.speech_start - before.frames
    assert parts[1].coverage == "reaction" and parts[1].subjects == ["lin"]
    assert parts[1].offscreen and parts[0].speaker in parts[0].subjects
    assert parts[2].subjects == ["zhou"] and parts[2].size != parts[0].size


def test_fades_from_the_script(bible: Bible) -> None:
    script = TINY_SCRIPT.replace("CUT TO:", "淡出。")
    _, shots = _plan(bible, script)
    assert shots.shots[3].transition_out == "fade"
    assert shots.shots[4].transition_in == "fade"
    dissolve = _plan(bible, TINY_SCRIPT.replace("CUT TO:", "DISSOLVE TO:"))[1]
    assert dissolve.shots[4].transition_in == "dissolve"


def _speech() -> Speech:
    phones = [Phone(start=0.0, end=0.1, symbol="n"), Phone(start=0.1, end=0.3, symbol="a"),
              Phone(start=0.3, end=0.4, symbol="m"), Phone(start=0.4, end=0.6, symbol="u"),
              Phone(start=0.6, end=0.7, symbol="")]
    return Speech(text="那么", language="zh", voice="cmn",
                  audio=BlobRef(sha256="0" * 64, size=0, media_type="audio/wav"),
                  sample_rate=48000, num_samples=33600, phones=phones, words=[])


def test_visemes_follow_the_phones_frame_by_frame() -> None:
    assert [viseme(s) for s in ("", "m", "b", "f", "a", "ɑu", "iɛ", "u", "tɕh", "ə")] == \
        ["X", "M", "M", "F", "A", "A", "E", "U", "C", "E"]
    track = viseme_track(_speech(), frames=24, fps=10, start=2)
    assert track[:2] == "XX"              # before the line starts
    assert track[2] == "C" and track[3:5] == "AA" and track[5] == "M" and track[6:8] == "UU"
    assert set(track[9:]) == {"X"}        # after it ends


def test_layout_keeps_screen_sides_and_aims_the_close_up(bible: Bible) -> None:
    lin, zhou = (CastMember.of(c) for c in bible.characters)
    common = {"width": 216, "height": 384, "fps": FPS, "look": "flat", "seed": 1,
              "frames": 30, "staging": ["lin", "zhou"],
              "location": SetSpec.of(bible.locations[0]), "time_of_day": "day"}
    wide = block_shot(LayoutInput(size="wide", subjects=[lin, zhou], **common))
    xs = {a.character: a.x for a in wide.actors}
    assert xs["lin"] < 0.5 < xs["zhou"]
    assert {a.character: a.facing for a in wide.actors} == {"lin": "right", "zhou": "left"}
    close = block_shot(LayoutInput(size="close", subjects=[zhou], speaker="zhou",
                                   speech=_speech(), move="push-in", **common))
    actor = close.actors[0]
    assert actor.x == xs["zhou"] and actor.speaking and set(actor.visemes) - {"X"}
    assert actor.facing == "left"  # the same side of the line as in the wide
    cam = close.camera
    face_y = close.ground_y - FACE_HEIGHT_RATIO * figure_height(zhou.look)
    screen_y = (face_y - cam.center_y) * cam.zoom_start * 216 + 384 / 2
    assert 0.25 * 384 < screen_y < 0.42 * 384  # eye line near the upper third
    screen_x = (actor.x - cam.center_x) * cam.zoom_start * 216 + 216 / 2
    assert screen_x > 0.5 * 216  # looking left: placed right of centre, lead room on the left
    assert cam.zoom_end > cam.zoom_start  # the push-in asked for
    over = block_shot(LayoutInput(size="medium", subjects=[zhou], foreground=lin,
                                  coverage="over-shoulder", **common))
    near = next(a for a in over.actors if a.plane == "foreground")
    seen = next(a for a in over.actors if a.plane == "main")
    assert near.character == "lin" and near.x < seen.x and near.facing == "right"


def test_a_voice_over_is_heard_not_seen(bible: Bible) -> None:
    script = "外景 院子 - 日\n\n林秋 (V.O.)\n那年秋天。\n\n周山\n你来了。\n\n" \
             "内景 房间 - 夜\n\n林秋（画外音）\n夜深了。\n"
    _, plan = _plan(bible, script)
    first, second = plan.scenes
    assert first.cast == ["zhou"] and second.cast == []
    over, seen, night = plan.shots
    assert over.speaker == "lin" and "lin" not in over.subjects
    assert seen.subjects == ["zhou"]
    assert night.subjects == [] and night.kind == "establishing" and night.speaker == "lin"
    assert over.offscreen and night.offscreen and not seen.offscreen
