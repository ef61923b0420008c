"""DCSA Track & Trace 2.2.0 JSON for tracking events, both ways, and the CSV import format.

:func:`to_dcsa` gives the 2.2.0 body of an event (``transportEvent``, ``equipmentEvent`` or
``shipmentEvent`` of the specification's ``components.schemas``); the shipment it belongs to is the
``BKG`` document reference (shipment events: ``documentTypeCode`` ``BKG`` and ``documentID``).  A
node with a UN/LOCODE goes in ``UNLocationCode``; other nodes (slugs such as ``dostyk``) go in
``otherFacility``.  3.0.0-beta codes (``BORD``, ``CUSR`` …, ``retractedEventID``) go under
``corridorExtensions`` while the standard field carries the nearest 2.2.0 code, so every body
validates against 2.2.0.

:func:`from_dcsa` reads such a body back (and also accepts the 3.0 codes directly in the standard
fields).  :func:`parse_events_csv` reads the flat CSV form documented in docs/tracking.md.
"""

from __future__ import annotations

import csv
import io
import re
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any, Final

from corridor.errors import InputError, Problem
from corridor.tracking.events import (
    EQUIPMENT_EXTENSIONS,
    FACILITY_EXTENSIONS,
    TrackingEvent,
    parse_time,
)
from corridor.tracking.shipment import TrackedShipment

UNLOCODE: Final = re.compile(r"^[A-Z]{2}[A-Z2-9]{3}$")
#: 3.0 code → nearest 2.2.0 code in the standard field.
NEAREST_2_2: Final = {"BORD": "BOCR", "CUSS": "INSP", "CUSI": "INSP", "CUSR": "INSP"}
#: The booking's documentReferenceType exactly as the 2.2.0 schema enumerates it ("BKG (Booking)"; its
#: example says "BKG", which is accepted on input too).
BKG_REFERENCE: Final = "BKG (Booking)"
#: Namespace of the deterministic event ids corridor makes (uuid5 of a readable key).
EVENT_NAMESPACE: Final = uuid.UUID("6f1d8f3e-8c1f-4d0e-9a53-3f0e2c7d9b11")
CSV_COLUMNS: Final = (
    "eventID",
    "eventType",
    "eventClassifierCode",
    "eventTypeCode",
    "eventDateTime",
    "eventCreatedDateTime",
    "carrierBookingReference",
    "location",
    "modeOfTransport",
    "facilityTypeCode",
    "equipmentReference",
    "retractedEventID",
)


def event_id(key: str) -> str:
    """A deterministic UUID for a readable key (the same key always gives the same id)."""
    return str(uuid.uuid5(EVENT_NAMESPACE, key))


def _iso(value: Any) -> str:
    return str(value.isoformat().replace("+00:00", "Z"))


def to_dcsa(event: TrackingEvent) -> dict[str, Any]:
    """The DCSA 2.2.0 JSON body of ``event``."""
    body: dict[str, Any] = {
        "eventID": event.event_id,
        "eventCreatedDateTime": _iso(event.created_time),
        "eventType": event.event_type,
        "eventClassifierCode": event.classifier,
        "eventDateTime": _iso(event.event_time),
    }
    ext: dict[str, Any] = {}
    call: dict[str, Any] | None = None
    if event.location:
        call = {
            "transportCallID": event_id(f"call:{event.location}:{event.mode}"),
            "modeOfTransport": event.mode or "RAIL",
        }
        if UNLOCODE.match(event.location):
            call["UNLocationCode"] = event.location
        else:
            call["otherFacility"] = event.location
        if event.facility_type:
            call["facilityTypeCode"] = NEAREST_2_2.get(event.facility_type, event.facility_type)
            if event.facility_type in FACILITY_EXTENSIONS:
                ext["facilityTypeCode"] = event.facility_type
    refs = [{"documentReferenceType": BKG_REFERENCE, "documentReferenceValue": event.booking}]
    if event.event_type == "TRANSPORT":
        body["transportEventTypeCode"] = event.type_code
        body["transportCall"] = call
        body["documentReferences"] = refs
        if event.delay_reason:
            body["delayReasonCode"] = event.delay_reason[:3]
        if event.remark:
            body["changeRemark"] = event.remark[:250]
    elif event.event_type == "EQUIPMENT":
        body["equipmentEventTypeCode"] = NEAREST_2_2.get(event.type_code, event.type_code)
        if event.type_code in EQUIPMENT_EXTENSIONS:
            ext["equipmentEventTypeCode"] = event.type_code
        body["emptyIndicatorCode"] = "LADEN"
        if event.equipment:
            body["equipmentReference"] = event.equipment[:15]
        if call is not None:
            body["transportCall"] = call
        body["documentReferences"] = refs
    else:
        body["shipmentEventTypeCode"] = event.type_code
        body["documentTypeCode"] = "BKG"
        body["documentID"] = event.booking
        if event.remark:
            body["reason"] = event.remark[:250]
    if event.retracts:
        ext["retractedEventID"] = event.retracts
    if ext:
        body["corridorExtensions"] = ext
    return body


def _get(body: Mapping[str, Any], key: str, default: str = "") -> str:
    value = body.get(key, default)
    return value if isinstance(value, str) else default


def from_dcsa(body: Any, *, where: str = "event", default_id: str | None = None) -> TrackingEvent:
    """A :class:`TrackingEvent` from its DCSA JSON body; every problem is named by field.

    Raises
    ------
    InputError
        if the body is not an event (missing or invalid fields, unknown codes, bad times).
    """
    if not isinstance(body, Mapping):
        raise InputError("invalid event", [Problem(where, f"expected a JSON object, got {type(body).__name__}")])
    ext = body.get("corridorExtensions") or {}
    if not isinstance(ext, Mapping):
        ext = {}
    problems: list[Problem] = []
    kind = _get(body, "eventType")
    code = {
        "TRANSPORT": _get(body, "transportEventTypeCode") or _get(body, "eventTypeCode"),
        "EQUIPMENT": _get(ext, "equipmentEventTypeCode")
        or _get(body, "equipmentEventTypeCode")
        or _get(body, "eventTypeCode"),
        "SHIPMENT": _get(body, "shipmentEventTypeCode"),
    }.get(kind, "")
    call = body.get("transportCall") or {}
    if not isinstance(call, Mapping):
        problems.append(Problem(where, "must be an object", None, "transportCall"))
        call = {}
    location = _get(call, "UNLocationCode") or _get(call, "otherFacility") or _get(body, "location")
    if not location and isinstance(body.get("eventLocation"), Mapping):
        location = _get(body["eventLocation"], "UNLocationCode") or _get(body["eventLocation"], "locationName")
    booking = _get(body, "carrierBookingReference")
    for ref in body.get("documentReferences") or ():
        if isinstance(ref, Mapping) and ref.get("documentReferenceType") in ("BKG", BKG_REFERENCE):
            booking = _get(ref, "documentReferenceValue")
    if kind == "SHIPMENT" and _get(body, "documentTypeCode") == "BKG":
        booking = _get(body, "documentID") or booking
    times = {}
    for name in ("eventDateTime", "eventCreatedDateTime"):
        raw = body.get(name)
        if name == "eventCreatedDateTime" and raw is None:
            raw = body.get("eventDateTime")
        if not isinstance(raw, str):
            problems.append(Problem(where, f"required, an ISO 8601 date-time; got {raw!r}", None, name))
            continue
        try:
            times[name] = parse_time(raw, name, where)
        except InputError as err:
            problems.extend(err.problems)
    eid = _get(body, "eventID") or (default_id or "")
    if problems:
        raise InputError(f"invalid event {eid or '(no eventID)'}", problems)
    facility = _get(ext, "facilityTypeCode") or _get(call, "facilityTypeCode")
    try:
        return TrackingEvent(
            event_id=eid,
            event_type=kind,
            classifier=_get(body, "eventClassifierCode"),
            type_code=code,
            event_time=times["eventDateTime"],
            created_time=times["eventCreatedDateTime"],
            booking=booking,
            location=location,
            mode=_get(call, "modeOfTransport"),
            facility_type=facility,
            equipment=_get(body, "equipmentReference"),
            retracts=_get(ext, "retractedEventID") or _get(body, "retractedEventID"),
            delay_reason=_get(body, "delayReasonCode"),
            remark=_get(body, "changeRemark") or _get(body, "reason"),
        )
    except InputError as err:
        raise InputError(str(err).splitlines()[0], [replace(p, source=where) for p in err.problems]) from None


def parse_events_json(data: Any, *, source: str = "events.json") -> list[TrackingEvent]:
    """Events from parsed JSON: a list of DCSA bodies, or an object with an ``events`` list.
    Every bad event is reported (``source[index]``), then one error is raised."""
    items = data.get("events") if isinstance(data, Mapping) else data
    if not isinstance(items, Sequence) or isinstance(items, str):
        raise InputError(f"cannot read {source}", [Problem(source, "expected a list of events or {'events': [...]}")])
    return _collect(source, ((f"{source}[{i}]", body) for i, body in enumerate(items)))


def parse_events_csv(text: str, *, source: str = "events.csv") -> list[TrackingEvent]:
    """Events from the flat CSV form (header row with :data:`CSV_COLUMNS`; ``location`` is a node id)."""
    reader = csv.DictReader(io.StringIO(text))
    missing = [
        c
        for c in ("eventType", "eventClassifierCode", "eventTypeCode", "eventDateTime", "carrierBookingReference")
        if c not in (reader.fieldnames or ())
    ]
    if missing:
        raise InputError(f"cannot read {source}", [Problem(source, f"missing columns: {', '.join(missing)}", 1)])
    rows = []
    for line, row in enumerate(reader, start=2):
        kind = (row.get("eventType") or "").strip()
        code = (row.get("eventTypeCode") or "").strip()
        body: dict[str, Any] = {k: (v or "").strip() for k, v in row.items() if k and v and v.strip()}
        body.pop("eventTypeCode", None)
        body[
            {"TRANSPORT": "transportEventTypeCode", "EQUIPMENT": "equipmentEventTypeCode"}.get(
                kind, "shipmentEventTypeCode"
            )
        ] = code
        call: dict[str, Any] = {k: body.pop(k) for k in ("modeOfTransport", "facilityTypeCode") if k in body}
        if "location" in body:
            call["otherFacility"] = body.pop("location")
        if call:
            body["transportCall"] = call
        rows.append((f"{source}:{line}", body))
    return _collect(source, rows)


def _collect(source: str, items: Any) -> list[TrackingEvent]:
    events: list[TrackingEvent] = []
    problems: list[Problem] = []
    for where, body in items:
        try:
            events.append(from_dcsa(body, where=where))
        except InputError as err:
            problems.extend(err.problems)
    if problems:
        raise InputError(f"{len(problems)} problem(s) in {source}", problems)
    return events


#: Schema of corridor's tracking file: shipments with their planned routes, and DCSA events.
TRACKING_SCHEMA: Final = "corridor.tracking/1"


def tracking_json(
    shipments: Sequence[TrackedShipment], events: Sequence[TrackingEvent], *, network: str, synthetic: bool = False
) -> dict[str, Any]:
    """The tracking file: ``{"schema", "network", "synthetic", "shipments": [...], "events": [DCSA ...]}``."""
    return {
        "schema": TRACKING_SCHEMA,
        "network": network,
        "synthetic": synthetic,
        "shipments": [s.to_json() for s in shipments],
        "events": [to_dcsa(e) for e in events],
    }


def parse_tracking_json(
    data: Any, *, source: str = "tracking.json"
) -> tuple[list[TrackedShipment], list[TrackingEvent]]:
    """Shipments and events of a tracking file (:func:`tracking_json`); a bare event list has no shipments."""
    shipments: list[TrackedShipment] = []
    problems: list[Problem] = []
    if isinstance(data, Mapping):
        items = data.get("shipments") or []
        if not isinstance(items, list):
            raise InputError(f"cannot read {source}", [Problem(source, "shipments must be a list", field="shipments")])
        for i, item in enumerate(items):
            try:
                shipments.append(TrackedShipment.from_json(item, where=f"{source}.shipments[{i}]"))
            except InputError as err:
                problems.extend(err.problems)
    try:
        events = parse_events_json(data, source=source)
    except InputError as err:
        problems.extend(err.problems)
        events = []
    if problems:
        raise InputError(f"{len(problems)} problem(s) in {source}", problems)
    return shipments, events
