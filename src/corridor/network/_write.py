"""Writing a network back to its folder format, and exporting it as GeoJSON."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from corridor.atomic import atomic_folder
from corridor.network._load import (
    CLOSURE_COLUMNS,
    LINK_COLUMNS,
    NODE_COLUMNS,
    SERVICE_COLUMNS,
    SOURCE_COLUMNS,
    TARIFF_TABLE_COLUMNS,
)
from corridor.network._model import Network
from corridor.network._tables import Column


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, frozenset):
        return ";".join(sorted(str(v) for v in value))
    if isinstance(value, tuple):
        return ";".join(value)
    return str(value)


def _provenance(prov: Mapping[str, str], columns: Sequence[Column]) -> str:
    by_target = {c.target: c.name for c in columns}
    return "; ".join(f"{by_target.get(k, k)}={v}" for k, v in sorted(prov.items()))


def _write_table(path: Path, columns: Sequence[Column], records: Iterable[Any]) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow([c.name for c in columns])
        for rec in records:
            row = []
            for col in columns:
                if col.name == "source":
                    row.append(_provenance(getattr(rec, "provenance", {}), columns))
                else:
                    row.append(_cell(getattr(rec, col.target)))
            writer.writerow(row)


def _toml_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def write_network(network: Network, folder: str | Path) -> Path:
    """Write ``network`` as a folder that :func:`load_network` reads back to an equal network.

    The folder is written whole or not at all (:func:`corridor.atomic.atomic_folder`)."""
    out = Path(folder)
    out.parent.mkdir(parents=True, exist_ok=True)
    manifest = (
        f"name = {_toml_string(network.name)}\nversion = {_toml_string(network.version)}\n"
        f"description = {_toml_string(network.description)}\nformat = 1\n"
    )
    with atomic_folder(out) as tmp:
        (tmp / "network.toml").write_text(manifest, encoding="utf-8")
        _write_table(tmp / "nodes.csv", NODE_COLUMNS, network.nodes)
        _write_table(tmp / "links.csv", LINK_COLUMNS, network.links)
        for name, columns, records in (
            ("services.csv", SERVICE_COLUMNS, network.services),
            ("closures.csv", CLOSURE_COLUMNS, network.closures),
            ("tariffs.csv", TARIFF_TABLE_COLUMNS, network.tariffs),
            ("sources.csv", SOURCE_COLUMNS, network.sources),
        ):
            if records:
                _write_table(tmp / name, columns, records)
    return out


def to_geojson(network: Network) -> dict[str, Any]:
    """A GeoJSON FeatureCollection: nodes as Points, links as straight LineStrings."""
    features: list[dict[str, Any]] = []
    for node in network.nodes:
        features.append(
            {
                "type": "Feature",
                "id": node.id,
                "geometry": {"type": "Point", "coordinates": [node.lon, node.lat]},
                "properties": {
                    "id": node.id,
                    "name": node.name,
                    "country": node.country,
                    "kind": node.kind,
                    "border": node.is_border,
                    "enabled": node.enabled,
                },
            }
        )
    for link in network.links:
        a, b = network.node(link.from_id), network.node(link.to_id)
        features.append(
            {
                "type": "Feature",
                "id": link.id,
                "geometry": {"type": "LineString", "coordinates": [[a.lon, a.lat], [b.lon, b.lat]]},
                "properties": {
                    "id": link.id,
                    "from": link.from_id,
                    "to": link.to_id,
                    "mode": link.mode,
                    "distance_km": link.distance_km,
                    "gauge_mm": link.gauge_mm,
                    "country": link.country,
                    "operator": link.operator,
                    "enabled": link.enabled,
                },
            }
        )
    return {"type": "FeatureCollection", "name": network.name, "features": features}
