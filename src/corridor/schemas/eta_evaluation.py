"""The JSON form of an ETA evaluation (``corridor track evaluate --json``): MAE of the P50 and P10-P90
coverage per scope (last milestone, next, all), against the planned schedule."""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import Field

from corridor.schemas._base import Document, Shape


class EtaScore(Shape):
    scope: Literal["last", "next", "all"]
    n: int
    mae_h: float
    coverage_p10_p90: float
    baseline_mae_h: float
    baseline_coverage_p10_p90: float
    improvement: float


class EtaEvaluation(Document):
    """Scores of one replay of events in time order (one prediction after each actual event)."""

    KIND: ClassVar[str] = "eta-evaluation"
    VERSION: ClassVar[int] = 1
    schema_: Literal["corridor.eta-evaluation/1"] = Field(alias="schema")
    network: str
    shipments: int
    events: int
    predictions: int
    scores: list[EtaScore]
