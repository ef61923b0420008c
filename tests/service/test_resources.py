"""Scenarios (versions, line numbers), network uploads (every problem, unsafe zips), idempotency."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest
from tests.service.conftest import Service, network_zip, scenario_yaml

from corridor.network import load_network
from corridor.network.cache import decode
from corridor.routing import route
from corridor.schemas import dump

YAML = {"content-type": "application/yaml"}


def test_scenario_edit_makes_a_new_version_and_old_ones_stay(service_any: Service) -> None:
    with service_any.client(role="analyst") as c:
        v1 = c.post("/v1/scenarios", content=scenario_yaml("bigger-baku", 600_000), headers=YAML)
        assert v1.status_code == 201, v1.text
        sid = v1.json()["scenario_id"]
        assert v1.headers["location"] == f"/v1/scenarios/{sid}/versions/1"
        v2 = c.put(f"/v1/scenarios/{sid}", content=scenario_yaml("bigger-baku", 700_000), headers=YAML)
        assert v2.status_code == 201 and v2.json()["version"] == 2
        assert "600000" in c.get(f"/v1/scenarios/{sid}/versions/1").json()["text"]
        assert "700000" in c.get(f"/v1/scenarios/{sid}").json()["text"]
        assert c.get(f"/v1/scenarios/{sid}/versions/3").status_code == 404
        listed = {s["name"]: s for s in c.get("/v1/scenarios").json()}
        assert listed["bigger-baku"]["latest"] == 2 and listed["baseline-2024"]["bundled"] is True


def test_scenario_as_json_is_accepted(service: Service) -> None:
    body = {"name": "as-json", "inherits": "baseline-2024", "changes": []}
    with service.client(role="analyst") as c:
        r = c.post("/v1/scenarios", json=body)
    assert r.status_code == 201, r.text
    assert r.json()["media_type"] == "application/json"


def test_bad_scenario_names_line_and_field(service: Service) -> None:
    text = scenario_yaml("broken").replace("capacity_teu_per_year: 600000", "capacity_teu_per_year: -5")
    text += "  - set: {node: NOWHERE, capacity_teu_per_year: 10}\n    source: test-src\n"
    with service.client(role="analyst") as c:
        r = c.post("/v1/scenarios", content=text, headers=YAML)
        assert r.status_code == 422, r.text
        doc = r.json()
        assert r.headers["content-type"] == "application/problem+json"
        lines = {p["line"] for p in doc["problems"]}
        assert lines, doc
        assert all(p["source"] == "scenario.yaml" for p in doc["problems"])
        assert all(s["name"] != "broken" for s in c.get("/v1/scenarios").json())
        bad_yaml = c.post("/v1/scenarios", content="name: [unclosed\n", headers=YAML)
        assert bad_yaml.status_code == 422 and bad_yaml.json()["problems"][0]["line"] in (1, 2)
        assert c.post("/v1/scenarios", content="x", headers={"content-type": "text/plain"}).status_code == 415


def test_network_upload_then_quote_on_it(service: Service) -> None:
    with service.client(role="analyst") as c:
        r = c.post("/v1/networks", files={"file": ("mini.zip", network_zip("my-mini"), "application/zip")})
        assert r.status_code == 201, r.text
        assert r.json()["name"] == "my-mini" and r.json()["nodes"] > 0
        assert c.get("/v1/networks/my-mini").json()["bundled"] is False
        again = c.post("/v1/networks", files={"file": ("mini.zip", network_zip("my-mini"), "application/zip")})
        assert again.status_code == 409


def test_quotes_on_an_upload_go_through_the_network_cache_under_the_data_dir(
    service: Service, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home_cache = tmp_path / "home-cache"
    monkeypatch.setenv("CORRIDOR_CACHE_DIR", str(home_cache))  # what the CLI would use: the service must not
    body = {"origin": "Alpha", "destination": "Zulu", "cargo": "2x40HC", "alternatives": 2, "demand": "none"}
    with service.client(role="analyst") as c:
        assert c.post("/v1/networks", files={"file": ("m.zip", network_zip("my-mini"), "application/zip")}).is_success
        quoted = c.post("/v1/quotes", json={**body, "network": "my-mini"})
    assert quoted.status_code == 200, quoted.text
    cache = service.server.settings.data_dir / "cache"
    entries, arrays = sorted(cache.glob("*.net")), sorted(cache.glob("*.net.*.routing.npz"))
    assert len(entries) == 1 and len(arrays) == 1 and arrays[0].name.startswith(entries[0].name)
    assert not home_cache.exists()
    folder = next((service.server.settings.data_dir / "networks").iterdir())
    parsed = load_network(folder)  # the uploaded files, parsed afresh: the cached copy must answer the same
    assert decode(entries[0].read_bytes()).links == parsed.links
    expected = route(parsed, "Alpha", "Zulu", "2x40HC", alternatives=2).to_json()
    assert quoted.json() == json.loads(json.dumps(dump("route", expected)))


def test_network_upload_returns_every_problem(service: Service) -> None:
    def break_it(folder: Path) -> None:
        nodes = folder / "nodes.csv"
        lines = nodes.read_text(encoding="utf-8").splitlines()
        header = lines[0].split(",")
        lat = header.index("lat")
        row2 = lines[2].split(",")
        row2[lat] = "999"
        lines[2] = ",".join(row2)
        row3 = lines[3].split(",")
        row3[lat] = "north"
        lines[3] = ",".join(row3)
        nodes.write_text("\n".join(lines) + "\n", encoding="utf-8")

    with service.client(role="analyst") as c:
        r = c.post("/v1/networks", files={"file": ("bad.zip", network_zip("bad-mini", break_it), "application/zip")})
    assert r.status_code == 422, r.text
    found = {(p["source"], p["line"], p["field"]) for p in r.json()["problems"]}
    assert ("nodes.csv", 3, "lat") in found and ("nodes.csv", 4, "lat") in found


def _zip(entries: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, data in entries.items():
            zf.writestr(name, data)
    return buf.getvalue()


def test_unsafe_zips_are_refused_and_nothing_escapes(service: Service, tmp_path: Path) -> None:
    cases = {
        "traversal": _zip({"../../evil.txt": b"x", "network.toml": b'name="x"'}),
        "absolute": _zip({"/tmp/evil.txt": b"x"}),
        "not a zip": b"PK\x03\x04 nonsense",
        "bomb": _zip({"network.toml": b"0" * (60 * 1024 * 1024)}),
        "no manifest": _zip({"nodes.csv": b"id\n"}),
    }
    with service.client(role="analyst") as c:
        for label, data in cases.items():
            r = c.post("/v1/networks", files={"file": ("x.zip", data, "application/zip")})
            assert r.status_code in (413, 422), (label, r.status_code, r.text)
            assert r.headers["content-type"] == "application/problem+json", label
    assert not (tmp_path / "evil.txt").exists() and not Path("/tmp/evil.txt").exists()


def test_idempotency_key_replays_the_first_answer(service_any: Service) -> None:
    with service_any.client(role="analyst") as c:
        h = {**YAML, "Idempotency-Key": "k-1"}
        first = c.post("/v1/scenarios", content=scenario_yaml("once"), headers=h)
        second = c.post("/v1/scenarios", content=scenario_yaml("once"), headers=h)
        assert first.status_code == second.status_code == 201
        assert first.json() == second.json()
        other = c.post("/v1/scenarios", content=scenario_yaml("twice"), headers=h)
        assert other.status_code == 422 and other.json()["type"].endswith("idempotency-key-reused")
        j1 = c.post("/v1/capacity-runs", json={}, headers={"Idempotency-Key": "job-1"})
        j2 = c.post("/v1/capacity-runs", json={}, headers={"Idempotency-Key": "job-1"})
        assert j1.json()["id"] == j2.json()["id"]
        assert len([j for j in c.get("/v1/jobs").json() if j["kind"] == "capacity"]) == 1


def test_rate_limit_answers_429_with_retry_after(sqlite_db: tuple[str, object], tmp_path: Path) -> None:
    from tests.service.conftest import running

    url, template = sqlite_db
    with running(url, template.tokens, tmp_path / "d", rate_limit_per_minute=5) as svc, svc.client(role="viewer") as c:  # type: ignore[attr-defined]
        codes = [c.get("/v1/me").status_code for _ in range(7)]
        assert codes[:5] == [200] * 5 and codes[5] == 429
        r = c.get("/v1/me")
        assert r.status_code == 429 and int(r.headers["retry-after"]) >= 1
