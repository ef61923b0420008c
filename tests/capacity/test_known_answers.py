"""Hand-solved small LPs: known splits, unserved volumes, shadow prices and growth limits."""

from __future__ import annotations

import functools
from pathlib import Path

import pytest

from corridor.capacity import CostModel
from corridor.capacity import assign as _assign
from corridor.demand import DemandSet, Flow
from corridor.network import Closure, Service

from .conftest import make_network, teu_demand

pytestmark = pytest.mark.parametrize("formulation", ["paths", "origin", "od"])

#: These tests check the least-cost LP (objective="system"); route choice has its own tests.
assign = functools.partial(_assign, objective="system")


def _link(result, link_id):
    return next(a for a in result.links if a.id == link_id)


def test_two_routes_cheap_one_capped_splits_and_prices_the_cap(formulation: str) -> None:
    # O→A→D costs 100 USD/TEU but O→A carries 100 TEU; O→B→D costs 300 USD/TEU, unlimited.
    net = make_network(
        [
            ("O", "A", {"tariff_usd_per_feu": 200.0, "capacity_teu_per_year": 100.0}),
            ("A", "D", {}),
            ("O", "B", {"tariff_usd_per_feu": 600.0}),
            ("B", "D", {}),
        ]
    )
    result = assign(net, teu_demand(("O", "D", 150.0)), formulation=formulation)
    assert _link(result, "O-A").teu == pytest.approx(100.0)
    assert _link(result, "O-B").teu == pytest.approx(50.0)
    assert result.totals.cost_usd == pytest.approx(100 * 100 + 50 * 300)
    assert result.totals.unserved_teu == pytest.approx(0.0)
    (top,) = result.bottlenecks
    assert (top.asset, top.kind, top.unit) == ("O-A", "link", "teu")
    # one more TEU of O→A capacity moves one TEU off the 300 route onto the 100 route
    assert top.shadow_price == pytest.approx(200.0)
    assert top.utilisation == pytest.approx(1.0)
    assert result.max_growth is None  # O→B has no capacity: nothing limits growth


def test_shared_bottleneck_serves_cheapest_and_prices_unserved(formulation: str) -> None:
    # Two origins share node X (120 TEU/year); O2's route is cheaper, so O1 is cut back.
    net = make_network(
        [
            ("O1", "X", {"tariff_usd_per_feu": 200.0}),
            ("O2", "X", {"tariff_usd_per_feu": 100.0}),
            ("X", "D", {}),
        ],
        nodes={"X": {"capacity_teu_per_year": 120.0}},
    )
    result = assign(net, teu_demand(("O1", "D", 100.0), ("O2", "D", 100.0)), formulation=formulation)
    served = {(od.origin, od.destination): od.served for od in result.ods}
    assert served == {("O1", "D"): pytest.approx(20.0), ("O2", "D"): pytest.approx(100.0)}
    assert [(u.origin, u.unserved) for u in result.unserved] == [("O1", pytest.approx(80.0))]
    (top,) = result.bottlenecks
    assert top.asset == "X" and top.kind == "node"
    assert top.shadow_price == pytest.approx(CostModel().unserved_usd_per_teu - 100.0)
    assert result.max_growth == pytest.approx(120.0 / 200.0)
    assert [g.constraint.asset for g in result.growth_cut] == ["X"]
    assert result.growth_cut[0].share == pytest.approx(1.0)


def test_tonnes_capacity_is_shared_by_containers_and_bulk(formulation: str) -> None:
    # 1,000 t/year on A→B; 50 TEU at 10 t/TEU (500 t) and 600 t of bulk want it.
    net = make_network(
        [("A", "B", {"tariff_usd_per_feu": 200.0, "tariff_usd_per_t": 5.0, "capacity_t_per_year": 1000.0})]
    )
    demand = DemandSet(
        "mixed",
        "test",
        (
            Flow("A", "B", "container", volume_teu_per_year=50.0),
            Flow("A", "B", "general", volume_t_per_year=600.0),
        ),
    )
    result = assign(net, demand, formulation=formulation)
    # a tonne of bulk is worth 1000 − 5 = 995; a tonne of container capacity (10000 − 100) / 10 = 990
    assert result.totals.served_t == pytest.approx(600.0)
    assert result.totals.served_teu == pytest.approx(40.0)
    (top,) = result.bottlenecks
    assert top.unit == "t"
    assert top.shadow_price == pytest.approx(990.0)
    assert top.shadow_price_per_teu == pytest.approx(9900.0)


def test_teu_capacity_does_not_limit_bulk(formulation: str) -> None:
    net = make_network([("A", "B", {"capacity_teu_per_year": 0.0})])
    demand = DemandSet("bulk", "test", (Flow("A", "B", "general", volume_t_per_year=1e6),))
    result = assign(net, demand, formulation=formulation)
    assert result.totals.served_t == pytest.approx(1e6)


def test_trains_per_day_shared_in_train_units(formulation: str) -> None:
    # 1 train/day = 365 trains; a TEU uses 1/110 train, a tonne of bulk 1/2500.
    net = make_network([("A", "B", {"capacity_trains_per_day": 1.0})])
    demand = DemandSet(
        "trains",
        "test",
        (
            Flow("A", "B", "container", volume_teu_per_year=20_000.0),
            Flow("A", "B", "general", volume_t_per_year=500_000.0),
        ),
    )
    result = assign(net, demand, formulation=formulation)
    used = result.totals.served_teu / 110.0 + result.totals.served_t / 2500.0
    assert used == pytest.approx(365.0)
    assert result.totals.unserved_teu + result.totals.unserved_t > 0
    assert result.max_growth == pytest.approx(365.0 / (20_000 / 110 + 500_000 / 2500))


def test_ferry_service_with_port_closure(formulation: str) -> None:
    # 2 vessels, 20 h each way + 2 × 6 h in port = 52 h cycle; 100 TEU a sailing; port P closed
    # 20 % of Nov–Feb (120 days): open share 1 − 0.2 × 120/365.
    ferry = Service("F", "ferry", "P-Q", "ferry", 2, 20.0, "fill_or_timeout", capacity_teu=100.0, port_h=6.0)
    closure = Closure("c", "P", frozenset({11, 12, 1, 2}), 0.2, 72.0)
    net = make_network([("P", "Q", {"mode": "ferry"})], services=[ferry], closures=[closure])
    result = assign(net, teu_demand(("P", "Q", 1e5)), formulation=formulation)
    capacity = 2 * 8760 / 52 * 100 * (1 - 0.2 * 120 / 365)
    assert result.totals.served_teu == pytest.approx(capacity)
    (top,) = result.bottlenecks
    assert (top.asset, top.kind) == ("F", "service")
    assert result.max_growth == pytest.approx(capacity / 1e5)


def test_link_with_a_service_is_crossed_only_by_the_service(formulation: str) -> None:
    feeder = Service("FD", "feeder", "P-Q", "feeder", 1, 10.0, "on_demand", capacity_teu=10.0)
    net = make_network([("P", "Q", {"mode": "sea"})], services=[feeder])
    demand = DemandSet("bulk", "test", (Flow("P", "Q", "liquid", volume_t_per_year=100.0),))
    result = assign(net, demand, formulation=formulation)
    # feeders carry containers only: the oil has no way across
    assert result.totals.served_t == pytest.approx(0.0)
    assert result.ods[0].routable is False
    assert result.max_growth is None


def test_co2e_counts_legs_and_every_node_handled(mini_path: Path, formulation: str) -> None:
    from corridor.network import load_network
    from corridor.routing.emissions import EmissionFactors

    net = load_network(mini_path)
    demand = DemandSet("one", "mini", (Flow("A", "Z", "container", volume_teu_per_year=100.0),))
    result = assign(net, demand, formulation=formulation)
    factors = EmissionFactors.default()
    tonnes = 100.0 * 10.0
    route = ["AG", "GJ", "JP", "PQ", "QZ"]
    legs = sum(net.link(i).distance_km * factors.for_link(net.link(i)).wtw for i in route) / 1e6
    hubs = sum(factors.for_node(net.node(n)).wtw for n in "AGJPQZ") / 1e3
    assert result.totals.co2e_t == pytest.approx(tonnes * (legs + hubs))
    assert sum(lk.detail["co2e_t"] for lk in result.links) == pytest.approx(
        tonnes * (legs + hubs - factors.for_node(net.node("A")).wtw / 1e3), rel=1e-6
    )
