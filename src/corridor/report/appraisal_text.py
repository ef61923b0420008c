"""The appraisal as terminal tables: ranking with the benefit split, switching values, risk,
package steps and every parameter with its source and who chose it.  Renders; computes nothing."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

from corridor.appraisal import DRIVERS, Appraisal, Parameters
from corridor.report.table import render_table

RULE = (
    "benefits = user (existing traffic: full change in generalised cost; traffic won or lost: rule of a half "
    "against the comparator route when capacity rationed it, else against the base cost) + producer surplus "
    "(revenue − operating cost at 1 − margin of the base rate) + CO2e change × shadow price; costs = capex by "
    "build year (before the start year: sunk, left out) + renewals + opex − residual value, × conversion factor"
)


def _m(value: float | None) -> str:
    if value is None:
        return "–"
    return "0" if abs(value) < 0.5e6 else f"{value / 1e6:,.0f}"


def _change(change: float | None) -> str:
    """A switching value: ``+35%``, ``-85%``, or ``x1,512`` beyond a tenfold rise."""
    if change is None:
        return "none"
    return f"x{change + 1:,.0f}" if change >= 9 else f"{change:+.0%}"


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{value:.1%}"


def _label(a: Appraisal) -> str:
    return f"{a.scenario} (package)" if a.kind == "package" else a.scenario


def render_appraisals(appraisals: Sequence[Appraisal], params: Parameters | None = None, *, width: int = 120) -> str:
    """Every table of an appraisal run, ranked appraisals first, each line at most ``width`` wide."""
    if not appraisals:
        return "nothing appraised"
    p = params or appraisals[0].params
    results, sources = [], []
    for i, a in enumerate(appraisals):
        pv = a.pv_lines
        vol = a.volumes()
        bcr = "–" if a.bcr is None else f"{a.bcr:.2f}"
        results.append([i + 1, _label(a), a.base, _m(a.enpv), _pct(a.eirr), bcr, a.payback_year or "never", _m(a.fnpv)])
        sources.append(
            [
                _label(a),
                _m(pv["user_existing"]),
                _m(pv["user_new"]),
                _m(pv["producer"]),
                _m(pv["co2e"]),
                _m(a.pv_costs),
                f"{vol['teu_change']:,.0f}",
                f"{vol['t_change'] / 1e3:,.0f}",
                int(vol["year"]),
            ]
        )
    first, last = p.start_year, p.start_year + p.horizon_years - 1
    out = [
        render_table(
            ["rank", "scenario", "against", "ENPV", "EIRR", "BCR", "payback", "FNPV"],
            results,
            title=_wrap(
                f"Economic appraisal {first}-{last} at {p.discount_rate:.0%} (FNPV at {p.financial_discount_rate:.0%}), "
                "ranked by ENPV; USD m, present values",
                width,
            ),
            max_width=width,
        ),
        "",
        render_table(
            [
                "scenario",
                "user existing",
                "user new",
                "producer",
                "CO2e",
                "PV costs",
                "extra TEU/yr",
                "extra kt/yr",
                "in",
            ],
            sources,
            title=_wrap(
                "Where the ENPV comes from: benefits to existing and new users, producers and the climate, against the "
                "costs (USD m, present values); extra volume carried a year at full operation, in the scenario's own demand "
                "year (in; as corridor compare counts it)",
                width,
            ),
            max_width=width,
        ),
    ]
    out += ["", _switching(appraisals, width), "", _risk(appraisals, width)]
    packages = [a for a in appraisals if a.steps]
    for a in packages:
        out += ["", _steps(a, width)]
    out += ["", _parameters(p, width), "", _wrap("  " + RULE, width, indent="  ")]
    return "\n".join(out)


def _wrap(text: str, width: int, *, indent: str = "") -> str:
    return textwrap.fill(text, width=width, subsequent_indent=indent, break_on_hyphens=False)


def _switching(appraisals: Sequence[Appraisal], width: int) -> str:
    drivers = ("capex", "demand", "value_of_time", "carbon")
    rows = []
    for a in appraisals:
        sw = {s.driver: s.change for s in a.switching}
        rows.append([_label(a), *(_change(sw[d]) for d in drivers)])
    return render_table(
        ["scenario", *(d.replace("_", " ") for d in drivers)],
        rows,
        title=_wrap(
            "Switching values: the change in each driver that brings ENPV to 0 (x: times the central value; "
            "none: no change of it does); " + "; ".join(DRIVERS[d] for d in drivers),
            width,
        ),
        max_width=width,
    )


def _risk(appraisals: Sequence[Appraisal], width: int) -> str:
    rows = []
    for a in appraisals:
        mc = a.monte_carlo
        if mc is None:
            rows.append([_label(a), "–", "–", "–", "–"])
            continue
        rows.append([_label(a), _m(mc.p10), _m(mc.p50), _m(mc.p90), f"{mc.p_negative:.0%}"])
    p = appraisals[0].params
    return render_table(
        ["scenario", "P10 ENPV", "P50 ENPV", "P90 ENPV", "P(ENPV<0)"],
        rows,
        title=_wrap(
            f"Monte Carlo, {p.replications:,} draws, seed {p.seed}: capex x triangular({p.capex_overrun_low:g}, "
            f"{p.capex_overrun_mode:g}, {p.capex_overrun_high:g}), demand x ({p.demand_low:g}, 1, {p.demand_high:g}), "
            f"value of time x ({p.value_of_time_low:g}, 1, {p.value_of_time_high:g}), carbon x "
            f"({p.carbon_low:g}, 1, {p.carbon_high:g}); USD m",
            width,
        ),
        max_width=width,
    )


def _steps(a: Appraisal, width: int) -> str:
    rows = [
        [s.note, s.scenario, s.base, _m(s.enpv), _pct(s.eirr), "–" if s.bcr is None else f"{s.bcr:.2f}"]
        for s in a.steps
    ]
    rows.append(["together", a.scenario, a.base, _m(a.enpv), _pct(a.eirr), "–" if a.bcr is None else f"{a.bcr:.2f}"])
    return render_table(
        ["step", "scenario", "against", "ENPV", "EIRR", "BCR"],
        rows,
        title=_wrap(
            f"Package {a.scenario}: each step against the one before it (build order), then all together; USD m", width
        ),
        max_width=width,
    )


def _parameters(p: Parameters, width: int) -> str:
    lines = ["Parameters (default: the documented value; otherwise who chose it)"]
    for par in p.describe():
        value = f"{par.value:.0f}" if par.key in ("start_year", "seed") else f"{par.value:,.4g}"
        who = f"chosen by {par.chosen_by}" if par.chosen_by else "default"
        unit = f" {par.unit}" if par.unit else ""
        lines.append(_wrap(f"  {par.key} = {value}{unit} [{who}] — {par.label}; {par.source}", width, indent="      "))
    return "\n".join(lines)
