"""Pure data: every object yingxi reads, writes or passes between stages. No I/O here."""

from yingxi.schema.artifacts import BlobRef, Cue, Master, Take
from yingxi.schema.base import Document, Schema, canonical_json
from yingxi.schema.bible import Bible, Character, Location, Look, VoiceSpec
from yingxi.schema.layout import VISEMES, ActorTrack, Camera, ShotLayout
from yingxi.schema.production import ProductionConfig
from yingxi.schema.screenplay import Action, Dialogue, Scene, SceneHeading, Screenplay, Transition
from yingxi.schema.shots import SceneInfo, Shot, ShotList
from yingxi.schema.speech import Phone, Speech, Word
from yingxi.schema.timeline import SubtitleEvent, Timeline, VideoClip

__all__ = [
    "VISEMES", "Action", "ActorTrack", "Bible", "BlobRef", "Camera", "Character", "Cue",
    "Dialogue", "Document", "Location", "Look", "Master", "Phone", "ProductionConfig", "Scene",
    "SceneHeading", "SceneInfo", "Schema", "Screenplay", "Shot", "ShotLayout", "ShotList",
    "Speech", "SubtitleEvent", "Take", "Timeline", "Transition", "VideoClip", "VoiceSpec", "Word",
    "canonical_json",
]
