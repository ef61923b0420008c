"""Bad input gives a clean error naming the culprit, from the API and the CLI."""

from __future__ import annotations

from pathlib import Path

import pytest

from corridor.capacity import CostModel, assign
from corridor.cli import main
from corridor.demand import DemandSet, Flow
from corridor.errors import InputError, UnknownNameError

from .conftest import make_network, teu_demand

NET = make_network([("A", "B", {"capacity_teu_per_year": 10.0})])


@pytest.mark.parametrize(
    ("flow", "message"),
    [
        (Flow("A", "B", "container", volume_teu_per_year=-5.0), "≥ 0"),
        (Flow("A", "B", "container", volume_teu_per_year=float("nan")), "≥ 0"),
        (Flow("A", "Nowhere", "container", volume_teu_per_year=1.0), "'Nowhere' is not in network"),
        (Flow("A", "A", "container", volume_teu_per_year=1.0), "same node"),
        (Flow("A", "B", "coal", volume_t_per_year=1.0), "unknown cargo class"),
    ],
)
def test_bad_flows(flow: Flow, message: str) -> None:
    with pytest.raises(InputError) as err:
        assign(NET, DemandSet("bad", "test", (flow,)))
    assert message in str(err.value)
    assert "flow 1" in str(err.value)


def test_planned_node_is_refused() -> None:
    net = make_network([("A", "B", {})], nodes={"B": {"enabled": False}})
    with pytest.raises(InputError, match="planned"):
        assign(net, teu_demand(("A", "B", 1.0)))


@pytest.mark.parametrize("growth", [-1.0, float("inf"), float("nan")])
def test_bad_growth(growth: float) -> None:
    with pytest.raises(InputError, match="growth"):
        assign(NET, teu_demand(("A", "B", 1.0)), growth=growth)


def test_negative_capacity_is_refused() -> None:
    net = make_network([("A", "B", {"capacity_teu_per_year": -1.0})])
    with pytest.raises(InputError, match="capacities must be finite"):
        assign(net, teu_demand(("A", "B", 1.0)))


def test_bad_cost_model_and_formulation() -> None:
    with pytest.raises(InputError, match="unserved_usd_per_teu"):
        CostModel(unserved_usd_per_teu=-1.0)
    with pytest.raises(InputError, match="formulation"):
        assign(NET, teu_demand(("A", "B", 1.0)), formulation="path")


def test_disconnected_demand_is_unserved_not_an_error() -> None:
    net = make_network([("A", "B", {}), ("C", "D", {})])
    result = assign(net, teu_demand(("A", "D", 5.0), ("A", "B", 5.0)))
    assert [(u.destination, u.unserved, u.routable) for u in result.unserved] == [("D", 5.0, False)]
    assert result.max_growth is None


def test_cli_unknown_demand_and_nodes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    mini = Path(__file__).parents[1] / "data" / "mini"
    assert main(["capacity", "--network", str(mini), "--demand", "no-such-set"]) == 1
    assert "unknown demand set" in capsys.readouterr().err
    flows = tmp_path / "flows.csv"
    flows.write_text("origin,destination,cargo,volume_teu_per_year\nAlfa,Zulu,container,-3\nAlfa,Zuul,container,1\n")
    assert main(["capacity", "--network", str(mini), "--demand", str(flows)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: ")
    assert "Zuul" in err and "did you mean" in err
    assert (
        main(["capacity", "--network", str(mini), "--demand", str(mini.parent / "mini-demand"), "--growth", "-2"]) == 2
    )  # out of its documented range (corridor.limits): a usage error, before any work
    assert "growth" in capsys.readouterr().err


def test_without_disables_links_and_nodes_and_names_unknown_ids() -> None:
    net = make_network(
        [
            ("O", "A", {"tariff_usd_per_feu": 200.0}),
            ("A", "D", {}),
            ("O", "B", {"tariff_usd_per_feu": 600.0}),
            ("B", "D", {}),
        ]
    )
    demand = teu_demand(("O", "D", 10.0))
    assert assign(net, demand, objective="system").totals.cost_usd == pytest.approx(1000.0)
    assert assign(net, demand, without=["O-A"], objective="system").totals.cost_usd == pytest.approx(3000.0)
    result = assign(net, demand, without=["A", "B"], objective="system")
    assert result.totals.unserved_teu == pytest.approx(10.0)
    assert result.without == ("A", "B")
    with pytest.raises(UnknownNameError, match=r"did you mean .*'O-A'"):
        assign(net, demand, without=["O-X"])
