"""Mandarin normalisation: numbers, pauses and polyphones as a listener expects them."""

from __future__ import annotations

import pytest

from yingxi.backends.embedded import speaker_espeak
from yingxi.backends.embedded.speaker_espeak import EspeakSpeaker
from yingxi.backends.embedded.zh_text import normalise_zh
from yingxi.backends.protocols import SpeechRequest
from yingxi.schema.bible import VoiceSpec


@pytest.mark.parametrize(("text", "spoken"), [
    ("2025年3月5日", "二零二五年三月五日"),
    ("涨了50%", "涨了百分之五十"),
    ("还有3.5公斤", "还有三点五公斤"),
    ("下午3:30见", "下午三点三十分见"),
    ("7:00出发", "七点整出发"),
    ("打13812345678", "打一三八一二三四五六七八"),
    ("他——走了……", "他，走了。"),
    ("“你好”", "你好"),
])
def test_numbers_and_punctuation(text: str, spoken: str) -> None:
    # the polyphone step may swap characters for homophones: compare readings, not glyphs
    from pypinyin import Style, lazy_pinyin

    def reading(t: str) -> list[str]:
        return lazy_pinyin(t, style=Style.TONE3, neutral_tone_with_five=True)

    assert reading(normalise_zh(text).text) == reading(spoken)


def test_every_spoken_character_points_into_the_source() -> None:
    text = "他在2025年打了13812345678，说：“50%！”"
    spoken = normalise_zh(text)
    assert len(spoken.starts) == len(spoken.ends) == len(spoken.text)
    assert list(spoken.starts) == sorted(spoken.starts)
    year = spoken.text.index("二")
    assert spoken.source_span(year, year + 4) == (2, 7)  # 2025年 (the 年 included)
    assert text[slice(*spoken.source_span(0, 1))] == "他"


def _phones(voice: str, text: str) -> str:
    header, _ = speaker_espeak._run_worker({
        **speaker_espeak._library_paths(), "voice": voice, "text": text, "rate": 160,
        "pitch": 50, "range": 50, "seed": 1})
    return " ".join(p.replace("ˈ", "").replace("ˌ", "") for _, p in header["phones"]
                    if p.strip())


# words espeak-ng 1.52 misreads on its own (found by scripts/zh_homophones.py's method)
@pytest.mark.parametrize(("word", "pinyin"), [
    ("角色", "jue2 se4"), ("便宜", "pian2 yi5"), ("行距", "hang2 ju4"),
    ("重版", "chong2 ban3"), ("还珠", "huan2 zhu1"), ("工长", "gong1 zhang3"),
])
def test_polyphones_espeak_misreads_are_read_right(word: str, pinyin: str) -> None:
    assert _phones("cmn", word) != _phones("cmn-latn-pinyin", pinyin)  # still misread raw
    assert _phones("cmn", normalise_zh(word).text) == _phones("cmn-latn-pinyin", pinyin)


@pytest.mark.parametrize("sentence", ["我们都会去。", "我得走了。", "慢慢地走"])
def test_function_words_are_left_to_espeak(sentence: str) -> None:
    assert normalise_zh(sentence).text == sentence


def test_espeak_words_point_into_what_the_writer_wrote() -> None:
    text = "我在2025年等了你3:30。"
    speech = EspeakSpeaker().speak(SpeechRequest(text=text, language="zh",
                                                 voice=VoiceSpec(voice="cmn")))
    assert speech.words
    for word in speech.words:
        assert 0 <= word.char_start < word.char_end <= len(text)
        assert word.text == text[word.char_start:word.char_end]
    assert [w.char_start for w in speech.words] == sorted(w.char_start for w in speech.words)
    assert any("2025" in w.text for w in speech.words)
