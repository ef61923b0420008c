"""A two-year, one-OD appraisal whose every line is computed here from first principles, and the
rule of a half checked against the area under a linear demand curve."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy.integrate import quad

from corridor.appraisal import (
    Appraisal,
    CostParts,
    ODCost,
    Parameters,
    build_profile,
    od_benefit,
    year_benefits,
)
from corridor.scenario import Investment

# A hub built in 2025 (capex 20,000), open from 2026 with opex 10 a year and a 4-year life.
HUB = Investment("hub", "Hub", 20_000, 10, start_year=2025, build_years=1, lifetime_years=4)
PARAMS = Parameters(
    start_year=2025,
    horizon_years=2,
    discount_rate=0.10,
    financial_discount_rate=0.04,
    value_of_time_usd_per_teu_day=10.0,
    reliability_ratio=0.5,
    operator_margin=0.1,
    ramp_up_years=0,
    growth_after_last_year=0.0,
    carbon_usd_per_t_2025=100.0,
    carbon_usd_per_t_2030=100.0,
    carbon_usd_per_t_2050=100.0,
)
# One container OD.  Base: 100 of 150 TEU carried (capacity rations it); the rest takes the
# comparator route.  With the hub all 150 are carried, 2 days faster and 1 day less spread.
BASE_PARTS = CostParts(money_usd=500.0, days=10.0, spread_days=4.0, co2e_t=1.0)
HUB_PARTS = CostParts(money_usd=500.0, days=8.0, spread_days=3.0, co2e_t=0.9)
ALT = CostParts(money_usd=700.0, days=20.0, spread_days=10.0, co2e_t=2.0)
BASE = ODCost("A", "B", "container", "teu", 100.0, 150.0, BASE_PARTS, ALT)
SCEN = ODCost("A", "B", "container", "teu", 150.0, 150.0, HUB_PARTS, ALT)


def _appraisal() -> Appraisal:
    modelled = (year_benefits(2026, {BASE.key: BASE}, {SCEN.key: SCEN}, PARAMS),)
    profile = build_profile(modelled, [HUB], PARAMS)
    return Appraisal("hub", "base", (HUB,), PARAMS, modelled, ((2026, "d"),), profile)


def test_every_line_by_hand() -> None:
    vot, rr = 10.0, 0.5
    gc_base = 500 + vot * (10 + rr * 4)  # 620
    gc_hub = 500 + vot * (8 + rr * 3)  # 595
    gc_alt = 700 + vot * (20 + rr * 10)  # 950
    existing = 100 * (gc_base - gc_hub)  # 2,500: the 100 TEU carried in both cases
    new = 0.5 * (150 - 100) * (gc_alt - gc_hub)  # 8,875: 50 TEU won from the comparator, rule of a half
    producer = 150 * 500 - 100 * 500 - (1 - 0.1) * 500 * (150 - 100)  # 2,500: margin on the 50 TEU
    co2e_change = 150 * 0.9 - 100 * 1.0 - 50 * 2.0  # -65 t: the comparator emitted more
    co2e_value = -co2e_change * 100  # 6,500
    benefits_2026 = existing + new + producer + co2e_value
    residual = 20_000 * (2030 - 2027) / 4  # life 2026-2029: 3 of 4 years left after 2026
    net = [-20_000.0, benefits_2026 - 10 - 0 + residual]
    financial = [-20_000.0, producer - 10 + residual]

    a = _appraisal()
    rows = a.profile.rows()
    assert [r["year"] for r in rows] == [2025, 2026]
    assert rows[0]["capex"] == 20_000 and rows[0]["user_existing"] == 0 and rows[0]["operating_share"] == 0
    r = rows[1]
    assert r["user_existing"] == pytest.approx(existing)
    assert r["user_new"] == pytest.approx(new)
    assert r["producer"] == pytest.approx(producer)
    assert r["co2e_change_t"] == pytest.approx(co2e_change)
    assert r["co2e_value"] == pytest.approx(co2e_value)
    assert (r["capex"], r["opex"], r["renewals"]) == (0, 10, 0)
    assert r["residual"] == pytest.approx(residual)
    assert [x["economic_net"] for x in rows] == pytest.approx(net)
    assert [x["financial_net"] for x in rows] == pytest.approx(financial)

    assert a.enpv == pytest.approx(net[0] + net[1] / 1.1)
    assert a.fnpv == pytest.approx(financial[0] + financial[1] / 1.04)
    assert a.eirr == pytest.approx(net[1] / 20_000 - 1)  # -20,000 + x / (1 + r) = 0
    assert a.firr == pytest.approx(financial[1] / 20_000 - 1)
    assert a.bcr == pytest.approx((benefits_2026 / 1.1) / (20_000 + (10 - residual) / 1.1))
    assert a.payback_year == 2026
    assert a.dominant == "user_new"


def test_switching_values_bring_enpv_to_zero() -> None:
    from corridor.appraisal import present_values, switching_values

    pv = present_values(_appraisal().profile)
    for s in switching_values(pv):
        if s.factor is not None:
            assert pv.enpv(**{s.driver: s.factor}) == pytest.approx(0.0, abs=1e-6 * pv.capex)


def test_capex_before_the_start_year_is_sunk() -> None:
    track = Investment("t", "Track", 3_000, 0, start_year=2023, build_years=3, lifetime_years=40)
    params = Parameters(start_year=2025, horizon_years=3, ramp_up_years=0)
    profile = build_profile((year_benefits(2025, {}, {}, params),), [track], params)
    rows = profile.rows()
    assert [r["year"] for r in rows] == [2025, 2026, 2027]
    assert [r["capex"] for r in rows] == [1_000, 0, 0]  # 2023 and 2024 are sunk
    assert rows[0]["sunk_capex"] == 2_000
    assert rows[-1]["residual"] == pytest.approx(3_000 * (2066 - 2028) / 40)


@given(
    a=st.floats(1_000, 100_000),
    b=st.floats(0.1, 10),
    c0=st.floats(10, 500),
    cut=st.floats(0.01, 0.9),
)
def test_rule_of_a_half_is_the_area_under_a_linear_demand_curve(a: float, b: float, c0: float, cut: float) -> None:
    """Demand T(C) = a − bC: the users' gain from a cost cut C0 → C1 is ∫ T(C) dC from C1 to C0."""
    c0 = min(c0, 0.99 * a / b)  # keep T0 > 0
    c1 = c0 * (1 - cut)
    t0, t1 = a - b * c0, a - b * c1
    area, _ = quad(lambda c: a - b * c, c1, c0)
    base = ODCost("A", "B", "container", "teu", t0, t0, CostParts(c0, 0.0, 0.0, 0.0))
    scen = ODCost("A", "B", "container", "teu", t1, t1, CostParts(c1, 0.0, 0.0, 0.0))
    gain = od_benefit(base, scen, PARAMS)
    assert gain.existing.total + gain.new.total == pytest.approx(area, rel=1e-9)
    # and backwards: a cost rise loses the same area
    loss = od_benefit(scen, base, PARAMS)
    assert loss.existing.total + loss.new.total == pytest.approx(-area, rel=1e-9)


def test_time_saving_on_a_changed_mix_is_never_booked_as_a_loss() -> None:
    """Newly served long-haul traffic raises the corridor's mean days; per OD, nobody loses time."""
    short = CostParts(100.0, 5.0, 0.0, 0.0)
    long_ = CostParts(300.0, 20.0, 0.0, 0.0)
    alt = CostParts(400.0, 30.0, 0.0, 0.0)
    base = {
        ("A", "B", "container"): ODCost("A", "B", "container", "teu", 100, 100, short, alt),
        ("A", "C", "container"): ODCost("A", "C", "container", "teu", 0, 50, long_, alt),
    }
    scen = {
        ("A", "B", "container"): ODCost("A", "B", "container", "teu", 100, 100, short, alt),
        ("A", "C", "container"): ODCost("A", "C", "container", "teu", 50, 50, long_, alt),
    }
    y = year_benefits(2027, base, scen, PARAMS)
    assert y.existing.total == 0
    assert y.new.total == pytest.approx(0.5 * 50 * ((400 + 10 * 30) - (300 + 10 * 20)))


def test_only_traffic_that_left_a_comparator_earns_its_emissions_credit() -> None:
    """Of 50 TEU won, the assignment says 30 came off the comparator and 20 were not moved before."""
    base = ODCost("A", "B", "container", "teu", 100.0, 150.0, BASE_PARTS, ALT, diverted=30.0)
    scen = ODCost("A", "B", "container", "teu", 150.0, 150.0, HUB_PARTS, ALT, diverted=0.0)
    got = od_benefit(base, scen, PARAMS)
    assert got.co2e_t == pytest.approx(150 * 0.9 - 100 * 1.0 - 30 * 2.0)
    unknown = od_benefit(BASE, SCEN, PARAMS)  # no split reported: all 50 counted as diverted
    assert unknown.co2e_t == pytest.approx(150 * 0.9 - 100 * 1.0 - 50 * 2.0)
