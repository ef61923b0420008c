"""The operations view: Caspian port queues from events (hand-worked), closures in season, and the API."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tests.service.conftest import Service

from corridor.tracking import EventLog, TrackedShipment, TrackingEvent
from corridor.tracking.dcsa import event_id, to_dcsa
from corridor.tracking.operations import operations

NOW = datetime(2025, 1, 20, 12, tzinfo=UTC)
PATH = ("beyneu", "mangistau", "KZAAU", "AZBAK")


def ev(booking: str, code: str, node: str, hours_before: float) -> TrackingEvent:
    t = NOW - timedelta(hours=hours_before)
    return TrackingEvent(
        event_id(f"{booking}:{code}:{node}:{t}"), "TRANSPORT", "ACT", code, t, t, booking, node, "RAIL"
    )


def _case(net):  # type: ignore[no-untyped-def]
    ships = [TrackedShipment.on_path(net, b, PATH, NOW - timedelta(days=30)) for b in ("A", "B", "C", "D")]
    events = [
        ev("A", "ARRI", "KZAAU", 10),  # waiting 10 h
        ev("B", "ARRI", "KZAAU", 30),  # waited 20 h, left 10 h ago: a recent completion
        ev("B", "DEPA", "KZAAU", 10),
        ev("C", "ARRI", "KZAAU", 24 * 20 + 50),  # completed 20 days ago: outside the 14-day window
        ev("C", "DEPA", "KZAAU", 24 * 20),
        ev("D", "ARRI", "KZAAU", 40),  # waiting 40 h
        ev("D", "DEPA", "KZAAU", -5),  # a departure after now is not known yet
    ]
    return ships, events


def test_port_queue_and_closures_in_season(corridor_net) -> None:  # type: ignore[no-untyped-def]
    ships, events = _case(corridor_net)
    ops = operations(corridor_net, ships, EventLog.of(events), NOW)
    ports = {p.node: p for p in ops.ports}
    assert set(ports) == {"KZAAU", "kuryk", "TMKRW", "AZBAK"}  # the Caspian ports, not Poti or Constanța
    aktau = ports["KZAAU"]
    assert (aktau.waiting, aktau.waiting_max_h, aktau.waiting_median_h) == (2, 40.0, 25.0)
    assert (aktau.recent_n, aktau.recent_median_h) == (1, 20.0)
    assert [c.id for c in aktau.closures] == ["aktau-storm-winter"]  # January: the winter rule, not the summer one
    assert ports["kuryk"].waiting == 0 and ports["kuryk"].recent_median_h is None
    season = {c.id for c in ops.closures}
    assert "kuryk-storm-janfeb" in season and "kuryk-storm-summer" not in season and "dostyk-wind" in season
    doc = ops.to_json()
    assert doc["schema"] == "corridor.operations/1" and doc["as_of"] == "2025-01-20T12:00:00Z"


def test_operations_endpoint(service: Service, corridor_net) -> None:  # type: ignore[no-untyped-def]
    ships, events = _case(corridor_net)
    with service.client("acme", "analyst") as c:
        for s in ships:
            assert c.post("/v1/shipments", json=s.to_json()).status_code == 201
        assert c.post("/v2/events", json=[to_dcsa(e) for e in events]).status_code == 201
        got = c.get("/v1/operations", params={"at": "2025-01-20T12:00:00Z"})
        assert got.status_code == 200, got.text
        aktau = next(p for p in got.json()["ports"] if p["node"] == "KZAAU")
        assert (aktau["waiting"], aktau["recent_completed"], aktau["recent_median_h"]) == (2, 1, 20.0)
        assert c.get("/v1/operations", params={"at": "yesterday"}).status_code in (400, 422)
    with service.client("other", "viewer") as c:  # another organisation sees no queue of acme's boxes
        other = c.get("/v1/operations", params={"at": "2025-01-20T12:00:00Z"}).json()
        assert all(p["waiting"] == 0 for p in other["ports"])
