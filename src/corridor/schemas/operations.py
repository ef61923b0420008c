"""The JSON form of the operations view (``GET /v1/operations``): Caspian port queues now and closures in season."""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import Field

from corridor.schemas._base import Document, Shape


class OperationsClosure(Shape):
    id: str
    target: str
    target_name: str
    closed_share: float
    episode_mean_h: float
    months: list[int]


class OperationsPort(Shape):
    node: str
    name: str
    country: str
    waiting: int
    waiting_max_h: float | None
    waiting_median_h: float | None
    recent_completed: int
    recent_median_h: float | None
    bundled_dwell_h: float | None
    closures_in_season: list[OperationsClosure]


class Operations(Document):
    """The Caspian ports' queues from the organisation's events as of ``as_of``, and closures in season."""

    KIND: ClassVar[str] = "operations"
    VERSION: ClassVar[int] = 1
    schema_: Literal["corridor.operations/1"] = Field(alias="schema")
    network: str
    as_of: str
    window_h: float
    ports: list[OperationsPort]
    closures_in_season: list[OperationsClosure]
