"""Tracking over the real service: DCSA /v2 events and subscriptions, webhooks, roles, durability, ETA."""

from __future__ import annotations

import base64
import hashlib
import hmac
import http.server
import json
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from tests.service.conftest import Service, running
from tests.tracking.dcsa_schema import errors, events_response_schema, webhook_body_schema

from corridor.service.db import Database
from corridor.service.tracking_models import DeliveryRow, EventRow
from corridor.tracking import TrackedShipment, TrackingEvent
from corridor.tracking.dcsa import event_id, to_dcsa

T0 = datetime(2025, 3, 1, tzinfo=UTC)
ROUTE = ("CNXIA", "CNURM", "CNAKL", "dostyk", "aktogay")
SECRET = base64.b64encode(b"0123456789abcdef0123456789abcdef").decode()


def body(code: str, node: str, hours: float, booking: str = "BK-1", **kw: Any) -> dict[str, Any]:
    when = T0 + timedelta(hours=hours)
    e = TrackingEvent(
        kw.pop("eid", event_id(f"{booking}:{code}:{node}:{hours}")), kw.pop("kind", "TRANSPORT"), "ACT", code, when, when,
        booking, node, "RAIL", **kw,
    )  # fmt: skip
    return to_dcsa(e)


def shipment(corridor_net, booking: str = "BK-1") -> dict[str, Any]:
    return TrackedShipment.on_path(corridor_net, booking, ROUTE, T0).to_json()


class Receiver:
    """A real HTTP endpoint recording webhook calls; answers with the queued statuses, then 204."""

    def __init__(self, statuses: list[int] | None = None) -> None:
        self.calls: list[tuple[dict[str, str], bytes]] = []
        self.statuses = list(statuses or [])
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                data = self.rfile.read(int(self.headers.get("content-length", "0")))
                outer.calls.append(({k.lower(): v for k, v in self.headers.items()}, data))
                self.send_response(outer.statuses.pop(0) if outer.statuses else 204)
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> Receiver:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(5)

    def wait(self, n: int, timeout: float = 15.0) -> None:
        deadline = time.monotonic() + timeout
        while len(self.calls) < n and time.monotonic() < deadline:
            time.sleep(0.02)
        assert len(self.calls) >= n, f"got {len(self.calls)} webhook calls, expected {n}"


@pytest.mark.slow
def test_ingest_idempotent_out_of_order_and_retractions(service_any: Service, corridor_net) -> None:
    first = [body("DEPA", "CNXIA", 2), body("ARRI", "CNURM", 50)]
    late = body("ARRI", "CNAKL", 60)
    with service_any.client("acme", "integrator") as c:
        r = c.post("/v2/events", json=[late, *first])  # out of order
        assert r.status_code == 201, r.text
        assert r.json()["accepted"] == 3 and r.headers["API-Version"] == "2.2.0"
        again = c.post("/v2/events", json=first)
        assert again.status_code == 200 and again.json() == {**again.json(), "accepted": 0, "duplicates": 2}
        clash = dict(first[0], eventDateTime="2025-03-01T09:00:00Z")
        bad = c.post("/v2/events", json=clash)
        assert bad.status_code == 422 and "conflicts with the stored one" in bad.text
        wrong = c.post("/v2/events", json=[{"eventType": "TRANSPORT", "eventDateTime": "soon"}])
        assert wrong.status_code == 422 and "eventDateTime" in wrong.text and "Traceback" not in wrong.text
        retraction = body("ARRI", "CNAKL", 60, eid=event_id("retract"), retracts=late["eventID"])
        assert c.post("/v2/events", json=retraction).status_code == 201
    with service_any.client("acme", "viewer") as c:
        listed = c.get("/v2/events").json()
        assert sorted(e["eventID"] for e in listed) == sorted(e["eventID"] for e in first)
        assert c.get(f"/v2/events/{late['eventID']}").status_code == 404  # retracted
        assert c.get(f"/v2/events/{first[0]['eventID']}").json() == first[0]


def test_integrator_posts_but_reads_nothing(service: Service) -> None:
    ev = body("DEPA", "CNXIA", 2)
    with service.client("acme", "integrator") as c:
        assert c.post("/v2/events", json=ev).status_code == 201
        for path in (
            "/v2/events",
            f"/v2/events/{ev['eventID']}",
            "/v2/event-subscriptions",
            "/v1/shipments",
            "/v1/shipments/BK-1/eta",
        ):
            assert c.get(path).status_code == 403, path
        assert c.post("/v2/event-subscriptions", json={"callbackUrl": "http://x/", "secret": SECRET}).status_code == 403
    with service.client("acme", "viewer") as c:
        assert c.post("/v2/events", json=ev).status_code == 403
        assert c.get("/v2/event-subscriptions").status_code == 403
    with service.client("other", "admin") as c:
        assert c.get(f"/v2/events/{ev['eventID']}").status_code == 404  # another organisation's event
        assert c.get("/v2/events").json() == []
    with service.client("acme", None) as c:
        assert c.get("/v2/events").status_code == 401 and c.post("/v2/events", json=ev).status_code == 401


def test_events_response_validates_pages_and_filters(service: Service) -> None:
    events = [body("ARRI" if i % 2 else "DEPA", "dostyk", float(i), booking=f"BK-{i % 3}") for i in range(25)]
    events.append(body("GTIN", "CNXIA", 0.5, kind="EQUIPMENT", equipment="CSQU3054383"))
    with service.client("acme", "analyst") as c:
        assert c.post("/v2/events", json=events).status_code == 201
        seen, cursor, pages = [], None, 0
        while True:
            r = c.get("/v2/events", params={"limit": 10, **({"cursor": cursor} if cursor else {})})
            assert r.status_code == 200 and r.headers["API-Version"] == "2.2.0" and r.headers["Current-Page"]
            assert errors(events_response_schema(), r.json()) == []
            seen += r.json()
            pages += 1
            cursor = r.headers.get("Next-Page")
            if not cursor:
                break
        assert pages == 3 and sorted(e["eventID"] for e in seen) == sorted(e["eventID"] for e in events)
        eq = c.get("/v2/events", params={"eventType": "EQUIPMENT"}).json()
        assert [e["equipmentReference"] for e in eq] == ["CSQU3054383"]
        bk = c.get("/v2/events", params={"carrierBookingReference": "BK-1", "transportEventTypeCode": "ARRI"}).json()
        assert len(bk) == sum(1 for i in range(25) if i % 3 == 1 and i % 2) and bk
        later = c.get("/v2/events", params={"eventCreatedDateTime": "gte:2025-03-01T20:00:00Z"}).json()
        assert len(later) == 5  # created at 20 … 24 h
        assert c.get("/v2/events", params={"cursor": "garbage"}).status_code == 400
        assert c.get("/v2/events", params={"limit": 0}).status_code == 422


def test_webhooks_signed_retried_and_recorded(service: Service, corridor_net) -> None:
    service.server.app.state.ctx.cache["webhook_backoff_s"] = (0.05, 0.05)
    with Receiver([500]) as rx, service.client("acme", "analyst") as c:
        sub = c.post(
            "/v2/event-subscriptions", json={"callbackUrl": rx.url, "secret": SECRET, "eventType": ["TRANSPORT"]}
        )
        assert sub.status_code == 201 and "secret" not in sub.json()
        dead = c.post("/v2/event-subscriptions", json={"callbackUrl": "http://127.0.0.1:9/nowhere", "secret": SECRET})
        assert dead.status_code == 201
        evs = [body("DEPA", "CNXIA", 2), body("GTIN", "CNXIA", 1, kind="EQUIPMENT", equipment="CSQU3054383")]
        assert c.post("/v2/events", json=evs).status_code == 201
        rx.wait(2)  # the first answer was 500: retried
        for headers, raw in rx.calls:
            # the specification's algorithm, independently: HMAC-SHA256 of the raw body, key = the decoded secret
            want = "sha256=" + hmac.new(base64.b64decode(SECRET), raw, hashlib.sha256).hexdigest()
            assert headers["notification-signature"] == want
            assert headers["subscription-id"] == sub.json()["subscriptionID"]
            sent = json.loads(raw)
            assert errors(webhook_body_schema(), sent) == []
            assert [e["eventType"] for e in sent] == ["TRANSPORT"]  # the filter held
        db = Database(service.server.settings.database_url)
        try:
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline:
                with db.session() as s:
                    rows = {r.subscription_id: (r.status, r.attempts) for r in s.query(DeliveryRow)}
                if all(st != "pending" for st, _ in rows.values()):
                    break
                time.sleep(0.05)
            assert rows[sub.json()["subscriptionID"]] == ("delivered", 2)
            assert rows[dead.json()["subscriptionID"]] == ("failed", 3)
        finally:
            db.dispose()


def test_subscription_crud_secret_and_scoping(service: Service) -> None:
    with service.client("acme", "analyst") as c:
        sid = c.post("/v2/event-subscriptions", json={"callbackUrl": "http://127.0.0.1:9/a", "secret": SECRET}).json()[
            "subscriptionID"
        ]
        assert c.get(f"/v2/event-subscriptions/{sid}").json()["callbackUrl"] == "http://127.0.0.1:9/a"
        put = c.put(
            f"/v2/event-subscriptions/{sid}",
            json={"callbackUrl": "http://127.0.0.1:9/b", "carrierBookingReference": "BK-9"},
        )
        assert put.status_code == 200 and put.json()["carrierBookingReference"] == "BK-9"
        assert c.put(f"/v2/event-subscriptions/{sid}/secret", json={"secret": "c2hvcnQ="}).status_code == 422
        assert c.put(f"/v2/event-subscriptions/{sid}/secret", json={"secret": SECRET}).status_code == 204
        assert c.post("/v2/event-subscriptions", json={"callbackUrl": "ftp://x", "secret": SECRET}).status_code == 422
        assert [s["subscriptionID"] for s in c.get("/v2/event-subscriptions").json()] == [sid]
    with service.client("other", "admin") as c:
        assert c.get(f"/v2/event-subscriptions/{sid}").status_code == 404
        assert c.delete(f"/v2/event-subscriptions/{sid}").status_code == 404
        assert c.get("/v2/event-subscriptions").json() == []
    with service.client("acme", "analyst") as c:
        assert c.delete(f"/v2/event-subscriptions/{sid}").status_code == 204
        assert c.get(f"/v2/event-subscriptions/{sid}").status_code == 404


def test_events_and_subscriptions_survive_a_restart(sqlite_db, tmp_path) -> None:
    url, template = sqlite_db
    ev = body("DEPA", "CNXIA", 2)
    with running(url, template.tokens, tmp_path / "data") as svc, svc.client("acme", "analyst") as c:
        assert c.post("/v2/events", json=ev).status_code == 201
        sid = c.post("/v2/event-subscriptions", json={"callbackUrl": "http://127.0.0.1:9/a", "secret": SECRET}).json()[
            "subscriptionID"
        ]
    db = Database(url)  # committed before the 201: a fresh connection sees it
    with db.session() as s:
        assert s.query(EventRow).filter_by(event_id=ev["eventID"]).count() == 1
    db.dispose()
    with running(url, template.tokens, tmp_path / "data") as svc, svc.client("acme", "analyst") as c:
        assert c.get(f"/v2/events/{ev['eventID']}").json() == ev
        assert c.get(f"/v2/event-subscriptions/{sid}").status_code == 200


@pytest.mark.slow
def test_a_pending_webhook_retry_is_sent_after_a_restart(sqlite_db, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """The first attempt fails, the server stops before the retry is due; the next server sends it."""
    url, template = sqlite_db
    data = tmp_path / "data"
    with Receiver([500]) as rx:
        with running(url, template.tokens, data) as svc:
            svc.server.app.state.ctx.cache["webhook_backoff_s"] = (3.0,)
            with svc.client("acme", "analyst") as c:
                sid = c.post("/v2/event-subscriptions", json={"callbackUrl": rx.url, "secret": SECRET}).json()[
                    "subscriptionID"
                ]
                assert c.post("/v2/events", json=[body("DEPA", "CNXIA", 2)]).status_code == 201
                rx.wait(1)
        assert len(rx.calls) == 1  # stopped before the retry was due
        db = Database(url)
        try:
            with db.session() as s:
                row = s.query(DeliveryRow).filter_by(subscription_id=sid).one()
                assert (row.status, row.attempts, row.last_status) == ("pending", 1, 500)
                assert row.next_attempt_at is not None and row.claimed_until is None
            with running(url, template.tokens, data):
                rx.wait(2)
                deadline = time.monotonic() + 10
                while time.monotonic() < deadline:
                    with db.session() as s:
                        row = s.query(DeliveryRow).filter_by(subscription_id=sid).one()
                        if row.status != "pending":
                            break
                    time.sleep(0.05)
            with db.session() as s:
                row = s.query(DeliveryRow).filter_by(subscription_id=sid).one()
                assert (row.status, row.attempts, row.next_attempt_at) == ("delivered", 2, None)
        finally:
            db.dispose()
    (h1, b1), (h2, b2) = rx.calls
    assert b1 == b2 and h1["notification-signature"] == h2["notification-signature"]  # the same signed bytes
    want = "sha256=" + hmac.new(base64.b64decode(SECRET), b2, hashlib.sha256).hexdigest()
    assert h2["notification-signature"] == want


@pytest.mark.slow
def test_eta_api_equals_cli_and_est_events(service: Service, corridor_net) -> None:
    with service.client("acme", "analyst") as c:
        assert c.post("/v1/shipments", json=shipment(corridor_net)).status_code == 201
        r = c.post("/v2/events", json=[body("DEPA", "CNXIA", 2), body("ARRI", "CNURM", 80)])
        assert r.json()["estimates"] == 1  # the first estimate is always published
        est = c.get("/v2/events", params={"eventType": "TRANSPORT"}).json()
        assert [e["eventClassifierCode"] for e in est].count("EST") == 1
        # leaving an hour after arriving moves the P50 by less than the threshold: nothing new published
        assert c.post("/v2/events", json=body("DEPA", "CNURM", 81)).json()["estimates"] == 0
        api = c.get("/v1/shipments/BK-1/eta", params={"at": "2025-03-04T12:00:00Z"})
        assert api.status_code == 200, api.text
        assert c.get("/v1/shipments/NOPE/eta").status_code == 404
    cli = subprocess.run(
        [sys.executable, "-m", "corridor.cli", "track", "eta", "BK-1", "--db", service.server.settings.database_url,
         "--org", "acme", "--at", "2025-03-04T12:00:00Z", "--json"],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert cli.returncode == 0, cli.stderr
    assert json.loads(cli.stdout) == api.json()
