"""Scenarios as YAML or JSON, validated with line numbers and versioned: an edit adds a version."""

from __future__ import annotations

import hashlib
import json

from fastapi import APIRouter, Depends, Header, Request
from fastapi.responses import JSONResponse
from sqlalchemy import select
from sqlalchemy.orm import Session

from corridor.scenario import apply_scenario, bundled_scenarios
from corridor.service.auth import Principal, audit, owned, require_role, session_dep
from corridor.service.inputs import idempotent_replay, remember, request_hash
from corridor.service.job_kinds import scenario_from_text
from corridor.service.models import ScenarioVersion, StoredScenario
from corridor.service.problems import PROBLEM_RESPONSES, ApiProblem, not_found
from corridor.service.resources import ScenarioOut, ScenarioVersionOut

router = APIRouter(prefix="/v1", tags=["scenarios"], responses=PROBLEM_RESPONSES)
viewer = require_role("viewer")
analyst = require_role("analyst")
MEDIA = ("application/yaml", "application/json")
BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/yaml": {"schema": {"type": "string"}},
            "application/json": {"schema": {"type": "object", "additionalProperties": True}},
        },
        "description": "A scenario in the format of docs/scenarios.md (YAML, or the same structure as JSON).",
    }
}


async def _read(request: Request) -> tuple[str, str]:
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media in ("application/x-yaml", "text/yaml"):
        media = "application/yaml"
    if media not in MEDIA:
        raise ApiProblem(
            415,
            "unsupported-media-type",
            "Unsupported media type",
            f"send the scenario as {' or '.join(MEDIA)}; got {media or 'nothing'}",
        )
    raw = await request.body()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise ApiProblem(422, "invalid-input", "Invalid input", "the scenario is not UTF-8 text") from None
    return media, text


def _validate(name: str, text: str) -> str:
    """Parse and apply the scenario (every problem with its line), return its declared name."""
    scen = scenario_from_text(name, text)
    try:
        scen.name.encode("utf-8")
    except UnicodeEncodeError:
        raise ApiProblem(
            422, "invalid-input", "Invalid input", "the scenario's name is not valid Unicode text"
        ) from None
    if not 1 <= len(scen.name) <= 200:
        raise ApiProblem(422, "invalid-input", "Invalid input", "the scenario's name must have 1 to 200 characters")
    apply_scenario(scen)
    return scen.name


def _version_out(row: StoredScenario, ver: ScenarioVersion) -> ScenarioVersionOut:
    return ScenarioVersionOut(scenario_id=row.id, name=row.name, version=ver.version, media_type=ver.media_type,
                              digest=ver.digest, created_by=ver.created_by, created_at=ver.created_at, text=ver.body)  # fmt: skip


def _add_version(session: Session, principal: Principal, row: StoredScenario, media: str, text: str) -> ScenarioVersion:
    row.latest += 1
    ver = ScenarioVersion(scenario_id=row.id, version=row.latest, media_type=media, body=text,
                          digest=hashlib.sha256(text.encode()).hexdigest(), created_by=principal.username)  # fmt: skip
    session.add(ver)
    session.flush()
    audit(session, principal, "scenario.version", row.id, name=row.name, version=ver.version)
    return ver


@router.get("/scenarios", response_model=list[ScenarioOut], summary="Bundled scenarios and the organisation's")
def list_scenarios(
    principal: Principal = Depends(viewer), session: Session = Depends(session_dep, scope="function")
) -> list[ScenarioOut]:
    out = [ScenarioOut(id=n, name=n, bundled=True, latest=1) for n in sorted(bundled_scenarios())]
    rows = session.scalars(
        select(StoredScenario).where(StoredScenario.org_id == principal.org_id).order_by(StoredScenario.name)
    )
    return out + [ScenarioOut(id=r.id, name=r.name, bundled=False, latest=r.latest) for r in rows]


@router.post("/scenarios", status_code=201, response_model=ScenarioVersionOut, openapi_extra=BODY,
             summary="Create a scenario (version 1)")  # fmt: skip
async def create_scenario(
    request: Request,
    principal: Principal = Depends(analyst),
    session: Session = Depends(session_dep, scope="function"),
    idempotency_key: str | None = Header(default=None, max_length=200),
) -> JSONResponse:
    media, text = await _read(request)
    rh = request_hash(request.url.path, text)
    prior = idempotent_replay(session, principal, idempotency_key, rh)
    if prior is not None:
        return _replay(prior.body, prior.status, prior.headers)
    name = _validate("scenario", text)
    if name in bundled_scenarios():
        raise ApiProblem(409, "conflict", "Conflict", f"{name!r} is a bundled scenario's name")
    if session.scalars(
        select(StoredScenario).where(StoredScenario.org_id == principal.org_id, StoredScenario.name == name)
    ).first():
        raise ApiProblem(
            409, "conflict", "Conflict", f"scenario {name!r} exists; PUT /v1/scenarios/{{id}} adds a version"
        )
    row = StoredScenario(org_id=principal.org_id, name=name, latest=0)
    session.add(row)
    session.flush()
    out = _version_out(row, _add_version(session, principal, row, media, text))
    body = out.model_dump_json()
    headers = {"Location": f"/v1/scenarios/{row.id}/versions/1"}
    remember(session, principal, idempotency_key, rh, 201, body, headers)
    return _replay(body, 201, headers)


def _replay(body: str, status: int, headers: dict[str, str]) -> JSONResponse:
    return JSONResponse(json.loads(body), status_code=status, headers=headers)


@router.put("/scenarios/{scenario_id}", status_code=201, response_model=ScenarioVersionOut, openapi_extra=BODY,
            summary="Edit a scenario: stores a new version")  # fmt: skip
async def update_scenario(
    scenario_id: str,
    request: Request,
    principal: Principal = Depends(analyst),
    session: Session = Depends(session_dep, scope="function"),
    idempotency_key: str | None = Header(default=None, max_length=200),
) -> JSONResponse:
    row = owned(session, StoredScenario, scenario_id, principal, "scenario")
    media, text = await _read(request)
    rh = request_hash(request.url.path, text)
    prior = idempotent_replay(session, principal, idempotency_key, rh)
    if prior is not None:
        return _replay(prior.body, prior.status, prior.headers)
    name = _validate(row.name, text)
    if name != row.name:
        raise ApiProblem(
            422, "invalid-input", "Invalid input", f"the scenario is named {row.name!r}; the new text names {name!r}"
        )
    ver = _add_version(session, principal, row, media, text)
    body = _version_out(row, ver).model_dump_json()
    headers = {"Location": f"/v1/scenarios/{row.id}/versions/{ver.version}"}
    remember(session, principal, idempotency_key, rh, 201, body, headers)
    return _replay(body, 201, headers)


@router.get("/scenarios/{scenario_id}", response_model=ScenarioVersionOut, summary="A scenario's latest version")
def get_scenario(
    scenario_id: str, principal: Principal = Depends(viewer), session: Session = Depends(session_dep, scope="function")
) -> ScenarioVersionOut:
    return _get_version(session, principal, scenario_id, None)


@router.get(
    "/scenarios/{scenario_id}/versions/{version}",
    response_model=ScenarioVersionOut,
    summary="One version of a scenario",
)
def get_version(
    scenario_id: str,
    version: int,
    principal: Principal = Depends(viewer),
    session: Session = Depends(session_dep, scope="function"),
) -> ScenarioVersionOut:
    return _get_version(session, principal, scenario_id, version)


def _get_version(session: Session, principal: Principal, scenario_id: str, version: int | None) -> ScenarioVersionOut:
    bundled = bundled_scenarios()
    if scenario_id in bundled:
        if version not in (None, 1):
            raise not_found("scenario version", f"{scenario_id}@{version}")
        text = bundled[scenario_id].read_text(encoding="utf-8")
        return ScenarioVersionOut(scenario_id=scenario_id, name=scenario_id, version=1, media_type="application/yaml",
                                  digest=hashlib.sha256(text.encode()).hexdigest(), created_by="corridor", created_at=None, text=text)  # fmt: skip
    row = owned(session, StoredScenario, scenario_id, principal, "scenario")
    v = version if version is not None else row.latest
    ver = session.scalars(
        select(ScenarioVersion).where(ScenarioVersion.scenario_id == row.id, ScenarioVersion.version == v)
    ).first()
    if ver is None:
        raise not_found("scenario version", f"{scenario_id}@{v}")
    return _version_out(row, ver)
