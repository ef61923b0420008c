"""Origin–destination volumes by cargo class: :class:`Flow` and :class:`DemandSet`."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from corridor.errors import InputError
from corridor.network import Source
from corridor.units import DEFAULT_T_PER_TEU


@dataclass(frozen=True, slots=True)
class Flow:
    """Annual volume from ``origin`` to ``destination`` (node ids) of one cargo class.

    Containers are counted in TEU (``volume_t_per_year`` optional: gross cargo mass); general
    and liquid bulk in tonnes.
    """

    origin: str
    destination: str
    cargo: str
    volume_teu_per_year: float | None = None
    volume_t_per_year: float | None = None
    note: str = ""
    provenance: Mapping[str, str] = field(default_factory=dict, compare=False, hash=False)

    @property
    def teu(self) -> float:
        """TEU per year (0 for bulk)."""
        return (self.volume_teu_per_year or 0.0) if self.cargo == "container" else 0.0

    @property
    def tonnes(self) -> float:
        """Tonnes per year; containers without a mass use :data:`DEFAULT_T_PER_TEU`."""
        if self.volume_t_per_year is not None:
            return self.volume_t_per_year
        return (self.volume_teu_per_year or 0.0) * DEFAULT_T_PER_TEU

    @property
    def volume(self) -> float:
        """The flow in its own unit: TEU for containers, tonnes for bulk."""
        return self.teu if self.cargo == "container" else self.tonnes

    @property
    def unit(self) -> str:
        return "teu" if self.cargo == "container" else "t"


@dataclass(frozen=True)
class DemandSet:
    """A named set of flows for one year, referring to a network by name."""

    name: str
    network: str
    flows: tuple[Flow, ...]
    year: int | None = None
    description: str = ""
    sources: tuple[Source, ...] = ()
    #: Links and nodes this demand may not use (``without`` in demand.toml): TITR volumes are cargo
    #: *on the corridor*, so the bundled sets keep off the comparator routes (sea via Suez, the
    #: Northern route via Russia) that the network carries for quotes.
    without: tuple[str, ...] = ()

    def scaled(self, growth: float) -> DemandSet:
        """Every volume multiplied by ``growth`` (``1.62`` = +62%)."""
        if not growth >= 0:
            raise InputError(f"growth must be a number ≥ 0, got {growth!r}")
        if growth == 1:
            return self
        flows = tuple(
            replace(
                f,
                volume_teu_per_year=None if f.volume_teu_per_year is None else f.volume_teu_per_year * growth,
                volume_t_per_year=None if f.volume_t_per_year is None else f.volume_t_per_year * growth,
            )
            for f in self.flows
        )
        return replace(self, flows=flows, name=f"{self.name}×{growth:g}")

    @property
    def total_teu(self) -> float:
        return sum(f.teu for f in self.flows)

    @property
    def total_t(self) -> float:
        return sum(f.tonnes for f in self.flows)

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "network": self.network,
            "year": self.year,
            "without": list(self.without),
            "total_teu": self.total_teu,
            "total_t": self.total_t,
            "flows": [
                {
                    "origin": f.origin,
                    "destination": f.destination,
                    "cargo": f.cargo,
                    "volume_teu_per_year": f.volume_teu_per_year,
                    "volume_t_per_year": f.volume_t_per_year,
                }
                for f in self.flows
            ],
        }
