"""The service under load: a real HTTP load generator on loopback against a real ``corridor serve``.

Run from the project root::

    .venv/bin/python benchmarks/service.py [--quick]

Comparisons (one JSON line each, the headline last):

1. ``service-quotes-uncached``: ``POST /v1/quotes`` where every request is a different quote
   (origin × destination × cargo × objective, so the server's quote cache never answers), beside
   the same quotes computed in-process with ``corridor.route``.
2. ``service-jobs-p99``: 20 simulation jobs submitted at once; each result is checked against the
   same simulation run in-process, and the API's p99 latency (``GET /v1/jobs/{id}`` and quotes)
   is measured while they run (target ≤ 250 ms).
3. ``service-quotes`` (headline): sustained ``POST /v1/quotes`` from C concurrent connections
   over a mix of 40 common quotes (the shape of a forwarder's traffic: the same lanes again and
   again): requests/s, p50/p99 and errors (target ≥ 500 req/s, p99 ≤ 100 ms, 0 errors on 2 cores),
   beside the same quote computed in-process.

``ours_s`` is the median HTTP latency, ``peer_s`` the median in-process time of the same quote,
so ``ratio`` (peer/ours, below 1) is what HTTP, auth and JSON cost on top of the computation.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

from corridor.demand import load_demand
from corridor.network import load_network
from corridor.routing import Router, route
from corridor.sim import simulate

EXE = str(Path(sys.executable).parent / "corridor")
PLACES = ["Xi'an", "Almaty", "Dostyk", "Khorgos", "Aktau", "Kuryk", "Baku", "Tbilisi", "Poti", "Istanbul"]
CARGO = ["1x40HC", "2x40HC", "1x20DV", "general:500t"]
OBJECTIVES = ["time", "cost", "co2"]


def _run(args: list[str], data: Path) -> str:
    return subprocess.run([EXE, *args, "--data-dir", str(data)], check=True, capture_output=True, text=True).stdout


def start_server(data: Path, port: int) -> tuple[subprocess.Popen[bytes], str]:
    _run(["db", "upgrade"], data)
    _run(["user", "add", "bench", "--org", "bench", "--role", "analyst", "--password", "none"], data)
    out = _run(["token", "create", "bench"], data)
    token = out.split("secret (shown once): ")[1].strip()
    proc = subprocess.Popen(
        [EXE, "serve", "--data-dir", str(data), "--port", str(port), "--workers", "2", "--log-level", "error"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    for _ in range(600):
        try:
            if httpx.get(base + "/readyz", timeout=1).status_code == 200:
                return proc, token
        except httpx.HTTPError:
            time.sleep(0.1)
    proc.kill()
    raise SystemExit("corridor serve did not start")


def quote_bodies() -> list[dict[str, Any]]:
    out = []
    for o, d in itertools.permutations(PLACES, 2):
        for cargo, obj in itertools.product(CARGO, OBJECTIVES):
            out.append({"origin": o, "destination": d, "cargo": cargo, "optimize": obj, "alternatives": 3})
    return out


def pct(values: list[float], q: float) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, int(q * len(s)))]


async def load(
    base: str, token: str, bodies: list[dict[str, Any]], *, seconds: float, conc: int, cycle: bool
) -> dict[str, Any]:
    lat: list[float] = []
    errors = 0
    stop = time.perf_counter() + seconds
    it = itertools.cycle(bodies) if cycle else iter(bodies)
    limits = httpx.Limits(max_connections=conc, max_keepalive_connections=conc)
    async with httpx.AsyncClient(
        base_url=base, headers={"Authorization": f"Bearer {token}"}, limits=limits, timeout=30
    ) as c:

        async def worker() -> None:
            nonlocal errors
            while time.perf_counter() < stop:
                try:
                    body = next(it)
                except StopIteration:
                    return
                t = time.perf_counter()
                try:
                    r = await c.post("/v1/quotes", json=body)
                    ok = r.status_code == 200
                except httpx.HTTPError:
                    ok = False
                lat.append(time.perf_counter() - t)
                errors += not ok

        t0 = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(conc)))
        wall = time.perf_counter() - t0
    return {"n": len(lat), "rps": len(lat) / wall, "p50": pct(lat, 0.5), "p99": pct(lat, 0.99), "errors": errors}


def in_process(bodies: list[dict[str, Any]], reps: int) -> tuple[float, list[dict[str, Any]]]:
    rt = Router(load_network("middle-corridor"))
    times, results = [], []
    for b in bodies:
        for _ in range(reps):
            t = time.perf_counter()
            res = route(
                rt, b["origin"], b["destination"], b["cargo"], optimize=b["optimize"], alternatives=b["alternatives"]
            )
            doc = res.to_json()
            times.append(time.perf_counter() - t)
        results.append(doc)
    return statistics.median(times), results


def line(name: str, ours: float, peer: float, equal: bool, **extra: Any) -> str:
    return json.dumps({"benchmark": name, "ours_s": round(ours, 6), "peer": "in-process corridor.route", "peer_s": round(peer, 6),
                       "ratio": round(peer / ours, 3), "equal_results": equal, **extra})  # fmt: skip


def jobs_under_load(base: str, token: str, n_jobs: int, days: int, reps: int) -> dict[str, Any]:
    h = {"Authorization": f"Bearer {token}"}
    seeds = [i % 4 for i in range(n_jobs)]
    with httpx.Client(base_url=base, headers=h, timeout=60) as c:
        ids = [
            c.post("/v1/simulations", json={"days": days, "warmup_days": 5, "replications": reps, "seed": s}).json()[
                "id"
            ]
            for s in seeds
        ]
        lat: list[float] = []
        t0 = time.perf_counter()
        states: dict[str, str] = {}
        while True:
            for jid in ids:
                t = time.perf_counter()
                states[jid] = c.get(f"/v1/jobs/{jid}").json()["state"]
                lat.append(time.perf_counter() - t)
            t = time.perf_counter()
            c.post("/v1/quotes", json={"origin": "Aktau", "destination": "Baku"})
            lat.append(time.perf_counter() - t)
            if all(s not in ("queued", "running") for s in states.values()) or time.perf_counter() - t0 > 900:
                break
            time.sleep(0.05)
        wall = time.perf_counter() - t0
        results = [c.get(f"/v1/jobs/{jid}/result").json() if states[jid] == "succeeded" else None for jid in ids]
    net = load_network("middle-corridor")
    dem = load_demand("2024", net)
    expected: dict[int, Any] = {}
    seconds: dict[int, float] = {}
    for s in set(seeds):  # the peer: the same simulations run one after another in this process
        t = time.perf_counter()
        run = simulate(net, dem, days=days, warmup_days=5, replications=reps, seed=s, workers=1)
        seconds[s] = time.perf_counter() - t
        expected[s] = json.loads(json.dumps(run.to_json()))
    correct = sum(1 for s, r in zip(seeds, results, strict=True) if r == expected[s])
    return {"jobs": n_jobs, "succeeded": sum(s == "succeeded" for s in states.values()), "correct": correct,
            "wall_s": wall, "p50": pct(lat, 0.5), "p99": pct(lat, 0.99), "requests": len(lat),
            "in_process_s": sum(seconds[s] for s in seeds)}  # fmt: skip


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--quick", action="store_true", help="short runs (seconds), for CI and docs")
    ap.add_argument("--concurrency", type=int, default=16)
    args = ap.parse_args()
    seconds = 3.0 if args.quick else 15.0
    n_jobs, days, reps = (20, 15, 1) if args.quick else (20, 60, 4)
    all_bodies = quote_bodies()
    hot = all_bodies[:: max(1, len(all_bodies) // 40)][:40]
    lines = []
    with tempfile.TemporaryDirectory(prefix="corridor-bench-") as tmp:
        proc, token = start_server(Path(tmp), 18000 + os.getpid() % 1000)
        base = f"http://127.0.0.1:{18000 + os.getpid() % 1000}"
        try:
            cold_bodies = all_bodies[: 300 if args.quick else 1000]
            peer_cold, expected_cold = in_process(cold_bodies[:60], 1)
            cold = asyncio.run(load(base, token, cold_bodies, seconds=seconds, conc=args.concurrency, cycle=False))
            with httpx.Client(base_url=base, headers={"Authorization": f"Bearer {token}"}) as c:
                equal_cold = all(
                    c.post("/v1/quotes", json=b).json() == e
                    for b, e in zip(cold_bodies[:60], expected_cold, strict=True)
                )
            print(f"uncached quotes: {cold['n']} requests, {cold['rps']:.0f} req/s, p50 {cold['p50'] * 1000:.1f} ms, "
                  f"p99 {cold['p99'] * 1000:.1f} ms, {cold['errors']} errors; in-process median {peer_cold * 1000:.2f} ms")  # fmt: skip
            lines.append(line("service-quotes-uncached", cold["p50"], peer_cold, equal_cold, req_per_s=round(cold["rps"], 1),
                              p99_ms=round(cold["p99"] * 1000, 1), errors=cold["errors"]))  # fmt: skip

            jobs = jobs_under_load(base, token, n_jobs, days, reps)
            print(f"{jobs['jobs']} simulation jobs: {jobs['succeeded']} succeeded, {jobs['correct']} equal to in-process, "
                  f"{jobs['wall_s']:.1f} s; API meanwhile p50 {jobs['p50'] * 1000:.1f} ms, p99 {jobs['p99'] * 1000:.1f} ms "
                  f"over {jobs['requests']} requests (target ≤ 250 ms)")  # fmt: skip
            lines.append(json.dumps({"benchmark": "service-jobs-p99", "ours_s": round(jobs["wall_s"], 3),
                                     "peer": "the same simulations in-process, one after another",
                                     "peer_s": round(jobs["in_process_s"], 3),
                                     "ratio": round(jobs["in_process_s"] / jobs["wall_s"], 3) if jobs["wall_s"] else None,
                                     "equal_results": jobs["correct"] == jobs["jobs"],
                                     "jobs": jobs["jobs"], "api_p99_ms": round(jobs["p99"] * 1000, 1)}))  # fmt: skip

            peer_hot, expected_hot = in_process(hot, 3)
            asyncio.run(load(base, token, hot, seconds=1.0, conc=4, cycle=True))  # warm the server
            hotr = asyncio.run(load(base, token, hot, seconds=seconds, conc=args.concurrency, cycle=True))
            with httpx.Client(base_url=base, headers={"Authorization": f"Bearer {token}"}) as c:
                equal_hot = all(
                    c.post("/v1/quotes", json=b).json() == e for b, e in zip(hot, expected_hot, strict=True)
                )
            print(f"quotes (40 common lanes, {args.concurrency} connections, {seconds:.0f} s): {hotr['n']} requests, "
                  f"{hotr['rps']:.0f} req/s, p50 {hotr['p50'] * 1000:.1f} ms, p99 {hotr['p99'] * 1000:.1f} ms, "
                  f"{hotr['errors']} errors; in-process median {peer_hot * 1000:.2f} ms (target ≥ 500 req/s, p99 ≤ 100 ms)")  # fmt: skip
            lines.append(line("service-quotes", hotr["p50"], peer_hot, equal_hot, req_per_s=round(hotr["rps"], 1),
                              p99_ms=round(hotr["p99"] * 1000, 1), errors=hotr["errors"]))  # fmt: skip
        finally:
            proc.terminate()
            proc.wait(30)
    for ln in lines:
        print(ln)


if __name__ == "__main__":
    main()
