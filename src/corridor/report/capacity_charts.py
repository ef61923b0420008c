"""Charts of a capacity assignment: utilisation bars of the fullest capacities, where each flow's
demand ends (carried / diverted / not moved) and a map of the network coloured by link
utilisation.  Renders an :class:`AssignmentResult`; computes nothing."""

from __future__ import annotations

from pathlib import Path

from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from corridor.atomic import atomic_path
from corridor.capacity import AssignmentResult
from corridor.errors import InputError
from corridor.network import Network
from corridor.report.maps import draw_network_map

_UNIT = {"teu": "TEU", "t": "t", "trains": "trains", "wagons": "wagons"}


def _colour(util: float) -> str:
    if util >= 0.999:
        return "#b2182b"
    if util >= 0.85:
        return "#ef8a62"
    if util >= 0.6:
        return "#fddbc7"
    return "#92c5de"


def draw_utilisation_bars(result: AssignmentResult, ax: Axes, *, top: int = 15) -> None:
    """Horizontal bars: the ``top`` fullest capacities (asset, unit, direction), binding ones marked."""
    rows = sorted(result.constraints, key=lambda c: (-c.utilisation, c.asset))[:top]
    rows.reverse()
    labels = [
        f"{c.name} [{_UNIT[c.unit]}{', ' + c.direction if c.direction else ''}]"
        + (f"  ${c.shadow_price_per_teu:,.0f}/TEU" if c.shadow_price > 0 else "")
        for c in rows
    ]
    values = [c.utilisation for c in rows]
    ax.barh(range(len(rows)), values, color=[_colour(v) for v in values], edgecolor="#555555", linewidth=0.5)
    ax.set_yticks(range(len(rows)), labels, fontsize=8)
    ax.axvline(1.0, color="#333333", linewidth=0.8, linestyle="--")
    ax.set_xlim(0, max([1.05, *[v * 1.05 for v in values]]))
    ax.set_xlabel("utilisation of effective annual capacity (after closures)")
    title = f"Fullest capacities — {result.demand}" + (f" × {result.growth:g}" if result.growth != 1 else "")
    if result.solver.get("max_growth", True):
        title += "; max uniform growth " + ("unlimited" if result.max_growth is None else f"× {result.max_growth:.3g}")
    ax.set_title(title, fontsize=11)


def draw_flow_shares(result: AssignmentResult, ax: Axes, *, top: int = 15) -> None:
    """Stacked bars per flow (the ``top`` largest container and bulk flows): the shares of its
    demand carried on the corridor, diverted to the comparator routes and not moved."""
    ods = sorted(result.ods, key=lambda od: (od.unit != "teu", -od.demand))[:top]
    ods.reverse()
    shares = [od.shares() for od in ods]
    left = [0.0] * len(ods)
    for key, colour, label in (
        ("carried", "#4393c3", "carried on the corridor"),
        ("diverted", "#f4a582", "diverted (Northern route, sea)"),
        ("not_moved", "#b2182b", "not moved"),
    ):
        widths = [s[key] or 0.0 for s in shares]
        ax.barh(range(len(ods)), widths, left=left, color=colour, edgecolor="#555555", linewidth=0.5, label=label)
        left = [a + b for a, b in zip(left, widths, strict=True)]
    labels = [f"{od.origin}→{od.destination} {od.cargo} ({od.demand:,.0f} {_UNIT[od.unit]})" for od in ods]
    ax.set_yticks(range(len(ods)), labels, fontsize=8)
    ax.set_xlim(0, 1)
    ax.set_xlabel("share of the flow's demand")
    total = result.shares()["teu"]
    carried = total["carried"]
    ax.set_title(
        "Where demand goes"
        + (f" — {carried:.0%} of container TEU carried" if carried is not None else "")
        + (" (system optimum)" if result.objective == "system" else " (route choice)"),
        fontsize=11,
    )
    ax.legend(loc="lower right", fontsize=8)


def capacity_figure(result: AssignmentResult, network: Network, *, top: int = 15) -> Figure:
    """A figure with the network map coloured by link utilisation above utilisation bars and the
    carried / diverted / not-moved shares of the largest flows."""
    if network.name != result.network:
        raise InputError(f"result is for network {result.network!r}, not {network.name!r}")
    fig = Figure(figsize=(16.0, 17.0), dpi=100, layout="constrained")
    FigureCanvasAgg(fig)
    grid = fig.add_gridspec(3, 1, height_ratios=[1.5, 1.0, 1.0])
    values = {a.id: a.utilisation for a in result.links if a.utilisation is not None}
    draw_network_map(
        network,
        link_values=values,
        value_label="link utilisation (highest of its capacities and services)",
        title=f"Capacity utilisation — {result.demand} on {result.network} (full nodes ringed)",
        highlight_nodes=[a.id for a in result.nodes if a.utilisation is not None and a.utilisation >= 0.999],
        ax=fig.add_subplot(grid[0]),
    )
    draw_utilisation_bars(result, fig.add_subplot(grid[1]), top=top)
    draw_flow_shares(result, fig.add_subplot(grid[2]), top=top)
    return fig


def save_capacity_charts(result: AssignmentResult, network: Network, path: str | Path, *, top: int = 15) -> Path:
    """Write :func:`capacity_figure` as a PNG (atomically: a temporary file, then renamed)."""
    path = Path(path)
    fig = capacity_figure(result, network, top=top)
    with atomic_path(path) as tmp:
        fig.savefig(tmp, format="png")
    return path
