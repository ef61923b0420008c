"""The bundled Middle Corridor with the bundled demand sets: every set assigns, 2024 is carried in
full, and at the World Bank 2030 demand the Caspian crossing is among the top binding constraints."""

from __future__ import annotations

import pytest

from corridor.capacity import assign
from corridor.demand import bundled_demand_sets, load_demand
from corridor.network import Network, bundled_networks, load_network

pytestmark = pytest.mark.skipif(
    "middle-corridor" not in bundled_networks() or "wb-2030" not in bundled_demand_sets(),
    reason="bundled data not present",
)


@pytest.fixture(scope="module")
def corridor() -> Network:
    return load_network("middle-corridor")


def caspian_assets(network: Network) -> set[str]:
    """Services that cross the Caspian, their links, and the ports at either end."""
    assets: set[str] = set()
    for svc in network.services:
        link = network.link(svc.link_id)
        if link.mode in ("ferry", "sea") and link.country == "XX":
            assets |= {svc.id, link.id, link.from_id, link.to_id}
    return assets


@pytest.mark.parametrize("name", sorted(bundled_demand_sets()))
def test_every_bundled_set_assigns(corridor: Network, name: str) -> None:
    demand = load_demand(name, corridor)
    result = assign(corridor, demand)
    for od, flow in zip(result.ods, demand.flows, strict=True):
        assert od.served + od.unserved == pytest.approx(flow.volume)
    # route choice (the default) holds every capacity to 1e-6 relative (its dual is solved numerically)
    assert all(c.flow <= c.capacity.effective_per_year * (1 + 1e-6) + 1e-6 for c in result.constraints)


def test_2024_is_carried_in_full(corridor: Network) -> None:
    result = assign(corridor, load_demand("2024", corridor), objective="system")
    assert result.totals.unserved_teu == pytest.approx(0.0, abs=1e-6)
    assert result.totals.unserved_t == pytest.approx(0.0, abs=1e-6)
    assert result.max_growth is not None and result.max_growth > 1.0


def test_wb_2030_names_the_caspian_crossing(corridor: Network) -> None:
    caspian = caspian_assets(corridor)
    assert caspian, "no Caspian services found in the bundled network"
    result = assign(corridor, load_demand("wb-2030", corridor))
    top = [b.asset for b in result.bottlenecks[:3]]
    assert caspian & set(top), f"top bottlenecks {top} include no Caspian asset"
    assert result.max_growth is not None and result.max_growth < 1.0
    assert {g.constraint.asset for g in result.growth_cut} <= caspian | {b.asset for b in result.bottlenecks}


def test_2024_caspian_containers_take_the_aktau_feeder_as_kmtf_reported(corridor: Network) -> None:
    # KMTF carried ~51.4k of ~55k Caspian TEU Aktau→Baku in 2024 (94%, trend.az); the issue asks ≥ 84%
    result = assign(corridor, load_demand("2024", corridor), max_growth=False)
    teu = {s.id: s.teu for s in result.services}
    crossings = ("svc-aktau-alat-feeder", "svc-kuryk-alat-ferry", "svc-turkmenbashi-alat-ferry")
    share = teu["svc-aktau-alat-feeder"] / sum(teu[c] for c in crossings)
    assert share >= 0.84
    nodes = {n.id: n for n in result.nodes}
    # port throughputs of the published order: Aktau ~51k TEU (KMTF), Alat all ~55k Caspian TEU,
    # Kuryk's rail ferry berth 4.1 Mt/yr design (astanatimes 2021) not exceeded
    assert 40_000 <= nodes["KZAAU"].teu <= 60_000
    assert 50_000 <= nodes["AZBAK"].teu <= 56_000
    assert nodes["kuryk"].t <= 4_100_000
    # the system optimum puts them on the ferry instead: both objectives are documented
    system = assign(corridor, load_demand("2024", corridor), max_growth=False, objective="system")
    assert system.objective == "system"
