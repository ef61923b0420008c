"""Seeded synthetic corridor networks, for tests and benchmarks at national-network scale.

:func:`synthetic_network` lays a jittered grid of rail junctions from east to west over five
countries, like the Middle Corridor at 10^3–10^5 links::

    CN (1435 mm) | KZ (1520 mm) ~ Caspian ferries ~ AZ (1520 mm) | GE (1520 mm) | TR (1435 mm)

* the CN|KZ and GE|TR boundary columns are gauge-change yards that are also border crossings;
  the AZ|GE boundary column is a border crossing; every other node is a junction;
* the Caspian is a gap in the grid crossed only by ferry links between ``ports`` pairs of ports,
  each with a fill-or-timeout ferry service and a winter storm closure;
* every link has its own speed, tariff and traction drawn from the generator, so time, cost and
  CO2e disagree and the Pareto set is large — the hard case for multi-criteria routing;
* every number cites the one ``estimate`` source, so the network passes ``validate --strict``.

The same ``(links, seed)`` gives the same network, byte for byte, on every machine:
all randomness comes from one :class:`numpy.random.Generator` seeded here.
"""

from __future__ import annotations

import math
from typing import Final

import numpy as np

from corridor.network._model import Closure, Link, Network, Node, Service, Source

SOURCE_ID: Final = "synthetic"
_BANDS: Final = (("CN", 0.15, 1435), ("KZ", 0.40, 1520), ("AZ", 0.55, 1520), ("GE", 0.75, 1520), ("TR", 1.0, 1435))
_NODE_FIELDS: Final = ("lat", "lon", "dwell_h", "dwell_p90_h", "handling_usd_per_teu", "border_usd_per_teu")
_LINK_FIELDS: Final = ("distance_km", "speed_km_per_h", "gauge_mm", "tariff_usd_per_feu")


def _grid_shape(links: int) -> tuple[int, int]:
    """Rows and columns of a grid (about 2 links per node, three times wider than tall)."""
    nodes = max(links / 1.88, 12.0)  # 2 links a node, less the dropped north-south ones
    rows = max(2, round(math.sqrt(nodes / 3.0)))
    return rows, max(10, round(nodes / rows))


def _haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(a))


def synthetic_network(links: int = 10_000, *, seed: int = 0, ports: int = 5, name: str = "") -> Network:
    """A valid corridor-like network with about ``links`` links (see the module docstring).

    Parameters
    ----------
    links
        Target number of links (the grid has about ``links / 2`` nodes); at least 24.
    seed
        Seed of the one random generator: same arguments, same network.
    ports
        Ferry crossings of the Caspian gap (each a port pair with a service and a closure).
    name
        Network name; default ``synthetic-<links>-<seed>``.

    Returns
    -------
    Network
        Far corners: :func:`far_corners` gives the north-east and south-west node ids.
    """
    if links < 24:
        raise ValueError(f"links must be at least 24, got {links}")
    rng = np.random.default_rng(seed)
    rows, cols = _grid_shape(links)
    caspian = int(0.40 * cols)  # the gap lies between column caspian - 1 and caspian
    band_end = [max(1, int(share * cols)) for _, share, _ in _BANDS]
    band_of = np.searchsorted(np.asarray(band_end), np.arange(cols), side="right")
    port_rows = sorted({int(r) for r in np.linspace(0, rows - 1, max(1, min(ports, rows)))})
    prov_node = dict.fromkeys(_NODE_FIELDS, SOURCE_ID)
    prov_link = dict.fromkeys(_LINK_FIELDS, SOURCE_ID)

    def nid(r: int, c: int) -> str:
        return f"n{r}_{c}"

    lat0, lat1, lon0, lon1 = 48.0, 38.0, 82.0, 28.0  # north-east to south-west
    jitter = rng.uniform(-0.3, 0.3, size=(rows, cols, 2))
    nodes: list[Node] = []
    gauge_col = {band_end[0] - 1, band_end[3] - 1}  # last CN column, last GE column
    border_col = {band_end[0] - 1, band_end[2] - 1, band_end[3] - 1}
    for r in range(rows):
        for c in range(cols):
            lat = lat0 + (lat1 - lat0) * r / max(rows - 1, 1) + jitter[r, c, 0] / max(rows, 1)
            lon = lon0 + (lon1 - lon0) * c / max(cols - 1, 1) + jitter[r, c, 1] / max(cols, 1) * 10
            country = _BANDS[int(band_of[c])][0]
            port = r in port_rows and c in (caspian - 1, caspian)
            if c in gauge_col:
                kind, dwell, handling = "gauge_change", float(rng.uniform(10, 30)), 150.0
            elif port:
                kind, dwell, handling = "port", float(rng.uniform(12, 24)), 200.0
            elif c in border_col:
                kind, dwell, handling = "border", float(rng.uniform(4, 12)), 0.0
            else:
                kind, dwell, handling = "junction", float(rng.uniform(0.2, 2.0)), 0.0
            nodes.append(
                Node(
                    nid(r, c),
                    f"Junction {r}-{c}",
                    country,
                    kind,
                    round(float(lat), 5),
                    round(float(lon), 5),
                    border=c in border_col,
                    dwell_h=round(dwell, 2),
                    dwell_p90_h=round(dwell * 1.8, 2),
                    handling_usd_per_teu=handling,
                    border_usd_per_teu=60.0 if c in border_col else 0.0,
                    provenance=prov_node,
                )
            )
    pos = {(r, c): r * cols + c for r in range(rows) for c in range(cols)}
    out: list[Link] = []
    speeds = rng.uniform(35.0, 75.0, size=(rows, cols, 2))
    rates = rng.uniform(0.6, 1.6, size=(rows, cols, 2))
    electric = rng.random(size=(rows, cols, 2)) < 0.5
    drop = rng.random(size=(rows, cols)) < 0.12
    for r in range(rows):
        for c in range(cols):
            for k, (r2, c2) in enumerate(((r, c + 1), (r + 1, c))):
                if r2 >= rows or c2 >= cols or (c2 == caspian and c == caspian - 1):
                    continue
                if k == 1 and drop[r, c] and 0 < r < rows - 2:
                    continue  # a few missing north-south links; the first and last rows stay whole
                a, b = nodes[pos[(r, c)]], nodes[pos[(r2, c2)]]
                km = round(1.15 * _haversine_km(a.lat, a.lon, b.lat, b.lon) + 1.0, 2)
                gauge = _BANDS[int(band_of[c2])][2]  # a gauge-change column takes its own gauge north-south
                out.append(
                    Link(
                        f"l{r}_{c}_{'e' if k == 0 else 's'}",
                        a.id,
                        b.id,
                        "rail",
                        km,
                        speed_km_per_h=round(float(speeds[r, c, k]), 2),
                        gauge_mm=gauge,
                        tariff_usd_per_feu=round(km * float(rates[r, c, k]), 2),
                        traction="electric" if electric[r, c, k] else "diesel",
                        country=a.country if a.country == b.country else "",
                        provenance=prov_link,
                    )
                )
    services: list[Service] = []
    closures: list[Closure] = []
    prov_svc = dict.fromkeys(("fleet", "sailing_h", "capacity_teu", "max_wait_h", "tariff_usd_per_feu"), SOURCE_ID)
    prov_link_ferry = dict.fromkeys(("distance_km", "time_h", "tariff_usd_per_feu"), SOURCE_ID)
    prov_closure = dict.fromkeys(("closed_share", "episode_mean_h"), SOURCE_ID)
    for i, r in enumerate(port_rows):
        a, b = nodes[pos[(r, caspian - 1)]], nodes[pos[(r, caspian)]]
        sailing = round(float(rng.uniform(18.0, 30.0)), 2)
        out.append(
            Link(
                f"ferry{i}",
                a.id,
                b.id,
                "ferry",
                450.0,
                time_h=sailing,
                tariff_usd_per_feu=1500.0,
                traction="hfo",
                service=f"ferry{i}",
                provenance=prov_link_ferry,
            )
        )
        services.append(
            Service(
                f"ferry{i}",
                f"Caspian ferry {i}",
                f"ferry{i}",
                "ferry",
                fleet=3,
                sailing_h=sailing,
                departure="fill_or_timeout",
                capacity_teu=50.0,
                max_wait_h=float(rng.uniform(24.0, 96.0)),
                tariff_usd_per_feu=1500.0,
                provenance=prov_svc,
            )
        )
        closures.append(
            Closure(
                f"storm{i}",
                a.id,
                frozenset({11, 12, 1, 2}),
                closed_share=0.15,
                episode_mean_h=36.0,
                cause="storm",
                provenance=prov_closure,
            )
        )
    source = Source(
        SOURCE_ID,
        "estimate",
        "corridor synthetic network generator",
        note=f"seeded jittered grid (links={links}, seed={seed}); every number drawn, none observed",
    )
    return Network(
        name or f"synthetic-{links}-{seed}",
        tuple(nodes),
        tuple(out),
        tuple(services),
        tuple(closures),
        sources=(source,),
        description="synthetic corridor-like network for tests and benchmarks",
    )


def far_corners(network: Network) -> tuple[str, str]:
    """The north-east (first) and south-west (last) node of a :func:`synthetic_network`."""
    return network.nodes[0].id, network.nodes[-1].id
