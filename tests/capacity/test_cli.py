"""``corridor capacity``: human output, ``--json`` keys, ``--png``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from corridor.cli import main

DATA = Path(__file__).parents[1] / "data"
ARGS = ["capacity", "--network", str(DATA / "mini"), "--demand", str(DATA / "mini-demand")]


def test_human_output(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([*ARGS, "--growth", "12"]) == 0
    out = capsys.readouterr().out
    assert "mini-demand × 12 on mini" in out
    assert "Bottlenecks (binding capacities, by shadow price)" in out
    assert "East-West ferry" in out
    assert "Not carried on the corridor (share of each flow's demand)" in out


def test_json_has_the_documented_keys(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([*ARGS, "--growth", "12", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    for key in ("served", "unserved", "max_growth", "bottlenecks", "links", "nodes", "services", "totals", "ods"):
        assert key in data
    top = data["bottlenecks"][0]
    assert {"asset", "kind", "utilisation", "shadow_price"} <= set(top)
    assert top["asset"] == "F1" and top["kind"] == "service"
    link = next(lk for lk in data["links"] if lk["id"] == "PQ")
    assert {"flow_teu", "flow_t", "capacity", "utilisation"} <= set(link)
    assert data["unserved"][0]["origin"] == "A"
    assert data["max_growth"] == pytest.approx(31476.923 / 36000, rel=1e-6)


def test_png(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "cap.png"
    assert main([*ARGS, "--png", str(out)]) == 0
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert not list(tmp_path.glob("*.part"))


def test_progress_names_each_stage_on_stderr_only_when_asked(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([*ARGS, "--progress", "--json"]) == 0
    out, err = capsys.readouterr()
    iterations = json.loads(out)["solver"]["iterations"]
    stages = [line.split(": ", 1)[1] for line in err.splitlines() if line.startswith("[")]
    main_stages = [s for s in stages if "round" not in s and "seeding" not in s]
    assert main_stages == [
        "loading network …",
        "loading demand …",
        "arcs and capacities …",
        "assignment …",
        "maximum growth …",
        "results …",
        "done",
    ]
    # every seeding round and every column-generation round shows, inside its stage
    choice = stages[stages.index("assignment …") + 1 : stages.index("maximum growth …")]
    assert choice and all(s.startswith("route choice, ") for s in choice)
    assert choice[0].startswith("route choice, seeding paths 1 of 4")
    rounds = [s for s in choice if s.startswith("route choice, round ")]
    assert [s.split(" (")[0] for s in rounds] == [f"route choice, round {i}" for i in range(1, iterations + 1)]
    growth = stages[stages.index("maximum growth …") + 1 : stages.index("results …")]
    assert growth and all(s.startswith("maximum growth, round ") for s in growth)
    assert main(ARGS) == 0  # stderr is not a terminal here: quiet by default
    assert capsys.readouterr().err == ""
