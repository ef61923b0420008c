"""Text renderers of tracking results: predicted arrival, evaluation, calibration, delays."""

from __future__ import annotations

from datetime import datetime

from corridor.report.table import render_table
from corridor.tracking.calibrate import Calibration
from corridor.tracking.eta import Eta
from corridor.tracking.evaluate import Evaluation
from corridor.tracking.operations import Operations
from corridor.tracking.performance import Delays
from corridor.units import HOURS_PER_DAY


def _t(t: datetime | None) -> str:
    return "–" if t is None else t.strftime("%Y-%m-%d %H:%M")


def _signed(hours: float) -> str:
    return f"{hours:+.1f}"


def render_eta(eta: Eta) -> str:
    """The milestones ahead with P10/P50/P90 and the plan; the ones passed with their actual times."""
    lines = [
        f"Shipment {eta.booking}: {eta.status}, at {eta.position} for {eta.elapsed_h:.1f} h (as of {_t(eta.as_of)} UTC)"
    ]
    rows = [[m.node, m.name, "actual", _t(m.actual), "", "", _t(m.planned)] for m in eta.passed]
    rows += [
        [
            m.node,
            m.name,
            "",
            _t(m.p10),
            _t(m.p50),
            _t(m.p90),
            _t(m.planned),
        ]
        for m in eta.milestones
    ]
    lines.append(render_table(["node", "name", "", "P10 / actual", "P50", "P90", "planned"], rows))
    if eta.milestones:
        d = eta.milestones[-1]
        late = (d.p50 - d.planned).total_seconds() / 3600.0
        lines.append(f"Arrival at {d.name}: P50 {_t(d.p50)} ({_signed(late)} h against plan), P90 {_t(d.p90)}")
    return "\n".join(lines)


def render_evaluation(ev: Evaluation) -> str:
    rows = [
        [
            s.scope,
            f"{s.n:,}",
            f"{s.mae_h:.1f}",
            f"{s.baseline_mae_h:.1f}",
            f"{s.improvement:.0%}",
            f"{s.coverage:.1%}",
            f"{s.baseline_coverage:.1%}",
        ]
        for s in ev.scores
    ]
    head = (
        f"Replay of {ev.events:,} events of {ev.shipments:,} shipments on {ev.network}: "
        f"{ev.predictions:,} predictions (one after each actual event)"
    )
    table = render_table(
        ["milestone", "n", "MAE P50 h", "baseline MAE h", "better by", "P10-P90 coverage", "baseline coverage"],
        rows,
    )
    return head + "\n" + table + "\nbaseline: the planned schedule (typical stage times from the planned departure)"


def render_calibration(cal: Calibration, *, top: int = 15) -> str:
    rows = [
        [
            s.kind,
            s.where,
            s.n,
            f"{s.prior[0]:.1f} / {s.prior[1]:.1f}",
            f"{s.data[0]:.1f} / {s.data[1]:.1f}",
            f"{s.posterior[0]:.1f} / {s.posterior[1]:.1f}",
            f"{s.weight:.2f}",
        ]
        for s in sorted(cal.stages, key=lambda s: -abs(s.posterior[0] - s.prior[0]))[:top]
    ]
    head = (
        f"Calibrated {cal.network.name} {cal.network.version} from {cal.events:,} events "
        f"({_t(cal.first)} to {_t(cal.last)}); {len(cal.stages)} stages re-estimated, tau2 {cal.tau2:.3f}"
    )
    table = render_table(
        ["stage", "where", "n", "bundled median/P90 h", "data", "calibrated", "weight"],
        rows,
        title=f"largest changes (top {min(top, len(cal.stages))})",
    )
    seasons = (
        "seasons: "
        + "; ".join(
            f"{c.target} months {min(c.months)}-{max(c.months)} slower: closure {c.closed_share:.0%} x {c.episode_mean_h:.0f} h"
            for c in cal.seasons
        )
        if cal.seasons
        else "seasons: pooled (no node has two quarters with enough stages that differ)"
    )
    return head + "\n" + table + "\n" + seasons


def render_delays(result: Delays, *, top: int = 15) -> str:
    rows = [
        [
            r.segment,
            r.month,
            r.n,
            f"{r.planned_h:.1f}",
            f"{r.actual_h:.1f}",
            _signed(r.mean_delay_h),
            f"{r.total_delay_h:,.0f}",
            f"{r.late_share:.0%}",
        ]
        for r in result.by_segment_month[:top]
    ]
    return render_table(
        ["segment", "month", "stages", "planned h", "actual h", "mean delay h", "total delay h", "late"],
        rows,
        title=f"Where the corridor loses time against plan ({len(result.stages):,} stages observed)",
    )


def render_operations(result: Operations) -> str:
    """The Caspian ports now: queue from the events, recent port times, closures in season."""

    def h(x: float | None) -> str:
        return "-" if x is None else f"{x:.1f}"

    rows = [
        [
            p.name,
            p.waiting,
            h(p.waiting_max_h),
            p.recent_n,
            h(p.recent_median_h),
            h(p.bundled_dwell_h),
            ", ".join(f"{c.closed_share:.0%} x {c.episode_mean_h:.0f} h" for c in p.closures) or "-",
        ]
        for p in result.ports
    ]
    window = result.window_h / HOURS_PER_DAY
    return render_table(
        ["port", "waiting", "longest h", f"done {window:.0f} d", "median h", "bundled dwell h", "closures in season"],
        rows,
        title=f"Caspian ports as of {result.as_of:%Y-%m-%d %H:%M} UTC ({result.network})",
    )
