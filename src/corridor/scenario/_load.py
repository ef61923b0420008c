"""Reading scenario files (YAML; see docs/scenarios.md), following ``inherits:``, and applying them."""

from __future__ import annotations

import contextlib
import difflib
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

from corridor.demand import DemandSet, load_demand
from corridor.errors import DataError, Problem, UnknownNameError
from corridor.limits import MAX_NAME_CHARS, MAX_TEXT_CHARS, check_text
from corridor.network import Network, load_network
from corridor.scenario._changes import AddSources, Change, Where, apply_changes
from corridor.scenario._model import AppliedScenario, Investment, Scenario
from corridor.scenario._parse import Context, Skip, parse_change, parse_investment, parse_sources, unknown_key
from corridor.scenario._yaml import LineMap, read_yaml

T = TypeVar("T")

TOP_KEYS = (
    "name",
    "description",
    "inherits",
    "network",
    "demand",
    "year",
    "sources",
    "changes",
    "investments",
    "appraisal",
)


def bundled_scenarios() -> dict[str, Path]:
    """Names of the scenarios shipped with corridor and their files."""
    root = resources.files("corridor") / "data" / "scenarios"
    if not root.is_dir():
        return {}
    return {Path(p.name).stem: Path(str(p)) for p in root.iterdir() if p.name.endswith((".yaml", ".yml"))}


def scenario_path(path_or_name: str | Path, relative_to: Path | None = None) -> Path:
    """The file of a scenario given as a path (absolute, or relative to ``relative_to``) or a bundled name."""
    text = str(path_or_name)
    candidates = [Path(text)]
    if relative_to is not None:
        candidates.insert(0, relative_to / text)
    for cand in candidates:
        if cand.is_file():
            return cand
        for ext in (".yaml", ".yml"):
            if cand.suffix == "" and cand.with_suffix(ext).is_file():
                return cand.with_suffix(ext)
    bundled = bundled_scenarios()
    if text in bundled:
        return bundled[text]
    close = difflib.get_close_matches(text, list(bundled), n=3)
    raise UnknownNameError("scenario (neither a file nor a bundled name)", text, close or sorted(bundled))


def load_scenario(path_or_name: str | Path) -> Scenario:
    """Read a scenario file or a bundled scenario by name (``"aktau-container-hub"``).

    ``inherits:`` is followed (changes of the ancestors first); a cycle is rejected with the chain
    in the message.  Problems are collected and raised once, each with file and line.

    Raises
    ------
    DataError
        Malformed YAML, unknown keys, bad values, a negative capex, an inheritance cycle.
    UnknownNameError
        The scenario (or one it inherits from) is neither a file nor a bundled name.
    """
    return _load(scenario_path(path_or_name), ())


def _load(path: Path, seen: tuple[Path, ...]) -> Scenario:
    resolved = path.resolve()
    if resolved in seen:
        chain = " → ".join(p.stem for p in (*seen[seen.index(resolved) :], resolved))
        raise DataError(
            f"scenario inheritance cycle: {chain}",
            [Problem(path.name, f"inherits back into itself: {chain}", column="inherits")],
        )
    data = read_yaml(path)
    file = path.name
    if not isinstance(data, LineMap):
        raise DataError(f"{file} is not a scenario", [Problem(file, "expected a mapping with name, changes…", line=1)])
    name = str(data.get("name", path.stem))
    text_problems = [
        p
        for key, limit in (("name", MAX_NAME_CHARS), ("description", MAX_TEXT_CHARS))
        if key in data
        for p in check_text(
            str(data[key]), source=file, field=key, line=data.value_line(key), limit=limit,
            allow_newlines=key == "description",
        )
    ]  # fmt: skip
    if len(name) > MAX_NAME_CHARS or text_problems:
        name = path.stem  # never carry a bad name into every later message
    ctx = Context(file, name)
    ctx.problems += text_problems
    for key in data:
        if key not in TOP_KEYS:
            unknown_key(ctx, key, TOP_KEYS, data.key_line(key), "the scenario")

    parent: Scenario | None = None
    if "inherits" in data:
        try:
            parent_path = scenario_path(str(data["inherits"]), path.parent)
        except UnknownNameError as exc:
            exc.problems = (Problem(file, str(exc), line=data.value_line("inherits"), column="inherits"),)
            raise
        parent = _load(parent_path, (*seen, resolved))
    elif "network" not in data or "demand" not in data:
        ctx.fail("a scenario names a base 'network' and 'demand' set, or 'inherits' another scenario", data.line)

    own_sources = []
    if "sources" in data:
        with contextlib.suppress(Skip):
            own_sources = parse_sources(data["sources"], ctx, data.value_line("sources"))
    changes: list[Change] = [c for c in _items(data, "changes", ctx, parse_change)]
    investments: list[Investment] = [i for i in _items(data, "investments", ctx, parse_investment)]
    year = data.get("year")
    if year is not None and (isinstance(year, bool) or not isinstance(year, int)):
        ctx.fail(f"year must be a whole number such as 2030, got {year!r}", data.value_line("year"), "year")
        year = None
    settings = dict(parent.appraisal) if parent else {}
    block = data.get("appraisal")
    if block is not None and not isinstance(block, LineMap):
        ctx.fail("appraisal must be a mapping of parameter: value", data.value_line("appraisal"), "appraisal")
    elif isinstance(block, LineMap):
        settings |= {str(k): (v, Where(file, block.value_line(k))) for k, v in block.items()}
    if ctx.problems:
        raise DataError(f"scenario {file} has {len(ctx.problems)} problem(s)", ctx.problems)

    sources = (*own_sources, *ctx.estimates)
    own_changes = tuple(changes)
    if sources:
        own_changes = (AddSources(tuple(sources), where=Where(file, 1)), *own_changes)
    base = {
        "network": _relative(data.get("network"), path.parent),
        "demand": _relative(data.get("demand"), path.parent),
    }
    return Scenario(
        name=name,
        network=base["network"] or (parent.network if parent else ""),
        demand=base["demand"] or (parent.demand if parent else ""),
        changes=(*(parent.changes if parent else ()), *own_changes),
        investments=(*(parent.investments if parent else ()), *investments),
        sources=(*(parent.sources if parent else ()), *sources),
        description=str(data.get("description", "")).strip(),
        year=year if year is not None else (parent.year if parent else None),
        chain=(*(parent.chain if parent else ()), name),
        file=str(path),
        parent=parent.name if parent else "",
        appraisal=settings,
        parent_file=parent.file if parent else "",
        own_changes=sum(1 for c in changes if not isinstance(c, AddSources)),
    )


def _items(data: LineMap, key: str, ctx: Context, parse: Callable[[Any, Context, int], T]) -> list[T]:
    items = data.get(key) or []
    if not isinstance(items, list):
        ctx.fail(f"{key} must be a list", data.value_line(key), key)
        return []
    out = []
    for item in items:
        line = item.line if isinstance(item, LineMap) else data.value_line(key)
        with contextlib.suppress(Skip):
            out.append(parse(item, ctx, line))
    return out


def _relative(value: Any, folder: Path) -> str:
    """A network or demand name as given, or a path made absolute against the scenario's folder."""
    if value is None:
        return ""
    text = str(value)
    if (folder / text).exists():
        return str((folder / text).resolve())
    return text


def apply_scenario(
    scenario: Scenario | str | Path,
    *,
    network: Network | None = None,
    demand: DemandSet | None = None,
) -> AppliedScenario:
    """Apply a scenario to its base network and demand set (loaded by name unless given).

    The base objects are never changed: the result holds new ones built with
    :func:`dataclasses.replace`.  Every source id a change or investment cites must be in the
    network's ``sources.csv`` or the scenario's own ``sources:``.
    """
    if not isinstance(scenario, Scenario):
        scenario = load_scenario(scenario)
    base = network if network is not None else load_network(scenario.network)
    dem = demand if demand is not None else load_demand(scenario.demand, base)
    overlay = apply_changes(scenario.changes, base, dem)
    _check_sources(scenario, overlay.network)
    return AppliedScenario(scenario, overlay.network, overlay.demand, overlay.disruptions)


def _check_sources(scenario: Scenario, network: Network) -> None:
    known = {s.id for s in network.sources}
    problems = []
    for change in scenario.changes:
        if change.source and change.source not in known:
            problems.append(change.where.problem(f"source id {change.source!r} is not a known source", "source"))
    for inv in scenario.investments:
        for fld, sid in inv.sources.items():
            if sid not in known:
                problems.append(inv.where.problem(f"source id {sid!r} (for {fld}) is not a known source", "source"))
    if problems:
        raise DataError(f"scenario {scenario.name!r} cites unknown sources", problems)
