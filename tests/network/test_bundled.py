"""The bundled Middle Corridor: complete, consistent, and every number sourced."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from corridor.cli import cli
from corridor.network import bundled_networks, load_network, provenance_gaps

EU = {"AT", "BE", "BG", "CZ", "DE", "FR", "HU", "IT", "NL", "PL", "RO", "SK", "SI", "HR", "ES", "GR", "LT", "LV", "EE"}


@pytest.fixture(scope="module")
def net():  # type: ignore[no-untyped-def]
    return load_network("middle-corridor")


def test_is_bundled() -> None:
    assert "middle-corridor" in bundled_networks()


def test_size_and_coverage(net) -> None:  # type: ignore[no-untyped-def]
    assert len(net.nodes) >= 30
    assert len(net.links) >= 34
    countries = set(net.countries)
    assert {"CN", "KZ", "TM", "AZ", "GE", "TR"} <= countries
    assert countries & EU
    modes = {lk.mode for lk in net.links}
    assert "rail" in modes and "pipeline" in modes and modes & {"ferry", "sea"}


def test_every_number_has_a_source_or_an_estimate_flag(net) -> None:  # type: ignore[no-untyped-def]
    assert provenance_gaps(net) == []
    for src in net.sources:
        assert src.title.strip(), f"source {src.id} has no title/reasoning"
        if src.kind == "published":
            assert src.url.startswith(("http://", "https://")) or src.publisher, src.id


def test_rail_gauges_and_gauge_changes(net) -> None:  # type: ignore[no-untyped-def]
    assert all(lk.gauge_mm in (1435, 1520) for lk in net.links if lk.mode == "rail")
    changes = {n.id for n in net.nodes if n.is_gauge_change}
    assert len(changes) >= 3  # the two Chinese entries and Akhalkalaki at least


def test_caspian_crossings_are_services_with_fill_or_timeout(net) -> None:  # type: ignore[no-untyped-def]
    caspian = {"AZ", "KZ", "TM"}
    crossings = [
        lk
        for lk in net.links
        if lk.mode in ("sea", "ferry")
        and {net.node(lk.from_id).country, net.node(lk.to_id).country} <= caspian
        and net.node(lk.from_id).country != net.node(lk.to_id).country
    ]
    assert len(crossings) >= 3
    for lk in crossings:
        if "container" in lk.allowed_cargo:
            assert lk.service, lk.id
            assert net.service(lk.service).departure == "fill_or_timeout"
    assert any(c.closed_share > 0 for c in net.closures)


def test_cli_show_json_lists_nodes_and_links() -> None:
    result = CliRunner().invoke(cli, ["network", "show", "middle-corridor", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert len(data["nodes"]) >= 30 and len(data["links"]) >= 34
    assert {"id", "name", "country", "kind"} <= set(data["nodes"][0])
    assert {"id", "from", "to", "mode", "distance_km"} <= set(data["links"][0])


def test_cli_validate_strict_passes() -> None:
    result = CliRunner().invoke(cli, ["network", "validate", "--strict", "middle-corridor"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("ok: middle-corridor")
