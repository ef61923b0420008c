"""Appraisal charts: the cash-flow profile of each scenario, its tornado, and the Monte Carlo
ENPV distributions.  Each scenario keeps one colour in every chart (:func:`scenario_colours`).
Renders a list of :class:`~corridor.appraisal.Appraisal`; computes nothing."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from itertools import accumulate
from pathlib import Path

import numpy as np
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from corridor.appraisal import DRIVERS, Appraisal
from corridor.atomic import atomic_path

PALETTE = ("#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf")

#: Colours of the benefit and cost lines of a profile (the same in every profile).
LINE_COLOURS = {
    "user_existing": "#4c72b0",
    "user_new": "#8fb3e0",
    "producer": "#55a868",
    "co2e_value": "#937860",
    "capex": "#c44e52",
    "renewals": "#e8a0a2",
    "opex": "#dd8452",
    "residual": "#8172b3",
}


def _label(a: Appraisal) -> str:
    return f"{a.scenario} (package)" if a.kind == "package" else a.scenario


def scenario_colours(appraisals: Sequence[Appraisal]) -> dict[str, str]:
    """One colour per appraised scenario label, in the order first given."""
    out: dict[str, str] = {}
    for a in appraisals:
        out.setdefault(_label(a), PALETTE[len(out) % len(PALETTE)])
    return out


def draw_profile(a: Appraisal, ax: Axes, colour: str) -> None:
    """Yearly benefit lines (up) and costs (down), USD m, with the cumulative discounted net."""
    rows = a.profile.rows()
    years = np.array([r["year"] for r in rows])
    up = np.zeros(len(rows))
    down = np.zeros(len(rows))
    for key in ("user_existing", "user_new", "producer", "co2e_value", "residual"):
        vals = np.array([r[key] for r in rows]) / 1e6
        pos, neg = np.clip(vals, 0, None), np.clip(vals, None, 0)
        ax.bar(years, pos, bottom=up, color=LINE_COLOURS[key], width=0.8, label=key.replace("_", " "))
        ax.bar(years, neg, bottom=down, color=LINE_COLOURS[key], width=0.8)
        up += pos
        down += neg
    for key in ("capex", "renewals", "opex"):
        vals = -np.array([r[key] for r in rows]) / 1e6
        ax.bar(years, vals, bottom=down, color=LINE_COLOURS[key], width=0.8, label=key)
        down += vals
    cum = list(accumulate(r["economic_net"] * r["economic_discount_factor"] / 1e6 for r in rows))
    twin = ax.twinx()
    twin.plot(years, cum, color=colour, linewidth=2.0, label="cumulative discounted net")
    twin.axhline(0, color="#333333", linewidth=0.6, linestyle=":")
    twin.set_ylabel("cumulative, USD m", fontsize=7)
    twin.tick_params(labelsize=7)
    ax.axhline(0, color="#333333", linewidth=0.8)
    ax.set_title(f"{_label(a)} vs {a.base}: ENPV {a.enpv / 1e6:,.0f} m", fontsize=9, color=colour)
    ax.set_ylabel("USD m a year", fontsize=7)
    ax.tick_params(labelsize=7)


def draw_tornado(a: Appraisal, ax: Axes, colour: str) -> None:
    """ENPV at −swing and +swing of each driver, around the central ENPV (USD m)."""
    bars = a.tornado
    centre = a.enpv / 1e6
    labels = [DRIVERS[b.driver] for b in bars]
    for i, b in enumerate(bars):
        lo, hi = b.low / 1e6, b.high / 1e6
        ax.barh(i, lo - centre, left=centre, color=colour, alpha=0.45, height=0.6)
        ax.barh(i, hi - centre, left=centre, color=colour, alpha=0.95, height=0.6)
    ax.axvline(centre, color="#333333", linewidth=0.8)
    ax.axvline(0, color="#999999", linewidth=0.6, linestyle=":")
    ax.set_yticks(range(len(bars)), labels, fontsize=7)
    ax.invert_yaxis()
    swing = a.params.sensitivity_swing
    ax.set_title(f"{_label(a)}: ENPV at ±{swing:.0%} (light −, dark +)", fontsize=9, color=colour)
    ax.set_xlabel("ENPV, USD m", fontsize=7)
    ax.tick_params(labelsize=7)


def draw_distribution(appraisals: Sequence[Appraisal], ax: Axes, colours: Mapping[str, str]) -> None:
    """Monte Carlo ENPV of each scenario as a step histogram, P10/P50/P90 marked."""
    for a in appraisals:
        mc = a.monte_carlo
        if mc is None:
            continue
        values = np.asarray(mc.enpv) / 1e6
        c = colours[_label(a)]
        ax.hist(
            values, bins=40, histtype="step", color=c, linewidth=1.4, label=f"{_label(a)} (P(<0) {mc.p_negative:.0%})"
        )
        for q in (mc.p10, mc.p50, mc.p90):
            ax.axvline(q / 1e6, color=c, linewidth=0.6, linestyle="--")
    ax.axvline(0, color="#333333", linewidth=0.8)
    ax.set_xlabel("ENPV, USD m", fontsize=8)
    ax.set_ylabel("draws", fontsize=8)
    ax.set_title("Monte Carlo ENPV (dashed: P10, P50, P90)", fontsize=9)
    ax.legend(fontsize=7)


def appraisal_figure(appraisals: Sequence[Appraisal], colours: Mapping[str, str] | None = None) -> Figure:
    """Profiles and tornados side by side (one row per scenario), the ENPV distribution below.
    ``colours`` (scenario label → colour) keeps a report's colours; by default :func:`scenario_colours`."""
    colours = {**scenario_colours(appraisals), **(colours or {})}
    n = max(len(appraisals), 1)
    fig = Figure(figsize=(13.0, 3.0 * n + 3.5), dpi=90, layout="constrained")
    FigureCanvasAgg(fig)
    grid = fig.add_gridspec(n + 1, 2, width_ratios=(1.6, 1.0))
    for i, a in enumerate(appraisals):
        c = colours[_label(a)]
        draw_profile(a, fig.add_subplot(grid[i, 0]), c)
        draw_tornado(a, fig.add_subplot(grid[i, 1]), c)
    if appraisals:
        fig.axes[0].legend(fontsize=6, ncols=4, loc="upper left")
    draw_distribution(appraisals, fig.add_subplot(grid[n, :]), colours)
    return fig


def write_appraisal_chart(appraisals: Sequence[Appraisal], path: Path) -> None:
    """Write :func:`appraisal_figure` as a PNG, atomically (corridor.atomic)."""
    fig = appraisal_figure(appraisals)
    with atomic_path(path) as tmp:
        fig.savefig(tmp, format="png")
