from __future__ import annotations

from pathlib import Path

import pytest

from corridor.demand import load_demand
from corridor.errors import DataError, InputError, UnknownNameError
from corridor.network import load_network

DATA = Path(__file__).parents[1] / "data"


@pytest.fixture
def mini():  # type: ignore[no-untyped-def]
    return load_network(DATA / "mini")


def test_loads_and_resolves_aliases(mini) -> None:  # type: ignore[no-untyped-def]
    demand = load_demand(DATA / "mini-demand", mini)
    assert demand.name == "mini-demand" and demand.year == 2024
    assert [(f.origin, f.destination, f.cargo) for f in demand.flows] == [
        ("A", "Z", "container"),
        ("A", "Q", "container"),
        ("P", "Z", "general"),
    ]
    assert demand.total_teu == 3000
    assert demand.total_t == 3000 * 10 + 50000


def test_growth_scales_every_volume(mini) -> None:  # type: ignore[no-untyped-def]
    demand = load_demand(DATA / "mini-demand", mini)
    grown = demand.scaled(1.62)
    assert grown.total_teu == pytest.approx(3000 * 1.62)
    assert grown.total_t == pytest.approx(demand.total_t * 1.62)
    assert demand.total_teu == 3000  # the original is unchanged
    with pytest.raises(InputError):
        demand.scaled(-1)


def _write(tmp_path: Path, rows: str) -> Path:
    path = tmp_path / "flows.csv"
    path.write_text("origin,destination,cargo,volume_teu_per_year,volume_t_per_year,source\n" + rows, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("rows", "line", "text"),
    [
        ("Alhpa,Z,container,10,,\n", 2, "did you mean 'Alpha (A)'"),
        ("A,Z,container,-5,,\n", 2, "≥ 0"),
        ("A,A,container,5,,\n", 2, "same node"),
        ("A,Z,general,5,,\n", 2, "need volume_t_per_year"),
        ("A,Z,boxes,5,,\n", 2, "expected one of container"),
        ("A,Z,container,5,,\nA,Q,container,,,\n", 3, "need volume_teu_per_year"),
        ("A,Z,container,5,,nosuch\n", 2, "not in sources.csv"),
    ],
)
def test_bad_demand_names_line_and_reason(mini, tmp_path: Path, rows: str, line: int, text: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(DataError) as info:
        load_demand(_write(tmp_path, rows), mini)
    assert any(p.line == line and text in p.message for p in info.value.problems), str(info.value)


def test_unknown_demand_name(mini) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(UnknownNameError):
        load_demand("no-such-set", mini)


def test_without_keeps_demand_off_named_assets(mini, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "demand.toml").write_text('name = "x"\nwithout = ["PQ", "Zz"]\n', encoding="utf-8")
    _write(tmp_path, "A,Z,container,5,,\n")
    with pytest.raises(DataError, match=r"'Zz', which is no link or node; did you mean 'Z'"):
        load_demand(tmp_path, mini)
    (tmp_path / "demand.toml").write_text('name = "x"\nwithout = ["PQ"]\n', encoding="utf-8")
    demand = load_demand(tmp_path, mini)
    assert demand.without == ("PQ",)
    assert not mini.without(demand.without).link("PQ").enabled
    assert mini.link("PQ").enabled  # the network itself is unchanged


def test_bundled_sets_stay_on_the_corridor(mini) -> None:  # type: ignore[no-untyped-def]
    from corridor.demand import bundled_demand_sets

    network = load_network("middle-corridor")
    for name in bundled_demand_sets():
        demand = load_demand(name, network)
        assert "shanghai-rotterdam-suez" in demand.without and "petropavl" in demand.without, name
