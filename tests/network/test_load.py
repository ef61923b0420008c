from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

import corridor
from corridor.errors import DataError, UnknownNameError
from corridor.network import Network, load_network, provenance_gaps

MINI = Path(__file__).parents[1] / "data" / "mini"


def test_mini_loads_with_every_table() -> None:
    net = load_network(MINI)
    assert net.name == "mini"
    assert [n.id for n in net.nodes] == ["A", "G", "J", "P", "Q", "Z"]
    assert net.link("PQ").service == "F1"
    assert net.service("F1").cycle_h == 20 + 20 + 2 * 6
    assert net.closures[0].months == frozenset({11, 12, 1, 2})
    assert net.node("G").is_gauge_change and net.node("G").is_border
    assert provenance_gaps(net) == []


def test_resolve_ids_names_aliases_case_insensitively() -> None:
    net = load_network(MINI)
    assert net.resolve("a").id == "A"
    assert net.resolve("  port west ").id == "Q"
    assert net.resolve("АЛЬФА").id == "A"
    assert net.resolve("kvyu").id == "Q"


def test_unknown_place_suggests_close_names() -> None:
    net = load_network(MINI)
    with pytest.raises(UnknownNameError, match=r"did you mean .*Port East \(P\)"):
        net.resolve("Port Est")


def test_moving_time_falls_back_to_speed_then_mode_default() -> None:
    net = load_network(MINI)
    link = net.link("AG")
    assert link.moving_time_h == 10
    assert replace(link, time_h=None, speed_km_per_h=50).moving_time_h == pytest.approx(4)
    assert replace(link, time_h=None).moving_time_h == pytest.approx(200 / 35)


def test_pipelines_carry_only_liquids_by_default() -> None:
    net = load_network(MINI)
    pipe = replace(net.link("QZ"), mode="pipeline", gauge_mm=None)
    assert pipe.allowed_cargo == frozenset({"liquid"})
    assert net.link("QZ").allowed_cargo == frozenset({"container", "general", "liquid"})


def test_network_constructor_checks_references() -> None:
    net = load_network(MINI)
    dangling = replace(net.links[0], to_id="NOWHERE")
    with pytest.raises(DataError, match="NOWHERE"):
        Network(name="x", nodes=net.nodes, links=(dangling, *net.links[1:]), services=net.services)


def test_gauge_break_outside_gauge_change_node_is_rejected() -> None:
    net = load_network(MINI)
    broken = replace(net.link("QZ"), gauge_mm=1435)
    nodes = tuple(replace(n, kind="junction") if n.id == "G" else n for n in net.nodes)
    with pytest.raises(DataError, match="gauge mismatch at node 'G'"):
        Network(name="x", nodes=nodes, links=(*net.links[:-1], broken), services=net.services)


def test_unknown_network_name_lists_bundled_ones() -> None:
    with pytest.raises(UnknownNameError, match="did you mean"):
        corridor.load_network("midle-corridor")


def test_a_file_instead_of_a_folder_is_a_clear_error(tmp_path: Path) -> None:
    f = tmp_path / "nodes.csv"
    f.write_text("id\n", encoding="utf-8")
    with pytest.raises(DataError, match="is a file"):
        load_network(f)
