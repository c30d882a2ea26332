"""The director, the script stage and the layout stage on tiny inputs."""

from __future__ import annotations

import math

import pytest

from tests.conftest import TINY_BIBLE, TINY_SCRIPT
from yingxi.backends.embedded.director import LEAD_IN, MIN_SHOT, EmbeddedDirector
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


def test_one_shot_per_line_or_paragraph_with_alternating_framing(bible: Bible) -> None:
    _, shots = _plan(bible)
    assert [s.kind for s in shots.shots] == ["action", "dialogue", "dialogue", "dialogue"]
    assert shots.shots[0].framing == "wide"  # a scene opens wide
    assert shots.shots[1].framing != shots.shots[2].framing
    assert [s.dialogue_index for s in shots.shots if s.kind == "dialogue"] == [0, 1, 2]
    assert shots.shots[3].transition_in == "cut"
    assert len({s.id for s in shots.shots}) == len(shots.shots)
    for shot in shots.shots:
        assert shot.frames >= math.ceil(MIN_SHOT * FPS)
        if shot.kind == "dialogue":
            assert shot.speaker in shot.subjects
            assert shot.speech_start == round(LEAD_IN * FPS)
            assert shot.frames >= shot.speech_start + 2.0 * FPS  # the whole line fits
    assert shots.shots[2].expressions == {"zhou": "happy"}  # （笑）


def test_fades_from_the_script(bible: Bible) -> None:
    script = TINY_SCRIPT.replace("CUT TO:", "淡出。")
    _, shots = _plan(bible, script)
    assert shots.shots[2].transition_out == "fade"
    assert shots.shots[3].transition_in == "fade"


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
    wide = block_shot(LayoutInput(framing="wide", subjects=[lin, zhou], **common))
    xs = {a.character: a.x for a in wide.actors}
    assert xs["lin"] < 0.5 < xs["zhou"]
    assert {a.character: a.facing for a in wide.actors} == {"lin": "right", "zhou": "left"}
    close = block_shot(LayoutInput(framing="close", subjects=[zhou], speaker="zhou",
                                   speech=_speech(), **common))
    actor = close.actors[0]
    assert actor.x == xs["zhou"] and actor.speaking and set(actor.visemes) - {"X"}
    cam = close.camera
    face_y = close.ground_y - FACE_HEIGHT_RATIO * figure_height(zhou.look)
    screen_y = (face_y - cam.center_y) * cam.zoom_start * 216 + 384 / 2
    assert screen_y == pytest.approx(384 / 3, abs=1)  # eye line on the upper third
    assert cam.zoom_end > cam.zoom_start  # a slow push-in


def test_a_voice_over_is_heard_not_seen(bible: Bible) -> None:
    script = "外景 院子 - 日\n\n林秋 (V.O.)\n那年秋天。\n\n周山\n你来了。\n\n" \
             "内景 房间 - 夜\n\n林秋（画外音）\n夜深了。\n"
    _, plan = _plan(bible, script)
    first, second = plan.scenes
    assert first.cast == ["zhou"] and second.cast == []
    over, seen, night = plan.shots
    assert over.speaker == "lin" and "lin" not in over.subjects
    assert seen.subjects == ["zhou"]
    assert night.subjects == [] and night.framing == "wide" and night.speaker == "lin"
