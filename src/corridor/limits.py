"""Valid ranges of every number a user gives corridor, as data, checked before any work.

Each :class:`Limit` names the parameter as the engines do (``replications``, not ``-r``), its range
and the reason for the range; ``docs/limits.md`` lists them with the same reasons, and a test keeps
the two in step.  Adapters check the values they receive with :func:`check` (the CLI through its
option types, the service through its request models) so that a value out of range is refused
with a message naming the parameter before a simulation or an LP starts.

:func:`simulation_work` estimates the events and memory of a simulation from the demand alone,
so a run that would take hours or exhaust memory is refused up front (``MAX_SIM_EVENTS``); the
CLI lets a user who means it lift the limit with ``--no-work-limit``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass

from corridor.errors import InputError, Problem

__all__ = [
    "LIMITS",
    "MAX_NAME_CHARS",
    "MAX_SIM_EVENTS",
    "MAX_TEXT_CHARS",
    "Limit",
    "SimulationWork",
    "check",
    "check_text",
    "simulation_work",
]


@dataclass(frozen=True)
class Limit:
    """A closed range ``[low, high]`` for one parameter; ``integer`` values must be whole."""

    name: str
    low: float
    high: float
    reason: str
    integer: bool = False

    def problem(self, value: float, *, source: str = "parameter") -> Problem | None:
        """The problem with ``value``, or ``None`` when it is in range."""
        expected = f"{'a whole number' if self.integer else 'a number'} in [{self.low:g}, {self.high:g}]"
        bad = isinstance(value, bool) or not isinstance(value, (int, float))
        if not bad and isinstance(value, float) and not math.isfinite(value):
            bad = True
        if not bad and self.integer and value != int(value):
            bad = True
        if not bad and not (self.low <= value <= self.high):
            bad = True
        if not bad:
            return None
        got = _show(value)
        return Problem(
            source,
            f"{self.name} must be {expected} ({self.reason}); got {got}",
            field=self.name,
            expected=expected,
            got=got,
        )


def _show(value: object) -> str:
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 10**15:
        return f"{float(value):.3g}"
    text = repr(value)
    return text if len(text) <= 40 else text[:39] + "…"


_L = Limit
LIMITS: dict[str, Limit] = {
    lim.name: lim
    for lim in (
        _L(
            "replications",
            1,
            100_000,
            "each replication is a full simulated period; 10^5 gives CIs far tighter than any input is known",
            integer=True,
        ),
        _L("days", 1, 3_650, "ten years: longer runs describe a corridor whose data no longer hold", integer=True),
        _L("warmup_days", 0, 3_650, "no longer than the longest measured period", integer=True),
        _L(
            "planning_utilisation",
            0.1,
            1,
            "the share of every capacity the simulation books; above 1 it books more than the asset carries",
        ),
        _L("workers", 1, 1_024, "local processes; more than the cores only adds overhead", integer=True),
        _L("seed", 0, 1e18, "numpy SeedSequence entropy; negative seeds are refused", integer=True),
        _L("growth", 0, 1_000, "a factor on every flow; 1000x today's corridor is beyond any forecast"),
        _L("horizon", 1, 100, "appraisal years; discounting makes year 100 worth < 0.1% at 8%", integer=True),
        _L("discount", 0, 1, "a yearly rate (0.08 = 8%); 100% a year discounts everything after year 0"),
        _L("start_year", 1900, 2200, "calendar years the data can describe", integer=True),
        _L("alternatives", 1, 20, "routes shown; beyond 20 they are near-duplicates", integer=True),
        _L("top", 1, 10_000, "rows of a table; at least one", integer=True),
        _L("max_maps", 0, 50, "maps embedded in one HTML report (each ~100 kB)", integer=True),
        _L(
            "fleet",
            1,
            10_000,
            "vessels or trainsets of one service; the world's container fleet is ~6,000 ships",
            integer=True,
        ),
        _L("volume", 0, 1e10, "TEU or tonnes a year of one flow; world container trade is ~2x10^8 TEU"),
        _L("cargo_count", 1, 100_000, "boxes or tonnes in one quote; a block train is ~100 TEU", integer=True),
        _L("margin", 0, 1e7, "USD per TEU or tonne"),
    )
}

MAX_NAME_CHARS = 200
"""Longest id, name, alias or description line accepted (a 10 MB name is refused, not echoed)."""
MAX_TEXT_CHARS = 10_000
"""Longest free text (descriptions, notes) accepted."""
MAX_SIM_EVENTS = 2e9
"""Largest estimated number of simulation events run without ``--no-work-limit`` (≈ 15 min on one
core at the kernel's measured ~2-3 million events a second)."""


def check(source: str = "parameter", **values: float) -> None:
    """Raise :class:`InputError` naming every parameter outside its :data:`LIMITS` range.

    Unknown names are a programming error (``KeyError``)."""
    problems = [p for name, value in values.items() if (p := LIMITS[name].problem(value, source=source))]
    if problems:
        raise InputError(f"{len(problems)} value(s) out of range", problems)


def check_text(
    text: str,
    *,
    source: str,
    field: str,
    line: int | None = None,
    limit: int = MAX_NAME_CHARS,
    allow_newlines: bool = False,
) -> list[Problem]:
    """Problems with a name or text: too long, or holding control characters (NUL, ESC…; tabs are
    allowed, and newlines where ``allow_newlines`` — free text such as notes)."""
    control = _CONTROL_FREE_TEXT if allow_newlines else _CONTROL
    if len(text) <= limit and control.search(text) is None:
        return []
    allowed = "\t\n\r" if allow_newlines else "\t"
    problems = []
    if len(text) > limit:
        problems.append(
            Problem(
                source,
                f"text of {len(text):,} characters; at most {limit:,} allowed",
                line,
                field,
                expected=f"at most {limit} characters",
                got=f"{len(text)} characters",
            )
        )
    bad = sorted({f"U+{ord(c):04X}" for c in text if (ord(c) < 32 and c not in allowed) or 0x7F <= ord(c) < 0xA0})
    if bad:
        problems.append(
            Problem(
                source,
                f"control character(s) {', '.join(bad[:5])} in text; names must be printable",
                line,
                field,
                expected="printable text",
                got=", ".join(bad[:5]),
            )
        )
    return problems


_CONTROL = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f]")
_CONTROL_FREE_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


@dataclass(frozen=True)
class SimulationWork:
    """Estimated size of a simulation before it runs."""

    cohorts_per_replication: float
    events: float
    memory_bytes: float

    @property
    def too_large(self) -> bool:
        return self.events > MAX_SIM_EVENTS


EVENTS_PER_COHORT = 40.0
"""Events a cohort causes on a corridor-length path (arrival, a queue and a service per stage)."""
BYTES_PER_LIVE_COHORT = 200.0


def simulation_work(
    volumes: Iterable[tuple[float, float]],
    *,
    days: int,
    warmup_days: int,
    replications: int,
    min_cohorts_per_year: float = 52.0,
) -> SimulationWork:
    """Events of a run: ``volumes`` gives (yearly volume, cohort size) per flow, where a flow sends
    ``max(volume / cohort, min_cohorts_per_year)`` cohorts a year (:class:`corridor.sim.SimRules`)."""
    per_year = sum(max(v / max(c, 1e-9), min_cohorts_per_year) for v, c in volumes if v > 0)
    cohorts = per_year * (days + warmup_days) / 365.0
    events = cohorts * EVENTS_PER_COHORT * replications
    # cohorts in flight at once: about a month of arrivals per worker
    memory = per_year / 12.0 * BYTES_PER_LIVE_COHORT
    return SimulationWork(cohorts, events, memory)
