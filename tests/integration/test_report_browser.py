"""The report in a real browser: headless Chromium opens it with no console errors and no network
requests, and its screenshot is not blank.  CI installs Chromium (.ci/run)."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest
from matplotlib import image

from corridor.report.html import write_html
from corridor.scenario import AppliedScenario
from corridor.scenario.comparison import Backlog, Comparison, SimSummary, compare

DATA = Path(__file__).resolve().parents[1] / "data"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        CHROMIUM is None,
        reason="Chromium is not installed here (apt-get install chromium); CI's .ci/run installs it",
    ),
]


def _simulation(applied: AppliedScenario, ods: Sequence[tuple[str, str]]) -> SimSummary:
    times = {od: (8.0, 11.0, tuple(6.0 + i * 0.06 for i in range(99))) for od in ods}
    series = tuple(100.0 + (d % 30) for d in range(365))
    return SimSummary(times, (Backlog("P", 129.0, 29.0, tuple(map(float, range(365))), series),), {"replications": 1})


@pytest.fixture(scope="module")
def comparison(tmp_path_factory: pytest.TempPathFactory) -> Comparison:
    folder = tmp_path_factory.mktemp("scenarios")
    (folder / "base.yaml").write_text(
        f"name: base\nnetwork: {DATA / 'mini'}\ndemand: {DATA / 'mini-demand'}\nchanges: []\n", encoding="utf-8"
    )
    (folder / "port.yaml").write_text(
        "inherits: base\nchanges:\n  - set: {node: P, capacity_teu_per_year: 90000}\n    source: hand\n"
        "investments:\n  - {id: p, name: Port, capex_usd: 1e6, opex_usd_per_year: 0, start_year: 2025,\n"
        "     build_years: 1, lifetime_years: 20, source: hand}\n",
        encoding="utf-8",
    )
    return compare([folder / "base.yaml", folder / "port.yaml"], simulate=_simulation)


def open_in_chromium(page: Path, out: Path) -> tuple[Path, str, list[str]]:
    """Screenshot ``page``; return the PNG, Chromium's log and the URLs the page asked for."""
    assert CHROMIUM is not None
    shot, netlog, profile = out / f"{page.stem}.png", out / f"{page.stem}.netlog.json", out / f"{page.stem}-profile"
    cmd = [
        CHROMIUM,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--hide-scrollbars",
        f"--user-data-dir={profile}",
        "--enable-logging=stderr",
        "--v=0",
        f"--log-net-log={netlog}",
        f"--screenshot={shot}",
        "--window-size=1400,2000",
        page.resolve().as_uri(),
    ]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=120, check=False)
    assert proc.returncode == 0, proc.stderr[-2000:]
    events = json.loads(netlog.read_text(encoding="utf-8"))["events"]
    # Requests the page made carry its (opaque, "null") origin; the browser's own housekeeping
    # requests (update checks, clock) are "not an origin".
    urls = [
        e["params"]["url"]
        for e in events
        if "initiator" in e.get("params", {})
        and e["params"]["initiator"] != "not an origin"
        and not e["params"].get("url", "").startswith(("data:", "file:"))
    ]
    return shot, proc.stderr, urls


def _console_errors(log: str) -> list[str]:
    return [line for line in log.splitlines() if ":CONSOLE" in line or "Refused to" in line]


def test_the_checks_catch_a_request_and_a_console_error(tmp_path: Path) -> None:
    page = tmp_path / "control.html"
    page.write_text(
        '<!DOCTYPE html><img src="http://127.0.0.1:9/x.png"><script>console.error("boom")</script>', encoding="utf-8"
    )
    _, log, urls = open_in_chromium(page, tmp_path)
    assert urls == ["http://127.0.0.1:9/x.png"]
    assert any("boom" in line for line in _console_errors(log))


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_report_opens_offline_without_errors(comparison: Comparison, tmp_path: Path, lang: str) -> None:
    page = write_html(comparison, tmp_path / f"report-{lang}.html", lang=lang)
    shot, log, urls = open_in_chromium(page, tmp_path)
    assert urls == []
    assert _console_errors(log) == []
    pixels = image.imread(shot)[..., :3]
    not_white = float(np.mean(pixels.min(axis=2) < 0.9))
    assert pixels.std() > 0.05 and not_white > 0.02, "the screenshot looks blank"
