"""Stage ``plan``: screenplay + line timings -> shot list, through a planner backend."""

from __future__ import annotations

from yingxi.backends.protocols import Planner, PlanRequest
from yingxi.errors import RenderError
from yingxi.schema.base import Schema
from yingxi.schema.shots import ShotList
from yingxi.stages.base import Stage, StageContext


class PlanInput(Schema):
    """What the director plans from."""

    request: PlanRequest
    backend: str


class PlanStage(Stage[PlanInput, ShotList]):
    """Plan an episode's shots."""

    name = "plan"
    version = "1"
    input_type = PlanInput
    output_type = ShotList
    role = "planner"

    def label(self, inp: PlanInput) -> str:
        return inp.request.episode

    def compute(self, inp: PlanInput, ctx: StageContext) -> ShotList:
        planner: Planner = ctx.backend
        shots = planner.plan(inp.request)
        expected = len(inp.request.lines)
        voiced = sum(1 for s in shots.shots if s.kind == "dialogue")
        if voiced != expected:
            raise RenderError(f"the planner covered {voiced} of {expected} dialogue lines",
                              hint="a planner must give every dialogue line one shot")
        return shots
