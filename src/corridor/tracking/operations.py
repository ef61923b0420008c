"""The operations view: the Caspian ports' queues now, from the corridor's own events, and closures in season.

For each Caspian port of the network (a ``port`` node in a Caspian littoral state, :data:`CASPIAN`):

* **waiting** — tracked shipments whose last actual event on their route is the arrival there (they
  have arrived and not departed), with how long they have waited so far;
* **recent** — the port stages other shipments *completed* (arrival → departure) in the last
  ``window_h`` hours: count and median, beside the network's bundled median dwell;
* **closures in season** — the network's closure rules whose months include the current one (the
  share of time closed and the mean episode, as the model uses them).

Only events known at ``now`` count.  The whole network's closures in season are listed too.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from statistics import median
from typing import Any, Final

from corridor.network import Closure, Network
from corridor.tracking.events import EventLog, utc
from corridor.tracking.shipment import TrackedShipment
from corridor.units import HOURS_PER_DAY

SCHEMA: Final = "corridor.operations/1"
#: Countries on the Caspian Sea (ISO 3166 alpha-2).
CASPIAN: Final = frozenset({"KZ", "TM", "AZ", "RU", "IR"})
WINDOW_H: Final = 14 * HOURS_PER_DAY


def _iso(t: datetime) -> str:
    return t.isoformat(timespec="seconds").replace("+00:00", "Z")


@dataclass(frozen=True, slots=True)
class ClosureNow:
    id: str
    target: str
    target_name: str
    closed_share: float
    episode_mean_h: float
    months: tuple[int, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "target": self.target,
            "target_name": self.target_name,
            "closed_share": self.closed_share,
            "episode_mean_h": self.episode_mean_h,
            "months": list(self.months),
        }


@dataclass(frozen=True, slots=True)
class PortNow:
    node: str
    name: str
    country: str
    waiting: int
    waiting_max_h: float | None
    waiting_median_h: float | None
    recent_n: int
    recent_median_h: float | None
    bundled_dwell_h: float | None
    closures: tuple[ClosureNow, ...]

    def to_json(self) -> dict[str, Any]:
        def r(x: float | None) -> float | None:
            return None if x is None else round(x, 1)

        return {
            "node": self.node,
            "name": self.name,
            "country": self.country,
            "waiting": self.waiting,
            "waiting_max_h": r(self.waiting_max_h),
            "waiting_median_h": r(self.waiting_median_h),
            "recent_completed": self.recent_n,
            "recent_median_h": r(self.recent_median_h),
            "bundled_dwell_h": self.bundled_dwell_h,
            "closures_in_season": [c.to_json() for c in self.closures],
        }


@dataclass(frozen=True, slots=True)
class Operations:
    network: str
    as_of: datetime
    window_h: float
    ports: tuple[PortNow, ...]
    closures: tuple[ClosureNow, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "schema": SCHEMA,
            "network": self.network,
            "as_of": _iso(self.as_of),
            "window_h": self.window_h,
            "ports": [p.to_json() for p in self.ports],
            "closures_in_season": [c.to_json() for c in self.closures],
        }


def _in_season(network: Network, closures: Iterable[Closure], month: int) -> tuple[ClosureNow, ...]:
    names = {n.id: n.name for n in network.nodes}
    out = []
    for c in closures:
        if month in c.months:
            name = names.get(c.target) or (network.link(c.target).id if network.has_link(c.target) else c.target)
            out.append(ClosureNow(c.id, c.target, name, c.closed_share, c.episode_mean_h, tuple(sorted(c.months))))
    return tuple(out)


def operations(
    network: Network,
    shipments: Sequence[TrackedShipment],
    events: EventLog,
    now: datetime,
    *,
    window_h: float = WINDOW_H,
) -> Operations:
    """The Caspian ports' queues and the closures in season at ``now`` (module docstring)."""
    now = utc(now)
    ports = [n for n in network.nodes if n.kind == "port" and n.country in CASPIAN]
    wanted = {p.id for p in ports}
    waiting: dict[str, list[float]] = {p: [] for p in wanted}
    recent: dict[str, list[float]] = {p: [] for p in wanted}
    since = now - timedelta(hours=window_h)
    for ship in shipments:
        index = {n: i for i, n in enumerate(ship.nodes)}
        last: tuple[int, int, datetime] | None = None  # (node index, 0 arrive / 1 depart, time)
        arrived: dict[int, datetime] = {}
        for e in events.effective(ship.booking, until=now):
            if not e.is_actual or e.event_time > now or e.location not in index:
                continue
            k = index[e.location]
            step = 0 if e.movement == "arrive" else 1 if e.movement == "depart" else -1
            if step < 0:
                continue
            if step == 0:
                arrived.setdefault(k, e.event_time)
            elif k in arrived and e.location in wanted and e.event_time >= since:
                recent[e.location].append((e.event_time - arrived[k]).total_seconds() / 3600.0)
            if last is None or (k, step, e.event_time) > last:
                last = (k, step, e.event_time)
        if last is not None and last[1] == 0 and ship.nodes[last[0]] in wanted and last[0] < len(ship.links):
            waiting[ship.nodes[last[0]]].append((now - last[2]).total_seconds() / 3600.0)
    month = now.month
    out = []
    for p in ports:
        w, rc = waiting[p.id], recent[p.id]
        out.append(
            PortNow(
                p.id,
                p.name,
                p.country,
                len(w),
                max(w) if w else None,
                median(w) if w else None,
                len(rc),
                median(rc) if rc else None,
                p.dwell_h,
                _in_season(network, network.closures_of(p.id), month),
            )
        )
    return Operations(network.name, now, window_h, tuple(out), _in_season(network, network.closures, month))
