"""The queueing correction of route times (corridor.routing.queueing_for): formulas with known answers,
the cache format, and the CLI's demand set in force.  Agreement with the simulation on the 2024
baseline is checked in tests/sim/test_calibration.py (it reuses that module's simulation run)."""

from __future__ import annotations

import pytest

from corridor import load_demand, load_network
from corridor.capacity import assign
from corridor.cli import main
from corridor.routing import Queueing, Router, queueing_for
from corridor.routing._queueing import closure_backlog, erlang_c, mgc_wait


@pytest.mark.parametrize(("lam", "mu"), [(0.5, 1.0), (0.9, 1.0), (3.0, 4.0)])
def test_mm1_wait_is_rho_over_mu_minus_lambda(lam: float, mu: float) -> None:
    rho = lam / mu
    assert mgc_wait(lam, 1, 1.0 / mu, 1.0) == pytest.approx(rho / (mu - lam), rel=1e-12)


def test_mm3_erlang_c_by_hand() -> None:
    # a = λ/μ = 2 on c = 3: Σ_{k<3} a^k/k! = 5, a^3/3!/(1 − 2/3) = 4, so C = 4/9 and Wq = C/(cμ − λ) = 4/9
    assert erlang_c(3, 2.0) == pytest.approx(4.0 / 9.0, rel=1e-12)
    assert mgc_wait(2.0, 3, 1.0, 1.0) == pytest.approx(4.0 / 9.0, rel=1e-12)


def test_md1_is_pollaczek_khinchine() -> None:
    # M/D/1: Wq = ρ / (2 μ (1 − ρ)); Allen–Cunneen with c_s² = 0 is exact for one server
    lam, mu = 0.8, 1.0
    assert mgc_wait(lam, 1, 1.0 / mu, 0.0) == pytest.approx(0.8 / (2 * 0.2), rel=1e-12)


def test_erlang_c_limits() -> None:
    assert erlang_c(4, 0.0) == 0.0
    assert erlang_c(2, 2.5) == 1.0
    assert 0 < erlang_c(10, 5.0) < erlang_c(10, 9.0) < 1


def test_closure_backlog_fluid_argument() -> None:
    # closed 10% of the time, episodes of mean 10 h, node at ρ = 0.5: extra wait f E ρ/(1 − ρ) = 1 h on
    # average, carried by the 20% of cargo that meets the closure or its clearing (f / (1 − ρ))
    caught, mean = closure_backlog(0.1, 10.0, 0.5)
    assert caught == pytest.approx(0.2)
    assert caught * mean == pytest.approx(1.0)
    assert closure_backlog(0.0, 10.0, 0.5) == (0.0, 0.0)
    assert closure_backlog(0.1, 10.0, 0.0) == (0.0, 0.0)


@pytest.fixture(scope="module")
def network_2024():
    net = load_network("middle-corridor")
    return net, queueing_for(net, assign(net, load_demand("2024", net)))


def test_bundled_2024_pools_match_the_simulation_servers(network_2024) -> None:
    _, q = network_2024
    aktau = q.pool("KZAAU", "container")
    assert aktau is not None and q.pool("KZAAU", "general") is q.nodes[("KZAAU", "bulk")]
    # 70,000 TEU/yr in 110-TEU cohorts with a 16 h (P90 28 h) dwell: 2 servers, as the simulation has
    assert aktau.servers == 2
    assert 0.6 < aktau.rho < 0.85  # ~51k TEU assigned
    assert aktau.wait_h > 5.0
    assert q.pool("almaty", "container") is None  # no capacity, no queue


def test_queueing_makes_the_feeder_route_slower_and_says_so(network_2024) -> None:
    net, q = network_2024
    empty = Router(net).route("Altynkol", "Baku", via=["Aktau"]).routes[0]
    loaded = Router(net, queueing=q).route("Altynkol", "Baku", via=["Aktau"])
    assert loaded.routes[0].time.p50 > empty.time.p50 + 12.0
    assert any(
        n.code == "queueing" and n.params["demand"] == "2024" and "expected queueing" in n.text for n in loaded.notes
    )


def test_plain_round_trip_and_bad_data(network_2024) -> None:
    _, q = network_2024
    assert Queueing.from_plain(q.to_plain()) == q
    with pytest.raises(ValueError, match="model version"):
        Queueing.from_plain({**q.to_plain(), "model": "other/9"})
    with pytest.raises(ValueError, match="malformed"):
        Queueing.from_plain({**q.to_plain(), "nodes": [["x"]]})


def test_cli_demand_in_force(tmp_path, monkeypatch, capsys) -> None:
    monkeypatch.setenv("CORRIDOR_CACHE_DIR", str(tmp_path))
    assert main(["route", "Altynkol", "Baku", "-k", "1"]) == 0
    default = capsys.readouterr().out
    assert "expected queueing for demand set '2024'" in default
    assert list(tmp_path.glob("queueing-*.json"))  # cached for the next call
    assert main(["route", "Altynkol", "Baku", "-k", "1"]) == 0
    assert capsys.readouterr().out == default
    assert main(["route", "Altynkol", "Baku", "-k", "1", "--demand", "none"]) == 0
    assert "expected queueing" not in capsys.readouterr().out
    assert main(["route", "Altynkol", "Baku", "--demand", "2042"]) == 1
    err = capsys.readouterr().err
    assert "2042" in err and "Traceback" not in err
