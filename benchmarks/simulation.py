"""Simulation benchmark: corridor's compiled event kernel against the same model in plain SimPy.

The SimPy version below runs the *same* model — the same :class:`Plan` (the routes: each flow split
across the capacity assignment's paths, one sub-flow per path; stages, servers, fleets, calendar),
the same closure episodes, the same rules and distributions — with one SimPy
process per cohort on the move and per vessel, ``simpy.Resource`` for node servers, and berth
queues of cohort records.  Only the order of random draws differs, so the two agree in
distribution, not draw for draw: the check compares per-replication mean and P90 door-to-door
times of the main origin–destination flows (sub-flows added up, as ``corridor.simulate`` reports) (Welch's t-test on the replications; equal unless a difference is
significant at 1% family-wise, Bonferroni).

Then the scaling: wall and CPU time of 2,000 replications at wb-2030 on one worker, two local worker
processes and a two-worker Dask ``LocalCluster`` (replications/s, speed-ups, CPU ms per
replication; the three results must be identical), 1,000 replications with default settings, and
the cold start (the first replication in a
fresh process with an empty numba cache).

Run from the project root:  .venv/bin/python benchmarks/simulation.py [--quick]
(``make setup`` has compiled the kernel into numba's cache; timings exclude loading it: one small
simulation runs first.  ``--quick``: a few replications of each, no cold start — seconds, for CI.)
"""

from __future__ import annotations

import bisect
import json
import math
import os
import resource
import sys
import time
from collections import deque
from typing import Any

import numpy as np
import simpy
from scipy import stats

from corridor import load_demand, load_network, simulate
from corridor.sim._closures import Episodes, draw_episodes
from corridor.sim._codes import MOVE, NODE, SCHEDULE
from corridor.sim._plan import Plan, build_plan
from corridor.sim._replication import hist_quantiles
from corridor.sim._rules import CAT, SimRules

PORT_WAIT, SAILING = CAT["port_wait"], CAT["sailing"]


# ------------------------------------------------------------------------------------------------
# the same model in SimPy
# ------------------------------------------------------------------------------------------------
def simpy_replication(plan: Plan, seed: np.random.SeedSequence) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """One replication; returns (delivered qty, qty·hours, histogram) per flow, measured window."""
    if np.any(plan.svc_rule == SCHEDULE):
        raise SystemExit("the SimPy reference implements fill-or-timeout services only")
    rng = np.random.Generator(np.random.PCG64(seed))
    ep: Episodes = draw_episodes(plan, rng)
    env = simpy.Environment()
    n_od = len(plan.flows)
    dlv, tsum, hist = np.zeros(n_od), np.zeros(n_od), np.zeros((n_od, plan.bins))

    def open_at(t: float, idx: int, off: np.ndarray) -> float:
        lo, hi = int(off[idx]), int(off[idx + 1])
        k = lo + bisect.bisect_right(ep.end[lo:hi].tolist(), t)
        return float(ep.end[k]) if k < hi and ep.start[k] <= t else t

    def busy_until(t: float, hold: float, idx: int) -> float:
        """A server's hold counts open hours only (it pauses while the node is closed)."""
        lo, hi = int(ep.node_off[idx]), int(ep.node_off[idx + 1])
        k = lo + bisect.bisect_right(ep.end[lo:hi].tolist(), t)
        while k < hi and ep.start[k] < t + hold:
            hold -= max(0.0, float(ep.start[k]) - t)
            t = float(ep.end[k])
            k += 1
        return t + hold

    def release(pool: simpy.Resource, req: Any, after: float) -> Any:
        yield env.timeout(after)
        pool.release(req)

    def draw(d: np.ndarray) -> float:
        code, a, b = d
        if code == 0:
            return float(a)
        if code == 1:
            return float(rng.exponential(a))
        return math.exp(a + b * rng.standard_normal())

    pools = {
        (i, p): simpy.Resource(env, capacity=int(plan.node_c[i, p]))
        for i in range(len(plan.node_ids))
        for p in (0, 1)
        if plan.node_c[i, p] > 0
    }
    n_svc = len(plan.service_ids)
    berth: list[list[deque[dict[str, Any]]]] = [[deque(), deque()] for _ in range(n_svc)]
    home_queue: list[deque[int]] = [deque() for _ in range(n_svc)]
    wake = [env.event() for _ in range(n_svc)]

    def notify(s: int) -> None:
        ev, wake[s] = wake[s], env.event()
        ev.succeed()

    def deliver(lot: dict[str, Any]) -> None:
        f, q = lot["od"], lot["qty"]
        if lot["birth"] >= plan.warmup_h:
            span = env.now - lot["birth"]
            dlv[f] += q
            tsum[f] += q * span
            hist[f, min(int(span / plan.bin_h), plan.bins - 1)] += q

    def travel(lot: dict[str, Any], pos: int) -> Any:
        f = lot["od"]
        end = plan.od_stage_off[f + 1]
        while pos < end:
            kind, arg, t0 = plan.st_kind[pos], int(plan.st_arg[pos]), env.now
            lot["pos"] = pos
            if kind == NODE:
                dur = draw(plan.node_dist[arg])
                p = int(plan.node_pool[arg, plan.od_unit[f]])
                if (arg, p) in pools:
                    pool = pools[(arg, p)]
                    req = pool.request()
                    yield req
                    yield env.timeout(open_at(env.now, arg, ep.node_off) - env.now)
                    # the cohort leaves after its dwell; the server stays blocked for κ ≥ 1 times it
                    hold = dur * plan.node_kappa[arg, p] * min(1.0, lot["qty"] / plan.od_full[f])
                    env.process(release(pool, req, busy_until(env.now, hold, arg) - env.now))
                    yield env.timeout(dur)
                else:
                    yield env.timeout(open_at(env.now, arg, ep.node_off) - env.now + dur)
            elif kind == MOVE:
                start = open_at(env.now, arg, ep.link_off)
                yield env.timeout(start - env.now + draw(plan.link_dist[arg]))
            else:  # service: wait at the berth as a record; the vessel moves it on
                lot["tin"] = env.now
                berth[arg][int(plan.st_dir[pos])].append(lot)
                notify(arg)
                return
            lot["acc"][plan.st_cat[pos]] += env.now - t0
            pos += 1
        deliver(lot)

    def load(s: int, d: int, aboard: list[dict[str, Any]], loaded: float) -> float:
        cap = float(plan.svc_cap[s])  # in the service's capacity unit (TEU, t or wagons)
        queue = berth[s][d]
        while queue and cap - loaded > 1e-9:
            lot = queue[0]
            room, need = cap - loaded, lot["qty"] * plan.od_eq[lot["od"], s]
            if need > room + 1e-9:
                part = room / plan.od_eq[lot["od"], s]
                aboard.append({**lot, "qty": part, "acc": list(lot["acc"])})
                lot["qty"] -= part
                loaded = cap
            else:
                aboard.append(queue.popleft())
                loaded += need
        return loaded

    def both_open(t: float, node: int, link: int) -> float:
        while True:
            t1 = open_at(open_at(t, node, ep.node_off), link, ep.link_off)
            if t1 == t:
                return t
            t = t1

    def land(aboard: list[dict[str, Any]], t_dep: float) -> None:
        for lot in aboard:
            lot["acc"][PORT_WAIT] += t_dep - lot["tin"]
            lot["acc"][SAILING] += env.now - t_dep
            env.process(travel(lot, lot["pos"] + 1))

    def vessel(v: int, s: int) -> Any:
        home, far, link = int(plan.svc_home[s]), int(plan.svc_far[s]), int(plan.svc_link[s])
        while True:
            home_queue[s].append(v)
            while not (home_queue[s][0] == v and (berth[s][0] or berth[s][1])):
                yield wake[s]
            aboard: list[dict[str, Any]] = []
            loaded = load(s, 0, aboard, 0.0)
            deadline = env.now + float(plan.svc_wait[s])
            while loaded < plan.svc_fill[s] * plan.svc_cap[s] - 1e-9 and env.now < deadline:
                yield wake[s] | env.timeout(deadline - env.now)
                loaded = load(s, 0, aboard, loaded)
            home_queue[s].popleft()
            notify(s)
            yield env.timeout(both_open(env.now, home, link) - env.now)
            t_dep = env.now
            yield env.timeout(open_at(env.now + draw(plan.svc_sail[s]), far, ep.node_off) - env.now)
            land(aboard, t_dep)
            yield env.timeout(float(plan.svc_port[s]))
            yield env.timeout(both_open(env.now, far, link) - env.now)
            back: list[dict[str, Any]] = []
            load(s, 1, back, 0.0)
            t_dep = env.now
            yield env.timeout(open_at(env.now + draw(plan.svc_return[s]), home, ep.node_off) - env.now)
            land(back, t_dep)
            yield env.timeout(float(plan.svc_port[s]))

    def arrivals(f: int) -> Any:
        rate, t = float(plan.od_rate[f]), 0.0
        while True:
            need = rng.exponential(1.0) if plan.od_arrival[f] == 0 else 1.0
            k = bisect.bisect_right(plan.seg_t.tolist(), t) - 1
            while True:
                r = rate * plan.seg_f[k]
                if r > 0 and need <= r * (plan.seg_t[k + 1] - t):
                    t += need / r
                    break
                if r > 0:
                    need -= r * (plan.seg_t[k + 1] - t)
                t = float(plan.seg_t[k + 1])
                k += 1
            yield env.timeout(t - env.now)
            lot = {
                "od": f,
                "qty": float(plan.od_qty[f]),
                "birth": env.now,
                "acc": [0.0] * len(CAT),
                "pos": 0,
                "tin": 0.0,
            }
            env.process(travel(lot, int(plan.od_stage_off[f])))

    for f in range(n_od):
        if plan.od_rate[f] > 0:
            env.process(arrivals(f))
    v = 0
    for s in range(n_svc):
        for _ in range(int(plan.svc_fleet[s])):
            env.process(vessel(v, s))
            v += 1
    env.run(until=plan.end_h)
    return dlv, tsum, hist


# ------------------------------------------------------------------------------------------------
# measurements
# ------------------------------------------------------------------------------------------------
def per_rep_stats(plan: Plan, runs: list[tuple[np.ndarray, np.ndarray, np.ndarray]]) -> tuple[np.ndarray, np.ndarray]:
    """Per replication and OD (sub-flows of an OD added up; histograms are per OD already): mean and
    P90 door-to-door hours."""
    folded = [(plan.by_od(d), plan.by_od(t), h) for d, t, h in runs]
    means = np.array([t / np.where(d > 0, d, np.nan) for d, t, _ in folded])
    p90 = np.array([hist_quantiles(h, plan.bin_h, (0.9,))[:, 0] for _, _, h in folded])
    return means, p90


def ours_per_rep(plan: Plan, seeds: list[np.random.SeedSequence]) -> tuple[float, list[tuple[np.ndarray, ...]]]:
    from corridor.sim._replication import run_one

    room = [0]
    run_one(plan, seeds[0], room=room)  # JIT warm-up (loads the cached kernel)
    t0 = time.perf_counter()
    raws = [run_one(plan, s, room=room) for s in seeds]
    elapsed = (time.perf_counter() - t0) / len(seeds)
    return elapsed, [(r.stats.dlv[:, 0], r.stats.tsum, r.stats.hist) for r in raws]


def welch_p(a: np.ndarray, b: np.ndarray) -> float:
    """Two-sided p-value of Welch's t-test on per-replication values."""
    a, b = a[np.isfinite(a)], b[np.isfinite(b)]
    if np.var(a) == 0 and np.var(b) == 0:
        return 1.0 if np.mean(a) == np.mean(b) else 0.0
    return float(stats.ttest_ind(a, b, equal_var=False).pvalue)


def compare(label: str, plan: Plan, reps_ours: int, reps_simpy: int) -> dict[str, Any]:
    seeds = np.random.SeedSequence(12345).spawn(max(reps_ours, reps_simpy))
    ours_s, ours_runs = ours_per_rep(plan, seeds[:reps_ours])
    t0 = time.perf_counter()
    simpy_runs = [(d, t, plan.by_od(h)) for d, t, h in (simpy_replication(plan, s) for s in seeds[:reps_simpy])]
    simpy_s = (time.perf_counter() - t0) / reps_simpy
    om, op = per_rep_stats(plan, ours_runs)
    sm, sp = per_rep_stats(plan, simpy_runs)
    by_volume = sorted(range(len(plan.ods)), key=lambda f: -plan.ods[f].volume_per_year)
    main = [f for f in by_volume if plan.ods[f].unit == "teu"][:4] + [f for f in by_volume if plan.ods[f].unit == "t"][
        :2
    ]
    print(f"\n{label}: {len(plan.flows)} sub-flows on the assigned paths for {len(plan.ods)} flows")
    print(f"main flows, mean / P90 door-to-door days (ours {reps_ours} reps, SimPy {reps_simpy} reps)")
    print(f"{'flow':28s} {'ours mean':>10s} {'simpy mean':>10s} {'p':>6s} {'ours P90':>9s} {'simpy P90':>9s} {'p':>6s}")
    lowest = 1.0
    for f in main:
        fl = plan.ods[f]
        p_mean, p_p90 = welch_p(om[:, f], sm[:, f]), welch_p(op[:, f], sp[:, f])
        lowest = min(lowest, p_mean, p_p90)
        print(
            f"{fl.origin + '→' + fl.destination + ' ' + fl.cargo[:4]:28s} {np.nanmean(om[:, f]) / 24:10.2f} "
            f"{np.nanmean(sm[:, f]) / 24:10.2f} {p_mean:6.3f} {np.nanmean(op[:, f]) / 24:9.2f} {np.nanmean(sp[:, f]) / 24:9.2f} {p_p90:6.3f}"
        )
    # equal unless some difference is significant at 1% family-wise (Bonferroni over the comparisons)
    equal = lowest >= 0.01 / (2 * len(main))
    print(
        f"per replication: ours {ours_s * 1000:.1f} ms, SimPy {simpy_s * 1000:.0f} ms, ratio {simpy_s / ours_s:.1f}x; statistically equal: {equal}"
    )
    return {"ours_s": ours_s, "simpy_s": simpy_s, "equal": equal}


def cold_start_s() -> float:
    """Seconds until the first replication is done in a fresh process with an empty numba cache
    (what a first run after installation costs without ``make setup``'s warm-up)."""
    import subprocess
    import tempfile

    code = (
        "import time; t0 = time.perf_counter()\n"
        "import numpy as np\n"
        "from corridor import load_network, load_demand\n"
        "from corridor.sim._plan import build_plan\n"
        "from corridor.sim._replication import run_one\n"
        "from corridor.sim._rules import SimRules\n"
        "n = load_network('middle-corridor')\n"
        "p = build_plan(n, load_demand('2024', n), SimRules(), days=5, warmup_days=0)\n"
        "t1 = time.perf_counter(); run_one(p, np.random.SeedSequence(1)); print(time.perf_counter() - t1)\n"
    )
    with tempfile.TemporaryDirectory() as cache:
        env = {**os.environ, "NUMBA_CACHE_DIR": cache}
        done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    return float(done.stdout.strip().splitlines()[-1])


def _cpu_s(pids: list[int]) -> float:
    import psutil

    total = 0.0
    for pid in pids:
        times = psutil.Process(pid).cpu_times()
        total += times.user + times.system
    return total


def scaling(network: Any, demand: Any, replications: int, repeats: int) -> dict[str, Any]:
    """Wall and CPU time of ``replications`` at 1 and 2 local workers and on a 2-worker Dask
    ``LocalCluster`` (one thread per worker), medians of ``repeats``; results must be identical."""
    from distributed import Client, LocalCluster

    def local(workers: int) -> tuple[float, float, float, str]:
        self0, child0 = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        result = simulate(network, demand, replications=replications, seed=1, workers=workers)
        wall = time.perf_counter() - t0
        self1, child1 = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
        parent = sum(getattr(self1, f) - getattr(self0, f) for f in ("ru_utime", "ru_stime"))
        workers_cpu = sum(getattr(child1, f) - getattr(child0, f) for f in ("ru_utime", "ru_stime"))
        return wall, parent + workers_cpu, parent, json.dumps(result.to_json())

    runs: dict[str, list[tuple[float, float, float, str]]] = {"1 worker": [], "2 workers": [], "Dask, 2 workers": []}
    cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None)
    with cluster, Client(cluster) as client:
        pids = [int(p) for p in client.run(os.getpid).values()]
        address = cluster.scheduler_address
        simulate(network, demand, replications=20, seed=1, scheduler=address)  # workers load the kernel
        for _ in range(repeats):
            runs["1 worker"].append(local(1))
            runs["2 workers"].append(local(2))
            cpu0, self0 = _cpu_s(pids), time.process_time()
            t0 = time.perf_counter()
            remote = simulate(network, demand, replications=replications, seed=1, scheduler=address)
            wall = time.perf_counter() - t0
            parent = time.process_time() - self0  # the client and, in a LocalCluster, the scheduler
            cpu = _cpu_s(pids) - cpu0 + parent
            runs["Dask, 2 workers"].append((wall, cpu, parent, json.dumps(remote.to_json())))
    out: dict[str, Any] = {}
    base = float(np.median([w for w, _, _, _ in runs["1 worker"]]))
    print(f"\n{replications} replications of one year at wb-2030 demand (median of {repeats}; seed 1)")
    print(
        f"  {'':16s} {'wall s':>8s} {'reps/s':>8s} {'speed-up':>9s} {'CPU ms/rep':>11s} {'parent CPU s':>13s} {'serial':>7s}"
    )
    for name, rows in runs.items():
        wall, cpu = float(np.median([r[0] for r in rows])), float(np.median([r[1] for r in rows]))
        parent = float(np.median([r[2] for r in rows]))
        # the parent's share of the CPU: with two workers it runs beside them on the same two cores
        serial = parent / cpu if name != "1 worker" else float("nan")
        out[name] = {"wall_s": wall, "reps_per_s": replications / wall, "speedup": base / wall,
                     "cpu_ms_per_rep": cpu / replications * 1000, "parent_cpu_s": parent,
                     "parent_cpu_share": None if name == "1 worker" else serial}  # fmt: skip
        print(
            f"  {name:16s} {wall:8.2f} {replications / wall:8.1f} {base / wall:8.2f}x {cpu / replications * 1000:11.1f}"
            f" {parent:13.2f} {'' if name == '1 worker' else f'{serial:6.1%}':>7s}"
        )
    documents = {r[3] for rows in runs.values() for r in rows}
    out["identical"] = len(documents) == 1
    print(f"  results identical on 1 worker, 2 workers and Dask: {out['identical']}")
    return out


def main() -> None:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="small runs (seconds), for CI: no cold start, no growth")
    quick = parser.parse_args().quick
    network = load_network("middle-corridor")
    rules = SimRules()
    simulate(network, load_demand("2024", network), replications=2, workers=1)  # compile or load the kernel
    plan_2024 = build_plan(network, load_demand("2024", network), rules, days=365, warmup_days=30)
    plan_2030 = build_plan(network, load_demand("wb-2030", network), rules, days=365, warmup_days=30)
    c2024 = compare("2024 demand", plan_2024, reps_ours=6 if quick else 40, reps_simpy=2 if quick else 12)
    c2030 = compare("wb-2030 demand", plan_2030, reps_ours=6 if quick else 60, reps_simpy=2 if quick else 10)
    demand_2030 = load_demand("wb-2030", network)

    doubling = None
    if not quick:
        print("\nlinear in volume (wb-2030 × growth, one worker, per replication)")
        per_rep = {}
        for growth in (0.5, 1.0, 2.0):
            plan = build_plan(network, demand_2030.scaled(growth), rules, days=365, warmup_days=30)
            per_rep[growth] = ours_per_rep(plan, np.random.SeedSequence(7).spawn(20))[0]
            print(f"  growth {growth:3.1f}: {per_rep[growth] * 1000:6.1f} ms")
        doubling = max(per_rep[1.0] / per_rep[0.5], per_rep[2.0] / per_rep[1.0])
        print(f"  worst time ratio when volume doubles: {doubling:.2f} (≤ 2 is linear or better)")

    # CPU of the replications alone (no start-up, no reduction), on this process: load-proof
    from corridor.sim._experiment import CHUNK, run_chunk

    n_cpu = 20 if quick else 200
    seeds, room = np.random.SeedSequence(1).spawn(n_cpu), [0]
    run_chunk(plan_2030, seeds[:2], 0, False, room)
    cpu0 = time.process_time()
    for first in range(0, n_cpu, CHUNK):
        run_chunk(plan_2030, seeds[first : first + CHUNK], first, False, room)
    cpu_rep_ms = (time.process_time() - cpu0) / n_cpu * 1000
    print(f"\nCPU per replication (wb-2030, {n_cpu} replications on this process, process_time): {cpu_rep_ms:.2f} ms")

    reps = 20 if quick else 2000  # the figure for the speed-ups (issue 18)
    scale = scaling(network, demand_2030, reps, 1 if quick else 3)
    default_s = None
    if not quick:  # the 1,000 replication-years with default settings (all cores)
        t0 = time.perf_counter()
        simulate(network, demand_2030, replications=1000, seed=1)
        default_s = time.perf_counter() - t0
        print(f"\n1000 replications at wb-2030, default settings ({os.cpu_count()} workers): {default_s:.2f} s wall")
    cold = None if quick else cold_start_s()
    if cold is not None:
        print(f"\ncold start (empty numba cache, fresh process): first replication after {cold:.1f} s")
    wall = scale["2 workers"]["wall_s"]
    simpy_reps = c2030["simpy_s"] * reps / 2  # SimPy on the same 2 cores, replications split evenly

    print()
    print(json.dumps({"benchmark": "simulation-2024-per-replication", "ours_s": round(c2024["ours_s"], 5), "peer": f"simpy {simpy.__version__}",
                      "peer_s": round(c2024["simpy_s"], 4), "ratio": round(c2024["simpy_s"] / c2024["ours_s"], 1), "equal_results": c2024["equal"]}))  # fmt: skip
    print(json.dumps({"benchmark": "simulation-wb2030-per-replication", "ours_s": round(c2030["ours_s"], 5), "peer": f"simpy {simpy.__version__}",
                      "peer_s": round(c2030["simpy_s"], 4), "ratio": round(c2030["simpy_s"] / c2030["ours_s"], 1), "equal_results": c2030["equal"]}))  # fmt: skip
    print(json.dumps({"benchmark": f"simulation-{reps}-years-wb2030-2-workers", "ours_s": round(wall, 2),
                      "peer": f"simpy {simpy.__version__} (per-replication time x {reps} / 2 workers)", "peer_s": round(simpy_reps, 1),
                      "ratio": round(simpy_reps / wall, 1), "equal_results": c2030["equal"] and scale["identical"],
                      "identical_across_workers": scale["identical"],
                      "reps_per_s": {k: round(v["reps_per_s"], 1) for k, v in scale.items() if k != "identical"},
                      "speedup_2_workers": round(scale["2 workers"]["speedup"], 2),
                      "speedup_dask_2_workers": round(scale["Dask, 2 workers"]["speedup"], 2),
                      "cpu_ms_per_rep": round(scale["1 worker"]["cpu_ms_per_rep"], 1),
                      "parent_cpu_share_2_workers": round(scale["2 workers"]["parent_cpu_share"], 3),
                      "parent_cpu_share_dask": round(scale["Dask, 2 workers"]["parent_cpu_share"], 3),
                      "cpu_ms_per_rep_replications_only": round(cpu_rep_ms, 2),
                      "cold_start_s": None if cold is None else round(cold, 1),
                      "default_1000_reps_s": None if default_s is None else round(default_s, 2),
                      "doubling_ratio": None if doubling is None else round(doubling, 2)}))  # fmt: skip


if __name__ == "__main__":
    sys.exit(main())
