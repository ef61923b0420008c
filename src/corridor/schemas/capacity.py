"""The JSON form of a capacity assignment (``corridor capacity --json``): served and unserved volume, bottlenecks, growth limit, flows on every asset."""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import Field

from corridor.schemas._base import Document, Shape


class CapacityServed(Shape):
    teu: float | None
    t: float | None
    share_teu: float | None
    share_t: float | None


class CapacityGrowthCutItem(Shape):
    asset: str
    kind: str
    name: str
    unit: str
    direction: str
    capacity: float | None
    nominal_capacity: float | None
    open_share: float | None
    flow: float | None
    utilisation: float | None
    basis: str
    marginal_growth: float | None
    share: float | None


class CapacityBottlenecksItem(Shape):
    asset: str
    kind: str
    name: str
    unit: str
    direction: str
    capacity: float | None
    nominal_capacity: float | None
    open_share: float | None
    flow: float | None
    utilisation: float | None
    shadow_price: float | None
    shadow_price_per_teu: float | None
    basis: str


class CapacityTotals(Shape):
    served_teu: float | None
    unserved_teu: float | None
    served_t: float | None
    unserved_t: float | None
    cost_usd: float | None
    penalty_usd: float | None
    objective_usd: float | None
    teu_hours: float | None
    mean_hours_per_teu: float | None
    bulk_t_hours: float | None
    co2e_t: float | None
    diverted_teu: float | None = None
    not_moved_teu: float | None = None
    diverted_t: float | None = None
    not_moved_t: float | None = None


class CapacityShares(Shape):
    carried: float | None
    diverted: float | None
    not_moved: float | None


class CapacityOdsItem(Shape):
    origin: str
    destination: str
    cargo: str
    unit: str
    demand: float | None
    served: float | None
    unserved: float | None
    routable: bool
    carried: float | None = None
    diverted: float | None = None
    diverted_to: dict[str, float | None] = Field(default_factory=dict)
    not_moved: float | None = None
    shares: CapacityShares | None = None


class CapacityLinksItemForward(Shape):
    teu: float | None
    t: float | None


class CapacityLinksItem(Shape):
    id: str
    kind: str
    name: str
    flow_teu: float | None
    flow_t: float | None
    capacity: dict[str, float]
    utilisation: float | None
    shadow_price_per_teu: float | None
    from_: str = Field(alias="from")
    to: str
    mode: str
    forward: CapacityLinksItemForward
    backward: CapacityLinksItemForward
    services: list[str]
    co2e_t: float | None


class CapacityNodesItem(Shape):
    id: str
    kind: str
    name: str
    flow_teu: float | None
    flow_t: float | None
    capacity: dict[str, float]
    utilisation: float | None
    shadow_price_per_teu: float | None
    node_kind: str


class CapacityServicesItem(Shape):
    id: str
    kind: str
    name: str
    flow_teu: float | None
    flow_t: float | None
    capacity: dict[str, float]
    utilisation: float | None
    shadow_price_per_teu: float | None
    link: str
    service_kind: str


class CapacityConstraintsItem(Shape):
    asset: str
    kind: str
    name: str
    unit: str
    direction: str | None
    capacity: float | None
    nominal_capacity: float | None
    open_share: float | None
    flow: float | None
    utilisation: float | None
    shadow_price: float | None
    shadow_price_per_teu: float | None
    basis: str


class CapacitySolver(Shape):
    objective: str | None = None
    choice: dict[str, float] | None = None
    max_excess: float | None = None
    formulation: str
    max_growth: bool | None
    commodities: int
    variables: int
    rows: int
    iterations: int
    build_s: float | None
    solve_s: float | None
    max_growth_s: float | None


class CapacityPathsItemLinksItem(Shape):
    id: str
    direction: str
    service: str | None


class CapacityPathsItem(Shape):
    origin: str
    destination: str
    cargo: str
    unit: str
    volume: float | None
    time_h: float | None
    nodes: list[str]
    links: list[CapacityPathsItemLinksItem]


class Capacity(Document):
    """The JSON form of a capacity assignment (``corridor capacity --json``): served and unserved volume, bottlenecks, growth limit, flows on every asset."""

    KIND: ClassVar[str] = "capacity"
    VERSION: ClassVar[int] = 1
    schema_: Literal["corridor.capacity/1"] = Field(alias="schema")
    network: str
    demand: str
    objective: str = "system"
    comparators: dict[str, str] = Field(default_factory=dict)
    shares: dict[str, CapacityShares] = Field(default_factory=dict)
    year: int | None
    growth: float | None
    without: list[str]
    served: CapacityServed
    unserved: list[CapacityOdsItem]
    max_growth: float | None
    growth_cut: list[CapacityGrowthCutItem]
    bottlenecks: list[CapacityBottlenecksItem]
    totals: CapacityTotals
    ods: list[CapacityOdsItem]
    links: list[CapacityLinksItem]
    nodes: list[CapacityNodesItem]
    services: list[CapacityServicesItem]
    constraints: list[CapacityConstraintsItem]
    solver: CapacitySolver
    paths: list[CapacityPathsItem]
