"""Validating a national-size network full of problems: corridor's loader against pydantic v2.

Run from the project root::

    .venv/bin/python benchmarks/hardening.py [--quick]

Issue 13 measured ``corridor network validate`` on a 55k-link network with one wrong country code
on every node (13,886 problems) at 86.8 s against 4.3 s for the valid network — each problem
scanned the rows for its line.  Here the same shape of network is generated (seeded), written as
CSV, and validated:

* ours: ``load_network`` (every check: schema, ranges, references, gauges, provenance) plus the
  CLI's grouped, capped rendering of the problems; the invalid and the valid network;
* peer: pydantic 2 validating the same rows read with ``csv.DictReader`` against models with the
  same cell rules (id pattern, ISO country, kind, coordinate ranges, positive distance, whole
  gauge), collecting every error with its line — cell checks only, no cross-table checks.

``equal_results`` says both found the same problems (one per node, in the same lines).  The last
line is the headline: the invalid network, against the issue's 6 s budget.  ``--quick`` uses a
tenth of the size (seconds).
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError, field_validator

from corridor.cli._common import format_error
from corridor.errors import DataError
from corridor.network import ISO_3166_ALPHA2, load_network

BUDGET_S = 6.0


def write_network(folder: Path, nodes: int, links: int, country: str, seed: int = 13) -> None:
    """A jittered grid of junctions joined by 1520 mm rail links (valid when ``country`` is)."""
    rng = random.Random(seed)
    folder.mkdir(parents=True)
    (folder / "network.toml").write_text('name = "grid"\nversion = "1"\n', encoding="utf-8")
    side = int(nodes**0.5) + 1
    with (folder / "nodes.csv").open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["id", "name", "country", "kind", "lat", "lon"])
        for i in range(nodes):
            lat = 40 + (i // side) * 0.05 + rng.uniform(-0.01, 0.01)
            lon = 50 + (i % side) * 0.05 + rng.uniform(-0.01, 0.01)
            w.writerow([f"n{i}", f"Station {i}", country, "junction", f"{lat:.4f}", f"{lon:.4f}"])
    with (folder / "links.csv").open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["id", "from", "to", "mode", "distance_km", "gauge_mm"])
        for j in range(links):
            a = rng.randrange(nodes)
            b = (a + 1 + rng.randrange(nodes - 1)) % nodes
            w.writerow([f"l{j}", f"n{a}", f"n{b}", "rail", f"{rng.uniform(5, 50):.1f}", "1520"])


Ident = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_-]+$", max_length=200)]


class NodeRow(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: Ident
    name: Annotated[str, StringConstraints(min_length=1, max_length=200)]
    country: str
    kind: Literal["terminal", "port", "border", "gauge_change", "junction", "hub"]
    lat: Annotated[float, Field(ge=-90, le=90, allow_inf_nan=False)]
    lon: Annotated[float, Field(ge=-180, le=180, allow_inf_nan=False)]

    @field_validator("country")
    @classmethod
    def _iso(cls, value: str) -> str:
        if value not in ISO_3166_ALPHA2:
            raise ValueError(f"expected an ISO 3166-1 alpha-2 country code, got {value!r}")
        return value


class LinkRow(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)
    id: Ident
    from_id: Ident = Field(alias="from")
    to_id: Ident = Field(alias="to")
    mode: Literal["rail", "road", "ferry", "sea", "river", "pipeline"]
    distance_km: Annotated[float, Field(gt=0, allow_inf_nan=False)]
    gauge_mm: Annotated[int, Field(gt=0)]


def peer_validate(folder: Path) -> list[tuple[str, int, str]]:
    """(file, line, field) of every cell problem, by pydantic."""
    problems: list[tuple[str, int, str]] = []
    for file, model in (("nodes.csv", NodeRow), ("links.csv", LinkRow)):
        with (folder / file).open(encoding="utf-8-sig", newline="") as fh:
            reader = csv.DictReader(fh)
            for row in reader:
                try:
                    model.model_validate(row)
                except ValidationError as exc:
                    for e in exc.errors():
                        problems.append((file, reader.line_num, str(e["loc"][0])))
    return problems


def ours_validate(folder: Path) -> list[tuple[str, int, str]]:
    try:
        load_network(folder)
    except DataError as exc:
        format_error(exc)  # the CLI's grouped, capped message: part of what a user waits for
        return [(p.source, p.line or 0, p.field or "") for p in exc.problems]
    return []


def median_time(fn: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="a tenth of the size (seconds)")
    args = parser.parse_args()
    nodes, links = (1_389, 5_500) if args.quick else (13_886, 55_000)
    repeat = 3
    lines = []
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        write_network(root / "valid", nodes, links, "KZ")
        write_network(root / "invalid", nodes, links, "XX")
        print(f"network: {nodes:,} nodes, {links:,} links; invalid: country XX on every node")
        print(f"{'case':<10} {'corridor s':>11} {'pydantic s':>11} {'problems':>10} {'same':>5}")
        for case in ("valid", "invalid"):
            folder = root / case
            ours_s, ours = median_time(lambda f=folder: ours_validate(f), repeat)
            peer_s, peer = median_time(lambda f=folder: peer_validate(f), repeat)
            same = sorted(ours) == sorted(peer)
            print(f"{case:<10} {ours_s:>11.3f} {peer_s:>11.3f} {len(ours):>10,} {same!s:>5}")
            lines.append(
                {
                    "benchmark": f"validate-{case}-{links // 1000}k" + ("-quick" if args.quick else ""),
                    "ours_s": round(ours_s, 4),
                    "peer": "pydantic 2 (cell checks only)",
                    "peer_s": round(peer_s, 4),
                    "ratio": round(peer_s / ours_s, 3),
                    "equal_results": same,
                    "problems": len(ours),
                    **({"budget_s": BUDGET_S, "within_budget": ours_s <= BUDGET_S} if case == "invalid" else {}),
                }
            )
    for line in lines:
        print(json.dumps(line))


if __name__ == "__main__":
    main()
