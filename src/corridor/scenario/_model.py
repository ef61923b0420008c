"""A scenario as data: :class:`Scenario`, :class:`Investment` and the :class:`AppliedScenario`
that applying one yields."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from corridor.demand import DemandSet
from corridor.network import Network, Source
from corridor.scenario._changes import Change, Disruption, Where

#: Investment fields that are figures and therefore need a source.
INVESTMENT_FIGURES = ("capex_usd", "opex_usd_per_year", "build_years", "lifetime_years")


@dataclass(frozen=True)
class Investment:
    """A project with its costs: ``capex_usd`` spread evenly over ``build_years`` from
    ``start_year``; ``opex_usd_per_year`` from the first operating year for ``lifetime_years``.

    ``sources`` maps each figure to a source id (estimates get an id whose source's title is the
    reasoning).
    """

    id: str
    name: str
    capex_usd: float
    opex_usd_per_year: float
    start_year: int
    build_years: int
    lifetime_years: int
    sources: Mapping[str, str] = field(default_factory=dict, compare=False)
    note: str = ""
    where: Where = field(default=Where(""), compare=False)

    @property
    def first_operating_year(self) -> int:
        return self.start_year + self.build_years

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "capex_usd": self.capex_usd,
            "opex_usd_per_year": self.opex_usd_per_year,
            "start_year": self.start_year,
            "build_years": self.build_years,
            "lifetime_years": self.lifetime_years,
            "first_operating_year": self.first_operating_year,
            "sources": dict(self.sources),
        }


@dataclass(frozen=True)
class Scenario:
    """A named overlay on a base network and demand set.

    ``changes`` and ``investments`` are flattened: an inheriting scenario holds its ancestors'
    changes first, then its own; ``chain`` names the scenarios from the root to this one.
    """

    name: str
    network: str
    demand: str
    changes: tuple[Change, ...] = ()
    investments: tuple[Investment, ...] = ()
    sources: tuple[Source, ...] = ()
    description: str = ""
    year: int | None = None
    chain: tuple[str, ...] = ()
    file: str = ""
    parent: str = ""
    #: The ``appraisal:`` block: parameter name → (value, where it was set); a child's entries
    #: override its parent's.  Checked by the appraisal (corridor.appraisal.Parameters).
    appraisal: Mapping[str, tuple[Any, Where]] = field(default_factory=dict, compare=False)
    #: How many changes the scenario adds to its parent's (its own file's ``changes:``).
    own_changes: int = 0
    #: The file of the parent scenario (``parent`` is its name).
    parent_file: str = ""

    @property
    def title(self) -> str:
        return self.description.splitlines()[0] if self.description else self.name

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "description": self.description,
            "network": self.network,
            "demand": self.demand,
            "year": self.year,
            "inherits": list(self.chain[:-1]),
            "changes": [{"change": c.describe(), "source": c.source} for c in self.changes if c.source or c.describe()],
            "investments": [i.to_json() for i in self.investments],
        }


@dataclass(frozen=True)
class AppliedScenario:
    """A scenario applied: the changed network and demand, and its dated disruptions."""

    scenario: Scenario
    network: Network
    demand: DemandSet
    disruptions: tuple[Disruption, ...] = ()

    @property
    def name(self) -> str:
        return self.scenario.name

    def to_json(self) -> dict[str, Any]:
        return {
            **self.scenario.to_json(),
            "total_teu_per_year": self.demand.total_teu,
            "total_t_per_year": self.demand.total_t,
            "disruptions": [d.to_json() for d in self.disruptions],
        }
