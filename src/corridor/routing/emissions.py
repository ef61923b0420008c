"""Emission factors per ISO 14083 / the GLEC Framework, and the emissions of a transport chain.

Every transport chain element counts: each leg (tonnes × shortest feasible distance × intensity
by mode, traction and vessel class) and each hub the cargo is handled at (tonnes × a per-tonne hub
factor by node kind).  Well-to-wheel (WTW) = well-to-tank (WTT: producing and delivering the energy)
+ tank-to-wheel (TTW: burning it on board).  Electric traction has all its emissions in WTT.

The factors live in ``emission_factors.csv`` next to this module, each with its GLEC version,
basis, source url and an ``estimate`` flag for values that were not checked against the published
table.  Pass your own table with :meth:`EmissionFactors.from_csv`.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from corridor.errors import DataError, Problem
from corridor.network import Link, Node
from corridor.routing.result import Emission


@dataclass(frozen=True, slots=True)
class EmissionFactor:
    """Intensity of one leg type (g CO2e per t-km) or one hub type (kg CO2e per t)."""

    kind: str  # "leg" or "hub"
    mode: str
    traction: str
    vessel: str
    vehicle_class: str
    glec_version: str
    wtt: float
    ttw: float
    estimate: bool
    source_url: str = ""
    note: str = ""

    @property
    def wtw(self) -> float:
        return self.wtt + self.ttw

    def to_json(self) -> dict[str, object]:
        unit = "g CO2e/t-km" if self.kind == "leg" else "kg CO2e/t"
        return {
            "vehicle_class": self.vehicle_class,
            "glec_version": self.glec_version,
            "unit": unit,
            "wtw": self.wtw,
            "wtt": self.wtt,
            "ttw": self.ttw,
            "estimate": self.estimate,
            "source_url": self.source_url,
        }


_ZERO_HUB = EmissionFactor("hub", "", "", "", "no handling", "", 0.0, 0.0, False)


@dataclass(frozen=True)
class EmissionFactors:
    """A table of factors with the lookup rules: most specific (mode, traction, vessel) first."""

    factors: tuple[EmissionFactor, ...]
    source: str = field(default="emission_factors.csv", compare=False)
    """The table the factors came from, named in problems (a user's file, or the bundled one)."""

    def __post_init__(self) -> None:
        legs: dict[tuple[str, str, str], EmissionFactor] = {}
        hubs: dict[str, EmissionFactor] = {}
        for f in self.factors:
            if f.kind == "leg":
                legs.setdefault((f.mode, f.traction, f.vessel), f)
            else:
                hubs.setdefault(f.vessel, f)
        object.__setattr__(self, "_legs", legs)
        object.__setattr__(self, "_hubs", hubs)

    @classmethod
    def default(cls) -> EmissionFactors:
        """The bundled GLEC-based table (read when called, never at import)."""
        text = (resources.files("corridor.routing") / "emission_factors.csv").read_text(encoding="utf-8")
        return cls(tuple(_parse(io.StringIO(text), "emission_factors.csv")))

    @classmethod
    def from_csv(cls, path: Path) -> EmissionFactors:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            return cls(tuple(_parse(fh, str(path))), source=path.name)

    def for_link(self, link: Link) -> EmissionFactor:
        """The factor for a leg: (mode, traction, vessel), then vessel, then traction, then mode."""
        legs: dict[tuple[str, str, str], EmissionFactor] = self._legs  # type: ignore[attr-defined]
        traction = "mgo" if link.traction == "mdo" else link.traction
        for key in (
            (link.mode, traction, link.vessel),
            (link.mode, "", link.vessel),
            (link.mode, traction, ""),
            (link.mode, "", ""),
        ):
            found = legs.get(key)
            if found is not None:
                return found
        raise DataError(
            f"no emission factor for mode {link.mode!r} (link {link.id!r})",
            [Problem(self.source, f"add a row with mode={link.mode} and blank traction and vessel", field="mode")],
        )

    def for_node(self, node: Node) -> EmissionFactor:
        """The hub factor for handling at a node (none at borders and junctions)."""
        hubs: dict[str, EmissionFactor] = self._hubs  # type: ignore[attr-defined]
        return hubs.get(node.kind, _ZERO_HUB)


def chain_elements(
    factors: EmissionFactors, nodes: Sequence[Node], links: Sequence[Link], mass_t: float
) -> tuple[Emission, ...]:
    """The emissions of every element of a chain ``nodes[0] links[0] nodes[1] … nodes[-1]``, in order.

    A hub counts where its factor is above zero (handling: tonnes × kg/t); a leg is tonnes × the
    link's distance × its factor (g/t-km, so / 1000 for kg).  ``len(nodes) == len(links) + 1``.
    """
    out: list[Emission] = []
    for i, node in enumerate(nodes):
        hub = factors.for_node(node)
        if hub.wtw > 0:
            out.append(
                Emission(node.id, "hub", hub.wtt * mass_t, hub.ttw * mass_t, 0.0, hub.vehicle_class,
                         hub.glec_version, hub.estimate)
            )  # fmt: skip
        if i == len(links):
            break
        link = links[i]
        f = factors.for_link(link)
        tkm = mass_t * link.distance_km
        out.append(
            Emission(link.id, "leg", f.wtt * tkm / 1000.0, f.ttw * tkm / 1000.0, tkm, f.vehicle_class,
                     f.glec_version, f.estimate)
        )  # fmt: skip
    return tuple(out)


def _parse(lines: Iterable[str], file: str) -> list[EmissionFactor]:
    out: list[EmissionFactor] = []
    problems: list[Problem] = []
    for number, row in enumerate(csv.DictReader(lines), start=2):
        try:
            wtt = float(row["wtt"])
            ttw = float(row["ttw"])
            wtw = float(row["wtw"]) if row.get("wtw") else wtt + ttw
        except (KeyError, ValueError) as exc:
            problems.append(Problem(file, f"bad number: {exc}", line=number))
            continue
        if abs(wtw - (wtt + ttw)) > 0.05 + 1e-3 * wtw:
            problems.append(Problem(file, f"wtw {wtw} is not wtt + ttw ({wtt + ttw:.1f})", line=number, column="wtw"))
        if row.get("kind") not in ("leg", "hub"):
            problems.append(Problem(file, f"kind must be leg or hub, got {row.get('kind')!r}", line=number))
            continue
        out.append(
            EmissionFactor(
                kind=row["kind"],
                mode=row.get("mode") or "",
                traction=row.get("traction") or "",
                vessel=row.get("vessel") or "",
                vehicle_class=row.get("vehicle_class") or "",
                glec_version=row.get("glec_version") or "",
                wtt=wtt,
                ttw=ttw,
                estimate=(row.get("estimate") or "").strip().lower() == "true",
                source_url=row.get("source_url") or "",
                note=row.get("note") or "",
            )
        )
    if problems:
        raise DataError(f"emission factor table {file} has {len(problems)} problem(s)", problems)
    return out
