"""The JSON form of a network summary (``corridor network show --json``): nodes, links, services, gauge changes, km by mode."""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import Field

from corridor.schemas._base import Document, Shape


class NetworkNodesItem(Shape):
    id: str
    name: str
    country: str
    kind: str
    border: bool
    lat: float
    lon: float
    aliases: list[str]
    enabled: bool


class NetworkLinksItem(Shape):
    id: str
    from_: str = Field(alias="from")
    to: str
    mode: str
    distance_km: float
    time_h: float | None
    gauge_mm: int | None
    country: str
    operator: str
    service: str | None
    enabled: bool


class NetworkServicesItem(Shape):
    id: str
    name: str
    link: str
    kind: str
    fleet: int
    capacity_teu: float | None
    capacity_t: float | None
    departure: str
    max_wait_h: float | None


class Network(Document):
    """The JSON form of a network summary (``corridor network show --json``): nodes, links, services, gauge changes, km by mode."""

    KIND: ClassVar[str] = "network"
    VERSION: ClassVar[int] = 1
    schema_: Literal["corridor.network/1"] = Field(alias="schema")
    name: str
    version: str
    description: str
    countries: list[str]
    nodes: list[NetworkNodesItem]
    links: list[NetworkLinksItem]
    services: list[NetworkServicesItem]
    gauge_changes: list[str]
    km_by_mode: dict[str, float]
