"""The JSON form of a predicted arrival (``corridor track eta --json``, ``GET /v1/shipments/{booking}/eta``):
the shipment's status and position, and P10/P50/P90 at every remaining milestone beside the plan."""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import Field

from corridor.schemas._base import Document, Shape


class EtaMilestone(Shape):
    """One node of the route: predicted quantiles (ISO times; all equal the actual once passed), the plan."""

    node: str
    name: str
    p10: str
    p50: str
    p90: str
    planned: str
    actual: str | None


class Eta(Document):
    """Predicted arrival of one shipment as of ``as_of``; ``status`` planned | in-transit | delivered."""

    KIND: ClassVar[str] = "eta"
    VERSION: ClassVar[int] = 1
    schema_: Literal["corridor.eta/1"] = Field(alias="schema")
    booking: str
    as_of: str
    status: Literal["planned", "in-transit", "delivered"]
    position: str
    elapsed_h: float
    last_event: str | None
    destination: EtaMilestone
    milestones: list[EtaMilestone]
    passed: list[EtaMilestone]
