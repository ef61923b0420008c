"""What the web workbench needs beyond the engines' own resources: corridor KPIs, closure calendars,
a job result's tables as CSV, and a dry-run check of a scenario text (problems at line and field)."""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from corridor.network import Network
from corridor.scenario import apply_scenario
from corridor.service.auth import Principal, require_role, session_dep
from corridor.service.inputs import network_for, scenario_text
from corridor.service.job_kinds import scenario_from_text
from corridor.service.kpis import load_kpis
from corridor.service.problems import PROBLEM_RESPONSES, ApiProblem
from corridor.service.routers.jobs import finished_result
from corridor.service.tables import tables, to_csv

router = APIRouter(prefix="/v1", tags=["workbench"], responses=PROBLEM_RESPONSES)
viewer = require_role("viewer")
MONTH_DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
MAX_SCENARIO_BYTES = 1_000_000


@router.get("/kpis", summary="The corridor against its public targets: sourced series (corridor.kpis/1)")
def get_kpis(principal: Principal = Depends(viewer)) -> dict[str, Any]:
    return load_kpis()


def month_of_day(day: int) -> int:
    """Calendar month (1–12) of day ``day`` counted from 1 January (365-day years, as the simulation)."""
    doy = day % 365
    for month, length in enumerate(MONTH_DAYS, start=1):
        if doy < length:
            return month
        doy -= length
    raise AssertionError("unreachable")


def periods(months: frozenset[int], days: int) -> list[list[int]]:
    """Maximal runs ``[start, end)`` of days in ``range(days)`` whose month is in ``months``."""
    out: list[list[int]] = []
    for day in range(days):
        if month_of_day(day) in months:
            if out and out[-1][1] == day:
                out[-1][1] = day + 1
            else:
                out.append([day, day + 1])
    return out


def _calendar_network(request: Request, session: Session, principal: Principal, network: str,
                      scenario: str | None, version: int | None) -> Network:  # fmt: skip
    if scenario:
        name, text, _, _ = scenario_text(session, principal, scenario, version)
        return apply_scenario(scenario_from_text(name, text)).network
    return network_for(request.app.state.ctx, session, principal, network)


@router.get(
    "/closure-calendar",
    summary="Closure seasons as day ranges of a simulation's measured window (day 0 = 1 January)",
)
def closure_calendar(
    request: Request,
    network: str = Query(default="middle-corridor", max_length=200),
    scenario: str | None = Query(default=None, max_length=200),
    version: int | None = Query(default=None, ge=1),
    days: int = Query(default=365, ge=1, le=3650),
    principal: Principal = Depends(viewer),
    session: Session = Depends(session_dep, scope="function"),
) -> dict[str, Any]:
    net = _calendar_network(request, session, principal, network, scenario, version)
    return {
        "days": days,
        "closures": [
            {"id": c.id, "target": c.target, "months": sorted(c.months), "closed_share": c.closed_share,
             "episode_mean_h": c.episode_mean_h, "cause": c.cause, "note": c.note,
             "periods": periods(c.months, days)}
            for c in net.closures
        ],
    }  # fmt: skip


@router.get(
    "/jobs/{job_id}/tables/{table}",
    summary="One table of a finished job's result as CSV",
    responses={200: {"content": {"text/csv": {"schema": {"type": "string"}}}, "description": "The table"}},
)
def job_table(
    job_id: str,
    table: str,
    request: Request,
    principal: Principal = Depends(viewer),
    session: Session = Depends(session_dep, scope="function"),
) -> Response:
    job, data = finished_result(request, session, job_id, principal)
    result = json.loads(data)
    names = tables(result)
    if table not in names:
        raise ApiProblem(404, "not-found", "Not found", f"no table {table[:80]!r} in this {job.kind} result; "
                         f"tables: {', '.join(names)}")  # fmt: skip
    return Response(
        to_csv(result[table]),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{job.kind}-{job.id[:8]}-{table}.csv"'},
    )


@router.post(
    "/scenario-checks",
    summary="Check a scenario text without storing it: 200 with its name, or 422 with each problem's line",
    openapi_extra={"requestBody": {"required": True, "content": {"application/yaml": {"schema": {"type": "string"}}}}},
)
async def check_scenario(request: Request, principal: Principal = Depends(viewer)) -> dict[str, Any]:
    raw = await request.body()
    if len(raw) > MAX_SCENARIO_BYTES:
        raise ApiProblem(413, "too-large", "Too large", f"a scenario is at most {MAX_SCENARIO_BYTES:,} bytes")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise ApiProblem(422, "invalid-input", "Invalid input", "the scenario is not UTF-8 text") from None
    scen = scenario_from_text("scenario", text)
    apply_scenario(scen)
    return {"valid": True, "name": scen.name, "title": scen.title, "changes": len(scen.changes)}
