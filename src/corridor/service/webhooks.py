"""Webhooks of DCSA event subscriptions: signed exactly as Track & Trace 2.2.0 says, retried, recorded.

The body is the JSON array of events, serialised once; those exact bytes are signed and sent.
``Notification-Signature: sha256=<hex>`` is the HMAC-SHA256 of the raw body (UTF-8) under the
subscription's secret — the secret is Base64 in the API (``format: byte``), and its decoded bytes
are the key.  ``Subscription-ID`` and ``API-Version`` headers go with it.  A delivery is tried at
once and then after each delay of :data:`BACKOFF_S` (doubling); every attempt updates its
``webhook_deliveries`` row, which ends ``delivered`` (a 2xx answer) or ``failed`` — nothing is
dropped silently.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, Final

import httpx
from sqlalchemy import select

from corridor.service.db import Database, utcnow
from corridor.service.tracking_models import DeliveryRow, SubscriptionRow

API_VERSION: Final = "2.2.0"
BACKOFF_S: Final = (0.5, 1.0, 2.0, 4.0)
TIMEOUT_S: Final = 10.0
#: Subscription filters that are lists of codes (OR within, AND across filters), and single values.
LIST_FILTERS: Final = {
    "eventType": "eventType",
    "transportEventTypeCode": "transportEventTypeCode",
    "equipmentEventTypeCode": "equipmentEventTypeCode",
    "shipmentEventTypeCode": "shipmentEventTypeCode",
    "documentTypeCode": "documentTypeCode",
}
VALUE_FILTERS: Final = ("carrierBookingReference", "equipmentReference", "transportDocumentReference")


def signature(secret_b64: str, body: bytes) -> str:
    """The ``Notification-Signature`` value of ``body`` under a Base64 secret: ``sha256=<hex>``."""
    key = base64.b64decode(secret_b64)
    return "sha256=" + hmac.new(key, body, hashlib.sha256).hexdigest()


def verify(secret_b64: str, body: bytes, header: str) -> bool:
    """What a subscriber does: recompute the signature over the raw body and compare in constant time."""
    kind, _, value = header.strip().partition("=")
    return kind == "sha256" and hmac.compare_digest(signature(secret_b64, body), f"sha256={value}")


def booking_of(body: Mapping[str, Any]) -> str:
    for ref in body.get("documentReferences") or ():
        if ref.get("documentReferenceType") in ("BKG", "BKG (Booking)"):
            return str(ref.get("documentReferenceValue", ""))
    return str(body.get("documentID", "")) if body.get("documentTypeCode") == "BKG" else ""


def matches(filters: Mapping[str, Any], body: Mapping[str, Any]) -> bool:
    """Whether an event body passes a subscription's filters (the specification's AND/OR rules)."""
    for name, field in LIST_FILTERS.items():
        wanted = filters.get(name)
        if wanted and body.get(field) not in wanted:
            return False
    for name in VALUE_FILTERS:
        wanted = filters.get(name)
        if not wanted:
            continue
        got = booking_of(body) if name == "carrierBookingReference" else body.get(name)
        if got != wanted:
            return False
    return True


def encode(bodies: Sequence[Mapping[str, Any]]) -> str:
    return json.dumps(list(bodies), ensure_ascii=False, separators=(",", ":"))


def enqueue(session: Any, org_id: str, bodies: Iterable[Mapping[str, Any]]) -> list[int]:
    """One pending delivery per subscription of ``org_id`` that any of ``bodies`` matches."""
    items = list(bodies)
    ids = []
    for sub in session.scalars(select(SubscriptionRow).where(SubscriptionRow.org_id == org_id)):
        chosen = [b for b in items if matches(sub.filters, b)]
        if not chosen:
            continue
        row = DeliveryRow(
            subscription_id=sub.id, org_id=org_id, event_ids=[str(b["eventID"]) for b in chosen], body=encode(chosen)
        )
        session.add(row)
        session.flush()
        ids.append(row.id)
    return ids


def deliver(
    db: Database,
    delivery_ids: Iterable[int],
    *,
    backoff_s: Sequence[float] = BACKOFF_S,
    sleep: Callable[[float], None] = time.sleep,
) -> None:
    """Send each pending delivery, retrying with backoff; record every attempt and the outcome."""
    with httpx.Client(timeout=TIMEOUT_S) as client:
        for did in delivery_ids:
            _deliver_one(db, client, did, backoff_s, sleep)


def _deliver_one(
    db: Database, client: httpx.Client, did: int, backoff_s: Sequence[float], sleep: Callable[[float], None]
) -> None:
    delays = [0.0, *backoff_s]
    for attempt, delay in enumerate(delays, start=1):
        if delay:
            sleep(delay)
        with db.session() as s:
            row = s.get(DeliveryRow, did)
            sub = None if row is None else s.get(SubscriptionRow, row.subscription_id)
            if row is None or sub is None or row.status != "pending":
                return
            body = row.body.encode("utf-8")
            url, secret, sub_id = sub.callback_url, sub.secret, sub.id
        headers = {
            "Content-Type": "application/json",
            "Notification-Signature": signature(secret, body),
            "Subscription-ID": sub_id,
            "API-Version": API_VERSION,
        }
        status: int | None = None
        error = ""
        try:
            status = client.post(url, content=body, headers=headers).status_code
        except httpx.HTTPError as exc:
            error = f"{type(exc).__name__}: {exc}"[:500]
        ok = status is not None and 200 <= status < 300
        final = ok or attempt == len(delays)
        with db.session() as s:
            row = s.get(DeliveryRow, did)
            if row is None:
                return
            row.attempts = attempt
            row.last_status = status
            row.last_error = error or ("" if ok else f"HTTP {status}")
            if ok:
                row.status, row.delivered_at = "delivered", utcnow()
            elif final:
                row.status = "failed"
        if final:
            return
