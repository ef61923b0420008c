"""What the workbench's map and search need that /v1/networks does not give: the network as GeoJSON
(nodes, links, closures, each with its sources), the bundled country outlines, and place search over
names and aliases in any script (``Актау``, ``Ələt``, ``西安``)."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from fastapi import APIRouter, Depends, Query, Request
from sqlalchemy.orm import Session

from corridor.network import Network
from corridor.report.sea_lanes import SOURCE, SOURCE_ID, SeaLanes, passages
from corridor.service.auth import Principal, require_role, session_dep
from corridor.service.inputs import network_for
from corridor.service.problems import PROBLEM_RESPONSES

router = APIRouter(prefix="/v1/explore", tags=["workbench"], responses=PROBLEM_RESPONSES)
viewer = require_role("viewer")
RUSSIAN = re.compile(r"^[А-Яа-яЁё0-9 .,'()«»\-–]+$")
GEOJSON: dict[int | str, dict[str, Any]] = {
    200: {"content": {"application/geo+json": {"schema": {"type": "object"}}}, "description": "GeoJSON"}
}


def russian_name(aliases: tuple[str, ...]) -> str | None:
    """The first alias written in the Russian alphabet only (``Актау``, not Kazakh ``Ақтау``), if any."""
    return next((a for a in aliases if RUSSIAN.match(a) and re.search("[А-Яа-яЁё]", a)), None)


def fold(text: str) -> str:
    """Lower case without diacritics, so ``Ələt`` finds ``Alat`` and ``aktau`` finds ``Aktau``."""
    text = text.casefold().replace("ə", "a").replace("ı", "i")
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def _sources(net: Network, provenance: Any) -> dict[str, str]:
    return {str(k): str(v) for k, v in dict(provenance).items()}


def network_geojson(net: Network, lanes: SeaLanes | None = None) -> dict[str, Any]:
    """Nodes as Points and links as LineStrings, with every field the map shows and its source id.

    A long sea link's line follows ``lanes`` (the bundled sea-lane waypoints by default): its
    ``path`` property then names the passages it is drawn through and its ``sources.path`` is the
    estimate those waypoints are; the distance stays the link's own.
    """
    lanes = lanes if lanes is not None else SeaLanes.bundled()
    nodes = {n.id: n for n in net.nodes}
    closures: dict[str, list[dict[str, Any]]] = {}
    for c in net.closures:
        closures.setdefault(c.target, []).append(
            {"id": c.id, "months": sorted(c.months), "closed_share": c.closed_share,
             "episode_mean_h": c.episode_mean_h, "cause": c.cause, "note": c.note,
             "sources": _sources(net, c.provenance)}
        )  # fmt: skip
    features: list[dict[str, Any]] = []
    for n in net.nodes:
        props: dict[str, Any] = {
            "kind": "node", "id": n.id, "name": n.name, "name_ru": russian_name(n.aliases), "aliases": list(n.aliases),
            "country": n.country, "node_kind": n.kind, "border": n.border, "enabled": n.enabled, "lat": n.lat, "lon": n.lon,
            "dwell_h": n.dwell_h, "capacity_teu_per_year": n.capacity_teu_per_year,
            "capacity_t_per_year": n.capacity_t_per_year, "operator": n.operator, "note": n.note,
            "closures": closures.get(n.id, []), "sources": _sources(net, n.provenance),
        }  # fmt: skip
        features.append({"type": "Feature", "geometry": {"type": "Point", "coordinates": [n.lon, n.lat]},
                         "properties": props})  # fmt: skip
    for link in net.links:
        a, b = nodes[link.from_id], nodes[link.to_id]
        gauges = {nodes[x].id for x in (link.from_id, link.to_id) if nodes[x].kind == "gauge_change"}
        link_sources = _sources(net, link.provenance)
        props = {
            "kind": "link", "id": link.id, "from": link.from_id, "to": link.to_id, "mode": link.mode,
            "distance_km": link.distance_km, "time_h": link.time_h, "gauge_mm": link.gauge_mm,
            "capacity_teu_per_year": link.capacity_teu_per_year, "operator": link.operator,
            "tariff_usd_per_feu": link.tariff_usd_per_feu, "planned": not link.enabled,
            "gauge_change_at": sorted(gauges), "note": link.note,
            "closures": closures.get(link.id, []), "sources": link_sources, "path": None,
        }  # fmt: skip
        coords = [[a.lon, a.lat], [b.lon, b.lat]]
        path = lanes.path(link.id, (a.lat, a.lon), (b.lat, b.lon)) if link.mode in ("sea", "ferry") else None
        if path:
            coords = [coords[0], *([w.lon, w.lat] for w in path), coords[1]]
            props["path"] = {"estimate": True, "via": passages(path), "via_ru": passages(path, russian=True)}
            link_sources["path"] = SOURCE_ID
        features.append({"type": "Feature", "geometry": {"type": "LineString", "coordinates": coords},
                         "properties": props})  # fmt: skip
    sources: dict[str, dict[str, Any]] = {
        s.id: {"kind": s.kind, "title": s.title, "publisher": s.publisher, "year": s.year, "url": s.url, "note": s.note}
        for s in net.sources
    }
    sources.setdefault(SOURCE_ID, dict(SOURCE))
    return {"type": "FeatureCollection", "name": net.name, "features": features, "sources": sources}


@router.get(
    "/network", summary="A network as GeoJSON: nodes, links, closures, gauge changes, sources", responses=GEOJSON
)
def explore_network(
    request: Request,
    network: str = Query("middle-corridor", min_length=1, max_length=200),
    principal: Principal = Depends(viewer),
    session: Session = Depends(session_dep, scope="function"),
) -> dict[str, Any]:
    ctx = request.app.state.ctx
    net = network_for(ctx, session, principal, network)
    key = f"explore-geojson:{id(net)}"
    if key not in ctx.cache:
        ctx.cache[key] = network_geojson(net)
    doc: dict[str, Any] = ctx.cache[key]
    return doc


@router.get("/basemap", summary="Country outlines of the corridor's region (bundled Natural Earth)", responses=GEOJSON)
def basemap(principal: Principal = Depends(viewer)) -> dict[str, Any]:
    from corridor.report.maps import load_region_outlines

    return load_region_outlines()


@router.get("/places", summary="Places whose name or any alias matches q (any script, accents ignored)")
def places(
    request: Request,
    q: str = Query("", max_length=200),
    network: str = Query("middle-corridor", min_length=1, max_length=200),
    limit: int = Query(10, ge=1, le=200),
    principal: Principal = Depends(viewer),
    session: Session = Depends(session_dep, scope="function"),
) -> list[dict[str, Any]]:
    net = network_for(request.app.state.ctx, session, principal, network)
    needle = fold(q.strip())
    ranked: list[tuple[int, str, dict[str, Any]]] = []
    for n in net.nodes:
        names = [n.name, n.id, *n.aliases]
        best: tuple[int, str] | None = None
        for name in names:
            f = fold(name)
            rank = 0 if f == needle else 1 if f.startswith(needle) else 2 if needle in f else None
            if rank is not None and (best is None or rank < best[0]):
                best = (rank, name)
        if best is not None:
            ranked.append((best[0], n.name, {
                "id": n.id, "name": n.name, "name_ru": russian_name(n.aliases), "country": n.country,
                "kind": n.kind, "matched": best[1], "lat": n.lat, "lon": n.lon,
            }))  # fmt: skip
    ranked.sort(key=lambda r: (r[0], r[1]))
    return [r[2] for r in ranked[:limit]]
