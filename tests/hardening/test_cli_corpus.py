"""Adversarial command-line arguments: every numeric option outside its documented range and
every unwritable output path is refused when parsed — before any network is read or any work
starts (each case finishes in well under a second) — naming the flag; valid edge values run.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import MINI, MINI_DEMAND, Case, check_outcome, run_cli

NET = ("-n", str(MINI))
SIM = ("simulate", *NET, "-d", str(MINI_DEMAND), "--workers", "1")
CAP = ("capacity", *NET, "-d", str(MINI_DEMAND), "--no-max-growth")
ROUTE = ("route", "A", "Z", *NET)


def usage(i: str, flag: str, *args: str) -> Case:
    return Case(i, "usage", (f"'{flag}",), args=args)


CASES: list[Case] = [
    usage("sim-r-0", "--replications", *SIM, "-r", "0"),
    usage("sim-r-negative", "--replications", *SIM, "-r", "-1"),
    usage("sim-r-10e30", "--replications", *SIM, "-r", str(10**30)),
    usage("sim-r-10e12", "--replications", *SIM, "-r", "1000000000000"),
    usage("sim-r-text", "--replications", *SIM, "-r", "many"),
    usage("sim-r-fraction", "--replications", *SIM, "-r", "2.5"),
    usage("sim-days-0", "--days", *SIM, "--days", "0"),
    usage("sim-days-huge", "--days", *SIM, "--days", "100000"),
    usage("sim-warmup-negative", "--warmup-days", *SIM, "--warmup-days", "-3"),
    usage("sim-growth-inf", "--growth", *SIM, "--growth", "inf"),
    usage("sim-growth-nan", "--growth", *SIM, "--growth", "nan"),
    usage("sim-growth-negative", "--growth", *SIM, "--growth", "-1"),
    usage("sim-growth-1e6", "--growth", *SIM, "--growth", "1e6"),
    usage("sim-workers-0", "--workers", *SIM, "--workers", "0"),
    usage("sim-seed-negative", "--seed", *SIM, "--seed", "-1"),
    usage("sim-scheduler-bogus", "--scheduler", *SIM, "--scheduler", "bogus://nowhere"),
    usage("sim-scheduler-empty", "--scheduler", *SIM, "--scheduler", ""),
    usage("cap-top-negative", "--top", *CAP, "--top", "-5"),
    usage("cap-top-0", "--top", *CAP, "--top", "0"),
    usage("cap-growth-inf", "--growth", *CAP, "--growth", "inf"),
    usage("cap-growth-1e9", "--growth", *CAP, "--growth", "1e9"),
    usage("route-k-0", "--alternatives", *ROUTE, "-k", "0"),
    usage("route-k-21", "--alternatives", *ROUTE, "-k", "21"),
    usage("appraise-horizon-1e9", "--horizon", "appraise", "aktau-container-hub", "--horizon", "1000000000"),
    usage("appraise-horizon-0", "--horizon", "appraise", "aktau-container-hub", "--horizon", "0"),
    usage("appraise-discount-2", "--discount", "appraise", "aktau-container-hub", "--discount", "2"),
    usage("appraise-discount-nan", "--discount", "appraise", "aktau-container-hub", "--discount", "nan"),
    usage("appraise-start-year", "--start-year", "appraise", "aktau-container-hub", "--start-year", "99999"),
    usage("appraise-vot-inf", "--value-of-time", "appraise", "aktau-container-hub", "--value-of-time", "inf"),
    usage("report-r-0", "--replications", "report", "baseline-2024", "--replications", "0"),
    usage("report-maps-negative", "--maps", "report", "baseline-2024", "--maps", "-1"),
    usage("compare-r-huge", "--replications", "compare", "baseline-2024", "--replications", "10000000"),
    # quotes that make no physical sense are refused by the engine, named by the flag
    Case("route-cargo-1e20-boxes", "error", ("--cargo", "between 1 and 100,000"), args=(*ROUTE, "--cargo", "99999999999999999999x40HC")),
    Case("route-cargo-0-boxes", "error", ("--cargo",), args=(*ROUTE, "--cargo", "0x40HC")),
    Case("route-cargo-1e30-t", "error", ("--cargo",), args=(*ROUTE, "--cargo", "general:1e30t")),
    Case("route-cargo-garbage", "error", ("--cargo", "expected COUNTxSIZETYPE"), args=(*ROUTE, "--cargo", "lots")),
    Case("route-depart-feb-30", "error", ("--depart", "ISO 8601"), args=(*ROUTE, "--depart", "2025-02-30")),
    Case("route-depart-text", "error", ("--depart",), args=(*ROUTE, "--depart", "next week")),
    # valid edges run
    Case("route-k-20", "ok", args=(*ROUTE, "-k", "20")),
    Case("route-cargo-100000-boxes", "ok", args=(*ROUTE, "--cargo", "100000x40HC")),
    Case("cap-top-1", "ok", args=(*CAP, "--top", "1")),
    Case("cap-growth-0", "ok", args=(*CAP, "--growth", "0")),
]  # fmt: skip


@pytest.fixture(scope="module", autouse=True)
def _commands_imported() -> None:
    """Import every command's module first (the CLI loads them lazily, seconds under load), so the
    time bound below measures parsing, not imports."""
    for command in (["simulate"], ["capacity"], ["route"], ["appraise"], ["report"], ["compare"], ["demo"],
                    ["network", "export"], ["network", "map"], ["network", "validate"]):  # fmt: skip
        assert run_cli([*command, "--help"]).code == 0


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_cli_case(case: Case) -> None:
    result = run_cli(case.args)
    check_outcome(case, result)
    if case.outcome == "usage":
        assert result.seconds < 2.0, "a bad option must be refused before any work"


def _output_cases(tmp: Path) -> list[tuple[str, str, tuple[str, ...]]]:
    missing, folder, file = tmp / "missing", tmp / "a-folder", tmp / "a-file"
    return [
        ("route-geojson-missing-folder", "--geojson", (*ROUTE, "--geojson", str(missing / "r.geojson"))),
        ("route-geojson-is-folder", "--geojson", (*ROUTE, "--geojson", str(folder))),
        ("report-o-missing-folder", "--output", ("report", "baseline-2024", "-o", str(missing / "r.html"))),
        ("report-o-is-folder", "--output", ("report", "baseline-2024", "-o", str(folder))),
        ("report-o-read-only", "--output", ("report", "baseline-2024", "-o", "/proc/r.html")),
        ("capacity-png-missing", "--png", (*CAP, "--png", str(missing / "c.png"))),
        ("capacity-png-is-folder", "--png", (*CAP, "--png", str(folder))),
        ("compare-png-missing", "--png", ("compare", "baseline-2024", "--png", str(missing / "c.png"))),
        ("export-o-missing", "--output", ("network", "export", "-o", str(missing / "n.geojson"))),
        ("export-o-read-only", "--output", ("network", "export", "-o", "/proc/n.geojson")),
        ("map-o-missing", "--output", ("network", "map", "-o", str(missing / "m.png"))),
        ("validate-problems-missing", "--problems", ("network", "validate", "middle-corridor", "--problems", str(missing / "p"))),
        ("simulate-out-is-file", "--out", (*SIM, "--out", str(file))),
        ("simulate-out-parent-missing", "--out", (*SIM, "--out", str(missing / "deeper" / "out"))),
        ("simulate-out-read-only", "--out", (*SIM, "--out", "/proc/sim-out")),
        ("demo-out-is-file", "--out", ("demo", "--out", str(file))),
    ]  # fmt: skip


OUTPUT_IDS = [i for i, _, _ in _output_cases(Path("/x"))]


@pytest.mark.parametrize("index", range(len(OUTPUT_IDS)), ids=OUTPUT_IDS)
def test_unwritable_output_is_refused_before_work(index: int, tmp_path: Path) -> None:
    (tmp_path / "a-folder").mkdir()
    (tmp_path / "a-file").write_text("keep me", encoding="utf-8")
    case_id, flag, args = _output_cases(tmp_path)[index]
    result = run_cli(args)
    check_outcome(Case(case_id, "usage", (f"'{flag}",)), result)
    assert result.seconds < 2.0, "the path must be checked before any work"
    assert (tmp_path / "a-file").read_text(encoding="utf-8") == "keep me"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a-file", "a-folder"]
