"""Reading CSV tables against a schema, collecting every problem with file, line and column.

A schema is a list of :class:`Column`; :func:`read_table` returns typed rows (``dict`` of field
name to value, plus the row's line number) and the problems it found.  It never raises for bad
content: the caller collects problems from every table and raises once.
"""

from __future__ import annotations

import csv
import difflib
import io
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from corridor.errors import Problem, clip
from corridor.limits import MAX_NAME_CHARS, MAX_TEXT_CHARS, check_text

MAX_FILE_BYTES = 512 * 1024 * 1024
"""Largest table read (a 10^6-link network is ~150 MB of CSV); larger files are refused unread."""

NAME_COLUMNS = frozenset(
    {"id", "name", "aliases", "from", "to", "link", "target", "service", "operator", "kind", "origin", "destination"}
)
"""Columns holding ids and names: at most ``MAX_NAME_CHARS`` printable characters, no newlines."""

Parser = Callable[[str], Any]


class CellError(ValueError):
    """A cell's text is not what its column expects; the message says what was expected.

    ``expected`` and ``got``, when given, become the :class:`Problem`'s structured fields."""

    def __init__(self, message: str, *, expected: str | None = None, got: str | None = None) -> None:
        super().__init__(message)
        self.expected = expected
        self.got = got


def parse_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise CellError(f"expected a number, got {clip(text)}", expected="a number", got=text) from None
    if not math.isfinite(value):
        raise CellError(f"expected a finite number, got {text!r}", expected="a finite number", got=text)
    return value


def parse_int(text: str) -> int:
    value = parse_float(text)
    if value != int(value):
        raise CellError(f"expected a whole number, got {text!r}")
    return int(value)


def parse_bool(text: str) -> bool:
    low = text.strip().lower()
    if low in ("true", "yes", "1"):
        return True
    if low in ("false", "no", "0"):
        return False
    raise CellError(f"expected true or false, got {text!r}")


def parse_list(text: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in text.split(";") if part.strip())


def parse_months(text: str) -> frozenset[int]:
    """``11-2`` (a range that may wrap the year) or ``1;2;11;12``."""
    try:
        if "-" in text:
            lo, hi = (int(p) for p in text.split("-", 1))
            if not (1 <= lo <= 12 and 1 <= hi <= 12):
                raise ValueError
            span = range(lo, hi + 1) if lo <= hi else [*range(lo, 13), *range(1, hi + 1)]
            return frozenset(span)
        months = frozenset(int(p) for p in parse_list(text))
    except ValueError:
        raise CellError(f"expected months as a range like 11-2 or a list like 1;2;12, got {text!r}") from None
    if not months or not all(1 <= m <= 12 for m in months):
        raise CellError(f"expected months between 1 and 12, got {text!r}")
    return months


def one_of(choices: Sequence[str]) -> Parser:
    def parse(text: str) -> str:
        value = text.strip()
        if value not in choices:
            close = difflib.get_close_matches(value, choices, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise CellError(
                f"expected one of {', '.join(choices)}; got {clip(value)}{hint}",
                expected=f"one of {', '.join(choices)}",
                got=value,
            )
        return value

    return parse


def subset_of(choices: Sequence[str]) -> Parser:
    check = one_of(choices)

    def parse(text: str) -> frozenset[str]:
        return frozenset(check(part) for part in parse_list(text))

    return parse


@dataclass(frozen=True)
class Column:
    """One column: its CSV name, the record field it fills, how to parse it, and limits."""

    name: str
    parse: Parser = str
    required: bool = False
    field: str = ""
    min: float | None = None
    max: float | None = None
    positive: bool = False
    numeric: bool = False

    @property
    def target(self) -> str:
        return self.field or self.name


def num(
    name: str,
    *,
    required: bool = False,
    positive: bool = False,
    field: str = "",
    min: float | None = 0.0,
    max: float | None = None,
    integer: bool = False,
) -> Column:
    """A numeric column; by default it must be ≥ 0."""
    return Column(name, parse_int if integer else parse_float, required, field, min, max, positive, True)


@dataclass(frozen=True)
class Row:
    line: int
    values: dict[str, Any]
    raw: dict[str, str]


def decode(path: Path, problems: list[Problem], *, label: str | None = None) -> str | None:
    """The file's text (a UTF-8 BOM is accepted), or ``None`` with a problem: the line of the first
    bad byte, or why the file cannot be read (a folder, no permission, too large)."""
    name = label or path.name
    try:
        if path.is_dir():
            problems.append(Problem(name, "is a folder; expected a file", expected="a file", got="a folder"))
            return None
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            problems.append(
                Problem(name, f"file of {size:,} bytes; at most {MAX_FILE_BYTES:,} read", expected="a smaller file")
            )
            return None
        data = path.read_bytes()
    except OSError as exc:
        problems.append(Problem(name, f"cannot read the file: {exc.strerror or exc}", expected="a readable file"))
        return None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        problems.append(
            Problem(
                name,
                f"not valid UTF-8 (byte 0x{data[exc.start]:02x}); save the file as UTF-8",
                line=line,
                expected="UTF-8 text",
                got=f"byte 0x{data[exc.start]:02x}",
            )
        )
        return None


def read_table(
    path: Path, columns: Sequence[Column], *, label: str | None = None, allow_empty: bool = False
) -> tuple[list[Row], list[Problem]]:
    """Parse ``path`` against ``columns``.  Unknown columns, missing required columns, and bad
    cells are reported; rows with bad cells are still returned (without the bad values) so that
    later checks can run on the rest.  A header with no rows is a problem unless ``allow_empty``
    (optional tables: "none of these")."""
    rows, problems, _ = read_table_checked(path, columns, label=label, allow_empty=allow_empty)
    return rows, problems


def read_table_checked(  # noqa: C901 - being reworked by its owner; split it next (issue 12)
    path: Path, columns: Sequence[Column], *, label: str | None = None, allow_empty: bool = False
) -> tuple[list[Row], list[Problem], bool]:
    """:func:`read_table`, plus whether the table as a whole was readable: ``False`` when the file
    cannot be read, is not UTF-8 or CSV, or lacks a required column — then checks that depend on
    the table's records would only repeat one root cause, and the caller skips them."""
    name = label or path.name
    problems: list[Problem] = []
    text = decode(path, problems, label=name)
    if text is None:
        return [], problems, False
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [h.strip() for h in next(reader)]
    except StopIteration:
        return [], [Problem(name, "the file is empty; expected a header row", line=1)], False
    except csv.Error as exc:
        return [], [Problem(name, f"malformed CSV: {exc}", line=1)], False
    by_name = {c.name: c for c in columns}
    for heading in header:
        if heading == "":
            problems.append(Problem(name, "empty column name in the header", line=1))
        elif heading not in by_name:
            close = difflib.get_close_matches(heading, list(by_name), n=1)
            hint = f"; did you mean {close[0]!r}?" if close else f"; expected columns: {', '.join(by_name)}"
            problems.append(Problem(name, f"unknown column {heading!r}{hint}", line=1, column=heading))
    dupes = {h for h in header if h and header.count(h) > 1}
    for heading in sorted(dupes):
        problems.append(Problem(name, f"column {heading!r} appears more than once", line=1, column=heading))
    readable = True
    for col in columns:
        if col.required and col.name not in header:
            problems.append(Problem(name, f"missing required column {col.name!r}", line=1, column=col.name))
            readable = False
    rows: list[Row] = []
    try:
        for cells in reader:
            line = reader.line_num
            if not any(c.strip() for c in cells):
                continue
            if len(cells) != len(header):
                problems.append(
                    Problem(name, f"expected {len(header)} cells as in the header, got {len(cells)}", line=line)
                )
                continue
            raw = {h: c.strip() for h, c in zip(header, cells, strict=True) if h in by_name}
            values: dict[str, Any] = {}
            for col_name, text in raw.items():
                col = by_name[col_name]
                if not col.numeric:  # a number with a control character fails to parse anyway
                    bad_text = check_text(
                        text,
                        source=name,
                        field=col_name,
                        line=line,
                        limit=MAX_NAME_CHARS if col_name in NAME_COLUMNS else MAX_TEXT_CHARS,
                        allow_newlines=col_name not in NAME_COLUMNS,
                    )
                    if bad_text:
                        problems += bad_text
                        continue
                if text == "":
                    if col.required:
                        problems.append(Problem(name, "required value is empty", line=line, column=col_name))
                    continue
                try:
                    value = col.parse(text)
                except CellError as exc:
                    problems.append(Problem(name, str(exc), line, col_name, expected=exc.expected, got=_short(exc.got)))
                    continue
                limit = _check_limits(col, value)
                if limit:
                    problems.append(Problem(name, limit, line=line, column=col_name))
                    continue
                values[col.target] = value
            rows.append(Row(line, values, raw))
    except csv.Error as exc:
        problems.append(Problem(name, f"malformed CSV: {exc}", line=reader.line_num))
        readable = False
    if not rows and not problems and not allow_empty:
        problems.append(Problem(name, "the table has a header but no rows", line=2, expected="at least one row"))
    return rows, problems, readable


def _short(text: str | None) -> str | None:
    return None if text is None or len(text) <= MAX_NAME_CHARS else text[:MAX_NAME_CHARS] + "…"


def _check_limits(col: Column, value: Any) -> str | None:
    if not col.numeric:
        return None
    if col.positive and value <= 0:
        hint = "; to close the asset set enabled to false" if col.name.startswith("capacity") else ""
        return f"expected a number greater than 0, got {value:g}{hint}"
    if col.min is not None and value < col.min:
        return f"expected a number ≥ {col.min:g}, got {value:g}"
    if col.max is not None and value > col.max:
        return f"expected a number ≤ {col.max:g}, got {value:g}"
    return None
