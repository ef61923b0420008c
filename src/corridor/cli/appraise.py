"""``corridor appraise``: investment scenarios ranked by NPV, with every assumption printed."""

from __future__ import annotations

import click

from corridor.cli._common import echo_json, json_option, limited
from corridor.report.table import render_table
from corridor.scenario.appraisal import Appraisal, Assumptions, rank
from corridor.scenario.comparison import appraise_scenarios
from corridor.schemas import dump


def render_appraisals(appraisals: list[Appraisal], assumptions: Assumptions) -> str:
    rows = [
        [
            i + 1,
            a.scenario,
            a.base,
            f"{a.extra_teu_per_year:,.0f}",
            f"{a.days_saved:.2f}",
            f"{a.capex / 1e6:,.0f}",
            f"{a.npv / 1e6:,.0f}",
            "–" if a.bcr is None else f"{a.bcr:.2f}",
            a.payback_year or "never",
        ]
        for i, a in enumerate(appraisals)
    ]
    table = render_table(
        [
            "rank",
            "scenario",
            "against",
            "extra TEU/yr",
            "days saved",
            "capex USD m",
            "NPV USD m",
            "BCR",
            "payback",
        ],
        rows,
        title=(f"Appraisal over {assumptions.horizon_years} years at {assumptions.discount_rate:.0%} (ranked by NPV)"),
    )
    lines = [table, "", "Assumptions"]
    for a in assumptions.describe():
        value = f"{a.value:.0f}" if a.key == "start_year" else f"{a.value:,.4g}"
        lines.append(f"  {a.label}: {value} {a.unit} — {a.basis}".replace("  —", " —"))
    lines.append(
        "  benefits = extra volume x margin + days saved x (base TEU + half the extra TEU) x value of time; "
        "capex spread over build years; no residual value"
    )
    return "\n".join(lines)


@click.command("appraise")
@click.argument("scenarios", nargs=-1, required=True, metavar="SCENARIO...")
@click.option("--horizon", type=limited("horizon"), default=20, show_default=True, help="Years appraised.")
@click.option(
    "--discount", type=limited("discount"), default=0.08, show_default=True, help="Discount rate a year (0.08 = 8%)."
)
@click.option(
    "--start-year", type=limited("start_year"), default=2025, show_default=True, help="First appraisal year (year 0)."
)
@click.option(
    "--value-of-time",
    type=limited("margin"),
    default=Assumptions().value_of_time_usd_per_teu_day,
    show_default=True,
    help="USD per TEU-day saved.",
)
@click.option(
    "--margin-teu",
    type=limited("margin"),
    default=Assumptions().margin_usd_per_teu,
    show_default=True,
    help="USD per extra TEU.",
)
@click.option(
    "--margin-t",
    type=limited("margin"),
    default=Assumptions().margin_usd_per_t,
    show_default=True,
    help="USD per extra tonne.",
)
@click.option("--base", metavar="SCENARIO", help="Appraise against this scenario instead of each one's parent.")
@json_option
def appraise_command(
    scenarios: tuple[str, ...],
    horizon: int,
    discount: float,
    start_year: int,
    value_of_time: float,
    margin_teu: float,
    margin_t: float,
    base: str | None,
    as_json: bool,
) -> None:
    """Rank investment scenarios by NPV: extra volume served and time saved against capex and opex.

    Each scenario is compared with the scenario it inherits from (or --base): the capacity engine
    gives the volume served and the door-to-door time of each origin–destination pair; the difference, valued at the
    stated margins and value of time, is set against the investments' capex and opex over the
    horizon. Prints NPV, benefit–cost ratio and payback year, with every assumption and its source.
    """
    assumptions = Assumptions(
        horizon_years=horizon,
        discount_rate=discount,
        start_year=start_year,
        value_of_time_usd_per_teu_day=value_of_time,
        margin_usd_per_teu=margin_teu,
        margin_usd_per_t=margin_t,
    )
    ranked = rank(appraise_scenarios(list(scenarios), assumptions, base=base))
    if as_json:
        echo_json(dump("appraisal", {"ranking": [a.to_json() for a in ranked]}))
        return
    if not ranked:
        click.echo("no scenario has investments of its own (use --base to appraise a policy against a scenario)")
        return
    click.echo(render_appraisals(ranked, assumptions))
