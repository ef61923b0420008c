"""The JSON form of an appraisal ranking (``corridor appraise --json``): NPV, BCR, payback per scenario with every assumption and its source."""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import Field

from corridor.schemas._base import Document, Shape


class AppraisalRankingItemInvestmentsItem(Shape):
    id: str
    name: str
    capex_usd: float | None
    opex_usd_per_year: float | None
    start_year: int
    build_years: int
    lifetime_years: int
    first_operating_year: int
    sources: dict[str, str]


class AppraisalRankingItemAssumptionsItem(Shape):
    key: str
    label: str
    value: float | None
    unit: str
    basis: str


class AppraisalRankingItemYearsItem(Shape):
    year: int | None
    capex: float | None
    opex: float | None
    benefit: float | None
    net: float | None


class AppraisalRankingItem(Shape):
    scenario: str
    base: str
    extra_teu_per_year: float | None
    extra_t_per_year: float | None
    days_saved: float | None
    revenue_usd_per_year: float | None
    time_value_usd_per_year: float | None
    capex_usd: float | None
    pv_benefits_usd: float | None
    pv_costs_usd: float | None
    npv_usd: float | None
    bcr: float | None
    payback_year: int | None
    investments: list[AppraisalRankingItemInvestmentsItem]
    assumptions: list[AppraisalRankingItemAssumptionsItem]
    years: list[AppraisalRankingItemYearsItem]


class Appraisal(Document):
    """The JSON form of an appraisal ranking (``corridor appraise --json``): NPV, BCR, payback per scenario with every assumption and its source."""

    KIND: ClassVar[str] = "appraisal"
    VERSION: ClassVar[int] = 1
    schema_: Literal["corridor.appraisal/1"] = Field(alias="schema")
    ranking: list[AppraisalRankingItem]
