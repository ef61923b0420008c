"""Tracking: equipment numbers, DCSA events, shipments, predicted arrival, actual vs planned."""

from corridor.tracking.equipment import Equipment, parse_equipment
from corridor.tracking.eta import Eta, MilestoneEta, Predictor, est_events
from corridor.tracking.events import EventLog, TrackingEvent
from corridor.tracking.shipment import TrackedShipment

__all__ = [
    "Equipment",
    "Eta",
    "EventLog",
    "MilestoneEta",
    "Predictor",
    "TrackedShipment",
    "TrackingEvent",
    "est_events",
    "parse_equipment",
]
