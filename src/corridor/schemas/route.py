"""The JSON form of a route result (``corridor route --json``): options, legs, stops, P50/P90 by stage, itemised quote, CO2e."""

from __future__ import annotations

from typing import Any, ClassVar, Literal

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


class RouteNote(Shape):
    """A note on the whole result. ``text`` is the English sentence the CLI prints; ``code`` and ``params``
    let a client say it in its own language. Params by code:

    * ``avoid-unmatched``: ``kind`` (mode, country, link, node), ``value`` — an avoid that matched nothing;
    * ``label-limit``: ``max_labels`` — the exact Pareto search stopped; options may be incomplete;
    * ``guided-search``: ``reason`` (large-network, label-limit), ``arcs``, ``epsilon`` (share merged);
    * ``closure-season``: ``route`` (rank), ``month`` (1–12), ``closures`` — list of ``target`` (node or
      link id), ``cause`` (or null), ``closed_share`` (0–1);
    * ``queueing``: ``demand`` — times include the expected queueing for that demand set.
    """

    code: Literal["avoid-unmatched", "label-limit", "guided-search", "closure-season", "queueing"]
    text: str
    params: dict[str, Any]


class Route(Document):
    """The JSON form of a route result (``corridor route --json``): options, legs, stops, P50/P90 by stage, itemised quote, CO2e."""

    KIND: ClassVar[str] = "route"
    VERSION: ClassVar[int] = 4
    schema_: Literal["corridor.route/4"] = Field(alias="schema")
    network: str = Field(description="the network searched")
    origin: str = Field(description="the origin place")
    destination: str = Field(description="the destination place")
    shipment: RouteShipment = Field(description="what is shipped: units, TEU, tonnes and the lots")
    depart: str | None = Field(description="departure date (ISO), or `null` when none was given")
    optimize: str = Field(description="the criterion the routes are ranked by (`time`, `cost`, `co2`, `generalized`)")
    pareto_size: int = Field(description="routes on the time × cost × CO2e Pareto front found by the search")
    pareto_complete: bool = Field(
        description="whether `pareto_size` is the whole front (the large-network search may stop short)"
    )
    notes: list[RouteNote] = Field(description="what the reader should know (closures, estimates, constraints)")
    routes: list[RouteRoutesItem] = Field(
        description="the routes, best first; every time is P50/P90 and every cost line names its basis"
    )
