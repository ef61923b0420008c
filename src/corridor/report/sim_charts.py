"""PNG charts of a simulation: door-to-door histograms per main flow, port backlogs, utilisation."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure

from corridor.atomic import atomic_path
from corridor.sim import ODResult, SimulationResult
from corridor.units import HOURS_PER_DAY


def main_flows(result: SimulationResult, count: int = 6) -> list[ODResult]:
    """The largest container flows (then bulk) that delivered anything."""
    flows = [o for o in result.od if o.histogram]
    flows.sort(key=lambda o: (o.cargo != "container", -o.volume_per_year))
    return flows[:count]


def door_to_door_figure(result: SimulationResult, count: int = 6) -> Figure:
    flows = main_flows(result, count)
    cols = 2 if len(flows) > 1 else 1
    rows = max(1, -(-len(flows) // cols))
    fig, axes = plt.subplots(rows, cols, figsize=(6 * cols, 2.8 * rows), squeeze=False)
    for ax, od in zip(axes.flat, flows, strict=False):
        share = np.asarray(od.histogram)
        per_day = max(1, round(HOURS_PER_DAY / od.bin_h))
        n = -(-share.size // per_day) * per_day
        daily = np.pad(share, (0, n - share.size)).reshape(-1, per_day).sum(axis=1)
        ax.bar(np.arange(daily.size) + 0.5, daily, width=1.0, color="#4477aa", edgecolor="white", linewidth=0.3)
        for label, est, style in (("mean", od.mean_h, "-"), ("P90", od.p90_h, "--")):
            if est.value is not None:
                ax.axvline(
                    est.value / HOURS_PER_DAY,
                    color="#cc3311",
                    linestyle=style,
                    linewidth=1,
                    label=f"{label} {est.value / HOURS_PER_DAY:.1f} d",
                )
        ax.set_title(f"{od.origin} → {od.destination} ({od.cargo})", fontsize=10)
        ax.set_xlabel("door-to-door days")
        ax.set_ylabel("share of cargo")
        tail = int(np.searchsorted(np.cumsum(daily), 0.999)) + 2 if daily.size else 2  # hide the last 0.1%
        ax.set_xlim(0, max(tail, 2))
        ax.legend(fontsize=8, frameon=False)
    for ax in list(axes.flat)[len(flows) :]:
        ax.set_visible(False)
    fig.suptitle(
        f"{result.network} · {result.demand}: door-to-door time ({result.replications} replications)", fontsize=11
    )
    fig.tight_layout()
    return fig


def backlog_figure(result: SimulationResult, count: int = 6) -> Figure:
    fig, ax = plt.subplots(figsize=(10, 4))
    ports = sorted(result.ports, key=lambda p: -max(p.mean_teu, default=0.0))[:count]
    for p in ports:
        days = np.arange(1, len(p.mean_teu) + 1)
        (line,) = ax.plot(days, p.mean_teu, linewidth=1.2, label=p.node)
        ax.fill_between(days, p.mean_teu, p.p95_band_teu, color=line.get_color(), alpha=0.15, linewidth=0)
    ax.set_xlabel("day of the measured period (1 = 1 January)")
    ax.set_ylabel("containers on hand (TEU)")
    ax.set_title("Port backlog: mean across replications, band to mean + 1.96 sd", fontsize=11)
    if ports:
        ax.legend(fontsize=8, frameon=False, ncol=2)
    fig.tight_layout()
    return fig


def utilisation_figure(result: SimulationResult) -> Figure:
    labels = [f"{n.node} {n.cargo} ({n.servers})" for n in result.nodes] + [
        f"{s.service} fleet {s.fleet}" for s in result.services
    ]
    values = [n.utilisation.value or 0.0 for n in result.nodes] + [
        s.fleet_utilisation.value or 0.0 for s in result.services
    ]
    fig, ax = plt.subplots(figsize=(8, 0.35 * max(len(labels), 3) + 1.2))
    colours = ["#4477aa"] * len(result.nodes) + ["#228833"] * len(result.services)
    ax.barh(labels, values, color=colours)
    ax.axvline(1.0, color="grey", linewidth=0.8)
    ax.set_xlim(0, max(1.05, max(values, default=0.0) * 1.05))
    ax.invert_yaxis()
    ax.set_xlabel("utilisation (busy share of the period)")
    ax.set_title("Nodes (servers) and fleets", fontsize=11)
    fig.tight_layout()
    return fig


def write_charts(result: SimulationResult, out_dir: Path) -> list[Path]:
    """Write the three PNGs into ``out_dir``; returns their paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, make in (
        ("door_to_door.png", door_to_door_figure),
        ("port_backlog.png", backlog_figure),
        ("utilisation.png", utilisation_figure),
    ):
        fig = make(result)
        path = out_dir / name
        with atomic_path(path) as tmp:
            fig.savefig(tmp, format="png", dpi=110)
        plt.close(fig)
        written.append(path)
    return written
