"""Stage ``picture``: a shot layout -> a take (a silent clip) through a painter backend.

Takes are stored as high-fidelity H.264 (ultrafast, CRF 12): quick to write and to decode,
and visually lossless before the master's single delivery encode.
"""

from __future__ import annotations

from yingxi.backends.protocols import Painter
from yingxi.errors import RenderError
from yingxi.media.encode import TAKE_SETTINGS, VideoWriter
from yingxi.schema.artifacts import Take
from yingxi.schema.base import Schema
from yingxi.schema.layout import ShotLayout
from yingxi.stages.base import Stage, StageContext


class PictureInput(Schema):
    """A layout to paint and the painter to paint it."""

    layout: ShotLayout
    backend: str


class PictureStage(Stage[PictureInput, Take]):
    """Paint one shot."""

    name = "picture"
    version = "1"
    input_type = PictureInput
    output_type = Take
    pooled = True
    role = "painter"

    def label(self, inp: PictureInput) -> str:
        actors = ", ".join(a.character for a in inp.layout.actors) or "set"
        return f"{inp.layout.camera.framing} {actors} ({inp.layout.frames} frames)"

    def compute(self, inp: PictureInput, ctx: StageContext) -> Take:
        painter: Painter = ctx.backend
        layout = inp.layout
        expected = [(layout.height, layout.width, 3), (layout.height, layout.width, 4)]
        with ctx.temp_path(".mp4") as path:
            with VideoWriter(path, layout.width, layout.height, layout.fps,
                             TAKE_SETTINGS) as writer:
                for frame in painter.paint(layout):
                    if frame.shape not in expected:  # RGB, or RGBA whose alpha is ignored
                        raise RenderError(f"painter {painter.info.name} gave a {frame.shape} "
                                          f"frame, expected {expected[0]} or {expected[1]}")
                    writer.write_frame(frame)
                    ctx.progress(writer.frames, layout.frames)
                count = writer.frames
            if count != layout.frames:
                raise RenderError(f"painter {painter.info.name} gave {count} frames, "
                                  f"the shot has {layout.frames}")
            ref = ctx.put_file(path, "video/mp4")
        return Take(video=ref, width=layout.width, height=layout.height, fps=layout.fps,
                    frames=count, painter=f"{painter.info.name}/{painter.info.version}")
