"""What is being moved: containers (by size and type, with gross weight), general or liquid bulk.

A :class:`Shipment` is built whole and validated once, from a spec string a forwarder would type::

    2x40HC            two 40' high-cube boxes at the default weight
    2x40HC@24t        ... each weighing 24 t gross (cargo + tare)
    1x20DV,2x40HC     mixed lots
    general:500t      500 t of general (break-bulk) cargo
    liquid:20000t     20,000 t of liquid bulk (may use tanker and pipeline links)

Default weights: a loaded box carries ``DEFAULT_T_PER_TEU`` (10 t) of cargo per TEU (see
:mod:`corridor.units`), i.e. 10 t in a 20' and 20 t in a 40'; the tare masses below are typical
values for steel boxes (estimates).  Emissions are computed on the cargo mass (gross − tare), as
ISO 14083 and the GLEC Framework count the goods, not the box.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

from corridor.errors import InputError, Problem, clip
from corridor.limits import LIMITS
from corridor.units import DEFAULT_T_PER_TEU, TEU_PER_FEU

#: Size code → TEU.
CONTAINER_TEU: Final = {"20": 1.0, "40": TEU_PER_FEU, "45": 2.25}
#: (size, type) → tare mass in tonnes (typical steel boxes; estimates from carriers' spec sheets).
CONTAINER_TARE_T: Final = {
    ("20", "DV"): 2.2,
    ("20", "RF"): 3.0,
    ("20", "TK"): 3.6,
    ("40", "DV"): 3.7,
    ("40", "HC"): 3.9,
    ("40", "RF"): 4.6,
    ("45", "HC"): 4.8,
}
#: Highest maximum gross mass rating of a series-1 freight container (ISO 668: 36,000 kg).
MAX_GROSS_T: Final = 36.0
MAX_BOXES: Final = int(LIMITS["cargo_count"].high)
MAX_TONNES: Final = LIMITS["volume"].high

_LOT = re.compile(r"^\s*(\d+)\s*[x×]\s*(20|40|45)\s*([A-Za-z]{2})?\s*(?:@\s*([0-9.]+)\s*t?)?\s*$")
_BULK = re.compile(r"^\s*(general|bulk|liquid)\s*[:=]?\s*([0-9][0-9_,.]*)\s*t?\s*$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class ContainerLot:
    """``count`` boxes of one size and type, each of ``gross_t`` tonnes (cargo + tare)."""

    count: int
    size: str
    type: str
    gross_t: float

    @property
    def teu(self) -> float:
        return self.count * CONTAINER_TEU[self.size]

    @property
    def tare_t(self) -> float:
        return CONTAINER_TARE_T[(self.size, self.type)]

    @property
    def cargo_t(self) -> float:
        return self.count * (self.gross_t - self.tare_t)

    @property
    def code(self) -> str:
        return f"{self.count}x{self.size}{self.type}@{self.gross_t:g}t"


@dataclass(frozen=True, slots=True)
class Shipment:
    """A consignment: ``cargo`` is ``container``, ``general`` or ``liquid``.

    Containers are priced per TEU/FEU and their emissions counted on the cargo mass; bulk is
    priced and counted per tonne.  Build with :meth:`parse`, :meth:`containers` or :meth:`bulk`.
    """

    cargo: str
    lots: tuple[ContainerLot, ...] = ()
    tonnes: float = 0.0

    def __post_init__(self) -> None:
        problems = []
        if self.cargo not in ("container", "general", "liquid"):
            problems.append(f"cargo class {self.cargo!r} is not one of container, general, liquid")
        elif self.cargo == "container":
            if not self.lots:
                problems.append("a container shipment needs at least one lot such as 1x40HC")
            for lot in self.lots:
                if not 1 <= lot.count <= MAX_BOXES:
                    problems.append(f"{lot.code}: the number of containers must be between 1 and {MAX_BOXES:,}")
                if (lot.size, lot.type) not in CONTAINER_TARE_T:
                    known = ", ".join(f"{s}{t}" for s, t in CONTAINER_TARE_T)
                    problems.append(f"unknown container {lot.size}{lot.type}; expected one of {known}")
                elif not lot.tare_t < lot.gross_t <= MAX_GROSS_T:
                    problems.append(
                        f"{lot.code}: gross weight must be above the tare ({lot.tare_t:g} t) "
                        f"and at most {MAX_GROSS_T:g} t (ISO 668)"
                    )
        elif self.lots or not 0 < self.tonnes <= MAX_TONNES:
            problems.append(
                f"a {self.cargo} shipment needs a tonnage above 0 and at most {MAX_TONNES:,.0f} t, such as {self.cargo}:500t"
            )
        if problems:
            raise InputError("invalid shipment", [Problem("route", p, field="cargo") for p in problems])

    # --- constructors ---------------------------------------------------------------------
    @classmethod
    def parse(cls, spec: str) -> Shipment:
        """A shipment from a spec such as ``2x40HC``, ``1x20DV@18t,1x40HC`` or ``liquid:20000t``."""
        text = spec.strip()
        bulk = _BULK.match(text)
        if bulk:
            kind = "general" if bulk.group(1).lower() in ("general", "bulk") else "liquid"
            return cls(kind, tonnes=float(bulk.group(2).replace(",", "").replace("_", "")))
        lots = []
        for part in text.split(","):
            match = _LOT.match(part)
            if not match:
                raise InputError(
                    f"cannot read cargo spec {spec!r}",
                    [
                        Problem(
                            "route",
                            f"{clip(part.strip())}: expected COUNTxSIZETYPE[@GROSSt] (2x40HC, 1x20DV@18t) "
                            "or general:TONNESt / liquid:TONNESt",
                            field="cargo",
                        )
                    ],
                )
            count, size, ctype, gross = match.groups()
            ctype = (ctype or ("HC" if size == "45" else "DV")).upper()
            lots.append(_lot(int(count), size, ctype, float(gross) if gross else None))
        return cls("container", lots=tuple(lots))

    @classmethod
    def containers(cls, count: int = 1, size: str = "40", type: str = "HC", gross_t: float | None = None) -> Shipment:
        """``count`` boxes of one kind, e.g. ``Shipment.containers(2, "40", "HC")``."""
        return cls("container", lots=(_lot(count, size, type.upper(), gross_t),))

    @classmethod
    def bulk(cls, tonnes: float, *, liquid: bool = False) -> Shipment:
        return cls("liquid" if liquid else "general", tonnes=float(tonnes))

    # --- quantities -----------------------------------------------------------------------
    @property
    def teu(self) -> float:
        """Containers in TEU (0 for bulk)."""
        return sum(lot.teu for lot in self.lots)

    @property
    def feu(self) -> float:
        return self.teu / 2.0

    @property
    def cargo_t(self) -> float:
        """Mass of the goods (without container tare): the basis of emissions."""
        if self.cargo == "container":
            return sum(lot.cargo_t for lot in self.lots)
        return self.tonnes

    @property
    def units(self) -> float:
        """The pricing quantity: TEU for containers, tonnes for bulk."""
        return self.teu if self.cargo == "container" else self.tonnes

    @property
    def code(self) -> str:
        if self.cargo == "container":
            return ",".join(lot.code for lot in self.lots)
        return f"{self.cargo}:{self.tonnes:g}t"

    def to_json(self) -> dict[str, object]:
        return {
            "cargo": self.cargo,
            "spec": self.code,
            "teu": self.teu,
            "cargo_t": round(self.cargo_t, 3),
            "lots": [
                {"count": lot.count, "size": lot.size, "type": lot.type, "gross_t": lot.gross_t} for lot in self.lots
            ],
        }


def _lot(count: int, size: str, ctype: str, gross_t: float | None) -> ContainerLot:
    if gross_t is None:
        tare = CONTAINER_TARE_T.get((size, ctype), 0.0)
        gross_t = round(tare + DEFAULT_T_PER_TEU * CONTAINER_TEU.get(size, 1.0), 3)
    return ContainerLot(count, size, ctype, gross_t)
