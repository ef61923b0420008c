"""``corridor compare``: scenarios side by side, differences against the first explicit."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import click

from corridor.cli._common import OutputFile, echo_json, json_option, limited
from corridor.cli.appraise import render_appraisals
from corridor.report.table import render_table
from corridor.scenario.appraisal import rank
from corridor.scenario.comparison import Comparison, compare
from corridor.schemas import dump


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
    out.append("")
    out.append("Binding capacities (utilisation; value of one more TEU of capacity a year)")
    for r in results:
        items = [f"{b.name} {b.utilisation:.0%} (USD {b.value_usd_per_teu:,.0f})" for b in r.bottlenecks]
        out.append(f"  {r.name}: {'; '.join(items) if items else 'none binding'}")
    slower = comparison.slower_flows()
    if slower:
        out += [
            "",
            "Flows slower than in the scenario they build on (assigned mean days; full capacities on their paths)",
        ]
        out += [
            f"  {f.scenario} {f.od} (against {f.base}): {f.reference_days:.1f} → {f.days:.1f} d"
            f" ({(f.days / f.reference_days - 1):+.0%}); held up by {', '.join(f.binding) or 'no full capacity (longer path)'}"
            for f in slower
        ]
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


@click.command("compare")
@click.argument("scenarios", nargs=-1, required=True, metavar="SCENARIO...")
@click.option("--png", "png", type=OutputFile(), help="Write comparison charts to FILE.")
@click.option("--sim/--no-sim", "with_sim", default=False, show_default=True, help="Also run the simulation.")
@click.option(
    "--replications",
    type=limited("replications"),
    default=3,
    show_default=True,
    help="Simulation replications per scenario.",
)
@click.option(
    "--seed", type=limited("seed"), default=2024, show_default=True, help="Seed of the simulation's random streams."
)
@json_option
def compare_command(
    scenarios: tuple[str, ...], png: Path | None, with_sim: bool, replications: int, seed: int, as_json: bool
) -> None:
    """Run the engines on each scenario and print them side by side.

    SCENARIO is a bundled name (baseline-2024, aktau-container-hub, …) or a YAML file. The first
    is the reference: every other column shows its difference. Rows: volume served and unserved,
    maximum growth, mean door-to-door time, P50/P90 time, cost per FEU and CO2e per TEU on the
    main origin–destination pairs, port backlog peaks (with --sim); then the top bottlenecks and,
    for scenarios with investments, the appraisal against the scenario they inherit from.
    """
    simulate = None
    if with_sim:
        from corridor.scenario.simulation import simulator

        simulate = simulator(replications=replications, seed=seed)
    result = compare(list(scenarios), simulate=simulate)
    if png is not None:
        from corridor.report.comparison_charts import save_comparison_png

        save_comparison_png(result, png)
    if as_json:
        echo_json(dump("comparison", result.to_json()))
        return
    click.echo(render_comparison(result, width=shutil.get_terminal_size((120, 24)).columns))
    if png is not None:
        click.echo(f"\nwrote {png}")
