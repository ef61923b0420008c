"""Adversarial networks: every table, column and whole-file failure the loader must name.

Each case mutates a copy of the mini network and runs ``corridor network validate`` on it; the
outcome class and the location in the message (``file:line [field]``) are asserted.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from pathlib import Path

import pytest

from .conftest import Case, check_outcome, no_partial_files, run_cli


def cell(table: str, line: int, column: str, value: str) -> Callable[[Path], None]:
    """Set one cell (``line`` is the file's line, the header being line 1)."""

    def make(folder: Path) -> None:
        path = folder / "net" / table
        rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))
        rows[line - 1][rows[0].index(column)] = value
        buf = io.StringIO()
        csv.writer(buf, lineterminator="\n").writerows(rows)
        path.write_text(buf.getvalue(), encoding="utf-8")

    return make


def append(table: str, text: str) -> Callable[[Path], None]:
    def make(folder: Path) -> None:
        path = folder / "net" / table
        path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")

    return make


def replace_bytes(table: str, data: bytes) -> Callable[[Path], None]:
    def make(folder: Path) -> None:
        (folder / "net" / table).write_bytes(data)

    return make


def transform(table: str, fn: Callable[[bytes], bytes]) -> Callable[[Path], None]:
    def make(folder: Path) -> None:
        path = folder / "net" / table
        path.write_bytes(fn(path.read_bytes()))

    return make


def remove(table: str) -> Callable[[Path], None]:
    def make(folder: Path) -> None:
        (folder / "net" / table).unlink()

    return make


def as_folder(table: str) -> Callable[[Path], None]:
    def make(folder: Path) -> None:
        (folder / "net" / table).unlink()
        (folder / "net" / table).mkdir()

    return make


def header_only(table: str) -> Callable[[Path], None]:
    def make(folder: Path) -> None:
        path = folder / "net" / table
        path.write_text(path.read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")

    return make


def both(*makers: Callable[[Path], None]) -> Callable[[Path], None]:
    def make(folder: Path) -> None:
        for m in makers:
            m(folder)

    return make


def err(i: str, make: Callable[[Path], None], *expect: str) -> Case:
    return Case(i, "error", expect, make)


def ok(i: str, make: Callable[[Path], None]) -> Case:
    return Case(i, "ok", (), make)


N, L, S, C, SRC = "nodes.csv", "links.csv", "services.csv", "closures.csv", "sources.csv"

# bad cells: (table, line, column, value, where the message must point)
BAD_CELLS = [
    (N, 2, "country", "XX"), (N, 2, "country", "kz"), (N, 3, "country", ""), (N, 2, "kind", "castle"),
    (N, 2, "lat", "91"), (N, 2, "lat", "abc"), (N, 2, "lat", "nan"), (N, 2, "lat", "inf"), (N, 2, "lat", "-inf"),
    (N, 2, "lat", "1e400"), (N, 2, "lon", "181"), (N, 2, "dwell_h", "-1"), (N, 3, "capacity_teu_per_year", "0"),
    (N, 3, "capacity_teu_per_year", "-5"), (N, 3, "capacity_teu_per_year", "nan"), (N, 2, "name", "Al\x00pha"),
    (N, 2, "name", "Al\x1bpha"), (N, 2, "name", "A" * 300), (N, 2, "name", ""), (N, 2, "id", "a b"),
    (N, 2, "id", ""), (N, 2, "id", "A" * 300), (N, 3, "border", "maybe"), (N, 2, "aliases", "Gamma Gate"),
    (N, 2, "dwell_p90_h", "1"), (N, 2, "operator", "CR\x07"),
    (L, 2, "distance_km", "0"), (L, 2, "distance_km", "-1"), (L, 2, "distance_km", "far"),
    (L, 2, "gauge_mm", "1435.5"), (L, 2, "gauge_mm", ""), (L, 2, "from", "NOPE"), (L, 3, "to", "G"),
    (L, 2, "mode", "teleport"), (L, 5, "service", "F9"), (L, 2, "country", "ZZ"), (L, 2, "traction", "steam"),
    (L, 2, "time_h", "0"), (L, 2, "from", "A\x00"),
    (S, 2, "fleet", "0"), (S, 2, "fleet", "1.5"), (S, 2, "fleet", "1000000000"), (S, 2, "departure", "whenever"),
    (S, 2, "max_wait_h", ""), (S, 2, "link", "NOPE"), (S, 2, "capacity_teu", "0"), (S, 2, "sailing_h", "inf"),
    (C, 2, "closed_share", "1.5"), (C, 2, "months", "13"), (C, 2, "months", "x-y"), (C, 2, "episode_min_h", "500"),
    (C, 2, "target", "NOPE"), (C, 2, "episode_mean_h", "0"),
    (SRC, 2, "kind", "rumour"), (SRC, 2, "year", "last year"), (N, 2, "source", "nowhere"),
]  # fmt: skip

CASES: list[Case] = [
    err(f"{t}:{line}:{col}={v[:12]!r}", cell(t, line, col, v), f"{t}:{line}") for t, line, col, v in BAD_CELLS
]
CASES += [
    # whole files: one root cause, one message
    err("nodes-binary", replace_bytes(N, b"\x89PNG\r\n\x1a\n\x00\xff\xfe garbage"), "nodes.csv:1", "UTF-8"),
    err("nodes-empty", replace_bytes(N, b""), "nodes.csv:1", "empty"),
    err("nodes-a-folder", as_folder(N), "nodes.csv", "folder"),
    err("nodes-missing", remove(N), "nodes.csv", "missing required table"),
    err("links-missing", remove(L), "links.csv", "missing required table"),
    err("manifest-missing", remove("network.toml"), "network.toml", "missing manifest"),
    err("manifest-malformed", replace_bytes("network.toml", b'name = "x"\nversion = \n'), "network.toml:2"),
    err("manifest-unknown-key", append("network.toml", "colour = 'red'\n"), "unknown key 'colour'"),
    err("manifest-name-number", replace_bytes("network.toml", b"name = 3\n"), "network.toml [name]"),
    err(
        "manifest-nul-description",
        replace_bytes("network.toml", b'name = "x"\ndescription = "a\\u0000b"\n'),
        "network.toml [description]",
        "U+0000",
    ),
    err("manifest-deep", replace_bytes("network.toml", b"name = " + b"[" * 5000 + b"]" * 5000 + b"\n"), "network.toml"),
    err("nodes-header-only", header_only(N), "nodes.csv:2", "header but no rows"),
    err("unknown-column", transform(N, lambda b: b.replace(b"operator,", b"operatr,", 1)), "did you mean 'operator'"),
    err(
        "duplicate-column",
        transform(N, lambda b: b.replace(b"operator,source", b"operator,operator", 1)),
        "appears more than once",
    ),
    err(
        "missing-required-column",
        transform(N, lambda b: b.replace(b",country,", b",countri,", 1)),
        "missing required column 'country'",
    ),
    err("ragged-row", append(N, "X1,Extra,KZ\n"), "nodes.csv:8", "expected 15 cells"),
    err("unterminated-quote", append(N, 'X1,"Extra,KZ,port,1,1,,,,,,,,,hand\n'), "nodes.csv"),
    err("duplicate-node-id", append(N, "A,Alpha two,CN,terminal,44,80,,,,,,,,,hand\n"), "nodes.csv:8", "duplicate id"),
    err(
        "node-ids-differ-by-case",
        append(N, "a,Alpha small,CN,terminal,44,80,,,,,,,,,hand\n"),
        "nodes.csv:8",
        "case-insensitive",
    ),
    err(
        "link-ids-differ-by-case",
        append(L, "ag,A,G,rail,200,10,1435,CR,CN,300,,,electric,,,hand\n"),
        "links.csv:7",
        "case-insensitive",
    ),
    err("gauge-break", cell(L, 3, "gauge_mm", "1435"), "gauge mismatch"),
    err("cites-missing-sources", remove(SRC), "no sources.csv"),
    err(
        "latin1-names",
        transform(N, lambda b: b.replace("Альфа".encode(), "Gr\xfcn".encode("latin-1"))),
        "nodes.csv:2",
        "UTF-8",
    ),
    # valid variations are accepted
    ok("bom-csv", transform(N, lambda b: b"\xef\xbb\xbf" + b)),
    ok("bom-toml", transform("network.toml", lambda b: b"\xef\xbb\xbf" + b)),
    ok("crlf-csv", transform(L, lambda b: b.replace(b"\n", b"\r\n"))),
    ok("crlf-toml", transform("network.toml", lambda b: b.replace(b"\n", b"\r\n"))),
    ok("header-only-closures", header_only(C)),
    ok("no-closures-file", remove(C)),
    ok(
        "multi-line-quoted-note",
        transform(
            N, lambda b: b.replace(b",source\n", b",source,note\n", 1).replace(b",hand\n", b',hand,"two\nlines"\n')
        ),
    ),
    ok("tab-in-name", cell(N, 2, "name", "Alpha\tEast")),
    ok("unicode-names", cell(N, 2, "name", "Ələt — Алят")),
    ok("name-200-chars", cell(N, 2, "name", "A" * 200)),
]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_network_case(case: Case, workdir: Path) -> None:
    case.make(workdir)
    result = run_cli(["network", "validate", str(workdir / "net")])
    check_outcome(case, result)
    assert not no_partial_files(workdir)


def test_one_unreadable_table_is_one_problem(workdir: Path) -> None:
    """A broken nodes.csv used to cascade into ~120 problems (every link, closure and tariff)."""
    (workdir / "net" / N).write_bytes(b"\xff\xfe\x00binary")
    result = run_cli(["network", "validate", str(workdir / "net")])
    assert result.code == 1
    assert "1 problem(s)" in result.err and result.err.count("nodes.csv") == 1


def test_problems_are_grouped_capped_and_all_on_request(workdir: Path) -> None:
    rows = "".join(f"N{i},Node {i},XX,terminal,40,50,,,,,,,,,hand\n" for i in range(120))
    append(N, rows)(workdir)
    result = run_cli(["network", "validate", str(workdir / "net")])
    assert result.code == 1
    assert "120 × nodes.csv [country]" in result.err
    assert result.err.count("expected an ISO 3166-1") == 50
    assert "… 70 more not shown" in result.err
    full = run_cli(["network", "validate", "--all", str(workdir / "net")])
    assert full.err.count("expected an ISO 3166-1") == 120
    listing = workdir / "problems.txt"
    run_cli(["network", "validate", "--problems", str(listing), str(workdir / "net")])
    lines = listing.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 120 and lines[0].startswith("nodes.csv:8 [country]")


def test_case_duplicate_no_longer_routes_to_the_other(workdir: Path) -> None:
    """``KZAAU`` and ``kzaau`` both accepted let ``route`` silently pick the other one."""
    append(N, "z,zulu two,GE,terminal,41.7,44.8,,,6,,,,,,hand\n")(workdir)
    result = run_cli(["route", "A", "z", "-n", str(workdir / "net")])
    assert result.code == 1 and "nodes.csv:8" in result.err and "case-insensitive" in result.err
