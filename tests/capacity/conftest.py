"""Small networks built in code for hand-solved and random capacity tests."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from corridor.demand import DemandSet, Flow
from corridor.network import Link, Network, Node, Service


def make_network(
    links: Sequence[tuple[str, str, dict[str, Any]]],
    *,
    nodes: dict[str, dict[str, Any]] | None = None,
    services: Sequence[Service] = (),
    closures: Sequence[Any] = (),
    name: str = "test",
) -> Network:
    """Nodes are created for every endpoint; links get id ``"u-v"``, mode rail, no time value
    unless given (``time_h=0`` so costs are tariffs only), and one direction unless told."""
    ids: list[str] = []
    for u, v, _ in links:
        for n in (u, v):
            if n not in ids:
                ids.append(n)
    extra = nodes or {}
    node_objs = tuple(
        Node(id=n, name=n, country="KZ", kind="junction", lat=40.0 + i % 7, lon=50.0 + i // 7, **extra.get(n, {}))
        for i, n in enumerate(ids)
    )
    link_objs = tuple(
        Link(
            **{
                "id": f"{u}-{v}",
                "from_id": u,
                "to_id": v,
                "mode": "road",
                "distance_km": 100.0,
                "time_h": 0.0,
                "bidirectional": False,
                **kw,
            }
        )
        for u, v, kw in links
    )
    return Network(name=name, nodes=node_objs, links=link_objs, services=tuple(services), closures=tuple(closures))


def teu_demand(*flows: tuple[str, str, float], name: str = "d") -> DemandSet:
    return DemandSet(
        name=name,
        network="test",
        flows=tuple(Flow(o, d, "container", volume_teu_per_year=v) for o, d, v in flows),
    )
