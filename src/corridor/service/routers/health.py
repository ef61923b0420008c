"""Liveness, readiness and Prometheus metrics."""

from __future__ import annotations

from importlib import resources

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from sqlalchemy import text

from corridor.service.problems import not_found
from corridor.service.resources import Health

router = APIRouter(tags=["operations"])


@router.get("/healthz", response_model=Health, summary="The process is alive")
def healthz() -> Health:
    return Health(status="ok")


@router.get(
    "/readyz",
    response_model=Health,
    summary="The database answers and is migrated",
    responses={503: {"model": Health, "description": "Not ready"}},
)
def readyz(request: Request) -> Response:
    from corridor.service.migrate import head

    ctx = request.app.state.ctx
    checks: dict[str, str] = {}
    try:
        with ctx.db.engine.connect() as conn:
            conn.execute(text("SELECT 1"))
            rev = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
        checks["database"] = "ok"
        checks["migrations"] = "ok" if rev == head() else f"at {rev}, head is {head()}"
    except Exception as exc:
        checks["database"] = f"unavailable: {type(exc).__name__}"
    ok = all(v == "ok" for v in checks.values())
    return JSONResponse(Health(status="ok" if ok else "unavailable", checks=checks).model_dump(), 200 if ok else 503)


@router.get(
    "/metrics",
    summary="Prometheus metrics",
    response_class=Response,
    responses={200: {"content": {"text/plain": {"schema": {"type": "string"}}}, "description": "Metrics"}},
)
def metrics(request: Request) -> Response:
    return Response(generate_latest(request.app.state.ctx.metrics.registry), media_type=CONTENT_TYPE_LATEST)


STATIC = ("docs.html", "docs.js", "docs.css")
MEDIA = {"html": "text/html; charset=utf-8", "js": "text/javascript; charset=utf-8", "css": "text/css; charset=utf-8"}


@router.get("/docs", include_in_schema=False)
def docs_page() -> Response:
    return _static("docs.html")


@router.get("/static/{name}", include_in_schema=False)
def static(name: str) -> Response:
    if name not in STATIC:
        raise not_found("file", name)
    return _static(name)


def _static(name: str) -> Response:
    data = (resources.files("corridor.service") / "static" / name).read_bytes()
    return Response(data, media_type=MEDIA[name.rsplit(".", 1)[1]], headers={"Cache-Control": "no-cache"})
