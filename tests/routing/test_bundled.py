"""The bundled Middle Corridor: published figures and the corridors a forwarder expects to see."""

from __future__ import annotations

import pytest

from corridor.errors import NoRouteError
from corridor.network import Network, bundled_networks, load_network
from corridor.routing import Router

pytestmark = pytest.mark.skipif("middle-corridor" not in bundled_networks(), reason="bundled network not present")


@pytest.fixture(scope="module")
def net() -> Network:
    return load_network("middle-corridor")


@pytest.fixture(scope="module")
def router(net: Network) -> Router:
    return Router(net)


def test_xian_baku_typical_time_is_the_observed_11_days(router: Router) -> None:
    # observed: 11 days for a 2024 Xi'an→Baku train (menafn-2024-xian-baku in sources.csv)
    best = router.route("Xi'an", "Baku", "1x40HC").best
    assert best.time.p50 / 24 == pytest.approx(11.0, rel=0.15)
    assert any(s.country == "KZ" for s in best.stops)


def _countries(net: Network, nodes: tuple[str, ...]) -> set[str]:
    return {net.node(n).country for n in nodes}


def test_xian_duisburg_shows_the_four_corridors(net: Network, router: Router) -> None:
    # 8 alternatives: since the 2024 route-choice calibration (ferry container rate, flow helper) the
    # middle corridor's container route is the slower Aktau feeder, found later by the alternative search
    res = router.route("Xi'an", "Duisburg", "2x40HC", alternatives=8)
    kinds = set()
    for r in res.routes:
        countries = _countries(net, r.nodes)
        modes = {leg.mode for leg in r.legs}
        if "RU" in countries:
            kinds.add("northern")
        elif "AZ" in countries and "TR" in countries:
            kinds.add("middle via BTK-Istanbul")
        elif "AZ" in countries and "RO" in countries:
            kinds.add("middle via Poti-Constanta")
        elif "sea" in modes and "KZ" not in countries:
            kinds.add("sea")
    assert {"northern", "sea"} <= kinds and any(k.startswith("middle") for k in kinds), kinds


def test_avoid_russia_drops_every_russian_node_and_link(net: Network, router: Router) -> None:
    res = router.route("Xi'an", "Duisburg", alternatives=4, avoid=["RU"])
    for r in res.routes:
        assert all(net.node(n).country != "RU" for n in r.nodes)
        assert all(leg.country != "RU" for leg in r.legs)


def test_every_bundled_pair_quotes_or_explains(net: Network, router: Router) -> None:
    ids = [n.id for n in net.nodes if n.enabled][:12]
    for a in ids:
        for b in ids:
            if a == b:
                continue
            try:
                res = router.route(a, b, "1x40HC", alternatives=2)
            except NoRouteError as exc:
                assert "no route" in str(exc)
                continue
            r = res.best
            assert r.time.p90 >= r.time.p50 > 0
            assert r.cost.low <= r.cost.total <= r.cost.high
            assert r.co2e.wtw == pytest.approx(r.co2e.wtt + r.co2e.ttw)
