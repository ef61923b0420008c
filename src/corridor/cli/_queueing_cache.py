"""The demand set in force for ``corridor route``: its expected queueing, cached by content.

``corridor route --demand NAME|PATH|none`` times routes with the queueing of that demand set's
capacity assignment (:func:`corridor.routing.queueing_for`).  The default is the 2024 baseline on
the bundled Middle Corridor (the demand set the bundled times are calibrated on) and ``none`` on
any other network.  Computing it imports the capacity engine and solves the assignment (~0.5 s), so
the result is kept in the parsed-network cache folder, keyed by the content of the network's and
the demand set's files, :data:`~corridor.routing.QUEUEING_MODEL` and the package version; any
change to any of them is a miss.  A corrupt entry is ignored and rebuilt.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from corridor.network import Network
from corridor.network.cache import content_key, network_folder
from corridor.routing import QUEUEING_MODEL, Queueing


def queueing_for_cli(net: Network, network: str, demand: str, cache_dir: Path | None) -> Queueing | None:
    """The queueing of ``demand`` on ``net`` (None for ``none``), through the cache in ``cache_dir``."""
    if demand.strip().lower() == "none":
        return None
    folder = _demand_folder(demand)
    net_folder = network_folder(network)
    entry = None
    if cache_dir is not None and net_folder is not None and folder is not None:
        from importlib.metadata import version

        digest = hashlib.sha256(f"{QUEUEING_MODEL}\0{version('corridor')}\0".encode())
        digest.update(content_key(net_folder).encode() + b"\0" + content_key(folder).encode())
        entry = cache_dir / f"queueing-{digest.hexdigest()[:32]}.json"
        if entry.is_file():
            try:
                return Queueing.from_plain(json.loads(entry.read_text()))
            except (ValueError, OSError):
                pass  # corrupt or foreign: rebuild
    from corridor.capacity import assign
    from corridor.demand import load_demand
    from corridor.routing import queueing_for

    result = queueing_for(net, assign(net, load_demand(demand, net)))
    if entry is not None:
        _store(entry, json.dumps(result.to_plain()))
    return result


def _demand_folder(demand: str) -> Path | None:
    """The folder of a demand set given as a folder, a flows file or a bundled name (None: unknown)."""
    from corridor.demand import bundled_demand_sets

    path = Path(demand)
    if path.is_dir():
        return path
    if path.is_file():
        return path.parent
    return bundled_demand_sets().get(demand)


def _store(entry: Path, text: str) -> None:
    from corridor.atomic import write_text

    try:
        entry.parent.mkdir(parents=True, exist_ok=True)
        write_text(entry, text)
    except OSError:
        pass  # a read-only or full cache folder only costs speed
