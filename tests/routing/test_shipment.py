from __future__ import annotations

import pytest

from corridor.errors import InputError
from corridor.routing import Shipment


def test_container_spec_with_default_weight() -> None:
    s = Shipment.parse("2x40HC")
    assert s.cargo == "container"
    assert s.teu == 4.0 and s.feu == 2.0
    # default: 10 t of cargo per TEU on top of a 3.9 t tare
    assert s.lots[0].gross_t == pytest.approx(23.9)
    assert s.cargo_t == pytest.approx(40.0)


def test_mixed_lots_and_gross_weight() -> None:
    s = Shipment.parse("1x20DV@18t, 2x40HC@24t")
    assert s.teu == 5.0
    assert s.cargo_t == pytest.approx((18 - 2.2) + 2 * (24 - 3.9))


@pytest.mark.parametrize(
    ("spec", "cargo", "tonnes"), [("general:500t", "general", 500), ("liquid:20,000t", "liquid", 20000)]
)
def test_bulk_specs(spec: str, cargo: str, tonnes: float) -> None:
    s = Shipment.parse(spec)
    assert (s.cargo, s.tonnes, s.cargo_t, s.teu) == (cargo, tonnes, tonnes, 0.0)


@pytest.mark.parametrize(
    "spec", ["2x50HC", "two boxes", "0x40HC", "1x40HC@2t", "1x20DV@40t", "liquid:0t", "1x40ZZ", ""]
)
def test_malformed_specs_are_input_errors(spec: str) -> None:
    with pytest.raises(InputError) as err:
        Shipment.parse(spec)
    # the engine names its parameter, not the CLI flag (the CLI maps field -> flag in one place)
    assert [p.field for p in err.value.problems] == ["cargo"] * len(err.value.problems)
    assert "--cargo" not in str(err.value)
