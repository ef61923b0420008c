"""``corridor simulate`` end to end (in process; the CLI is a shell over ``corridor.simulate``)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from corridor.cli import main

DATA = Path(__file__).parents[1] / "data"
ARGS = ["simulate", "--network", str(DATA / "mini"), "--demand", str(DATA / "mini-demand"), "-r", "4", "--workers", "1"]


def test_json_output(capsys) -> None:
    assert main([*ARGS, "--json", "--seed", "9"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["replications"] == 4 and data["seed"] == 9
    assert {(o["origin"], o["destination"], o["cargo"]) for o in data["od"]} == {
        ("A", "Z", "container"),
        ("A", "Q", "container"),
        ("P", "Z", "general"),
    }


def test_table_output(capsys) -> None:
    assert main(ARGS) == 0
    out = capsys.readouterr().out
    assert "A→Z" in out and "P90 d" in out and "F1" in out and "closure days" in out


def test_out_writes_tables_and_charts(tmp_path: Path, capsys) -> None:
    assert main([*ARGS, "--out", str(tmp_path), "--trace"]) == 0
    names = {p.name for p in tmp_path.iterdir()}
    assert {"flows.csv", "stages.csv", "port_backlog.csv", "utilisation.csv", "closures.csv", "trace.csv"} <= names
    assert {"door_to_door.png", "port_backlog.png", "utilisation.png"} <= names
    for png in ("door_to_door.png", "port_backlog.png", "utilisation.png"):
        assert (tmp_path / png).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    with (tmp_path / "flows.csv").open() as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 3 and float(rows[0]["p90_h"]) >= float(rows[0]["p50_h"])


def test_progress_names_the_load_and_assignment_stages_only_when_asked(capsys) -> None:
    """Issue 13: every phase (load and assignment are ~75 % of a large run) has its line on stderr; the replications have their bar."""
    assert main([*ARGS, "--progress"]) == 0
    captured = capsys.readouterr()
    stages = [line.split(": ", 1)[1] for line in captured.err.splitlines() if line.startswith("[")]
    assert stages == [
        "loading network …",
        "loading demand …",
        "assigning flows to paths …",
        "laying out the model …",
        "replications …",
        "summarising …",
        "done",
    ]
    assert "A→Z" in captured.out
    assert main(ARGS) == 0  # stderr is not a terminal here: no stage lines and no bar
    assert capsys.readouterr().err == ""
