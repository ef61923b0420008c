"""Reading and validating demand sets (``demand.toml`` + ``flows.csv``; see docs/data-format.md)."""

from __future__ import annotations

import difflib
from importlib import resources
from pathlib import Path
from typing import Any

from corridor.demand._model import DemandSet, Flow
from corridor.errors import DataError, Problem, UnknownNameError, clip
from corridor.limits import LIMITS, MAX_NAME_CHARS, MAX_TEXT_CHARS, check_text
from corridor.network import Network, Source
from corridor.network.tables import SOURCE_COLUMNS, Column, build_records, num, one_of, read_table, read_toml
from corridor.units import CARGO_CLASSES

FLOW_COLUMNS = (
    Column("origin", required=True),
    Column("destination", required=True),
    Column("cargo", one_of(CARGO_CLASSES), required=True),
    num("volume_teu_per_year", max=LIMITS["volume"].high),
    num("volume_t_per_year", max=LIMITS["volume"].high),
    Column("source"),
    Column("note"),
)


def bundled_demand_sets() -> dict[str, Path]:
    """Names of the demand sets shipped with corridor and their folders."""
    root = resources.files("corridor") / "data" / "demand"
    if not root.is_dir():
        return {}
    return {p.name: Path(str(p)) for p in root.iterdir() if p.is_dir() and (p / "flows.csv").is_file()}


#: The bundled demand set each bundled network's times are calibrated on (CALIBRATION.md): the
#: demand set in force by default for ``corridor route`` and ``POST /v1/quotes``.
CALIBRATION_BASELINES: dict[str, str] = {"middle-corridor": "2024"}


def calibration_baseline(network: str) -> str:
    """The demand set in force by default on ``network``: its calibration baseline, or ``none``."""
    return CALIBRATION_BASELINES.get(network, "none")


def _manifest(folder: Path, problems: list[Problem]) -> dict[str, Any]:
    path = folder / "demand.toml"
    if not path.is_file():
        return {}
    data = read_toml(path, "demand.toml", problems)
    if data is None:
        return {}
    known = {"name", "network", "year", "description", "without"}
    for key in data:
        if key not in known:
            problems.append(
                Problem("demand.toml", f"unknown key {key!r}; expected {', '.join(sorted(known))}", column=key)
            )
    for key in ("name", "network", "description"):
        if key in data and not isinstance(data[key], str):
            problems.append(Problem("demand.toml", f"{key!r} must be a string", column=key))
        elif key in data:
            problems += check_text(
                data[key],
                source="demand.toml",
                field=key,
                limit=MAX_TEXT_CHARS if key == "description" else MAX_NAME_CHARS,
                allow_newlines=key == "description",
            )
    if "year" in data and not isinstance(data["year"], int):
        problems.append(Problem("demand.toml", "'year' must be a whole number such as 2030", column="year"))
    without = data.get("without", [])
    if not (isinstance(without, list) and all(isinstance(x, str) for x in without)):
        problems.append(Problem("demand.toml", "'without' must be a list of link or node ids", column="without"))
        data["without"] = []
    return data


def _demand_files(path_or_name: str | Path) -> tuple[Path, Path]:
    """The demand set's folder and flows file: a folder, a ``flows.csv`` file or a bundled name."""
    path = Path(path_or_name)
    bundled = bundled_demand_sets()
    if path.is_dir():
        return path, path / "flows.csv"
    if path.is_file():
        return path.parent, path
    if str(path_or_name) in bundled:
        return bundled[str(path_or_name)], bundled[str(path_or_name)] / "flows.csv"
    close = difflib.get_close_matches(str(path_or_name), list(bundled), n=3)
    raise UnknownNameError(
        "demand set (neither a path nor a bundled name)", str(path_or_name), close or sorted(bundled)
    )


def _flow_ends(
    network: Network, values: dict[str, Any], file: str, line: int, problems: list[Problem]
) -> dict[str, str]:
    """The origin and destination of one flow row as node ids (those that resolve to an enabled node)."""
    ends = {}
    for key in ("origin", "destination"):
        name = values.get(key)
        if name is None:
            continue
        try:
            node = network.resolve(name)
        except UnknownNameError as exc:
            problems.append(Problem(file, str(exc), line=line, column=key))
            continue
        if not node.enabled:
            problems.append(
                Problem(file, f"{key} {node.id!r} is a planned node (enabled=false)", line=line, column=key)
            )
        ends[key] = node.id
    return ends


def load_demand(path_or_name: str | Path, network: Network) -> DemandSet:
    """Load a demand set (a folder, a ``flows.csv`` file, or a bundled name such as ``"2024"``)
    and validate it against ``network``: every origin and destination must resolve (ids, names or
    aliases; unknown names get "did you mean"), volumes ≥ 0 in the unit of their cargo class.
    """
    folder, flows_path = _demand_files(path_or_name)
    problems: list[Problem] = []
    manifest = _manifest(folder, problems) if flows_path.name == "flows.csv" else {}
    named = manifest.get("network")
    if isinstance(named, str) and named != network.name:
        # a demand set names the network its places and volumes were made for; on another network
        # its names may resolve to different places, silently
        problems.append(
            Problem(
                "demand.toml",
                f"the demand set is for network {clip(named)}, not {network.name!r}; "
                f"use it with --network {clip(named)} or change 'network' in demand.toml",
                field="network",
                expected=network.name,
                got=named,
            )
        )
    if not flows_path.is_file():
        raise DataError(f"demand set {folder} has no flows.csv", [Problem("flows.csv", f"missing in {folder}")])
    source_ids = {s.id for s in network.sources}
    sources: list[Source] = []
    if (folder / "sources.csv").is_file() and flows_path.name == "flows.csv":
        rows, found = read_table(folder / "sources.csv", SOURCE_COLUMNS, allow_empty=True)
        problems += found
        sources = build_records(rows, SOURCE_COLUMNS, Source, "sources.csv", problems, None)
        source_ids |= {s.id for s in sources}

    without = tuple(manifest.get("without", ()))
    for asset in without:
        if not (network.has_link(asset) or network.has_node(asset)):
            known = [lk.id for lk in network.links] + [n.id for n in network.nodes]
            close = difflib.get_close_matches(asset, known, n=3)
            hint = f"; did you mean {', '.join(repr(c) for c in close)}?" if close else ""
            problems.append(
                Problem("demand.toml", f"'without' names {asset!r}, which is no link or node{hint}", column="without")
            )
    file = flows_path.name
    rows, found = read_table(flows_path, FLOW_COLUMNS)
    problems += found
    flows: list[Flow] = []
    built: list[dict[str, Any]] = build_records(rows, FLOW_COLUMNS, dict, file, problems, source_ids)
    first_line: dict[tuple[str, str, str], int] = {}
    for row, values in zip(rows, built, strict=True):
        ends = _flow_ends(network, values, file, row.line, problems)
        if len(ends) == 2 and ends["origin"] == ends["destination"]:
            problems.append(
                Problem(file, "origin and destination are the same node", line=row.line, column="destination")
            )
            continue
        cargo = values.get("cargo")
        if (
            cargo == "container"
            and values.get("volume_teu_per_year") is None
            and not row.raw.get("volume_teu_per_year")
        ):
            problems.append(
                Problem(file, "container flows need volume_teu_per_year", line=row.line, column="volume_teu_per_year")
            )
        if (
            cargo in ("general", "liquid")
            and values.get("volume_t_per_year") is None
            and not row.raw.get("volume_t_per_year")
        ):
            problems.append(
                Problem(file, f"{cargo} flows need volume_t_per_year", line=row.line, column="volume_t_per_year")
            )
        if len(ends) == 2 and cargo:
            flow_key = (ends["origin"], ends["destination"], str(cargo))
            seen = first_line.setdefault(flow_key, row.line)
            if seen != row.line:
                # one row per origin, destination and cargo: two rows are a copy-paste slip or a
                # split that belongs in one number (docs/limits.md)
                problems.append(
                    Problem(
                        file,
                        f"duplicate flow {flow_key[0]}→{flow_key[1]} ({cargo}); line {seen} has the same origin, "
                        "destination and cargo — put the total in one row",
                        line=row.line,
                        field="origin",
                        record=f"{flow_key[0]}→{flow_key[1]}:{cargo}",
                        expected="one row per origin, destination and cargo",
                        got=f"also on line {seen}",
                    )
                )
                continue
            values.update(ends)
            flows.append(Flow(**values))
    if problems:
        raise DataError(f"demand set {flows_path} has {len(problems)} problem(s)", problems)
    if not flows:
        raise DataError(
            f"demand set {flows_path} has no flows",
            [Problem(file, "the table has no flows", line=2, expected="at least one flow")],
        )
    return DemandSet(
        name=str(manifest.get("name", folder.name if flows_path.name == "flows.csv" else flows_path.stem)),
        network=str(manifest.get("network", network.name)),
        flows=tuple(flows),
        year=manifest.get("year"),
        description=str(manifest.get("description", "")),
        sources=tuple(sources),
        without=without,
    )
