"""Tiny corridors in the corridor format, written into ``tmp_path`` for each test."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from corridor import DemandSet, Network, load_demand, load_network
from corridor.sim import SimRules

NODE_HEADER = "id,name,country,kind,lat,lon,dwell_h,dwell_p90_h,capacity_teu_per_year"
LINK_HEADER = "id,from,to,mode,distance_km,time_h,gauge_mm,service"
SERVICE_HEADER = "id,name,link,kind,fleet,capacity_teu,sailing_h,return_h,port_h,departure,max_wait_h"

#: Rules for checks against theory: unit cohorts, flat season, exact run times.
THEORY = SimRules(
    cohort_teu=1.0,
    min_cohorts_per_year=1.0,
    seasonality=(1.0,) * 12,
    moves="deterministic",
    dwell="exponential",
    bin_h=0.1,
    bins=2000,
)

Corridor = Callable[..., tuple[Network, DemandSet]]


def write_corridor(
    folder: Path, nodes: list[str], links: list[str], flows: list[str], services: list[str] | None = None
) -> tuple[Network, DemandSet]:
    """Write a network and a demand set from CSV rows and load both."""
    net = folder / "net"
    net.mkdir(parents=True)
    (net / "network.toml").write_text('name = "tiny"\nversion = "1"\ndescription = "test"\nformat = 1\n')
    (net / "nodes.csv").write_text("\n".join([NODE_HEADER, *nodes]) + "\n")
    (net / "links.csv").write_text("\n".join([LINK_HEADER, *links]) + "\n")
    if services:
        (net / "services.csv").write_text("\n".join([SERVICE_HEADER, *services]) + "\n")
    dem = folder / "demand"
    dem.mkdir()
    (dem / "flows.csv").write_text(
        "\n".join(["origin,destination,cargo,volume_teu_per_year,volume_t_per_year", *flows]) + "\n"
    )
    network = load_network(net)
    return network, load_demand(dem, network)


@pytest.fixture
def theory() -> SimRules:
    return THEORY


@pytest.fixture
def corridor(tmp_path: Path) -> Corridor:
    def make(*args: list[str], **kwargs: list[str]) -> tuple[Network, DemandSet]:
        return write_corridor(tmp_path, *args, **kwargs)

    return make


def server_line(dwell_h: float, servers: int) -> tuple[float, float]:
    """(dwell_h, capacity_teu_per_year) for a node with ``servers`` servers of unit cohorts."""
    return dwell_h, servers * 8760.0 / dwell_h


@pytest.fixture
def queue(corridor: Corridor) -> Callable[[float, float, int], tuple[Network, DemandSet]]:
    """O → N → D where N is a c-server queue (mean service ``service_h``) fed at rate ``lam`` per hour."""

    def make(lam: float, service_h: float, servers: int) -> tuple[Network, DemandSet]:
        dwell, cap = server_line(service_h, servers)
        return corridor(
            [
                "O,Origin,KZ,terminal,43,76,,,",
                f"N,Border,KZ,border,43,77,{dwell},,{cap}",
                "D,Dest,KZ,terminal,43,78,,,",
            ],
            ["ON,O,N,rail,1,0.001,1520,", "ND,N,D,rail,1,0.001,1520,"],
            [f"O,D,container,{lam * 8760.0},"],
        )

    return make
