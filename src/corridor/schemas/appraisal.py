"""The JSON form of an appraisal ranking (``corridor appraise --json``): per scenario ENPV, EIRR, BCR,
payback, FNPV/FIRR, the benefit split, switching values, tornado, Monte Carlo percentiles, the
per-OD benefits of each modelled year, the yearly lines and every parameter with its source."""

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
    """One parameter: value, unit, source, and whether it is the default or who chose it."""

    key: str
    label: str
    value: float | None
    unit: str
    source: str
    default: bool
    chosen_by: str | None


class AppraisalSwitchingItem(Shape):
    driver: str
    label: str
    factor: float | None
    change: float | None


class AppraisalTornadoItem(Shape):
    driver: str
    label: str
    enpv_low: float | None
    enpv_high: float | None


class AppraisalHistogram(Shape):
    edges: list[float]
    counts: list[int]


class AppraisalMonteCarlo(Shape):
    replications: int
    seed: int
    enpv_p10: float | None
    enpv_p50: float | None
    enpv_p90: float | None
    p_enpv_negative: float | None
    histogram: AppraisalHistogram


class AppraisalTrajectoryItem(Shape):
    year: int
    demand: str


class AppraisalODItem(Shape):
    origin: str
    destination: str
    cargo: str
    unit: str
    base_volume: float | None
    scenario_volume: float | None
    base_generalised_cost_usd: float | None
    scenario_generalised_cost_usd: float | None
    new_traffic_reference_cost_usd: float | None
    new_traffic_reference: str
    user_existing_usd: float | None
    user_new_usd: float | None
    producer_usd: float | None
    co2e_change_t: float | None


class AppraisalModelledYear(Shape):
    year: int
    ods: list[AppraisalODItem]


class AppraisalYearsItem(Shape):
    year: int
    operating_share: float | None
    teu_existing: float | None
    teu_change: float | None
    t_existing: float | None
    t_change: float | None
    user_existing: float | None
    user_new: float | None
    producer: float | None
    co2e_change_t: float | None
    carbon_usd_per_t: float | None
    co2e_value: float | None
    capex: float | None
    sunk_capex: float | None
    renewals: float | None
    opex: float | None
    residual: float | None
    economic_net: float | None
    economic_discount_factor: float | None
    financial_net: float | None
    financial_discount_factor: float | None


class AppraisalExtraVolume(Shape):
    """Extra TEU and tonnes a year the scenario carries over its base at full operation, in the
    modelled year of the scenario's own demand set (what ``corridor compare`` shows), else the first
    modelled year its investments operate in."""

    year: int
    demand: str
    teu: float | None
    t: float | None


class AppraisalRankingItem(Shape):
    scenario: str
    base: str
    kind: Literal["project", "policy", "package"]
    note: str
    enpv_usd: float | None
    eirr: float | None
    bcr: float | None
    payback_year: int | None
    fnpv_usd: float | None
    firr: float | None
    pv_usd: dict[str, float | None]
    dominant_benefit: str
    capex_usd: float | None
    investments: list[AppraisalRankingItemInvestmentsItem]
    switching_values: list[AppraisalSwitchingItem]
    tornado: list[AppraisalTornadoItem]
    monte_carlo: AppraisalMonteCarlo | None
    trajectory: list[AppraisalTrajectoryItem]
    modelled_years: list[AppraisalModelledYear]
    years: list[AppraisalYearsItem]
    extra_volume: AppraisalExtraVolume | None = None
    parameters: list[AppraisalRankingItemAssumptionsItem]
    steps: list[AppraisalRankingItem]


AppraisalRankingItem.model_rebuild()


class Appraisal(Document):
    """The JSON form of an appraisal ranking (``corridor appraise --json``): ENPV, EIRR, BCR, payback,
    FNPV, benefit split, risk and the yearly lines per scenario, with every parameter and its source."""

    KIND: ClassVar[str] = "appraisal"
    VERSION: ClassVar[int] = 3
    schema_: Literal["corridor.appraisal/3"] = Field(alias="schema")
    ranking: list[AppraisalRankingItem]
