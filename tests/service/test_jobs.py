"""Jobs over real HTTP: results equal the engine's, progress, cancel, interrupted, Dask cluster."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
from click.testing import CliRunner
from tests.service.conftest import Service, Template, free_port, running

from corridor.capacity import assign
from corridor.cli import cli as cli_main
from corridor.demand import load_demand
from corridor.network import load_network
from corridor.report.html import render_html
from corridor.scenario.comparison import compare
from corridor.schemas import dump
from corridor.service.db import Database
from corridor.service.job_kinds import JOB_KINDS, SIM_PHASES
from corridor.service.jobs import sweep_interrupted
from corridor.service.models import Instance, Job
from corridor.sim import simulate


def wait_final(c: httpx.Client, job: dict[str, Any], timeout: float = 120) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while True:
        state = c.get(f"/v1/jobs/{job['id']}").json()
        if state["state"] not in ("queued", "running"):
            return state
        if time.monotonic() > deadline:
            raise AssertionError(f"job still {state['state']} after {timeout} s")
        time.sleep(0.2)


@pytest.mark.slow
def test_simulation_job_gives_the_engines_result(service_any: Service) -> None:
    params = {"days": 20, "warmup_days": 5, "replications": 3, "seed": 7}
    with service_any.client(role="analyst") as c:
        r = c.post("/v1/simulations", json=params)
        assert r.status_code == 202 and r.headers["location"] == f"/v1/jobs/{r.json()['id']}"
        done = wait_final(c, r.json())
        assert done["state"] == "succeeded", done
        assert done["progress"] == {"done": 3, "total": 3, "phase": "summary"}
        result = c.get(done["result"]).json()
    net = load_network("middle-corridor")
    expected = simulate(net, load_demand("2024", net), days=20, warmup_days=5, replications=3, seed=7, workers=1)
    assert result == json.loads(json.dumps(dump("simulation", expected.to_json())))
    # the worker parsed the network through the service's cache (under its data dir), once
    assert len(list((service_any.server.settings.data_dir / "cache").glob("*.net"))) == 1


def test_capacity_job_and_result_link(service: Service) -> None:
    with service.client(role="analyst") as c:
        job = c.post("/v1/capacity-runs", json={"demand": "2024"}).json()
        assert c.get(f"/v1/jobs/{job['id']}/result").status_code in (200, 409)
        done = wait_final(c, job)
        assert done["state"] == "succeeded", done
        got = c.get(done["result"]).json()
    net = load_network("middle-corridor")
    expected = json.loads(json.dumps(dump("capacity", assign(net, load_demand("2024", net)).to_json())))
    got_solver, expected_solver = got.pop("solver"), expected.pop("solver")  # the solver section has timings
    assert got == expected
    assert got_solver["variables"] == expected_solver["variables"]


@pytest.mark.slow
def test_report_job_serves_the_offline_html_report(service: Service) -> None:
    """The report job's file is byte for byte what ``corridor report`` renders in-process."""
    body = {"scenarios": [{"scenario": "baseline-2024"}], "sim": False, "maps": 1}
    with service.client(role="analyst") as c:
        r = c.post("/v1/reports", json=body)
        assert r.status_code == 202, r.text
        done = wait_final(c, r.json(), timeout=240)
        assert done["state"] == "succeeded", done
        assert done["params"]["scenarios"] == ["baseline-2024@1"]  # the version it ran on
        got = c.get(done["result"])
    assert got.status_code == 200
    assert got.headers["content-type"] == "text/html; charset=utf-8"
    assert got.headers["content-disposition"] == f'attachment; filename="corridor-report-{done["id"]}.html"'
    expected = render_html(compare(["baseline-2024"]), lang="en", max_maps=1)
    stamp = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d UTC")  # the report says when it was made
    assert stamp.search(got.text) and stamp.sub("<time>", got.text) == stamp.sub("<time>", expected)
    assert "<script" not in got.text.lower()  # offline: nothing to fetch or run


def test_job_with_bad_input_fails_with_problems(service: Service) -> None:
    with service.client(role="analyst") as c:
        r = c.post("/v1/simulations", json={"demand": "no-such-set"})
        assert r.status_code == 422 and "no-such-set" in r.json()["detail"]
        r = c.post("/v1/comparisons", json={"scenarios": [{"scenario": "nope"}]})
        assert r.status_code == 404
        r = c.post("/v1/reports", json={"scenarios": [{"scenario": "baseline-2024"}], "lang": "fr"})
        assert r.status_code == 422 and r.json()["problems"][0]["field"] == "lang", r.text


@pytest.mark.slow
def test_cancel_a_running_simulation(service: Service) -> None:
    with service.client(role="analyst") as c:
        job = c.post("/v1/simulations", json={"days": 365, "replications": 2000}).json()
        deadline = time.monotonic() + 60
        while c.get(f"/v1/jobs/{job['id']}").json()["state"] == "queued" and time.monotonic() < deadline:
            time.sleep(0.1)
        cancelled = c.post(f"/v1/jobs/{job['id']}/cancel").json()
        assert cancelled["state"] == "cancelled"
        time.sleep(1.0)
        final = c.get(f"/v1/jobs/{job['id']}").json()
        assert final["state"] == "cancelled" and final["result"] is None
        assert final["progress"]["done"] < 2000


def test_jobs_of_a_dead_process_become_interrupted(sqlite_db: tuple[str, Template]) -> None:
    import datetime as dt

    url, _ = sqlite_db
    db = Database(url)
    now = dt.datetime.now(dt.UTC)
    with db.session() as s:
        org_id = s.execute(__import__("sqlalchemy").text("SELECT id FROM organisations LIMIT 1")).scalar_one()
        s.add(Instance(id="dead", heartbeat_at=now - dt.timedelta(minutes=5)))
        s.add(Instance(id="alive", heartbeat_at=now))
        for ident, inst, state in (
            ("a" * 32, "dead", "running"),
            ("b" * 32, "alive", "running"),
            ("c" * 32, "dead", "succeeded"),
        ):
            s.add(
                Job(id=ident, org_id=org_id, kind="simulation", state=state, params={}, instance=inst, created_by="t")
            )
    assert sweep_interrupted(db, now) == 1
    with db.session() as s:
        states = {j.id[0]: j.state for j in s.query(Job)}
    db.dispose()
    assert states == {"a": "interrupted", "b": "running", "c": "succeeded"}


@pytest.mark.slow
def test_jobs_on_a_real_dask_cluster(sqlite_db: tuple[str, Template], tmp_path: Path) -> None:
    dask = shutil.which("dask", path=str(Path(sys.executable).parent))
    assert dask, "dask CLI comes with distributed (requirements.txt)"
    port = free_port()
    sched = subprocess.Popen([dask, "scheduler", "--host", "127.0.0.1", "--port", str(port), "--no-dashboard"],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    worker = subprocess.Popen([dask, "worker", f"tcp://127.0.0.1:{port}", "--nworkers", "1", "--nthreads", "1", "--no-dashboard"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    try:
        url, template = sqlite_db
        with (
            running(url, template.tokens, tmp_path / "d", scheduler=f"tcp://127.0.0.1:{port}") as svc,
            svc.client(role="analyst") as c,
        ):
            job = c.post("/v1/simulations", json={"days": 10, "warmup_days": 2, "replications": 2, "seed": 3}).json()
            done = wait_final(c, job, timeout=180)
            assert done["state"] == "succeeded", done
            result = c.get(done["result"]).json()
        net = load_network("middle-corridor")
        expected = simulate(net, load_demand("2024", net), days=10, warmup_days=2, replications=2, seed=3, workers=1)
        assert result == json.loads(json.dumps(dump("simulation", expected.to_json())))
    finally:
        for proc in (worker, sched):
            proc.terminate()
        for proc in (worker, sched):
            proc.wait(30)


def test_a_simulation_job_reports_the_phases_corridor_simulate_prints() -> None:
    # the CLI's --progress lines name the engine's stages; the job reports each as a phase code, in
    # the same order, after loading its inputs, and counts replications within the replications phase
    args = ["simulate", "-d", "2024", "--days", "10", "--warmup-days", "2", "--replications", "3", "--progress"]
    cli = CliRunner().invoke(cli_main, args)
    assert cli.exit_code == 0, cli.output
    printed = re.findall(r"\] simulate: (.+?) …", cli.stderr)
    engine = printed[printed.index("loading demand") + 1 :]
    assert engine == ["assigning flows to paths", "laying out the model", "replications", "summarising"]

    calls: list[tuple[int, int, str | None]] = []
    params = {"demand": "2024", "days": 10, "warmup_days": 2, "replications": 3, "seed": 0}
    JOB_KINDS["simulation"](params, lambda done, total, phase=None: calls.append((done, total, phase)))
    phases = [p for i, (_, _, p) in enumerate(calls) if i == 0 or p != calls[i - 1][2]]
    assert phases == ["loading", *(SIM_PHASES[name] for name in engine)]
    counted = [done for done, _, p in calls if p == "replications"]
    assert counted[0] == 0 and counted[-1] == 3 and counted == sorted(counted)
    assert all(total == 3 for _, total, _ in calls)
    assert calls[-1] == (3, 3, "summary")
