"""Webhooks of DCSA event subscriptions: signed exactly as Track & Trace 2.2.0 says, retried, recorded.

The body is the JSON array of events, serialised once; those exact bytes are signed and sent.
``Notification-Signature: sha256=<hex>`` is the HMAC-SHA256 of the raw body (UTF-8) under the
subscription's secret — the secret is Base64 in the API (``format: byte``), and its decoded bytes
are the key.  ``Subscription-ID`` and ``API-Version`` headers go with it.  A delivery is tried at
once and then after each delay of :data:`BACKOFF_S` (doubling); every attempt updates its
``webhook_deliveries`` row, which ends ``delivered`` (a 2xx answer) or ``failed`` — nothing is
dropped silently.  The schedule lives in the row (``next_attempt_at``), and the service's
:class:`Sender` thread sends whatever is due, so a restart resumes pending retries.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import json
import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, Final

import httpx
from sqlalchemy import or_, select, update

from corridor.service.db import Database, utcnow
from corridor.service.tracking_models import DeliveryRow, SubscriptionRow

API_VERSION: Final = "2.2.0"
BACKOFF_S: Final = (0.5, 1.0, 2.0, 4.0)
TIMEOUT_S: Final = 10.0
#: A sender holds a delivery this long per attempt (longer than one request can take).
LEASE_S: Final = TIMEOUT_S + 20.0
#: The sender looks at the table at least this often.
IDLE_S: Final = 5.0
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
    client: httpx.Client | None = None,
) -> None:
    """One attempt at each delivery that is pending, due and not claimed by another sender; record it and
    schedule the next (``next_attempt_at``) or end it ``delivered``/``failed``."""
    own = client is None
    http = client or httpx.Client(timeout=TIMEOUT_S)
    try:
        for did in delivery_ids:
            _attempt(db, http, did, backoff_s)
    finally:
        if own:
            http.close()


def due(db: Database, now: dt.datetime) -> tuple[list[int], dt.datetime | None]:
    """Pending deliveries due by ``now`` and not leased (oldest first), and when the next later one is due."""
    with db.session() as s:
        rows = s.execute(
            select(DeliveryRow.id, DeliveryRow.next_attempt_at, DeliveryRow.claimed_until)
            .where(DeliveryRow.status == "pending")
            .order_by(DeliveryRow.id)
        ).all()
    ready: list[int] = []
    later: dt.datetime | None = None
    for did, at, lease in rows:
        when = at
        if lease is not None and lease > now:
            when = lease if at is None or lease > at else at
        if when is None or when <= now:
            ready.append(did)
        elif later is None or when < later:
            later = when
    return ready, later


def _claim(db: Database, did: int, now: dt.datetime) -> bool:
    """Take the delivery for one attempt (a lease of :data:`LEASE_S`) if nobody else holds it."""
    with db.session() as s:
        done = s.execute(
            update(DeliveryRow)
            .where(
                DeliveryRow.id == did,
                DeliveryRow.status == "pending",
                or_(DeliveryRow.claimed_until.is_(None), DeliveryRow.claimed_until < now),
            )
            .values(claimed_until=now + dt.timedelta(seconds=LEASE_S))
        )
        return bool(getattr(done, "rowcount", 0))


def _attempt(db: Database, client: httpx.Client, did: int, backoff_s: Sequence[float]) -> None:
    now = utcnow()
    if not _claim(db, did, now):
        return
    with db.session() as s:
        row = s.get(DeliveryRow, did)
        sub = None if row is None else s.get(SubscriptionRow, row.subscription_id)
        if row is None or sub is None:
            if row is not None:
                row.status, row.claimed_until, row.next_attempt_at = "failed", None, None
                row.last_error = "subscription deleted"
            return
        body = row.body.encode("utf-8")
        url, secret, sub_id, attempt = sub.callback_url, sub.secret, sub.id, row.attempts + 1
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
    final = ok or attempt > len(backoff_s)
    with db.session() as s:
        row = s.get(DeliveryRow, did)
        if row is None:
            return
        row.attempts = attempt
        row.last_status = status
        row.last_error = error or ("" if ok else f"HTTP {status}")
        row.claimed_until = None
        if ok:
            row.status, row.delivered_at, row.next_attempt_at = "delivered", utcnow(), None
        elif final:
            row.status, row.next_attempt_at = "failed", None
        else:
            row.next_attempt_at = utcnow() + dt.timedelta(seconds=float(backoff_s[attempt - 1]))


class Sender:
    """The service's delivery loop: a thread that sends every due delivery, sleeping until the next one is
    due (at most :data:`IDLE_S`) or until :meth:`poke` says new ones were queued.

    Retries are scheduled in the database (``next_attempt_at``), never in memory, so a delivery whose
    sender stopped — a restart, a crash — is picked up by the next sender that runs, when it is due.
    Several senders (processes, instances) share the table safely: each attempt takes a lease first.
    """

    def __init__(self, db: Database, backoff: Callable[[], Sequence[float]] = lambda: BACKOFF_S) -> None:
        self.db = db
        self.backoff = backoff
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="corridor-webhooks", daemon=True)
        self._thread.start()

    def poke(self) -> None:
        self._wake.set()

    def stop(self, timeout: float = TIMEOUT_S + 5.0) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def _run(self) -> None:
        with httpx.Client(timeout=TIMEOUT_S) as client:
            while not self._stop.is_set():
                self._wake.clear()
                wait = IDLE_S
                try:
                    ready, later = due(self.db, utcnow())
                    for did in ready:
                        if self._stop.is_set():
                            return
                        _attempt(self.db, client, did, tuple(self.backoff()))
                    if ready:
                        continue  # look again at once: attempts may have scheduled near retries
                    if later is not None:
                        wait = min(IDLE_S, max((later - utcnow()).total_seconds(), 0.0))
                except Exception:
                    wait = IDLE_S
                self._wake.wait(wait)
