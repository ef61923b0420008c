"""Which numbers in a network have no source: the check behind "every number is sourced"."""

from __future__ import annotations

from dataclasses import fields
from typing import Any

from corridor.network._model import Network


def _numeric_fields(record: Any) -> list[str]:
    out = []
    for f in fields(record):
        value = getattr(record, f.name)
        if isinstance(value, bool) or f.name in ("year",):
            continue
        if isinstance(value, int | float):
            out.append(f.name)
    return out


def provenance_gaps(network: Network) -> list[str]:
    """``table:id:field`` for every number with no source, and for every cited id that is missing.

    A number is sourced when its record's ``provenance`` maps the field to an id in
    ``network.sources``.  Estimates are sources of kind ``estimate``.
    """
    known = {s.id for s in network.sources}
    gaps = []
    tables: list[tuple[str, tuple[Any, ...]]] = [
        ("nodes", network.nodes),
        ("links", network.links),
        ("services", network.services),
        ("closures", network.closures),
        ("tariffs", network.tariffs),
    ]
    for table, records in tables:
        for rec in records:
            for name in _numeric_fields(rec):
                sid = rec.provenance.get(name)
                if sid is None:
                    gaps.append(f"{table}:{rec.id}:{name} has no source")
                elif sid not in known:
                    gaps.append(f"{table}:{rec.id}:{name} cites unknown source {sid!r}")
    return gaps
