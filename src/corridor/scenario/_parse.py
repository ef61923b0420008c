"""From a scenario file's YAML (a :class:`LineMap`) to changes and investments.

Every problem names the file and line; parsing collects them all and the caller raises once.
Each kind of change has one parser in :data:`ACTIONS`, a dict registry keyed by the YAML key.
"""

from __future__ import annotations

import datetime as dt
import difflib
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from corridor.demand import FLOW_COLUMNS, Flow
from corridor.errors import clip
from corridor.limits import LIMITS
from corridor.network import Closure, Link, Node, Service, Source, Tariff
from corridor.network.tables import (
    CLOSURE_COLUMNS,
    LINK_COLUMNS,
    NODE_COLUMNS,
    SERVICE_COLUMNS,
    SOURCE_COLUMNS,
    TARIFF_TABLE_COLUMNS,
    CellError,
    Column,
    check_limits,
)
from corridor.scenario._changes import (
    AddVessels,
    Arithmetic,
    Change,
    DatedClosure,
    Growth,
    NewFlow,
    NewRecord,
    SetValues,
    Where,
)
from corridor.scenario._model import INVESTMENT_FIGURES, Investment
from corridor.scenario._yaml import LineMap
from corridor.units import CARGO_CLASSES

#: Columns and record factory of each asset kind, shared with the CSV loader.
COLUMNS: Mapping[str, tuple[Sequence[Column], Callable[..., Any]]] = {
    "node": (NODE_COLUMNS, Node),
    "link": (LINK_COLUMNS, Link),
    "service": (SERVICE_COLUMNS, Service),
    "closure": (CLOSURE_COLUMNS, Closure),
    "tariff": (TARIFF_TABLE_COLUMNS, Tariff),
}


class Skip(Exception):
    """A part of the file was bad; its problem is already recorded."""


@dataclass
class Context:
    """Where we are in the file, the problems found so far, and estimate sources made on the way."""

    file: str
    scenario: str
    problems: list[Any] = field(default_factory=list)
    estimates: list[Source] = field(default_factory=list)

    def fail(self, message: str, line: int | None, column: str | None = None) -> Skip:
        self.problems.append(Where(self.file, line).problem(message, column))
        return Skip()

    def source(self, value: Any, line: int | None) -> str:
        """A source id, or a new estimate source for ``estimate: reasoning``."""
        if isinstance(value, LineMap) and set(value) == {"estimate"}:
            value = f"estimate: {value['estimate']}"
        if not isinstance(value, str) or not value.strip():
            raise self.fail("source must be a source id or 'estimate: reasoning'", line, "source")
        text = value.strip()
        if text.lower().startswith("estimate:"):
            reason = text.split(":", 1)[1].strip()
            if not reason:
                raise self.fail("'estimate:' needs a one-line reasoning after the colon", line, "source")
            for src in self.estimates:
                if src.title == reason:
                    return src.id
            sid = f"est-{self.scenario}-{len(self.estimates) + 1}"
            self.estimates.append(Source(id=sid, kind="estimate", title=reason, publisher=f"scenario {self.scenario}"))
            return sid
        return text


def keys_of(body: Any, ctx: Context, line: int, what: str) -> LineMap:
    if not isinstance(body, LineMap):
        raise ctx.fail(f"{what} must be a mapping of keys to values, got {_kind(body)}", line)
    return body


def unknown_key(ctx: Context, key: str, known: Sequence[str], line: int, what: str) -> None:
    close = difflib.get_close_matches(key, list(known), n=1)
    hint = f"; did you mean {close[0]!r}?" if close else f"; expected one of {', '.join(known)}"
    ctx.fail(f"unknown key {key!r} in {what}{hint}", line, key)


def number(value: Any, ctx: Context, line: int, key: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise ctx.fail(f"{key} must be a number, got {_kind(value)}", line, key)
    try:
        result = float(str(value).replace("_", ""))
    except ValueError:
        raise ctx.fail(f"{key} must be a number, got {clip(value)}", line, key) from None
    if not math.isfinite(result):
        raise ctx.fail(f"{key} must be a finite number, got {clip(value)}", line, key)
    return result


def whole(value: Any, ctx: Context, line: int, key: str) -> int:
    num = number(value, ctx, line, key)
    if num != int(num):
        raise ctx.fail(f"{key} must be a whole number, got {value!r}", line, key)
    return int(num)


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        return ";".join(_text(v) for v in value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _kind(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return repr(value)


def parse_cell(column: Column, value: Any, ctx: Context, line: int, what: str) -> Any:
    """A YAML value checked exactly as the CSV loader checks the same column."""
    if value is None or _text(value) == "":
        raise ctx.fail(f"{what}: {column.name} is empty", line, column.name)
    try:
        parsed = column.parse(_text(value))
    except CellError as exc:
        raise ctx.fail(f"{what}: {column.name}: {exc}", line, column.name) from None
    limit = check_limits(column, parsed)
    if limit:
        raise ctx.fail(f"{what}: {column.name} {limit}", line, column.name)
    if column.name == "aliases":
        parsed = tuple(parsed)
    return parsed


def _target(body: LineMap, ctx: Context, what: str) -> tuple[str, tuple[str, ...]]:
    kinds = [k for k in body if k in COLUMNS]
    if len(kinds) != 1:
        raise ctx.fail(f"{what} needs exactly one of {', '.join(COLUMNS)} naming what to change", body.line)
    kind = kinds[0]
    raw = body[kind]
    ids = tuple(str(v) for v in raw) if isinstance(raw, list) else (str(raw),)
    if not ids or any(not i.strip() for i in ids):
        raise ctx.fail(f"{what}: {kind} id is empty", body.value_line(kind), kind)
    return kind, ids


def _field_values(body: LineMap, kind: str, ctx: Context, what: str, *, numeric_only: bool) -> dict[str, Any]:
    columns = {c.name: c for c in COLUMNS[kind][0] if c.name not in ("id", "source")}
    if numeric_only:
        columns = {n: c for n, c in columns.items() if c.numeric}
    values: dict[str, Any] = {}
    failed = False
    for key, value in body.items():
        if key == kind:
            continue
        if key not in columns:
            unknown_key(ctx, key, list(columns), body.key_line(key), f"{what} of a {kind}")
            failed = True
            continue
        col = columns[key]
        try:
            if numeric_only:
                values[col.target] = number(value, ctx, body.value_line(key), key)
            else:
                values[col.target] = parse_cell(col, value, ctx, body.value_line(key), f"{what} {kind}")
        except Skip:
            failed = True
    if failed:
        raise Skip()
    if not values:
        raise ctx.fail(f"{what} names no field to change", body.line)
    return values


def _set(body: Any, ctx: Context, src: str, line: int) -> Change:
    body = keys_of(body, ctx, line, "set")
    kind, ids = _target(body, ctx, "set")
    values = _field_values(body, kind, ctx, "set", numeric_only=False)
    return SetValues(kind, ids, values, src, Where(ctx.file, body.line))


def _arithmetic(op: str) -> Callable[[Any, Context, str, int], Change]:
    def parse(body: Any, ctx: Context, src: str, line: int) -> Change:
        body = keys_of(body, ctx, line, op)
        kind, ids = _target(body, ctx, op)
        values = _field_values(body, kind, ctx, op, numeric_only=True)
        if op == "scale":
            for key, factor in values.items():
                if factor < 0:
                    ctx.fail(f"scale factor for {key} must be ≥ 0, got {factor:g}", body.value_line(key), key)
        columns = {c.target: c for c in COLUMNS[kind][0]}
        return Arithmetic(op, kind, ids, values, columns, src, Where(ctx.file, body.line))

    return parse


def _switch(enabled: bool) -> Callable[[Any, Context, str, int], Change]:
    def parse(body: Any, ctx: Context, src: str, line: int) -> Change:
        body = keys_of(body, ctx, line, "enable" if enabled else "disable")
        kind, ids = _target(body, ctx, "enable")
        extra = [k for k in body if k != kind]
        for key in extra:
            ctx.fail(f"enable/disable takes only the {kind} id(s); got {key!r}", body.key_line(key), key)
        if extra:
            raise Skip()
        return SetValues(kind, ids, {"enabled": enabled}, src, Where(ctx.file, body.line))

    return parse


def _new(kind: str) -> Callable[[Any, Context, str, int], Change]:
    def parse(body: Any, ctx: Context, src: str, line: int) -> Change:
        body = keys_of(body, ctx, line, f"new_{kind}")
        columns, factory = COLUMNS[kind]
        by_name = {c.name: c for c in columns if c.name != "source"}
        values: dict[str, Any] = {}
        failed = False
        for key, value in body.items():
            if key not in by_name:
                unknown_key(ctx, key, list(by_name), body.key_line(key), f"new_{kind}")
                failed = True
                continue
            try:
                values[by_name[key].target] = parse_cell(by_name[key], value, ctx, body.value_line(key), f"new {kind}")
            except Skip:
                failed = True
        for col in columns:
            if col.required and col.name not in body:
                ctx.fail(f"new {kind} needs {col.name!r}", body.line, col.name)
                failed = True
        if failed:
            raise Skip()
        numeric = [c.target for c in columns if c.numeric and c.target in values]
        values["provenance"] = dict.fromkeys(numeric, src) if src else {}
        return NewRecord(kind, factory(**values), src, Where(ctx.file, body.line))

    return parse


def _growth(body: Any, ctx: Context, src: str, line: int) -> Change:
    if not isinstance(body, LineMap):
        factor = number(body, ctx, line, "growth")
        body = LineMap(line)
        body["factor"] = factor
    known = ("factor", "cargo", "origin", "destination")
    for key in body:
        if key not in known:
            unknown_key(ctx, key, known, body.key_line(key), "growth")
            raise Skip()
    if "factor" not in body:
        raise ctx.fail("growth needs a factor (1.62 = +62%)", body.line, "factor")
    factor = number(body["factor"], ctx, body.value_line("factor"), "factor")
    growth_limit = LIMITS["growth"].problem(factor, source=ctx.file)
    if growth_limit is not None:
        raise ctx.fail(growth_limit.message, body.value_line("factor"), "factor")
    cargo = str(body.get("cargo", ""))
    if cargo and cargo not in CARGO_CLASSES:
        raise ctx.fail(f"cargo must be one of {', '.join(CARGO_CLASSES)}, got {cargo!r}", body.value_line("cargo"))
    return Growth(
        factor, cargo, str(body.get("origin", "")), str(body.get("destination", "")), src, Where(ctx.file, body.line)
    )


def _new_flow(body: Any, ctx: Context, src: str, line: int) -> Change:
    body = keys_of(body, ctx, line, "new_flow")
    by_name = {c.name: c for c in FLOW_COLUMNS if c.name != "source"}
    values: dict[str, Any] = {}
    for key, value in body.items():
        if key not in by_name:
            unknown_key(ctx, key, list(by_name), body.key_line(key), "new_flow")
            raise Skip()
        values[by_name[key].target] = parse_cell(by_name[key], value, ctx, body.value_line(key), "new flow")
    for key in ("origin", "destination", "cargo"):
        if key not in values:
            raise ctx.fail(f"new_flow needs {key!r}", body.line, key)
    unit = "volume_teu_per_year" if values["cargo"] == "container" else "volume_t_per_year"
    if unit not in values:
        raise ctx.fail(f"a {values['cargo']} flow needs {unit}", body.line, unit)
    return NewFlow(Flow(**values), src, Where(ctx.file, body.line))


def _date(value: Any, ctx: Context, line: int, key: str) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise ctx.fail(f"{key} must be a date like 2027-01-15, got {value!r}", line, key) from None


def _closure(body: Any, ctx: Context, src: str, line: int) -> Change:
    body = keys_of(body, ctx, line, "closure")
    known = ("target", "start", "end", "days", "cause")
    for key in body:
        if key not in known:
            unknown_key(ctx, key, known, body.key_line(key), "closure")
            raise Skip()
    for key in ("target", "start"):
        if key not in body:
            raise ctx.fail(f"closure needs {key!r}", body.line, key)
    start = _date(body["start"], ctx, body.value_line("start"), "start")
    if ("end" in body) == ("days" in body):
        raise ctx.fail("closure needs either 'end' (a date) or 'days' (a number)", body.line)
    if "days" in body:
        days = whole(body["days"], ctx, body.value_line("days"), "days")
        if not 1 <= days <= LIMITS["days"].high:
            raise ctx.fail(
                f"days must be in [1, {LIMITS['days'].high:g}], got {days:g}", body.value_line("days"), "days"
            )
        end = start + dt.timedelta(days=days - 1)
    else:
        end = _date(body["end"], ctx, body.value_line("end"), "end")
        if end < start:
            raise ctx.fail(f"end {end} is before start {start}", body.value_line("end"), "end")
    return DatedClosure(str(body["target"]), start, end, str(body.get("cause", "")), src, Where(ctx.file, body.line))


def _add_vessels(body: Any, ctx: Context, src: str, line: int) -> Change:
    body = keys_of(body, ctx, line, "add_vessels")
    known = ("service", "vessels", "capacity_teu", "capacity_t")
    for key in body:
        if key not in known:
            unknown_key(ctx, key, known, body.key_line(key), "add_vessels")
            raise Skip()
    if "service" not in body or "vessels" not in body:
        raise ctx.fail("add_vessels needs 'service' and 'vessels'", body.line)
    caps: dict[str, float | None] = {}
    for key in ("capacity_teu", "capacity_t"):
        caps[key] = number(body[key], ctx, body.value_line(key), key) if key in body else None
        if caps[key] is not None and caps[key] <= 0:  # type: ignore[operator]
            raise ctx.fail(f"{key} must be > 0", body.value_line(key), key)
    vessels = whole(body["vessels"], ctx, body.value_line("vessels"), "vessels")
    fleet_limit = LIMITS["fleet"]
    if not -fleet_limit.high <= vessels <= fleet_limit.high:
        raise ctx.fail(
            f"vessels must be a whole number in [{-fleet_limit.high:g}, {fleet_limit.high:g}] ({fleet_limit.reason})",
            body.value_line("vessels"),
            "vessels",
        )
    return AddVessels(
        str(body["service"]), vessels, caps["capacity_teu"], caps["capacity_t"], src, Where(ctx.file, body.line)
    )


#: YAML key of a change → its parser.
ACTIONS: Mapping[str, Callable[[Any, Context, str, int], Change]] = {
    "set": _set,
    "add": _arithmetic("add"),
    "scale": _arithmetic("scale"),
    "enable": _switch(True),
    "disable": _switch(False),
    "add_vessels": _add_vessels,
    "new_node": _new("node"),
    "new_link": _new("link"),
    "new_service": _new("service"),
    "new_closure": _new("closure"),
    "new_tariff": _new("tariff"),
    "growth": _growth,
    "new_flow": _new_flow,
    "closure": _closure,
}


def parse_change(item: Any, ctx: Context, line: int) -> Change:
    """One entry of ``changes:``: one action key, plus ``source`` and ``note``."""
    item = keys_of(item, ctx, line, "a change")
    actions = [k for k in item if k in ACTIONS]
    for key in item:
        if key not in ACTIONS and key not in ("source", "note"):
            unknown_key(ctx, key, [*ACTIONS, "source", "note"], item.key_line(key), "a change")
    if len(actions) != 1:
        got = f" (got {', '.join(actions)})" if actions else ""
        raise ctx.fail(f"a change needs exactly one of {', '.join(ACTIONS)}{got}", item.line)
    src = ctx.source(item["source"], item.value_line("source")) if "source" in item else ""
    action = actions[0]
    return ACTIONS[action](item[action], ctx, src, item.value_line(action))


def parse_investment(item: Any, ctx: Context, line: int) -> Investment:
    item = keys_of(item, ctx, line, "an investment")
    known = ("id", "name", *INVESTMENT_FIGURES, "start_year", "source", "note")
    for key in item:
        if key not in known:
            unknown_key(ctx, key, known, item.key_line(key), "an investment")
    for key in ("id", "name", *INVESTMENT_FIGURES, "start_year", "source"):
        if key not in item:
            raise ctx.fail(f"an investment needs {key!r}", item.line, key)
    capex = number(item["capex_usd"], ctx, item.value_line("capex_usd"), "capex_usd")
    opex = number(item["opex_usd_per_year"], ctx, item.value_line("opex_usd_per_year"), "opex_usd_per_year")
    for key, value in (("capex_usd", capex), ("opex_usd_per_year", opex)):
        if value < 0:
            raise ctx.fail(f"{key} must be ≥ 0, got {value:,.0f}", item.value_line(key), key)
    ints = {k: whole(item[k], ctx, item.value_line(k), k) for k in ("build_years", "lifetime_years", "start_year")}
    if ints["build_years"] < 0 or ints["lifetime_years"] < 1:
        raise ctx.fail("build_years must be ≥ 0 and lifetime_years ≥ 1", item.line)
    raw = item["source"]
    sources: dict[str, str] = {}
    if isinstance(raw, LineMap) and set(raw) != {"estimate"}:
        for key, value in raw.items():
            targets = INVESTMENT_FIGURES if key == "*" else (key,)
            if key != "*" and key not in INVESTMENT_FIGURES:
                unknown_key(ctx, key, [*INVESTMENT_FIGURES, "*"], raw.key_line(key), "an investment's source")
                continue
            sid = ctx.source(value, raw.value_line(key))
            for tgt in targets:
                sources.setdefault(tgt, sid)
        missing = [f for f in INVESTMENT_FIGURES if f not in sources]
        if missing:
            ctx.fail(f"no source for {', '.join(missing)}; add it or use '*'", raw.line, "source")
    else:
        sid = ctx.source(raw, item.value_line("source"))
        sources = dict.fromkeys(INVESTMENT_FIGURES, sid)
    return Investment(
        id=str(item["id"]),
        name=str(item["name"]),
        capex_usd=capex,
        opex_usd_per_year=opex,
        start_year=ints["start_year"],
        build_years=ints["build_years"],
        lifetime_years=ints["lifetime_years"],
        sources=sources,
        note=str(item.get("note", "")),
        where=Where(ctx.file, item.line),
    )


def parse_sources(items: Any, ctx: Context, line: int) -> list[Source]:
    """The scenario's own ``sources:`` list, checked like ``sources.csv``."""
    if not isinstance(items, list):
        raise ctx.fail("sources must be a list", line, "sources")
    out = []
    for item in items:
        try:
            body = keys_of(item, ctx, line, "a source")
            by_name = {c.name: c for c in SOURCE_COLUMNS}
            values = {}
            for key, value in body.items():
                if key not in by_name:
                    unknown_key(ctx, key, list(by_name), body.key_line(key), "a source")
                    raise Skip()
                values[by_name[key].target] = parse_cell(by_name[key], value, ctx, body.value_line(key), "source")
            for col in SOURCE_COLUMNS:
                if col.required and col.name not in body:
                    raise ctx.fail(f"a source needs {col.name!r}", body.line, col.name)
            out.append(Source(**values))
        except Skip:
            continue
    return out
