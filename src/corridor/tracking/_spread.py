"""Parameter uncertainty: how far each stage's bundled time may be off, and which stages err together.

The stage distributions say how much one shipment's time varies *given* the network's numbers.
Those numbers are themselves uncertain — almost all bundled dwells and run times are estimates —
and their errors are shared: every dwell calibrated by one estimate (``est-calib-time``) is off
in the same direction when the estimate is.  The predictive distribution therefore multiplies each
stage's time by a factor ``exp(η)`` (docs/design/tracking-eta.md):

    η_stage = σ · (√ρ · z_source + √(1 − ρ) · z_stage),   z ~ N(0, 1)

where ``σ`` is the log-sd of the stage's governing value (the node's ``dwell_h``, the link's
``time_h``) from the kind of its source, ``z_source`` is one draw shared by every stage whose value
comes from that source, and ``z_stage`` is the stage's own.  :data:`SIGMA` gives ``σ`` per kind of
source; a source can state its own (``posterior log-sd 0.05`` in its note — what
:func:`corridor.tracking.calibrate.calibrate` writes, so calibration narrows the spread it
learnt).  Values without a recorded source (hand-built test networks) are taken as exact.
"""

from __future__ import annotations

import math
import re
import zlib
from dataclasses import dataclass, field
from typing import Final

import numpy as np
import numpy.typing as npt

from corridor.network import Network, Source
from corridor.units import Z90

#: Log-sd of a value's error by the kind of its source.  An ``estimate`` is taken to be right within a
#: factor of 1.5 at P10/P90 (the facts sheet's defaults are ranges: dwell 1-3 d at ports, 0-0.5 d at
#: borders, block-train speeds 580-1,200 km/day, i.e. a factor of 2-3 between the ends; a best
#: estimate inside such a range is off by a factor of about 1.5 at the 10%/90% level).  A
#: ``published`` figure is a single report of a varying quantity: within a factor of 1.2.
SIGMA: Final = {"estimate": math.log(1.5) / Z90, "published": math.log(1.2) / Z90}
#: Share of a value's error variance that is its source's (common to every value from that source).
SHARED: Final = 0.5
_NOTE: Final = re.compile(r"posterior log-sd ([0-9]*\.?[0-9]+)")


def source_sigma(source: Source) -> float:
    """Log-sd of the error of values from ``source``: stated in its note, else by its kind."""
    found = _NOTE.search(source.note)
    if found is not None:
        return float(found.group(1))
    return SIGMA.get(source.kind, SIGMA["estimate"])


@dataclass(frozen=True, slots=True)
class Spread:
    """Per stage key (``node:<id>`` / ``link:<id>``): the source id and log-sd of its governing value."""

    by_stage: dict[str, tuple[str, float]]
    _rows: dict[tuple[str, int], npt.NDArray[np.float64]] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def of(cls, network: Network) -> Spread:
        sources = {s.id: s for s in network.sources}
        out: dict[str, tuple[str, float]] = {}

        def put(key: str, provenance: dict[str, str] | object, field: str) -> None:
            prov = dict(provenance) if isinstance(provenance, dict) else {}
            sid = prov.get(field) or prov.get("*")
            if sid is not None and sid in sources:
                out[key] = (sid, source_sigma(sources[sid]))

        for n in network.nodes:
            put(f"node:{n.id}", n.provenance, "dwell_h")
        for lk in network.links:
            put(f"link:{lk.id}", lk.provenance, "time_h")
        return cls(out)

    def factors(self, keys: list[str], n: int) -> npt.NDArray[np.float64] | None:
        """``exp(η)`` for each stage key (rows) and ``n`` joint draws (columns); None when all are exact.

        The shared draws are seeded by the source id alone, so stages of one source move together in
        every column; the own draws by the stage key.  Rows are cached per stage key."""
        if not any(k in self.by_stage for k in keys):
            return None
        return np.array([self._row(k, n) for k in keys])

    def _row(self, key: str, n: int) -> npt.NDArray[np.float64]:
        got = self._rows.get((key, n))
        if got is not None:
            return got
        spec = self.by_stage.get(key)
        if spec is None or spec[1] <= 0.0:
            row: npt.NDArray[np.float64] = np.ones(n)
        else:
            sid, sigma = spec
            z = np.random.default_rng(zlib.crc32(f"source:{sid}".encode())).standard_normal(n)
            own = np.random.default_rng(zlib.crc32(f"stage:{key}".encode())).standard_normal(n)
            row = np.exp(sigma * (math.sqrt(SHARED) * z + math.sqrt(1.0 - SHARED) * own))
        self._rows[(key, n)] = row
        return row
