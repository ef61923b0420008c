"""A job result's tables as CSV: each list of records in the result JSON is a table.

Nested objects become dotted columns (``sailings.out``); a record's equal-length lists of numbers
(a port's daily backlog) are unrolled into one row per day with a ``day`` column; other lists are
left out.  Text that a spreadsheet would run as a formula (``=``, ``+``, ``@``) gets a leading ``'``.
"""

from __future__ import annotations

import csv
import io
from typing import Any


def tables(result: dict[str, Any]) -> list[str]:
    """The names of the result's tables (keys holding a non-empty list of objects)."""
    return sorted(k for k, v in result.items() if isinstance(v, list) and v and all(isinstance(x, dict) for x in v))


def _flat(record: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in record.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            out.update(_flat(value, f"{name}."))
        elif not isinstance(value, list):
            out[name] = value
    return out


def _series(record: dict[str, Any]) -> dict[str, list[Any]]:
    lists = {
        k: v for k, v in record.items() if isinstance(v, list) and v and all(isinstance(x, int | float) for x in v)
    }
    lengths = {len(v) for v in lists.values()}
    return lists if len(lengths) == 1 else {}


def _cell(value: Any) -> Any:
    if isinstance(value, str) and value[:1] in ("=", "+", "@"):
        return "'" + value
    return "" if value is None else value


def rows(records: list[dict[str, Any]]) -> tuple[list[str], list[dict[str, Any]]]:
    """(columns, rows) of one table, first-seen column order."""
    out: list[dict[str, Any]] = []
    for rec in records:
        flat, series = _flat(rec), _series(rec)
        if not series:
            out.append(flat)
            continue
        length = len(next(iter(series.values())))
        out.extend({**flat, "day": i, **{k: v[i] for k, v in series.items()}} for i in range(length))
    columns: dict[str, None] = {}
    for row in out:
        columns.update(dict.fromkeys(row))
    return list(columns), out


def to_csv(records: list[dict[str, Any]]) -> str:
    columns, data = rows(records)
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    for row in data:
        writer.writerow({c: _cell(row.get(c)) for c in columns})
    return buf.getvalue()
