"""The report's "flows slower than in the scenario they build on" section: per flow the volume it
carries beside its days and cost, and why, in English and Russian — the facts of
:meth:`Comparison.slower_flows`, checked against hand-worked figures on a two-crossing network."""

from __future__ import annotations

import math
import re
from html import unescape

import pytest
from tests.scenario.two_crossings import run_on, two_crossings

from corridor.appraisal import Parameters
from corridor.report.html import render_html
from corridor.scenario.comparison import Comparison


@pytest.fixture(scope="module")
def comparison() -> Comparison:
    base = run_on("base", ("base",), two_crossings(100.0))
    relieved = run_on("relieved", ("base", "relieved"), two_crossings(10_000.0))
    squeezed = run_on("squeezed", ("base", "relieved", "squeezed"), two_crossings(10_000.0, ferry_teu=100.0))
    return Comparison((base, relieved, squeezed), (), Parameters(), (("O", "D"),))


def _section_rows(html: str) -> list[list[str]]:
    """The cells (text, unescaped) of the slower-flows table."""
    section = re.search(r'<section id="slower">(.*?)</section>', html, re.S)
    assert section, "the report has a slower-flows section"
    body = section.group(1).split("<tbody>")[1]
    return [
        [unescape(re.sub(r"<[^>]+>", "", c)) for c in re.findall(r"<td[^>]*>(.*?)</td>", row)]
        for row in body.split("</tr>")
        if "<td" in row
    ]


def test_the_report_lists_each_slower_flow_with_its_volume_days_cost_and_cause(comparison: Comparison) -> None:
    flows = {f.scenario: f for f in comparison.slower_flows()}
    assert set(flows) == {"relieved", "squeezed"}
    rows = {r[0]: r for r in _section_rows(render_html(comparison, lang="en", max_maps=0))}
    # relieved, against base: base 100 TEU by F (48 h), 900 by the ferry (24 h): 26.4 h = 1.1 d at
    # USD 782/TEU; relieved: logit share p of F, s = 300 → 1.78 d at USD 524; all 1,000 TEU carried
    p = 1 / (1 + math.exp(-380 / 300))
    days = (48 * p + 24 * (1 - p)) / 24
    assert rows["relieved"][:7] == [
        "relieved",
        "base",
        "O→D",
        "1,000 → 1,000",
        f"1.1 → {days:.1f}",
        f"+{100 * (days / 1.1 - 1):.1f}%",
        f"782 → {440 * p + 820 * (1 - p):,.0f}",
    ]
    moved = 1000 * p - 100
    # and what makes F slower than the K it replaces: its 48 h road leg against K's 24 h
    assert rows["relieved"][7] == (
        f"by choice: F no longer full; {moved:,.0f} TEU moved to the cheaper, slower F,"
        " +24.0\u00a0h against the K (rail/road +24.0\u00a0h)"
    )
    assert flows["relieved"].moved_teu == pytest.approx(moved, rel=1e-3)
    # squeezed, against relieved (the scenario it builds on): the full ferry pushes 900 TEU to F
    sq = rows["squeezed"]
    assert sq[1] == "relieved" and sq[3] == "1,000 → 1,000"
    assert sq[4] == f"{days:.1f} → {(48 * 0.9 + 24 * 0.1) / 24:.1f}"
    assert sq[7] == "held up by O – K (road)" == f"held up by {', '.join(flows['squeezed'].binding)}"


def test_the_russian_report_says_the_same_in_russian(comparison: Comparison) -> None:
    rows = {r[0]: r for r in _section_rows(render_html(comparison, lang="ru", max_maps=0))}
    p = 1 / (1 + math.exp(-380 / 300))
    days = (48 * p + 24 * (1 - p)) / 24
    relieved = rows["relieved"]
    assert relieved[3] == "1\u202f000 → 1\u202f000"
    assert relieved[4] == f"1,1 → {days:.1f}".replace(".", ",")
    assert relieved[5] == f"+{100 * (days / 1.1 - 1):.1f}\u00a0%".replace(".", ",")
    moved = f"{1000 * p - 100:.0f}"
    assert relieved[7] == (
        f"по выбору: F: мощность больше не исчерпана; {moved} ДФЭ перешли на более дешёвый и медленный вариант F,"
        " +24,0\u00a0ч по сравнению с «K» (ж/д и авто +24,0\u00a0ч)"
    )
    assert rows["squeezed"][7] == "сдерживает: O – K (road)"
    section = re.search(r'<section id="slower">(.*?)</section>', render_html(comparison, lang="ru", max_maps=0), re.S)
    assert section and "Потоки медленнее" in section.group(1) and "held up" not in section.group(1)


def test_without_slower_flows_the_section_says_so(comparison: Comparison) -> None:
    base = comparison.results[0]
    html = render_html(Comparison((base,), (), Parameters(), (("O", "D"),)), lang="en", max_maps=0)
    assert "No flow is slower than in the scenario it builds on." in html


def test_route_alternatives_show_the_carried_volume_beside_the_times(comparison: Comparison) -> None:
    html = render_html(comparison, lang="en", max_maps=0)
    routes = re.search(r'<section id="routes">(.*?)</section>', html, re.S)
    assert routes and "Carried, TEU/yr" in routes.group(1)
    first_cells = re.findall(r"<tr><td>([^<]*)</td><td class=\"num\">([^<]*)</td>", routes.group(1))
    assert ("base", "1,000") in first_cells and ("squeezed", "1,000") in first_cells


def test_the_comparison_table_puts_each_main_flow_s_volume_before_its_times(comparison: Comparison) -> None:
    section = re.search(r'<section id="comparison">(.*?)</section>', render_html(comparison, max_maps=0), re.S)
    assert section
    rows = [
        [unescape(re.sub(r"<[^>]+>", "", c)) for c in re.findall(r"<td[^>]*>(.*?)</td>", row)]
        for row in section.group(1).split("</tr>")
        if "<td" in row
    ]
    labels = [r[0] for r in rows]
    at = labels.index("Container volume carried O→D, TEU/yr")
    assert labels[at + 1].startswith("Door-to-door P50 O→D")
    # every scenario carries the whole 1,000 TEU of the one flow (no capacity drops any)
    assert rows[at][1:] == ["1,000", "1,000(=)", "1,000(=)"]
    assert [comparison.results[i].od_days()["O→D"][0] for i in range(3)] == pytest.approx([1000.0] * 3)
