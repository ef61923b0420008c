"""The JSON form of a simulation result (``corridor simulate --json``): door-to-door distributions per flow with CIs, stages, backlogs, utilisation, closures."""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import Field

from corridor.schemas._base import Document, Shape


class SimulationRules(Shape):
    cohort_teu: float | None
    cohort_t: float | None
    min_cohorts_per_year: float | None
    arrivals: str
    dwell: str
    moves: str
    seasonality: list[float]
    dwell_p90_ratio: float | None
    move_p90_ratio: float | None
    sailing_p90_ratio: float | None
    bin_h: float | None
    bins: int | None
    t_per_teu_equivalent: float | None
    route_choice: str
    planning_utilisation: float | None
    growth: float | None


class SimulationGenerated(Shape):
    teu: float | None
    t: float | None


class SimulationOdItemTimeHCi95(Shape):
    mean: list[float | None]
    p50: list[float | None]
    p90: list[float | None]
    p95: list[float | None]


class SimulationOdItemTimeH(Shape):
    mean: float | None
    p50: float | None
    p90: float | None
    p95: float | None
    ci95: SimulationOdItemTimeHCi95


class SimulationOdItemTimeD(Shape):
    mean: float | None
    p50: float | None
    p90: float | None
    p95: float | None


class SimulationOdItemHistogram(Shape):
    bin_h: float | None
    share: list[float]


class SimulationOdItemPathsItem(Shape):
    path: list[str]
    share: float | None
    delivered: float | None


class SimulationOdItem(Shape):
    origin: str
    destination: str
    cargo: str
    unit: str
    path: list[str]
    volume_per_year: float | None
    generated: float | None
    delivered: float | None
    in_system: float | None
    time_h: SimulationOdItemTimeH | None
    time_d: SimulationOdItemTimeD
    stages_h: dict[str, float]
    histogram: SimulationOdItemHistogram
    paths: list[SimulationOdItemPathsItem]
    steady: bool = True
    time_label: str | None = None
    backlog_growth_per_day: float | None = None
    cut_off: float | None = None
    admission: dict[str, float | dict[str, float | None] | None] = Field(default_factory=dict)


class SimulationPortsItemPeakTeu(Shape):
    value: float | None
    low: float | None
    high: float | None


class SimulationPortsItem(Shape):
    node: str
    daily_mean_teu: list[float]
    daily_mean_t: list[float]
    daily_high_teu: list[float]
    peak_teu: SimulationPortsItemPeakTeu
    peak_t: SimulationPortsItemPeakTeu
    steady: bool = True
    growth_teu_per_day: float | None = None
    growth_t_per_day: float | None = None


class SimulationNodesItem(Shape):
    node: str
    cargo: str
    servers: int
    utilisation: SimulationPortsItemPeakTeu | None
    cohorts: float | None


class SimulationServicesItemSailings(Shape):
    out: float | None
    back: float | None


class SimulationServicesItemWaitH(Shape):
    out: float | None
    back: float | None


class SimulationServicesItem(Shape):
    service: str
    fleet: int
    capacity_teu: float | None
    sailings: SimulationServicesItemSailings
    fill_rate: SimulationServicesItemSailings | None
    wait_h: SimulationServicesItemWaitH | None
    fleet_utilisation: SimulationPortsItemPeakTeu


class SimulationClosuresItem(Shape):
    closure: str
    target: str
    days: SimulationPortsItemPeakTeu


class Simulation(Document):
    """The JSON form of a simulation result (``corridor simulate --json``): door-to-door distributions per flow with CIs, stages, backlogs, utilisation, closures."""

    KIND: ClassVar[str] = "simulation"
    VERSION: ClassVar[int] = 1
    schema_: Literal["corridor.simulation/1"] = Field(alias="schema")
    network: str
    demand: str
    days: int
    warmup_days: int
    replications: int
    seed: int
    rules: SimulationRules
    generated: SimulationGenerated
    delivered: SimulationGenerated
    in_system: SimulationGenerated
    stages: dict[str, float]
    od: list[SimulationOdItem]
    ports: list[SimulationPortsItem]
    nodes: list[SimulationNodesItem]
    services: list[SimulationServicesItem]
    closures: list[SimulationClosuresItem]
    trace: list[dict[str, int | float | str]]
    refused: list[dict[str, str | float | dict[str, float | None] | None]] = Field(default_factory=list)
