"""Every ``--json`` output has a ``schema`` key, validates against its published JSON Schema, and
matches its golden file on the small test network (tests/data/mini).

A change of shape is a visible diff: edit the model in ``src/corridor/schemas/<kind>.py``, bump its
``VERSION``, run ``make golden`` (``CORRIDOR_REGEN=1``) and commit the rewritten tests/golden/*.json.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from click.testing import CliRunner

from corridor.cli import cli
from corridor.errors import DataError, Problem, UnknownNameError
from corridor.schemas import SCHEMAS, ShapeError, dump, error_document, json_schema

ROOT = Path(__file__).parents[2]
GOLDEN = ROOT / "tests" / "golden"
REGEN = os.environ.get("CORRIDOR_REGEN") == "1"
MINI = "tests/data/mini"
DEMAND = "tests/data/mini-demand"
SCEN = "tests/data/mini-scenarios"
TRACKING = "tests/data/tracking-mini.json"

#: (golden file, kind, command line) — every result command's --json on the mini network.
CASES = [
    ("route-mini", "route", ["route", "A", "Z", "-n", MINI, "--depart", "2025-03-03", "--json"]),
    # January is Port East's storm season and DE is in no node: a closure note and an avoid note
    ("route-mini-notes", "route", ["route", "A", "Z", "-n", MINI, "--depart", "2025-01-15", "--avoid", "DE", "--json"]),
    ("route-mini-bulk", "route", ["route", "A", "Q", "-n", MINI, "--cargo", "general:500t", "--json"]),
    ("capacity-mini", "capacity", ["capacity", "-n", MINI, "-d", DEMAND, "--json"]),
    (
        "simulation-mini",
        "simulation",
        [
            "simulate",
            "-n",
            MINI,
            "-d",
            DEMAND,
            "-r",
            "3",
            "--days",
            "20",
            "--warmup-days",
            "5",
            "--seed",
            "1",
            "--workers",
            "1",
            "--json",
        ],
    ),
    ("comparison-mini", "comparison", ["compare", f"{SCEN}/mini-base.yaml", f"{SCEN}/mini-ferry.yaml", "--json"]),
    (
        "appraisal-mini",
        "appraisal",
        ["appraise", f"{SCEN}/mini-ferry.yaml", "--base", f"{SCEN}/mini-base.yaml", "--json"],
    ),
    ("network-mini", "network", ["network", "show", MINI, "--json"]),
    # tracking: a synthetic file (corridor track synthesize … --seed 2 --days 20 --max-shipments 8) on middle-corridor
    ("eta-mini", "eta", ["track", "eta", "SYN-2-0", "--events", TRACKING, "--at", "2025-01-05T00:00:00Z", "--json"]),
    ("eta-evaluation-mini", "eta-evaluation", ["track", "evaluate", TRACKING, "--json"]),
    ("delays-mini", "delays", ["track", "delays", TRACKING, "--json"]),
    ("calibration-mini", "calibration", ["track", "calibrate", TRACKING, "--out", "<tmp>/calibrated", "--json"]),
    ("operations-mini", "operations", ["track", "operations", TRACKING, "--at", "2025-01-10T00:00:00Z", "--json"]),
    (
        "equipment-check-mini",
        "equipment-check",
        ["track", "check", "CSQU3054383", "218124712173", "24548885", "--json"],
    ),
]


def run_json(args: list[str], monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    monkeypatch.chdir(ROOT)
    result = CliRunner().invoke(cli, args, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def masked(value: Any) -> Any:
    """The document with wall-clock timings (keys ending in ``_s``) replaced by ``"<seconds>"`` and the
    checkout's own path by ``<root>`` (a clone can live anywhere)."""
    if isinstance(value, str) and value.startswith(str(ROOT)):
        return "<root>" + value[len(str(ROOT)) :]
    if isinstance(value, dict):
        return {k: "<seconds>" if k.endswith("_s") and isinstance(v, float) else masked(v) for k, v in value.items()}
    if isinstance(value, list):
        return [masked(v) for v in value]
    return value


def check_golden(name: str, document: dict[str, Any]) -> None:
    document = masked(document)
    path = GOLDEN / f"{name}.json"
    text = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    if REGEN:
        path.write_text(text, encoding="utf-8")
    assert path.is_file(), f"no golden file {path.name}; run `make golden`"
    assert json.loads(path.read_text(encoding="utf-8")) == document, f"{path.name} differs; `make golden` rewrites it"


@pytest.mark.parametrize(("name", "kind", "args"), CASES, ids=[c[0] for c in CASES])
def test_json_output_has_its_schema_and_matches_the_golden_file(
    name: str, kind: str, args: list[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    document = run_json([a.replace("<tmp>", str(tmp_path)) for a in args], monkeypatch)
    if isinstance(document.get("out"), str):  # a folder the command wrote: under this test's tmp_path
        document["out"] = document["out"].replace(str(tmp_path), "<tmp>")
    assert next(iter(document)) == "schema"
    assert document["schema"] == f"corridor.{kind}/{SCHEMAS[kind].VERSION}"
    jsonschema.Draft202012Validator(json_schema(kind)).validate(document)
    check_golden(name, document)


def test_every_kind_has_a_golden_case() -> None:
    assert {kind for _, kind, _ in CASES} | {"error"} == set(SCHEMAS)


def test_error_documents() -> None:
    bad = DataError(
        "network 'x' is invalid",
        [Problem("nodes.csv", "must be a number", 3, "lat", record="A", expected="a number", got="north")],
    )
    document = error_document(bad)
    jsonschema.Draft202012Validator(json_schema("error")).validate(document)
    check_golden("error-data", document)
    unknown = error_document(UnknownNameError("place", "Aktua", ["Aktau"]))
    assert unknown["status"] == 404
    assert unknown["title"] == "unknown place 'Aktua'; did you mean 'Aktau'?"


def test_a_drifted_shape_is_refused() -> None:
    """An extra, missing or mistyped key fails validation: the schema is a gate, not a comment."""
    good = json.loads((GOLDEN / "network-mini.json").read_text(encoding="utf-8"))
    good.pop("schema")
    dump("network", good)
    with pytest.raises(ShapeError, match=r"network result does not match .*corridor.network/\d+: extra_key"):
        dump("network", {**good, "extra_key": 1})
    with pytest.raises(ShapeError, match="countries: Field required"):
        dump("network", {k: v for k, v in good.items() if k != "countries"})
    with pytest.raises(ShapeError, match="fleet"):
        dump("network", {**good, "services": [{**good["services"][0], "fleet": "two"}]})
    validator = jsonschema.Draft202012Validator(json_schema("network"))
    assert not validator.is_valid({**good, "schema": "corridor.network/1", "extra_key": 1})


def test_schema_command(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(ROOT)
    listing = CliRunner().invoke(cli, ["schema"])
    assert listing.exit_code == 0
    assert f"route       corridor.route/{SCHEMAS['route'].VERSION}" in listing.output
    one = CliRunner().invoke(cli, ["schema", "route"])
    assert json.loads(one.output)["$id"] == SCHEMAS["route"].schema_id()
    out = CliRunner().invoke(cli, ["schema", "--out", str(tmp_path / "s")])
    assert out.exit_code == 0, out.output
    assert sorted(p.stem for p in (tmp_path / "s").iterdir()) == sorted(SCHEMAS)
    bad = CliRunner().invoke(cli, ["schema", "rout"])
    assert bad.exit_code == 2
    assert "'rout' is not one of" in bad.output
