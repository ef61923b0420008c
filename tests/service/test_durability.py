"""Durability and scale-out with real ``corridor serve`` processes.

A burst of scenario versions — and one of tracking events and event subscriptions — is posted
while the server is killed with SIGKILL; after a restart every write acknowledged with 2xx is
present and intact, versions have no gaps and none is half-written — on SQLite and PostgreSQL.
Two servers on one PostgreSQL serve the same data.
"""

from __future__ import annotations

import base64
import hashlib
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from tests.service.conftest import ServeProcess, Template, scenario_yaml

from corridor.tracking import TrackingEvent
from corridor.tracking.dcsa import event_id, to_dcsa

YAML = {"content-type": "application/yaml"}


@pytest.mark.slow
def test_acknowledged_writes_survive_sigkill(db: tuple[str, Template], tmp_path: Path) -> None:
    url, template = db
    headers = {"Authorization": f"Bearer {template.tokens[('acme', 'analyst')]}"}
    server = ServeProcess(url, tmp_path / "data")
    acked: dict[int, str] = {}  # teu → scenario text acknowledged
    with httpx.Client(base_url=server.base, headers=headers, timeout=10) as c:
        first = c.post("/v1/scenarios", content=scenario_yaml("burst", 1), headers=YAML)
        assert first.status_code == 201
        sid = first.json()["scenario_id"]
        acked[1] = scenario_yaml("burst", 1)
        stop = threading.Event()

        def burst() -> None:
            n = 2
            while not stop.is_set():
                text = scenario_yaml("burst", n)
                try:
                    r = c.put(f"/v1/scenarios/{sid}", content=text, headers=YAML)
                except httpx.HTTPError:
                    return
                if r.status_code == 201:
                    assert r.json()["version"] == len(acked) + 1
                    acked[n] = text
                n += 1

        t = threading.Thread(target=burst)
        t.start()
        deadline = time.monotonic() + 30
        while len(acked) < 15 and time.monotonic() < deadline:
            time.sleep(0.01)
        server.kill()  # SIGKILL mid-burst
        stop.set()
        t.join(30)
    assert len(acked) >= 15
    again = ServeProcess(url, tmp_path / "data")
    try:
        with httpx.Client(base_url=again.base, headers=headers, timeout=10) as c:
            latest = c.get(f"/v1/scenarios/{sid}").json()
            assert latest["version"] >= len(acked)  # an unacknowledged write may also have landed
            for v in range(1, latest["version"] + 1):
                got = c.get(f"/v1/scenarios/{sid}/versions/{v}").json()
                assert got["digest"] == hashlib.sha256(got["text"].encode()).hexdigest()
                if v <= len(acked):
                    assert got["text"] == list(acked.values())[v - 1]
    finally:
        again.stop()


def _event(n: int) -> dict[str, Any]:
    when = datetime(2025, 3, 1, tzinfo=UTC) + timedelta(hours=n)
    ev = TrackingEvent(event_id(f"burst:{n}"), "TRANSPORT", "ACT", "DEPA", when, when, "BURST-1", "CNXIA", "RAIL")
    return to_dcsa(ev)


SUBSCRIPTION = {  # filters no posted event matches: nothing is delivered during the burst
    "callbackUrl": "http://127.0.0.1:9/hook",
    "eventType": ["EQUIPMENT"],
    "secret": base64.b64encode(b"0123456789abcdef0123456789abcdef").decode(),
}


@pytest.mark.slow
def test_acknowledged_events_and_subscriptions_survive_sigkill(db: tuple[str, Template], tmp_path: Path) -> None:
    url, template = db
    integrator = {"Authorization": f"Bearer {template.tokens[('acme', 'integrator')]}"}
    analyst = {"Authorization": f"Bearer {template.tokens[('acme', 'analyst')]}"}
    server = ServeProcess(url, tmp_path / "data")
    sent: dict[str, dict[str, Any]] = {}  # eventID → body, acknowledged or not
    acked: list[str] = []
    subscriptions: dict[str, dict[str, Any]] = {}  # subscriptionID → acknowledged body
    stop = threading.Event()

    def burst() -> None:
        with httpx.Client(base_url=server.base, timeout=10) as c:
            n = 0
            while not stop.is_set():
                ev = _event(n)
                sent[ev["eventID"]] = ev
                try:
                    r = c.post("/v2/events", json=ev, headers=integrator)
                    if r.status_code == 201:
                        acked.append(ev["eventID"])
                    if n % 4 == 0:
                        sub = {**SUBSCRIPTION, "equipmentReference": f"BURST{n:07d}"}
                        r = c.post("/v2/event-subscriptions", json=sub, headers=analyst)
                        if r.status_code == 201:
                            subscriptions[r.json()["subscriptionID"]] = sub
                except httpx.HTTPError:
                    return
                n += 1

    t = threading.Thread(target=burst)
    t.start()
    deadline = time.monotonic() + 60
    while (len(acked) < 20 or len(subscriptions) < 4) and time.monotonic() < deadline:
        time.sleep(0.01)
    server.kill()  # SIGKILL mid-burst
    stop.set()
    t.join(30)
    assert len(acked) >= 20 and len(subscriptions) >= 4
    again = ServeProcess(url, tmp_path / "data")
    try:
        with httpx.Client(base_url=again.base, headers=analyst, timeout=10) as c:
            for eid in acked:
                assert c.get(f"/v2/events/{eid}").json() == sent[eid]  # present and intact
            stored = c.get("/v2/events", params={"carrierBookingReference": "BURST-1", "limit": 1000}).json()
            assert all(ev == sent[ev["eventID"]] for ev in stored)  # nothing half-written or invented
            assert len(stored) >= len(acked)  # an unacknowledged one may also have landed
            for sid, sub in subscriptions.items():
                got = c.get(f"/v2/event-subscriptions/{sid}").json()
                expected = {k: v for k, v in sub.items() if k != "secret"}
                assert got == {"subscriptionID": sid, **expected}
    finally:
        again.stop()


@pytest.mark.slow
def test_two_servers_on_one_postgresql(pg_template: Template, postgres: object, tmp_path: Path) -> None:
    url = postgres.new_database(template=pg_template.url.rsplit("/", 1)[1])  # type: ignore[attr-defined]
    headers = {"Authorization": f"Bearer {pg_template.tokens[('acme', 'analyst')]}"}
    a = ServeProcess(url, tmp_path / "a")
    b = ServeProcess(url, tmp_path / "b")
    try:
        with httpx.Client(headers=headers, timeout=10) as c:
            made = c.post(a.base + "/v1/scenarios", content=scenario_yaml("shared", 1), headers=YAML).json()
            sid = made["scenario_id"]
            assert c.get(f"{b.base}/v1/scenarios/{sid}").json()["text"] == made["text"]
            for n in range(2, 12):  # alternate writers: versions stay one gap-free sequence
                srv = a if n % 2 else b
                r = c.put(f"{srv.base}/v1/scenarios/{sid}", content=scenario_yaml("shared", n), headers=YAML)
                assert r.status_code == 201 and r.json()["version"] == n
            va = c.get(f"{a.base}/v1/scenarios/{sid}").json()
            vb = c.get(f"{b.base}/v1/scenarios/{sid}").json()
            assert va == vb and va["version"] == 11
            job = c.post(b.base + "/v1/capacity-runs", json={}).json()
            assert c.get(f"{a.base}/v1/jobs/{job['id']}").json()["id"] == job["id"]
    finally:
        a.stop()
        b.stop()
