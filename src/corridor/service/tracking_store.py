"""Tracking storage: ingestion (idempotent, out-of-order tolerant, retractions honoured) and ETA from the
database — one code path for ``POST /v2/events``, ``corridor track import`` and ``corridor track eta --db``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from corridor.errors import InputError, Problem
from corridor.network import Network, load_network
from corridor.service import webhooks
from corridor.service.db import utcnow
from corridor.service.tracking_models import EventRow, ShipmentRow
from corridor.tracking import EventLog, Predictor, TrackedShipment, TrackingEvent, est_events
from corridor.tracking.dcsa import from_dcsa, to_dcsa

#: A new EST event is emitted when the destination P50 moves by more than this (hours).
EST_THRESHOLD_H: Final = 6.0


@dataclass
class Ingested:
    """What one ingestion did: new events, duplicates, shipments added, webhook deliveries queued."""

    accepted: list[str] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)
    shipments: int = 0
    estimates: list[str] = field(default_factory=list)
    deliveries: list[int] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "accepted": len(self.accepted),
            "duplicates": len(self.duplicates),
            "shipments": self.shipments,
            "estimates": len(self.estimates),
            "event_ids": self.accepted,
        }


def _row(org_id: str, e: TrackingEvent) -> EventRow:
    return EventRow(
        org_id=org_id,
        event_id=e.event_id,
        booking=e.booking,
        event_type=e.event_type,
        classifier=e.classifier,
        type_code=e.type_code,
        event_time=e.event_time,
        created_time=e.created_time,
        location=e.location,
        equipment=e.equipment,
        retracts=e.retracts,
        body=to_dcsa(e),
    )


def _values(org_id: str, e: TrackingEvent) -> dict[str, Any]:
    """The column values of one event row (for a bulk INSERT)."""
    return {
        "org_id": org_id,
        "event_id": e.event_id,
        "booking": e.booking,
        "event_type": e.event_type,
        "classifier": e.classifier,
        "type_code": e.type_code,
        "event_time": e.event_time,
        "created_time": e.created_time,
        "location": e.location,
        "equipment": e.equipment,
        "retracts": e.retracts,
        "retracted": False,
        "body": to_dcsa(e),
        "received_at": utcnow(),
    }


def event_of(row: EventRow) -> TrackingEvent:
    return from_dcsa(row.body, where=f"event {row.event_id}")


def add_shipments(session: Session, org_id: str, shipments: Iterable[TrackedShipment], network: Network) -> int:
    """Store shipments not yet known (by booking); a known booking with another route is an error."""
    added = 0
    for s in shipments:
        s.check_route(network)
        row = session.scalars(
            select(ShipmentRow).where(ShipmentRow.org_id == org_id, ShipmentRow.booking == s.booking)
        ).first()
        if row is not None:
            if row.data != s.to_json():
                raise InputError(
                    f"shipment {s.booking} already exists with a different plan",
                    [Problem("shipments", "a booking is created once; its route cannot change", record=s.booking)],
                )
            continue
        session.add(
            ShipmentRow(org_id=org_id, booking=s.booking, network=network.name, data=s.to_json(), synthetic=s.synthetic)
        )
        added += 1
    session.flush()
    return added


def ingest(
    session: Session,
    org_id: str,
    events: Sequence[TrackingEvent],
    *,
    network: Network | None = None,
    predictors: dict[str, Predictor] | None = None,
) -> Ingested:
    """Store ``events`` for ``org_id``: idempotent by event id (the same event again is a duplicate; other
    content under a known id is an :class:`InputError`), any order, retractions applied both ways; then
    re-estimate the shipments touched, emit EST events where the P50 moved, and queue webhooks."""
    out = Ingested()
    if not events:
        return out
    ids = [e.event_id for e in events]
    existing = {
        r.event_id: r
        for r in session.scalars(select(EventRow).where(EventRow.org_id == org_id, EventRow.event_id.in_(ids)))
    }
    new_rows: list[dict[str, Any]] = []
    problems: list[Problem] = []
    seen: dict[str, TrackingEvent] = {}
    for e in events:
        old = existing.get(e.event_id)
        prior = seen.get(e.event_id)
        if old is not None or prior is not None:
            log = EventLog.of([prior if prior is not None else event_of(old)])  # type: ignore[arg-type]
            try:
                log.add(e)
            except InputError as err:
                problems.extend(p.located(None) for p in err.problems)
                problems.append(
                    Problem(
                        "body", f"event {e.event_id} conflicts with the stored one", field="eventID", got=e.event_id
                    )
                )
                continue
            out.duplicates.append(e.event_id)
            continue
        seen[e.event_id] = e
        new_rows.append(_values(org_id, e))
    if problems:
        raise InputError(f"{len(problems)} conflicting event id(s)", problems)
    if new_rows:  # one multi-row INSERT (executemany) in the request's transaction, not one ORM object per event
        session.execute(insert(EventRow), new_rows)
    # retractions, whichever arrives first
    retracting = [r["retracts"] for r in new_rows if r["retracts"]]
    if retracting:
        session.execute(
            update(EventRow)
            .where(EventRow.org_id == org_id, EventRow.event_id.in_(retracting))
            .values(retracted=True)
            .execution_options(synchronize_session=False)
        )
    new_ids = [r["event_id"] for r in new_rows]
    if new_ids:
        later = select(EventRow.retracts).where(EventRow.org_id == org_id, EventRow.retracts.in_(new_ids))
        withdrawn = set(session.scalars(later))
        if withdrawn:
            session.execute(
                update(EventRow)
                .where(EventRow.org_id == org_id, EventRow.event_id.in_(withdrawn))
                .values(retracted=True)
                .execution_options(synchronize_session=False)
            )
    out.accepted = new_ids
    bodies = [r["body"] for r in new_rows]
    acted = {r["booking"] for r in new_rows if r["classifier"] == "ACT"}
    estimates = reestimate(session, org_id, acted, network=network, predictors=predictors)
    out.estimates = [e.event_id for e in estimates]
    bodies += [to_dcsa(e) for e in estimates]
    out.deliveries = webhooks.enqueue(session, org_id, bodies)
    return out


def shipment(session: Session, org_id: str, booking: str) -> tuple[ShipmentRow, TrackedShipment] | None:
    row = session.scalars(
        select(ShipmentRow).where(ShipmentRow.org_id == org_id, ShipmentRow.booking == booking)
    ).first()
    return None if row is None else (row, TrackedShipment.from_json(row.data, where=f"shipment {booking}"))


def events_of(session: Session, org_id: str, bookings: Iterable[str]) -> EventLog:
    """The stored events of ``bookings`` as a log (retracted ones and retraction notices included: the
    log applies them)."""
    rows = session.scalars(
        select(EventRow).where(EventRow.org_id == org_id, EventRow.booking.in_(list(bookings))).order_by(EventRow.seq)
    )
    return EventLog.of(event_of(r) for r in rows)


def eta_for(
    session: Session, org_id: str, booking: str, now: dt.datetime, *, predictor: Predictor | None = None
) -> Any:
    """The :class:`corridor.tracking.Eta` of one stored shipment as of ``now`` (``None`` if unknown)."""
    found = shipment(session, org_id, booking)
    if found is None:
        return None
    row, ship = found
    pred = predictor or Predictor(load_network(row.network))
    return pred.predict(ship, events_of(session, org_id, [booking]), now)


def reestimate(
    session: Session,
    org_id: str,
    bookings: Iterable[str],
    *,
    network: Network | None = None,
    now: dt.datetime | None = None,
    predictors: dict[str, Predictor] | None = None,
) -> list[TrackingEvent]:
    """New ETAs for ``bookings``; an EST event (stored) for each whose destination P50 moved by more than
    :data:`EST_THRESHOLD_H` since the last one published.  ``predictors`` (network name → predictor) is
    reused and filled when given, so a long-running caller keeps the predictors' caches warm."""
    wanted = sorted(set(bookings))
    if not wanted:
        return []
    rows = list(
        session.scalars(select(ShipmentRow).where(ShipmentRow.org_id == org_id, ShipmentRow.booking.in_(wanted)))
    )
    if not rows:
        return []
    predictors = {} if predictors is None else predictors
    log = events_of(session, org_id, [r.booking for r in rows])
    made: list[TrackingEvent] = []
    for row in rows:
        ship = TrackedShipment.from_json(row.data, where=f"shipment {row.booking}")
        acts = [e for e in log.effective(row.booking) if e.is_actual]
        if not acts:
            continue
        at = now or max(e.event_time for e in acts)
        pred = predictors.get(row.network)
        if pred is None:
            pred = predictors[row.network] = Predictor(
                network if network is not None and network.name == row.network else load_network(row.network)
            )
        eta = pred.predict(ship, log, at)
        previous = {} if row.last_p50 is None else {row.booking: row.last_p50}
        for est in est_events(previous, eta, threshold_h=EST_THRESHOLD_H, now=at):
            session.add(_row(org_id, est))
            row.last_p50 = est.event_time
            made.append(est)
    session.flush()
    return made


def query_events(session: Session, org_id: str, filters: dict[str, Any], after_seq: int, limit: int) -> list[EventRow]:
    """Events of ``org_id`` passing the DCSA ``GET /v2/events`` filters, in arrival order after ``after_seq``."""
    q = select(EventRow).where(
        EventRow.org_id == org_id, EventRow.seq > after_seq, EventRow.retracted.is_(False), EventRow.retracts == ""
    )
    if filters.get("eventType"):
        q = q.where(EventRow.event_type.in_(filters["eventType"]))
    codes = [
        c
        for k in ("transportEventTypeCode", "equipmentEventTypeCode", "shipmentEventTypeCode")
        for c in filters.get(k) or ()
    ]
    if codes:
        q = q.where(EventRow.type_code.in_(codes))
    if filters.get("carrierBookingReference"):
        q = q.where(EventRow.booking == filters["carrierBookingReference"])
    if filters.get("equipmentReference"):
        q = q.where(EventRow.equipment == filters["equipmentReference"])
    if filters.get("UNLocationCode"):
        q = q.where(EventRow.location == filters["UNLocationCode"])
    for op, value in filters.get("eventCreatedDateTime") or ():
        col = EventRow.created_time
        q = q.where(
            {"gte": col >= value, "gt": col > value, "lte": col <= value, "lt": col < value, "eq": col == value}[op]
        )
    return list(session.scalars(q.order_by(EventRow.seq).limit(limit)))
