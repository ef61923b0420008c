"""The routing arrays in the parsed-network cache: a warm ``corridor route`` maps them instead of
rebuilding them from the records.

:func:`cached_graph` stores :meth:`RoutingGraph.arrays` (CSR order, per-arc criteria, per-node
charges; :data:`~corridor.routing._graph.ARRAYS`) as an uncompressed ``.npz`` beside the
network's cache entry (:func:`corridor.network.cache.load_cached_entry`), so the file is valid
for exactly the content the entry was keyed by and is removed with it.  Its name also carries
:func:`code_key`: a hash of this layout's :data:`FORMAT`, the bundled emission factors and the
source of the modules whose arithmetic the arrays hold (the arc time and price model, the
records' defaults, the units), so a code or factor change is never answered from stale arrays.

``np.load(..., allow_pickle=False)``: the file holds numbers only.  Anything wrong with it (absent,
truncated, another shape) means "build and store again"; the cache only ever costs speed.
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, Final

import numpy as np

from corridor.network import Network
from corridor.routing._graph import RoutingGraph
from corridor.routing.emissions import EmissionFactors

#: Bumped whenever the stored layout changes (part of :func:`code_key`).
FORMAT: Final = "corridor-routing-arrays/1"
#: The modules whose arithmetic the arrays hold (package, file).
_CODE: Final = (
    ("corridor.routing", "_graph.py"),
    ("corridor.routing", "emissions.py"),
    ("corridor.routing", "emission_factors.csv"),
    ("corridor.network", "_model.py"),
    ("corridor", "units.py"),
)


@cache
def code_key() -> str:
    """16 hex digits of SHA-256 over :data:`FORMAT` and the bytes of the files in :data:`_CODE`."""
    digest = hashlib.sha256(FORMAT.encode())
    for package, name in _CODE:
        digest.update(name.encode() + b"\0" + (resources.files(package) / name).read_bytes() + b"\0")
    return digest.hexdigest()[:16]


def graph_file(entry: Path) -> Path:
    """Where the arrays of the network cached in ``entry`` are kept."""
    return entry.with_name(f"{entry.name}.{code_key()}.routing.npz")


def cached_graph(network: Network, entry: Path | None) -> RoutingGraph:
    """The routing graph of ``network`` (default emission factors), read from beside its cache
    ``entry`` when stored there, else built and stored.  ``entry=None``: built, nothing stored."""
    factors = EmissionFactors.default()
    if entry is None:
        return RoutingGraph.build(network, factors)
    path = graph_file(entry)
    try:
        with np.load(io.BytesIO(path.read_bytes()), allow_pickle=False) as stored:  # bytes: no handle left open
            return RoutingGraph.from_arrays(network, factors, {k: stored[k] for k in stored.files})
    except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile):
        pass  # absent, truncated or of another layout: build it again
    graph = RoutingGraph.build(network, factors)
    _store(path, graph)
    return graph


def _store(path: Path, graph: RoutingGraph) -> None:
    from corridor.atomic import write_bytes

    buffer = io.BytesIO()
    columns: dict[str, Any] = graph.arrays()  # numbers only: np.load refuses pickles
    np.savez(buffer, **columns)
    try:
        write_bytes(path, buffer.getvalue())
        for old in path.parent.glob(f"{path.name.split('.')[0]}.net.*.routing.npz"):
            if old != path:  # arrays of the same content from another code version
                old.unlink(missing_ok=True)
    except OSError:
        pass  # a read-only or full cache folder only costs speed
