"""The comparison as terminal text: the side-by-side table (differences against the reference in
brackets), binding capacities, flows slower than in their base, notes and the appraisal.  Renders;
computes nothing."""

from __future__ import annotations

import textwrap

from corridor.report.appraisal_text import render_appraisals
from corridor.report.table import render_table
from corridor.scenario.appraisal import rank
from corridor.scenario.comparison import Comparison, SlowerFlow

__all__ = ["render_comparison"]


def _value(value: float | None, unit: str) -> str:
    if value is None:
        return "–"
    if unit in ("×",):
        return f"{value:.2f}"
    if unit == "days":
        return f"{value:.1f}"
    return f"{value:,.0f}"


def _delta(value: float | None, base: float | None, unit: str) -> str:
    if value is None or base is None:
        return ""
    diff = value - base
    if abs(diff) < (0.005 if unit in ("×", "days") else 0.5):
        return " (=)"
    text = _value(abs(diff), unit)
    return f" ({'+' if diff > 0 else '−'}{text})"


def render_comparison(comparison: Comparison, *, width: int = 120) -> str:
    """The side-by-side table; every scenario after the first shows its difference in brackets."""
    results = comparison.results
    ref = comparison.reference
    rows = []
    for m in comparison.metrics():
        base = m.value(ref)
        cells = [_value(base, m.unit)]
        cells += [_value(m.value(r), m.unit) + _delta(m.value(r), base, m.unit) for r in results[1:]]
        rows.append([f"{m.label} [{m.unit}]", *cells])
    out = [
        render_table(
            ["metric", *(r.name for r in results)],
            rows,
            title=f"Scenarios compared (differences against {ref.name} in brackets)",
        )
    ]
    sims = [r.simulation.get("replications") for r in results if r.simulation]
    out.append(
        f"  P50/P90 of a pair: simulated door to door ({sims[0]} replications; routing's where a queue grows)"
        if sims
        else "  P50/P90, cost and CO2e of a pair: its fastest route for one 40' container, timed by routing without"
        " the scenario's queues (as corridor route --demand none)"
    )
    out.append("")
    out.append("Binding capacities (utilisation; value of one more TEU of capacity a year)")
    for r in results:
        items = [f"{b.name} {b.utilisation:.0%} (USD {b.value_usd_per_teu:,.0f})" for b in r.bottlenecks]
        out.append(f"  {r.name}: {'; '.join(items) if items else 'none binding'}")
    slower = comparison.slower_flows()
    if slower:
        out += [
            "",
            "Flows slower than in the scenario they build on (assigned mean days; generalized cost per TEU incl. the"
            " value of time; why)",
        ]
        out += [_slower_line(f) for f in slower]
    notes = [f"  {r.name} {od.origin}→{od.destination}: {od.note}" for r in results for od in r.ods if od.note]
    if notes:
        out += ["", "Notes", *notes]
    if comparison.appraisals:
        out += ["", render_appraisals(rank(comparison.appraisals), comparison.assumptions, width=width)]
    # a list item too long for the terminal continues indented under itself
    return "\n".join(
        line
        if len(line) <= width or "\n" in line
        else textwrap.fill(line, width, subsequent_indent="      ", break_on_hyphens=False)
        for line in out
    )


#: The parts of a path's time (:data:`corridor.scenario.comparison.TIME_PARTS`) as the text names them.
_PART_NAMES = {"sailing": "sailing", "wait": "wait for departure", "dwell": "terminal dwell", "overland": "rail/road"}
#: Differences of a time part below this many hours are left out of the text.
_SHOWN_H = 0.05


def _signed(hours: float) -> str:
    return f"{'+' if hours >= 0 else '−'}{abs(hours):.1f}"


def _slower_line(f: SlowerFlow) -> str:
    head = (
        f"  {f.scenario} {f.od} (against {f.base}): {f.reference_days:.1f} → {f.days:.1f} d"
        f" ({(f.days / f.reference_days - 1):+.1%}) on {f.reference_teu:,.0f} → {f.teu:,.0f} TEU"
    )
    if f.reference_cost_usd_per_teu is not None and f.cost_usd_per_teu is not None:
        head += f", USD {f.reference_cost_usd_per_teu:,.0f} → {f.cost_usd_per_teu:,.0f}/TEU"
    if f.by_choice:
        freed = f"{', '.join(f.freed)} no longer full; " if f.freed else ""
        line = f"{head}; by choice: {freed}{f.moved_teu:,.0f} TEU moved to the cheaper, slower {f.moved_to}"
        if f.moved_from and f.extra_hours:
            parts = ", ".join(f"{_PART_NAMES[part]} {_signed(h)} h" for part, h in f.extra_hours if abs(h) >= _SHOWN_H)
            line += f", {_signed(f.extra_h)} h against the {f.moved_from} ({parts})"
        return line
    return f"{head}; held up by {', '.join(f.binding) or 'no full capacity (longer path)'}"
