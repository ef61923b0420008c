"""``POST /v1/quotes``: the synchronous door-to-door quote (the CLI's ``corridor route``)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from sqlalchemy.orm import Session

from corridor.routing import route
from corridor.service.auth import Principal, require_role, session_dep
from corridor.service.problems import PROBLEM_RESPONSES
from corridor.service.resources import QuoteRequest
from corridor.service.routers._inputs import router_for

router = APIRouter(prefix="/v1", tags=["quotes"], responses=PROBLEM_RESPONSES)


@router.post("/quotes", summary="Quote a shipment: routes, P50/P90 times, itemised costs, CO2e (corridor.route/2)")
def quote(
    body: QuoteRequest,
    request: Request,
    principal: Principal = Depends(require_role("viewer")),
    session: Session = Depends(session_dep, scope="function"),
) -> dict[str, Any]:
    rt = router_for(request.app.state.ctx, session, principal, body.network)
    session.close()
    result = route(
        rt, body.origin, body.destination, body.cargo, depart=body.depart, optimize=body.optimize,
        alternatives=body.alternatives, via=body.via, avoid=body.avoid,
    )  # fmt: skip
    return result.to_json()
