"""Comparison and appraisal report determinate progress: steps known before the first one (each
scenario's engine run, each appraisal's trajectory years and chunks of Monte Carlo draws)."""

from __future__ import annotations

import math

from corridor.appraisal import MC_CHUNK, Parameters
from corridor.scenario import load_scenario
from corridor.scenario.appraisal import appraise_scenarios
from corridor.scenario.comparison import compare

SCEN = "tests/data/mini-scenarios"


def calls() -> tuple[list[tuple[int, int]], object]:
    seen: list[tuple[int, int]] = []
    return seen, lambda done, total: seen.append((done, total))


def assert_determinate(seen: list[tuple[int, int]], total: int) -> None:
    assert seen[0] == (0, total) and seen[-1] == (total, total)
    assert all(t == total for _, t in seen)  # the total never moves
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)  # nor does done go back


def test_a_comparison_counts_scenarios_then_the_appraisals_years_and_draws() -> None:
    seen, progress = calls()
    result = compare([f"{SCEN}/mini-base.yaml", f"{SCEN}/mini-ferry.yaml"], progress=progress)  # type: ignore[arg-type]
    (appraisal,) = result.appraisals  # mini-ferry (one investment) against mini-base
    draws = appraisal.params.replications
    assert len(appraisal.trajectory) == 1
    # 2 scenario runs + 1 trajectory year (the mini network's own demand set) + the draws in chunks
    assert_determinate(seen, 2 + 1 + math.ceil(draws / MC_CHUNK))
    assert seen[2] == (2, seen[0][1])  # both scenarios are in before the appraisal starts


def test_an_appraisal_counts_its_years_and_draws() -> None:
    seen, progress = calls()
    (a,) = appraise_scenarios([load_scenario(f"{SCEN}/mini-ferry.yaml")], progress=progress)  # type: ignore[arg-type]
    assert a.monte_carlo is not None and len(a.monte_carlo.enpv) == a.params.replications
    assert_determinate(seen, 1 + math.ceil(a.params.replications / MC_CHUNK))
    assert Parameters().replications > MC_CHUNK  # so the draws are more than one step by default
