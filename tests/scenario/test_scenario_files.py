"""Scenario files: what each change does, inheritance, and clean errors for bad input."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest

from corridor.demand import DemandSet
from corridor.errors import DataError, UnknownNameError
from corridor.network import Network
from corridor.scenario import apply_scenario, load_scenario

Write = Callable[[str, str], Path]
DATA = Path(__file__).resolve().parents[1] / "data"
HEADER = f"network: {DATA / 'mini'}\ndemand: {DATA / 'mini-demand'}\n"


def test_every_kind_of_change_applies(write: Write, mini: Network, mini_demand: DemandSet) -> None:
    path = write(
        "hub",
        HEADER
        + """
name: hub
sources:
  - {id: pub1, kind: published, title: A report, publisher: X, year: 2025}
changes:
  - set: {node: Port East, capacity_teu_per_year: 240000}
    source: pub1
  - add_vessels: {service: F1, vessels: 2, capacity_teu: 700}
    source: "estimate: two ships on order"
  - add: {service: F1, max_wait_h: -8}
    source: hand
  - scale: {link: [AG, GJ], tariff_usd_per_feu: 0.5}
    source: hand
  - growth: {factor: 2, cargo: container}
    source: hand
  - new_node: {id: N, name: New, country: KZ, kind: port, lat: 43, lon: 51}
    source: hand
  - new_link: {id: JN, from: J, to: N, mode: rail, distance_km: 100, gauge_mm: 1520}
    source: hand
  - new_flow: {origin: A, destination: N, cargo: container, volume_teu_per_year: 10}
    source: hand
  - closure: {target: Kvyu, start: 2027-01-25, days: 10, cause: political}
    source: hand
  - new_tariff: {id: TT, name: through, from: G, to: Z, amount_usd_per_feu: 1500}
    source: hand
  - disable: {tariff: TT}
""",
    )
    applied = apply_scenario(path)
    net, dem = applied.network, applied.demand
    assert net.node("P").capacity_teu_per_year == 240000
    assert net.node("P").provenance["capacity_teu_per_year"] == "pub1"
    ferry = net.service("F1")
    assert ferry.fleet == 4
    assert ferry.capacity_teu == pytest.approx((2 * 100 + 2 * 700) / 4)
    assert ferry.max_wait_h == 40
    assert net.link("AG").tariff_usd_per_feu == 150 and net.link("GJ").tariff_usd_per_feu == 100
    assert net.link("JP").tariff_usd_per_feu == 500
    assert dem.total_teu == 2 * 3000 + 10
    assert dem.total_t == mini_demand.total_t + 3000 * 10 + 100  # bulk flow untouched
    assert net.has_node("N") and net.has_link("JN")
    jan, feb = (c for c in net.closures_of("Q"))
    assert jan.months == {1} and jan.episode_mean_h == 7 * 24 and jan.closed_share == pytest.approx(7 / 31)
    assert feb.months == {2} and feb.episode_mean_h == 3 * 24
    assert applied.disruptions[0].start == dt.date(2027, 1, 25) and applied.disruptions[0].days == 10
    assert not next(t for t in net.tariffs if t.id == "TT").enabled
    estimate = net.source(ferry.provenance["fleet"])
    assert estimate.is_estimate and estimate.title == "two ships on order"
    # the base data never change
    assert mini.node("P").capacity_teu_per_year == 50000
    assert mini.service("F1").fleet == 2
    assert mini_demand.total_teu == 3000
    assert applied.to_json()["changes"][0]["change"].startswith("set node")


def test_inheritance_accumulates_changes_and_investments(write: Write) -> None:
    write(
        "parent",
        HEADER
        + """
changes:
  - set: {node: P, capacity_teu_per_year: 60000}
    source: hand
investments:
  - {id: a, name: A, capex_usd: 10e6, opex_usd_per_year: 0, start_year: 2025, build_years: 1,
     lifetime_years: 10, source: hand}
""",
    )
    child = load_scenario(
        write(
            "child", "inherits: parent\nchanges:\n  - add: {node: P, capacity_teu_per_year: 1000}\n    source: hand\n"
        )
    )
    assert child.chain == ("parent", "child") and child.parent == "parent"
    assert [i.id for i in child.investments] == ["a"]
    assert child.investments[0].capex_usd == 10e6
    assert apply_scenario(child).network.node("P").capacity_teu_per_year == 61000


def test_unknown_asset_names_line_and_suggests(write: Write) -> None:
    path = write(
        "bad",
        HEADER + "changes:\n  - set: {node: P, dwell_h: 2}\n    source: hand\n  - add: {service: F2, fleet: 1}\n",
    )
    with pytest.raises(UnknownNameError) as info:
        apply_scenario(path)
    assert info.value.suggestions == ("F1",)
    assert "did you mean 'F1'" in str(info.value)
    assert info.value.problems[0].file == "bad.yaml" and info.value.problems[0].line == 6


def test_unknown_field_and_key_name_their_lines(write: Write) -> None:
    path = write("bad", HEADER + "changes:\n  - set:\n      node: P\n      capacity_teu_per_yr: 1\n  - sett: {}\n")
    with pytest.raises(DataError) as info:
        load_scenario(path)
    problems = info.value.problems
    assert any(p.line == 6 and "did you mean 'capacity_teu_per_year'" in p.message for p in problems)
    assert any(p.line == 7 and "did you mean 'set'" in p.message for p in problems)


def test_inheritance_cycle_is_rejected_with_the_chain(write: Write) -> None:
    write("a", "inherits: b\n")
    write("b", "inherits: c\n")
    path = write("c", "inherits: a\n")
    with pytest.raises(DataError, match=r"cycle: c → a → b → c"):
        load_scenario(path)


def test_malformed_yaml_names_the_line(write: Write) -> None:
    path = write("broken", HEADER + "changes:\n  - set: {node: P, dwell_h: 2\n  - growth: 2\n")
    with pytest.raises(DataError) as info:
        load_scenario(path)
    assert info.value.problems[0].file == "broken.yaml"
    assert info.value.problems[0].line in (5, 6)
    assert "malformed YAML" in str(info.value)


def test_duplicate_key_is_malformed(write: Write) -> None:
    with pytest.raises(DataError, match="duplicate key 'name'"):
        load_scenario(write("dup", HEADER + "name: a\nname: b\n"))


def test_negative_capex_is_rejected_with_its_line(write: Write) -> None:
    path = write(
        "neg",
        HEADER
        + """investments:
  - id: x
    name: X
    capex_usd: -5
    opex_usd_per_year: 0
    start_year: 2025
    build_years: 1
    lifetime_years: 10
    source: hand
""",
    )
    with pytest.raises(DataError) as info:
        load_scenario(path)
    assert info.value.problems[0].line == 6
    assert "capex_usd must be ≥ 0" in info.value.problems[0].message


def test_bad_values_are_checked_like_the_csv_columns(write: Write) -> None:
    path = write("vals", HEADER + "changes:\n  - set: {node: P, capacity_teu_per_year: -1, kind: castle}\n")
    with pytest.raises(DataError) as info:
        load_scenario(path)
    messages = " | ".join(p.message for p in info.value.problems)
    assert "greater than 0" in messages and "expected one of terminal" in messages  # capacity 0 is refused too


def test_unknown_source_id_is_reported(write: Write) -> None:
    path = write("src", HEADER + "changes:\n  - growth: 2\n    source: nowhere\n")
    with pytest.raises(DataError, match="source id 'nowhere'"):
        apply_scenario(path)


def test_new_link_to_missing_node_is_a_clean_error(write: Write) -> None:
    path = write(
        "dangling",
        HEADER + "changes:\n  - new_link: {id: X1, from: J, to: NOPE, mode: road, distance_km: 5}\n",
    )
    with pytest.raises(DataError) as info:
        apply_scenario(path)
    assert info.value.problems[0].line == 4 and "NOPE" in info.value.problems[0].message


def test_adding_to_a_missing_value_says_use_set(write: Write) -> None:
    path = write("nothing", HEADER + "changes:\n  - add: {node: J, capacity_teu_per_year: 5}\n")
    with pytest.raises(DataError, match="use 'set'"):
        apply_scenario(path)


def test_unknown_scenario_name_suggests() -> None:
    with pytest.raises(UnknownNameError, match="scenario"):
        load_scenario("no-such-scenario-anywhere")


def test_a_scenario_needs_a_base(write: Write) -> None:
    with pytest.raises(DataError, match="names a base"):
        load_scenario(write("nobase", "changes: []\n"))
