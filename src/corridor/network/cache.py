"""The parsed-network cache: a validated network stored as compact columns, keyed by the content
of its files, so the second and every later load skips parsing and validation.

``load_cached(path_or_name, cache_dir)`` hashes every file of the network folder (SHA-256 over
names and bytes, plus :data:`FORMAT`), and reads ``<cache_dir>/<hash>.net`` when it exists; on a
miss it loads the folder with :func:`corridor.network.load_network` (full validation) and writes
the entry atomically.  Any change to any file changes the hash, so a stale entry is never read;
older entries of the same folder are removed when a new one is written.

The entry is :mod:`marshal` of plain columns: per table, one tuple per field in declaration
order (or the one value of a column where every record has the same), each distinct provenance
mapping stored once and shared by reference — no pickle, so a cache file can hold only data.
Loading is one C-level ``marshal.loads`` and a C-level fill of the records' slots (see
:func:`_records`) with the garbage collector paused (it would otherwise rescan the growing heap
of new records again and again: 2-3× the time at 10^5 links); 0.25 s CPU for 10^5 links, where
calling the records' constructors took 0.65 s and parsing the CSV files ~5 s.  A corrupt or
foreign entry is ignored and rebuilt.  The cache is a speed-up only: with ``cache_dir=None``
nothing is read or written.

Derived data of the same content (the routing arrays, :mod:`corridor.routing._graph_cache`)
lives beside the entry under its stem (:func:`load_cached_entry`) and goes with it.

Who uses it: the CLI (``$CORRIDOR_CACHE_DIR``, else ``$XDG_CACHE_HOME/corridor``, else
``~/.cache/corridor``; see :func:`default_cache_dir`) and the service's workers.
"""

from __future__ import annotations

import gc
import hashlib
import marshal
import os
from collections import deque
from collections.abc import Mapping
from dataclasses import fields
from itertools import repeat
from pathlib import Path
from types import MemberDescriptorType
from typing import Any, Final

from corridor.network._load import bundled_networks, load_network
from corridor.network._model import Closure, Link, Network, Node, Service, Source, Tariff, _restore_network

#: Bumped whenever the record classes or this layout change (part of the key).
FORMAT: Final = "corridor-network-cache/2"
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
    return load_cached_entry(path_or_name, cache_dir)[0]


def load_cached_entry(path_or_name: str | Path, cache_dir: Path | None) -> tuple[Network, Path | None]:
    """:func:`load_cached`, and the entry's path: files of derived data for exactly this content
    go beside it as ``<entry>.<suffix>`` (removed with the entry).  None when nothing is cached.

    Raises
    ------
    DataError, UnknownNameError
        As :func:`~corridor.network.load_network`.
    """
    folder = network_folder(path_or_name)
    if cache_dir is None or folder is None:
        return load_network(path_or_name), None
    key = content_key(folder)
    entry = cache_dir / f"{_folder_tag(folder)}-{key[:32]}.net"
    if entry.is_file():
        try:
            return decode(entry.read_bytes()), entry
        except (ValueError, EOFError, TypeError, IndexError, KeyError):
            pass  # a corrupt or foreign entry: rebuild it
    net = load_network(folder)
    _store(cache_dir, entry, encode(net))
    return net, entry


def _store(cache_dir: Path, entry: Path, data: bytes) -> None:
    from corridor.atomic import write_bytes

    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        write_bytes(entry, data)
        for old in cache_dir.glob(entry.name.split("-")[0] + "-*"):
            if not old.name.startswith(entry.name):  # an older content's entry and its derived files
                old.unlink(missing_ok=True)
    except OSError:
        pass  # a read-only or full cache folder only costs speed


def _column(values: tuple[Any, ...]) -> tuple[bool, Any]:
    """(True, value) for a column of one value, else (False, values).  One value means the same
    type and the same text too: 1 and 1.0, 0.0 and -0.0 stay apart (NaN is never equal: kept whole)."""
    first = values[0] if values else None
    if values and all(v is first or (type(v) is type(first) and v == first and repr(v) == repr(first)) for v in values):
        return True, first
    return False, values


def encode(net: Network) -> bytes:
    """The network as marshalled columns (see the module docstring)."""
    provs: dict[tuple[tuple[str, str], ...], dict[str, str]] = {}
    tables = []
    for attr, cls in _TABLES:
        names = tuple(f.name for f in fields(cls))
        records = getattr(net, attr)
        columns = []
        for name in names:
            if name == "provenance":  # one shared dict per distinct mapping (marshal keeps the sharing)
                col = tuple(
                    provs.setdefault(k, dict(k)) for k in (tuple(sorted(r.provenance.items())) for r in records)
                )
            else:
                col = tuple(getattr(r, name) for r in records)
            columns.append(_column(col))
        tables.append((attr, names, len(records), tuple(columns)))
    sources = tuple(tuple(getattr(s, f.name) for f in fields(Source)) for s in net.sources)
    head = (FORMAT, net.name, net.version, net.description)
    return marshal.dumps((head, tuple(tables), sources))


def _records(cls: type, names: tuple[str, ...], count: int, columns: tuple[tuple[bool, Any], ...]) -> tuple[Any, ...]:
    """``count`` records of ``cls`` from their columns.

    The records were validated when first built, so they are restored as pickle restores slotted
    objects: created empty, then each slot filled through its descriptor — a loop that runs in C
    (3x faster than calling the frozen dataclass's ``__init__``, which sets one field at a time in
    Python).  A class that is not a plain slotted record is built through its constructor."""
    if len(columns) != len(names) or any(not const and len(col) != count for const, col in columns):
        raise ValueError("cache entry columns of unequal length")
    slots = getattr(cls, "__slots__", ())
    plain = set(slots) == set(names) and not hasattr(cls, "__post_init__")
    if not plain or not all(isinstance(getattr(cls, n), MemberDescriptorType) for n in names):
        return tuple(cls(*row) for row in zip(*(repeat(col, count) if c else col for c, col in columns), strict=True))
    out: list[Any] = list(map(object.__new__, repeat(cls, count)))
    for name, (const, col) in zip(names, columns, strict=True):
        deque(map(getattr(cls, name).__set__, out, repeat(col, count) if const else col), maxlen=0)
    return tuple(out)


def decode(data: bytes) -> Network:
    """A network from :func:`encode`'s bytes (ValueError if they are not such an entry)."""
    paused = gc.isenabled()
    gc.disable()  # nothing to collect here; a collector pass would rescan every new record again
    try:
        head, tables, sources = marshal.loads(data)
        if head[0] != FORMAT:
            raise ValueError(f"cache entry format {head[0]!r}, expected {FORMAT!r}")
        classes = dict(_TABLES)
        built: dict[str, tuple[Any, ...]] = {}
        for attr, names, count, columns in tables:
            cls = classes[attr]
            if names != tuple(f.name for f in fields(cls)):
                raise ValueError(f"cache entry has other {attr} fields than this version")
            built[attr] = _records(cls, names, count, columns)
        record: dict[str, Any] = {
            "name": head[1], "version": head[2], "description": head[3],
            "sources": tuple(Source(*s) for s in sources), **built,
        }  # fmt: skip
        return _restore_network(*(record[f.name] for f in fields(Network) if f.init))
    finally:
        if paused:
            gc.enable()
