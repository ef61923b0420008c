"""Issue 11's price shapes: cargo classes, ranges, reefer, and no silent zero in a total."""

from __future__ import annotations

import pytest

from corridor.errors import NoRouteError
from corridor.routing import Route, Router


def _lines(r: Route, item: str) -> list[str]:
    return [c.where for c in r.cost.lines if c.item == item]


def test_crude_is_not_charged_a_container_handling_rate(bundled_router: Router) -> None:
    best = bundled_router.route("Aktau", "Ceyhan", "liquid:20000t").best
    for line in best.cost.lines:
        assert "per-TEU" not in line.basis or line.missing
    handling = [c for c in best.cost.lines if c.item == "terminal_handling"]
    assert handling and all(c.missing and c.amount == 0 for c in handling)
    assert not best.cost.complete and best.cost.missing
    assert best.cost.low < best.cost.total < best.cost.high  # never "1,080,000-1,080,000"


def test_general_cargo_has_a_range(bundled_router: Router) -> None:
    best = bundled_router.route("Altynkol", "Baku", "general:500t").best
    assert best.cost.low < best.cost.total < best.cost.high


def test_a_reefer_is_not_priced_like_a_dry_box(bundled_router: Router) -> None:
    dry = bundled_router.route("Altynkol", "Baku", "1x40HC").best
    reefer = bundled_router.route("Altynkol", "Baku", "1x40RF").best
    assert dry.cost.complete
    assert _lines(reefer, "reefer_surcharge") and not reefer.cost.complete
    assert "reefer surcharge" in reefer.cost.missing[0]


def test_a_missing_tariff_flags_the_total_instead_of_adding_zero(bundled_router: Router) -> None:
    res = bundled_router.route("Xi'an", "Duisburg", "1x40HC", alternatives=6)
    for r in res.routes:
        zero = [c for c in r.cost.lines if c.item in ("line_haul", "ferry_freight") and c.amount == 0]
        assert all(c.missing for c in zero)
        assert r.cost.complete == (not zero)
        assert r.to_json()["cost_usd"]["complete"] == r.cost.complete


def test_the_btc_charge_is_booked_to_each_country_it_crosses(bundled_router: Router) -> None:
    """Issue 11: the whole BTC charge went to AZ.  443/249/1,076 km of 1,768 (bp-btc) of USD 22/t."""
    best = bundled_router.route("Aktau", "Ceyhan", "liquid:20000t").best
    by_country = {c.country: c.amount for c in best.cost.lines if c.item == "pipeline_tariff"}
    assert set(by_country) == {"AZ", "GE", "TR"}
    assert abs(sum(by_country.values()) - 22.0 * 20_000) < 20_000 * 0.02  # rounding of the per-t figures only
    for country, km in (("AZ", 443), ("GE", 249), ("TR", 1_076)):
        assert abs(by_country[country] - 22.0 * 20_000 * km / 1_768) < 20_000 * 0.01, country
    # and avoiding Georgia now really keeps the crude off the pipeline that crosses it
    with pytest.raises(NoRouteError):
        bundled_router.route("Aktau", "Ceyhan", "liquid:20000t", avoid=["GE"])
