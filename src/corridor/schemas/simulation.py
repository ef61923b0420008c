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


class SimulationAdmission(Shape):
    demand_per_year: float | None
    carried_per_year: float | None
    diverted_per_year: float | None
    diverted_to: dict[str, float | None]
    not_moved_per_year: float | None


class SimulationRefusedItem(Shape):
    origin: str
    destination: str
    cargo: str
    demand_per_year: float | None
    diverted_to: dict[str, float | None]
    not_moved_per_year: float | None


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
    steady: bool
    time_label: str | None
    backlog_growth_per_day: float | None
    cut_off: float | None
    admission: SimulationAdmission


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
    steady: bool
    steady_teu: bool
    steady_t: bool
    growth_teu_per_day: float | None
    growth_t_per_day: float | None


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
    VERSION: ClassVar[int] = 2
    schema_: Literal["corridor.simulation/2"] = Field(alias="schema")
    network: str = Field(description="the network simulated")
    demand: str = Field(description="the demand set")
    days: int = Field(description="simulated days after the warm-up (the measured period)")
    warmup_days: int = Field(description="days simulated first and not measured")
    replications: int = Field(description="independent replications")
    seed: int = Field(description="seed of the random streams")
    rules: SimulationRules = Field(description="the rules of the run")
    generated: SimulationGenerated = Field(description="consignments generated per replication in the measured period")
    delivered: SimulationGenerated = Field(description="delivered per replication in the measured period")
    in_system: SimulationGenerated = Field(description="still on the way at the end, per replication")
    stages: dict[str, float] = Field(
        description="mean hours per consignment by stage category, all flows (TEU-equivalent weights)"
    )
    od: list[SimulationOdItem] = Field(
        description="per flow: door-to-door times (`ci95` per quantile), stages, histogram and the paths taken"
    )
    ports: list[SimulationPortsItem] = Field(
        description="daily backlog per port (`daily_high_teu` = mean + 1.96 sd; peaks are yearly maxima with CI)"
    )
    nodes: list[SimulationNodesItem] = Field(
        description="utilisation per node and cargo pool (`all`, `container`, `bulk`)"
    )
    services: list[SimulationServicesItem] = Field(
        description="per ferry or train service: sailings, fill rate and wait (each `out`/`back`), fleet utilisation"
    )
    closures: list[SimulationClosuresItem] = Field(description="days each closure was in force")
    trace: list[dict[str, int | float | str]] = Field(
        description="with `--trace`: `born`, `stage` (arrive/start/leave), `split`, `sailing`, `delivered` records"
    )
    refused: list[SimulationRefusedItem] = Field(
        description="demand the admission step did not let in (diverted or not moved)"
    )
