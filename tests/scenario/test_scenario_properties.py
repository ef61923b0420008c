"""Invariants of applying scenarios (hypothesis): an empty scenario changes nothing; inheriting
equals applying the parent's changes, then the child's, in order."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from corridor.demand import DemandSet
from corridor.network import Network
from corridor.scenario import apply_changes, apply_scenario, load_scenario

DATA = Path(__file__).resolve().parents[1] / "data"
HEADER = f"network: {DATA / 'mini'}\ndemand: {DATA / 'mini-demand'}\n"

_numbers = st.integers(min_value=1, max_value=500)
CHANGES = st.one_of(
    st.builds(lambda n, v: f"set: {{node: {n}, capacity_teu_per_year: {v * 1000}}}", st.sampled_from("GPQ"), _numbers),
    st.builds(lambda n, v: f"add: {{node: {n}, dwell_h: {v}}}", st.sampled_from("AGPQ"), _numbers),
    st.builds(lambda v: f"add: {{service: F1, fleet: {v}}}", st.integers(1, 5)),
    st.builds(lambda v: f"add_vessels: {{service: F1, vessels: {v}, capacity_teu: 300}}", st.integers(1, 3)),
    st.builds(
        lambda ln, f: f"scale: {{link: {ln}, tariff_usd_per_feu: {f}}}",
        st.sampled_from(["AG", "PQ", "'*'"]),
        st.sampled_from([0.5, 0.8, 1.25]),
    ),
    st.builds(lambda f: f"growth: {f}", st.sampled_from([0.5, 1.0, 1.62, 2.0])),
    st.builds(
        lambda c, f: f"growth: {{factor: {f}, cargo: {c}}}",
        st.sampled_from(["container", "general"]),
        st.sampled_from([1.1, 3.0]),
    ),
    st.builds(
        lambda d, n: f"closure: {{target: {n}, start: 2027-0{d}-10, days: {d * 3}}}",
        st.integers(1, 9),
        st.sampled_from("PQ"),
    ),
    st.builds(lambda lk: f"disable: {{link: {lk}}}", st.sampled_from(["AG", "QZ"])),
)


def _yaml(changes: list[str]) -> str:
    return "changes:\n" + "".join(f"  - {c}\n    source: hand\n" for c in changes) if changes else "changes: []\n"


def test_an_empty_scenario_changes_nothing(mini: Network, mini_demand: DemandSet) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "empty.yaml"
        path.write_text(HEADER + "changes: []\n", encoding="utf-8")
        applied = apply_scenario(path, network=mini, demand=mini_demand)
    assert applied.network == mini and applied.demand == mini_demand
    assert applied.network.closures == mini.closures and applied.disruptions == ()


@settings(max_examples=30, deadline=None)
@given(st.lists(CHANGES, max_size=5), st.lists(CHANGES, max_size=5))
def test_inheritance_equals_applying_changes_in_order(
    mini: Network, mini_demand: DemandSet, parent_changes: list[str], child_changes: list[str]
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "parent.yaml").write_text(HEADER + _yaml(parent_changes), encoding="utf-8")
        (folder / "child.yaml").write_text("inherits: parent\n" + _yaml(child_changes), encoding="utf-8")
        (folder / "flat.yaml").write_text(HEADER + _yaml(parent_changes + child_changes), encoding="utf-8")
        parent = load_scenario(folder / "parent.yaml")
        child = load_scenario(folder / "child.yaml")
        flat = load_scenario(folder / "flat.yaml")
    inherited = apply_scenario(child, network=mini, demand=mini_demand)
    step = apply_scenario(parent, network=mini, demand=mini_demand)
    own = child.changes[len(parent.changes) :]
    stepwise = apply_changes(own, step.network, step.demand, step.disruptions)
    together = apply_scenario(flat, network=mini, demand=mini_demand)
    for other in (stepwise, together):
        assert inherited.network == other.network
        assert inherited.demand.flows == other.demand.flows
        assert inherited.disruptions == other.disruptions
    # and the base never changed
    assert mini.service("F1").fleet == 2 and mini_demand.total_teu == 3000
