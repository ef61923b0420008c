"""The service end to end over real HTTP: health, auth, problem+json, headers, quotes."""

from __future__ import annotations

import json

from click.testing import CliRunner
from tests.service.conftest import Service

from corridor.capacity import assign
from corridor.cli import cli as cli_main
from corridor.demand import load_demand
from corridor.network import load_network
from corridor.routing import queueing_for, route
from corridor.schemas import dump


def test_health_and_readiness(service_any: Service) -> None:
    with service_any.client(role=None) as c:
        assert c.get("/healthz").json() == {"status": "ok", "checks": {}}
        assert c.get("/readyz").json() == {"status": "ok", "checks": {"database": "ok", "migrations": "ok"}}


def test_no_token_is_401_problem_json_with_security_headers(service: Service) -> None:
    with service.client(role=None) as c:
        r = c.get("/v1/me")
    assert r.status_code == 401
    assert r.headers["content-type"] == "application/problem+json"
    assert r.headers["www-authenticate"] == "Bearer"
    assert r.json()["type"].endswith("/unauthorized")
    assert "frame-ancestors 'none'" in r.headers["content-security-policy"]
    assert r.headers["x-content-type-options"] == "nosniff"
    assert len(r.headers["x-request-id"]) == 32


def test_bad_token_and_revoked_token_are_401(service: Service) -> None:
    with service.client() as admin:
        assert admin.get("/v1/me").json() == {"user": "admin@acme", "organisation": "acme", "role": "admin"}
        created = admin.post("/v1/tokens", json={"username": "viewer@acme", "name": "ci"}).json()
        assert created["token"].startswith("cor_") and created["role"] == "viewer"
        headers = {"Authorization": f"Bearer {created['token']}"}
        assert admin.get("/v1/me", headers=headers).json()["role"] == "viewer"
        assert admin.delete(f"/v1/tokens/{created['id']}").status_code == 204
        assert admin.get("/v1/me", headers=headers).status_code == 401
        assert admin.get("/v1/me", headers={"Authorization": "Bearer cor_nope"}).status_code == 401
        listed = admin.get("/v1/tokens").json()
        assert all("token" not in t for t in listed)
        assert [t["revoked_at"] is not None for t in listed if t["id"] == created["id"]] == [True]


def test_quote_matches_the_engine(service: Service) -> None:
    body = {"origin": "Xi'an", "destination": "Istanbul", "cargo": "2x40HC", "alternatives": 2}
    with service.client(role="viewer") as c:
        r = c.post("/v1/quotes", json=body)
    assert r.status_code == 200, r.text
    net = load_network("middle-corridor")
    queueing = queueing_for(net, assign(net, load_demand("2024", net)))  # the default demand in force, as the CLI's
    expected = route(net, "Xi'an", "Istanbul", "2x40HC", alternatives=2, queueing=queueing).to_json()
    assert r.json() == json.loads(json.dumps(dump("route", expected)))  # corridor route --json's document
    assert {"code": "queueing", "text": queueing.label, "params": {"demand": "2024"}} in r.json()["notes"]
    with service.client(role="viewer") as c:
        empty = c.post("/v1/quotes", json={**body, "demand": "none"}).json()
        assert empty == json.loads(
            json.dumps(dump("route", route(net, "Xi'an", "Istanbul", "2x40HC", alternatives=2).to_json()))
        )
        bad = c.post("/v1/quotes", json={**body, "demand": "1999"})
        assert bad.status_code == 422 and "1999" in bad.json()["detail"]


def test_quote_ranked_by_price_lists_fully_priced_options_first_as_the_cli_does(service: Service) -> None:
    body = {"origin": "Almaty", "destination": "Istanbul", "cargo": "1x40HC", "optimize": "cost", "alternatives": 4}
    with service.client(role="viewer") as c:
        r = c.post("/v1/quotes", json=body)
    assert r.status_code == 200, r.text
    routes = r.json()["routes"]
    complete = [x["cost_usd"]["complete"] for x in routes]
    assert True in complete and False in complete  # the case: one option's line haul is not priced
    assert complete == sorted(complete, reverse=True)  # every priced option before every unpriced one
    for flag in (True, False):
        totals = [x["cost_usd"]["total"] for x in routes if x["cost_usd"]["complete"] is flag]
        assert totals == sorted(totals)
    cheapest_unpriced = min(x["cost_usd"]["total"] for x in routes if not x["cost_usd"]["complete"])
    assert cheapest_unpriced < max(x["cost_usd"]["total"] for x in routes if x["cost_usd"]["complete"])
    cli = CliRunner().invoke(
        cli_main, ["route", "Almaty", "Istanbul", "--optimize", "cost", "--alternatives", "4", "--json"]
    )
    assert cli.exit_code == 0, cli.output
    assert [x["nodes"] for x in json.loads(cli.output)["routes"]] == [x["nodes"] for x in routes]


def test_unknown_place_is_422_with_suggestions(service: Service) -> None:
    with service.client(role="viewer") as c:
        r = c.post("/v1/quotes", json={"origin": "Aktauu", "destination": "Istanbul"})
    assert r.status_code == 422
    doc = r.json()
    assert doc["type"].endswith("/unknown-name") and "Aktauu" in doc["detail"]
    assert "KZAKT" in doc["suggestions"] or any("Aktau" in s for s in doc["suggestions"])


def test_request_validation_is_problem_json_naming_the_field(service: Service) -> None:
    with service.client(role="viewer") as c:
        r = c.post("/v1/quotes", json={"origin": "Aktau", "destination": "Baku", "alternatives": 99})
    assert r.status_code == 422
    assert r.headers["content-type"] == "application/problem+json"
    assert r.json()["problems"][0]["field"] == "alternatives"


def test_body_over_the_limit_is_413(service: Service) -> None:
    big = "x" * (service.server.settings.max_body_bytes + 1)
    with service.client(role="viewer") as c:
        r = c.post("/v1/quotes", content=big, headers={"content-type": "application/json"})
    assert r.status_code == 413
    assert r.json()["title"] == "Request too large"


def test_a_nul_in_the_url_is_a_400_problem_on_every_backend(service_any: Service) -> None:
    """Found by schemathesis: PostgreSQL text cannot hold NUL, so a filter value with %00 gave a 500."""
    with service_any.client(role="admin") as c:
        for url in ("/v2/events?carrierBookingReference=ab%00c", "/v1/networks/x%00y"):
            r = c.get(url)
            assert r.status_code == 400, (url, r.text)
            assert r.headers["content-type"].startswith("application/problem+json")
            assert "NUL" in r.json()["detail"]
        assert c.get("/v2/events?carrierBookingReference=abc").status_code == 200
