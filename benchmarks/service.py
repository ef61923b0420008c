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

``ours_s`` is the median HTTP latency, ``peer_s`` the median in-process time of the same quote
(``corridor route --json``'s work: route, ``to_json``, schema), so ``ratio`` (peer/ours, below 1) is
what HTTP, auth and queueing cost on top of the computation.

The load generator is ``wrk`` (Debian's ``wrk`` package, C, one thread, a Lua script cycling the
bodies) when it is installed, else an async httpx client in a separate process; which one ran is
printed and in the JSON (``load_generator``).  A Python client on the same 2 cores costs about as
much CPU per request as the server, so the figure it gives is the client's as much as ours.  Beside
the wall-clock figures each line has ``server_cpu_ms``: the server process's CPU time (user+sys,
from /proc) per request, which a busy machine does not distort.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import itertools
import json
import multiprocessing
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

from corridor.capacity import assign
from corridor.demand import load_demand
from corridor.network import load_network
from corridor.routing import Router, queueing_for, route
from corridor.schemas import dump
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
        [EXE, "serve", "--data-dir", str(data), "--port", str(port), "--workers", "2", "--log-level", "error", "--rate-limit", "1000000000"],
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


def quote_bodies(departures: int = 0) -> list[dict[str, Any]]:
    """Every origin × destination × cargo × objective; with ``departures``, each on that many
    departure days too (so thousands of distinct quotes, none answered from the server's cache)."""
    days = [None] + [(dt.date(2026, 1, 1) + dt.timedelta(days=d)).isoformat() for d in range(departures)]
    out = []
    for day in days if departures else [None]:
        for o, d in itertools.permutations(PLACES, 2):
            for cargo, obj in itertools.product(CARGO, OBJECTIVES):
                body: dict[str, Any] = {
                    "origin": o,
                    "destination": d,
                    "cargo": cargo,
                    "optimize": obj,
                    "alternatives": 3,
                }
                if day is not None:
                    body["depart"] = day
                out.append(body)
    return out


def pct(values: list[float], q: float) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, int(q * len(s)))]


def process_cpu_s(pid: int) -> float | None:
    """User + system CPU seconds of process ``pid`` (Linux /proc), None elsewhere."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


WRK_DONE = """done = function(s, lat, req)
  local e = s.errors
  io.write(string.format("WRK %d %d %d %d %d\\n", s.requests, s.duration, lat:percentile(50), lat:percentile(99),
    e.status + e.connect + e.read + e.write + e.timeout))
end"""


def wrk_load(base: str, token: str, bodies: list[dict[str, Any]], *, seconds: float, conc: int) -> dict[str, Any]:
    """``wrk`` (one thread, ``conc`` connections) POSTing the bodies in turn for ``seconds``."""
    with tempfile.TemporaryDirectory(prefix="corridor-wrk-") as tmp:
        script = Path(tmp) / "quotes.lua"
        rows = "\n".join(f"  {json.dumps(json.dumps(b))}," for b in bodies)
        script.write_text(
            f'local bodies = {{\n{rows}\n}}\nlocal i = 0\nwrk.method = "POST"\n'
            f'wrk.headers["Content-Type"] = "application/json"\nwrk.headers["Authorization"] = "Bearer {token}"\n'
            'request = function() i = i % #bodies + 1; return wrk.format(nil, "/v1/quotes", nil, bodies[i]) end\n'
            + WRK_DONE
        )
        out = subprocess.run(
            ["wrk", "-t1", f"-c{conc}", f"-d{max(1, round(seconds))}s", "--timeout", "30s", "-s", str(script), base],
            check=True, capture_output=True, text=True,
        ).stdout  # fmt: skip
    n, duration_us, p50_us, p99_us, errors = (int(x) for x in out.split("WRK ", 1)[1].split()[:5])
    return {"n": n, "rps": n / (duration_us / 1e6), "p50": p50_us / 1e6, "p99": p99_us / 1e6, "errors": errors}


async def _httpx_load(base: str, token: str, bodies: list[dict[str, Any]], seconds: float, conc: int) -> dict[str, Any]:
    lat: list[float] = []
    errors = 0
    stop = time.perf_counter() + seconds
    it = itertools.cycle(bodies)
    limits = httpx.Limits(max_connections=conc, max_keepalive_connections=conc)
    async with httpx.AsyncClient(
        base_url=base, headers={"Authorization": f"Bearer {token}"}, limits=limits, timeout=30
    ) as c:

        async def worker() -> None:
            nonlocal errors
            while time.perf_counter() < stop:
                t = time.perf_counter()
                try:
                    r = await c.post("/v1/quotes", json=next(it))
                    ok = r.status_code == 200
                except httpx.HTTPError:
                    ok = False
                lat.append(time.perf_counter() - t)
                errors += not ok

        t0 = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(conc)))
        wall = time.perf_counter() - t0
    return {"n": len(lat), "rps": len(lat) / wall, "p50": pct(lat, 0.5), "p99": pct(lat, 0.99), "errors": errors}


def httpx_load_process(
    base: str, token: str, bodies: list[dict[str, Any]], seconds: float, conc: int
) -> dict[str, Any]:
    return asyncio.run(_httpx_load(base, token, bodies, seconds, conc))


def load(
    proc: subprocess.Popen[bytes], base: str, token: str, bodies: list[dict[str, Any]], *, seconds: float, conc: int
) -> dict[str, Any]:
    """Sustained ``POST /v1/quotes`` cycling ``bodies``; adds the server's CPU ms per request."""
    before = process_cpu_s(proc.pid)
    if shutil.which("wrk"):
        res = wrk_load(base, token, bodies, seconds=seconds, conc=conc)
    else:  # a separate process, so the client's event loop does not share the server's
        ctx = multiprocessing.get_context("spawn")
        with ctx.Pool(1) as pool:
            res = pool.apply(httpx_load_process, (base, token, bodies, seconds, conc))
    after = process_cpu_s(proc.pid)
    cpu = (after - before) / res["n"] if before is not None and after is not None and res["n"] else None
    return {**res, "server_cpu_ms": None if cpu is None else round(cpu * 1000, 3)}


def load_generator() -> str:
    return "wrk (1 thread)" if shutil.which("wrk") else "httpx.AsyncClient in a separate process"


def in_process(bodies: list[dict[str, Any]], reps: int) -> tuple[float, list[dict[str, Any]]]:
    net = load_network("middle-corridor")
    rt = Router(net, queueing=queueing_for(net, assign(net, load_demand("2024", net))))  # as the server's default
    times, results = [], []
    for b in bodies:
        for _ in range(reps):
            t = time.perf_counter()
            res = route(
                rt, b["origin"], b["destination"], b["cargo"], optimize=b["optimize"], alternatives=b["alternatives"],
                depart=dt.date.fromisoformat(b["depart"]) if b.get("depart") else None,
            )  # fmt: skip
            doc = dump("route", res.to_json())
            times.append(time.perf_counter() - t)
        results.append(json.loads(json.dumps(doc)))
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
        expected[s] = json.loads(json.dumps(dump("simulation", run.to_json())))
    correct = sum(1 for s, r in zip(seeds, results, strict=True) if r == expected[s])
    return {"jobs": n_jobs, "succeeded": sum(s == "succeeded" for s in states.values()), "correct": correct,
            "wall_s": wall, "p50": pct(lat, 0.5), "p99": pct(lat, 0.99), "requests": len(lat),
            "in_process_s": sum(seconds[s] for s in seeds)}  # fmt: skip


def _quotes_line(name: str, r: dict[str, Any], peer: float, equal: bool) -> str:
    return line(name, r["p50"], peer, equal, req_per_s=round(r["rps"], 1), p99_ms=round(r["p99"] * 1000, 1),
                errors=r["errors"], server_cpu_ms=r["server_cpu_ms"], load_generator=load_generator(),
                load_avg=round(os.getloadavg()[0], 1))  # fmt: skip


def _same(base: str, token: str, bodies: list[dict[str, Any]], expected: list[dict[str, Any]]) -> bool:
    with httpx.Client(base_url=base, headers={"Authorization": f"Bearer {token}"}) as c:
        return all(c.post("/v1/quotes", json=b).json() == e for b, e in zip(bodies, expected, strict=True))


def _describe(what: str, r: dict[str, Any], peer: float) -> str:
    cpu = f"; server CPU {r['server_cpu_ms']:.2f} ms/request" if r["server_cpu_ms"] is not None else ""
    return (f"{what}: {r['n']} requests, {r['rps']:.0f} req/s, p50 {r['p50'] * 1000:.1f} ms, p99 {r['p99'] * 1000:.1f} ms, "
            f"{r['errors']} errors{cpu}; in-process median {peer * 1000:.2f} ms")  # fmt: skip


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--quick", action="store_true", help="short runs (seconds), for CI and docs")
    ap.add_argument("--concurrency", type=int, default=16)
    args = ap.parse_args()
    seconds = 3.0 if args.quick else 15.0
    n_jobs, days, reps = (20, 15, 1) if args.quick else (20, 60, 4)
    hot = quote_bodies()[:: max(1, len(quote_bodies()) // 40)][:40]
    cold_bodies = quote_bodies(departures=60)[len(quote_bodies()) :]  # all with a departure day, all distinct
    print(f"load generator: {load_generator()}; {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}")
    lines = []
    with tempfile.TemporaryDirectory(prefix="corridor-bench-") as tmp:
        port = 18000 + os.getpid() % 1000
        proc, token = start_server(Path(tmp), port)
        base = f"http://127.0.0.1:{port}"
        try:
            peer_cold, expected_cold = in_process(cold_bodies[:60], 1)
            cold = load(proc, base, token, cold_bodies[60:], seconds=seconds, conc=args.concurrency)
            equal_cold = _same(base, token, cold_bodies[:60], expected_cold)
            print(_describe("uncached quotes (every request a different quote)", cold, peer_cold))
            lines.append(_quotes_line("service-quotes-uncached", cold, peer_cold, equal_cold))

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
            load(proc, base, token, hot, seconds=1.0, conc=4)  # warm the server
            hotr = load(proc, base, token, hot, seconds=seconds, conc=args.concurrency)
            equal_hot = _same(base, token, hot, expected_hot)
            print(_describe(f"quotes (40 common lanes, {args.concurrency} connections, {seconds:.0f} s)", hotr, peer_hot)
                  + " (target ≥ 500 req/s, p99 ≤ 100 ms, 0 errors)")  # fmt: skip
            lines.append(_quotes_line("service-quotes", hotr, peer_hot, equal_hot))
        finally:
            proc.terminate()
            proc.wait(30)
    for ln in lines:
        print(ln)


if __name__ == "__main__":
    main()
