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
    version = "2"
    input_type = PlanInput
    output_type = ShotList
    role = "planner"

    def label(self, inp: PlanInput) -> str:
        return inp.request.episode

    def compute(self, inp: PlanInput, ctx: StageContext) -> ShotList:
        planner: Planner = ctx.backend
        shots = planner.plan(inp.request)
        expected = len(inp.request.lines)
        started = {s.dialogue_index for s in shots.shots if s.starts_line}
        missing = sorted(set(range(expected)) - started)
        if missing or len(started) != expected:
            raise RenderError(f"the planner left {len(missing)} of {expected} dialogue lines "
                              "without a shot to start in",
                              hint="a planner must start every dialogue line in one shot")
        return shots
