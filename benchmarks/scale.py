"""National-network scale: load, route, capacity and simulate on 10k–100k-link synthetic networks.

Run from the project root::

    .venv/bin/python benchmarks/scale.py [--quick] [--only capacity …]

For every size (10k/50k/100k links; ``--quick``: 1k/3k) and OD count (10/100/1,000; ``--quick``:
10) the seeded synthetic network (:func:`corridor.network.synthetic.synthetic_network`, seed 1) and
a seeded demand set (origins in the CN band, destinations in the TR band, containers) are written to
a temporary folder; then every engine runs **in its own subprocess, one at a time**, so that the
peak RSS it reports (``ru_maxrss``) is that engine's alone:

``load``
    ``corridor.network.cache.load_cached`` with a warm cache (the CLI's path), beside the cold load.
``route``
    far corners, ``alternatives=5``, warm process (median of 5), beside scipy.sparse.csgraph
    Dijkstra and rustworkx ``dijkstra_shortest_path_lengths`` on the same cost-weighted graph
    (one criterion: a lower bound on the work of a 3-criterion, 5-route search).
``capacity``
    ``corridor.assign`` (route choice, max growth) beside an all-or-nothing assignment built on
    scipy.sparse.csgraph (one Dijkstra per origin, flows summed per arc) — AequilibraE was not used:
    it installs on Python 3.11 here but brings 18 more packages (pandas, pyarrow, geopandas, PyTables)
    into the pinned environment; see docs/design/capacity-scale.md.
``simulate``
    ``corridor.simulate`` for 30 days, 10 replications (1 worker).

Figures: wall and CPU (user+sys) seconds and peak RSS per engine, the growth exponents
``log(t100k/t10k)/log(10)`` in links at fixed ODs and in ODs at fixed links, the issue's table
shape, and one JSON line per comparison (DESIGN.md, "Benchmarks"), the headline last.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
SEED = 1


def write_case(folder: Path, links: int, n_ods: int) -> tuple[Path, Path]:
    """Write the synthetic network and a demand set of ``n_ods`` container flows; return both folders."""
    from corridor.network import write_network
    from corridor.network.synthetic import synthetic_network

    net_dir, dem_dir = folder / f"net-{links}", folder / f"dem-{links}-{n_ods}"
    if not net_dir.exists():
        write_network(synthetic_network(links, seed=SEED), net_dir)
    if not dem_dir.exists():
        from corridor.network import load_network

        net = load_network(net_dir)
        east = [n.id for n in net.nodes if n.country == "CN" and n.kind == "junction"]
        west = [n.id for n in net.nodes if n.country == "TR" and n.kind == "junction"]
        rng = np.random.default_rng(SEED + n_ods)
        pairs: set[tuple[str, str]] = set()
        while len(pairs) < n_ods:
            pairs.add((east[int(rng.integers(len(east)))], west[int(rng.integers(len(west)))]))
        dem_dir.mkdir(parents=True)
        (dem_dir / "demand.toml").write_text(
            f'name = "synthetic-{n_ods}"\nnetwork = "{net.name}"\nyear = 2030\n'
            'description = "seeded synthetic container demand for benchmarks/scale.py"\n',
            encoding="utf-8",
        )
        with (dem_dir / "flows.csv").open("w", encoding="utf-8", newline="") as fh:
            out = csv.writer(fh, lineterminator="\n")
            out.writerow(
                ["origin", "destination", "cargo", "volume_teu_per_year", "volume_t_per_year", "source", "note"]
            )
            for o, d in sorted(pairs):
                out.writerow([o, d, "container", int(rng.integers(200, 4000)), "", "volume_teu_per_year=synthetic", ""])
    return net_dir, dem_dir


def _clock() -> tuple[float, float]:
    return time.perf_counter(), time.process_time()


def _since(start: tuple[float, float]) -> dict[str, float]:
    return {"wall_s": time.perf_counter() - start[0], "cpu_s": time.process_time() - start[1]}


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def engine(name: str, net_dir: Path, dem_dir: Path, cache: Path, reps: int = 5) -> dict[str, Any]:
    """Run one engine in this process (the subprocess side); return its figures."""
    from corridor.network import load_network
    from corridor.network.cache import load_cached

    if name == "warm":  # numba compiles the simulation kernel and the pricing Dijkstra once, into its cache
        from corridor.capacity import assign
        from corridor.demand import load_demand
        from corridor.sim import simulate

        net = load_network(net_dir)
        demand = load_demand(dem_dir, net)
        assign(net, demand)
        simulate(net, demand, days=2, warmup_days=0, replications=1, workers=1)
        return {"wall_s": 0.0, "cpu_s": 0.0, "rss_mb": _rss_mb()}
    if name == "validate":
        t = _clock()
        load_network(net_dir)
        return {**_since(t), "rss_mb": _rss_mb()}
    if name == "load":
        t = _clock()
        load_cached(net_dir, cache)
        return {**_since(t), "rss_mb": _rss_mb()}
    net = load_cached(net_dir, cache)
    if name == "route":
        return _route(net, reps)
    from corridor.demand import load_demand

    demand = load_demand(dem_dir, net)
    if name == "capacity":
        from corridor.capacity import assign

        t = _clock()
        result = assign(net, demand)
        out = {**_since(t), "rss_mb": _rss_mb(), "routable": sum(o.routable for o in result.ods)}
        out["peer"] = _aon(net, demand)
        return out
    if name == "simulate":
        from corridor.sim import simulate

        t = _clock()
        simulate(net, demand, days=30, warmup_days=5, replications=10, workers=1)
        return {**_since(t), "rss_mb": _rss_mb()}
    raise SystemExit(f"unknown engine {name!r}")


def _route(net: Any, reps: int) -> dict[str, Any]:
    import rustworkx as rx
    from scipy.sparse.csgraph import dijkstra

    from corridor.network.synthetic import far_corners
    from corridor.routing import Router
    from corridor.routing._guided import guided_front

    o, d = far_corners(net)
    router = Router(net)
    router.route(o, d, alternatives=5)  # warm: arrays and the per-cargo index are built once
    walls, cpus = [], []
    for _ in range(reps):
        t = _clock()
        res = router.route(o, d, alternatives=5)
        took = _since(t)
        walls.append(took["wall_s"])
        cpus.append(took["cpu_s"])
    rss = _rss_mb()
    index = router._criteria_index("container")
    po, pd = net.node_position(o), net.node_position(d)
    graph = index.reverse[0].T.tocsr()  # fastest time per node pair, forward
    sp_times, rx_times = [], []
    for _ in range(5):
        t = _clock()
        best = float(dijkstra(graph, directed=True, indices=po)[pd])
        sp_times.append(_since(t)["wall_s"])
    coo = graph.tocoo()
    g = rx.PyDiGraph()
    g.add_nodes_from(range(graph.shape[0]))
    g.add_edges_from(list(zip(coo.row.tolist(), coo.col.tolist(), coo.data.tolist(), strict=True)))
    for _ in range(5):
        t = _clock()
        rx_best = rx.dijkstra_shortest_path_lengths(g, po, lambda w: w, goal=pd)[pd]
        rx_times.append(_since(t)["wall_s"])
    front, _ = guided_front(index, po, pd)
    ours = min(p.criteria[0] for p in front)
    return {
        "wall_s": statistics.median(walls), "cpu_s": statistics.median(cpus), "rss_mb": rss,
        "routes": len(res.routes), "scipy_s": statistics.median(sp_times), "rustworkx_s": statistics.median(rx_times),
        "equal": abs(ours - best) <= 1e-6 * max(1.0, best) and abs(rx_best - best) <= 1e-6 * max(1.0, best),
    }  # fmt: skip


def _aon(net: Any, demand: Any) -> dict[str, Any]:
    """The peer: all-or-nothing assignment on scipy.sparse.csgraph (tariff + time value as cost)."""
    import scipy.sparse as sp
    from scipy.sparse.csgraph import dijkstra

    t = _clock()
    pos = {n.id: i for i, n in enumerate(net.nodes)}
    tail, head, cost = [], [], []
    for lk in net.links:
        w = (lk.tariff_usd_per_feu or 0.0) / 2 + 2.0 * lk.moving_time_h  # USD per TEU, 2 USD/TEU-h
        for u, v in ((lk.from_id, lk.to_id), (lk.to_id, lk.from_id)) if lk.bidirectional else ((lk.from_id, lk.to_id),):
            tail.append(pos[u])
            head.append(pos[v])
            cost.append(w)
    n = len(net.nodes)
    graph = sp.csr_array((np.asarray(cost), (np.asarray(tail), np.asarray(head))), shape=(n, n))
    origins = sorted({pos[f.origin] for f in demand.flows})
    row = {o: i for i, o in enumerate(origins)}
    dist, pred = dijkstra(graph, directed=True, indices=origins, return_predecessors=True)
    flow = np.zeros(n)
    routable = 0
    for f in demand.flows:
        r, v = row[pos[f.origin]], pos[f.destination]
        if not np.isfinite(dist[r, v]):
            continue
        routable += 1
        while v != pos[f.origin]:
            flow[v] += f.volume
            v = int(pred[r, v])
    return {**_since(t), "routable": routable}


def _run(args: list[str], reps: int = 5) -> dict[str, Any]:
    """One engine in a fresh interpreter (so its peak RSS is its own)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    proc = subprocess.run(
        [sys.executable, __file__, "--engine", *args, "--reps", str(reps)],
        capture_output=True,
        text=True,
        check=False,
        env=env,
    )
    if proc.returncode != 0:
        return {"error": proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else f"exit {proc.returncode}"}
    return dict(json.loads(proc.stdout.strip().splitlines()[-1]))


def _exponent(small: float, large: float, ratio: float) -> float:
    return math.log(max(large, 1e-9) / max(small, 1e-9)) / math.log(ratio)


ENGINES = ("validate", "load", "route", "capacity", "simulate")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="1k/3k links, 10 ODs (seconds; what CI runs)")
    ap.add_argument("--engine", nargs=4, metavar=("NAME", "NET", "DEMAND", "CACHE"), help=argparse.SUPPRESS)
    ap.add_argument("--reps", type=int, default=5, help=argparse.SUPPRESS)
    ap.add_argument(
        "--only",
        nargs="+",
        choices=ENGINES,
        metavar="ENGINE",
        help=f"run only these engines ({', '.join(ENGINES)}); the table shows '-' for the others",
    )
    ap.add_argument("--work", type=Path, help="folder for the generated networks (kept; default: a temporary one)")
    args = ap.parse_args()
    if args.engine:
        name, net_dir, dem_dir, cache = args.engine
        print(json.dumps(engine(name, Path(net_dir), Path(dem_dir), Path(cache), args.reps)))
        return 0
    sizes = (1_000, 3_000) if args.quick else (10_000, 50_000, 100_000)
    od_counts = (10,) if args.quick else (10, 100, 1_000)
    engines = tuple(e for e in ENGINES if not args.only or e in args.only)
    work = args.work or Path(tempfile.mkdtemp(prefix="corridor-scale-"))
    work.mkdir(parents=True, exist_ok=True)
    cache = work / "cache"
    res: dict[tuple[str, int, int], dict[str, Any]] = {}
    started = _clock()
    # compile once before anything is timed: a first run would otherwise count numba's compilation
    net_dir, dem_dir = write_case(work, 1_000, 10)
    _run(["warm", str(net_dir), str(dem_dir), str(cache)])
    for links in sizes:
        for n_ods in od_counts:
            net_dir, dem_dir = write_case(work, links, n_ods)
            for name in engines:
                if name in ("validate", "load", "route") and n_ods != od_counts[0]:
                    continue  # these do not depend on the demand
                if name == "simulate" and len(od_counts) > 2 and n_ods == od_counts[-1] and links != sizes[-1]:
                    continue  # the largest demand only on the largest network (its memory), for time
                if name == "load" and (links, 0, 0) not in res:
                    res[(links, 0, 0)] = _run(["load", str(net_dir), str(dem_dir), str(cache)])  # builds the cache
                got = _run([name, str(net_dir), str(dem_dir), str(cache)], _reps(args.quick, links))
                res[(name, links, n_ods)] = got
                print(f"{name:9} {links:>7,} links {n_ods:>5,} ODs: {json.dumps(got)}", file=sys.stderr)
    took = _since(started)
    print(f"route: median of {_reps(args.quick, sizes[0])} warm queries below 50k links, of "
          f"{_reps(args.quick, sizes[-1])} from 50k; every other figure is one run"
          f"{f'; simulate with {od_counts[-1]:,} ODs only at {sizes[-1]:,} links' if len(od_counts) > 2 else ''}.  This run: {took['wall_s'] / 60:.1f} min wall, "
          f"{took['cpu_s']:.0f} s CPU in this process (the engines ran in subprocesses), load average "
          f"{os.getloadavg()[0]:.1f} at the end.")  # fmt: skip
    _report(res, sizes, od_counts)
    return 0


def _reps(quick: bool, links: int) -> int:
    """Warm route queries to take the median of: fewer on the big networks (each is ≤ 0.2 s, but
    building the router and the peers' graphs is not), so that the full run stays near 20 minutes."""
    return 1 if quick else (5 if links < 50_000 else 3)


def _fmt(r: dict[str, Any] | None, mem: bool = False) -> str:
    if not r:
        return "-"
    if "error" in r:
        return "error"
    text = f"{r['wall_s']:.2f} s (cpu {r['cpu_s']:.2f})"
    return text + (f" / {r['rss_mb']:,.0f} MB" if mem else "")


def _report(res: dict[Any, dict[str, Any]], sizes: tuple[int, ...], od_counts: tuple[int, ...]) -> None:
    mid = od_counts[min(1, len(od_counts) - 1)]
    top = od_counts[-1]
    print(f"| links | validate | load (cache) | route far corners -k 5 | capacity {mid} ODs | capacity {top:,} ODs "
          f"| simulate -r 10, {mid} ODs |")  # fmt: skip
    print("|---|---|---|---|---|---|---|")
    first = od_counts[0]
    for links in sizes:
        print(
            f"| {links // 1000}k | {_fmt(res.get(('validate', links, first)))} | {_fmt(res.get(('load', links, first)))} "
            f"| {_fmt(res.get(('route', links, first)))} | {_fmt(res.get(('capacity', links, mid)), True)} "
            f"| {_fmt(res.get(('capacity', links, top)), True)} | {_fmt(res.get(('simulate', links, mid)), True)} |"
        )
    small, large = sizes[0], sizes[-1]
    ratio = large / small
    print(f"\ngrowth exponents, {small:,} → {large:,} links (time: CPU, then wall; memory: peak RSS; target ≤ 1.2):")
    worst = 0.0
    for name in ("validate", "load", "route", "capacity", "simulate"):
        for n_ods in od_counts if name in ("capacity", "simulate") else (first,):
            a, b = res.get((name, small, n_ods), {}), res.get((name, large, n_ods), {})
            if "cpu_s" in a and "cpu_s" in b:
                cpu, wall = _exponent(a["cpu_s"], b["cpu_s"], ratio), _exponent(a["wall_s"], b["wall_s"], ratio)
                mem = _exponent(a["rss_mb"], b["rss_mb"], ratio)
                worst = max(worst, cpu, mem)
                print(f"  {name:9} {n_ods:>5,} ODs: time {cpu:.2f} (wall {wall:.2f}), memory {mem:.2f}")
    if len(od_counts) > 1:
        for links in sizes:
            a, b = res.get(("capacity", links, od_counts[0]), {}), res.get(("capacity", links, top), {})
            if "cpu_s" in a and "cpu_s" in b:
                r = top / od_counts[0]
                cpu, wall = _exponent(a["cpu_s"], b["cpu_s"], r), _exponent(a["wall_s"], b["wall_s"], r)
                mem = _exponent(a["rss_mb"], b["rss_mb"], r)
                worst = max(worst, cpu, mem)
                print(f"  capacity in ODs ({od_counts[0]} → {top:,}) at {links:,} links: time {cpu:.2f} "
                      f"(wall {wall:.2f}), memory {mem:.2f}")  # fmt: skip
    print(f"  largest exponent (CPU time or memory): {worst:.2f} — {'within' if worst <= 1.2 else 'above'} 1.2")
    lines = []
    rt = res.get(("route", large, first), {})
    if "scipy_s" in rt:
        for peer, key in (
            ("rustworkx 0.18.1 dijkstra (1 criterion)", "rustworkx_s"),
            ("scipy.sparse.csgraph dijkstra (1 criterion)", "scipy_s"),
        ):
            lines.append({"benchmark": f"scale-route-{large // 1000}k-k5-vs-{key[:-2]}", "ours_s": round(rt["wall_s"], 6),
                          "peer": peer, "peer_s": round(rt[key], 6), "ratio": round(rt[key] / rt["wall_s"], 4),
                          "equal_results": bool(rt["equal"])})  # fmt: skip
    cap = res.get(("capacity", large, top), {})
    if "peer" in cap:
        lines.append({"benchmark": f"scale-capacity-{large // 1000}k-{top}od", "ours_s": round(cap["wall_s"], 4),
                      "peer": "scipy.sparse.csgraph all-or-nothing (AequilibraE not installed; see docstring)",
                      "peer_s": round(cap["peer"]["wall_s"], 4), "ratio": round(cap["peer"]["wall_s"] / cap["wall_s"], 4),
                      "equal_results": cap["routable"] == cap["peer"]["routable"]})  # fmt: skip
    for line in lines:
        print(json.dumps(line))


if __name__ == "__main__":
    sys.exit(main())
