"""The analysis pages in a real Chromium against a real ``corridor serve``, in English and Russian:
capacity, scenarios (YAML editor with problems at their lines), compare & appraise, simulation,
tracking & operations, corridor KPIs.  Each asserts on what a user sees against the API's own
result, and ``check`` adds axe, the Russian no-English rule and the screenshot."""

from __future__ import annotations

import contextlib
import csv
import io
import math
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import httpx
from tests.web.conftest import WebServer, goto

from corridor.appraisal import MC_CHUNK
from corridor.network import load_network

NET = load_network("middle-corridor")
NBSP = re.compile(r"[\u00a0\u202f ]")


def fmt(x: float, lang: str, digits: int = 0) -> str:
    """A number as the page's locale writes it (ru: space-grouped thousands, decimal comma), rounded
    half away from zero as Intl.NumberFormat does (Python's format rounds 3112.5 to 3112)."""
    rounded = Decimal(repr(x)).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)
    text = f"{rounded:,.{digits}f}"
    return text.replace(",", " ").replace(".", ",") if lang == "ru" else text


def seen(page: Any, selector: str) -> str:
    return NBSP.sub(" ", page.locator(selector).first.inner_text())


@contextlib.contextmanager
def api(web_server: WebServer, role: str = "viewer") -> Iterator[httpx.Client]:
    client = web_server.api(role)
    try:
        yield client
    finally:
        client.close()


def job_id(page: Any) -> str:
    found = re.search(r"job=([0-9a-f]+)", page.url)
    assert found, page.url
    return found.group(1)


def test_kpis_show_the_public_figures_with_their_sources(
    page: Any, lang: str, check: Any, web_server: WebServer
) -> None:
    goto(page, "#/kpis")
    page.wait_for_selector(".kpis .kpi")
    with api(web_server, "viewer") as c:
        doc = c.get("/v1/kpis").json()
    head = seen(page, ".kpis")
    assert fmt(4.48, lang, 2) in head and ("62" in head)
    assert fmt(55_000, lang) in head
    refs = sum(len(p["sources"]) for s in doc["series"] for p in s["points"])
    assert page.locator("ul.sources a").count() == refs
    assert page.locator("svg.wb-chart").count() == len(doc["series"])
    # every chart says under it what it shows and in which unit, in the page's language
    units = {
        "en": {"Mt": "(Mt)", "TEU": "(TEU)", "TEU/yr": "(TEU a year)", "USD m": "(USD m)"},
        "ru": {"Mt": "(млн т)", "TEU": "(ДФЭ)", "TEU/yr": "(ДФЭ в год)", "USD m": "(млн долл. США)"},
    }[lang]
    captions = page.locator(".chart-figure:has(svg.wb-chart) figcaption")
    assert captions.count() == len(doc["series"])
    for i, s in enumerate(doc["series"]):
        assert captions.nth(i).is_visible()
        assert NBSP.sub(" ", captions.nth(i).inner_text()).endswith(units[s["unit"]])
    # the caption sits just under the chart's lowest label: no empty band between them (it was ~32 px)
    gaps = page.locator(".chart-figure:has(svg.wb-chart)").evaluate_all(
        """figs => figs.map((f) => f.querySelector('figcaption').getBoundingClientRect().top
             - Math.max(...[...f.querySelectorAll('svg text')].map((t) => t.getBoundingClientRect().bottom)))"""
    )
    assert all(0 <= g <= 16 for g in gaps), gaps
    check("kpis")


def test_capacity_run_shows_the_result_and_its_tables(page: Any, lang: str, check: Any, web_server: WebServer) -> None:
    goto(page, "#/capacity")
    page.click("main form button[type=submit]")
    page.wait_for_selector(".result .kpis", timeout=120_000)
    jid = job_id(page)
    with api(web_server, "viewer") as c:
        result = c.get(f"/v1/jobs/{jid}/result").json()
        links_csv = c.get(f"/v1/jobs/{jid}/tables/links").text
    assert fmt(result["totals"]["served_teu"], lang) in seen(page, ".result .kpis .kpi")
    _carried_share_is_honest(page, result)
    assert page.locator(".result table").nth(-1).locator("tbody tr").count() == len(result["ods"])
    cut = result["growth_cut"][0]
    if lang == "ru":  # named by its ends and kind in Russian, not by its English name
        assert cut["name"] not in seen(page, ".result")
    href = page.locator("a[href$='/tables/links']").get_attribute("href")
    got = page.request.get(href)
    assert got.ok and got.text() == links_csv
    assert len(list(csv.DictReader(io.StringIO(got.text())))) == len(result["links"])
    # links with no capacity limit in the data are drawn apart (grey), the others by utilisation;
    # both are as wide as their container flow, and a grey link without any flow is dashed
    limited = {s["link"] for s in result["services"] if s["utilisation"] is not None}
    limited |= {x["id"] for x in result["links"] if x["utilisation"] is not None}
    drawn = {x["id"] for x in result["links"]} & {x.id for x in NET.links}
    page.wait_for_selector(".result path.flow-limited")
    assert page.locator("path.flow-unlimited").count() == len(drawn - limited)
    assert page.locator("path.flow-limited").count() == len(drawn & limited) > 0
    idle = {x["id"] for x in result["links"] if x["flow_teu"] <= 0} & (drawn - limited)
    assert 0 < page.locator("path.flow-unlimited[stroke-dasharray='4 4']").count() == len(idle)
    busiest = max((x for x in result["links"] if x["id"] in drawn - limited), key=lambda x: x["flow_teu"])
    widest = max(
        float(w)
        for w in page.locator("path.flow-unlimited").evaluate_all("ps => ps.map(p => p.getAttribute('stroke-width'))")
    )
    most = max(x["flow_teu"] for x in result["links"])
    assert math.isclose(widest, 2 + 9 * math.sqrt(busiest["flow_teu"] / most), abs_tol=0.01)
    assert {"en": "no capacity limit in the data", "ru": "в данных нет предела мощности"}[lang] in seen(page, ".legend")
    check("capacity", readme=True)


PERCENTS = {  # share → what the page shows, by hand; spaces normalised (ru: "99,8 %" with a no-break space)
    0.998: ("99.8%", "99,8 %"),
    0.9996: ("99.96%", "99,96 %"),
    0.99999: ("> 99.99%", "> 99,99 %"),
    0.004: ("0.4%", "0,4 %"),
    0.00004: ("< 0.01%", "< 0,01 %"),
    1.003: ("100.3%", "100,3 %"),
    1.0: ("100%", "100 %"),
    0.0: ("0%", "0 %"),
    0.42: ("42%", "42 %"),
}


def test_the_percent_formatter_never_rounds_a_part_to_all_or_nothing(page: Any, lang: str) -> None:
    goto(page, "#/capacity")
    got = page.evaluate(
        "async (xs) => { const f = await import('/app/js/fmt.js'); return xs.map((x) => f.pct(x)); }",
        list(PERCENTS),
    )
    assert [NBSP.sub(" ", g) for g in got] == [v[0 if lang == "en" else 1] for v in PERCENTS.values()]


def _carried_share_is_honest(page: Any, result: dict[str, Any]) -> None:
    """ "Carried (…%)": the share as the result gives it, to the digits shown; a share short of all
    of it never reads 100% (2024: 54,893 of 55,000 TEU), a non-zero one never 0%."""
    share = result["shares"]["teu"]["carried"]
    shown = re.search(r"\(([\d,.]+) ?%\)", seen(page, ".result .kpis .kpi"))
    assert shown is not None
    value = float(shown.group(1).replace(",", "."))
    decimals = len(shown.group(1).replace(",", ".").partition(".")[2])
    assert abs(value - 100 * share) <= 0.5 * 10**-decimals + 1e-9
    assert (value == 100) == (share == 1) and (value == 0) == (share == 0)


def test_capacity_shows_one_result_at_a_time(page: Any, lang: str, web_server: WebServer) -> None:
    """A changed scenario takes the earlier result and its map away (it is not this choice's) and says
    what to do; the next run shows one map, one legend, with the new run's lines only.  (alyat-phase-2
    has a node among its bottlenecks: such a run used to fail on its result's shape.)"""
    goto(page, "#/capacity")
    assert {"en": "Choose a demand set", "ru": "Выберите набор спроса"}[lang] in seen(page, ".result")
    page.click("main form button[type=submit]")
    page.wait_for_selector(".result .kpis", timeout=120_000)
    first = job_id(page)
    page.locator("main form select").nth(1).select_option("alyat-phase-2")
    assert page.locator(".result .kpis").count() == 0
    assert page.locator(".leaflet-container, .legend").count() == 0
    assert {"en": "Choose a demand set", "ru": "Выберите набор спроса"}[lang] in seen(page, ".result")
    assert "job=" not in page.url and "scenario=alyat-phase-2" in page.url
    page.click("main form button[type=submit]")
    page.wait_for_function(
        f"() => location.hash.includes('job=') && !location.hash.includes('job={first}')", timeout=120_000
    )
    page.wait_for_selector(".result .kpis", timeout=120_000)
    page.wait_for_selector(".result path.flow-limited")
    second = job_id(page)
    with api(web_server, "viewer") as c:
        result = c.get(f"/v1/jobs/{second}/result").json()
        before = c.get(f"/v1/jobs/{first}/result").json()
    # the runs differ, so a stale map would show
    assert result["totals"]["served_teu"] != before["totals"]["served_teu"]
    assert page.locator(".leaflet-container").count() == 1 and page.locator(".legend").count() == 1
    drawn = {x["id"] for x in result["links"]} & {x.id for x in NET.links}
    assert page.locator("path.flow-limited, path.flow-unlimited").count() == len(drawn)
    assert fmt(result["totals"]["served_teu"], lang) in seen(page, ".result .kpis .kpi")
    _carried_share_is_honest(page, result)


SIM_PHASES = {
    "en": [
        ("loading", "Step 1 of 5: loading the network and demand…"),
        ("assignment", "Step 2 of 5: assigning the flows to paths…"),
        ("layout", "Step 3 of 5: laying out the model…"),
        ("replications", "Step 4 of 5: replication {n} of {n}"),
        ("summary", "Step 5 of 5: summarising the replications…"),
    ],
    "ru": [
        ("loading", "Шаг 1 из 5: загрузка сети и спроса…"),
        ("assignment", "Шаг 2 из 5: распределение потоков по маршрутам…"),
        ("layout", "Шаг 3 из 5: построение модели…"),
        ("replications", "Шаг 4 из 5: прогон {n} из {n}"),
        ("summary", "Шаг 5 из 5: сводка по прогонам…"),
    ],
}


def test_simulation_progress_backlog_with_closures_and_downloads(
    page: Any, lang: str, check: Any, web_server: WebServer
) -> None:
    goto(page, "#/simulation?days=40&warmup_days=0&replications=2")
    # every phase the page shows beside the bar while the job runs, as the job status reports it
    page.evaluate(
        """() => { window.seenPhases = []; const el = document.querySelector('.sim-phase');
          new MutationObserver(() => { const last = window.seenPhases.at(-1);
            if (el.dataset.phase && (!last || last[1] !== el.textContent)) window.seenPhases.push([el.dataset.phase, el.textContent]); })
            .observe(el, { childList: true, characterData: true, subtree: true, attributes: true }); }"""
    )
    page.click("main form button[type=submit]")
    page.wait_for_selector(".result .kpis", timeout=180_000)
    jid = job_id(page)
    shown = page.evaluate("window.seenPhases")
    # sampled by the page's polling, so a fast phase may pass unseen; what is shown is in order,
    # each in the page's language, and the job's last word is its summary
    order = [p for p, _ in SIM_PHASES[lang]]
    assert shown and [p for p, _ in shown] == sorted((p for p, _ in shown), key=order.index), shown
    for phase, text in shown:
        want = dict(SIM_PHASES[lang])[phase]
        assert NBSP.sub(" ", text) == want if "{" not in want else re.fullmatch(want.format(n=r"\d+"), text), text
    assert shown[-1][0] == "summary"
    with api(web_server, "viewer") as c:
        assert c.get(f"/v1/jobs/{jid}").json()["progress"] == {"done": 2, "total": 2, "phase": "summary"}
    with api(web_server, "viewer") as c:
        result = c.get(f"/v1/jobs/{jid}/result").json()
        calendar = c.get("/v1/closure-calendar", params={"days": 40}).json()
    assert fmt(result["delivered"]["teu"], lang) in seen(page, ".result .kpis")
    # one backlog chart per port; a port with a closure season in January is shaded (day 0 = 1 Jan)
    backlogs = page.locator(".chart-figure.backlog")
    assert backlogs.count() == len(result["ports"])
    # each says under it what it draws, in TEU by day (the unit was only in the SVG's accessible name)
    unit = {"en": "TEU, by day", "ru": "ДФЭ, по дням"}[lang]
    caption = backlogs.first.locator("figcaption")
    assert caption.is_visible() and unit in NBSP.sub(" ", caption.inner_text())
    shaded = {c["target"] for c in calendar["closures"] if c["periods"]}
    expected = sum(
        len(c["periods"]) for c in calendar["closures"] if c["target"] in {p["node"] for p in result["ports"]}
    )
    assert shaded and page.locator(".chart-figure.backlog rect.wb-shade").count() == expected
    assert page.locator("a[href$='/tables/ports']").count() == 1
    # a flow that is not steady quotes no time, as the CLI says 'not steady', and says what it leaves
    # behind a day; a steady one its P50 (40 days from empty: a flow of ~10 d or more delivers at
    # most ~75% of what arrives, under the 80% a steady one needs; Aktau→Baku, ~5 d, ~87%)
    title = {"en": "Transit times", "ru": "Время в пути"}[lang]
    rows = page.locator(f"section:has(h2:text-is('{title}')) table tbody tr")
    assert rows.count() == len(result["od"])
    unsteady = [o for o in result["od"] if not o["steady"]]
    assert unsteady and len(unsteady) < len(result["od"])
    for i, o in enumerate(result["od"]):
        cells = [NBSP.sub(" ", x) for x in rows.nth(i).locator("td").all_inner_texts()]
        if o["steady"]:
            assert cells[2] == fmt(o["time_d"]["p50"], lang, 1)
        else:
            assert cells[2:5] == ["—"] * 3
            left = fmt(o["backlog_growth_per_day"], lang)
            assert {"en": f"{left} ", "ru": f"остаётся {left} "}[lang] in cells[5]
    assert page.locator("p.unsteady").is_visible()
    check("simulation")


BAD_LINE = "  - set: {node: NOWHERE, capacity_teu_per_year: 700000}"


def test_scenario_clone_check_marks_the_line_then_saves(page: Any, lang: str, check: Any) -> None:
    goto(page, "#/scenarios?id=alyat-phase-2")
    page.get_by_role("button", name={"en": "Clone and edit", "ru": "Скопировать и изменить"}[lang]).click()
    area = page.locator("textarea.code")
    text = area.input_value().replace("alyat-phase-2-copy", f"web-{lang}-scn")
    lines = text.splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith("changes:")) + 1
    bad = "\n".join([*lines[:at], BAD_LINE, "    source: est-alat-phase2", *lines[at:]])
    area.fill(bad)
    page.get_by_role("button", name={"en": "Check", "ru": "Проверить"}[lang], exact=True).click()
    page.wait_for_selector("ol.problems li")
    problems = seen(page, "ol.problems")
    assert "NOWHERE" in problems
    line_no = at + 1  # 1-based line of BAD_LINE
    marked = page.locator(".gutter span.bad")
    assert marked.count() >= 1 and str(line_no) in [s.strip() for s in marked.all_inner_texts()]
    area.fill(text)
    page.get_by_role(
        "button", name={"en": "Save as a new scenario", "ru": "Сохранить как новый сценарий"}[lang]
    ).click()
    page.wait_for_function("() => /version|версия/.test(document.querySelector('.code-editor ~ .status').textContent)")
    assert f"web-{lang}-scn" in page.locator(".code-editor ~ .status").inner_text()
    check("scenarios")


def test_compare_and_appraise(page: Any, lang: str, check: Any, web_server: WebServer) -> None:
    goto(page, "#/compare")
    page.check("#cmp-baseline-2024")
    page.check("#cmp-alyat-phase-2")
    page.get_by_role("button", name={"en": "Compare", "ru": "Сравнить"}[lang], exact=True).click()
    # a determinate bar while it runs: steps done of a total known up front
    page.wait_for_function(
        "() => { const p = document.querySelector('main progress'); return p && !p.hidden && p.max > 1 && p.value >= 1; }",
        timeout=400_000,
    )
    assert re.search({"en": r"step \d+ of \d+", "ru": r"шаг \d+ из \d+"}[lang], seen(page, "main .status"))
    page.wait_for_selector(".result table", timeout=400_000)
    jid = re.search(r"compare=([0-9a-f]+)", page.url)
    assert jid
    with api(web_server, "viewer") as c:
        result = c.get(f"/v1/jobs/{jid.group(1)}/result").json()
        progress = c.get(f"/v1/jobs/{jid.group(1)}").json()["progress"]
    # 2 scenario runs, then per appraisal one step per trajectory year and per chunk of draws
    steps = 2 + sum(
        len(a["trajectory"]) + math.ceil(a["monte_carlo"]["replications"] / MC_CHUNK) for a in result["appraisals"]
    )
    assert progress == {"done": steps, "total": steps, "phase": None}  # a comparison reports steps, no phases
    assert page.locator(".result table").first.locator("tbody tr").count() == len(result["table"])
    # the appraisal of alyat-phase-2 against the base: tornado, yearly lines and the NPV histogram
    assert page.locator("svg.wb-chart").count() >= 4
    a = result["appraisals"][0]
    assert fmt(a["bcr"], lang, 2) in seen(page, ".result")
    check("compare")


SHIPMENT = {"nodes": ["KZAAU", "AZBAK"], "links": ["aktau-alat-feeder"]}


def _at(days: float) -> str:
    """An ISO time ``days`` from now (UTC, whole hours): plans relative to the day the tests run."""
    moment = datetime.now(UTC).replace(minute=0, second=0, microsecond=0) + timedelta(days=days)
    return moment.isoformat().replace("+00:00", "Z")


def test_tracking_shows_status_eta_band_and_timeline(page: Any, lang: str, check: Any, web_server: WebServer) -> None:
    booking = f"WEB-{lang.upper()}-1"
    with api(web_server, "analyst") as c:
        shipment = {**SHIPMENT, "booking": booking, "planned_departure": _at(1)}  # booked for tomorrow
        assert c.post("/v1/shipments", json=shipment).status_code == 201
        eta = c.get(f"/v1/shipments/{booking}/eta").json()
    goto(page, f"#/tracking?booking={booking}")
    page.wait_for_selector("ol.timeline li")
    row = page.locator("table tbody tr", has_text=booking)
    assert row.count() == 1
    status = {"en": {"planned": "not departed", "in-transit": "in transit", "delivered": "delivered"},
              "ru": {"planned": "не отправлена", "in-transit": "в пути", "delivered": "доставлена"}}  # fmt: skip
    assert status[lang][eta["status"]] in row.inner_text()
    assert page.locator("ol.timeline li").count() == len(eta["passed"]) + len(eta["milestones"])
    if lang == "ru":
        text = seen(page, "main table")
        assert "Актау" in text and "Алят" in text, text
    # the map is drawn after the page (geometry loads on its own): the route and the position marker
    # are on it before the screenshot, which showed an empty blue box when taken first
    page.wait_for_selector(".map.small path.position", state="visible")
    assert page.locator(".map.small path.leaflet-interactive").count() >= 3  # the route, its 2 ends, the marker
    # the crossing is drawn as the network map draws its link: along the estimated sea lane, round the
    # Absheron Peninsula (Aktau, the waypoint, Alat), not as one straight stroke across the Caspian
    with api(web_server, "viewer") as c:
        geo = c.get("/v1/explore/network", params={"network": "middle-corridor"}).json()
    lane = next(f for f in geo["features"] if f["properties"].get("id") == SHIPMENT["links"][0])
    assert len(lane["geometry"]["coordinates"]) == 3
    drawn = page.locator(".map.small path.leaflet-interactive").first.get_attribute("d")
    assert len(re.findall(r"[ML]", drawn)) == len(lane["geometry"]["coordinates"]), drawn
    page.locator(".map.small").scroll_into_view_if_needed()  # the screenshot shows the whole route
    check("tracking", readme=True)


def test_a_milestone_past_its_plan_says_how_late_it_is_at_least(page: Any, lang: str, web_server: WebServer) -> None:
    # planned a year and more ago and not departed: each milestone ahead says how late it is at
    # least (its 10 % time against the plan), not only the two dates a year and more apart
    booking = f"WEB-{lang.upper()}-LATE"
    with api(web_server, "analyst") as c:
        shipment = {**SHIPMENT, "booking": booking, "planned_departure": "2025-03-01T00:00:00Z"}
        assert c.post("/v1/shipments", json=shipment).status_code == 201
        eta = c.get(f"/v1/shipments/{booking}/eta").json()
    goto(page, f"#/tracking?booking={booking}")
    page.wait_for_selector("ol.timeline li")
    for i, x in enumerate(eta["milestones"]):
        p10 = datetime.fromisoformat(x["p10"].replace("Z", "+00:00"))
        late = (p10 - datetime.fromisoformat(x["planned"].replace("Z", "+00:00"))) // timedelta(days=1)
        assert late > 300
        words = {"en": f"at least {fmt(late, lang)} days late", "ru": f"опоздание не меньше {fmt(late, lang)} сут."}
        li = NBSP.sub(" ", page.locator("ol.timeline li").nth(len(eta["passed"]) + i).inner_text())
        assert words[lang] in li, li


OFFLINE = {
    "en": "No connection to the server",
    "ru": "Нет связи с сервером",
}


def test_pages_stay_usable_offline_and_say_what_needs_the_server(page: Any, lang: str, watch: Any) -> None:
    """Load each page, pull the network: what it shows stays, and an action that needs the server
    says so in the user's language (the shell's banner) instead of failing silently."""
    watch.allow_offline_errors = True  # the browser logs each refused request; the page must cope
    for route, action in (
        ("#/kpis", None),
        ("#/tracking", None),
        ("#/compare", None),
        ("#/simulation", "main form button[type=submit]"),
        ("#/capacity", "main form button[type=submit]"),
    ):
        goto(page, route)
        before = page.locator("main h1").inner_text()
        page.context.set_offline(True)
        try:
            if action:
                page.click(action)
                page.locator("#error").wait_for(state="visible")
                assert OFFLINE[lang] in page.locator("#error").inner_text(), route
            assert page.locator("main h1").inner_text() == before
            assert page.locator("main form, main section, main fieldset, main .kpis").count() > 0, route
        finally:
            page.context.set_offline(False)
    # the scenario editor: a check while offline is an offline message, not a list of problems
    goto(page, "#/scenarios?id=baseline-2024")
    page.click("main .toolbar button >> nth=0")
    page.context.set_offline(True)
    try:
        page.get_by_role("button", name={"en": "Check", "ru": "Проверить"}[lang], exact=True).click()
        page.locator("#error").wait_for(state="visible")
        assert OFFLINE[lang] in page.locator("#error").inner_text()
        assert page.locator("ol.problems li").count() == 0
    finally:
        page.context.set_offline(False)
