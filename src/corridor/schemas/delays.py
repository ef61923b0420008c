"""The JSON form of actual against planned (``corridor track delays --json``): delay per segment and month."""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import Field

from corridor.schemas._base import Document, Shape


class DelaySegmentMonth(Shape):
    segment: str
    month: str
    n: int
    planned_h: float
    actual_h: float
    mean_delay_h: float
    total_delay_h: float
    late_share: float


class Delays(Document):
    """Observed stages (count) and their delays aggregated by segment and month, largest total first."""

    KIND: ClassVar[str] = "delays"
    VERSION: ClassVar[int] = 1
    schema_: Literal["corridor.delays/1"] = Field(alias="schema")
    stages: int
    by_segment_month: list[DelaySegmentMonth]
