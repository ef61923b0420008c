"""Routing and quoting: multi-criteria paths, itemised quotes, P50/P90 times, ISO 14083 emissions."""

from corridor.routing._graph_cache import cached_graph
from corridor.routing._queueing import QUEUEING_MODEL, Queueing, queueing_for
from corridor.routing._timing import Component, Timeline, link_stage, node_stage, quantile, timeline
from corridor.routing.door import DoorRates
from corridor.routing.emissions import EmissionFactor, EmissionFactors
from corridor.routing.result import CostLine, DoorLeg, Footprint, Leg, Note, Quote, Route, RouteResult, RouteTime, Stop
from corridor.routing.router import OBJECTIVES, Router, route
from corridor.routing.shipment import ContainerLot, Shipment

__all__ = [
    "OBJECTIVES",
    "QUEUEING_MODEL",
    "Component",
    "ContainerLot",
    "CostLine",
    "DoorLeg",
    "DoorRates",
    "EmissionFactor",
    "EmissionFactors",
    "Footprint",
    "Leg",
    "Note",
    "Queueing",
    "Quote",
    "Route",
    "RouteResult",
    "RouteTime",
    "Router",
    "Shipment",
    "Stop",
    "Timeline",
    "cached_graph",
    "link_stage",
    "node_stage",
    "quantile",
    "queueing_for",
    "route",
    "timeline",
]
