"""Appraisal: a small case worked by hand, and the conventions around it."""

from __future__ import annotations

import pytest

from corridor.errors import InputError
from corridor.scenario import Investment
from corridor.scenario.appraisal import Assumptions, Outcome, appraise, incremental_investments, rank

HUB = Investment(
    id="hub",
    name="Hub",
    capex_usd=5000,
    opex_usd_per_year=10,
    start_year=2025,
    build_years=1,
    lifetime_years=10,
)
ASSUME = Assumptions(
    horizon_years=4,
    discount_rate=0.10,
    start_year=2025,
    value_of_time_usd_per_teu_day=2,
    margin_usd_per_teu=0.1,
    margin_usd_per_t=0,
)


def test_hand_worked_npv_bcr_payback() -> None:
    base = Outcome(served_teu_per_year=1000, served_t_per_year=0, door_to_door_days=10)
    hub = Outcome(served_teu_per_year=2000, served_t_per_year=0, door_to_door_days=9)
    result = appraise(hub, base, [HUB], ASSUME)
    # By hand: 1,000 extra TEU x 0.1 = 100 a year of revenue; 1 day saved on 1,000 base TEU plus
    # half of the 1,000 new TEU (rule of a half) x USD 2 = 3,000 a year; benefits from 2026 (built
    # in 2025).  Capex 5,000 in 2025; opex 10 a year from 2026.
    assert result.revenue_per_year == pytest.approx(100)
    assert result.time_value_per_year == pytest.approx(3000)
    d1, d2, d3 = 1 / 1.1, 1 / 1.1**2, 1 / 1.1**3  # 0.909091, 0.826446, 0.751315
    pv_benefits = 3100 * (d1 + d2 + d3)  # 7,709.24
    pv_costs = 5000 + 10 * (d1 + d2 + d3)  # 5,024.87
    assert result.pv_benefits == pytest.approx(pv_benefits)
    assert result.pv_costs == pytest.approx(pv_costs)
    assert result.npv == pytest.approx(2684.37, abs=0.01)
    assert result.bcr == pytest.approx(1.5342, abs=1e-4)
    # cumulative discounted net: 2025 −5,000; 2026 −2,190.9; 2027 +362.8 → payback in 2027
    assert result.payback_year == 2027
    assert [y.capex for y in result.years] == [5000, 0, 0, 0]
    assert [y.opex for y in result.years] == [0, 10, 10, 10]


def test_capex_is_spread_over_build_years_and_never_pays_back_without_benefit() -> None:
    slow = Investment("x", "X", 900, 0, start_year=2026, build_years=3, lifetime_years=30)
    same = Outcome(100, 0, 5)
    result = appraise(same, same, [slow], ASSUME)
    assert [y.capex for y in result.years] == [0, 300, 300, 300]
    assert result.npv < 0 and result.bcr == 0 and result.payback_year is None


def test_a_policy_without_capex_pays_back_at_once() -> None:
    result = appraise(Outcome(100, 0, 4), Outcome(100, 0, 5), [], ASSUME)
    assert result.bcr is None and result.payback_year == 2025
    assert result.npv == pytest.approx(100 * 2 * (1 + 1 / 1.1 + 1 / 1.21 + 1 / 1.331))


def test_ranking_and_incremental_investments() -> None:
    good = appraise(Outcome(3000, 0, 9), Outcome(1000, 0, 10), [HUB], ASSUME, scenario="good")
    bad = appraise(Outcome(1000, 0, 10), Outcome(1000, 0, 10), [HUB], ASSUME, scenario="bad")
    assert [a.scenario for a in rank([bad, good])] == ["good", "bad"]
    other = Investment("other", "O", 1, 0, 2025, 0, 1)
    assert incremental_investments([HUB, other], [HUB]) == (other,)
    assert good.to_json()["assumptions"][3]["key"] == "value_of_time_usd_per_teu_day"


@pytest.mark.parametrize("kwargs", [{"horizon_years": 0}, {"discount_rate": 1.5}, {"margin_usd_per_teu": -1}], ids=str)
def test_bad_assumptions_are_input_errors(kwargs: dict[str, float]) -> None:
    with pytest.raises(InputError):
        Assumptions(**kwargs)  # type: ignore[arg-type]


def test_a_project_started_before_the_appraisal_year_keeps_its_capex() -> None:
    early = Investment("e", "E", 300, 0, start_year=2023, build_years=3, lifetime_years=10)
    result = appraise(Outcome(1, 0, 1), Outcome(1, 0, 1), [early], ASSUME)
    assert [y.year for y in result.years] == [2023, 2024, 2025, 2026]
    assert sum(y.capex for y in result.years) == 300


def test_time_savings_are_counted_per_od_not_from_the_traffic_mix() -> None:
    # Base: A→B 1,000 TEU at 10 d.  Scenario: A→B 1,000 TEU at 9 d, plus a new long-haul OD
    # C→D 1,000 TEU at 30 d.  Corridor-wide mean days rise from 10 to 19.5 — a "loss" of 9.5 days
    # that is only a change of mix.  Per OD, A→B saves 1 day on 1,000 TEU: USD 2 x 1,000 = 2,000.
    base = Outcome(1000, 0, 10, od_days={"A→B": (1000, 10.0)})
    scen = Outcome(2000, 0, 19.5, od_days={"A→B": (1000, 9.0), "C→D": (1000, 30.0)})
    result = appraise(scen, base, [HUB], ASSUME)
    assert result.days_saved == pytest.approx(1.0)
    assert result.time_value_per_year == pytest.approx(2000)
    assert result.revenue_per_year == pytest.approx(100)
    # an OD whose volume grows counts its base volume plus half the growth
    grown = Outcome(1500, 0, 9, od_days={"A→B": (1500, 9.0)})
    assert appraise(grown, base, [HUB], ASSUME).time_value_per_year == pytest.approx(1250 * 1 * 2)
