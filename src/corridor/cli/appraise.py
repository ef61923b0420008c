"""``corridor appraise``: economic cost–benefit analysis of scenarios against their base, ranked by
ENPV, with switching values, Monte Carlo risk and every parameter printed with its source."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import click

from corridor.cli._common import OutputFile, echo_json, json_option, limited
from corridor.errors import InputError
from corridor.report.appraisal_text import render_appraisals
from corridor.scenario.appraisal import DEFAULT_TRAJECTORY, AppraisalRun, appraise_scenarios, rank
from corridor.schemas import dump

__all__ = ["appraise_command"]

#: Shortcut options → parameter names (every parameter is also reachable with --set).
SHORTCUTS = {
    "horizon": "horizon_years",
    "discount": "discount_rate",
    "start_year": "start_year",
    "value_of_time": "value_of_time_usd_per_teu_day",
    "replications": "replications",
    "seed": "seed",
}


def _settings(values: tuple[str, ...]) -> dict[str, str]:
    out = {}
    for item in values:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise InputError(f"--set expects NAME=VALUE such as discount_rate=0.09, got {item!r}")
        out[key.strip()] = value.strip()
    return out


@click.command("appraise")
@click.argument("scenarios", nargs=-1, required=True, metavar="SCENARIO...")
@click.option("--base", metavar="SCENARIO", help="Appraise against this scenario instead of each one's parent.")
@click.option("--horizon", type=limited("horizon"), help="Years appraised (parameter horizon_years; default 30).")
@click.option("--discount", type=limited("discount"), help="Social discount rate, real (discount_rate; default 0.05).")
@click.option(
    "--start-year", type=limited("start_year"), help="First appraisal year, year 0 (start_year; default 2025)."
)
@click.option(
    "--value-of-time", type=limited("margin"), help="USD per TEU-day (value_of_time_usd_per_teu_day; default 120)."
)
@click.option("--set", "settings", multiple=True, metavar="NAME=VALUE", help="Any parameter (repeatable).")
@click.option(
    "--trajectory",
    metavar="DEMAND,...",
    help=f"Demand sets the profile runs through (default {','.join(DEFAULT_TRAJECTORY)}).",
)
@click.option("--replications", type=limited("replications"), help="Monte Carlo draws (default 2000).")
@click.option("--seed", type=limited("seed"), help="Monte Carlo seed.")
@click.option("--no-risk", is_flag=True, help="Skip the Monte Carlo.")
@click.option(
    "--workers", type=limited("workers"), default=1, show_default=True, help="Local processes for the Monte Carlo."
)
@click.option("--scheduler", metavar="ADDRESS", help="Run the Monte Carlo on a Dask cluster (tcp://host:8786).")
@click.option(
    "--chart",
    type=OutputFile(),
    help="Write a PNG: cash-flow profile per scenario, tornado, ENPV distribution.",
)
@json_option
def appraise_command(
    scenarios: tuple[str, ...],
    base: str | None,
    settings: tuple[str, ...],
    trajectory: str | None,
    no_risk: bool,
    workers: int,
    scheduler: str | None,
    chart: Path | None,
    as_json: bool,
    **shortcuts: Any,
) -> None:
    """Economic appraisal of scenarios against their base (EC 2014 CBA guide): ENPV, EIRR, BCR,
    payback, FNPV, switching values and P10/P50/P90 ENPV, ranked by ENPV.

    Scenario and base run through the same demand trajectory; per origin-destination pair, users
    gain the change in generalised cost (tariff + handling + time and reliability at the value of
    time) on existing traffic and half of it on traffic won from the comparator routes; producer
    surplus and CO2e are separate lines. Every parameter is printed with its source and whether it
    is the default, set in the scenario file (appraisal:) or chosen here.
    """
    overrides: dict[str, Any] = {}
    chosen: dict[str, str] = {}
    for option, key in SHORTCUTS.items():
        if shortcuts.get(option) is not None:
            overrides[key] = shortcuts[option]
            chosen[key] = "--" + option.replace("_", "-")
    for key, value in _settings(settings).items():
        overrides[key] = value
        chosen[key] = f"--set {key}"
    run = AppraisalRun(
        overrides=overrides, chosen_by=chosen, monte_carlo=not no_risk, workers=workers, scheduler=scheduler
    )
    if trajectory:
        run.trajectory = tuple(t.strip() for t in trajectory.split(",") if t.strip())
        run.chosen_by = {**chosen, "trajectory": "--trajectory"}
    ranked = rank(appraise_scenarios(list(scenarios), run, base=base))
    if chart is not None:
        from corridor.report.appraisal_charts import write_appraisal_chart

        write_appraisal_chart(ranked, chart)
    if as_json:
        echo_json(dump("appraisal", {"ranking": [a.to_json() for a in ranked]}))
        return
    click.echo(render_appraisals(ranked, width=shutil.get_terminal_size((120, 24)).columns))
    if chart is not None:
        click.echo(f"\nwrote {chart}")
