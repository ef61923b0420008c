"""The corridor as data: load, validate, write and export networks."""

from corridor.network._countries import ISO_3166_ALPHA2
from corridor.network._load import bundled_networks, load_network, read_network
from corridor.network._model import (
    MODES,
    NODE_KINDS,
    Closure,
    Link,
    Network,
    Node,
    Service,
    Source,
    Tariff,
)
from corridor.network._osm import OsmImport, import_osm
from corridor.network._provenance import provenance_gaps
from corridor.network._write import to_geojson, write_network

__all__ = [
    "ISO_3166_ALPHA2",
    "MODES",
    "NODE_KINDS",
    "Closure",
    "Link",
    "Network",
    "Node",
    "OsmImport",
    "Service",
    "Source",
    "Tariff",
    "bundled_networks",
    "import_osm",
    "load_network",
    "provenance_gaps",
    "read_network",
    "to_geojson",
    "write_network",
]
