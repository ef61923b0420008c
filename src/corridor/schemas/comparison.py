"""The JSON form of a scenario comparison (``corridor compare --json``): per-scenario figures, the side-by-side table, appraisals."""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import Field

from corridor.schemas._base import Document, Shape
from corridor.schemas.appraisal import AppraisalRankingItem, AppraisalRankingItemAssumptionsItem


class ComparisonScenariosItemBottlenecksItem(Shape):
    asset: str
    kind: str
    name: str
    utilisation: float | None
    value_usd_per_teu: float | None


class ComparisonScenariosItemMainOdsItemRoutesItem(Shape):
    label: str
    p50_days: float | None
    p90_days: float | None
    cost_usd_per_feu: float | None
    co2e_kg_per_teu: float | None
    distance_km: float | None


class ComparisonScenariosItemMainOdsItem(Shape):
    origin: str
    destination: str
    p50_days: float | None
    p90_days: float | None
    source_of_times: str
    routes: list[ComparisonScenariosItemMainOdsItemRoutesItem]
    note: str


class ComparisonScenariosItemBacklogPeaksItem(Shape):
    port: str
    peak_teu: float | None
    peak_day: float | None


class ComparisonScenariosItemChangesItem(Shape):
    change: str
    source: str


class ComparisonDisruption(Shape):
    target: str
    start: str
    end: str
    days: float | None
    cause: str


class ComparisonSlowerFlow(Shape):
    scenario: str
    base: str
    od: str
    reference_days: float | None
    days: float | None
    binding: list[str]
    reference_cost_usd_per_teu: float | None
    cost_usd_per_teu: float | None
    cause: Literal["cheaper path", "held up"]
    freed: list[str]
    moved_to: str | None
    moved_teu: float | None
    reference_teu: float | None
    teu: float | None
    moved_from: str | None
    extra_hours: dict[str, float | None]


class ComparisonScenariosItem(Shape):
    scenario: str
    title: str
    year: int | None
    demand: str
    served_teu: float | None
    unserved_teu: float | None
    served_t: float | None
    unserved_t: float | None
    max_growth: float | None
    mean_days: float | None
    bottlenecks: list[ComparisonScenariosItemBottlenecksItem]
    main_ods: list[ComparisonScenariosItemMainOdsItem]
    backlog_peaks: list[ComparisonScenariosItemBacklogPeaksItem]
    simulation: dict[str, int]
    changes: list[ComparisonScenariosItemChangesItem]
    disruptions: list[ComparisonDisruption]
    diverted_teu: float | None
    not_moved_teu: float | None


class ComparisonTableItem(Shape):
    key: str
    label: str
    unit: str
    values: dict[str, float | None]
    delta_vs_first: dict[str, float | None]


class Comparison(Document):
    """The JSON form of a scenario comparison (``corridor compare --json``): per-scenario figures, the side-by-side table, appraisals."""

    KIND: ClassVar[str] = "comparison"
    VERSION: ClassVar[int] = 4
    schema_: Literal["corridor.comparison/4"] = Field(alias="schema")
    reference: str
    scenarios: list[ComparisonScenariosItem]
    table: list[ComparisonTableItem]
    appraisals: list[AppraisalRankingItem]
    assumptions: list[AppraisalRankingItemAssumptionsItem]
    common_volume_teu: dict[str, float | None]
    slower_flows: list[ComparisonSlowerFlow]
