"""Loading a network folder (``network.toml`` + CSV tables) into a validated :class:`Network`.

Validation collects every problem across every table, then raises one :class:`DataError`
listing each with file, line and column.  Nothing is written; a failed load leaves no trace.
"""

from __future__ import annotations

import difflib
import re
import tomllib
from collections.abc import Callable, Sequence
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

from corridor.errors import DataError, Problem, UnknownNameError
from corridor.limits import LIMITS, MAX_NAME_CHARS, MAX_TEXT_CHARS, check_text
from corridor.network._countries import INTERNATIONAL, ISO_3166_ALPHA2
from corridor.network._model import (
    DEPARTURE_RULES,
    MODES,
    NODE_KINDS,
    SERVICE_KINDS,
    SOURCE_KINDS,
    TRACTIONS,
    Closure,
    Link,
    Network,
    Node,
    Service,
    Source,
    Tariff,
    check_references,
    prechecked_network,
)
from corridor.network._tables import (
    CellError,
    Column,
    Row,
    decode,
    num,
    one_of,
    parse_bool,
    parse_list,
    parse_months,
    read_table_checked,
    subset_of,
)
from corridor.units import CARGO_CLASSES

_ID = re.compile(r"^[A-Za-z0-9_-]+$")


def _ident(text: str) -> str:
    if not _ID.match(text):
        raise CellError(f"expected an id of letters, digits, '_' or '-', got {text!r}")
    return text


def _country(text: str) -> str:
    code = text.strip()
    if code not in ISO_3166_ALPHA2:
        raise CellError(f"expected an ISO 3166-1 alpha-2 country code (e.g. KZ, AZ, GE), got {code!r}")
    return code


def _link_country(text: str) -> str:
    return INTERNATIONAL if text.strip() == INTERNATIONAL else _country(text)


def _year(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise CellError(f"expected a year like 2024, got {text!r}") from None


TARIFF_COLUMNS = (
    num("tariff_usd_per_feu"),
    num("tariff_low_usd_per_feu"),
    num("tariff_high_usd_per_feu"),
    num("tariff_usd_per_t"),
)
# capacity 0 is refused everywhere (CSV and scenarios share these columns): an asset that carries
# nothing is closed, and closing is ``enabled = false`` (docs/limits.md)
CAPACITY_COLUMNS = (
    num("capacity_teu_per_year", positive=True),
    num("capacity_t_per_year", positive=True),
    num("capacity_trains_per_day", positive=True),
)
TEXT_TAIL = (Column("source"), Column("note"))

NODE_COLUMNS: Sequence[Column] = (
    Column("id", _ident, required=True),
    Column("name", required=True),
    Column("country", _country, required=True),
    Column("kind", one_of(NODE_KINDS), required=True),
    num("lat", required=True, min=-90, max=90),
    num("lon", required=True, min=-180, max=180),
    Column("aliases", parse_list),
    Column("border", parse_bool),
    num("dwell_h"),
    num("dwell_p90_h"),
    num("handling_usd_per_teu"),
    num("border_usd_per_teu"),
    *CAPACITY_COLUMNS,
    Column("operator"),
    Column("enabled", parse_bool),
    *TEXT_TAIL,
)
LINK_COLUMNS: Sequence[Column] = (
    Column("id", _ident, required=True),
    Column("from", _ident, required=True, field="from_id"),
    Column("to", _ident, required=True, field="to_id"),
    Column("mode", one_of(MODES), required=True),
    num("distance_km", required=True, positive=True),
    num("time_h", positive=True),
    num("time_p90_h", positive=True),
    num("speed_km_per_h", positive=True),
    num("gauge_mm", integer=True, positive=True),
    *CAPACITY_COLUMNS,
    Column("operator"),
    Column("country", _link_country),
    Column("bidirectional", parse_bool),
    *TARIFF_COLUMNS,
    Column("traction", one_of(TRACTIONS)),
    Column("vessel"),
    Column("cargo", subset_of(CARGO_CLASSES)),
    Column("service", _ident),
    Column("enabled", parse_bool),
    *TEXT_TAIL,
)
SERVICE_COLUMNS: Sequence[Column] = (
    Column("id", _ident, required=True),
    Column("name", required=True),
    Column("link", _ident, required=True, field="link_id"),
    Column("kind", one_of(SERVICE_KINDS), required=True),
    num("fleet", required=True, positive=True, integer=True, max=LIMITS["fleet"].high),
    num("capacity_teu", positive=True),
    num("capacity_t", positive=True),
    num("capacity_wagons", positive=True),
    num("sailing_h", required=True, positive=True),
    num("return_h", positive=True),
    num("port_h"),
    Column("departure", one_of(DEPARTURE_RULES), required=True),
    num("max_wait_h"),
    num("fill_share", positive=True, max=1.0),
    num("headway_h", positive=True),
    Column("operator"),
    *TARIFF_COLUMNS,
    *TEXT_TAIL,
)
CLOSURE_COLUMNS: Sequence[Column] = (
    Column("id", _ident, required=True),
    Column("target", _ident, required=True),
    Column("months", parse_months, required=True),
    num("closed_share", required=True, max=0.99),
    num("episode_mean_h", required=True, positive=True),
    num("episode_min_h"),
    num("episode_max_h", positive=True),
    Column("cause"),
    *TEXT_TAIL,
)
TARIFF_TABLE_COLUMNS: Sequence[Column] = (
    Column("id", _ident, required=True),
    Column("name", required=True),
    Column("from", _ident, required=True, field="from_id"),
    Column("to", _ident, required=True, field="to_id"),
    Column("cargo", subset_of(CARGO_CLASSES)),
    num("amount_usd_per_feu"),
    num("amount_low_usd_per_feu"),
    num("amount_high_usd_per_feu"),
    num("amount_usd_per_t"),
    Column("operator"),
    Column("enabled", parse_bool),
    *TEXT_TAIL,
)
SOURCE_COLUMNS: Sequence[Column] = (
    Column("id", _ident, required=True),
    Column("kind", one_of(SOURCE_KINDS), required=True),
    Column("title", required=True),
    Column("publisher"),
    Column("year", _year),
    Column("url"),
    Column("note"),
)

R = TypeVar("R")


def parse_provenance(text: str, numeric: Sequence[str]) -> dict[str, str]:
    """``id`` or ``fields=id; *=id`` → field → source id (see docs/data-format.md)."""
    text = text.strip()
    if "=" not in text:
        _ident(text)
        return dict.fromkeys(numeric, text)
    mapping: dict[str, str] = {}
    default = ""
    for part in parse_list(text):
        if "=" not in part:
            raise CellError(f"expected 'field=source_id' pairs separated by ';', got {part!r}")
        fields, _, source_id = (p.strip() for p in part.partition("="))
        _ident(source_id)
        for fld in (f.strip() for f in fields.split(",")):
            if fld == "*":
                default = source_id
            elif fld not in numeric:
                raise CellError(f"{fld!r} is not a numeric column of this table (expected one of {', '.join(numeric)})")
            else:
                mapping[fld] = source_id
    if default:
        for fld in numeric:
            mapping.setdefault(fld, default)
    return mapping


def _build(
    rows: list[Row],
    columns: Sequence[Column],
    factory: Callable[..., R],
    file: str,
    problems: list[Problem],
    source_ids: set[str] | None,
) -> list[R]:
    numeric = [c.name for c in columns if c.numeric]
    target = {c.name: c.target for c in columns}
    out: list[R] = []
    for row in rows:
        values: dict[str, Any] = dict(row.values)
        source_text = values.pop("source", "")
        if source_text:
            try:
                prov = parse_provenance(source_text, numeric)
            except CellError as exc:
                problems.append(Problem(file, str(exc), line=row.line, column="source"))
                prov = {}
            else:
                for fld, sid in prov.items():
                    if source_ids is not None and sid not in source_ids:
                        problems.append(
                            Problem(
                                file,
                                f"source id {sid!r} (for {fld}) is not in sources.csv",
                                line=row.line,
                                column="source",
                            )
                        )
                present = [c for c in numeric if row.raw.get(c, "") != ""]
                missing = [c for c in present if c not in prov]
                if missing:
                    problems.append(
                        Problem(
                            file,
                            f"no source for {', '.join(missing)}; add 'field=source_id' or '*=source_id'",
                            line=row.line,
                            column="source",
                        )
                    )
            values["provenance"] = {target[k]: v for k, v in prov.items() if row.raw.get(k, "") != ""}
        for key in ("aliases",):
            if key in values:
                values[key] = tuple(values[key])
        try:
            out.append(factory(**values))
        except TypeError:
            # a required value was bad or missing; already reported by read_table
            continue
    return out


def _row_checks(file: str, rows: list[Row], problems: list[Problem]) -> None:
    """Checks that need several cells of one row."""
    for row in rows:
        v = row.values
        if (
            file == "links.csv"
            and v.get("mode") == "rail"
            and "gauge_mm" not in v
            and row.raw.get("gauge_mm", "") == ""
        ):
            problems.append(
                Problem(file, "rail link needs gauge_mm (e.g. 1435 or 1520)", line=row.line, column="gauge_mm")
            )
        if file == "links.csv" and v.get("from_id") and v.get("from_id") == v.get("to_id"):
            problems.append(Problem(file, "link starts and ends at the same node", line=row.line, column="to"))
        if file == "services.csv":
            if v.get("departure") == "fill_or_timeout" and "max_wait_h" not in v:
                problems.append(
                    Problem(file, "departure fill_or_timeout needs max_wait_h", line=row.line, column="max_wait_h")
                )
            if v.get("departure") == "schedule" and "headway_h" not in v:
                problems.append(Problem(file, "departure schedule needs headway_h", line=row.line, column="headway_h"))
            if not any(k in v for k in ("capacity_teu", "capacity_t", "capacity_wagons")) and not any(
                row.raw.get(k) for k in ("capacity_teu", "capacity_t", "capacity_wagons")
            ):
                problems.append(
                    Problem(
                        file,
                        "a service needs capacity_teu, capacity_t or capacity_wagons",
                        line=row.line,
                        column="capacity_teu",
                    )
                )
        if file == "closures.csv":
            lo, hi = v.get("episode_min_h"), v.get("episode_max_h")
            if lo is not None and hi is not None and lo > hi:
                problems.append(
                    Problem(
                        file,
                        f"episode_min_h ({lo:g}) exceeds episode_max_h ({hi:g})",
                        line=row.line,
                        column="episode_min_h",
                    )
                )
        if (
            file == "tariffs.csv"
            and not any(k.startswith("amount_") for k in v)
            and not any(
                row.raw.get(k)
                for k in ("amount_usd_per_feu", "amount_usd_per_t", "amount_low_usd_per_feu", "amount_high_usd_per_feu")
            )
        ):
            problems.append(
                Problem(
                    file,
                    "a through-tariff needs amount_usd_per_feu or amount_usd_per_t",
                    line=row.line,
                    column="amount_usd_per_feu",
                )
            )
        if "dwell_p90_h" in v and "dwell_h" in v and v["dwell_p90_h"] < v["dwell_h"]:
            problems.append(Problem(file, "dwell_p90_h is below dwell_h", line=row.line, column="dwell_p90_h"))
        if "time_p90_h" in v and "time_h" in v and v["time_p90_h"] < v["time_h"]:
            problems.append(Problem(file, "time_p90_h is below time_h", line=row.line, column="time_p90_h"))


class LineIndex:
    """Line numbers of every record id of a table, built once per table and load — on the first
    lookup, so a valid network pays nothing — after which a lookup per problem is O(1): 13,886
    problems on a 55k-link network cost no more than the rows."""

    def __init__(self, raw_rows: dict[str, list[Row]]) -> None:
        self._rows = raw_rows
        self._lines: dict[str, dict[str, list[int]]] = {}
        self._folded: dict[str, dict[str, list[int]]] = {}

    def _table(self, file: str, folded: bool) -> dict[str, list[int]]:
        if file not in self._lines:
            exact: dict[str, list[int]] = {}
            fold: dict[str, list[int]] = {}
            for row in self._rows.get(file, []):
                rid = row.raw.get("id")
                if rid:
                    exact.setdefault(rid, []).append(row.line)
                    fold.setdefault(rid.casefold(), []).append(row.line)
            self._lines[file], self._folded[file] = exact, fold
        return self._folded[file] if folded else self._lines[file]

    def first(self, file: str, rid: str) -> int | None:
        lines = self._table(file, False).get(rid)
        return lines[0] if lines else None

    def last_folded(self, file: str, rid: str) -> int | None:
        lines = self._table(file, True).get(rid.casefold())
        return lines[-1] if lines else None

    def has(self, file: str, rid: str) -> bool:
        return rid in self._table(file, False)


def _read_manifest(folder: Path, problems: list[Problem]) -> dict[str, Any]:
    path = folder / "network.toml"
    if not path.is_file():
        problems.append(Problem("network.toml", f"missing manifest in {folder}; expected name, version, description"))
        return {}
    data = read_toml(path, "network.toml", problems)
    if data is None:
        return {}
    if not isinstance(data.get("name"), str) or not data.get("name"):
        problems.append(Problem("network.toml", "missing 'name' (a string such as \"middle-corridor\")", column="name"))
    for key in ("version", "description"):
        if key in data and not isinstance(data[key], str):
            problems.append(Problem("network.toml", f"{key!r} must be a string", column=key))
    for key in ("name", "version", "description"):
        if isinstance(data.get(key), str):
            problems += check_text(
                data[key],
                source="network.toml",
                field=key,
                limit=MAX_TEXT_CHARS if key == "description" else MAX_NAME_CHARS,
                allow_newlines=key == "description",
            )
    known = {"name", "version", "description", "format"}
    for key in data:
        if key not in known:
            problems.append(
                Problem("network.toml", f"unknown key {key!r}; expected {', '.join(sorted(known))}", column=key)
            )
    return data


_TOML_AT = re.compile(r"\s*\(at line (\d+), column \d+\)|\s*\(at end of document\)")


def read_toml(path: Path, label: str, problems: list[Problem]) -> dict[str, Any] | None:
    """A TOML manifest (UTF-8, a BOM accepted), or ``None`` with a problem at the file's line."""
    text = decode(path, problems, label=label)
    if text is None:
        return None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        # Python 3.14 gives exc.lineno; before, only the text "(at line 2, column 11)" has it
        where = _TOML_AT.search(str(exc))
        line = getattr(exc, "lineno", None) or (int(where.group(1)) if where else None)
        message = getattr(exc, "msg", _TOML_AT.sub("", str(exc)).strip())
        problems.append(Problem(label, f"malformed TOML: {message}", line=line, expected="valid TOML"))
        return None
    except RecursionError:
        problems.append(Problem(label, "nested too deeply", expected="a flat manifest"))
        return None


_TABLES: tuple[tuple[str, Sequence[Column], Callable[..., Any], bool], ...] = (
    ("nodes.csv", NODE_COLUMNS, Node, True),
    ("links.csv", LINK_COLUMNS, Link, True),
    ("services.csv", SERVICE_COLUMNS, Service, False),
    ("closures.csv", CLOSURE_COLUMNS, Closure, False),
    ("tariffs.csv", TARIFF_TABLE_COLUMNS, Tariff, False),
)


def read_network(folder: Path) -> Network:
    """Read and validate the network in ``folder``; raise :class:`DataError` listing every problem."""
    problems: list[Problem] = []
    if not folder.is_dir():
        raise DataError(
            f"{folder} is not a folder",
            [Problem(str(folder), "expected a network folder with network.toml, nodes.csv and links.csv")],
        )
    manifest = _read_manifest(folder, problems)

    sources: list[Source] = []
    source_ids: set[str] | None = None
    source_path = folder / "sources.csv"
    unreadable: set[str] = set()
    if source_path.exists():
        rows, found, ok = read_table_checked(source_path, SOURCE_COLUMNS, allow_empty=True)
        problems += found
        if not ok:
            unreadable.add("sources.csv")
        sources = _build(rows, SOURCE_COLUMNS, Source, "sources.csv", problems, None)
        # a source row that failed its own checks still exists: citing it is not a second problem
        source_ids = {s.id for s in sources} | {r.raw["id"] for r in rows if r.raw.get("id")} if ok else None

    built: dict[str, list[Any]] = {}
    raw_rows: dict[str, list[Row]] = {}
    for file, columns, factory, required in _TABLES:
        path = folder / file
        if not path.exists():
            if required:
                problems.append(Problem(file, f"missing required table {file} in {folder}", expected="a CSV file"))
                unreadable.add(file)
            built[file] = []
            continue
        rows, found, ok = read_table_checked(path, columns, allow_empty=not required)
        problems += found
        if not ok:
            unreadable.add(file)
        _row_checks(file, rows, problems)
        raw_rows[file] = rows
        if source_ids is None and "sources.csv" not in unreadable and any(r.raw.get("source") for r in rows):
            problems.append(Problem(file, "rows cite sources but there is no sources.csv", column="source"))
            source_ids = set()
        built[file] = _build(rows, columns, factory, file, problems, source_ids)

    records = {file: tuple(built[file]) for file, *_ in _TABLES}
    if not unreadable:
        # checks across tables only when every table could be read: one unreadable nodes.csv is
        # one problem, not a cascade of "node … is not in nodes.csv" for every link
        index = LineIndex(raw_rows)
        cross = check_references(
            records["nodes.csv"],
            records["links.csv"],
            records["services.csv"],
            records["closures.csv"],
            records["tariffs.csv"],
            tuple(sources),
            present={
                table: [r.raw["id"] for r in raw_rows.get(f"{table}.csv", []) if r.raw.get("id")]
                for table in ("nodes", "links", "services")
            },
        )
        problems += [_locate(p, index) for p in cross if not _dangling_only_because_row_was_bad(p, index)]
        problems += _alias_problems(built["nodes.csv"], index)
    if not problems:
        # the references were checked above, with line numbers: not checked a second time
        return prechecked_network(
            name=manifest["name"],
            version=str(manifest.get("version", "")),
            description=str(manifest.get("description", "")),
            nodes=records["nodes.csv"],
            links=records["links.csv"],
            services=records["services.csv"],
            closures=records["closures.csv"],
            tariffs=records["tariffs.csv"],
            sources=tuple(sources),
        )
    raise DataError(f"network in {folder} has {len(problems)} problem(s)", _dedupe(problems))


# which table a reference field points into (check_references sets ``got`` to the referenced id)
_REFERS_TO: dict[tuple[str, str], tuple[str, ...]] = {
    ("links.csv", "from"): ("nodes.csv",),
    ("links.csv", "to"): ("nodes.csv",),
    ("links.csv", "service"): ("services.csv",),
    ("services.csv", "link"): ("links.csv",),
    ("closures.csv", "target"): ("nodes.csv", "links.csv"),
    ("tariffs.csv", "from"): ("nodes.csv",),
    ("tariffs.csv", "to"): ("nodes.csv",),
}


def _dangling_only_because_row_was_bad(problem: Problem, index: LineIndex) -> bool:
    """A reference to a record that exists in the file but failed its own checks is not dangling;
    the record's own problem is already reported."""
    tables = _REFERS_TO.get((problem.source, problem.field or ""))
    if not tables or problem.got is None:
        return False
    return any(index.has(t, problem.got) for t in tables)


def _locate(problem: Problem, index: LineIndex) -> Problem:
    """Give a cross-reference problem the line of the record it names (the later of two duplicates)."""
    if problem.record is None or problem.line is not None:
        return problem
    if problem.field == "id" and problem.message.startswith("duplicate"):
        return problem.located(index.last_folded(problem.source, problem.record))
    return problem.located(index.first(problem.source, problem.record))


def _alias_problems(nodes: list[Node], index: LineIndex) -> list[Problem]:
    owner: dict[str, str] = {}
    problems = []
    for node in nodes:
        for key in (node.id, node.name):
            owner.setdefault(key.casefold(), node.id)
    for node in nodes:
        for alias in node.aliases:
            other = owner.setdefault(alias.casefold(), node.id)
            if other != node.id:
                problems.append(
                    Problem(
                        "nodes.csv",
                        f"alias {alias!r} of {node.id!r} already names node {other!r}",
                        line=index.first("nodes.csv", node.id),
                        column="aliases",
                        record=node.id,
                        expected="an alias no other node uses",
                        got=alias,
                    )
                )
    return problems


def _dedupe(problems: list[Problem]) -> list[Problem]:
    seen: set[Problem] = set()
    out = []
    for p in problems:
        if p not in seen:
            seen.add(p)
            out.append(p)
    return out


def bundled_networks() -> dict[str, Path]:
    """Names of the networks shipped with corridor and their folders."""
    root = resources.files("corridor") / "data" / "networks"
    if not root.is_dir():
        return {}
    return {p.name: Path(str(p)) for p in root.iterdir() if p.is_dir() and (p / "network.toml").is_file()}


def load_network(path_or_name: str | Path) -> Network:
    """Load a network folder, or a bundled network by name (``"middle-corridor"``).

    Raises
    ------
    DataError
        The data are invalid; ``.problems`` lists every problem with file, line and column.
    UnknownNameError
        Neither a folder nor a bundled name.
    """
    path = Path(path_or_name)
    if path.is_dir():
        return read_network(path)
    bundled = bundled_networks()
    if str(path_or_name) in bundled:
        return read_network(bundled[str(path_or_name)])
    if path.exists():
        raise DataError(f"{path} is a file; a network is a folder with network.toml, nodes.csv and links.csv")
    close = difflib.get_close_matches(str(path_or_name), list(bundled), n=3)
    raise UnknownNameError("network (neither a folder nor a bundled name)", str(path_or_name), close or sorted(bundled))
