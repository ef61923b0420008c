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
    direction: str | None  # None for a node's throughput (both directions together)
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
    direction: str | None  # None for a node's throughput (both directions together)
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
    diverted_teu: float | None
    not_moved_teu: float | None
    diverted_t: float | None
    not_moved_t: float | None


class CapacityOdsItem(Shape):
    origin: str
    destination: str
    cargo: str
    unit: str
    demand: float | None
    served: float | None
    unserved: float | None
    routable: bool
    carried: float | None
    diverted: float | None
    diverted_to: dict[str, float | None]
    not_moved: float | None
    shares: dict[str, float | None]


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
    formulation: str
    max_growth: bool | None
    commodities: int
    variables: int
    rows: int
    iterations: int
    build_s: float | None
    solve_s: float | None
    max_growth_s: float | None
    objective: str
    choice: dict[str, float | int | bool | str | None] | None = None
    max_excess: float | None = None


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
    VERSION: ClassVar[int] = 2
    schema_: Literal["corridor.capacity/2"] = Field(alias="schema")
    network: str = Field(description="the network assigned")
    demand: str = Field(description="the demand set")
    year: int | None = Field(description="the demand's year")
    growth: float | None = Field(description="the growth factor applied to the demand")
    without: list[str] = Field(description="links and services left out")
    served: CapacityServed = Field(description="volume carried: `teu` (containers), `t` (bulk tonnes) and their shares")
    unserved: list[CapacityOdsItem] = Field(
        description="ODs not carried in full (`served` = `carried`; `unserved` = diverted + not moved)"
    )
    max_growth: float | None = Field(description="largest uniform growth factor carried in full (`null`: unlimited)")
    growth_cut: list[CapacityGrowthCutItem] = Field(
        description="capacities that limit `max_growth`, with growth per extra unit and share of the bound"
    )
    bottlenecks: list[CapacityBottlenecksItem] = Field(
        description="binding capacities, highest shadow price (USD a year per unit) first"
    )
    totals: CapacityTotals = Field(description="totals over every OD")
    ods: list[CapacityOdsItem] = Field(description="every OD as in `unserved`")
    links: list[CapacityLinksItem] = Field(
        description="flow on every link (both directions), effective capacity per unit, utilisation"
    )
    nodes: list[CapacityNodesItem] = Field(description="throughput of every node")
    services: list[CapacityServicesItem] = Field(description="flow on every service")
    constraints: list[CapacityConstraintsItem] = Field(
        description="every capacity row, binding or not, in the bottleneck form"
    )
    solver: CapacitySolver = Field(
        description="formulation, size, rounds and seconds; choice-model parameters and `max_excess`"
    )
    paths: list[CapacityPathsItem] = Field(
        description="how each OD's served volume splits across paths, largest first (node ids in travel order)"
    )
    objective: str = Field(description="`choice` (route choice, the default) or `system` (least total cost)")
    comparators: dict[str, str] = Field(
        description="comparator id → label (routes outside the network that demand may divert to)"
    )
    shares: dict[str, dict[str, float | None]] = Field(
        description="carried / diverted / not-moved shares of all TEU (`teu`) and all bulk tonnes (`t`)"
    )
