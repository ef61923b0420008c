"""Authorization matrix: every /v1 endpoint × every role × own / other organisation.

The documented outcome (docs/api.md, "Roles"): a role below the endpoint's minimum gets 403; the
integrator role gets 403 everywhere except where named; an object of another organisation is 404,
exactly like one that does not exist.  The test fails if an endpoint is added without a row here.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

import pytest
from tests.service.conftest import Service, network_zip, scenario_yaml

from corridor.service.auth import ROLES, allows

YAML = {"content-type": "application/yaml"}


@dataclass(frozen=True)
class Endpoint:
    method: str
    path: str  # template as in OpenAPI
    minimum: str
    also: tuple[str, ...] = ()
    owned: bool = False  # path names an organisation's object: other orgs get 404
    ok: tuple[int, ...] = (200,)


ENDPOINTS = [
    Endpoint("GET", "/v1/me", "viewer", also=("integrator",)),
    Endpoint("GET", "/v1/networks", "viewer"),
    Endpoint("GET", "/v1/networks/{name}", "viewer", owned=True),
    Endpoint("POST", "/v1/networks", "analyst", ok=(201,)),
    Endpoint("GET", "/v1/demand-sets", "viewer"),
    Endpoint("GET", "/v1/demand-sets/{name}", "viewer"),
    Endpoint("GET", "/v1/scenarios", "viewer"),
    Endpoint("POST", "/v1/scenarios", "analyst", ok=(201,)),
    Endpoint("GET", "/v1/scenarios/{scenario_id}", "viewer", owned=True),
    Endpoint("PUT", "/v1/scenarios/{scenario_id}", "analyst", owned=True, ok=(201,)),
    Endpoint("GET", "/v1/scenarios/{scenario_id}/versions/{version}", "viewer", owned=True),
    Endpoint("POST", "/v1/quotes", "viewer"),
    Endpoint("POST", "/v1/simulations", "analyst", ok=(202,)),
    Endpoint("POST", "/v1/capacity-runs", "analyst", ok=(202,)),
    Endpoint("POST", "/v1/comparisons", "analyst", ok=(202,)),
    Endpoint("POST", "/v1/appraisals", "analyst", ok=(202,)),
    Endpoint("GET", "/v1/jobs", "viewer"),
    Endpoint("GET", "/v1/jobs/{job_id}", "viewer", owned=True),
    Endpoint("GET", "/v1/jobs/{job_id}/result", "viewer", owned=True, ok=(200, 409)),
    Endpoint("POST", "/v1/jobs/{job_id}/cancel", "analyst", owned=True),
    Endpoint("GET", "/v1/tokens", "admin"),
    Endpoint("POST", "/v1/tokens", "admin", ok=(201,)),
    Endpoint("DELETE", "/v1/tokens/{token_id}", "admin", owned=True, ok=(204,)),
    Endpoint("POST", "/v1/users", "admin", ok=(201,)),
    Endpoint("GET", "/v1/audit", "admin"),
    Endpoint("GET", "/v1/shipments", "viewer"),
    Endpoint("POST", "/v1/shipments", "analyst", ok=(201,)),
    Endpoint("GET", "/v1/shipments/{booking}/eta", "viewer", owned=True),
    Endpoint("GET", "/v1/operations", "viewer"),
    Endpoint("GET", "/v1/kpis", "viewer"),
    Endpoint("GET", "/v1/closure-calendar", "viewer"),
    Endpoint("GET", "/v1/jobs/{job_id}/tables/{table}", "viewer", owned=True, ok=(200, 409)),
    Endpoint("POST", "/v1/scenario-checks", "viewer"),
    Endpoint("GET", "/v1/explore/network", "viewer"),
    Endpoint("GET", "/v1/explore/basemap", "viewer"),
    Endpoint("GET", "/v1/explore/places", "viewer"),
    Endpoint("GET", "/v1/users", "admin"),
    Endpoint("PATCH", "/v1/users/{username}", "admin", owned=True),
]
SHIPMENT = {
    "booking": "MX-1",
    "nodes": ["KZAAU", "AZBAK"],
    "links": ["aktau-alat-feeder"],
    "planned_departure": "2025-03-01T00:00:00Z",
}
PUBLIC = {("POST", "/v1/auth/login"), ("POST", "/v1/auth/logout")}


def test_every_v1_endpoint_is_in_the_matrix(service: Service) -> None:
    paths = service.server.app.openapi()["paths"]
    routes = {(m.upper(), p) for p, ops in paths.items() if p.startswith("/v1/") for m in ops}
    assert routes == {(e.method, e.path) for e in ENDPOINTS} | PUBLIC


def _objects(service: Service) -> dict[str, str]:
    """Objects owned by acme, made by its admin."""
    with service.client("acme", "admin") as c:
        up = c.post("/v1/networks", files={"file": ("n.zip", network_zip("acme-net"), "application/zip")})
        assert up.status_code == 201, up.text
        scen = c.post("/v1/scenarios", content=scenario_yaml("acme-scn"), headers=YAML)
        assert scen.status_code == 201, scen.text
        job = c.post("/v1/capacity-runs", json={"demand": "2024"})
        assert job.status_code == 202, job.text
        tokens = c.get("/v1/tokens").json()
        assert c.post("/v1/shipments", json=SHIPMENT).status_code == 201
    return {
        "booking": SHIPMENT["booking"],
        "name": "acme-net",
        "scenario_id": scen.json()["scenario_id"],
        "version": "1",
        "job_id": job.json()["id"],
        "table": "links",
        "username": "viewer@acme",
        "token_id": next(t["id"] for t in tokens if t["user"] == "viewer@acme"),
    }


def _call(c: Any, ep: Endpoint, ids: dict[str, str], n: int) -> Any:
    path = ep.path.format(**{**ids, "name": "2024"} if ep.path.startswith("/v1/demand-sets") else ids)
    unique = f"m{n}"
    if ep.path == "/v1/networks" and ep.method == "POST":
        return c.post(path, files={"file": ("n.zip", network_zip(f"net-{unique}"), "application/zip")})
    if ep.path == "/v1/scenarios" and ep.method == "POST":
        return c.post(path, content=scenario_yaml(f"scn-{unique}"), headers=YAML)
    if ep.path == "/v1/scenario-checks":
        return c.post(path, content=scenario_yaml(f"chk-{unique}"), headers=YAML)
    if ep.method == "PUT":
        return c.put(path, content=scenario_yaml("acme-scn", 600_000 + n), headers=YAML)
    bodies: dict[str, Any] = {
        "/v1/quotes": {"origin": "Aktau", "destination": "Baku", "alternatives": 1},
        "/v1/simulations": {"days": 1, "warmup_days": 0, "replications": 1},
        "/v1/capacity-runs": {},
        "/v1/comparisons": {"scenarios": [{"scenario": "baseline-2024"}]},
        "/v1/appraisals": {"scenarios": [{"scenario": "alyat-phase-2"}]},
        "/v1/tokens": {"username": "viewer@acme" if "acme" in c.headers.get("x-org", "") else "viewer@other"},
        "/v1/users": {"username": f"u-{unique}", "role": "viewer"},
        "/v1/shipments": {**SHIPMENT, "booking": "MX-2"},  # not the one acme owns
    }
    if ep.method == "PATCH":
        return c.patch(path, json={"role": "viewer"})
    if ep.method == "POST" and ep.path in bodies:
        return c.post(path, json=bodies[ep.path])
    return c.request(ep.method, path)


@pytest.mark.slow
def test_authorization_matrix(service: Service) -> None:
    ids = _objects(service)
    failures = []
    n = 0
    for ep, role, org in itertools.product(ENDPOINTS, ROLES, ("acme", "other")):
        if ep.method == "DELETE" and org == "acme" and role == "admin":
            continue  # done last: it revokes a token other rows use
        n += 1
        with service.client(org, role) as c:
            c.headers["x-org"] = org
            r = _call(c, ep, ids, n)
        if not allows(role, ep.minimum, ep.also):
            expected: tuple[int, ...] = (403,)
        elif ep.owned and org == "other":
            expected = (404,)
        else:
            expected = ep.ok
        if r.status_code not in expected:
            failures.append(
                f"{ep.method} {ep.path} as {role}@{org}: {r.status_code} (expected {expected}) {r.text[:160]}"
            )
        if r.status_code == 404:
            body = r.json()
            assert body["title"] == "Not found" and ids.get("scenario_id", "") not in body.get("suggestions", [])
    with service.client("acme", "admin") as c:
        r = c.delete(f"/v1/tokens/{ids['token_id']}")
        if r.status_code != 204:
            failures.append(f"DELETE token as admin@acme: {r.status_code}")
    assert failures == [], "\n".join(failures)


def test_other_organisations_objects_are_indistinguishable_from_missing(service: Service) -> None:
    ids = _objects(service)
    with service.client("other", "admin") as c:
        theirs = c.get(f"/v1/jobs/{ids['job_id']}")
        missing = c.get("/v1/jobs/" + "0" * 32)
        assert theirs.status_code == missing.status_code == 404
        assert theirs.json()["title"] == missing.json()["title"]
        assert all(j["id"] != ids["job_id"] for j in c.get("/v1/jobs").json())
        assert all(s["name"] != "acme-scn" for s in c.get("/v1/scenarios").json())
        assert all(n["name"] != "acme-net" for n in c.get("/v1/networks").json())
        assert c.post("/v1/tokens", json={"username": "viewer@acme"}).status_code == 404
