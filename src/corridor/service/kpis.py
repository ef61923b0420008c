"""The corridor's public KPIs (``data/kpis``): sourced series, validated on every read.

Each point names its sources; a point whose source is not in ``sources.csv``, a value that is not a
number, an unknown kind or series is a :class:`corridor.errors.DataError` naming the file, line and
field.  Year-on-year growth is computed here from consecutive actual years, never stored.
"""

from __future__ import annotations

import csv
import io
import itertools
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from corridor.errors import DataError, Problem

KINDS = ("actual", "target", "capacity")


@dataclass(frozen=True)
class Point:
    series: str
    year: int | None
    value: float
    kind: str
    sources: tuple[str, ...]
    note: str


def bundled_folder() -> Path:
    return Path(str(resources.files("corridor") / "data" / "kpis"))


def _rows(folder: Path, name: str) -> list[tuple[int, dict[str, str]]]:
    text = (folder / name).read_text(encoding="utf-8")
    reader = csv.DictReader(io.StringIO(text))
    return [(reader.line_num, {k: (v or "").strip() for k, v in row.items() if k}) for row in reader]


def _point(name: str, line: int, row: dict[str, str], series: set[str], sources: set[str]) -> Point | Problem:
    def bad(field: str, message: str, expected: str, got: str) -> Problem:
        return Problem(name, message, line, field, record=row.get("series"), expected=expected, got=got)

    if row.get("series") not in series:
        return bad("series", "unknown series", "a series id in series.csv", row.get("series", ""))
    if row.get("kind") not in KINDS:
        return bad("kind", "unknown kind", " | ".join(KINDS), row.get("kind", ""))
    try:
        value = float(row.get("value", ""))
        year = int(row["year"]) if row.get("year") else None
    except ValueError:
        return bad(
            "value/year",
            "not a number",
            "a number (year: an integer or empty)",
            f"{row.get('value')}/{row.get('year')}",
        )
    ids = tuple(s.strip() for s in row.get("source", "").split(";") if s.strip())
    missing = [s for s in ids if s not in sources]
    if not ids or missing:
        return bad(
            "source", "every point needs sources listed in sources.csv", "source ids", ";".join(missing) or "nothing"
        )
    return Point(row["series"], year, value, row["kind"], ids, row.get("note", ""))


def load_kpis(folder: Path | None = None) -> dict[str, Any]:
    """The KPI document: ``{"series": [...], "sources": {id: {...}}}`` (raises DataError)."""
    folder = folder or bundled_folder()
    units = {r["id"]: r for _, r in _rows(folder, "series.csv")}
    sources = {r["id"]: r for _, r in _rows(folder, "sources.csv")}
    points: list[Point] = []
    problems: list[Problem] = []
    for line, row in _rows(folder, "points.csv"):
        got = _point("points.csv", line, row, set(units), set(sources))
        (problems if isinstance(got, Problem) else points).append(got)  # type: ignore[arg-type]
    if problems:
        raise DataError(f"{len(problems)} problem(s) in the KPI data ({folder})", problems)
    series = [_series(sid, meta, [p for p in points if p.series == sid]) for sid, meta in units.items()]
    return {"schema": "corridor.kpis/1", "series": series, "sources": sources}


def _series(sid: str, meta: dict[str, str], points: list[Point]) -> dict[str, Any]:
    actual = sorted((p for p in points if p.kind == "actual" and p.year is not None), key=lambda p: p.year or 0)
    growth: dict[int, float] = {}
    if meta.get("growth") == "yes":
        for prev, cur in itertools.pairwise(actual):
            if cur.year == (prev.year or 0) + 1 and prev.value:
                growth[cur.year or 0] = cur.value / prev.value - 1
    return {
        "id": sid,
        "unit": meta.get("unit", ""),
        "points": [
            {"year": p.year, "value": p.value, "kind": p.kind, "sources": list(p.sources), "note": p.note,
             "growth": growth.get(p.year) if p.kind == "actual" and p.year is not None else None}
            for p in sorted(points, key=lambda p: (p.year is None, p.year or 0, p.kind))
        ],
    }  # fmt: skip
