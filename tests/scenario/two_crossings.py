"""A hand-workable two-crossing network (a slow, cheap feeder port and a fast, dear ferry) and
one scenario's engine run on it, shared by the comparison and report tests."""

from __future__ import annotations

from corridor.demand import DemandSet, Flow
from corridor.network import Link, Network, Node
from corridor.scenario._model import AppliedScenario, Scenario
from corridor.scenario.comparison import ScenarioResult, evaluate


def two_crossings(feeder_port_teu: float, ferry_teu: float | None = None) -> Network:
    # O to D by a slow, cheap feeder through port F (48 h, USD 200/TEU: generalized cost
    # 200 + 48 h x USD 5 = 440 per TEU) or a fast, dear ferry through K (24 h, USD 700/TEU: 820)
    nodes = (
        Node("O", "O", "KZ", "junction", 40.0, 50.0),
        Node("F", "F", "KZ", "port", 40.0, 51.0, capacity_teu_per_year=feeder_port_teu),
        Node("K", "K", "KZ", "port", 41.0, 51.0),
        Node("D", "D", "AZ", "junction", 40.0, 52.0),
    )

    def link(u: str, v: str, hours: float, usd_per_feu: float, **kw: float) -> Link:
        return Link(f"{u}-{v}", u, v, "road", 100.0, hours, bidirectional=False, tariff_usd_per_feu=usd_per_feu, **kw)

    ferry = {} if ferry_teu is None else {"capacity_teu_per_year": ferry_teu}
    links = (link("O", "F", 48.0, 400.0), link("F", "D", 0.0, 0.0), link("O", "K", 24.0, 1400.0, **ferry))
    return Network("two", nodes, (*links, link("K", "D", 0.0, 0.0)))


def run_on(name: str, chain: tuple[str, ...], network: Network) -> ScenarioResult:
    demand = DemandSet("d", "two", (Flow("O", "D", "container", volume_teu_per_year=1000.0),))
    scenario = Scenario(name, "two", "d", chain=chain, parent=chain[-2] if len(chain) > 1 else "")
    return evaluate(AppliedScenario(scenario, network, demand), ())
