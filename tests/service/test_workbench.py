"""The workbench's own endpoints (routers/workbench.py) against a real server: KPIs with sources,
closure calendars, a job's tables as CSV, a scenario's dry-run check with line numbers."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import pytest
from tests.service.conftest import Service, scenario_yaml
from tests.service.test_jobs import wait_final

from corridor.errors import DataError
from corridor.service.kpis import bundled_folder, load_kpis
from corridor.service.routers.workbench import month_of_day, periods
from corridor.service.tables import to_csv

YAML = {"content-type": "application/yaml"}


def _points(doc: dict, series: str) -> dict:
    return {p["year"]: p for s in doc["series"] if s["id"] == series for p in s["points"]}


def test_kpis_every_point_has_its_sources_and_growth_is_computed(service: Service) -> None:
    with service.client(role="viewer") as c:
        doc = c.get("/v1/kpis").json()
    volume = _points(doc, "volume_mt")
    # the headline figures of issue 16, as published: 4.484 Mt in 2024 (+62% on 2.764), 10 Mt target
    assert volume[2024]["value"] == 4.484 and round(volume[2024]["growth"] * 100) == 62
    assert volume[None]["value"] == 10 and volume[None]["kind"] == "target"
    assert _points(doc, "containers_teu")[2024]["value"] == 55_000
    assert _points(doc, "aktau_hub_teu")[2026]["value"] == 240_000
    assert _points(doc, "kz_az_trade_usd_m")[None]["value"] == 1000
    for series in doc["series"]:
        for p in series["points"]:
            assert p["sources"], p
            for sid in p["sources"]:
                assert doc["sources"][sid]["url"].startswith("https://"), sid


def test_kpi_data_errors_name_file_line_and_field(tmp_path: Path) -> None:
    folder = tmp_path / "kpis"
    shutil.copytree(bundled_folder(), folder)
    with (folder / "points.csv").open("a", encoding="utf-8") as f:
        f.write("volume_mt,2031,lots,actual,trend-3982954,\nvolume_mt,2032,1,actual,nobody,\n")
    with pytest.raises(DataError) as err:
        load_kpis(folder)
    lines = len((bundled_folder() / "points.csv").read_text(encoding="utf-8").splitlines())
    got = [(p.source, p.line, p.field) for p in err.value.problems]
    assert got == [("points.csv", lines + 1, "value/year"), ("points.csv", lines + 2, "source")]


def test_calendar_days_follow_the_simulation_calendar() -> None:
    # day 0 is 1 January; November starts on day 304 of a 365-day year (31+28+31+30+31+30+31+31+30+31)
    assert [month_of_day(d) for d in (0, 30, 31, 58, 59, 303, 304, 364, 365)] == [1, 1, 2, 2, 3, 10, 11, 12, 1]
    assert periods(frozenset({11, 12}), 365) == [[304, 365]]
    assert periods(frozenset({1, 2, 11, 12}), 400) == [[0, 59], [304, 400]]
    assert periods(frozenset({6}), 100) == []


def test_closure_calendar_of_the_network_and_of_a_scenario(service: Service) -> None:
    with service.client(role="viewer") as c:
        net = c.get("/v1/closure-calendar", params={"days": 365}).json()
        kuryk = next(x for x in net["closures"] if x["id"] == "kuryk-storm-novdec")
        assert kuryk["target"] == "kuryk" and kuryk["periods"] == [[304, 365]] and kuryk["closed_share"] == 0.5
        scen = c.get("/v1/closure-calendar", params={"scenario": "baseline-2024", "days": 30}).json()
        assert all(p[1] <= 30 for x in scen["closures"] for p in x["periods"])
        assert c.get("/v1/closure-calendar", params={"network": "atlantis"}).status_code == 422
        assert c.get("/v1/closure-calendar", params={"days": 0}).status_code == 422


def test_tables_flatten_and_unroll_daily_series() -> None:
    text = to_csv([{"node": "P", "daily_mean_teu": [1.5, 2.0], "peak": {"value": 3}, "name": "=cmd"}])
    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows == [
        {"node": "P", "peak.value": "3", "name": "'=cmd", "day": "0", "daily_mean_teu": "1.5"},
        {"node": "P", "peak.value": "3", "name": "'=cmd", "day": "1", "daily_mean_teu": "2.0"},
    ]


@pytest.mark.slow
def test_job_tables_as_csv(service: Service) -> None:
    with service.client(role="analyst") as c:
        job = c.post("/v1/capacity-runs", json={"demand": "2024"}).json()
        done = wait_final(c, job)
        assert done["state"] == "succeeded", done
        result = c.get(done["result"]).json()
        r = c.get(f"/v1/jobs/{job['id']}/tables/links")
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
        assert "attachment" in r.headers["content-disposition"]
        rows = list(csv.DictReader(io.StringIO(r.text)))
        assert [x["id"] for x in rows] == [x["id"] for x in result["links"]]
        first = result["links"][0]
        assert float(rows[0]["flow_teu"]) == pytest.approx(first["flow_teu"])
        missing = c.get(f"/v1/jobs/{job['id']}/tables/nothing")
        assert missing.status_code == 404 and "links" in missing.json()["detail"]


def test_scenario_check_stores_nothing_and_names_the_line(service: Service) -> None:
    with service.client(role="viewer") as c:
        ok = c.post("/v1/scenario-checks", content=scenario_yaml("dry-run"), headers=YAML)
        assert ok.status_code == 200 and ok.json()["name"] == "dry-run" and ok.json()["valid"] is True
        assert all(s["name"] != "dry-run" for s in c.get("/v1/scenarios").json())
        bad = scenario_yaml("dry-run").replace("node: AZBAK", "node: NOWHERE")
        r = c.post("/v1/scenario-checks", content=bad, headers=YAML)
        assert r.status_code == 422 and r.headers["content-type"].startswith("application/problem+json")
        problems = r.json()["problems"]
        assert any(p.get("line") and "NOWHERE" in p["message"] for p in problems), problems
