"""Hand-worked examples on tests/data/mini (A–G–J–P–Q–Z), recomputed here from the CSV numbers."""

from __future__ import annotations

import dataclasses
import math

import pytest

from corridor.errors import NoRouteError, UnknownNameError
from corridor.network import Link, Network, Node, Service, Tariff
from corridor.routing import Router, route


def test_typical_time_is_moving_plus_dwell_plus_half_the_ferry_wait(mini: Network) -> None:
    r = route(mini, "A", "Z", "1x40HC").best
    assert r.nodes == ("A", "G", "J", "P", "Q", "Z")
    moving = 10 + 10 + 24 + 20 + 20
    dwell = 12 + 6 + 0 + 24 + 12  # origin and intermediates, not the destination
    ferry_wait = 48 / 2  # fill-or-timeout, max_wait_h 48
    assert r.time.p50 == pytest.approx(moving + dwell + ferry_wait)
    assert r.time.p90 > r.time.p50
    stages = {s: (a, b) for s, a, b in r.time.stages}
    assert stages["transshipment"][0] == 6  # gauge change at G
    assert stages["port_wait"][0] == 24 + 12 + 24
    assert stages["rail"][0] == 10 + 10 + 24 + 20


def test_itemised_quote_by_hand(mini: Network) -> None:
    r = route(mini, "Alfa", "zulu", "2x40HC").best  # aliases and case-insensitive names
    lines = {(c.item, c.where): c for c in r.cost.lines}
    teu, feu = 4, 2
    assert lines[("terminal_handling", "A")].amount == 50 * teu
    assert lines[("gauge_change", "G")].amount == 100 * teu
    assert lines[("border", "G")].amount == 20 * teu
    assert lines[("line_haul", "AG")].amount == 300 * feu
    assert (lines[("line_haul", "AG")].low, lines[("line_haul", "AG")].high) == (200 * feu, 400 * feu)
    assert lines[("ferry_freight", "PQ")].amount == 1000 * feu  # the service tariff replaces the link's
    assert lines[("ferry_freight", "PQ")].operator == "ASCO"
    assert lines[("line_haul", "QZ")].country == "AZ"
    expected = teu * (50 + 100 + 20 + 80 + 60) + feu * (300 + 200 + 500 + 1000 + 400)
    assert r.cost.total == pytest.approx(expected)
    assert all(c.estimate for c in r.cost.lines)  # the mini network cites only an estimate


def test_emissions_by_hand(mini: Network) -> None:
    r = route(mini, "A", "Z", "2x40HC").best
    t = 40.0  # 2 × (23.9 t gross − 3.9 t tare)
    # rail: electric AG, QZ 17 g/t-km; diesel GJ, JP 28; ferry PQ RoPax 2-5k GT MGO 248.9 WTW
    legs = t * (200 * 17.0 + 300 * 28.0 + 1000 * 28.0 + 500 * 17.0 + 400 * 248.9) / 1000
    hubs = t * (1.2 + 1.2 + 2.0 + 2.0 + 1.2)  # A terminal, G gauge change, P and Q ports, Z terminal
    assert r.co2e.wtw == pytest.approx(legs + hubs)
    assert r.co2e.wtw == pytest.approx(r.co2e.wtt + r.co2e.ttw)
    assert r.co2e.tkm == pytest.approx(t * 2400)
    ferry = next(e for e in r.co2e.elements if e.element == "PQ")
    assert ferry.ttw == pytest.approx(t * 400 * 212.2 / 1000)


def test_schedule_wait_is_half_the_headway(mini: Network) -> None:
    svc = dataclasses.replace(mini.services[0], departure="schedule", headway_h=168.0, max_wait_h=None)
    net = dataclasses.replace(mini, services=(svc,))
    r = route(net, "A", "Z").best
    assert r.time.p50 == pytest.approx(10 + 10 + 24 + 20 + 20 + 12 + 6 + 24 + 12 + 84)
    ferry = next(leg for leg in r.legs if leg.link == "PQ")
    assert ferry.wait_h == 84


def test_closure_raises_p90_only_in_its_months(mini: Network) -> None:
    winter = route(mini, "A", "Z", depart="2025-01-15").best
    summer = route(mini, "A", "Z", depart="2025-07-15").best
    assert winter.time.p50 == summer.time.p50
    assert winter.time.p90 > summer.time.p90 + 10


def test_through_tariff_replaces_the_lines_it_covers(mini: Network) -> None:
    tf = Tariff("T1", "unified", "G", "Q", amount_usd_per_feu=1200.0, operator="TITR")
    r = route(dataclasses.replace(mini, tariffs=(tf,)), "A", "Z", "2x40HC").best
    items = [(c.item, c.where) for c in r.cost.lines]
    assert ("through_tariff", "G→Q") in items
    assert not {("line_haul", "GJ"), ("line_haul", "JP"), ("ferry_freight", "PQ")} & set(items)
    assert ("gauge_change", "G") in items and ("terminal_handling", "P") in items  # node charges stay
    assert r.cost.total == pytest.approx(4 * (50 + 100 + 20 + 80 + 60) + 2 * (300 + 1200 + 400))
    tariff_line = next(c for c in r.cost.lines if c.item == "through_tariff")
    assert tariff_line.country == "KZ/XX"


def test_an_expensive_through_tariff_is_not_used(mini: Network) -> None:
    tf = Tariff("T1", "unified", "G", "Q", amount_usd_per_feu=99_000.0)
    r = route(dataclasses.replace(mini, tariffs=(tf,)), "A", "Z", "2x40HC").best
    assert all(c.item != "through_tariff" for c in r.cost.lines)


def _two_way(mini: Network) -> Network:
    """mini plus a road bypass G→Q (slow, cheap) so that there are two options."""
    road = Link(
        "GQ",
        "G",
        "Q",
        "road",
        2500,
        time_h=150,
        operator="Trucks",
        country="KZ",
        tariff_usd_per_feu=500,
        traction="diesel",
    )
    return dataclasses.replace(mini, links=(*mini.links, road))


def test_avoid_country_mode_link_and_node(mini: Network) -> None:
    net = _two_way(mini)
    router = Router(net)
    assert router.route("A", "Z").best.nodes == ("A", "G", "J", "P", "Q", "Z")
    for avoid in (["ferry"], ["PQ"], ["Port East"], ["P"]):
        assert router.route("A", "Z", avoid=avoid).best.nodes == ("A", "G", "Q", "Z"), avoid
    with pytest.raises(NoRouteError, match=r"(?<!-)avoid KZ"):
        router.route("A", "Z", avoid=["KZ"])


def test_options_are_ranked_and_pareto(mini: Network) -> None:
    res = Router(_two_way(mini)).route("A", "Z", optimize="cost", alternatives=3)
    assert res.pareto_size == 2
    assert [r.nodes for r in res.routes] == [("A", "G", "Q", "Z"), ("A", "G", "J", "P", "Q", "Z")]
    assert res.routes[0].cost.total < res.routes[1].cost.total
    assert res.routes[0].time.p50 > res.routes[1].time.p50


def test_via_forces_a_place(mini: Network) -> None:
    router = Router(_two_way(mini))
    assert router.route("A", "Z", optimize="cost", via=["Port East"]).best.nodes == ("A", "G", "J", "P", "Q", "Z")


def test_unknown_place_suggests(mini: Network) -> None:
    with pytest.raises(UnknownNameError, match="did you mean"):
        route(mini, "Alpah", "Z")


def test_no_route_names_the_culprit(mini: Network) -> None:
    with pytest.raises(NoRouteError, match=r"(?<!-)avoid ferry cuts the network"):
        route(mini, "A", "Z", avoid=["ferry"])
    with pytest.raises(NoRouteError, match="not connected"):
        iso = Node("X", "Island", "KZ", "port", 40.0, 50.0)
        route(dataclasses.replace(mini, nodes=(*mini.nodes, iso)), "A", "X")


def test_impossible_cargo_is_explained(mini: Network) -> None:
    pipe = Link("ZP2", "Q", "Z", "pipeline", 500, operator="BTC", country="AZ", tariff_usd_per_t=10.0)
    net = dataclasses.replace(mini, links=(*[lk for lk in mini.links if lk.id != "QZ"], pipe))
    with pytest.raises(NoRouteError, match="do not carry container cargo"):
        route(net, "A", "Z", "1x40HC")
    r = route(net, "A", "Z", "liquid:1000t").best
    assert r.legs[-1].mode == "pipeline"
    assert next(c for c in r.cost.lines if c.where == "ZP2").amount == pytest.approx(10_000)


def test_disabled_links_are_not_routable(mini: Network) -> None:
    links = tuple(dataclasses.replace(lk, enabled=False) if lk.id == "JP" else lk for lk in mini.links)
    with pytest.raises(NoRouteError):
        route(dataclasses.replace(mini, links=links), "A", "Z")


def test_json_shape(mini: Network) -> None:
    data = route(mini, "A", "Z", "2x40HC", depart="2025-03-03").to_json()
    r = data["routes"][0]
    assert r["nodes"] == ["A", "G", "J", "P", "Q", "Z"]
    assert set(r["time_h"]) >= {"p50", "p90"}
    assert set(r["cost_usd"]) >= {"total", "lines"}
    assert set(r["cost_usd"]["lines"][0]) >= {"amount", "operator", "country", "estimate"}
    assert set(r["co2e_kg"]) >= {"wtw", "wtt", "ttw"}
    assert math.isclose(r["co2e_kg"]["wtw"], r["co2e_kg"]["wtt"] + r["co2e_kg"]["ttw"], abs_tol=0.02)
    assert len(r["legs"]) == 5


def test_service_wait_uses_the_service(mini: Network) -> None:
    svc: Service = mini.services[0]
    assert svc.max_wait_h == 48
