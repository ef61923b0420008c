"""A corpus of malformed networks: each must fail with a clean error naming file and line."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from corridor.errors import DataError
from corridor.network import load_network


def _replace(file: str, old: str, new: str) -> Callable[[Path], None]:
    def mutate(folder: Path) -> None:
        path = folder / file
        text = path.read_text(encoding="utf-8")
        assert old in text, f"fixture drifted: {old!r} not in {file}"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    return mutate


def _append(file: str, line: str) -> Callable[[Path], None]:
    def mutate(folder: Path) -> None:
        with (folder / file).open("a", encoding="utf-8") as fh:
            fh.write(line + "\n")

    return mutate


def _write_bytes(file: str, data: bytes) -> Callable[[Path], None]:
    def mutate(folder: Path) -> None:
        (folder / file).write_bytes(data)

    return mutate


def _delete(file: str) -> Callable[[Path], None]:
    def mutate(folder: Path) -> None:
        (folder / file).unlink()

    return mutate


# (case id, mutation, file named in the error, line named (None: file-level), text in the message)
CORPUS: list[tuple[str, Callable[[Path], None], str, int | None, str]] = [
    ("missing-nodes", _delete("nodes.csv"), "nodes.csv", None, "missing required table"),
    ("missing-manifest", _delete("network.toml"), "network.toml", None, "missing manifest"),
    (
        "missing-column",
        _replace("links.csv", "distance_km,", ""),
        "links.csv",
        1,
        "missing required column 'distance_km'",
    ),
    ("unknown-column", _replace("nodes.csv", "dwell_h,", "dwel_h,"), "nodes.csv", 1, "did you mean 'dwell_h'"),
    (
        "duplicate-node",
        _append("nodes.csv", "A,Again,KZ,junction,44,80,,,,,,,,,hand"),
        "nodes.csv",
        8,
        "duplicate id 'A'",
    ),
    ("dangling-endpoint", _replace("links.csv", "AG,A,G", "AG,A,XX9"), "links.csv", 2, "'XX9' is not in nodes.csv"),
    ("unknown-mode", _replace("links.csv", "ferry,400", "feri,400"), "links.csv", 5, "did you mean 'ferry'"),
    ("unknown-kind", _replace("nodes.csv", "junction", "crossroads"), "nodes.csv", 4, "expected one of terminal"),
    ("unknown-country", _replace("nodes.csv", "Zulu,GE", "Zulu,GEO"), "nodes.csv", 7, "ISO 3166-1"),
    (
        "non-numeric",
        _replace("links.csv", "GJ,G,J,rail,300", "GJ,G,J,rail,three hundred"),
        "links.csv",
        3,
        "expected a number",
    ),
    ("nan", _replace("links.csv", "GJ,G,J,rail,300", "GJ,G,J,rail,nan"), "links.csv", 3, "finite"),
    ("inf", _replace("nodes.csv", "44.0,84.0", "inf,84.0"), "nodes.csv", 4, "finite"),
    ("zero-distance", _replace("links.csv", "JP,J,P,rail,1000", "JP,J,P,rail,0"), "links.csv", 4, "greater than 0"),
    (
        "negative-distance",
        _replace("links.csv", "QZ,Q,Z,rail,500", "QZ,Q,Z,rail,-500"),
        "links.csv",
        6,
        "greater than 0",
    ),
    ("latitude-range", _replace("nodes.csv", "43.5,51.0", "93.5,51.0"), "nodes.csv", 5, "≤ 90"),
    ("longitude-range", _replace("nodes.csv", "40.0,49.5", "40.0,189.5"), "nodes.csv", 6, "≤ 180"),
    ("bad-encoding", _write_bytes("sources.csv", b"id,kind,title\nhand,estimate,caf\xe9\n"), "sources.csv", 2, "UTF-8"),
    ("empty-table", _write_bytes("links.csv", b""), "links.csv", 1, "empty"),
    ("header-only", _write_bytes("nodes.csv", b"id,name,country,kind,lat,lon\n"), "nodes.csv", 2, "no rows"),
    (
        "unknown-source",
        _replace(
            "links.csv", "1000,600,1600,mgo,ropax_2000_4999gt,F1,hand", "1000,600,1600,mgo,ropax_2000_4999gt,F1,nobody"
        ),
        "links.csv",
        None,
        "not in sources.csv",
    ),
    (
        "uncovered-number",
        _replace("nodes.csv", "24,48,80,,50000,,hand", "24,48,80,,50000,,dwell_h=hand"),
        "nodes.csv",
        5,
        "no source for",
    ),
    (
        "gauge-mismatch",
        _replace("links.csv", "GJ,G,J,rail,300,10,1520", "GJ,G,J,rail,300,10,1435"),
        "links.csv",
        3,
        "gauge mismatch at node 'J'",
    ),
    (
        "rail-without-gauge",
        _replace("links.csv", "JP,J,P,rail,1000,24,1520", "JP,J,P,rail,1000,24,"),
        "links.csv",
        4,
        "needs gauge_mm",
    ),
    (
        "service-unknown-link",
        _replace("services.csv", "F1,East-West ferry,PQ", "F1,East-West ferry,PX"),
        "services.csv",
        2,
        "'PX' is not in links.csv",
    ),
    (
        "fill-without-wait",
        _replace("services.csv", "fill_or_timeout,48", "fill_or_timeout,"),
        "services.csv",
        2,
        "needs max_wait_h",
    ),
    ("zero-fleet", _replace("services.csv", "ferry,2,100", "ferry,0,100"), "services.csv", 2, "greater than 0"),
    ("closure-bad-months", _replace("closures.csv", "11-2", "13-2"), "closures.csv", 2, "months"),
    (
        "closure-unknown-target",
        _replace("closures.csv", "P-winter,P,", "P-winter,PP,"),
        "closures.csv",
        2,
        "neither a node nor a link",
    ),
    ("closure-share", _replace("closures.csv", "0.2,72", "1.5,72"), "closures.csv", 2, "≤ 0.99"),
    ("ragged-row", _append("links.csv", "X1,A,G,rail"), "links.csv", 7, "cells"),
    ("malformed-toml", _write_bytes("network.toml", b'name = "mini\n'), "network.toml", None, "malformed TOML"),
    ("alias-collision", _replace("nodes.csv", "Kvyu", "alfa"), "nodes.csv", 6, "already names node"),
    (
        "bad-bool",
        _replace("nodes.csv", "gauge_change,44.0,82.0,,true", "gauge_change,44.0,82.0,,maybe"),
        "nodes.csv",
        3,
        "true or false",
    ),
]


@pytest.mark.parametrize(("case", "mutate", "file", "line", "text"), CORPUS, ids=[c[0] for c in CORPUS])
def test_malformed_network_reports_file_line_and_reason(
    mini_path: Path, case: str, mutate: Callable[[Path], None], file: str, line: int | None, text: str
) -> None:
    mutate(mini_path)
    with pytest.raises(DataError) as info:
        load_network(mini_path)
    problems = [p for p in info.value.problems if p.file == file and text in p.message]
    assert problems, f"{case}: no problem in {file} mentioning {text!r}; got:\n{info.value}"
    if line is not None:
        assert any(p.line == line for p in problems), f"{case}: expected line {line}, got {[p.line for p in problems]}"


def test_every_problem_is_reported_at_once(mini_path: Path) -> None:
    for _, mutate, *_ in (CORPUS[5], CORPUS[6], CORPUS[14]):
        mutate(mini_path)
    with pytest.raises(DataError) as info:
        load_network(mini_path)
    files = {(p.file, p.line) for p in info.value.problems}
    assert {("links.csv", 2), ("links.csv", 5), ("nodes.csv", 5)} <= files


def test_cli_validate_lists_problems_without_traceback(mini_path: Path) -> None:
    CORPUS[6][1](mini_path)
    CORPUS[9][1](mini_path)
    proc = subprocess.run(
        [sys.executable, "-m", "corridor.cli", "network", "validate", str(mini_path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    assert "links.csv:5 [mode]" in proc.stderr
    assert "links.csv:3 [distance_km]" in proc.stderr


def test_failed_load_writes_nothing(mini_path: Path) -> None:
    before = {p.name: p.read_bytes() for p in mini_path.iterdir()}
    CORPUS[9][1](mini_path)
    after_mutation = {p.name: p.read_bytes() for p in mini_path.iterdir()}
    with pytest.raises(DataError):
        load_network(mini_path)
    assert {p.name: p.read_bytes() for p in mini_path.iterdir()} == after_mutation
    assert set(after_mutation) == set(before)
