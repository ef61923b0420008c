"""The endpoints the workbench added: /v1/explore (network GeoJSON, basemap, alias search) and the
Admin page's user list and role/disable change."""

from __future__ import annotations

import pytest
from tests.service.conftest import PASSWORD, Service

from corridor.network import load_network

NET = load_network("middle-corridor")


def test_network_geojson_has_every_node_and_link_with_sources(service: Service) -> None:
    with service.client("acme", "viewer") as c:
        doc = c.get("/v1/explore/network").json()
    nodes = [f for f in doc["features"] if f["properties"]["kind"] == "node"]
    links = [f for f in doc["features"] if f["properties"]["kind"] == "link"]
    assert len(nodes) == len(NET.nodes) and len(links) == len(NET.links)
    aktau = next(f for f in nodes if f["properties"]["id"] == "KZAAU")
    node = next(n for n in NET.nodes if n.id == "KZAAU")
    assert aktau["geometry"]["coordinates"] == [node.lon, node.lat]
    assert aktau["properties"]["name_ru"] == "Актау"  # not the Kazakh "Ақтау" listed after it
    assert {c["id"] for c in aktau["properties"]["closures"]} == {c.id for c in NET.closures if c.target == "KZAAU"}
    for f in doc["features"]:
        for source in f["properties"]["sources"].values():
            assert source in doc["sources"], source
    planned = {f["properties"]["id"] for f in links if f["properties"]["planned"]}
    assert planned == {x.id for x in NET.links if not x.enabled}


@pytest.mark.parametrize(
    ("q", "first"), [("Актау", "KZAAU"), ("Ələt", "AZBAK"), ("elet", None), ("alat", "AZBAK"), ("西安", "CNXIA")]
)
def test_place_search_in_any_alias(service: Service, q: str, first: str | None) -> None:
    with service.client("acme", "viewer") as c:
        found = c.get("/v1/explore/places", params={"q": q}).json()
    assert (found[0]["id"] if found else None) == first


def test_place_search_bad_input_is_a_problem(service: Service) -> None:
    with service.client("acme", "viewer") as c:
        r = c.get("/v1/explore/places", params={"q": "x", "limit": 0})
        assert r.status_code == 422 and r.headers["content-type"].startswith("application/problem+json")
        r = c.get("/v1/explore/network", params={"network": "atlantis"})
        assert r.status_code == 422 and "atlantis" in r.json()["detail"]


def test_basemap_is_the_bundled_outlines(service: Service) -> None:
    with service.client("acme", "viewer") as c:
        doc = c.get("/v1/explore/basemap").json()
    assert doc["type"] == "FeatureCollection"
    assert {"KZ", "AZ", "GE", "TR"} <= {f["properties"]["iso_a2"] for f in doc["features"]}


def test_users_list_change_and_disable(service: Service) -> None:
    with service.client("acme", "admin") as c:
        users = {u["username"]: u for u in c.get("/v1/users").json()}
        assert {"admin@acme", "viewer@acme"} <= set(users) and not any(u.endswith("@other") for u in users)
        r = c.patch("/v1/users/viewer@acme", json={"role": "analyst"})
        assert r.status_code == 200 and r.json()["role"] == "analyst"
        assert c.patch("/v1/users/viewer@acme", json={"role": "boss"}).status_code == 422
        assert c.patch("/v1/users/admin@other", json={"role": "viewer"}).status_code == 404
        assert c.patch("/v1/users/admin@acme", json={"disabled": True}).status_code == 409
        assert c.patch("/v1/users/analyst@acme", json={"disabled": True}).json()["disabled"] is True
        actions = [a["action"] for a in c.get("/v1/audit").json()]
        assert actions.count("user.change") == 2
    with service.client(None, None) as anon:  # type: ignore[arg-type]
        refused = anon.post("/v1/auth/login", json={"username": "analyst@acme", "password": PASSWORD})
        assert refused.status_code == 401
        assert anon.post("/v1/auth/login", json={"username": "viewer@acme", "password": PASSWORD}).status_code == 200
