"""``yingxi check``: read a production (or one screenplay) and say what is in it, or what is wrong.

Nothing is rendered and nothing is written. A screenplay inside a production's ``episodes/``
folder is checked against that production's bible, so unknown cues and places are found too.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from yingxi.schema.bible import Bible
from yingxi.schema.screenplay import Action, Dialogue, Screenplay
from yingxi.script.fountain import FountainDocument, parse_document, read_fountain_text
from yingxi.script.fountain.screenplay import to_screenplay
from yingxi.script.production_io import CONFIG_NAME, EPISODES_DIR, Production, open_production

# Rough speaking and reading rates for the estimate (the voices set the real timing).
_CJK_SECONDS = 0.32          # per character at rate 160 (espeak cmn, measured)
_WORD_SECONDS = 0.375        # per word at rate 160 (160 words per minute)
_LINE_PADDING = 0.7          # lead-in and breath around each line
_ACTION_MIN, _ACTION_MAX = 2.0, 5.0
_DEFAULT_RATE = 160


@dataclass(frozen=True)
class EpisodeCheck:
    """What one screenplay holds."""

    episode: str
    path: Path
    document: FountainDocument
    screenplay: Screenplay
    estimated_seconds: float
    lines_by_character: list[tuple[str, int]]   # (bible name or cue, dialogue blocks)


@dataclass(frozen=True)
class CheckResult:
    """The outcome of a check: the production (if any) and each episode."""

    path: Path
    production: Production | None
    episodes: list[EpisodeCheck]


def check_path(path: Path) -> CheckResult:
    """Check a production folder or a ``.fountain`` file; raise a YingxiError on bad input."""
    if path.is_dir():
        whole = open_production(path)
        episodes = [_check_episode(name, file, whole.bible)
                    for name, file in whole.episodes.items()]
        return CheckResult(path=path, production=whole, episodes=episodes)
    production = _enclosing_production(path)
    bible = production.bible if production else None
    return CheckResult(path=path, production=production,
                       episodes=[_check_episode(path.stem, path, bible)])


def _enclosing_production(path: Path) -> Production | None:
    root = path.parent.parent
    if path.parent.name == EPISODES_DIR and (root / CONFIG_NAME).is_file():
        return open_production(root)
    return None


def _check_episode(name: str, path: Path, bible: Bible | None) -> EpisodeCheck:
    from yingxi.stages.script import interpret

    text = read_fountain_text(path)
    document = parse_document(text, source=str(path))
    screenplay = to_screenplay(document)
    if bible is not None:
        screenplay = interpret(screenplay, bible)
    names = {c.id: c.name for c in bible.characters} if bible else {}
    counts = Counter(names.get(d.speaker or "", d.cue) for d in screenplay.dialogue())
    return EpisodeCheck(episode=name, path=path, document=document, screenplay=screenplay,
                        estimated_seconds=estimate_seconds(screenplay, bible),
                        lines_by_character=sorted(counts.items(),
                                                  key=lambda item: (-item[1], item[0])))


def estimate_seconds(screenplay: Screenplay, bible: Bible | None = None) -> float:
    """A rough running time: speech at each voice's rate, action at reading speed."""
    total = 0.0
    for scene in screenplay.scenes:
        for element in scene.elements:
            if isinstance(element, Dialogue):
                rate = _DEFAULT_RATE
                if bible is not None and element.speaker:
                    rate = bible.character(element.speaker).voice.rate
                total += _speech_seconds(element.text) * _DEFAULT_RATE / rate + _LINE_PADDING
            elif isinstance(element, Action):
                total += min(_ACTION_MAX, max(_ACTION_MIN, 0.8 + _speech_seconds(element.text)
                                              * 0.8))
    return round(total, 1)


def _speech_seconds(text: str) -> float:
    cjk = len(re.findall(r"[\u3400-\u9fff]", text))
    words = len(re.findall(r"[A-Za-z0-9']+", text))
    return cjk * _CJK_SECONDS + words * _WORD_SECONDS
