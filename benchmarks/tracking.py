"""Tracking benchmark: re-estimating many active shipments, and ingesting events through the API.

Run from the project root:  .venv/bin/python benchmarks/tracking.py  [--quick]

1. **Re-estimation**: 10,000 in-flight shipments (copies of simulated Middle Corridor shipments, each
   stopped at a different point of its route) get P10/P50/P90 at every remaining milestone after an
   event batch, with :meth:`corridor.tracking.Predictor.predict_many`; target ≤ 5 s on 2 cores.
   Peer: the straightforward Monte Carlo a user would write with NumPy — per shipment, fresh draws
   of every remaining component (same distributions) and rejection on the time already spent —
   on a sample of the same shipments; equal_results: destination P50s within 5 %.
2. **Ingestion** through the real service (uvicorn, SQLite, HTTP): batches of 100 DCSA events of
   registered shipments POSTed by an integrator (validated, idempotent, one INSERT per batch, the
   shipments touched re-estimated with EST events where the P50 moved, webhooks queued); target ≥ 1,000
   events/s.  Wall and CPU time (user+sys of the process, server thread and client) are printed.  Peer: the same HTTP server, one FastAPI route that parses the JSON and inserts raw rows
   (no validation, no idempotency, no ETA) — the ceiling of the stack; equal_results: same row count.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import threading
import time
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import numpy as np
from fastapi import FastAPI, Request

from corridor.demand import load_demand
from corridor.network import load_network
from corridor.routing import timeline
from corridor.tracking import EventLog, Predictor, TrackedShipment, TrackingEvent
from corridor.tracking.dcsa import event_id, to_dcsa
from corridor.tracking.synthetic import synthetic_stream


def in_flight(n: int) -> tuple[list[TrackedShipment], list[TrackingEvent], Any]:
    """``n`` shipments, copies of simulated ones, each cut after a different number of its events so
    that at ``now`` they are spread over their routes."""
    net = load_network("middle-corridor")
    stream = synthetic_stream(net, load_demand("2024", net), seed=7, days=90)
    by_booking: dict[str, list[TrackingEvent]] = {}
    for e in stream.events:
        by_booking.setdefault(e.booking, []).append(e)
    base = [s for s in stream.shipments if len(by_booking.get(s.booking, [])) > 2]
    now = stream.events[-1].event_time + timedelta(days=30)
    ships, events = [], []
    for i in range(n):
        src = base[i % len(base)]
        evs = by_booking[src.booking]
        k = 1 + (i * 7919) % (len(evs) - 1)  # keep the first k events: still in flight
        shift = now - evs[k - 1].event_time - timedelta(hours=1 + i % 5)
        booking = f"BEN-{i}"
        ships.append(replace(src, booking=booking, planned_departure=src.planned_departure + shift))
        for j, e in enumerate(evs[:k]):
            t = e.event_time + shift
            events.append(replace(e, event_id=f"{booking}-{j}", booking=booking, event_time=t, created_time=t))
    return ships, events, (net, now)


def naive_p50(net: Any, ship: TrackedShipment, log: EventLog, now: Any, rng: np.random.Generator, draws: int) -> float:
    """The peer: fresh Monte Carlo of the rest of the route with rejection on elapsed time (hours from now)."""
    evs = [e for e in log.effective(ship.booking) if e.is_actual]
    last = evs[-1]
    k = ship.nodes.index(last.location)
    svc = {s.link_id: s for s in net.services}
    closures = {c.target: net.closures_of(c.target) for c in net.closures}
    nodes = [net.node(x) for x in ship.nodes[k:]]
    links = [net.link(x) for x in ship.links[k:]]
    comps = timeline(closures, nodes, links, [svc.get(lk.id) if lk.service else None for lk in links], now).components
    elapsed = (now - last.event_time).total_seconds() / 3600.0
    if last.movement == "depart":  # skip the node stage already done: components before the first moving
        first = next(i for i, c in enumerate(comps) if c.what == "moving")
        comps = comps[first:]
    current_end = next(i for i, c in enumerate(comps) if c.what == "moving") + 1
    current = sum(c.sample(rng, draws) for c in comps[:current_end])
    rest = sum((c.sample(rng, draws) for c in comps[current_end:]), np.zeros(draws))
    keep = current > elapsed
    total = (current - elapsed)[keep] + rest[keep]
    return float(np.median(total)) if total.size else float(np.median(rest))


def reestimate(n: int, sample: int, reps: int) -> list[dict[str, Any]]:
    ships, events, (net, now) = in_flight(n)
    log = EventLog.of(events)
    times: list[float] = []
    cpus: list[float] = []
    for _ in range(reps):
        pred = Predictor(net)  # cold caches every repetition
        t0, c0 = time.perf_counter(), time.process_time()
        etas = pred.predict_many(ships, log, now)
        times.append(time.perf_counter() - t0)
        cpus.append(time.process_time() - c0)
    ours = statistics.median(times)
    cpu = statistics.median(cpus)
    rng = np.random.default_rng(1)
    picked = list(range(0, n, max(1, n // sample)))[:sample]
    t0 = time.perf_counter()
    peer = [naive_p50(net, ships[i], log, now, rng, 10_000) for i in picked]
    peer_s = (time.perf_counter() - t0) * n / len(picked)  # extrapolated to all n from the sample
    ours_p50 = [(etas[i].destination.p50 - now).total_seconds() / 3600.0 for i in picked]
    rel = [abs(a - b) / max(b, 1.0) for a, b in zip(ours_p50, peer, strict=True)]
    equal = statistics.median(rel) <= 0.05
    print(
        f"re-estimate {n:,} in-flight shipments: {ours:.2f} s wall, {cpu:.2f} s CPU (user+sys of this process; "
        f"median of {reps}; target <= 5 s on 2 idle cores)"
    )
    print(f"  peer, fresh NumPy Monte Carlo (10,000 draws), {len(picked)} sampled, scaled to {n:,}: {peer_s:.1f} s")
    print(f"  destination P50 vs peer: median relative difference {statistics.median(rel):.1%}")
    return [
        {
            "benchmark": f"tracking-reestimate-{n}",
            "ours_s": round(ours, 3),
            "ours_cpu_s": round(cpu, 3),
            "peer": "numpy Monte Carlo per shipment (10,000 draws)",
            "peer_s": round(peer_s, 3),
            "ratio": round(peer_s / ours, 1),
            "equal_results": equal,
        }
    ]


def _server(app: Any) -> tuple[Any, threading.Thread, str]:
    import socket

    import uvicorn

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_config=None, access_log=False))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.02)
    return server, thread, f"http://127.0.0.1:{port}"


def ingest(n_events: int, batch: int) -> list[dict[str, Any]]:
    from corridor.service import Settings, create_app
    from corridor.service.auth import add_user, create_token
    from corridor.service.db import Database
    from corridor.service.migrate import upgrade
    from corridor.service.tracking_models import EventRow
    from corridor.service.tracking_store import add_shipments

    ships, events, (net, _) = in_flight(max(1, n_events // 8))
    bodies = [to_dcsa(replace(e, event_id=event_id(f"ing-{i}"))) for i, e in enumerate(events[:n_events])]
    batches = [bodies[i : i + batch] for i in range(0, len(bodies), batch)]
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'corridor.db'}"
        upgrade(url)
        db = Database(url)
        with db.session() as s:
            user = add_user(s, "bench", "feed@bench", "integrator", None)
            token = create_token(s, user)[1]
            add_shipments(s, user.org_id, ships, net)  # known shipments: every batch re-estimates those it touches
        app = create_app(Settings(data_dir=Path(tmp), db_url=url, workers=1, rate_limit_per_minute=0))
        server, thread, base = _server(app)
        try:
            with httpx.Client(base_url=base, headers={"Authorization": f"Bearer {token}"}, timeout=120) as c:
                t0, c0 = time.perf_counter(), time.process_time()
                for b in batches:
                    r = c.post("/v2/events", json=b)
                    assert r.status_code in (200, 201), r.text
                ours = time.perf_counter() - t0
                cpu = time.process_time() - c0  # server thread + client, one process
        finally:
            server.should_exit = True
            thread.join(20)
        with db.session() as s:
            stored = s.query(EventRow).count()
        db.dispose()

        # the peer: same stack (uvicorn, FastAPI, SQLAlchemy on SQLite), raw inserts only
        peer_db = Database(f"sqlite:///{Path(tmp) / 'peer.db'}")
        with peer_db.engine.begin() as conn:
            conn.exec_driver_sql("CREATE TABLE raw (id TEXT PRIMARY KEY, body TEXT)")
        peer_app = FastAPI()

        @peer_app.post("/events")
        async def raw(request: Request) -> dict[str, int]:
            items = json.loads(await request.body())
            with peer_db.engine.begin() as conn:
                conn.exec_driver_sql("INSERT INTO raw VALUES (?, ?)", [(i["eventID"], json.dumps(i)) for i in items])
            return {"n": len(items)}

        server, thread, base = _server(peer_app)
        try:
            with httpx.Client(base_url=base, timeout=120) as c:
                t0, c0 = time.perf_counter(), time.process_time()
                for b in batches:
                    c.post("/events", json=b).raise_for_status()
                peer = time.perf_counter() - t0
                peer_cpu = time.process_time() - c0
        finally:
            server.should_exit = True
            thread.join(20)
        with peer_db.engine.connect() as conn:
            peer_rows = conn.exec_driver_sql("SELECT count(*) FROM raw").scalar()
        peer_db.dispose()
    rate = len(bodies) / ours
    print(
        f"ingest {len(bodies):,} events in batches of {batch} through POST /v2/events: {rate:,.0f} events/s (target >= 1,000)"
    )
    per = cpu / len(bodies) * 1e6
    print(
        f"  CPU (server + client in this process): {per:,.0f} us/event, i.e. {len(bodies) / cpu:,.0f} events/s "
        "if CPU-bound on one core"
    )
    print(
        f"  peer, raw FastAPI insert on the same stack: {len(bodies) / peer:,.0f} events/s, "
        f"{peer_cpu / len(bodies) * 1e6:,.0f} us/event CPU"
    )
    return [
        {
            "benchmark": f"tracking-ingest-{len(bodies)}",
            "ours_s": round(ours, 3),
            "peer": "raw FastAPI+SQLite insert (no validation)",
            "peer_s": round(peer, 3),
            "ratio": round(peer / ours, 2),
            "equal_results": stored >= len(bodies) and peer_rows == len(bodies),
            "events_per_s": round(rate),
            "cpu_us_per_event": round(per),
            "peer_cpu_us_per_event": round(peer_cpu / len(bodies) * 1e6),
        }
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="1,000 shipments and 1,000 events (seconds)")
    args = parser.parse_args()
    lines = ingest(1_000 if args.quick else 5_000, 100)
    lines += reestimate(1_000 if args.quick else 10_000, 20 if args.quick else 100, 1 if args.quick else 3)
    for line in lines:
        print(json.dumps(line))
    return 0


if __name__ == "__main__":
    sys.exit(main())
