"""Tracking events in the DCSA Track & Trace shape, and the log that keeps them.

A :class:`TrackingEvent` is one DCSA 2.2.0 event — ``TRANSPORT`` (``ARRI``/``DEPA`` of a transport
call), ``EQUIPMENT`` (``LOAD``, ``DISC``, ``GTIN``, ``GTOT`` … of one container or wagon) or
``SHIPMENT`` (document status such as ``RECE``/``CONF`` of a booking) — classified ``PLN``
(planned), ``EST`` (estimated) or ``ACT`` (actual).

Rail and border events that 2.2.0 has no code for follow the 3.0.0 beta: ``facilityTypeCode``
``BORD`` (2.2.0's ``BOCR``, renamed in 3.0), customs equipment events ``CUSS``/``CUSI``/``CUSR``
(selected for scan / for inspection / released), and ``retractedEventID`` (3.0: an event that
withdraws an earlier one).  ``modeOfTransport`` ``RAIL`` is already in 2.2.0.  In the 2.2.0 JSON
(:func:`corridor.tracking.dcsa.to_dcsa`) these keep the nearest 2.2.0 code in the standard field
and the 3.0 code under ``corridorExtensions`` (docs/design/tracking-events.md).

:class:`EventLog` is what ingestion builds on: idempotent by event id (the same id twice is one
event; a different body under a known id is an error), tolerant of out-of-order arrival (always
read in event time), and honouring retractions (a retracted event no longer counts, whichever of
the two arrives first).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Final

from corridor.errors import InputError, Problem

EVENT_TYPES: Final = ("TRANSPORT", "EQUIPMENT", "SHIPMENT")
CLASSIFIERS: Final = ("PLN", "EST", "ACT")
TRANSPORT_CODES: Final = ("ARRI", "DEPA")
#: 2.2.0 equipment event codes, then the 3.0.0 beta's customs codes (extensions).
EQUIPMENT_CODES: Final = ("LOAD", "DISC", "GTIN", "GTOT", "STUF", "STRP", "PICK", "DROP", "INSP", "RSEA", "RMVD")
EQUIPMENT_EXTENSIONS: Final = ("CUSS", "CUSI", "CUSR")
SHIPMENT_CODES: Final = ("RECE", "DRFT", "PENA", "PENU", "REJE", "APPR", "ISSU", "SURR", "SUBM", "VOID", "CONF")
MODES: Final = ("VESSEL", "RAIL", "TRUCK", "BARGE")
#: 2.2.0 facility types of a transport call, and the 3.0.0 beta's BORD (border).
FACILITY_TYPES: Final = ("BOCR", "CLOC", "COFS", "COYA", "OFFD", "DEPO", "INTE", "POTE", "RAMP")
FACILITY_EXTENSIONS: Final = ("BORD",)
#: What an event says about where the equipment is on its route: at a node or moving on.
ARRIVES: Final = frozenset({"ARRI", "GTIN", "DISC"})
DEPARTS: Final = frozenset({"DEPA", "GTOT", "LOAD"})

_CODES: Final[Mapping[str, tuple[str, ...]]] = {
    "TRANSPORT": TRANSPORT_CODES,
    "EQUIPMENT": EQUIPMENT_CODES + EQUIPMENT_EXTENSIONS,
    "SHIPMENT": SHIPMENT_CODES,
}


def utc(value: datetime) -> datetime:
    """``value`` in UTC; a naive time is taken as UTC."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def parse_time(text: str, field_name: str, where: str = "event") -> datetime:
    """An ISO 8601 timestamp (``Z`` or an offset) in UTC, or :class:`InputError` naming the field."""
    try:
        return utc(datetime.fromisoformat(text.strip().replace("Z", "+00:00")))
    except (AttributeError, ValueError):
        raise InputError(
            f"invalid {field_name}",
            [
                Problem(
                    where,
                    f"expected an ISO 8601 date-time such as 2025-03-01T12:00:00Z, got {text!r}",
                    None,
                    field_name,
                )
            ],
        ) from None


@dataclass(frozen=True, slots=True)
class TrackingEvent:
    """One event; ``location`` is a node id of the network (a UN/LOCODE or a slug)."""

    event_id: str
    event_type: str
    classifier: str
    type_code: str
    event_time: datetime
    created_time: datetime
    booking: str
    location: str = ""
    mode: str = ""
    facility_type: str = ""
    equipment: str = ""
    retracts: str = ""
    delay_reason: str = ""
    remark: str = ""

    def __post_init__(self) -> None:
        problems = self.check()
        if problems:
            raise InputError(f"invalid event {self.event_id or '(no eventID)'}", problems)

    def check(self, where: str = "event") -> list[Problem]:
        """Every problem with this event (empty if it is valid)."""
        out: list[Problem] = []

        def bad(column: str, message: str) -> None:
            out.append(Problem(where, message, None, column))

        if not self.event_id or len(self.event_id) > 100:
            bad("eventID", f"must be a non-empty identifier of at most 100 characters, got {self.event_id!r}")
        if self.event_type not in EVENT_TYPES:
            bad("eventType", f"expected one of {', '.join(EVENT_TYPES)}, got {self.event_type!r}")
        elif self.type_code not in _CODES[self.event_type]:
            codes = ", ".join(_CODES[self.event_type])
            bad("eventTypeCode", f"a {self.event_type} event needs one of {codes}, got {self.type_code!r}")
        if self.classifier not in CLASSIFIERS:
            bad("eventClassifierCode", f"expected one of {', '.join(CLASSIFIERS)}, got {self.classifier!r}")
        elif self.event_type == "SHIPMENT" and self.classifier != "ACT":
            bad("eventClassifierCode", f"shipment events are always ACT, got {self.classifier!r}")
        if not self.booking or len(self.booking) > 35:
            bad("carrierBookingReference", f"must be 1-35 characters, got {self.booking!r}")
        if self.event_type == "TRANSPORT" and not self.location:
            bad("transportCall", "a transport event needs the location of its transport call")
        if self.mode and self.mode not in MODES:
            bad("modeOfTransport", f"expected one of {', '.join(MODES)}, got {self.mode!r}")
        if self.facility_type and self.facility_type not in FACILITY_TYPES + FACILITY_EXTENSIONS:
            codes = ", ".join(FACILITY_TYPES + FACILITY_EXTENSIONS)
            bad("facilityTypeCode", f"expected one of {codes}, got {self.facility_type!r}")
        if self.event_time.tzinfo is None or self.created_time.tzinfo is None:
            bad("eventDateTime", "times must carry a time zone (UTC)")
        if self.retracts == self.event_id and self.retracts:
            bad("retractedEventID", "an event cannot retract itself")
        return out

    @property
    def is_actual(self) -> bool:
        return self.classifier == "ACT"

    @property
    def movement(self) -> str:
        """``arrive``, ``depart`` or ``""``: what the event says about the equipment's position."""
        if self.type_code in ARRIVES:
            return "arrive"
        if self.type_code in DEPARTS:
            return "depart"
        return ""

    @property
    def order_key(self) -> tuple[datetime, int, str]:
        """Event time, then arrivals before departures at the same instant, then id."""
        return (self.event_time, 0 if self.movement == "arrive" else 1, self.event_id)


@dataclass
class EventLog:
    """Events by id, idempotent, read in event time with retractions applied.

    The log is the one mutable object of the package (ingestion appends to it); what it returns
    is frozen.
    """

    _events: dict[str, TrackingEvent] = field(default_factory=dict)
    _retracted: set[str] = field(default_factory=set)

    @classmethod
    def of(cls, events: Iterable[TrackingEvent]) -> EventLog:
        log = cls()
        for e in events:
            log.add(e)
        return log

    def add(self, event: TrackingEvent) -> bool:
        """Add ``event``; ``False`` if the same event was already there (a duplicate delivery).

        Raises
        ------
        InputError
            if a different event was already stored under the same id.
        """
        old = self._events.get(event.event_id)
        if old is not None:
            if old == event or _same_but_created(old, event):
                return False
            raise InputError(
                f"event {event.event_id} was already received with different content",
                [
                    Problem(
                        "event",
                        "an eventID identifies one event; send a new eventID (or a retraction)",
                        None,
                        "eventID",
                    )
                ],
            )
        self._events[event.event_id] = event
        if event.retracts:
            self._retracted.add(event.retracts)
        return True

    def __len__(self) -> int:
        return len(self._events)

    def __contains__(self, event_id: object) -> bool:
        return event_id in self._events

    def get(self, event_id: str) -> TrackingEvent | None:
        return self._events.get(event_id)

    def is_retracted(self, event_id: str) -> bool:
        return event_id in self._retracted

    def all(self) -> list[TrackingEvent]:
        """Every stored event (retractions and retracted ones included), in event time."""
        return sorted(self._events.values(), key=lambda e: e.order_key)

    def effective(self, booking: str | None = None, *, until: datetime | None = None) -> list[TrackingEvent]:
        """Events that count, in event time: no retraction notices, nothing retracted, optionally
        only one booking's and only those created by ``until``."""
        out = []
        for e in self._events.values():
            if e.retracts or e.event_id in self._retracted:
                continue
            if booking is not None and e.booking != booking:
                continue
            if until is not None and e.created_time > until:
                continue
            out.append(e)
        return sorted(out, key=lambda e: e.order_key)

    def bookings(self) -> list[str]:
        return sorted({e.booking for e in self._events.values()})

    def __iter__(self) -> Iterator[TrackingEvent]:
        return iter(self.all())


def _same_but_created(a: TrackingEvent, b: TrackingEvent) -> bool:
    """A re-delivery may carry a new eventCreatedDateTime; everything else must match."""
    from dataclasses import replace

    return replace(a, created_time=b.created_time) == b
