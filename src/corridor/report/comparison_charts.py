"""Charts of a scenario comparison: door-to-door times, port backlogs, utilisation and the
appraisal.  Renders a :class:`~corridor.scenario.comparison.Comparison`; computes nothing.
Labels come from :mod:`corridor.report.i18n` so charts follow the report's language."""

from __future__ import annotations

import base64
import io
from itertools import accumulate
from pathlib import Path

from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from corridor.atomic import atomic_path
from corridor.report.i18n import Lang
from corridor.report.maps import draw_network_map
from corridor.scenario.comparison import Comparison, ScenarioResult

ENGLISH = Lang("en")
PALETTE = ("#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf")


def _colour(i: int) -> str:
    return PALETTE[i % len(PALETTE)]


def _figure(width: float, height: float) -> Figure:
    fig = Figure(figsize=(width, height), dpi=90, layout="constrained")
    FigureCanvasAgg(fig)
    return fig


def utilisation_map(result: ScenarioResult, lang: Lang) -> Figure:
    """The network map with links coloured by utilisation (maps.py)."""
    network = result.applied.network
    return draw_network_map(
        network,
        link_values=result.link_utilisation,
        value_label=lang("c_map_label"),
        title=lang("c_map_title", name=result.name),
        highlight_nodes=[b.asset for b in result.bottlenecks if b.kind == "node" and network.has_node(b.asset)][:5],
        words=lang.map_words(),
    )


def draw_door_to_door(comparison: Comparison, ax: Axes, lang: Lang) -> None:
    """Per main OD and scenario: the simulated distribution (box) or routing's P50 to P90 (bar)."""
    results = comparison.results
    labels: list[str] = []
    y = 0.0
    for o, d in comparison.main_ods:
        for i, res in enumerate(results):
            od = next((x for x in res.ods if (x.origin, x.destination) == (o, d)), None)
            if od is not None and od.sim_days:
                ax.boxplot(
                    [list(od.sim_days)],
                    positions=[y],
                    orientation="horizontal",
                    widths=0.6,
                    patch_artist=True,
                    boxprops={"facecolor": _colour(i), "alpha": 0.5},
                    medianprops={"color": "black"},
                    showfliers=False,
                )
            elif od is not None and od.p50_days is not None and od.p90_days is not None:
                ax.plot([od.p50_days, od.p90_days], [y, y], color=_colour(i), linewidth=5, alpha=0.6)
                ax.plot([od.p50_days], [y], "o", color=_colour(i), markeredgecolor="black")
            labels.append(f"{o}→{d} · {res.name}")
            y += 1
        y += 0.6
    positions = []
    y = 0.0
    for _ in comparison.main_ods:
        for _ in results:
            positions.append(y)
            y += 1
        y += 0.6
    ax.set_yticks(positions, labels, fontsize=7)
    ax.invert_yaxis()
    ax.set_xlabel(f"{lang('c_d2d_axis')} ({lang('p50')} ● – {lang('p90')})")
    ax.set_title(lang("c_d2d_title"), fontsize=11)
    ax.grid(axis="x", alpha=0.3)


def draw_backlogs(comparison: Comparison, ax: Axes, lang: Lang) -> bool:
    """Backlog series of the busiest port of each scenario; ``False`` if nothing was simulated."""
    drawn = False
    for i, res in enumerate(comparison.results):
        for backlog in res.backlogs[:2]:
            if backlog.days:
                ax.plot(backlog.days, backlog.teu, color=_colour(i), linewidth=1.1, label=f"{res.name}: {backlog.port}")
                drawn = True
    if drawn:
        ax.legend(fontsize=7, ncols=2)
    ax.set_xlabel(lang("c_backlog_x"))
    ax.set_ylabel(lang("c_backlog_y"))
    ax.set_title(lang("c_backlog_title"), fontsize=11)
    ax.grid(alpha=0.3)
    return drawn


def draw_utilisation(comparison: Comparison, ax: Axes, lang: Lang, *, top: int = 8) -> None:
    """Grouped bars: the capacities that are fullest in any scenario, one bar per scenario."""
    best: dict[str, tuple[float, str]] = {}
    for res in comparison.results:
        for c in res.assignment.constraints:
            if c.utilisation > best.get(c.asset, (-1.0, ""))[0]:
                best[c.asset] = (c.utilisation, c.name)
    assets = sorted(best, key=lambda a: -best[a][0])[:top]
    n = len(comparison.results)
    width = 0.8 / max(n, 1)
    for i, res in enumerate(comparison.results):
        util: dict[str, float] = {}
        for c in res.assignment.constraints:
            util[c.asset] = max(util.get(c.asset, 0.0), c.utilisation)
        xs = [k + i * width - 0.4 + width / 2 for k in range(len(assets))]
        ax.bar(xs, [util.get(a, 0.0) for a in assets], width=width, color=_colour(i), label=res.name)
    ax.set_xticks(range(len(assets)), [best[a][1] for a in assets], rotation=20, ha="right", fontsize=8)
    ax.axhline(1.0, color="#333333", linestyle="--", linewidth=0.8)
    ax.set_ylabel(lang("c_util_axis"))
    ax.set_title(lang("c_util_title"), fontsize=11)
    ax.legend(fontsize=7, ncols=min(n, 5))


def draw_appraisal(comparison: Comparison, npv_ax: Axes, cum_ax: Axes, lang: Lang) -> None:
    """NPV bars and the cumulative discounted net cash flow of each appraised scenario."""
    apps = comparison.appraisals
    names = [a.scenario for a in apps]
    npvs = [a.enpv / 1e6 for a in apps]
    npv_ax.barh(names, npvs, color=["#2ca02c" if v >= 0 else "#d62728" for v in npvs])
    npv_ax.axvline(0, color="#333333", linewidth=0.8)
    npv_ax.set_xlabel(lang("c_npv_axis"))
    npv_ax.set_title(lang("c_npv_title"), fontsize=11)
    npv_ax.invert_yaxis()
    index = {r.name: i for i, r in enumerate(comparison.results)}  # one colour per scenario in every chart
    for a in apps:
        i = index.get(a.scenario, len(index))
        rows = a.profile.rows()
        years = [r["year"] for r in rows]
        cum = [v / 1e6 for v in accumulate(r["economic_net"] * r["economic_discount_factor"] for r in rows)]
        cum_ax.plot(years, cum, color=_colour(i), label=a.scenario, linewidth=1.4)
    cum_ax.axhline(0, color="#333333", linewidth=0.8)
    cum_ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    cum_ax.set_xlabel(lang("c_year"))
    cum_ax.set_ylabel(lang("c_cum_axis"))
    cum_ax.set_title(lang("c_cum_title"), fontsize=11)
    if apps:
        cum_ax.legend(fontsize=7)
    cum_ax.grid(alpha=0.3)


def door_to_door_figure(comparison: Comparison, lang: Lang) -> Figure:
    rows = len(comparison.main_ods) * len(comparison.results)
    fig = _figure(11.0, max(3.0, 0.22 * rows + 1.2))
    draw_door_to_door(comparison, fig.add_subplot(), lang)
    return fig


def backlog_figure(comparison: Comparison, lang: Lang) -> Figure | None:
    fig = _figure(11.0, 4.0)
    return fig if draw_backlogs(comparison, fig.add_subplot(), lang) else None


def utilisation_figure(comparison: Comparison, lang: Lang) -> Figure:
    fig = _figure(11.0, 4.5)
    draw_utilisation(comparison, fig.add_subplot(), lang)
    return fig


def appraisal_figure(comparison: Comparison, lang: Lang) -> Figure | None:
    if not comparison.appraisals:
        return None
    fig = _figure(11.0, 4.0)
    npv_ax, cum_ax = fig.subplots(1, 2)
    draw_appraisal(comparison, npv_ax, cum_ax, lang)
    return fig


def png_base64(fig: Figure) -> str:
    """The figure as a base64 PNG for a ``data:`` URI."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    return base64.b64encode(buf.getvalue()).decode("ascii")


def save_comparison_png(comparison: Comparison, path: str | Path, lang: Lang = ENGLISH) -> Path:
    """Door-to-door times, utilisation, backlogs (if simulated) and appraisal in one PNG."""
    path = Path(path)
    has_backlog = any(b.days for r in comparison.results for b in r.backlogs)
    panels = 2 + int(has_backlog) + int(bool(comparison.appraisals))
    rows = len(comparison.main_ods) * len(comparison.results)
    fig = _figure(12.0, 4.5 * panels + 0.2 * rows)
    grid = fig.add_gridspec(panels, 2, height_ratios=[1.0 + 0.04 * rows] + [1.0] * (panels - 1))
    draw_door_to_door(comparison, fig.add_subplot(grid[0, :]), lang)
    draw_utilisation(comparison, fig.add_subplot(grid[1, :]), lang)
    row = 2
    if has_backlog:
        draw_backlogs(comparison, fig.add_subplot(grid[row, :]), lang)
        row += 1
    if comparison.appraisals:
        draw_appraisal(comparison, fig.add_subplot(grid[row, 0]), fig.add_subplot(grid[row, 1]), lang)
    with atomic_path(path) as tmp:
        fig.savefig(tmp, format="png")
    return path
