"""Appraisal: our EIRR and Monte Carlo against numpy-financial, measured in the same run.

Run from the project root::

    .venv/bin/python benchmarks/appraisal.py [--quick]

Comparisons (one JSON line each; the headline, the Monte Carlo, last):

1. ``appraisal-eirr``: the EIRR of many 30-year economic cash flows (the caspian-package profile
   with each year's net scaled by a seeded random factor) by ``corridor.appraisal.irr`` (Brent's
   method on the NPV) against ``numpy_financial.irr`` (roots of the NPV polynomial).  Equal when
   every rate agrees within 1e-6.
2. ``appraisal-monte-carlo``: ENPV of seeded draws (capex, demand, value of time, carbon price) for
   the caspian-package profile by ``corridor.appraisal.monte_carlo`` (the linear present values, one
   SeedSequence per draw) against rebuilding each draw's yearly net cash flow and discounting it
   with ``numpy_financial.npv`` — the spreadsheet way.  Same draws; equal within 1e-9 relative.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from collections.abc import Callable
from typing import Any

import numpy as np
import numpy_financial as npf

from corridor.appraisal import Appraisal, irr, monte_carlo, present_values
from corridor.scenario.appraisal import AppraisalRun, appraise_scenarios


def _median_time(fn: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    times, out = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), out


def _profile() -> Appraisal:
    (package, *_rest) = appraise_scenarios(["caspian-package"], AppraisalRun(monte_carlo=False))
    return package


def eirr(a: Appraisal, n: int, repeat: int) -> dict[str, Any]:
    rng = np.random.default_rng(1)
    base = a.profile.economic_net
    flows = [base * rng.uniform(0.5, 1.5, base.size) for _ in range(n)]
    ours_s, ours = _median_time(lambda: [irr(f) for f in flows], repeat)
    peer_s, peer = _median_time(lambda: [float(npf.irr(f)) for f in flows], repeat)
    equal = all(o is not None and abs(o - p) < 1e-6 for o, p in zip(ours, peer, strict=True))
    return {"benchmark": "appraisal-eirr", "ours_s": ours_s, "peer": "numpy-financial 1.0 irr", "peer_s": peer_s,
            "ratio": peer_s / ours_s, "equal_results": equal, "profiles": n}  # fmt: skip


def mc(a: Appraisal, draws: int, repeat: int) -> dict[str, Any]:
    params = a.params.with_overrides({"replications": draws}, "benchmark")
    pv = present_values(a.profile)
    ours_s, ours = _median_time(lambda: monte_carlo(pv, params).enpv, repeat)
    profile, p = a.profile, params
    user_money = profile.benefit("user_existing_money") + profile.benefit("user_new_money")
    user_time = profile.benefit("user_existing_time") + profile.benefit("user_new_time")
    producer, co2e = profile.benefit("producer"), profile.co2e_value
    cf = p.conversion_factor
    capex, opex = profile.capex + profile.renewals - profile.residual, profile.opex

    def peer_run() -> list[float]:
        out = []
        for seq in np.random.SeedSequence(p.seed).spawn(p.replications):
            rng = np.random.default_rng(seq)
            k = rng.triangular(p.capex_overrun_low, p.capex_overrun_mode, p.capex_overrun_high)
            d = rng.triangular(p.demand_low, 1.0, p.demand_high)
            v = rng.triangular(p.value_of_time_low, 1.0, p.value_of_time_high)
            c = rng.triangular(p.carbon_low, 1.0, p.carbon_high)
            net = d * (user_money + v * user_time + producer + c * co2e) - cf * (k * capex + opex)
            out.append(float(npf.npv(p.discount_rate, net)))
        return out

    peer_s, peer = _median_time(peer_run, repeat)
    scale = max(abs(x) for x in peer)
    equal = all(abs(o - q) <= 1e-9 * scale for o, q in zip(ours, peer, strict=True))
    return {"benchmark": "appraisal-monte-carlo", "ours_s": ours_s, "peer": "numpy-financial 1.0 npv per draw",
            "peer_s": peer_s, "ratio": peer_s / ours_s, "equal_results": equal, "draws": draws}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer profiles and draws (seconds)")
    args = parser.parse_args()
    n, draws, repeat = (200, 500, 3) if args.quick else (2000, 5000, 5)
    t = time.perf_counter()
    a = _profile()
    print(f"caspian-package appraised over {len(a.trajectory)} demand years in {time.perf_counter() - t:.1f} s")
    rows = [eirr(a, n, repeat), mc(a, draws, repeat)]
    print(f"{'comparison':<24}{'ours s':>10}{'peer s':>10}{'ratio':>8}  equal  peer")
    for r in rows:
        print(
            f"{r['benchmark']:<24}{r['ours_s']:>10.4f}{r['peer_s']:>10.4f}{r['ratio']:>8.1f}  {r['equal_results']!s:<5}  {r['peer']}"
        )
    for r in rows:
        print(json.dumps(r))


if __name__ == "__main__":
    main()
