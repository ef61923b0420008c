from __future__ import annotations

from datetime import UTC, datetime

import pytest

from corridor.demand import DemandSet
from corridor.network import Closure, Link, Network, Node, Service, load_network
from corridor.tracking import TrackedShipment

T0 = datetime(2025, 3, 1, tzinfo=UTC)


@pytest.fixture(scope="session")
def corridor_net() -> Network:
    return load_network("middle-corridor")


@pytest.fixture(scope="session")
def demand_2024(corridor_net: Network) -> DemandSet:
    from corridor.demand import load_demand

    return load_demand("2024", corridor_net)


def _tiny(
    *,
    dwell_p90: float | None = None,
    ferry_wait: float | None = None,
    closure: tuple[float, float] | None = None,
) -> Network:
    """O --rail 10 h--> B (border, dwell 4 h) --ferry 20 h--> D."""
    nodes = (
        Node("O", "Origin", "KZ", "terminal", 43.0, 76.0),
        Node("B", "Border port", "KZ", "port", 43.0, 51.0, border=True, dwell_h=4.0, dwell_p90_h=dwell_p90),
        Node("D", "Destination", "AZ", "port", 40.0, 49.0),
    )
    links = (
        Link("OB", "O", "B", "rail", 1000.0, time_h=10.0, gauge_mm=1520),
        Link("BD", "B", "D", "ferry", 400.0, time_h=20.0, service="F" if ferry_wait else ""),
    )
    services = (
        (Service("F", "Ferry", "BD", "ferry", 2, 20.0, "fill_or_timeout", capacity_teu=100.0, max_wait_h=ferry_wait),)
        if ferry_wait
        else ()
    )
    closures = (Closure("storm", "B", frozenset(range(1, 13)), closure[0], closure[1]),) if closure is not None else ()
    return Network("tiny", nodes, links, services, closures)


def _tiny_shipment(booking: str = "BK1") -> TrackedShipment:
    return TrackedShipment(booking, "test", "1x40HC", ("O", "B", "D"), ("OB", "BD"), T0)


@pytest.fixture(scope="session")
def tiny():  # type: ignore[no-untyped-def]
    """Factory of the three-node test network (see ``_tiny``)."""
    return _tiny


@pytest.fixture(scope="session")
def tiny_shipment():  # type: ignore[no-untyped-def]
    return _tiny_shipment


# the service's fixtures (real uvicorn server, migrated SQLite/PostgreSQL databases, users of every role)
from tests.service.conftest import (  # noqa: E402, F401
    db,
    pg_template,
    postgres,
    service,
    service_any,
    sqlite_db,
    sqlite_template,
)
