"""The JSON form of a route result (``corridor route --json``): options, legs, stops, P50/P90 by stage, itemised quote, CO2e."""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import Field

from corridor.schemas._base import Document, Shape


class RouteShipmentLotsItem(Shape):
    count: int
    size: str
    type: str
    gross_t: float


class RouteShipment(Shape):
    cargo: str
    spec: str
    teu: float
    cargo_t: float
    lots: list[RouteShipmentLotsItem]


class RouteRoutesItemLegsItem(Shape):
    link: str
    from_: str = Field(alias="from")
    to: str
    mode: str
    distance_km: float
    moving_h: float
    wait_h: float | None
    operator: str
    country: str
    service: str | None


class RouteRoutesItemStopsItem(Shape):
    node: str
    name: str
    country: str
    stage: str
    dwell_h: float | None
    arrival_h: float


class RouteRoutesItemTimeHStagesValue(Shape):
    p50: float
    p90: float


class RouteRoutesItemTimeH(Shape):
    p50: float
    p90: float
    p50_days: float
    p90_days: float
    stages: dict[str, RouteRoutesItemTimeHStagesValue]


class RouteRoutesItemCostUsdLinesItem(Shape):
    item: str
    amount: float
    low: float | None
    high: float | None
    operator: str
    country: str
    estimate: bool
    where: str
    basis: str
    missing: bool


class RouteRoutesItemCostUsdPerUnit(Shape):
    unit: str
    amount: float


class RouteRoutesItemCostUsd(Shape):
    total: float
    low: float | None
    high: float | None
    currency: str
    complete: bool
    missing: list[str]
    per_unit: RouteRoutesItemCostUsdPerUnit
    lines: list[RouteRoutesItemCostUsdLinesItem]


class RouteRoutesItemArrival(Shape):
    p50: str
    p90: str


class RouteRoutesItemCo2eKgElementsItem(Shape):
    element: str
    kind: str
    wtw: float
    wtt: float
    ttw: float
    factor: str
    glec_version: str
    estimate: bool


class RouteRoutesItemCo2eKg(Shape):
    wtw: float
    wtt: float
    ttw: float
    tkm: float
    intensity_g_per_tkm: float
    elements: list[RouteRoutesItemCo2eKgElementsItem]


class RouteRoutesItemDoorsItem(Shape):
    """A first- or last-mile truck leg (``--from-door`` / ``--to-door``)."""

    end: Literal["from", "to"]
    place: str
    terminal: str
    country: str
    road_km: float
    p50_h: float
    p90_h: float


class RouteRoutesItem(Shape):
    rank: int
    label: str
    pareto: bool
    nodes: list[str]
    distance_km: float
    legs: list[RouteRoutesItemLegsItem]
    stops: list[RouteRoutesItemStopsItem]
    time_h: RouteRoutesItemTimeH | None
    cost_usd: RouteRoutesItemCostUsd
    co2e_kg: RouteRoutesItemCo2eKg
    arrival: RouteRoutesItemArrival | None
    doors: list[RouteRoutesItemDoorsItem]


class Route(Document):
    """The JSON form of a route result (``corridor route --json``): options, legs, stops, P50/P90 by stage, itemised quote, CO2e."""

    KIND: ClassVar[str] = "route"
    VERSION: ClassVar[int] = 3
    schema_: Literal["corridor.route/3"] = Field(alias="schema")
    network: str
    origin: str
    destination: str
    shipment: RouteShipment
    depart: str | None
    optimize: str
    pareto_size: int
    pareto_complete: bool
    notes: list[str]
    routes: list[RouteRoutesItem]
