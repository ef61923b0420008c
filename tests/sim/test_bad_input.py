"""Impossible parameters give clean corridor errors that name the culprit."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from corridor import InputError, NoRouteError, UnknownNameError, load_demand, load_network
from corridor.cli import main
from corridor.demand import Flow
from corridor.sim import SimRules, simulate

DATA = Path(__file__).parents[1] / "data"


@pytest.fixture(scope="module")
def mini():
    network = load_network(DATA / "mini")
    return network, load_demand(DATA / "mini-demand", network)


def test_zero_fleet(mini) -> None:
    network, demand = mini
    bad = replace(network, services=(replace(network.services[0], fleet=0),))
    with pytest.raises(InputError, match="fleet must be a whole number ≥ 1"):
        simulate(bad, demand, replications=1, workers=1)


def test_negative_times_are_all_listed(mini) -> None:
    network, demand = mini
    nodes = tuple(replace(n, dwell_h=-1.0) if n.id == "G" else n for n in network.nodes)
    links = tuple(replace(lk, time_h=-3.0) if lk.id == "AG" else lk for lk in network.links)
    services = (replace(network.services[0], sailing_h=-20.0),)
    with pytest.raises(InputError) as info:
        simulate(replace(network, nodes=nodes, links=links, services=services), demand, replications=1, workers=1)
    text = str(info.value)
    assert "node 'G': dwell_h must be ≥ 0" in text
    assert "link 'AG': time must be > 0" in text
    assert "service 'F1': sailing_h must be > 0" in text


def test_unknown_demand_node(mini) -> None:
    network, demand = mini
    bad = replace(demand, flows=(*demand.flows, Flow("A", "Nowhere", "container", 10.0)))
    with pytest.raises(UnknownNameError, match="Nowhere"):
        simulate(network, bad, replications=1, workers=1)


def test_flow_without_a_path(mini) -> None:
    network, demand = mini
    links = tuple(replace(lk, enabled=False) if lk.id == "PQ" else lk for lk in network.links)
    with pytest.raises(NoRouteError, match=r"no path carries .* to 'Z'"):
        simulate(replace(network, links=links), demand, replications=1, workers=1)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"replications": 0}, "replications"),
        ({"days": 0}, "days"),
        ({"warmup_days": -1}, "warmup_days"),
        ({"seed": -5}, "seed"),
        ({"workers": 0}, "workers"),
        ({"growth": -1.0}, "growth"),
        ({"scheduler": "localhost"}, "scheduler"),
        ({"rules": SimRules(dwell="weibull")}, "dwell"),
        ({"rules": SimRules(seasonality=(1.0, 2.0))}, "seasonality"),
    ],
)
def test_impossible_options(mini, kwargs, message) -> None:
    network, demand = mini
    with pytest.raises(InputError, match=message):
        simulate(network, demand, **{"replications": 1, "workers": 1, **kwargs})


def test_cli_reports_bad_input_without_traceback(capsys) -> None:
    code = main(
        ["simulate", "--network", str(DATA / "mini"), "--demand", str(DATA / "mini-demand"), "--replications", "0"]
    )
    assert code == 2  # out of its documented range (corridor.limits): a usage error, before any work
    err = capsys.readouterr().err
    assert "Error: Invalid value for '--replications'" in err and "Traceback" not in err


def test_asking_for_a_flow_that_was_not_simulated(queue) -> None:
    network, demand = queue(0.5, 1.0, 1)
    result = simulate(network, demand, days=5, warmup_days=1, replications=1, workers=1)
    assert result.flow("O", "D").origin == "O"
    with pytest.raises(
        UnknownNameError, match=r"unknown simulated flow 'O→X \(container\)'; did you mean 'O→D \(container\)'"
    ):
        result.flow("O", "X")
    with pytest.raises(UnknownNameError, match="O→D \\(general\\)"):
        result.flow("O", "D", "general")
