"""Closure episodes: drawn only for the nodes and links their rules name, merged per target."""

from __future__ import annotations

import itertools
import time
from dataclasses import replace

import numpy as np
import pytest

from corridor import load_demand, load_network
from corridor.sim._closures import draw_episodes
from corridor.sim._plan import Plan, build_plan
from corridor.sim._rules import SimRules


@pytest.fixture(scope="module")
def plan() -> Plan:
    network = load_network("middle-corridor")
    return build_plan(network, load_demand("2024", network), SimRules(), days=365, warmup_days=30)


def _intervals(off: np.ndarray, start: np.ndarray, end: np.ndarray, i: int) -> list[tuple[float, float]]:
    return list(zip(start[off[i] : off[i + 1]].tolist(), end[off[i] : off[i + 1]].tolist(), strict=True))


def test_episodes_sit_only_on_the_targets_merged_and_in_order(plan: Plan) -> None:
    targets = set(plan.closure_targets)
    assert len({i for k, i in targets if k == 0}) >= 2, "the bundled corridor closes several ports"
    for seed in range(20):
        ep = draw_episodes(plan, np.random.default_rng(seed))
        assert ep.node_off[-1] == ep.link_off[0] and ep.link_off[-1] == len(ep.start) == len(ep.end)
        for kind, ids, off in ((0, plan.node_ids, ep.node_off), (1, plan.link_ids, ep.link_off)):
            for i in range(len(ids)):
                spells = _intervals(off, ep.start, ep.end, i)
                if (kind, i) not in targets:
                    assert spells == []
                for (s0, e0), (s1, e1) in itertools.pairwise(spells):
                    assert s0 < e0 < s1 < e1  # sorted, disjoint: overlapping rules were merged
        # each rule's closed hours lie within the measured window and within its target's spells
        assert np.all(ep.closed_h >= 0) and np.all(ep.closed_h <= plan.end_h - plan.warmup_h)


def test_the_network_size_does_not_enter(plan: Plan) -> None:
    """100,000 more (unclosed) links add no work beyond one cumulative sum."""
    big = replace(plan, link_ids=plan.link_ids + tuple(f"x{i}" for i in range(100_000)))

    def best(p: Plan) -> float:
        times = []
        for seed in range(15):
            t0 = time.perf_counter()
            draw_episodes(p, np.random.default_rng(seed))
            times.append(time.perf_counter() - t0)
        return min(times)

    small_ep, big_ep = draw_episodes(plan, np.random.default_rng(1)), draw_episodes(big, np.random.default_rng(1))
    np.testing.assert_array_equal(small_ep.start, big_ep.start)
    assert len(big_ep.link_off) == len(plan.link_ids) + 100_001
    # a scan of every link (the old drawing) is ~30× slower here; one cumsum is well inside 3×
    assert best(big) < 3 * best(plan) + 0.002
