"""Our DCSA bodies against the DCSA Track & Trace 2.2.0 specification file (its own schemas are the reference)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from tests.tracking.dcsa_schema import errors, events_response_schema, ref, webhook_body_schema

from corridor.errors import InputError
from corridor.tracking import TrackingEvent
from corridor.tracking.dcsa import from_dcsa, parse_events_csv, parse_events_json, to_dcsa
from corridor.tracking.synthetic import synthetic_stream

T = datetime(2025, 2, 1, 6, 30, tzinfo=UTC)


def _event(**kw: object) -> TrackingEvent:
    base: dict[str, object] = {
        "event_id": "3cecb101-7a1a-43a4-9d62-e88a131651e2",
        "event_type": "TRANSPORT",
        "classifier": "ACT",
        "type_code": "ARRI",
        "event_time": T,
        "created_time": T,
        "booking": "BK-1",
        "location": "dostyk",
        "mode": "RAIL",
        "facility_type": "BORD",
    }
    base.update(kw)
    return TrackingEvent(**base)  # type: ignore[arg-type]


def test_schemas_reject_what_they_should() -> None:
    # the check itself can fail: a transport event without transportCall, a bad classifier
    body = to_dcsa(_event())
    broken = {k: v for k, v in body.items() if k != "transportCall"}
    assert errors(ref("transportEvent"), broken)
    assert errors(ref("transportEvent"), {**body, "eventClassifierCode": "XXX"})
    assert errors(ref("transportEvent"), {**body, "eventDateTime": "yesterday"})


@pytest.mark.parametrize(
    "event",
    [
        _event(),
        _event(type_code="DEPA", facility_type="POTE", location="KZAAU", mode="VESSEL", classifier="EST"),
        _event(event_type="EQUIPMENT", type_code="CUSR", equipment="CSQU3054383", facility_type="BORD"),
        _event(event_type="EQUIPMENT", type_code="GTIN", equipment="CSQU3054383", facility_type="INTE"),
        _event(event_type="SHIPMENT", type_code="CONF", location="", mode="", facility_type=""),
        _event(retracts="11111111-2222-3333-4444-555555555555"),
    ],
)
def test_every_kind_of_body_validates_and_round_trips(event: TrackingEvent) -> None:
    body = to_dcsa(event)
    kind = {"TRANSPORT": "transportEvent", "EQUIPMENT": "equipmentEvent", "SHIPMENT": "shipmentEvent"}[event.event_type]
    assert errors(ref(kind), body) == []
    assert errors(events_response_schema(), [body]) == []
    assert from_dcsa(body) == event


def test_extensions_keep_2_2_codes_in_standard_fields() -> None:
    body = to_dcsa(_event(event_type="EQUIPMENT", type_code="CUSR", equipment="CSQU3054383"))
    assert body["equipmentEventTypeCode"] == "INSP" and body["transportCall"]["facilityTypeCode"] == "BOCR"
    assert body["corridorExtensions"] == {"equipmentEventTypeCode": "CUSR", "facilityTypeCode": "BORD"}


def test_simulated_stream_validates(corridor_net, demand_2024) -> None:
    stream = synthetic_stream(corridor_net, demand_2024, seed=1, days=20, max_shipments=10)
    bodies = [to_dcsa(e) for e in stream.events]
    assert len(bodies) > 50
    assert errors(webhook_body_schema(), bodies) == []


def test_bad_bodies_name_every_problem() -> None:
    bad = [{"eventType": "TRANSPORT", "eventClassifierCode": "ACT", "eventDateTime": "nope"}, "x"]
    with pytest.raises(InputError) as err:
        parse_events_json(bad, source="upload.json")
    text = str(err.value)
    assert "upload.json[0]" in text and "eventDateTime" in text and "upload.json[1]: expected a JSON object" in text


def test_csv_form() -> None:
    text = (
        "eventID,eventType,eventClassifierCode,eventTypeCode,eventDateTime,carrierBookingReference,location,modeOfTransport,facilityTypeCode\n"
        "e1,TRANSPORT,ACT,ARRI,2025-02-01T06:30:00Z,BK-1,dostyk,RAIL,BORD\n"
        "e2,TRANSPORT,ACT,DEPX,2025-02-01T09:00:00Z,BK-1,dostyk,RAIL,BORD\n"
    )
    with pytest.raises(InputError, match=r"events\.csv:3"):
        parse_events_csv(text)
    (event,) = parse_events_csv(text.rsplit("\n", 2)[0] + "\n")
    assert event.location == "dostyk" and event.facility_type == "BORD" and event.event_time == T
