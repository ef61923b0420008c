"""``corridor track`` in a subprocess: real files, real exit codes, no tracebacks."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

CORRIDOR = [sys.executable, "-m", "corridor.cli"]


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*CORRIDOR, *args], cwd=cwd, capture_output=True, text=True, timeout=120, check=False)


@pytest.fixture(scope="module")
def stream(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("track")
    out = folder / "syn.json"
    r = run("track", "synthesize", str(out), "--seed", "4", "--days", "40", "--dwell-scale", "1.3", cwd=folder)
    assert r.returncode == 0, r.stderr
    assert "synthetic shipments" in r.stdout
    return out


def test_synthesized_file_is_marked_and_valid_dcsa(stream: Path) -> None:
    data = json.loads(stream.read_text())
    assert data["schema"] == "corridor.tracking/1" and data["synthetic"] is True
    assert all(s["synthetic"] and s["booking"].startswith("SYN-") for s in data["shipments"])
    assert {e["eventType"] for e in data["events"]} == {"TRANSPORT", "EQUIPMENT"}


def test_eta_json_and_table(stream: Path) -> None:
    booking = json.loads(stream.read_text())["shipments"][0]["booking"]
    r = run(
        "track", "eta", booking, "--events", str(stream), "--at", "2025-01-05T00:00:00Z", "--json", cwd=stream.parent
    )
    assert r.returncode == 0, r.stderr
    eta = json.loads(r.stdout)
    assert eta["schema"] == "corridor.eta/1" and eta["booking"] == booking
    for m in eta["milestones"]:
        assert m["p10"] <= m["p50"] <= m["p90"]
    table = run("track", "eta", booking, "--events", str(stream), "--at", "2025-01-05T00:00:00Z", cwd=stream.parent)
    assert f"Shipment {booking}" in table.stdout and "P50" in table.stdout


def test_evaluate_calibrate_delays(stream: Path, tmp_path: Path) -> None:
    r = run("track", "evaluate", str(stream), "--json", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    scores = {s["scope"]: s for s in json.loads(r.stdout)["scores"]}
    assert scores["last"]["n"] > 100
    r = run("track", "evaluate", str(stream), "--demand", "2024", "--json", cwd=tmp_path)  # the scenario's queues
    assert r.returncode == 0, r.stderr
    queued = {s["scope"]: s for s in json.loads(r.stdout)["scores"]}
    assert queued["last"]["n"] == scores["last"]["n"] and queued["last"]["mae_h"] != scores["last"]["mae_h"]
    out = tmp_path / "calibrated"
    r = run("track", "calibrate", str(stream), "--out", str(out), cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert "+cal." in (out / "network.toml").read_text()
    v = run("network", "validate", "--strict", str(out), cwd=tmp_path)
    assert v.returncode == 0, v.stdout + v.stderr
    r = run("track", "delays", str(stream), "--json", cwd=tmp_path)
    assert r.returncode == 0 and json.loads(r.stdout)["by_segment_month"]


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (("track", "check", "CSQU3054384"), "character 11: check digit is 4 but CSQU305438 gives 3"),
        (("track", "eta", "NOPE", "--events", "{stream}"), "unknown shipment 'NOPE'"),
        (("track", "eta", "X", "--events", "{bad}"), "not JSON"),
        (("track", "evaluate", "{events_only}"), "needs a tracking file with shipments"),
        (("track", "evaluate", "{stream}", "--demand", "no-such-demand"), "no-such-demand"),
        (("track", "synthesize", "x.json", "--extra-closure", "nowhere:0.1:3"), "a node or link id"),
        (("track", "eta", "X", "--events", "{stream}", "--at", "yesterday"), "expected an ISO 8601 date-time"),
    ],
)
def test_bad_input_is_a_clear_error(stream: Path, tmp_path: Path, args: tuple[str, ...], fragment: str) -> None:
    (tmp_path / "bad.json").write_text("{not json")
    events_only = tmp_path / "events.json"
    events_only.write_text(json.dumps(json.loads(stream.read_text())["events"][:3]))
    names = {"stream": str(stream), "bad": str(tmp_path / "bad.json"), "events_only": str(events_only)}
    r = run(*(a.format(**names) for a in args), cwd=tmp_path)
    assert r.returncode == 1, r.stdout + r.stderr
    assert fragment in r.stderr and "Traceback" not in r.stderr


def test_seed_demo_is_marked_in_flight_and_idempotent(tmp_path: Path) -> None:
    """What `make run` does: a migrated data dir gets synthetic shipments in flight at --at, once."""
    from corridor.service.db import Database
    from corridor.service.tracking_store import eta_for, shipment

    data = tmp_path / "data"
    assert run("db", "upgrade", "--data-dir", str(data), cwd=tmp_path).returncode == 0
    at = "2026-03-10T12:00:00Z"
    first = run("track", "seed-demo", "--data-dir", str(data), "--shipments", "12", "--at", at, cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    assert "seeded local with 12 SYNTHETIC shipments" in first.stdout
    again = run("track", "seed-demo", "--data-dir", str(data), "--shipments", "12", "--at", at, cwd=tmp_path)
    assert again.returncode == 0 and "already has 12" in again.stdout
    from datetime import UTC, datetime

    from sqlalchemy import select

    from corridor.service.models import Organisation
    from corridor.service.tracking_models import EventRow, ShipmentRow

    db = Database(f"sqlite:///{data / 'corridor.db'}")
    try:
        with db.session() as s:
            org = s.scalars(select(Organisation).where(Organisation.name == "local")).one()
            rows = list(s.scalars(select(ShipmentRow).where(ShipmentRow.org_id == org.id)))
            assert len(rows) == 12 and all(r.synthetic and r.booking.startswith("SYN-") for r in rows)
            when = datetime(2026, 3, 10, 12, tzinfo=UTC)
            n_events = len(list(s.scalars(select(EventRow))))
            for r in rows:
                found = shipment(s, org.id, r.booking)
                assert found is not None and found[1].shipper == "synthetic (simulation)"
                eta = eta_for(s, org.id, r.booking, when)
                assert eta.status == "in-transit" and eta.milestones, r.booking  # in flight, not delivered
                assert eta.destination.p50 > when
    finally:
        db.dispose()
    assert n_events > 12 * 3
