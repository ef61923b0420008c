"""Durability and scale-out with real ``corridor serve`` processes.

A burst of scenario versions is posted while the server is killed with SIGKILL; after a restart
every write acknowledged with 2xx is present and intact, versions have no gaps and none is
half-written — on SQLite and PostgreSQL.  Two servers on one PostgreSQL serve the same data.
"""

from __future__ import annotations

import hashlib
import threading
import time
from pathlib import Path

import httpx
import pytest
from tests.service.conftest import ServeProcess, Template, scenario_yaml

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
