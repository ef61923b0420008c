"""Long computations as jobs: ``202`` with the job's URL; state, progress, result, cancel."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Union

from fastapi import APIRouter, Depends, Header, Query, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.orm import Session

from corridor.service.auth import Principal, audit, owned, require_role, session_dep
from corridor.service.inputs import (
    check_demand,
    idempotent_replay,
    network_folder,
    remember,
    request_hash,
    scenario_text,
)
from corridor.service.jobs import RESULT_MEDIA_TYPES, RESULT_SCHEMAS
from corridor.service.models import Job
from corridor.service.problems import PROBLEM_RESPONSES, ApiProblem
from corridor.service.resources import (
    CapacityRequest,
    ComparisonRequest,
    JobOut,
    JobProgress,
    ReportRequest,
    RunInputs,
    SimulationRequest,
)

router = APIRouter(prefix="/v1", tags=["jobs"], responses=PROBLEM_RESPONSES)
viewer = require_role("viewer")
analyst = require_role("analyst")
ACCEPTED: dict[int | str, dict[str, Any]] = {
    202: {"model": JobOut, "description": "Job accepted; poll its URL (Location)"}
}


def job_out(job: Job) -> JobOut:
    return JobOut(
        id=job.id, kind=job.kind, state=job.state,
        progress=JobProgress(done=job.done, total=job.total, phase=job.phase), params=_public(job.params), created_by=job.created_by,
        created_at=job.created_at, finished_at=job.finished_at,
        result=f"/v1/jobs/{job.id}/result" if job.state == "succeeded" else None, error=job.error,
    )  # fmt: skip


def _public(params: dict[str, Any]) -> dict[str, Any]:
    """Parameters as the client gave them (scenario texts replaced by their version ids)."""
    out = dict(params)
    if "scenarios" in out:
        out["scenarios"] = [s.get("ref", s.get("name")) if isinstance(s, dict) else s for s in out["scenarios"]]
    out.pop("network_folder", None)
    return out


def _scenario_params(session: Session, principal: Principal, ref: str, version: int | None) -> dict[str, Any]:
    name, text, version_id, number = scenario_text(session, principal, ref, version)
    return {"name": name, "text": text, "ref": f"{ref}@{number}", "version_id": version_id}


def _submit(
    request: Request, session: Session, principal: Principal, kind: str, body: BaseModel, key: str | None
) -> JSONResponse:
    ctx = request.app.state.ctx
    data = body.model_dump(mode="json")
    rh = request_hash(request.url.path, data)
    prior = idempotent_replay(session, principal, key, rh)
    if prior is not None:
        return JSONResponse(json.loads(prior.body), status_code=prior.status, headers=prior.headers)
    params: dict[str, Any] = {k: v for k, v in data.items() if k not in ("scenario", "scenario_version", "scenarios")}
    if isinstance(body, RunInputs):
        if body.scenario:
            params["scenarios"] = [_scenario_params(session, principal, body.scenario, body.scenario_version)]
        else:
            params["network"] = network_folder(ctx, session, principal, body.network)
            check_demand(body.demand)
    if isinstance(body, ComparisonRequest):
        params["scenarios"] = [_scenario_params(session, principal, s.scenario, s.version) for s in body.scenarios]
    job = Job(
        org_id=principal.org_id,
        kind=kind,
        state="queued",
        params=params,
        instance=ctx.instance_id,
        created_by=principal.username,
    )
    session.add(job)
    session.flush()
    audit(session, principal, "job.submit", job.id, kind=kind)
    out = job_out(job)
    headers = {"Location": f"/v1/jobs/{job.id}"}
    remember(session, principal, key, rh, 202, out.model_dump_json(), headers)
    session.commit()
    ctx.jobs.submit(job.id)
    ctx.metrics.jobs.labels(kind).inc()
    return JSONResponse(out.model_dump(mode="json"), status_code=202, headers=headers)


@dataclass(frozen=True)
class JobEndpoint:
    """One ``POST`` that submits a job: its path, job kind, request model and summary."""

    path: str
    kind: str
    body: type[BaseModel]
    summary: str


JOB_ENDPOINTS = (
    JobEndpoint("/simulations", "simulation", SimulationRequest, "Simulate (job; result corridor.simulation)"),
    JobEndpoint("/capacity-runs", "capacity", CapacityRequest, "Capacity assignment and bottlenecks (job; corridor.capacity)"),
    JobEndpoint("/comparisons", "comparison", ComparisonRequest, "Compare scenarios (job; corridor.comparison)"),
    JobEndpoint("/appraisals", "appraisal", ComparisonRequest, "Appraise scenarios' investments (job; corridor.appraisal)"),
    JobEndpoint("/reports", "report", ReportRequest, "The offline HTML report of scenarios side by side (job; text/html)"),
)  # fmt: skip


def _job_route(ep: JobEndpoint) -> Callable[..., JSONResponse]:
    def endpoint(
        body: BaseModel, request: Request, principal: Principal = Depends(analyst),
        session: Session = Depends(session_dep, scope="function"),
        idempotency_key: str | None = Header(default=None, max_length=200),
    ) -> JSONResponse:  # fmt: skip
        return _submit(request, session, principal, ep.kind, body, idempotency_key)

    # FastAPI reads the body's model from the annotation: give each endpoint its own
    endpoint.__annotations__ = {**endpoint.__annotations__, "body": ep.body}
    return endpoint


for _ep in JOB_ENDPOINTS:
    router.add_api_route(
        _ep.path, _job_route(_ep), methods=["POST"], status_code=202, responses=ACCEPTED, response_model=JobOut,
        summary=_ep.summary, name=f"post_{_ep.kind}",
    )  # fmt: skip


@router.get("/jobs", response_model=list[JobOut], summary="The organisation's jobs, newest first")
def list_jobs(
    state: str | None = Query(default=None, max_length=20), limit: int = Query(default=100, ge=1, le=1000),
    principal: Principal = Depends(viewer), session: Session = Depends(session_dep, scope="function"),
) -> list[JobOut]:  # fmt: skip
    q = select(Job).where(Job.org_id == principal.org_id)
    if state:
        q = q.where(Job.state == state)
    return [job_out(j) for j in session.scalars(q.order_by(Job.created_at.desc()).limit(limit))]


@router.get("/jobs/{job_id}", response_model=JobOut, summary="A job's state and progress")
def get_job(
    job_id: str, principal: Principal = Depends(viewer), session: Session = Depends(session_dep, scope="function")
) -> JobOut:
    return job_out(owned(session, Job, job_id, principal, "job"))


def _result_responses() -> dict[int | str, dict[str, Any]]:
    """The result's OpenAPI: one of the result schemas (``corridor.schemas``), or a report's HTML."""
    from corridor.schemas import SCHEMAS

    models = tuple(SCHEMAS[kind] for kind in dict.fromkeys(RESULT_SCHEMAS.values()))
    html = {media: {"schema": {"type": "string"}} for media in dict.fromkeys(RESULT_MEDIA_TYPES.values())}
    return {
        200: {
            "model": Union[models],  # noqa: UP007 — a union built at run time from the models
            "description": "The result: a corridor.<kind> document by the job's kind; a report's HTML file",
            "content": html,
        }
    }


def finished_result(request: Request, session: Session, job_id: str, principal: Principal) -> tuple[Job, bytes]:
    """An organisation's finished job and its stored result (404 for another's, 409 while not done)."""
    job = owned(session, Job, job_id, principal, "job")
    if job.state != "succeeded" or not job.result_digest:
        raise ApiProblem(409, "not-ready", "No result", f"the job is {job.state}")
    return job, request.app.state.ctx.store.get(job.result_digest)


@router.get("/jobs/{job_id}/result", summary="A finished job's result", responses=_result_responses())
def get_result(
    job_id: str,
    request: Request,
    principal: Principal = Depends(viewer),
    session: Session = Depends(session_dep, scope="function"),
) -> Response:
    job, data = finished_result(request, session, job_id, principal)
    media = RESULT_MEDIA_TYPES.get(job.kind)
    if media is None:
        return Response(data, media_type="application/json")
    headers = {"Content-Disposition": f'attachment; filename="corridor-{job.kind}-{job.id}.html"'}
    return Response(data, media_type=media, headers=headers)


@router.post("/jobs/{job_id}/cancel", response_model=JobOut, summary="Cancel a queued or running job")
def cancel_job(
    job_id: str,
    request: Request,
    principal: Principal = Depends(analyst),
    session: Session = Depends(session_dep, scope="function"),
) -> JobOut:
    job = owned(session, Job, job_id, principal, "job")
    if request.app.state.ctx.jobs.cancel(job.id):
        audit(session, principal, "job.cancel", job.id)
    session.refresh(job)
    return job_out(job)
