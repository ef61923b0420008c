"""DCSA Track & Trace 2.2.0 endpoints (``/v2/events``, ``/v2/event-subscriptions``) and tracked shipments
(``/v1/shipments``, with their predicted arrival).

Roles: reading events, shipments and ETAs needs ``viewer``; creating shipments and managing
subscriptions ``analyst``; posting events ``analyst`` or the ``integrator`` role, which can do
nothing else.  Everything is scoped to the caller's organisation.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
from typing import Any, Final

from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from corridor.errors import InputError, Problem
from corridor.schemas import SCHEMAS
from corridor.service.auth import Principal, audit, owned, require_role, session_dep
from corridor.service.problems import PROBLEM_RESPONSES, ApiProblem, not_found
from corridor.service.tracking_models import EventRow, SubscriptionRow
from corridor.service.tracking_store import add_shipments, eta_for, ingest, query_events
from corridor.tracking import TrackedShipment
from corridor.tracking.dcsa import parse_events_json
from corridor.tracking.events import parse_time

router = APIRouter(tags=["tracking"], responses=PROBLEM_RESPONSES)
DCSA_VERSION: Final = "2.2.0"
MAX_LIMIT: Final = 1000
_OPS: Final = ("gte", "gt", "lte", "lt", "eq")


def _dcsa(content: Any, status: int = 200, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(content, status_code=status, headers={"API-Version": DCSA_VERSION, **(headers or {})})


def _cursor(seq: int, limit: int) -> str:
    return base64.urlsafe_b64encode(json.dumps({"after": seq, "limit": limit}).encode()).decode()


def _read_cursor(cursor: str) -> tuple[int, int]:
    try:
        data = json.loads(base64.urlsafe_b64decode(cursor.encode()))
        return int(data["after"]), int(data["limit"])
    except (ValueError, KeyError, TypeError, binascii.Error):
        raise ApiProblem(400, "bad-cursor", "Bad cursor", "the cursor is not one this server issued") from None


def _codes(value: str | None) -> list[str] | None:
    return None if not value else [v.strip() for v in value.split(",") if v.strip()]


def _created_filter(values: list[str]) -> list[tuple[str, dt.datetime]]:
    out = []
    for raw in values:
        op, sep, rest = raw.partition(":")
        if sep and op in _OPS:
            out.append((op, parse_time(rest, "eventCreatedDateTime", "query")))
        else:
            out.append(("eq", parse_time(raw, "eventCreatedDateTime", "query")))
    return out


@router.get("/v2/events", summary="Find events (DCSA Track & Trace 2.2.0): filters, cursor paging")
def list_events(
    request: Request,
    eventType: str | None = None,
    shipmentEventTypeCode: str | None = None,
    carrierBookingReference: str | None = None,
    transportEventTypeCode: str | None = None,
    equipmentEventTypeCode: str | None = None,
    equipmentReference: str | None = None,
    UNLocationCode: str | None = None,
    eventCreatedDateTime: list[str] = Query(default=[]),
    limit: int = Query(default=100, ge=1, le=MAX_LIMIT),
    cursor: str | None = None,
    principal: Principal = Depends(require_role("viewer")),
    session: Session = Depends(session_dep, scope="function"),
) -> JSONResponse:
    after, size = _read_cursor(cursor) if cursor else (0, limit)
    filters = {
        "eventType": _codes(eventType),
        "shipmentEventTypeCode": _codes(shipmentEventTypeCode),
        "transportEventTypeCode": _codes(transportEventTypeCode),
        "equipmentEventTypeCode": _codes(equipmentEventTypeCode),
        "carrierBookingReference": carrierBookingReference,
        "equipmentReference": equipmentReference,
        "UNLocationCode": UNLocationCode,
        "eventCreatedDateTime": _created_filter(eventCreatedDateTime),
    }
    rows = query_events(session, principal.org_id, filters, after, size + 1)
    page, more = rows[:size], len(rows) > size
    headers = {"Current-Page": cursor or _cursor(0, size)}
    if more:
        headers["Next-Page"] = _cursor(page[-1].seq, size)
    if after:
        headers["First-Page"] = _cursor(0, size)
    return _dcsa([r.body for r in page], headers=headers)


@router.get("/v2/events/{eventID}", summary="Find an event by its eventID (DCSA 2.2.0)")
def get_event(
    eventID: str,
    principal: Principal = Depends(require_role("viewer")),
    session: Session = Depends(session_dep, scope="function"),
) -> JSONResponse:
    row = session.scalars(
        select(EventRow).where(EventRow.org_id == principal.org_id, EventRow.event_id == eventID)
    ).first()
    if row is None or row.retracted or row.retracts:
        raise not_found("event", eventID)
    return _dcsa(row.body)


@router.post(
    "/v2/events",
    status_code=201,
    summary="Ingest events (DCSA 2.2.0 bodies, one or a list): idempotent by eventID; integrator role",
)
async def post_events(
    request: Request,
    principal: Principal = Depends(require_role("analyst", also=("integrator",))),
    session: Session = Depends(session_dep, scope="function"),
) -> JSONResponse:
    raw = await request.body()
    try:
        data = json.loads(raw)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise InputError("the body is not JSON", [Problem("body", str(exc))]) from None
    events = parse_events_json([data] if isinstance(data, dict) and "eventType" in data else data, source="body")
    predictors = request.app.state.ctx.cache.setdefault("tracking_predictors", {})  # warm across requests
    result = ingest(session, principal.org_id, events, predictors=predictors)
    audit(session, principal, "events.ingest", "", accepted=len(result.accepted), duplicates=len(result.duplicates))
    session.commit()
    if result.deliveries:
        request.app.state.webhooks.poke()  # committed: the sender thread sends them (and retries, restart-safe)
    return _dcsa(result.to_json(), 201 if result.accepted else 200)


# --- subscriptions ------------------------------------------------------------------------------


class SubscriptionBody(BaseModel):
    """``subscriptionBody`` of the specification (filters) — the secret only on create."""

    model_config = {"extra": "forbid"}

    callbackUrl: str = Field(max_length=2000, pattern=r"^https?://")
    eventType: list[str] | None = None
    shipmentEventTypeCode: list[str] | None = None
    documentTypeCode: list[str] | None = None
    carrierBookingReference: str | None = Field(default=None, max_length=35)
    transportDocumentReference: str | None = Field(default=None, max_length=20)
    transportEventTypeCode: list[str] | None = None
    equipmentEventTypeCode: list[str] | None = None
    equipmentReference: str | None = Field(default=None, max_length=15)


class SubscriptionWithSecret(SubscriptionBody):
    secret: str = Field(min_length=4, max_length=400)


class SecretBody(BaseModel):
    model_config = {"extra": "forbid"}
    secret: str = Field(min_length=4, max_length=400)


def _secret(value: str) -> str:
    try:
        key = base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):  # ValueError: non-ASCII text
        key = b""
    if len(key) < 16:
        raise InputError(
            "invalid secret",
            [Problem("body", "a Base64-encoded key of at least 16 bytes", field="secret", got="(hidden)")],
        )
    return value


def _filters(body: SubscriptionBody) -> dict[str, Any]:
    return body.model_dump(exclude={"callbackUrl", "secret"}, exclude_none=True)


def _subscription_json(row: SubscriptionRow) -> dict[str, Any]:
    return {"subscriptionID": row.id, "callbackUrl": row.callback_url, **row.filters}


@router.get("/v2/event-subscriptions", summary="The organisation's event subscriptions (DCSA 2.2.0)")
def list_subscriptions(
    principal: Principal = Depends(require_role("analyst")),
    session: Session = Depends(session_dep, scope="function"),
) -> JSONResponse:
    rows = session.scalars(
        select(SubscriptionRow).where(SubscriptionRow.org_id == principal.org_id).order_by(SubscriptionRow.created_at)
    )
    return _dcsa([_subscription_json(r) for r in rows], headers={"Current-Page": _cursor(0, MAX_LIMIT)})


@router.post(
    "/v2/event-subscriptions", status_code=201, summary="Create a subscription; webhooks are signed with its secret"
)
def create_subscription(
    body: SubscriptionWithSecret,
    principal: Principal = Depends(require_role("analyst")),
    session: Session = Depends(session_dep, scope="function"),
) -> JSONResponse:
    row = SubscriptionRow(
        org_id=principal.org_id,
        callback_url=body.callbackUrl,
        secret=_secret(body.secret),
        filters=_filters(body),
        created_by=principal.username,
    )
    session.add(row)
    session.flush()
    audit(session, principal, "subscription.create", row.id)
    return _dcsa(_subscription_json(row), 201)


@router.get("/v2/event-subscriptions/{subscriptionID}", summary="One subscription")
def get_subscription(
    subscriptionID: str,
    principal: Principal = Depends(require_role("analyst")),
    session: Session = Depends(session_dep, scope="function"),
) -> JSONResponse:
    return _dcsa(_subscription_json(owned(session, SubscriptionRow, subscriptionID, principal, "subscription")))


@router.put("/v2/event-subscriptions/{subscriptionID}", summary="Replace a subscription's callback and filters")
def update_subscription(
    subscriptionID: str,
    body: SubscriptionBody,
    principal: Principal = Depends(require_role("analyst")),
    session: Session = Depends(session_dep, scope="function"),
) -> JSONResponse:
    row = owned(session, SubscriptionRow, subscriptionID, principal, "subscription")
    row.callback_url, row.filters, row.updated_at = body.callbackUrl, _filters(body), dt.datetime.now(dt.UTC)
    audit(session, principal, "subscription.update", row.id)
    return _dcsa(_subscription_json(row))


@router.delete("/v2/event-subscriptions/{subscriptionID}", status_code=204, summary="Delete a subscription")
def delete_subscription(
    subscriptionID: str,
    principal: Principal = Depends(require_role("analyst")),
    session: Session = Depends(session_dep, scope="function"),
) -> Response:
    row = owned(session, SubscriptionRow, subscriptionID, principal, "subscription")
    session.delete(row)
    audit(session, principal, "subscription.delete", subscriptionID)
    return Response(status_code=204, headers={"API-Version": DCSA_VERSION})


@router.put("/v2/event-subscriptions/{subscriptionID}/secret", status_code=204, summary="Reset the secret")
def reset_secret(
    subscriptionID: str,
    body: SecretBody,
    principal: Principal = Depends(require_role("analyst")),
    session: Session = Depends(session_dep, scope="function"),
) -> Response:
    row = owned(session, SubscriptionRow, subscriptionID, principal, "subscription")
    row.secret, row.updated_at = _secret(body.secret), dt.datetime.now(dt.UTC)
    audit(session, principal, "subscription.secret", subscriptionID)
    return Response(status_code=204, headers={"API-Version": DCSA_VERSION})


# --- shipments and predicted arrival -------------------------------------------------------------


@router.post("/v1/shipments", status_code=201, summary="Register shipments (planned routes) to track")
async def create_shipments(
    request: Request,
    principal: Principal = Depends(require_role("analyst")),
    session: Session = Depends(session_dep, scope="function"),
) -> dict[str, Any]:
    try:
        data = json.loads(await request.body())
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise InputError("the body is not JSON", [Problem("body", str(exc))]) from None
    items = data if isinstance(data, list) else [data]
    ships = [TrackedShipment.from_json(x, where=f"body[{i}]") for i, x in enumerate(items)]
    from corridor.service.inputs import network_for  # bundled or the organisation's, via the network cache

    name = str(request.query_params.get("network", "middle-corridor"))
    network = network_for(request.app.state.ctx, session, principal, name)
    added = add_shipments(session, principal.org_id, ships, network)
    audit(session, principal, "shipments.create", "", added=added)
    return {"added": added, "bookings": [s.booking for s in ships]}


@router.get("/v1/shipments", summary="The organisation's tracked shipments")
def list_shipments(
    principal: Principal = Depends(require_role("viewer")),
    session: Session = Depends(session_dep, scope="function"),
) -> list[dict[str, Any]]:
    from corridor.service.tracking_models import ShipmentRow

    rows = session.scalars(select(ShipmentRow).where(ShipmentRow.org_id == principal.org_id).order_by(ShipmentRow.id))
    return [r.data for r in rows]


@router.get(
    "/v1/shipments/{booking}/eta",
    response_model=SCHEMAS["eta"],
    summary="Predicted arrival P10/P50/P90 at each remaining milestone (corridor.eta/1)",
)
def shipment_eta(
    booking: str,
    at: str | None = None,
    principal: Principal = Depends(require_role("viewer")),
    session: Session = Depends(session_dep, scope="function"),
) -> dict[str, Any]:
    now = parse_time(at, "at", "query") if at else dt.datetime.now(dt.UTC)
    eta = eta_for(session, principal.org_id, booking, now)
    if eta is None:
        raise not_found("shipment", booking)
    result: dict[str, Any] = eta.to_json()
    return result


@router.get(
    "/v1/operations",
    response_model=SCHEMAS["operations"],
    summary="Operations now: the Caspian ports' queues (from the organisation's events) and closures in season",
)
def operations_now(
    request: Request,
    network: str = "middle-corridor",
    at: str | None = None,
    principal: Principal = Depends(require_role("viewer")),
    session: Session = Depends(session_dep, scope="function"),
) -> dict[str, Any]:
    from corridor.service.inputs import network_for
    from corridor.service.tracking_models import ShipmentRow
    from corridor.service.tracking_store import events_of
    from corridor.tracking.operations import operations

    now = parse_time(at, "at", "query") if at else dt.datetime.now(dt.UTC)
    net = network_for(request.app.state.ctx, session, principal, network)
    rows = list(
        session.scalars(
            select(ShipmentRow).where(ShipmentRow.org_id == principal.org_id, ShipmentRow.network == net.name)
        )
    )
    ships = [TrackedShipment.from_json(r.data, where=f"shipment {r.booking}") for r in rows]
    log = events_of(session, principal.org_id, [s.booking for s in ships])
    result: dict[str, Any] = operations(net, ships, log, now).to_json()
    return result
