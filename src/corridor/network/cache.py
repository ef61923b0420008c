"""The parsed-network cache: a validated network stored as compact columns, keyed by the content
of its files, so the second and every later load skips parsing and validation.

``load_cached(path_or_name, cache_dir)`` hashes every file of the network folder (SHA-256 over
names and bytes, plus :data:`FORMAT`), and reads ``<cache_dir>/<hash>.net`` when it exists; on a
miss it loads the folder with :func:`corridor.network.load_network` (full validation) and writes
the entry atomically.  Any change to any file changes the hash, so a stale entry is never read;
older entries of the same folder are removed when a new one is written.

The entry is :mod:`marshal` of plain tuples (one per record, fields in declaration order;
provenance mappings interned) — no pickle, so a cache file can hold only data, and loading is
~10× faster than pickling the frozen records.  A corrupt or foreign entry is ignored and rebuilt.
The cache is a speed-up only: with ``cache_dir=None`` nothing is read or written.

Who uses it: the CLI (``$CORRIDOR_CACHE_DIR``, else ``$XDG_CACHE_HOME/corridor``, else
``~/.cache/corridor``; see :func:`default_cache_dir`) and the service's workers.
"""

from __future__ import annotations

import hashlib
import marshal
import os
from collections.abc import Mapping
from dataclasses import fields
from pathlib import Path
from typing import Any, Final

from corridor.network._load import bundled_networks, load_network
from corridor.network._model import Closure, Link, Network, Node, Service, Source, Tariff, _restore_network

#: Bumped whenever the record classes or this layout change (part of the key).
FORMAT: Final = "corridor-network-cache/1"
_TABLES: Final = (("nodes", Node), ("links", Link), ("services", Service), ("closures", Closure), ("tariffs", Tariff))


def default_cache_dir(environ: Mapping[str, str] | None = None) -> Path:
    """Where adapters keep the cache: ``$CORRIDOR_CACHE_DIR``, ``$XDG_CACHE_HOME/corridor`` or ``~/.cache/corridor``."""
    env = os.environ if environ is None else environ
    if env.get("CORRIDOR_CACHE_DIR"):
        return Path(env["CORRIDOR_CACHE_DIR"])
    base = Path(env["XDG_CACHE_HOME"]) if env.get("XDG_CACHE_HOME") else Path.home() / ".cache"
    return base / "corridor"


def network_folder(path_or_name: str | Path) -> Path | None:
    """The folder a path or bundled name refers to (None if neither; the loader explains why)."""
    path = Path(path_or_name)
    if path.is_dir():
        return path
    return bundled_networks().get(str(path_or_name))


def content_key(folder: Path) -> str:
    """SHA-256 of :data:`FORMAT` and every file's name and bytes, in name order."""
    digest = hashlib.sha256(FORMAT.encode())
    for file in sorted(p for p in folder.iterdir() if p.is_file() and not p.name.startswith(".")):
        digest.update(file.name.encode() + b"\0")
        digest.update(file.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()


def _folder_tag(folder: Path) -> str:
    return hashlib.sha256(str(folder.resolve()).encode()).hexdigest()[:16]


def load_cached(path_or_name: str | Path, cache_dir: Path | None) -> Network:
    """:func:`~corridor.network.load_network`, through the cache in ``cache_dir`` (None: no cache).

    Raises
    ------
    DataError, UnknownNameError
        As :func:`~corridor.network.load_network` (invalid networks are never cached).
    """
    folder = network_folder(path_or_name)
    if cache_dir is None or folder is None:
        return load_network(path_or_name)
    key = content_key(folder)
    entry = cache_dir / f"{_folder_tag(folder)}-{key[:32]}.net"
    if entry.is_file():
        try:
            return decode(entry.read_bytes())
        except (ValueError, EOFError, TypeError, IndexError, KeyError):
            pass  # a corrupt or foreign entry: rebuild it
    net = load_network(folder)
    _store(cache_dir, entry, encode(net))
    return net


def _store(cache_dir: Path, entry: Path, data: bytes) -> None:
    from corridor.atomic import write_bytes

    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        write_bytes(entry, data)
        for old in cache_dir.glob(entry.name.split("-")[0] + "-*.net"):
            if old != entry:
                old.unlink(missing_ok=True)
    except OSError:
        pass  # a read-only or full cache folder only costs speed


def _plain(value: Any) -> Any:
    return tuple(sorted(value)) if isinstance(value, frozenset) else value


def encode(net: Network) -> bytes:
    """The network as marshalled tuples (see the module docstring)."""
    provs: dict[tuple[tuple[str, str], ...], int] = {}
    tables = []
    for attr, cls in _TABLES:
        names = [f.name for f in fields(cls) if f.name != "provenance"]
        rows = []
        for rec in getattr(net, attr):
            prov = tuple(sorted(rec.provenance.items()))
            pid = provs.setdefault(prov, len(provs))
            rows.append((*(_plain(getattr(rec, n)) for n in names), pid))
        tables.append((attr, tuple(names), tuple(rows)))
    sources = tuple(tuple(getattr(s, f.name) for f in fields(Source)) for s in net.sources)
    head = (FORMAT, net.name, net.version, net.description)
    return marshal.dumps((head, tuple(provs), tuple(tables), sources))


def decode(data: bytes) -> Network:
    """A network from :func:`encode`'s bytes (ValueError if they are not such an entry)."""
    head, provs, tables, sources = marshal.loads(data)
    if head[0] != FORMAT:
        raise ValueError(f"cache entry format {head[0]!r}, expected {FORMAT!r}")
    prov_maps = [dict(p) for p in provs]
    built: dict[str, tuple[Any, ...]] = {}
    classes = dict(_TABLES)
    for attr, names, rows in tables:
        cls = classes[attr]
        sets = [i for i, n in enumerate(names) if n in ("cargo", "months")]
        out = []
        for row in rows:
            values = list(row[:-1])
            for i in sets:
                values[i] = frozenset(values[i])
            out.append(cls(*values, provenance=prov_maps[row[-1]]))
        built[attr] = tuple(out)
    record: dict[str, Any] = {
        "name": head[1], "version": head[2], "description": head[3],
        "sources": tuple(Source(*s) for s in sources), **built,
    }  # fmt: skip
    return _restore_network(*(record[f.name] for f in fields(Network) if f.init))
